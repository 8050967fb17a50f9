//! Accuracy of actdiff's math functions and built-in activations, in f32 and f64, against
//! the mpmath oracle in `tests/oracle/` (see `tests/common/oracle.rs` for the metric).
//!
//! Targets: exp, expm1, ln, log1p, tanh, sigmoid, softplus within 2 ULP; erf, erfc, sin, cos
//! within 4 ULP; every activation's forward within 4 ULP; derivatives, second derivatives
//! and parameter derivatives within 8 ULP. One test per (function, type), so a failure names
//! what failed; each prints its maximum error (`cargo test --release --test accuracy --
//! --nocapture`), in the format of `peers/torch_ulp.py`.

#[path = "common/oracle.rs"]
mod oracle;

use actdiff::prelude::*;
use oracle::{load, near_root, round_to_f32, Case, Table};

/// Maximum error of the tight math functions.
const MATH_TIGHT: f64 = 2.0;
/// Maximum error of erf, erfc, sin and cos.
const MATH_LOOSE: f64 = 4.0;
/// Maximum error of an activation's forward function.
const FORWARD: f64 = 4.0;
/// Maximum error of derivatives of every order and of parameter derivatives.
const DERIVATIVE: f64 = 8.0;

/// The two types under test, as the metric sees them.
trait Float: Copy + std::fmt::Debug + PartialEq {
    const NAME: &'static str;
    fn from_f64(x: f64) -> Self;
    /// The correctly rounded value of `case`.
    fn want(case: &Case) -> Self;
    fn error(self, case: &Case, roots: &[f64]) -> f64;
    fn same_bits(self, other: Self) -> bool;
}

impl Float for f32 {
    const NAME: &'static str = "f32";
    fn from_f64(x: f64) -> Self {
        x as f32
    }
    fn want(case: &Case) -> Self {
        round_to_f32(case.hi, case.lo)
    }
    fn error(self, case: &Case, roots: &[f64]) -> f64 {
        oracle::ulp_error_f32(self, case, roots)
    }
    fn same_bits(self, other: Self) -> bool {
        self.to_bits() == other.to_bits()
    }
}

impl Float for f64 {
    const NAME: &'static str = "f64";
    fn from_f64(x: f64) -> Self {
        x
    }
    fn want(case: &Case) -> Self {
        case.hi
    }
    fn error(self, case: &Case, roots: &[f64]) -> f64 {
        oracle::ulp_error_f64(self, case, roots)
    }
    fn same_bits(self, other: Self) -> bool {
        self.to_bits() == other.to_bits()
    }
}

/// The point of largest error in a table.
struct Worst<T> {
    err: f64,
    x: T,
    got: T,
    want: T,
    near_root: bool,
}

fn worst<T: Float>(table: &Table, f: &impl Fn(T) -> T) -> Worst<T> {
    let mut worst: Option<Worst<T>> = None;
    for case in &table.cases {
        let x = T::from_f64(case.x);
        let got = f(x);
        let err = got.error(case, &table.roots);
        if worst.as_ref().is_none_or(|w| err > w.err || err.is_nan()) {
            let near_root = near_root(case.x, &table.roots);
            worst = Some(Worst {
                err,
                x,
                got,
                want: T::want(case),
                near_root,
            });
        }
    }
    worst.expect("oracle tables are never empty")
}

/// Measures `f` on the table `file` and asserts the maximum error is within `target`.
fn check<T: Float>(file: &str, label: &str, target: f64, f: impl Fn(T) -> T) {
    let table = load(file);
    let w = worst(&table, &f);
    let unit = if w.near_root {
        "ULP (absolute error / EPSILON near a root)"
    } else {
        "ULP"
    };
    let err = format_ulps(w.err);
    println!(
        "actdiff {} {label} max {err} {unit} at x={:?} (n={})",
        T::NAME,
        w.x,
        table.cases.len()
    );
    assert!(
        w.err <= target,
        "actdiff {} {label}: max error {err} {unit} exceeds the target {target} ULP, at x = {:?}: got {:?}, want {:?}",
        T::NAME,
        w.x,
        w.got,
        w.want,
    );
}

/// One decimal for readable errors, scientific notation for huge ones.
fn format_ulps(err: f64) -> String {
    if err < 1e5 {
        format!("{err:.1}")
    } else {
        format!("{err:.2e}")
    }
}

