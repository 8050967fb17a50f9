//! Use from another module's point of view: the invocation lives in a module with
//! nothing imported, and `main` names the types through it with only the
//! `Activation` trait in scope. `pub`, `pub(crate)` and private definitions.

use actdiff::Activation;

mod acts {
    actdiff::activation! {
        /// Public.
        pub Relu(x) = max(0, x);

        /// Visible in the crate.
        pub(crate) Leaky(x; slope = 0.1) = if x > 0 { x } else { slope * x };

        /// Visible in `acts` and its children only.
        Private(x) = 2 * x;

        /// Visible in `acts`' parent, through `pub(super)`.
        pub(super) Prelu(x; learn alpha = 0.25) = if x > 0 { x } else { alpha * x };
    }

    /// A private definition used inside its own module.
    pub fn double(x: f32) -> f32 {
        use actdiff::Activation;
        Private.forward(x)
    }

    pub mod nested {
        /// A child module sees its parent's private type.
        pub fn double_derivative() -> f64 {
            use actdiff::Activation;
            super::Private.derivative(1.0)
        }
    }
}

/// Generic code over any activation, as a library would write it.
fn total<A: Activation<f64>>(a: &A, xs: &[f64]) -> f64 {
    xs.iter().map(|&x| a.forward(x)).sum()
}

fn main() {
    assert_eq!(acts::Relu.forward(-1.0f32), 0.0);
    assert_eq!(acts::Relu.forward(2.0f32), 2.0);
    let leaky = acts::Leaky::<f64>::default();
    assert_eq!(leaky.forward(-10.0), -1.0);
    assert_eq!(leaky.derivative(0.0), 0.1);
    let prelu = acts::Prelu::new(0.5f32);
    assert_eq!(prelu.forward(-2.0), -1.0);
    assert_eq!(prelu.param_derivative(0, -2.0), -2.0);
    assert_eq!(acts::double(3.0), 6.0);
    assert_eq!(acts::nested::double_derivative(), 2.0);
    assert_eq!(total(&acts::Relu, &[-1.0, 2.0, 3.0]), 5.0);
    assert_eq!(total(&leaky, &[-1.0, 2.0]), 1.9);
    // The inherent `info` needs no import.
    assert_eq!(acts::Relu.info().name, "Relu");
    // Built-ins with the same name live elsewhere: no clash.
    assert_eq!(actdiff::Relu.forward(2.0f32), acts::Relu.forward(2.0f32));
}
