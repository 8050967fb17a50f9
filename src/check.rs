//! `actdiff check`: an activation's values at special inputs, its derivatives
//! against finite differences, `f32` against `f64`, and NaN leaks, as a table with a
//! verdict per row.

use crate::target::Target;
use actdiff::{Activation, Real};
use std::fmt::Write;

/// Largest accepted `|f' - d|/max(1, |d|)` for a finite difference `d` (fourth
/// order, step `1e-3·max(1, |x|)`, whose own error is about `1e-10` on smooth pieces).
pub const DIFFERENCE_LIMIT: f64 = 1e-6;

/// Largest accepted `|v32 - v64|/max(1, |v64|)`: 128 `f32` epsilons.
pub const SINGLE_LIMIT: f64 = 128.0 * f32::EPSILON as f64;

/// The result of `check`: the report to print and whether every row passed.
pub struct Report {
    /// The tables, ready to print.
    pub text: String,
    /// How many rows failed.
    pub failures: usize,
}

/// One input of the special-value table, in both precisions.
struct Special {
    label: String,
    single: f32,
    double: f64,
}

fn special(label: &str, single: f32, double: f64) -> Special {
    Special {
        label: label.to_string(),
        single,
        double,
    }
}

/// The special inputs: NaN, the infinities, the extremes of each type, huge and
/// tiny values, signed zeros, and the branch points.
fn specials(branch_points: &[f64]) -> Vec<Special> {
    let tiny32 = f32::from_bits(1);
    let tiny64 = f64::from_bits(1);
    let mut rows = vec![
        special("NaN", f32::NAN, f64::NAN),
        special("-inf", f32::NEG_INFINITY, f64::NEG_INFINITY),
        special("-MAX", f32::MIN, f64::MIN),
        special("-1e30", -1e30, -1e30),
        special("-1", -1.0, -1.0),
        special("-subnormal", -tiny32, -tiny64),
        special("-0", -0.0, -0.0),
        special("0", 0.0, 0.0),
        special("subnormal", tiny32, tiny64),
        special("1", 1.0, 1.0),
        special("1e30", 1e30, 1e30),
        special("MAX", f32::MAX, f64::MAX),
        special("inf", f32::INFINITY, f64::INFINITY),
    ];
    for &b in branch_points {
        if !matches!(b, -1.0 | 0.0 | 1.0) {
            rows.push(special(&format!("branch {b}"), b as f32, b));
        }
    }
    rows
}

/// `f`, `f'` and `f''` of `a` at `x`.
fn values<T: Real>(a: &dyn Activation<T>, x: T) -> [T; 3] {
    [a.forward(x), a.derivative(x), a.second_derivative(x)]
}

/// The points of the finite-difference and precision rows: a fine grid over
/// [-20, 20], offset from the round numbers where kinks sit, and a geometric one
/// out to ±2^20, each exactly representable in `f32`.
fn sample_points() -> Vec<f64> {
    let mut points: Vec<f64> = (-160..160)
        .map(|k| f64::from(k) / 8.0 + 1.0 / 64.0)
        .collect();
    for e in -20..=40 {
        let v = (f64::from(e) / 2.0).exp2() * 1.0625;
        points.extend([v, -v]);
    }
    points.into_iter().map(|x| f64::from(x as f32)).collect()
}

/// Fourth-order central difference of `f` at `x` with step `h`.
fn central_difference(f: impl Fn(f64) -> f64, x: f64, h: f64) -> f64 {
    (f(x - 2.0 * h) - 8.0 * f(x - h) + 8.0 * f(x + h) - f(x + 2.0 * h)) / (12.0 * h)
}

/// The worst disagreement of one row over the points it could be measured at.
#[derive(Default)]
struct Worst {
    measured: usize,
    skipped: usize,
    worst: f64,
    at: f64,
}

impl Worst {
    fn add(&mut self, x: f64, disagreement: f64) {
        self.measured += 1;
        // A NaN disagreement (a NaN derivative) is the worst of all and stays.
        if !self.worst.is_nan() && (disagreement.is_nan() || disagreement > self.worst) {
            self.worst = disagreement;
            self.at = x;
        }
    }

    fn passes(&self, limit: f64) -> bool {
        self.worst <= limit
    }
}

/// `|got - want| / max(1, |want|)`: relative for large values, absolute below 1.
/// Two NaNs agree (the NaN-leak row reports them); one NaN is the worst case, NaN.
fn disagreement(got: f64, want: f64) -> f64 {
    if got == want || (got.is_nan() && want.is_nan()) {
        0.0
    } else {
        (got - want).abs() / want.abs().max(1.0)
    }
}

