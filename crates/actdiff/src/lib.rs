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
//! functions `exp expm1 ln log1p sqrt tanh sech2 sigmoid softplus erf erfc gauss sin
//! cos cos2x sin2x1p xcos_halfsin abs max min clamp powi pow mul_err`, where
//! `sech2(u) = 1 - tanh(u)²` without its cancellation (tanh's derivative),
//! `gauss(u) = exp(-u²)` with
//! `u²` taken exactly (what `exp(-(u * u))` is rewritten to), `cos2x(u) = cos(2u)` and
//! `sin2x1p(u) = 1 + sin(2u)` are the forms without cancellation that
//! `cos(u)² - sin(u)²` and `1 + 2·sin(u)·cos(u)` are rewritten to,
//! `xcos_halfsin(u) = u·cos(u) - sin(u)/2` is the factor of snake's gradient in its
//! parameter, without cancellation near its roots (`tan u = 2u`), and
//! `mul_err(a, b)` is the rounding error of
//! the product, `a·b - fl(a·b)` (0 as a real function, so its derivative is 0), which
//! carries a product's rounding into a steep function. `^` is xor in Rust, so it is
//! refused: write `powi(u, 2)`.
//!
//! Constraints on the parameters go between the signature and `=`, as comparisons
//! (`< <= > >= !=`) between parameters and numbers:
//! `pub Celu(x; alpha = 1) where alpha != 0 = ...`. The generated `try_new` checks
//! them and returns a [`ParamError`] (`Celu: alpha must be != 0, got 0`), `new` panics
//! with the same message, and a default that violates one is a compile error. A NaN
//! parameter violates every constraint that names it; parameters without constraints
//! take any value, NaN included.
//!
//! ## Built-ins
//!
//! [`builtins`] defines PyTorch's elementwise activations, and a few more, with this
//! same macro, each with PyTorch's parameters, defaults and derivative at every
//! kink. [`Builtin`] holds any of them, chosen at run time by PyTorch's name:
//!
//! ```
//! use actdiff::prelude::*;
//!
//! let f: Builtin = "hardtanh(min_val=-2, max_val=2)".parse()?;
//! assert_eq!(f.forward(5.0), 2.0);
//! assert_eq!(f.derivative(2.0), 0.0);
//! # Ok::<(), ParseBuiltinError>(())
//! ```
//!
//! The [`catalogue`] module has the table of every built-in (formula, parameters,
//! derivative at the kinks), the text form, and how to add a built-in in one line.
//!
//! ## Run-time definitions
//!
//! [`Dynamic`] compiles a definition from text while the program runs, with the
//! same engine, and gives the same results as the type `activation!` would generate:
//! `Dynamic::parse("Mish(x) = x * tanh(softplus(x))")`. Mistakes come back as
//! [`Diagnostics`], which render under the source line.
//!
//! ## Integrations (optional features)
//!
//! - `half`: `HalfActivation` gives every `Activation<f32>` scalar methods and slice
//!   kernels for `half::f16` and `half::bf16`, computed in f32 and rounded once (the
//!   correctly rounded value but for a handful of near-ties per function, measured over
//!   every input), widened and narrowed with `half`'s vectorized slice conversions.
//! - `ndarray`: `ArrayActivationExt` applies any activation, its derivative or its
//!   backward pass to arrays of any dimension, in place or into a new array, with the
//!   slice kernels when the data is contiguous in any memory order; differing shapes
//!   are a `ShapeMismatch` error.
//! - `candle`: `candle::ActivationOp` makes any activation a candle operation with a
//!   backward pass, so `Var`s train through it (F32, F64, F16 and BF16 CPU tensors).
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

#![warn(missing_docs)]
// Generated code names this crate `::actdiff`, also inside the crate itself.
extern crate self as actdiff;

mod activation;
#[cfg(feature = "ndarray")]
mod array;
pub mod builtins;
#[cfg(feature = "candle")]
pub mod candle;
pub mod catalogue;
mod dispatch;
pub mod dynamic;
mod kernels;
pub mod math;
#[cfg(feature = "rayon")]
mod parallel;
mod params;
#[cfg(feature = "half")]
mod precision;
mod real;

pub use actdiff_core::{Diagnostic, Diagnostics};
pub use activation::{Activation, ActivationInfo, ParamInfo};
#[cfg(feature = "ndarray")]
pub use array::{ArrayActivationExt, ShapeMismatch};
pub use dispatch::{instruction_set, InstructionSet};
pub use dynamic::{Dynamic, DynamicParamError};
pub use params::ParamError;
#[cfg(feature = "half")]
pub use precision::{HalfActivation, HalfFloat, BUFFER as HALF_BUFFER};
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

pub use builtins::*;
pub use catalogue::{Builtin, ParseBuiltinError};

/// Everything a user of the macro or the built-ins needs in scope: the macro, the
/// traits, every built-in, [`Builtin`] and the errors.
pub mod prelude {
    pub use crate::builtins::*;
    pub use crate::catalogue::{Builtin, ParseBuiltinError};
    pub use crate::dynamic::Dynamic;
    pub use crate::{activation, Activation, ActivationInfo, ParamError, ParamInfo, Real};
}

/// Paths the generated code uses. Not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::kernels::{backward_with_param_gradient, param_gradient_sum};
    pub use crate::params::check_constraint;
    pub use crate::{Activation, ActivationInfo, ParamError, ParamInfo, Real};
    pub use std::borrow::Cow;

    /// The panic of a generated `new` whose parameters violate a constraint.
    #[cold]
    #[inline(never)]
    #[track_caller]
    pub fn invalid_parameters(e: ParamError) -> ! {
        panic!("{e}")
    }

    /// The panic of `param_derivative` with an index past the parameters.
    #[cold]
    #[inline(never)]
    #[track_caller]
    pub fn parameter_out_of_range(name: &str, count: usize, index: usize) -> ! {
        panic!("actdiff: {name} has {count} parameter(s); index {index} is out of range")
    }
}

/// The README's Rust examples, run as doctests where every feature they use is on
/// (`cargo test -p actdiff --all-features`, which CI runs), so that they keep
/// compiling and running as the library changes.
#[cfg(all(doctest, feature = "half", feature = "ndarray", feature = "candle"))]
#[doc = include_str!("../../../README.md")]
struct ReadmeExamples;