/// Asserts `forward_and_derivative(x)` is bit for bit `(forward(x), derivative(x))` at every
/// point of the activation's tables.
fn check_fused<T: Float>(
    file: &str,
    label: &str,
    fused: impl Fn(T) -> (T, T),
    forward: impl Fn(T) -> T,
    derivative: impl Fn(T) -> T,
) {
    let table = load(file);
    let mismatches: Vec<_> = table
        .cases
        .iter()
        .map(|case| T::from_f64(case.x))
        .filter_map(|x| {
            let (y, dy) = fused(x);
            let separate = (forward(x), derivative(x));
            (!(y.same_bits(separate.0) && dy.same_bits(separate.1))).then_some((
                x,
                (y, dy),
                separate,
            ))
        })
        .collect();
    println!(
        "actdiff {} {label} forward_and_derivative differs from (forward, derivative) at {} of {} points",
        T::NAME,
        mismatches.len(),
        table.cases.len()
    );
    if let Some((x, fused, separate)) = mismatches.first() {
        panic!(
            "actdiff {} {label}: forward_and_derivative({x:?}) = {fused:?} but (forward, derivative) = {separate:?} ({} points differ)",
            T::NAME,
            mismatches.len()
        );
    }
}

/// One `#[test]` per line: `name: type, "table", "label", target, function;`.
macro_rules! accuracy {
    ($($test:ident: $ty:ty, $file:expr, $label:expr, $target:expr, $f:expr;)*) => {
        $(
            #[test]
            fn $test() {
                check::<$ty>($file, $label, $target, $f);
            }
        )*
    };
}

mod math_f32 {
    use super::*;
    use actdiff::math::f32 as m;

    accuracy! {
        exp: f32, "exp", "exp", MATH_TIGHT, m::exp;
        expm1: f32, "expm1", "expm1", MATH_TIGHT, m::expm1;
        ln: f32, "ln", "ln", MATH_TIGHT, m::ln;
        log1p: f32, "log1p", "log1p", MATH_TIGHT, m::log1p;
        tanh: f32, "tanh", "tanh", MATH_TIGHT, m::tanh;
        sigmoid: f32, "sigmoid", "sigmoid", MATH_TIGHT, m::sigmoid;
        softplus: f32, "softplus", "softplus", MATH_TIGHT, m::softplus;
        erf: f32, "erf", "erf", MATH_LOOSE, m::erf;
        erfc: f32, "erfc", "erfc", MATH_LOOSE, m::erfc;
        sin: f32, "sin", "sin", MATH_LOOSE, m::sin;
        cos: f32, "cos", "cos", MATH_LOOSE, m::cos;
    }
}

mod math_f64 {
    use super::*;
    use actdiff::math::f64 as m;

    accuracy! {
        exp: f64, "exp", "exp", MATH_TIGHT, m::exp;
        expm1: f64, "expm1", "expm1", MATH_TIGHT, m::expm1;
        ln: f64, "ln", "ln", MATH_TIGHT, m::ln;
        log1p: f64, "log1p", "log1p", MATH_TIGHT, m::log1p;
        tanh: f64, "tanh", "tanh", MATH_TIGHT, m::tanh;
        sigmoid: f64, "sigmoid", "sigmoid", MATH_TIGHT, m::sigmoid;
        softplus: f64, "softplus", "softplus", MATH_TIGHT, m::softplus;
        erf: f64, "erf", "erf", MATH_LOOSE, m::erf;
        erfc: f64, "erfc", "erfc", MATH_LOOSE, m::erfc;
        sin: f64, "sin", "sin", MATH_LOOSE, m::sin;
        cos: f64, "cos", "cos", MATH_LOOSE, m::cos;
    }
}

