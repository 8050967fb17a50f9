//! actdiff's built-ins against PyTorch's golden vectors: forward, derivative and
//! second derivative of every PyTorch activation on a grid of kinks, boundaries,
//! special values and random points (`tests/golden/torch.txt`, made by
//! `tests/golden/gen_torch.py` with PyTorch 2.15).
//!
//! Finite inputs must agree: exactly at kinks up to rounding, within a tolerance
//! elsewhere, since PyTorch itself is off by up to hundreds of ULPs in places. The
//! only differences allowed are the deliberate ones the README lists, and the test
//! counts them by kind:
//! - NaN input: actdiff's results are NaN (PyTorch returns 0 for several derivatives);
//! - infinite input: actdiff returns the limit where PyTorch returns NaN;
//! - PyTorch returns NaN or an infinity for a finite input where the true value is
//!   finite (its formulas overflow), and actdiff's is finite;
//! - the second derivative exactly at a kink: actdiff differentiates the branch its
//!   first derivative takes there (elu'(0) and elu''(0) both from the left), PyTorch's
//!   double backward takes the other one;
//! - PyTorch's f64 hardsigmoid backward uses the f32 value of 1/6 (off by 5e-9);
//!   actdiff's is the f64 one.

/// The kinks where the second derivative may differ, per spec (see above).
const SECOND_DERIVATIVE_KINKS: &[(&str, f64)] = &[
    ("elu", 0.0),
    ("elu(alpha=0.5)", 0.0),
    ("celu", 0.0),
    ("celu(alpha=2)", 0.0),
    ("selu", 0.0),
    ("softplus", 20.0),
    ("softplus(beta=2,threshold=10)", 5.0),
];

use actdiff::prelude::*;
use std::collections::BTreeMap;

struct Row {
    spec: String,
    f64: bool,
    x: f64,
    want: [Option<f64>; 3],
}

fn parse_bits(text: &str, f64: bool) -> Option<f64> {
    if text == "-" {
        return None;
    }
    let bits = u64::from_str_radix(text, 16).expect("hex bits");
    Some(if f64 {
        f64::from_bits(bits)
    } else {
        f64::from(f32::from_bits(bits as u32))
    })
}

fn rows() -> Vec<Row> {
    let text = include_str!("golden/torch.txt");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            let f64 = cols[1] == "f64";
            let x = parse_bits(cols[2], f64).expect("x");
            Row {
                spec: cols[0].to_string(),
                f64,
                x,
                want: [
                    parse_bits(cols[3], f64),
                    parse_bits(cols[4], f64),
                    parse_bits(cols[5], f64),
                ],
            }
        })
        .collect()
}

fn ours<T: Real + std::str::FromStr>(spec: &str, x: f64) -> [f64; 3] {
    let b: Builtin<T> = spec.parse().unwrap_or_else(|e| panic!("{spec}: {e}"));
    let x = T::from_f64(x);
    [
        b.forward(x).to_f64(),
        b.derivative(x).to_f64(),
        b.second_derivative(x).to_f64(),
    ]
}

/// Whether two finite values agree: relative `rel`, or absolute `abs` for values
/// near zero (PyTorch's tails are inaccurate in relative terms).
fn agree(got: f64, want: f64, rel: f64, abs: f64) -> bool {
    got == want
        || (got - want).abs() <= rel * want.abs().max(got.abs())
        || (got - want).abs() <= abs
}

/// Counts a deliberate difference and keeps its first example.
fn note(
    counts: &mut BTreeMap<&'static str, usize>,
    examples: &mut BTreeMap<&'static str, String>,
    kind: &'static str,
    row: &Row,
    k: usize,
    got: f64,
    want: f64,
) {
    *counts.entry(kind).or_default() += 1;
    let dtype = if row.f64 { "f64" } else { "f32" };
    let what = ["f", "f'", "f''"][k];
    examples.entry(kind).or_insert_with(|| {
        format!(
            "{} {dtype} {what}({}): actdiff {got}, PyTorch {want}",
            row.spec, row.x
        )
    });
}

#[test]
fn builtins_match_pytorch() {
    let mut deliberate: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut examples: BTreeMap<&'static str, String> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut compared = 0;
    for row in rows() {
        let got = if row.f64 {
            ours::<f64>(&row.spec, row.x)
        } else {
            ours::<f32>(&row.spec, row.x)
        };
        // Tolerances: PyTorch's own f32 derivatives are off by up to ~740 ULP (its
        // measured maximum, peers/measured-2026-11-27.txt), so 2e-4 relative in f32.
        let (rel, abs) = if row.f64 { (1e-9, 1e-12) } else { (2e-4, 1e-6) };
        for (k, (&g, want)) in got.iter().zip(row.want).enumerate() {
            let Some(w) = want else { continue };
            let what = ["f", "f'", "f''"][k];
            compared += 1;
            if g.is_nan() && w.is_nan() {
                continue;
            }
            if row.x.is_nan() {
                if g.is_nan() {
                    note(
                        &mut deliberate,
                        &mut examples,
                        "NaN input: actdiff NaN, PyTorch a number",
                        &row,
                        k,
                        g,
                        w,
                    );
                    continue;
                }
            } else if row.x.is_infinite() && w.is_nan() && g.is_finite() {
                note(
                    &mut deliberate,
                    &mut examples,
                    "infinite input: actdiff the limit, PyTorch NaN",
                    &row,
                    k,
                    g,
                    w,
                );
                continue;
            } else if !w.is_finite() && g.is_finite() && row.x.is_finite() {
                note(
                    &mut deliberate,
                    &mut examples,
                    "finite input: PyTorch NaN or inf, actdiff finite",
                    &row,
                    k,
                    g,
                    w,
                );
                continue;
            }
            if k == 2 && SECOND_DERIVATIVE_KINKS.contains(&(row.spec.as_str(), row.x.abs())) {
                note(
                    &mut deliberate,
                    &mut examples,
                    "f'' at a kink: actdiff on the branch of f', PyTorch on the other",
                    &row,
                    k,
                    g,
                    w,
                );
                continue;
            }
            if row.spec == "hardsigmoid"
                && row.f64
                && k == 1
                && g == 1.0 / 6.0
                && w == f64::from(1.0f32 / 6.0)
            {
                note(
                    &mut deliberate,
                    &mut examples,
                    "PyTorch f64 hardsigmoid' uses the f32 value of 1/6",
                    &row,
                    k,
                    g,
                    w,
                );
                continue;
            }
            if (g.is_infinite() || w.is_infinite()) && g != w {
                failures.push(format!(
                    "{} {} {what}({}) = {g}, PyTorch {w}",
                    row.spec,
                    if row.f64 { "f64" } else { "f32" },
                    row.x
                ));
                continue;
            }
            if !agree(g, w, rel, abs) {
                failures.push(format!(
                    "{} {} {what}({}) = {g}, PyTorch {w}",
                    row.spec,
                    if row.f64 { "f64" } else { "f32" },
                    row.x
                ));
            }
        }
    }
    println!("compared {compared} values with PyTorch; deliberate differences:");
    for (kind, n) in &deliberate {
        println!("  {n:5}  {kind}   e.g. {}", examples[kind]);
    }
    assert!(compared > 15_000, "{compared}");
    assert!(
        failures.is_empty(),
        "{} disagreements:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
