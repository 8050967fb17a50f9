//! # actdiff
//!
//! Activation functions written the way a paper writes them, with derivatives
//! generated at compile time.
//!
//! ```
//! use actdiff::prelude::*;
//!
//! activation! {
//!     /// Squared ReLU, as in Primer (So et al., 2021).
//!     pub SquaredRelu(x) = powi(max(0, x), 2);
//! }
//!
//! let f = SquaredRelu;
//! assert_eq!(f.forward(3.0f32), 9.0);
//! assert_eq!(f.derivative(3.0f32), 6.0);
//! assert_eq!(f.derivative(0.0f32), 0.0);
//! assert_eq!(f.info().derivative, "if x > 0 { 2 * max(0, x) } else { 0 }");
//! ```
//!
//! `activation!` generates, for each definition, a type implementing [`Activation`]:
//! the forward function, its symbolic first and second derivatives, the partial
//! derivatives with respect to each parameter, and slice kernels (forward into a
//! buffer, in place, backward, fused forward and backward, parameter-gradient sums)
//! that vectorize. The built-in activations in [`builtins`] are defined the same way.
//!
//! ## The language
//!
//! A definition is doc comments and attributes, a visibility, a name, the input,
//! optional parameters with defaults (`learn` marks those a network trains), `=` and
//! an expression: number literals, the input, parameters, `+ - * /`, unary `-`,
//! `if / else if / else` with `< <= > >=` and `&& ||`, blocks with `let`, and the
//! functions `exp expm1 ln log1p sqrt tanh sigmoid softplus erf erfc sin cos abs max
//! min clamp powi pow`. `^` is xor in Rust, so it is refused: write `powi(u, 2)`.
//!
//! ## Conventions
//!
//! - At a kink written with `if`, the derivative is the branch the comparison picks:
//!   `if x > 0 { x } else { a * x }` has derivative `a` at 0, `x >= 0` gives 1.
//! - `max`, `min`, `abs` and `clamp` take the derivative of smaller magnitude at a tie,
//!   so `max(0, x)` has derivative 0 at 0, as PyTorch's ReLU.
//! - A NaN input or parameter gives NaN from every method; nothing turns NaN into 0.
//! - Where an infinite input makes the formula NaN but the function has a limit, the
//!   methods return it: `Mish.forward(-inf) = -0`, `Mish.derivative(inf) = 1`.

// Generated code names this crate `::actdiff`, also inside the crate itself.
extern crate self as actdiff;

mod activation;
pub mod builtins;
mod dispatch;
mod kernels;
pub mod math;
mod real;

pub use activation::{Activation, ActivationInfo, ParamInfo};
pub use real::Real;

/// Defines activation functions from their formulas.
///
/// ```
/// use actdiff::prelude::*;
///
/// activation! {
///     /// Leaky ReLU with a fixed slope below zero.
///     pub MyLeaky(x; slope = 0.1) = if x > 0 { x } else { slope * x };
/// }
///
/// let f = MyLeaky::<f64>::default();
/// assert_eq!(f.forward(-2.0), -0.2);
/// assert_eq!(f.derivative(0.0), 0.1);
/// assert_eq!(f.param_derivative(0, -2.0), -2.0);
/// ```
pub use actdiff_macros::activation;

pub use builtins::{LeakyRelu, Mish, Prelu, Relu};

/// Everything a user of the macro or the built-ins needs in scope.
pub mod prelude {
    pub use crate::builtins::{LeakyRelu, Mish, Prelu, Relu};
    pub use crate::{activation, Activation, ActivationInfo, ParamInfo, Real};
}

/// Paths the generated code uses. Not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::{Activation, ActivationInfo, ParamInfo, Real};
    pub use std::borrow::Cow;

    /// The panic of `param_derivative` with an index past the parameters.
    #[cold]
    #[inline(never)]
    #[track_caller]
    pub fn parameter_out_of_range(name: &str, count: usize, index: usize) -> ! {
        panic!("actdiff: {name} has {count} parameter(s); index {index} is out of range")
    }
}
