//! The root windows (polynomials that take the place of a formula beside a root of it,
//! where the formula cancels) apply only where they were fitted: at the parameter
//! values they were fitted for, or at any value of a parameter the function is
//! checked to scale with (`p^k · g(p·x)`), and never in place of a branch the
//! formula takes. `if x > 20 { x } else { x * sigmoid(b * x) }` passed that check
//! once, because it was made at points within ±3.7, and its windows in `b·x` replaced
//! the branch `x`: f'(25.6) was -3.3e-4 at b = -0.05, where it is 1. And a root that
//! falls on the refine pass's scan grid gets its window.

use actdiff::prelude::*;

activation! {
    Above(x; learn b = 1) = if x > 20 { x } else { x * sigmoid(b * x) };
    Below(x; learn b = 1) = if x < -20 { 0.1 * x } else { x * sigmoid(b * x) };
}

/// `(b, x, f'(x))` where the branch decides the derivative: 1 above 20, 0.1 below -20.
const BRANCHES: [(f64, f64, f64); 4] = [
    (-0.05, 25.6, 1.0),
    (0.05, -25.6, 0.1),
    (0.05, -25.5, 0.1),
    (-0.05, 25.5, 1.0),
];

#[test]
fn the_branch_decides_the_derivative_at_any_parameter() {
    for (b, x, expected) in BRANCHES {
        let (generated32, generated64) = if expected == 1.0 {
            (
                Above::<f32>::new(b as f32).derivative(x as f32),
                Above::<f64>::new(b).derivative(x),
            )
        } else {
            (
                Below::<f32>::new(b as f32).derivative(x as f32),
                Below::<f64>::new(b).derivative(x),
            )
        };
        assert_eq!(generated32, expected as f32, "f32 at b = {b}, x = {x}");
        assert_eq!(generated64, expected, "f64 at b = {b}, x = {x}");
    }
}

#[test]
fn run_time_definitions_too() {
    let above =
        Dynamic::parse("Above(x; learn b = 1) = if x > 20 { x } else { x * sigmoid(b * x) }")
            .expect("valid");
    let below = Dynamic::parse(
        "Below(x; learn b = 1) = if x < -20 { 0.1 * x } else { x * sigmoid(b * x) }",
    )
    .expect("valid");
    for (b, x, expected) in BRANCHES {
        let f = if expected == 1.0 { &above } else { &below };
        let f = f.clone().with_params(&[b]).expect("b is unconstrained");
        assert_eq!(
            Activation::<f64>::derivative(&f, x),
            expected,
            "f64 at b = {b}, x = {x}"
        );
        assert_eq!(
            Activation::<f32>::derivative(&f, x as f32),
            expected as f32,
            "f32 at b = {b}, x = {x}"
        );
    }
}

activation! {
    XErf(x) = x * erf(x);
}

/// `(4/√π)(1 - x²)e^{-x²}`, x·erf(x)'s f'', with `1 - x²` as `(1 - x)(1 + x)`, which
/// does not cancel near 1: within 3 ULP with std's `exp`.
fn xerf_second(x: f64) -> f64 {
    4.0 / std::f64::consts::PI.sqrt() * ((1.0 - x) * (1.0 + x)) * (-x * x).exp()
}

#[test]
fn a_root_on_the_scan_grid_has_its_window() {
    // f'' is 0 at x = ±1, points of the refine pass's scan grid, and was 500 ULP off
    // beside them (x = 0.99883) before the scan found roots there.
    for k in (8..=400).chain(-400..=-8) {
        for x0 in [1.0, -1.0] {
            let x = x0 + f64::from(k) * 1.3e-4;
            let (got, want) = (XErf.second_derivative(x), xerf_second(x));
            let ulps = (got - want).abs() / (f64::EPSILON * want.abs());
            assert!(ulps <= 8.0, "at {x}: {got:e} against {want:e}, {ulps} ULP");
        }
    }
}