/// The tests of one activation in one type: forward, derivatives, parameter derivatives,
/// and the fused forward_and_derivative. `$table` prefixes the oracle file names.
macro_rules! activation_tests {
    ($module:ident, $ty:ty, $label:expr, $table:expr, $act:expr, {
        $($(#[$attr:meta])* $test:ident: $quantity:expr, $target:expr, |$a:ident, $x:ident| $body:expr;)*
    }) => {
        mod $module {
            use super::*;

            $(
                $(#[$attr])*
                #[test]
                fn $test() {
                    let $a = $act;
                    check::<$ty>(
                        concat!($table, ".", $quantity),
                        concat!($label, " ", $quantity),
                        $target,
                        |$x| $body,
                    );
                }
            )*

            #[test]
            fn forward_and_derivative() {
                let act = $act;
                check_fused::<$ty>(
                    concat!($table, ".forward"),
                    $label,
                    |x| act.forward_and_derivative(x),
                    |x| act.forward(x),
                    |x| act.derivative(x),
                );
            }
        }
    };
}

macro_rules! activation_both_types {
    ($name:ident, $label:expr, $table32:expr, $table64:expr, $act32:expr, $act64:expr, $tests:tt) => {
        mod $name {
            use super::*;
            activation_tests!(in_f32, f32, $label, $table32, $act32, $tests);
            activation_tests!(in_f64, f64, $label, $table64, $act64, $tests);
        }
    };
}

// Issue 3 (numerics) owns these targets and they are not met yet: the derivatives
// cancel near their roots (~860 ULP a few 1e-3 from x0 = -1.1924) and the forward
// underflows to 0 where the true value is subnormal (x < -104 in f32). The tests run
// with `cargo test --test accuracy -- --ignored` and must pass once issue 3 lands.
activation_both_types!(mish, "mish", "mish", "mish", Mish, Mish, {
    #[ignore = "issue 3: mish forward underflows where the result is subnormal"]
    forward: "forward", FORWARD, |a, x| a.forward(x);
    #[ignore = "issue 3: mish' cancels near its root x0 = -1.1924"]
    derivative: "derivative", DERIVATIVE, |a, x| a.derivative(x);
    #[ignore = "issue 3: mish'' cancels near its roots"]
    second_derivative: "second_derivative", DERIVATIVE, |a, x| a.second_derivative(x);
});

activation_both_types!(relu, "relu", "relu", "relu", Relu, Relu, {
    forward: "forward", FORWARD, |a, x| a.forward(x);
    derivative: "derivative", DERIVATIVE, |a, x| a.derivative(x);
    second_derivative: "second_derivative", DERIVATIVE, |a, x| a.second_derivative(x);
});

// The slope enters linearly, so each type is measured against its own rounding of 0.01.
activation_both_types!(
    leaky_relu,
    "leaky_relu",
    "leaky_relu.f32",
    "leaky_relu.f64",
    LeakyRelu::<f32>::default(),
    LeakyRelu::<f64>::default(),
    {
        forward: "forward", FORWARD, |a, x| a.forward(x);
        derivative: "derivative", DERIVATIVE, |a, x| a.derivative(x);
        second_derivative: "second_derivative", DERIVATIVE, |a, x| a.second_derivative(x);
    }
);

activation_both_types!(prelu, "prelu", "prelu", "prelu", Prelu::<f32>::default(), Prelu::<f64>::default(), {
    forward: "forward", FORWARD, |a, x| a.forward(x);
    derivative: "derivative", DERIVATIVE, |a, x| a.derivative(x);
    second_derivative: "second_derivative", DERIVATIVE, |a, x| a.second_derivative(x);
    param_derivative: "param_derivative", DERIVATIVE, |a, x| a.param_derivative(0, x);
});

#[test]
fn oracle_tables_agree_on_points() {
    // forward_and_derivative is compared at the forward table's points; the derivative
    // tables of each activation must hold the same points for that to cover them.
    for (forward, others) in [
        (
            "mish.forward",
            &["mish.derivative", "mish.second_derivative"][..],
        ),
        (
            "relu.forward",
            &["relu.derivative", "relu.second_derivative"],
        ),
        (
            "leaky_relu.f32.forward",
            &["leaky_relu.f32.derivative", "leaky_relu.f64.forward"],
        ),
        (
            "prelu.forward",
            &["prelu.derivative", "prelu.param_derivative"],
        ),
    ] {
        let xs: Vec<u64> = load(forward).cases.iter().map(|c| c.x.to_bits()).collect();
        for other in others {
            let ys: Vec<u64> = load(other).cases.iter().map(|c| c.x.to_bits()).collect();
            assert_eq!(xs, ys, "{forward} and {other} hold different points");
        }
    }
}