/// Compares `derivative` with the finite difference of `of` at `t` (the input, or a
/// parameter's value) and records it at the input `x`. The difference is an oracle
/// only where its stencil stays in one smooth piece (`pattern` gives the branches
/// taken at each step) and two step sizes agree with each other; elsewhere the
/// point is skipped.
fn against_difference(
    worst: &mut Worst,
    x: f64,
    t: f64,
    of: impl Fn(f64) -> f64,
    derivative: f64,
    pattern: impl Fn(f64) -> Option<Vec<bool>>,
) {
    let h = 1e-3 * t.abs().max(1.0);
    let center = pattern(t);
    if center.is_none()
        || [-2.0, -1.0, -0.5, 0.5, 1.0, 2.0]
            .iter()
            .any(|s| pattern(t + s * h) != center)
    {
        worst.skipped += 1;
        return;
    }
    let d = central_difference(&of, t, h);
    let d_half = central_difference(&of, t, h / 2.0);
    if !d.is_finite() || disagreement(d_half, d) > DIFFERENCE_LIMIT / 10.0 {
        worst.skipped += 1;
        return;
    }
    worst.add(x, disagreement(derivative, d));
}

/// A value in a table cell: fixed-point where that is readable, else scientific.
fn cell(v: f64) -> String {
    if !v.is_finite() || (v.fract() == 0.0 && v.abs() < 1e5) {
        format!("{v}")
    } else if (1e-3..1e5).contains(&v.abs()) {
        format!("{v:.6}")
    } else {
        format!("{v:.4e}")
    }
}

/// One row of the agreement table: what is compared, the worst disagreement, and
/// the limit it must stay within.
struct Row {
    name: String,
    worst: Worst,
    limit: f64,
}

/// Renders the special-value table into `out` and returns how many rows failed.
fn special_values(out: &mut String, target: &Target, branch_points: &[f64]) -> usize {
    let (single, double) = (target.single(), target.double());
    let mut failures = 0;
    let _ = writeln!(out, "\nspecial values");
    let _ = writeln!(
        out,
        "  {:<14} {:>12} {:>12} {:>12} | {:>12} {:>12} {:>12}  result",
        "x", "f32 f", "f32 f'", "f32 f''", "f64 f", "f64 f'", "f64 f''"
    );
    for row in specials(branch_points) {
        let v32 = values(single, row.single).map(f64::from);
        let v64 = values(double, row.double);
        let nan_in = row.double.is_nan();
        let nans = v32.iter().chain(&v64).filter(|v| v.is_nan()).count();
        // An oscillating formula has no limit at ±inf, and says so with NaN.
        let no_limit = row.double.is_infinite() && double.oscillates_toward(row.double);
        let verdict = if nan_in && nans < 6 {
            "FAIL: NaN input, non-NaN output"
        } else if !nan_in && nans > 0 && no_limit {
            "ok (oscillates: no limit)"
        } else if !nan_in && nans > 0 {
            "FAIL: NaN leak"
        } else {
            "ok"
        };
        if verdict.starts_with("FAIL") {
            failures += 1;
        }
        let cells: Vec<String> = v32.iter().chain(&v64).map(|&v| cell(v)).collect();
        let _ = writeln!(
            out,
            "  {:<14} {:>12} {:>12} {:>12} | {:>12} {:>12} {:>12}  {verdict}",
            row.label, cells[0], cells[1], cells[2], cells[3], cells[4], cells[5],
        );
    }
    failures
}

/// f' and f'' against differences of f and f', and each ∂f/∂p against a
/// difference in its parameter, at `points`.
fn difference_rows(target: &Target, points: &[f64]) -> Vec<Row> {
    let double = target.double();
    let (mut first, mut second) = (Worst::default(), Worst::default());
    let pattern = |t: f64| Some(target.pattern(t));
    for &x in points {
        let d1 = double.derivative(x);
        let d2 = double.second_derivative(x);
        against_difference(&mut first, x, x, |t| double.forward(t), d1, pattern);
        against_difference(&mut second, x, x, |t| double.derivative(t), d2, pattern);
    }
    let mut rows = vec![
        Row {
            name: "f' vs difference of f".to_string(),
            worst: first,
            limit: DIFFERENCE_LIMIT,
        },
        Row {
            name: "f'' vs difference of f'".to_string(),
            worst: second,
            limit: DIFFERENCE_LIMIT,
        },
    ];
    for (i, p) in double.info().params.iter().enumerate() {
        let mut worst = Worst::default();
        let value = target.params()[i];
        let at = |v: f64| target.with_param(i, v).ok();
        for &x in points {
            let of = |v: f64| at(v).map_or(f64::NAN, |t| t.double().forward(x));
            let pattern = |v: f64| at(v).map(|t| t.pattern(x));
            let d = double.param_derivative(i, x);
            against_difference(&mut worst, x, value, of, d, pattern);
        }
        rows.push(Row {
            name: format!("∂f/∂{} vs difference in {}", p.name, p.name),
            worst,
            limit: DIFFERENCE_LIMIT,
        });
    }
    rows
}

