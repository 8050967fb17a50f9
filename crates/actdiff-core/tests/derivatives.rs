//! Property test of the differentiator: random expressions drawn from the language,
//! their generated first and second derivatives and parameter derivative checked
//! against a high-order finite difference of the interpreter, at random points away
//! from kinks.

use actdiff_core::eval::{branch_pattern, eval};
use actdiff_core::{compile_str, Definition, NodeId};
use proptest::prelude::*;

#[path = "common/templates.rs"]
mod templates;
use templates::grow;

/// Smooth one-argument forms; `{}` is the argument. Arguments of `ln`, `sqrt`, `pow`
/// and divisions are kept positive so that most draws are defined.
const UNARY: &[&str] = &[
    "exp({})",
    "expm1({})",
    "ln(1 + {} * {})",
    "log1p({} * {})",
    "sqrt(2 + sin({}))",
    "tanh({})",
    "sech2({})",
    "sigmoid({})",
    "softplus({})",
    "erf({})",
    "erfc({})",
    "sin({})",
    "cos({})",
    "abs({})",
    "powi({}, 2)",
    "powi({}, 3)",
    "pow(1.5 + cos({}), 1.7)",
    "-{}",
    "clamp({}, -1, 1)",
];

/// Two-argument forms.
const BINARY: &[&str] = &[
    "({} + {})",
    "({} - {})",
    "({} * {})",
    "({} / (2 + tanh({})))",
    "max({}, {})",
    "min({}, {})",
    "pow(1 + {} * {}, 0.5 + sigmoid({}))",
    "if {} > 0.3 { {} } else { {} }",
    "{ let u# = {}; u# * sigmoid(u#) + {} }",
];

fn expression() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        3 => Just("x".to_string()),
        1 => Just("a".to_string()),
        1 => (-2.0f64..2.0).prop_map(|c| format!("{c:.3}")),
    ];
    grow(leaf.boxed(), UNARY, BINARY, 5, 40)
}

/// Eighth-order central difference of `f` at `x` with step `h`.
fn central_difference(f: impl Fn(f64) -> f64, x: f64, h: f64) -> f64 {
    const W: [f64; 4] = [4.0 / 5.0, -1.0 / 5.0, 4.0 / 105.0, -1.0 / 280.0];
    W.iter()
        .enumerate()
        .map(|(k, w)| {
            let s = (k + 1) as f64 * h;
            w * (f(x + s) - f(x - s))
        })
        .sum::<f64>()
        / h
}

/// Checks `d` against the finite difference of `f`, or returns `None` when the
/// difference is not a trustworthy oracle there (a kink inside the stencil, a value
/// out of range, or two step sizes that disagree with each other).
fn check(
    def: &Definition,
    of: NodeId,
    d: NodeId,
    along: impl Fn(f64) -> (f64, [f64; 1]),
    t: f64,
) -> Option<Result<(), String>> {
    let g = &def.graph;
    let h = 1e-2;
    let roots = [def.forward, def.derivative, def.second_derivative, of, d];
    let (x0, p0) = along(t);
    let pattern = branch_pattern(g, &roots, x0, &p0);
    for k in -8..=8 {
        let (x, p) = along(t + f64::from(k) * h / 2.0);
        if branch_pattern(g, &roots, x, &p) != pattern {
            return None;
        }
    }
    let f = |s: f64| {
        let (x, p) = along(s);
        eval(g, of, x, &p)
    };
    let fd = central_difference(f, t, h);
    let fd_half = central_difference(f, t, h / 2.0);
    let got = eval(g, d, x0, &p0);
    if !fd.is_finite() || !got.is_finite() || fd.abs() > 1e6 {
        return None;
    }
    let tol = 1e-6 * (1.0 + fd.abs());
    if (fd - fd_half).abs() > tol / 10.0 {
        return None;
    }
    if (got - fd).abs() <= tol {
        Some(Ok(()))
    } else {
        Some(Err(format!("got {got}, finite difference {fd} at t = {t}")))
    }
}

/// Whether a compile error is one `check.rs` makes by design, not a failure of the
/// compiler: a body that does not depend on `x`, or a number (a literal, or one folded
/// from literals, as `exp(powi(-1.799, 3) ^ 3)` = 1.9e-86) that does not fit `f32`.
fn refused_by_design(message: &str) -> bool {
    const REFUSALS: [&str; 3] = [
        "does not depend on its input",
        "rounds to 0 in f32",
        "is out of range for f32",
    ];
    REFUSALS.iter().any(|r| message.contains(r))
}

/// The case CI drew (a constant body whose folded value rounds to 0 in f32) and a
/// body that uses `x` with such a constant are both refusals by design; a body with
/// an unknown function is not.
#[test]
fn refusals_by_design_are_told_from_failures() {
    let refused = |body: &str| match compile_str(&format!("F(x; a = 0.5) = {body};")) {
        Ok(_) => panic!("{body} compiled"),
        Err(e) => e.items.iter().all(|d| refused_by_design(&d.message)),
    };
    assert!(refused("exp(powi(powi(-1.799, 3), 3))"));
    assert!(refused("x * exp(powi(powi(-1.799, 3), 3))"));
    assert!(refused("x + exp(powi(powi(1.9, 3), 3))"));
    assert!(!refused("x + frobnicate(x)"));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, max_global_rejects: 100_000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn derivatives_match_finite_differences(
        body in expression(),
        t in -3.0f64..3.0,
        a in -1.5f64..1.5,
    ) {
        let src = format!("F(x; a = 0.5) = {body};");
        let defs = match compile_str(&src) {
            Ok(defs) => defs,
            Err(e) if e.items.iter().all(|d| refused_by_design(&d.message)) => {
                return Err(TestCaseError::reject("refused by design"));
            }
            Err(e) => return Err(TestCaseError::fail(format!("{src}\n{e}"))),
        };
        let def = &defs[0];
        let cases = [
            ("f'", def.forward, def.derivative, true),
            ("f''", def.derivative, def.second_derivative, true),
            ("df/da", def.forward, def.param_derivatives[0], false),
        ];
        let mut checked = 0;
        for (what, of, d, wrt_x) in cases {
            let result = if wrt_x {
                check(def, of, d, |s| (s, [a]), t)
            } else {
                check(def, of, d, |s| (t, [s]), a)
            };
            match result {
                Some(Ok(())) => checked += 1,
                Some(Err(msg)) => return Err(TestCaseError::fail(format!("{what} of {src}: {msg}"))),
                None => {}
            }
        }
        prop_assume!(checked > 0);
    }
}
