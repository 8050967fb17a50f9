//! The `Activation` trait: what every `activation!` definition implements.

use crate::dispatch::vectorized;
use crate::kernels;
use crate::Real;
use std::borrow::Cow;

/// A parameter of an activation, as declared.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamInfo {
    /// The parameter's name (`negative_slope`).
    pub name: Cow<'static, str>,
    /// Whether a network learns it (`learn alpha = 0.25`).
    pub learn: bool,
    /// The declared default.
    pub default: f64,
    /// `∂f/∂p` as a formula in the DSL.
    pub derivative: Cow<'static, str>,
}

/// Static description of an activation: its name and its formulas as DSL text.
#[derive(Clone, Debug, PartialEq)]
pub struct ActivationInfo {
    /// The definition's name (`LeakyRelu`).
    pub name: Cow<'static, str>,
    /// The input's name (`x`).
    pub input: Cow<'static, str>,
    /// `f(x)`, simplified, in DSL syntax.
    pub formula: Cow<'static, str>,
    /// `f'(x)`, derived and simplified.
    pub derivative: Cow<'static, str>,
    /// `f''(x)`, derived and simplified.
    pub second_derivative: Cow<'static, str>,
    /// The parameters in declaration order.
    pub params: Cow<'static, [ParamInfo]>,
    /// The `where` clause's constraints as DSL text, comma-separated (`alpha != 0`,
    /// `min_val <= max_val`); empty when there are none.
    pub constraints: Cow<'static, str>,
}

impl ActivationInfo {
    /// A definition of the simplified formula with the declared defaults and
    /// constraints, `Name(x; p = 2.5e-1) where p != 0 = formula;`, which
    /// [`crate::Dynamic::parse`] compiles to the same code as the original (parameters
    /// without `learn`, so that one the formula no longer reads is not an error; the
    /// constraints, which the simplifier relies on: `g(αx)/α` with `α != 0`).
    /// The defaults are the declared ones, not an instance's current values.
    pub fn definition(&self) -> String {
        let params: Vec<String> = self
            .params
            .iter()
            .map(|p| format!("{} = {:e}", p.name, p.default))
            .collect();
        let params = if params.is_empty() {
            String::new()
        } else {
            format!("; {}", params.join(", "))
        };
        let constraints = if self.constraints.is_empty() {
            String::new()
        } else {
            format!(" where {}", self.constraints)
        };
        format!(
            "{}({}{params}){constraints} = {};",
            self.name, self.input, self.formula
        )
    }
}

/// An elementwise activation function with its derivatives and slice kernels.
///
/// `activation!` implements the five `*_finite` methods (straight-line, branch-free
/// code, exact for finite inputs); everything else is provided. The provided scalar
/// methods add one rule on top: where an infinite input makes the formula NaN
/// (`x * tanh(softplus(x))` at `-inf` is `-inf * 0`), the result is the formula's value
/// at the largest finite input of that sign, which is the limit for every activation
/// whose tail is exponential (`mish(-inf) = -0`, `mish'(+inf) = 1`). Not where the
/// formula [oscillates](Activation::oscillates_toward) there: the value of `sin(x)`
/// or `cos(x)` at MAX stands for nothing, and `sin(x)`, `x + sin(x)` (whose
/// derivative has no limit) stay NaN at ±inf. A NaN input or parameter always gives
/// NaN.
///
/// Activations are `Sync`, so that the slice methods can share one between threads
/// (the `rayon` feature); a requirement of every configuration, since features must
/// only add.
pub trait Activation<T: Real>: Sync {
    /// Name and formulas.
    fn info(&self) -> &ActivationInfo;

    /// `f(x)` for finite `x`.
    fn forward_finite(&self, x: T) -> T;
    /// `f'(x)` for finite `x`.
    fn derivative_finite(&self, x: T) -> T;
    /// `(f(x), f'(x))` for finite `x`, sharing common work.
    fn forward_and_derivative_finite(&self, x: T) -> (T, T);
    /// `f''(x)` for finite `x`.
    fn second_derivative_finite(&self, x: T) -> T;
    /// `∂f/∂p` for the parameter at `index`, for finite `x`; NaN for an `index` past
    /// the parameters (the provided methods panic instead).
    fn param_derivative_finite(&self, index: usize, x: T) -> T;

