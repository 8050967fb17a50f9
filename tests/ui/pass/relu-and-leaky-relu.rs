//! The seed definitions: a unit struct and a parametric one, values at and around
//! the kink, the generated formulas as text.

use actdiff::prelude::*;

activation! {
    /// Rectified linear unit.
    pub MyRelu(x) = max(0, x);

    /// Leaky ReLU: a fixed slope below zero.
    pub MyLeaky(x; negative_slope = 0.01) = if x > 0 { x } else { negative_slope * x };
}

fn main() {
    let relu = MyRelu;
    assert_eq!(relu.forward(2.0f32), 2.0);
    assert_eq!(relu.forward(-2.0f32), 0.0);
    assert_eq!(relu.derivative(3.0f32), 1.0);
    assert_eq!(relu.derivative(-3.0f32), 0.0);
    // The tie rule of `max`: derivative 0 at the kink, as PyTorch's ReLU.
    assert_eq!(relu.derivative(0.0f32), 0.0);
    assert_eq!(relu.second_derivative(1.0f64), 0.0);
    assert_eq!(relu.forward_and_derivative(5.0f64), (5.0, 1.0));
    assert!(relu.forward(f32::NAN).is_nan());
    assert!(relu.derivative(f32::NAN).is_nan());
    assert_eq!(relu.info().formula, "max(0, x)");
    assert_eq!(relu.info().derivative, "if x > 0 { 1 } else { 0 }");

    let leaky = MyLeaky::default();
    assert_eq!(leaky.negative_slope, 0.01f32);
    assert_eq!(leaky.forward(2.0f32), 2.0);
    assert_eq!(leaky.forward(-2.0f32), -0.02);
    // `>` in the formula: at 0 the derivative is the `else` branch's.
    assert_eq!(leaky.derivative(0.0f32), 0.01);
    assert_eq!(leaky.derivative(1.0f32), 1.0);
    assert_eq!(leaky.param_derivative(0, -3.0f32), -3.0);
    assert_eq!(leaky.param_derivative(0, 3.0f32), 0.0);
    assert!(leaky.forward(f32::NAN).is_nan());

    let steep = MyLeaky::new(0.5f64);
    assert_eq!(steep.forward(-4.0), -2.0);
    assert_eq!(
        steep,
        MyLeaky {
            negative_slope: 0.5
        }
    );
    let info = steep.info();
    assert_eq!(info.name, "MyLeaky");
    assert_eq!(info.input, "x");
    assert_eq!(info.params.len(), 1);
    assert_eq!(info.params[0].name, "negative_slope");
    assert!(!info.params[0].learn);
    assert_eq!(info.params[0].default, 0.01);
}
