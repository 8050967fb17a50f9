//! `max`, `min`, `clamp`, `powi`, `pow` and `mul_err`, their tie rules and their
//! derivatives with respect to parameters.

use actdiff::prelude::*;

activation! {
    /// ReLU6 through `min` and `max`.
    pub Relu6(x) = min(max(0, x), 6);

    /// ReLU6 through `clamp`, with parameters as bounds.
    pub Clamped(x; lo = 0, hi = 6) = clamp(x, lo, hi);

    /// Integer powers, positive and negative.
    pub Cube(x) = powi(x, 3);
    pub InverseSquare(x) = powi(x, -2);

    /// A real power with a learned exponent.
    pub Power(x; learn p = 0.5) = pow(x, p);

    /// The rounding error of a product: a value, but no derivative.
    pub Rounding(x; b = 1.5) = mul_err(b, x);
}

fn main() {
    let e = Rounding::<f32>::default();
    let x = 0.1f32;
    assert_eq!(f64::from(e.forward(x)), 1.5 * f64::from(x) - f64::from(1.5 * x));
    assert_ne!(e.forward(x), 0.0);
    assert_eq!(e.derivative(x), 0.0);
    assert_eq!(e.param_derivative(0, x), 0.0);
    assert!(e.forward(f32::NAN).is_nan());

    let r = Relu6;
    assert_eq!(r.forward(-1.0f32), 0.0);
    assert_eq!(r.forward(3.0f32), 3.0);
    assert_eq!(r.forward(7.0f32), 6.0);
    assert_eq!(r.derivative(3.0f32), 1.0);
    // Ties take the derivative of smaller magnitude: 0 at both corners.
    assert_eq!(r.derivative(0.0f32), 0.0);
    assert_eq!(r.derivative(6.0f32), 0.0);

    let c = Clamped::<f32>::default();
    for x in [-1.0f32, 0.0, 3.0, 6.0, 7.0] {
        assert_eq!(c.forward(x), r.forward(x), "{x}");
        assert_eq!(c.derivative(x), r.derivative(x), "{x}");
    }
    assert_eq!(c.param_derivative(0, -1.0), 1.0);
    assert_eq!(c.param_derivative(0, 3.0), 0.0);
    assert_eq!(c.param_derivative(1, 7.0), 1.0);

    assert_eq!(Cube.forward(2.0f64), 8.0);
    assert_eq!(Cube.derivative(2.0f64), 12.0);
    assert_eq!(Cube.second_derivative(2.0f64), 12.0);
    assert_eq!(InverseSquare.forward(2.0f64), 0.25);
    assert_eq!(InverseSquare.derivative(2.0f64), -0.25);

    let p = Power::<f64>::default();
    assert_eq!(p.forward(4.0), 2.0);
    assert_eq!(p.derivative(4.0), 0.25);
    // ∂/∂p x^p = x^p ln x
    let d = p.param_derivative(0, 4.0);
    assert!((d - 2.0 * 4.0f64.ln()).abs() < 1e-14, "{d}");
    assert_eq!(Power::new(2.0f64).forward(3.0), 9.0);
}
