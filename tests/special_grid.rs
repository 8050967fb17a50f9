//! The special-value grid for every built-in, at its default parameters and one other set,
//! in f32 and f64: ±inf, ±0, ± the smallest subnormal, ±MAX, ±1e30, each kink and
//! threshold exactly (where the derivative is the documented convention), and the points
//! where the function saturates. The expected values come from mathematics, not from the
//! code: `tests/oracle/gen_activations.py` evaluates each built-in's textbook definition
//! with mpmath and rounds to the type (limits at ±inf), into
//! `tests/oracle/data/act/special.<type>.txt`.
//!
//! Forward, derivative, second derivative and every parameter derivative must equal the
//! expected value where it is 0 or infinite (compared as values: -0 equals 0), and be
//! within the accuracy targets elsewhere (4 ULP forward, 8 ULP the others); a NaN is
//! never right for a finite input, and a NaN input gives NaN everywhere.
//! `forward_and_derivative` must agree bit for bit with `forward` and `derivative`.

use actdiff::prelude::*;
use std::str::FromStr;

/// The grid's path for a type.
fn path(ty: &str) -> String {
    format!(
        "{}/tests/oracle/data/act/special.{ty}.txt",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// One line of a grid file: an activation with parameter values, an input, and the
/// expected value of each column (`None` where the column has no limit).
struct Point {
    activation: String,
    x: f64,
    expected: Vec<(String, Option<f64>)>,
}

fn parse(ty: &str) -> Vec<Point> {
    let path = path(ty);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let number = |s: &str, line: usize| -> f64 {
        // Python's repr: `inf`, `-inf`, or a float literal.
        s.parse()
            .unwrap_or_else(|e| panic!("{path}:{line}: bad number {s:?}: {e}"))
    };
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty())
        .map(|(i, line)| {
            let parts: Vec<&str> = line.split(" | ").collect();
            let [activation, x, values] = parts[..] else {
                panic!("{path}:{}: expected three fields", i + 1);
            };
            let expected = values
                .split_whitespace()
                .map(|kv| {
                    let (k, v) = kv
                        .split_once('=')
                        .unwrap_or_else(|| panic!("{path}:{}: bad column {kv:?}", i + 1));
                    (k.to_owned(), (v != "none").then(|| number(v, i + 1)))
                })
                .collect();
            Point {
                activation: activation.to_owned(),
                x: number(x, i + 1),
                expected,
            }
        })
        .collect()
}

/// The smallest subnormal and the smallest normal value of a type, as f64.
trait Limits {
    const TINY: f64;
    const MIN_NORMAL: f64;
}

impl Limits for f32 {
    const TINY: f64 = 1.401298464324817e-45;
    const MIN_NORMAL: f64 = f32::MIN_POSITIVE as f64;
}

impl Limits for f64 {
    const TINY: f64 = 5e-324;
    const MIN_NORMAL: f64 = f64::MIN_POSITIVE;
}

/// One ULP of `want` in `T` (the smallest subnormal for 0 and subnormals).
fn ulp<T: Real + Limits>(want: f64) -> f64 {
    if want.abs() < T::MIN_NORMAL {
        T::TINY
    } else {
        2f64.powi(want.abs().log2().floor() as i32) * T::EPSILON.to_f64()
    }
}

/// Whether the expected value is a nonzero subnormal of `T`, where the built-ins that
/// multiply by an underflowed exponential lose relative accuracy (tested separately,
/// `subnormal_results`, so that such misses are listed apart).
fn subnormal<T: Limits>(want: f64) -> bool {
    want != 0.0 && want.abs() < T::MIN_NORMAL
}

/// Which expected values a test checks.
#[derive(Clone, Copy, PartialEq)]
enum Results {
    /// Everything but nonzero subnormal results and the listed known misses.
    NotSubnormal(&'static [&'static str]),
    /// Only the listed known misses (each `column` or `column@x`).
    #[allow(dead_code)] // used once a built-in has known misses
    Misses(&'static [&'static str]),
    /// Only nonzero subnormal results.
    Subnormal,
}

impl Results {
    /// Whether the test checks `column` at `x` with the expected value `want`.
    fn selects<T: Limits>(self, column: &str, x: f64, want: f64) -> bool {
        let listed = |misses: &[&str]| {
            misses
                .iter()
                .any(|m| *m == column || *m == format!("{column}@{x}"))
        };
        match self {
            Results::NotSubnormal(misses) => !subnormal::<T>(want) && !listed(misses),
            Results::Misses(misses) => !subnormal::<T>(want) && listed(misses),
            Results::Subnormal => subnormal::<T>(want),
        }
    }
}

