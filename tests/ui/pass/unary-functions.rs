//! Every one-argument function of the language, with its derivative checked
//! against the textbook formula; fourteen definitions in one invocation.

use actdiff::prelude::*;

activation! {
    pub Exp(x) = exp(x);
    pub Expm1(x) = expm1(x);
    pub Ln(x) = ln(x);
    pub Log1p(x) = log1p(x);
    pub Sqrt(x) = sqrt(x);
    pub Tanh(x) = tanh(x);
    pub Sigmoid(x) = sigmoid(x);
    pub Softplus(x) = softplus(x);
    pub Erf(x) = erf(x);
    pub Erfc(x) = erfc(x);
    pub Gauss(x) = gauss(x);
    pub Sin(x) = sin(x);
    pub Cos(x) = cos(x);
    pub Abs(x) = abs(x);
}

#[track_caller]
fn close(got: f64, want: f64) {
    let tol = 1e-14 * want.abs().max(1.0);
    assert!((got - want).abs() <= tol, "got {got}, want {want}");
}

/// Checks `f` and `f'` against reference functions at a few points of the domain.
#[track_caller]
fn check(
    f: impl Activation<f64>,
    points: &[f64],
    value: impl Fn(f64) -> f64,
    slope: impl Fn(f64) -> f64,
) {
    for &x in points {
        close(f.forward(x), value(x));
        close(f.derivative(x), slope(x));
    }
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

fn main() {
    let all = [-2.5, -0.3, 0.0, 0.4, 1.7];
    let positive = [0.1, 0.5, 1.0, 2.0, 10.0];
    let two_over_sqrt_pi = std::f64::consts::FRAC_2_SQRT_PI;
    check(Exp, &all, f64::exp, f64::exp);
    check(Expm1, &all, f64::exp_m1, f64::exp);
    check(Ln, &positive, f64::ln, |x| 1.0 / x);
    check(Log1p, &all[1..], f64::ln_1p, |x| 1.0 / (1.0 + x));
    check(Sqrt, &positive, f64::sqrt, |x| 0.5 / x.sqrt());
    check(Tanh, &all, f64::tanh, |x| 1.0 - x.tanh().powi(2));
    check(Sigmoid, &all, sigmoid, |x| sigmoid(x) * sigmoid(-x));
    check(Softplus, &all, |x| x.exp().ln_1p(), sigmoid);
    check(Erf, &all, libm::erf, |x| two_over_sqrt_pi * (-x * x).exp());
    check(Erfc, &all, libm::erfc, |x| {
        -two_over_sqrt_pi * (-x * x).exp()
    });
    check(Gauss, &all, |x| (-x * x).exp(), |x| -2.0 * x * (-x * x).exp());
    check(Sin, &all, f64::sin, f64::cos);
    check(Cos, &all, f64::cos, |x| -x.sin());
    check(Abs, &[-2.0, 3.0], f64::abs, f64::signum);

    // The tie rule: `abs` has derivative 0 at 0.
    assert_eq!(Abs.derivative(0.0f32), 0.0);
    // Second derivatives, f32.
    assert_eq!(Exp.second_derivative(0.0f32), 1.0);
    assert_eq!(Sin.second_derivative(0.0f32), 0.0);
    assert_eq!(Ln.second_derivative(2.0f32), -0.25);
    assert_eq!(Tanh.forward(0.0f32), 0.0);
    assert_eq!(Sigmoid.forward(0.0f32), 0.5);
    assert_eq!(Sigmoid.derivative(0.0f32), 0.25);
    // Limits at infinity, not NaN.
    assert_eq!(Softplus.derivative(f32::INFINITY), 1.0);
    assert_eq!(Sigmoid.forward(f32::NEG_INFINITY), 0.0);
}