/// f, f' and f'' in f32 against f64 at `points`.
fn precision_rows(target: &Target, points: &[f64]) -> Vec<Row> {
    let (single, double) = (target.single(), target.double());
    ["f", "f'", "f''"]
        .iter()
        .enumerate()
        .map(|(k, name)| {
            let mut worst = Worst::default();
            for &x in points {
                let v64 = values(double, x)[k];
                let v32 = f64::from(values(single, x as f32)[k]);
                // Beyond f32's range an overflow to ±inf is the right answer.
                if v64.abs() > f64::from(f32::MAX) {
                    worst.skipped += 1;
                    continue;
                }
                worst.add(x, disagreement(v32, v64));
            }
            Row {
                name: format!("{name} in f32 vs f64"),
                worst,
                limit: SINGLE_LIMIT,
            }
        })
        .collect()
}

/// Runs every check on `target` and renders the tables.
pub fn check(target: &Target) -> Report {
    let mut out = String::new();
    let info = target.info();
    let branch_points = target.branch_points(f64::MIN, f64::MAX);
    let _ = writeln!(out, "check {}", target.label());
    let _ = writeln!(out, "  f(x)   = {}", info.formula);
    let _ = writeln!(out, "  f'(x)  = {}", info.derivative);
    let _ = writeln!(out, "  f''(x) = {}", info.second_derivative);
    let listed: Vec<String> = branch_points.iter().map(|b| b.to_string()).collect();
    let _ = writeln!(
        out,
        "  branch points (kinks, thresholds, switches of form): {}",
        if listed.is_empty() {
            "none".to_string()
        } else {
            listed.join(", ")
        }
    );
    let mut failures = special_values(&mut out, target, &branch_points);

    let points = sample_points();
    let _ = writeln!(
        out,
        "\nagreement at {} points in [-20, 20] and out to ±2^20 (finite differences: f64, fourth order; \
         skipped where the stencil crosses a branch point or two steps disagree)",
        points.len()
    );
    let _ = writeln!(
        out,
        "  {:<40} {:>8} {:>8} {:>12} {:>12} {:>8}  result",
        "row", "points", "skipped", "worst", "at x", "limit"
    );
    let rows = difference_rows(target, &points)
        .into_iter()
        .chain(precision_rows(target, &points));
    for row in rows {
        let pass = row.worst.passes(row.limit);
        if !pass {
            failures += 1;
        }
        let _ = writeln!(
            out,
            "  {:<40} {:>8} {:>8} {:>12.3e} {:>12} {:>8.1e}  {}",
            row.name,
            row.worst.measured,
            row.worst.skipped,
            row.worst.worst,
            cell(row.worst.at),
            row.limit,
            if pass { "pass" } else { "FAIL" }
        );
    }

    let leaks: Vec<f64> = points
        .iter()
        .copied()
        .filter(|&x| values(target.double(), x).iter().any(|v| v.is_nan()))
        .collect();
    let _ = writeln!(
        out,
        "\nNaN leaks (NaN from f, f' or f'' for a non-NaN input, f64, at the points above)"
    );
    if leaks.is_empty() {
        let _ = writeln!(out, "  none  pass");
    } else {
        failures += 1;
        let shown: Vec<String> = leaks.iter().take(8).map(|x| x.to_string()).collect();
        let more = if leaks.len() > 8 { ", ..." } else { "" };
        let _ = writeln!(
            out,
            "  {} points: {}{more}  FAIL",
            leaks.len(),
            shown.join(", ")
        );
    }
    let _ = writeln!(
        out,
        "\n{}",
        if failures == 0 {
            "all checks pass".to_string()
        } else {
            format!("{failures} check(s) FAIL")
        }
    );
    Report {
        text: out,
        failures,
    }
}