/// Checks every grid point of every parameter set of `builtin` in `T`.
fn check<T: Real + Limits + FromStr + std::fmt::Debug>(ty: &str, builtin: &str, results: Results) {
    let mut failures = Vec::new();
    let points: Vec<Point> = parse(ty)
        .into_iter()
        .filter(|p| {
            let base = p.activation.split('(').next().unwrap_or_default();
            // `gelu(approximate=tanh)` is its own built-in; other parentheses hold values.
            if builtin.contains('(') {
                p.activation.starts_with(builtin)
            } else {
                base == builtin && !p.activation.contains("approximate")
            }
        })
        .collect();
    assert!(!points.is_empty(), "no grid points for {builtin}");
    let mut seen = Vec::new();
    for p in &points {
        let a: Builtin<T> = p
            .activation
            .parse()
            .unwrap_or_else(|e| panic!("{}: {e}", p.activation));
        let x = T::from_f64(p.x);
        for (index, (column, want)) in p.expected.iter().enumerate() {
            let Some(want) = *want else { continue };
            if !results.selects::<T>(column, p.x, want) {
                continue;
            }
            let got = match column.as_str() {
                "forward" => a.forward(x),
                "derivative" => a.derivative(x),
                "second_derivative" => a.second_derivative(x),
                _ => a.param_derivative(index - 3, x),
            }
            .to_f64();
            let target = if index == 0 { 4.0 } else { 8.0 };
            let ok = if want == 0.0 || want.is_infinite() {
                got == want
            } else {
                (got - want).abs() <= target * ulp::<T>(want)
            };
            if !ok {
                failures.push(format!(
                    "{} {column} at x = {:?}: got {got:?}, want {want:?}",
                    p.activation, x
                ));
            }
        }
        if !matches!(results, Results::NotSubnormal(_)) {
            continue;
        }
        let (y, dy) = a.forward_and_derivative(x);
        let same = |u: T, v: T| u.to_f64().to_bits() == v.to_f64().to_bits();
        if !(same(y, a.forward(x)) && same(dy, a.derivative(x))) {
            failures.push(format!("{} forward_and_derivative({x:?})", p.activation));
        }
        if !seen.contains(&p.activation) {
            seen.push(p.activation.clone());
            for nan in [T::from_f64(f64::NAN), -T::from_f64(f64::NAN)] {
                let mut all = vec![a.forward(nan), a.derivative(nan), a.second_derivative(nan)];
                all.extend((0..a.info().params.len()).map(|i| a.param_derivative(i, nan)));
                if !all.iter().all(|v| v.is_nan()) {
                    failures.push(format!("{}: not NaN at NaN: {all:?}", p.activation));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{builtin} in {ty}: {} failures\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// One module per built-in: a test per type, an ignored test per type for known misses
/// (`f32 misses ["column", "column@x"] = "reason with the measured figure"`), and a test
/// per type for results that are nonzero subnormals, ignored where they are known misses
/// (`f32 subnormal misses = "reason"`).
macro_rules! grid {
    ($(
        $module:ident: $name:literal
            $(, f32 misses [$($c32:literal),+] = $r32:literal)?
            $(, f64 misses [$($c64:literal),+] = $r64:literal)?
            $(, f32 subnormal misses = $s32:literal)?
            $(, f64 subnormal misses = $s64:literal)?;
    )*) => {$(
        mod $module {
            use super::*;

            #[test]
            fn f32() {
                check::<f32>("f32", $name, Results::NotSubnormal(&[$($($c32),+)?]));
            }

            #[test]
            fn f64() {
                check::<f64>("f64", $name, Results::NotSubnormal(&[$($($c64),+)?]));
            }

            $(
                #[test]
                #[ignore = $r32]
                fn f32_misses() {
                    check::<f32>("f32", $name, Results::Misses(&[$($c32),+]));
                }
            )?

            $(
                #[test]
                #[ignore = $r64]
                fn f64_misses() {
                    check::<f64>("f64", $name, Results::Misses(&[$($c64),+]));
                }
            )?

            #[test]
            $(#[ignore = $s32])?
            fn f32_subnormal_results() {
                check::<f32>("f32", $name, Results::Subnormal);
            }

            #[test]
            $(#[ignore = $s64])?
            fn f64_subnormal_results() {
                check::<f64>("f64", $name, Results::Subnormal);
            }
        }
    )*};
}

// Known misses would be listed per built-in, as in tests/accuracy.rs; none is left.
grid! {
    relu: "relu";
    relu6: "relu6";
    leaky_relu: "leaky_relu";
    prelu: "prelu";
    rrelu: "rrelu";
    elu: "elu";
    selu: "selu";
    celu: "celu";
    gelu: "gelu";
    gelu_tanh: "gelu(approximate=tanh)";
    silu: "silu";
    swish: "swish";
    mish: "mish";
    softplus: "softplus";
    softsign: "softsign";
    tanh: "tanh";
    sigmoid: "sigmoid";
    hardtanh: "hardtanh";
    hardswish: "hardswish";
    hardsigmoid: "hardsigmoid";
    logsigmoid: "logsigmoid";
    tanhshrink: "tanhshrink";
    softshrink: "softshrink";
    hardshrink: "hardshrink";
    threshold: "threshold";
    quick_gelu: "quick_gelu";
    squareplus: "squareplus";
    squared_relu: "squared_relu";
    snake: "snake";
    tanhexp: "tanhexp";
}
