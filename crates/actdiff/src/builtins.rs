//! The built-in activations, each defined with the public `activation!` macro:
//! adding a variant is one line. They match PyTorch's conventions at every kink.

use crate::activation;

activation! {
    /// Rectified linear unit: `max(0, x)`. Derivative 0 at 0, as PyTorch's `relu`.
    pub Relu(x) = max(0, x);

    /// Leaky ReLU: slope `negative_slope` below zero. Derivative `negative_slope` at 0,
    /// as PyTorch's `leaky_relu`.
    pub LeakyRelu(x; negative_slope = 0.01) = if x > 0 { x } else { negative_slope * x };

    /// Parametric ReLU: the slope below zero, `alpha`, is learned
    /// ([`param_gradient_sum`](crate::Activation::param_gradient_sum) gives its
    /// gradient). Derivative `alpha` at 0, as PyTorch's `prelu`.
    pub Prelu(x; learn alpha = 0.25) = if x > 0 { x } else { alpha * x };

    /// Mish (Misra, 2019): `x * tanh(softplus(x))`. Finite limits at ±inf:
    /// `mish(-inf) = -0`, `mish'(+inf) = 1`, `mish'(-inf) = 0`.
    pub Mish(x) = x * tanh(softplus(x));
}