    /// Whether the formula oscillates as its input tends to `infinity` (`+inf` or
    /// `-inf`): whether a periodic function (`sin`, `cos`) on the branch the input
    /// takes there gets an argument that is not finite there (infinite, or NaN as
    /// `x·e^-x` is at `+inf`: a conservative answer). Such a formula has in
    /// general no limit there, and the provided methods then leave the NaN that the
    /// infinite input gives rather than take the value at ±MAX, which is no limit
    /// (`sin(f64::MAX)` is a number, `sin(inf)` none). `activation!` and
    /// [`crate::Dynamic`] answer from the formula at the declared defaults (`sin(a·x)`
    /// oscillates for every `a` if it does for the default); the default is `false`.
    fn oscillates_toward(&self, infinity: T) -> bool {
        let _ = infinity;
        false
    }

    /// `f(x)`.
    #[inline]
    fn forward(&self, x: T) -> T {
        vectorized(
            #[inline(always)]
            || at_infinity(self, x, self.forward_finite(x), |c| self.forward_finite(c)),
        )
    }

    /// `f'(x)`.
    #[inline]
    fn derivative(&self, x: T) -> T {
        vectorized(
            #[inline(always)]
            || {
                at_infinity(self, x, self.derivative_finite(x), |c| {
                    self.derivative_finite(c)
                })
            },
        )
    }

    /// `(f(x), f'(x))` in one pass.
    #[inline]
    fn forward_and_derivative(&self, x: T) -> (T, T) {
        let (f, d) = vectorized(
            #[inline(always)]
            || self.forward_and_derivative_finite(x),
        );
        if (f.is_nan() || d.is_nan()) && x.is_infinite() {
            (self.forward(x), self.derivative(x))
        } else {
            (f, d)
        }
    }

    /// `f''(x)`.
    ///
    /// For `f32`, generated code (and [`crate::Dynamic`]) evaluates the second
    /// derivative in `f64`, from the `f32` input and parameters, and rounds once: its
    /// formula is the longest and multiplies tail-small factors that are subnormal in
    /// `f32` (tanhexp'' was 1,589 ULP off at x = 3.89 from a subnormal `sech²(e^x)`).
    #[inline]
    fn second_derivative(&self, x: T) -> T {
        vectorized(
            #[inline(always)]
            || {
                at_infinity(self, x, self.second_derivative_finite(x), |c| {
                    self.second_derivative_finite(c)
                })
            },
        )
    }

    /// `∂f/∂p` for the parameter at `index` (declaration order).
    ///
    /// # Panics
    /// If `index` is not a parameter index.
    #[inline]
    fn param_derivative(&self, index: usize, x: T) -> T {
        let n = self.info().params.len();
        if index >= n {
            crate::__private::parameter_out_of_range(&self.info().name, n, index);
        }
        vectorized(
            #[inline(always)]
            || {
                at_infinity(self, x, self.param_derivative_finite(index, x), |c| {
                    self.param_derivative_finite(index, c)
                })
            },
        )
    }

    /// The value of the parameter at `index` (declaration order, as in
    /// `info().params`): for example PReLU's learned `alpha`, read by a training loop
    /// that knows the activation only as an `Activation`.
    ///
    /// # Panics
    /// If `index` is not a parameter index (an activation without parameters has none).
    #[track_caller]
    fn param(&self, index: usize) -> T {
        let n = self.info().params.len();
        crate::__private::parameter_out_of_range(&self.info().name, n, index)
    }

    /// Sets the parameter at `index` (an optimizer's step on a `learn` parameter),
    /// checking the definition's `where` constraints as `try_new` does.
    ///
    /// # Errors
    /// The `ParamError` of `try_new` when the new value violates a constraint; the
    /// activation then keeps its old value.
    ///
    /// # Panics
    /// If `index` is not a parameter index.
    #[track_caller]
    fn set_param(&mut self, index: usize, value: T) -> Result<(), crate::ParamError> {
        let _ = value;
        let n = self.info().params.len();
        crate::__private::parameter_out_of_range(&self.info().name, n, index)
    }

    /// `y[i] = f(x[i])`.
    ///
    /// # Panics
    /// If the slices differ in length.
    fn forward_slice(&self, x: &[T], y: &mut [T])
    where
        Self: Sized,
    {
        kernels::same_len("forward_slice", &[("x", x.len()), ("y", y.len())]);
        kernels::forward(self, x, y);
    }

    /// `x[i] = f(x[i])`.
    fn forward_in_place(&self, x: &mut [T])
    where
        Self: Sized,
    {
        kernels::forward_in_place(self, x);
    }

    /// The backward pass: `grad_in[i] = grad_out[i] * f'(x[i])`.
    ///
    /// # Panics
    /// If the slices differ in length.
    fn backward_slice(&self, x: &[T], grad_out: &[T], grad_in: &mut [T])
    where
        Self: Sized,
    {
        kernels::same_len(
            "backward_slice",
            &[
                ("x", x.len()),
                ("grad_out", grad_out.len()),
                ("grad_in", grad_in.len()),
            ],
        );
        kernels::backward(self, x, grad_out, grad_in);
    }

    /// Forward and backward in one pass, for training loops that want both:
    /// `y[i] = f(x[i])`, `grad_in[i] = grad_out[i] * f'(x[i])`.
    ///
    /// # Panics
    /// If the slices differ in length.
    fn forward_backward_slice(&self, x: &[T], grad_out: &[T], y: &mut [T], grad_in: &mut [T])
    where
        Self: Sized,
    {
        kernels::same_len(
            "forward_backward_slice",
            &[
                ("x", x.len()),
                ("grad_out", grad_out.len()),
                ("y", y.len()),
                ("grad_in", grad_in.len()),
            ],
        );
        kernels::forward_backward(self, x, grad_out, y, grad_in);
    }

    /// The gradient of a parameter over a slice: `Σ grad_out[i] * ∂f/∂p(x[i])`,
    /// as a network needs for a `learn` parameter such as PReLU's `alpha`.
    ///
    /// # Panics
    /// If the slices differ in length or `index` is not a parameter index.
    fn param_gradient_sum(&self, index: usize, x: &[T], grad_out: &[T]) -> T
    where
        Self: Sized,
    {
        kernels::same_len(
            "param_gradient_sum",
            &[("x", x.len()), ("grad_out", grad_out.len())],
        );
        let n = self.info().params.len();
        if index >= n {
            crate::__private::parameter_out_of_range(&self.info().name, n, index);
        }
        self.param_gradient_sum_checked(index, x, grad_out)
    }

    /// The backward pass and the gradient of one parameter in one pass over the
    /// slices: `grad_in[i] = grad_out[i] * f'(x[i])`, and the result is
    /// `Σ grad_out[i] * ∂f/∂p(x[i])`, bit for bit what
    /// [`backward_slice`](Activation::backward_slice) and
    /// [`param_gradient_sum`](Activation::param_gradient_sum) give, while reading
    /// `x` and `grad_out` once (PReLU's training step).
    ///
    /// # Panics
    /// If the slices differ in length or `index` is not a parameter index.
    fn backward_slice_with_param_gradient(
        &self,
        index: usize,
        x: &[T],
        grad_out: &[T],
        grad_in: &mut [T],
    ) -> T
    where
        Self: Sized,
    {
        kernels::same_len(
            "backward_slice_with_param_gradient",
            &[
                ("x", x.len()),
                ("grad_out", grad_out.len()),
                ("grad_in", grad_in.len()),
            ],
        );
        let n = self.info().params.len();
        if index >= n {
            crate::__private::parameter_out_of_range(&self.info().name, n, index);
        }
        self.backward_with_param_gradient_checked(index, x, grad_out, grad_in)
    }

    /// [`backward_slice_with_param_gradient`](Activation::backward_slice_with_param_gradient)
    /// for an `index` and lengths already checked. `activation!` implements it as
    /// one loop; this provided version makes the two passes it replaces.
    #[doc(hidden)]
    fn backward_with_param_gradient_checked(
        &self,
        index: usize,
        x: &[T],
        grad_out: &[T],
        grad_in: &mut [T],
    ) -> T
    where
        Self: Sized,
    {
        // The public methods, which `Dynamic` and `Builtin` implement with their own
        // loops, rather than the per-element provided versions.
        self.backward_slice(x, grad_out, grad_in);
        self.param_gradient_sum(index, x, grad_out)
    }

    /// [`param_gradient_sum`](Activation::param_gradient_sum) for an `index` and
    /// lengths already checked. `activation!` implements it with the parameter's
    /// derivative chosen once, outside the loop, so that the loop vectorizes; this
    /// provided version dispatches on `index` for every element.
    #[doc(hidden)]
    fn param_gradient_sum_checked(&self, index: usize, x: &[T], grad_out: &[T]) -> T
    where
        Self: Sized,
    {
        kernels::param_gradient_sum(self, index, x, grad_out, |v| {
            self.param_derivative_finite(index, v)
        })
    }
}

/// `r`, or the value at the largest finite input of the same sign when an infinite
/// `x` made `r` NaN and `a` does not oscillate toward it (see [`Activation`]). The
/// question is asked only then, off the path every finite input takes.
#[inline(always)]
fn at_infinity<T: Real, A: Activation<T> + ?Sized>(a: &A, x: T, r: T, f: impl Fn(T) -> T) -> T {
    if r.is_nan() && x.is_infinite() && !a.oscillates_toward(x) {
        f(x.clamp_finite())
    } else {
        r
    }
}
