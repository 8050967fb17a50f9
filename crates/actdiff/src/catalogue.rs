//! Run-time selection of the built-ins by PyTorch's names: [`Builtin`] holds any of
//! them, parses from and prints as `leaky_relu(negative_slope=0.2)`, and implements
//! [`Activation`] by delegating, so a configuration file can choose the activation.
//!
//! ```
//! use actdiff::prelude::*;
//!
//! let f: Builtin = "leaky_relu(negative_slope=0.2)".parse()?;
//! assert_eq!(f.forward(-1.0), -0.2);
//! assert_eq!(f.to_string(), "leaky_relu(negative_slope=0.2)");
//! assert_eq!("gelu(approximate='tanh')".parse::<Builtin>()?, Builtin::GeluTanh(GeluTanh));
//!
//! let e = "lekay_relu".parse::<Builtin>().unwrap_err();
//! assert_eq!(e.to_string(), "unknown activation `lekay_relu`; did you mean `leaky_relu`?");
//! let e = "celu(alpha=0)".parse::<Builtin>().unwrap_err();
//! assert_eq!(e.to_string(), "celu: alpha must be != 0, got 0");
//! # Ok::<(), actdiff::catalogue::ParseBuiltinError>(())
//! ```
//!
//! ## The text form
//!
//! `name` or `name(arg, ...)`. Names are PyTorch's functional names; case and `_` are
//! ignored, so `LeakyReLU` and `leakyrelu` are `leaky_relu` too. Arguments are
//! `key=value` or, before any of those, positional in the order of the table below;
//! values are numbers as Rust parses them (`0.2`, `-1`, `1e-3`, `inf`). GELU's
//! `approximate` takes `none` (the default) or `tanh`, quoted or not. Printing gives
//! the canonical text: the name, then only the values that differ from the defaults,
//! each in the shortest form that reads back to the same value, so
//! `text.parse::<Builtin>()?.to_string().parse()` always gives back the same value.
//!
//! ## The catalogue
//!
//! | name | formula | parameters (default) | derivative at the kinks |
//! |---|---|---|---|
//! | `relu` | `max(0, x)` | | `f'(0) = 0` |
//! | `relu6` | `min(max(0, x), 6)` | | `f' = 0` at 0 and 6 |
//! | `leaky_relu` | `x` if `x > 0`, else `negative_slope·x` | `negative_slope` (0.01) | `f'(0) = negative_slope` |
//! | `prelu` | `x` if `x > 0`, else `alpha·x` | learned `alpha` (0.25) | `f'(0) = alpha` |
//! | `rrelu` | `x` if `x > 0`, else `(lower + upper)/2·x` (evaluation) | `lower` (1/8), `upper` (1/3); `lower <= upper` | `f'(0)` = the slope |
//! | `elu` | `x` if `x > 0`, else `alpha·(eˣ - 1)` | `alpha` (1) | `f'(0) = alpha` (left) |
//! | `selu` | `scale·x` if `x > 0`, else `scale·alpha·(eˣ - 1)` | | `f'(0) = scale·alpha` (left) |
//! | `celu` | `x` if `x > 0`, else `alpha·(e^(x/alpha) - 1)` | `alpha` (1); `alpha != 0` | `f'(0) = 1` (left) |
//! | `gelu` | `x·Φ(x) = 0.5·x·erfc(-x/√2)` | `approximate=none` | smooth |
//! | `gelu(approximate=tanh)` | `x·σ(2√(2/π)(x + 0.044715x³))` | | smooth |
//! | `silu` | `x·σ(x)` | | smooth |
//! | `swish` | `x·σ(beta·x)` | learned `beta` (1) | smooth |
//! | `mish` | `x·tanh(softplus(x))` | | smooth |
//! | `softplus` | `ln(1 + e^(beta·x))/beta`, `x` where `beta·x > threshold` | `beta` (1), `threshold` (20); `beta != 0` | linear branch only where `beta·x > threshold` |
//! | `softsign` | `x/(1 + \|x\|)` | | smooth |
//! | `tanh` | `tanh(x)` | | smooth |
//! | `sigmoid` | `σ(x)` | | smooth |
//! | `hardtanh` | `clamp(x, min_val, max_val)` | `min_val` (-1), `max_val` (1); `min_val <= max_val` | `f' = 0` at both boundaries |
//! | `hardswish` | `x·relu6(x + 3)/6` | | `f'(-3) = 0`, `f'(3) = 1` |
//! | `hardsigmoid` | `relu6(x + 3)/6` | | `f' = 0` at ±3 |
//! | `logsigmoid` | `-softplus(-x)` | | smooth |
//! | `tanhshrink` | `x - tanh(x)` | | smooth |
//! | `softshrink` | `x ∓ lambd` outside `[-lambd, lambd]`, else 0 | `lambd` (0.5); `lambd >= 0` | `f' = 0` at ±lambd |
//! | `hardshrink` | `x` outside `[-lambd, lambd]`, else 0 | `lambd` (0.5) | `f' = 0` at ±lambd |
//! | `threshold` | `x` if `x > threshold`, else `value` | `threshold` (0), `value` (0) | `f'(threshold) = 0` |
//! | `quick_gelu` | `x·σ(1.702x)` | | smooth |
//! | `squareplus` | `(x + √(x² + b))/2` | `b` (4); `b > 0` | smooth |
//! | `squared_relu` | `max(0, x)²` | | `f'(0) = 0` |
//! | `snake` | `x + sin²(alpha·x)/alpha` | learned `alpha` (1); `alpha != 0` | smooth |
//! | `tanhexp` | `x·tanh(eˣ)` | | smooth |
//!
//! PyTorch's `threshold` has no defaults; here they are 0 and 0 (ReLU). `rrelu`'s
//! training form, with slopes sampled per element, is
//! [`Rrelu::forward_with_slopes`](crate::builtins::Rrelu::forward_with_slopes).
//!
//! ## Adding a built-in
//!
//! One line in `builtins.rs` defines it, with its constraints:
//!
//! ```text
//! pub Elu(x; alpha = 1) = if x > 0 { x } else { alpha * expm1(x) };
//! ```
//!
//! and one line in this module's table makes it selectable by name:
//!
//! ```text
//! Elu(Elu<T> { alpha }) "elu";
//! ```

use crate::params::format_real;
use crate::{Activation, ActivationInfo, ParamError, Real};
use std::fmt;
use std::str::FromStr;

use crate::builtins::*;

/// Why a text did not name a built-in. Every message is in the words of the text.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ParseBuiltinError {
    /// The text is not `name` or `name(arguments)`.
    Syntax {
        /// What is wrong.
        message: String,
    },
    /// No built-in has this name.
    UnknownName {
        /// The name as written.
        name: String,
        /// The names close enough to be a likely typo, nearest first; empty when
        /// none is (the message then lists every name).
        nearest: Vec<&'static str>,
    },
    /// The built-in has no parameter of this name.
    UnknownParameter {
        /// The built-in's canonical name.
        activation: &'static str,
        /// The parameter as written.
        parameter: String,
        /// The parameter names close enough to be a likely typo, nearest first; empty
        /// when none is (the message then lists every parameter).
        nearest: Vec<&'static str>,
    },
    /// A parameter is given twice, by name or by position.
    DuplicateParameter {
        /// The built-in's canonical name.
        activation: &'static str,
        /// The parameter.
        parameter: &'static str,
    },
    /// More positional arguments than the built-in has parameters.
    TooManyArguments {
        /// The built-in's canonical name.
        activation: &'static str,
        /// How many parameters it takes.
        takes: usize,
        /// How many arguments were given.
        given: usize,
    },
    /// A value is not a number (or not one of GELU's `approximate` choices).
    InvalidValue {
        /// The built-in's canonical name.
        activation: &'static str,
        /// The parameter.
        parameter: &'static str,
        /// The value as written.
        value: String,
        /// What the value must be.
        expected: String,
    },
    /// The values violate a constraint of the definition.
    Constraint(ParamError),
}

/// `` `a` ``, `` `a` or `b` ``, `` `a`, `b` or `c` ``.
fn either(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

impl fmt::Display for ParseBuiltinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseBuiltinError::Syntax { message } => f.write_str(message),
            ParseBuiltinError::UnknownName { name, nearest } => {
                write!(f, "unknown activation `{name}`; ")?;
                if nearest.is_empty() {
                    write!(f, "the activations are {}", entry_names().join(", "))
                } else {
                    write!(f, "did you mean {}?", either(nearest))
                }
            }
            ParseBuiltinError::UnknownParameter {
                activation,
                parameter,
                nearest,
            } => {
                let keys = entries::<f64>()
                    .into_iter()
                    .find(|e| e.name == *activation)
                    .map(|e| e.keys())
                    .unwrap_or_default();
                if keys.is_empty() {
                    return write!(
                        f,
                        "`{activation}` takes no parameters, but `{parameter}` was given"
                    );
                }
                write!(f, "`{activation}` has no parameter `{parameter}`; ")?;
                if nearest.is_empty() {
                    let list = either(&keys).replace(" or ", " and ");
                    if keys.len() == 1 {
                        write!(f, "its parameter is {list}")
                    } else {
                        write!(f, "its parameters are {list}")
                    }
                } else {
                    write!(f, "did you mean {}?", either(nearest))
                }
            }
            ParseBuiltinError::DuplicateParameter {
                activation,
                parameter,
            } => write!(f, "`{parameter}` of `{activation}` is given twice"),
            ParseBuiltinError::TooManyArguments {
                activation,
                takes,
                given,
            } => {
                let s = if *takes == 1 { "" } else { "s" };
                write!(
                    f,
                    "`{activation}` takes {takes} parameter{s}, but {given} arguments were given"
                )
            }
            ParseBuiltinError::InvalidValue {
                activation,
                parameter,
                value,
                expected,
            } => write!(
                f,
                "`{parameter}` of `{activation}` must be {expected}, got `{value}`"
            ),
            ParseBuiltinError::Constraint(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ParseBuiltinError {}

/// One row of the table: how to make, recognise and print a variant.
struct Entry<T> {
    /// The canonical name (`leaky_relu`).
    name: &'static str,
    /// GELU's `approximate`: this variant's value of it.
    approximate: Option<&'static str>,
    /// The parameter names, in declaration order.
    params: &'static [&'static str],
    /// Builds the variant from values in declaration order, checking constraints.
    make: fn(&[T]) -> Result<Builtin<T>, ParamError>,
    /// The variant with its declared defaults.
    default: fn() -> Builtin<T>,
}

impl<T> Entry<T> {
    /// Every key the text form accepts for this variant.
    fn keys(&self) -> Vec<&'static str> {
        let mut keys = self.params.to_vec();
        if self.approximate.is_some() {
            keys.push("approximate");
        }
        keys
    }
}

/// The next value of a parameter list; `make` is always given one per parameter.
fn take<T: Real>(values: &mut std::slice::Iter<'_, T>) -> T {
    values.next().copied().unwrap_or_default()
}

/// The catalogue: one line per built-in, `Variant(Type { fields }) "name";`, with
/// `approximate = "..."` for the two GELUs.
macro_rules! catalogue {
    (@make $ty:ty, $values:ident; ) => {
        Ok::<$ty, ParamError>(<$ty as Default>::default())
    };
    (@make $ty:ty, $values:ident; $($field:ident),+) => {
        <$ty>::try_new($({
            let _ = stringify!($field);
            take(&mut $values)
        }),+)
    };
    ($(
        $(#[$doc:meta])*
        $variant:ident ( $ty:ty { $($field:ident),* } ) $name:literal $(approximate = $approx:literal)? ;
    )*) => {
        /// Any built-in activation, chosen at run time: parse it from PyTorch's name,
        /// print it back, and use it as an [`Activation`]. See the
        /// [module docs](self) for the text form and the catalogue.
        #[derive(Clone, Copy, Debug, PartialEq)]
        pub enum Builtin<T = f32> {
            $( $(#[$doc])* $variant($ty), )*
        }

        $(
            impl<T: Real> From<$ty> for Builtin<T> {
                fn from(a: $ty) -> Self {
                    Builtin::$variant(a)
                }
            }
        )*

        fn entries<T: Real>() -> Vec<Entry<T>> {
            vec![$(
                Entry {
                    name: $name,
                    approximate: None $(.or(Some($approx)))?,
                    params: &[$(stringify!($field)),*],
                    make: |values| {
                        let mut _values = values.iter();
                        Ok(Builtin::$variant(catalogue!(@make $ty, _values; $($field),*)?))
                    },
                    default: || Builtin::$variant(<$ty as Default>::default()),
                },
            )*]
        }

        impl<T: Real> Builtin<T> {
            /// The index of the variant in the catalogue's table.
            fn index(&self) -> usize {
                let mut k = 0usize;
                $(
                    if let Builtin::$variant(_) = self {
                        return k;
                    }
                    k += 1;
                )*
                k
            }

            /// The parameter values, in declaration order.
            fn values(&self) -> Vec<T> {
                match self {
                    $( Builtin::$variant(_a) => vec![$(_a.$field),*], )*
                }
            }
        }

        impl<T: Real> Activation<T> for Builtin<T> {
            fn info(&self) -> &'static ActivationInfo {
                match self { $( Builtin::$variant(a) => a.info(), )* }
            }
            #[inline]
            fn forward_finite(&self, x: T) -> T {
                match self { $( Builtin::$variant(a) => a.forward_finite(x), )* }
            }
            #[inline]
            fn derivative_finite(&self, x: T) -> T {
                match self { $( Builtin::$variant(a) => a.derivative_finite(x), )* }
            }
            #[inline]
            fn forward_and_derivative_finite(&self, x: T) -> (T, T) {
                match self { $( Builtin::$variant(a) => a.forward_and_derivative_finite(x), )* }
            }
            #[inline]
            fn second_derivative_finite(&self, x: T) -> T {
                match self { $( Builtin::$variant(a) => a.second_derivative_finite(x), )* }
            }
            #[inline]
            fn param_derivative_finite(&self, index: usize, x: T) -> T {
                match self { $( Builtin::$variant(a) => a.param_derivative_finite(index, x), )* }
            }
            fn oscillates_toward(&self, infinity: T) -> bool {
                match self { $( Builtin::$variant(a) => a.oscillates_toward(infinity), )* }
            }
            #[inline]
            fn forward(&self, x: T) -> T {
                match self { $( Builtin::$variant(a) => a.forward(x), )* }
            }
            #[inline]
            fn derivative(&self, x: T) -> T {
                match self { $( Builtin::$variant(a) => a.derivative(x), )* }
            }
            #[inline]
            fn forward_and_derivative(&self, x: T) -> (T, T) {
                match self { $( Builtin::$variant(a) => a.forward_and_derivative(x), )* }
            }
            #[inline]
            fn second_derivative(&self, x: T) -> T {
                match self { $( Builtin::$variant(a) => a.second_derivative(x), )* }
            }
            #[inline]
            fn param_derivative(&self, index: usize, x: T) -> T {
                match self { $( Builtin::$variant(a) => a.param_derivative(index, x), )* }
            }
            #[track_caller]
            fn param(&self, index: usize) -> T {
                match self { $( Builtin::$variant(a) => a.param(index), )* }
            }
            #[track_caller]
            fn set_param(&mut self, index: usize, value: T) -> Result<(), ParamError> {
                match self { $( Builtin::$variant(a) => a.set_param(index, value), )* }
            }
            // The slice kernels choose the variant once per call, not per element, so
            // each runs the variant's own vectorized loop.
            fn forward_slice(&self, x: &[T], y: &mut [T]) {
                match self { $( Builtin::$variant(a) => a.forward_slice(x, y), )* }
            }
            fn forward_in_place(&self, x: &mut [T]) {
                match self { $( Builtin::$variant(a) => a.forward_in_place(x), )* }
            }
            fn backward_slice(&self, x: &[T], grad_out: &[T], grad_in: &mut [T]) {
                match self { $( Builtin::$variant(a) => a.backward_slice(x, grad_out, grad_in), )* }
            }
            fn forward_backward_slice(&self, x: &[T], grad_out: &[T], y: &mut [T], grad_in: &mut [T]) {
                match self { $( Builtin::$variant(a) => a.forward_backward_slice(x, grad_out, y, grad_in), )* }
            }
            fn param_gradient_sum(&self, index: usize, x: &[T], grad_out: &[T]) -> T {
                match self { $( Builtin::$variant(a) => a.param_gradient_sum(index, x, grad_out), )* }
            }
        }
    };

}

catalogue! {
    /// [`Relu`]: `relu`.
    Relu(Relu {}) "relu";
    /// [`Relu6`]: `relu6`.
    Relu6(Relu6 {}) "relu6";
    /// [`LeakyRelu`]: `leaky_relu(negative_slope=0.01)`.
    LeakyRelu(LeakyRelu<T> { negative_slope }) "leaky_relu";
    /// [`Prelu`]: `prelu(alpha=0.25)`.
    Prelu(Prelu<T> { alpha }) "prelu";
    /// [`Rrelu`], evaluation form: `rrelu(lower=0.125, upper=0.3333333333333333)`.
    Rrelu(Rrelu<T> { lower, upper }) "rrelu";
    /// [`Elu`]: `elu(alpha=1)`.
    Elu(Elu<T> { alpha }) "elu";
    /// [`Selu`]: `selu`.
    Selu(Selu {}) "selu";
    /// [`Celu`]: `celu(alpha=1)`.
    Celu(Celu<T> { alpha }) "celu";
    /// [`Gelu`], exact: `gelu` or `gelu(approximate=none)`.
    Gelu(Gelu {}) "gelu" approximate = "none";
    /// [`GeluTanh`]: `gelu(approximate=tanh)`.
    GeluTanh(GeluTanh {}) "gelu" approximate = "tanh";
    /// [`Silu`]: `silu`.
    Silu(Silu {}) "silu";
    /// [`Swish`]: `swish(beta=1)`.
    Swish(Swish<T> { beta }) "swish";
    /// [`Mish`]: `mish`.
    Mish(Mish {}) "mish";
    /// [`Softplus`]: `softplus(beta=1, threshold=20)`.
    Softplus(Softplus<T> { beta, threshold }) "softplus";
    /// [`Softsign`]: `softsign`.
    Softsign(Softsign {}) "softsign";
    /// [`Tanh`]: `tanh`.
    Tanh(Tanh {}) "tanh";
    /// [`Sigmoid`]: `sigmoid`.
    Sigmoid(Sigmoid {}) "sigmoid";
    /// [`Hardtanh`]: `hardtanh(min_val=-1, max_val=1)`.
    Hardtanh(Hardtanh<T> { min_val, max_val }) "hardtanh";
    /// [`Hardswish`]: `hardswish`.
    Hardswish(Hardswish {}) "hardswish";
    /// [`Hardsigmoid`]: `hardsigmoid`.
    Hardsigmoid(Hardsigmoid {}) "hardsigmoid";
    /// [`LogSigmoid`]: `logsigmoid`.
    LogSigmoid(LogSigmoid {}) "logsigmoid";
    /// [`Tanhshrink`]: `tanhshrink`.
    Tanhshrink(Tanhshrink {}) "tanhshrink";
    /// [`Softshrink`]: `softshrink(lambd=0.5)`.
    Softshrink(Softshrink<T> { lambd }) "softshrink";
    /// [`Hardshrink`]: `hardshrink(lambd=0.5)`.
    Hardshrink(Hardshrink<T> { lambd }) "hardshrink";
    /// [`Threshold`]: `threshold(threshold=0, value=0)`.
    Threshold(Threshold<T> { threshold, value }) "threshold";
    /// [`QuickGelu`]: `quick_gelu`.
    QuickGelu(QuickGelu {}) "quick_gelu";
    /// [`Squareplus`]: `squareplus(b=4)`.
    Squareplus(Squareplus<T> { b }) "squareplus";
    /// [`SquaredRelu`]: `squared_relu`.
    SquaredRelu(SquaredRelu {}) "squared_relu";
    /// [`Snake`]: `snake(alpha=1)`.
    Snake(Snake<T> { alpha }) "snake";
    /// [`TanhExp`]: `tanhexp`.
    TanhExp(TanhExp {}) "tanhexp";
}

/// The canonical names, each once, in catalogue order.
fn entry_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Vec::new();
    for e in entries::<f64>() {
        if !names.contains(&e.name) {
            names.push(e.name);
        }
    }
    names
}

impl<T: Real> Builtin<T> {
    /// Every built-in with its default parameters, in catalogue order.
    pub fn all() -> Vec<Builtin<T>> {
        entries::<T>().iter().map(|e| (e.default)()).collect()
    }

    /// The canonical name: `leaky_relu`, `gelu` for both GELUs.
    pub fn name(&self) -> &'static str {
        entries::<T>()[self.index()].name
    }

    /// The names the text form accepts, canonical spelling, each once.
    pub fn names() -> Vec<&'static str> {
        entry_names()
    }
}

/// The default parameter values of an entry, in declaration order.
fn default_values<T: Real>(e: &Entry<T>) -> Vec<T> {
    (e.default)().values()
}

impl<T: Real> fmt::Display for Builtin<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let entries = entries::<T>();
        let e = &entries[self.index()];
        let mut args: Vec<String> = Vec::new();
        if let Some(a) = e.approximate {
            // The first variant of a name is its default.
            if entries
                .iter()
                .find(|o| o.name == e.name)
                .map(|o| o.approximate)
                != Some(Some(a))
            {
                args.push(format!("approximate={a}"));
            }
        }
        let defaults = default_values(e);
        for ((name, v), d) in e.params.iter().zip(self.values()).zip(defaults) {
            // Compared as bits, so that -0 and NaN print too.
            if v.to_f64().to_bits() != d.to_f64().to_bits() {
                args.push(format!("{name}={}", format_real(v)));
            }
        }
        if args.is_empty() {
            f.write_str(e.name)
        } else {
            write!(f, "{}({})", e.name, args.join(", "))
        }
    }
}

/// The name with case and `_` ignored: `LeakyReLU`, `leaky_relu` and `leakyrelu` meet.
fn normalized(name: &str) -> String {
    name.chars()
        .filter(|&c| c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// What a number must be, if `text` names one that `T` cannot hold: a finite number
/// that parses to ±inf, or a nonzero one that parses to 0 (`1e39` and `1e-50` in
/// f32). Parsing would turn them into another parameter silently, or into a
/// constraint's error about a value the text does not hold ("alpha must be != 0, got
/// 0" for `alpha=1e-50`); `Dynamic` refuses them the same way.
fn range_problem<T: Real>(text: &str, parsed: T) -> Option<String> {
    let ty = std::any::type_name::<T>();
    let (largest, smallest) = if T::SINGLE {
        ("3.4e38", "1.4e-45")
    } else {
        ("1.8e308", "4.9e-324")
    };
    let v = parsed.to_f64();
    if v.is_infinite() && !text.to_ascii_lowercase().contains("inf") {
        Some(format!(
            "a number within {ty}'s range (its largest value is about {largest})"
        ))
    } else if v == 0.0 && actdiff_core::syntax::nonzero_mantissa(text) {
        Some(format!(
            "a number that does not round to 0 in {ty} (its smallest positive value is about {smallest})"
        ))
    } else {
        None
    }
}

impl<T: Real + FromStr> FromStr for Builtin<T> {
    type Err = ParseBuiltinError;

    fn from_str(text: &str) -> Result<Self, ParseBuiltinError> {
        let syntax = |message: String| ParseBuiltinError::Syntax { message };
        let text = text.trim();
        let (name, args) = match text.find('(') {
            None => (text, None),
            Some(open) => {
                let Some(inner) = text[open + 1..].strip_suffix(')') else {
                    return Err(syntax(format!(
                        "expected `)` at the end of `{text}`, like `leaky_relu(negative_slope=0.2)`"
                    )));
                };
                (text[..open].trim_end(), Some(inner))
            }
        };
        if name.is_empty() {
            return Err(syntax(format!(
                "expected an activation's name in `{text}`, like `relu` or `leaky_relu(negative_slope=0.2)`"
            )));
        }
        let all = entries::<T>();
        let key = normalized(name);
        let candidates: Vec<&Entry<T>> = all.iter().filter(|e| normalized(e.name) == key).collect();
        let Some(&first) = candidates.first() else {
            return Err(ParseBuiltinError::UnknownName {
                name: name.to_string(),
                nearest: nearest(name, &entry_names()),
            });
        };
        let mut entry = first;
        let mut values = default_values(entry);
        let mut given = vec![false; entry.params.len()];
        let mut positional = 0usize;
        let mut named_seen = false;
        let mut approximate_given = false;
        let args = args.map(str::trim).unwrap_or("");
        let pieces: Vec<&str> = if args.is_empty() {
            Vec::new()
        } else {
            // A trailing comma is allowed, as in Python.
            let args = args.strip_suffix(',').unwrap_or(args);
            args.split(',').map(str::trim).collect()
        };
        for piece in pieces {
            if piece.is_empty() {
                return Err(syntax(format!("empty argument in `{text}`")));
            }
            let (key, value) = match piece.split_once('=') {
                Some((k, v)) => (Some(k.trim()), v.trim()),
                None => (None, piece),
            };
            let index = match key {
                Some("approximate") if entry.approximate.is_some() => {
                    if approximate_given {
                        return Err(ParseBuiltinError::DuplicateParameter {
                            activation: entry.name,
                            parameter: "approximate",
                        });
                    }
                    approximate_given = true;
                    let choice = value.trim_matches(|c| c == '\'' || c == '"');
                    let Some(&chosen) = candidates.iter().find(|e| e.approximate == Some(choice))
                    else {
                        let choices: Vec<&str> =
                            candidates.iter().filter_map(|e| e.approximate).collect();
                        return Err(ParseBuiltinError::InvalidValue {
                            activation: entry.name,
                            parameter: "approximate",
                            value: value.to_string(),
                            expected: either(&choices),
                        });
                    };
                    entry = chosen;
                    named_seen = true;
                    continue;
                }
                Some(k) => {
                    named_seen = true;
                    match entry.params.iter().position(|p| *p == k) {
                        Some(i) => i,
                        None => {
                            let keys = entry.keys();
                            return Err(ParseBuiltinError::UnknownParameter {
                                activation: entry.name,
                                parameter: k.to_string(),
                                nearest: nearest(k, &keys),
                            });
                        }
                    }
                }
                None => {
                    if named_seen {
                        return Err(syntax(format!(
                            "positional argument `{piece}` after a named one in `{text}`"
                        )));
                    }
                    positional += 1;
                    if positional > entry.params.len() {
                        return Err(ParseBuiltinError::TooManyArguments {
                            activation: entry.name,
                            takes: entry.params.len(),
                            given: positional,
                        });
                    }
                    positional - 1
                }
            };
            let parameter = entry.params[index];
            if given[index] {
                return Err(ParseBuiltinError::DuplicateParameter {
                    activation: entry.name,
                    parameter,
                });
            }
            given[index] = true;
            let invalid = |expected: String| ParseBuiltinError::InvalidValue {
                activation: entry.name,
                parameter,
                value: value.to_string(),
                expected,
            };
            let parsed: T = value.parse().map_err(|_| invalid("a number".to_string()))?;
            if let Some(expected) = range_problem(value, parsed) {
                return Err(invalid(expected));
            }
            values[index] = parsed;
        }
        (entry.make)(&values).map_err(|e| {
            ParseBuiltinError::Constraint(ParamError::new(
                entry.name,
                e.parameter().to_string(),
                e.requirement().to_string(),
                e.got().to_string(),
            ))
        })
    }
}

#[cfg(feature = "serde")]
impl<T: Real> serde::Serialize for Builtin<T> {
    /// As the canonical text: `"leaky_relu(negative_slope=0.2)"`.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(feature = "serde")]
impl<'de, T: Real + FromStr> serde::Deserialize<'de> for Builtin<T> {
    /// From the text form, with the parse error's message on failure.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// The candidates close enough to `name` to be a likely typo, nearest first, at
/// most three.
fn nearest(name: &str, candidates: &[&'static str]) -> Vec<&'static str> {
    let key = normalized(name);
    let limit = (key.chars().count() / 3).max(1);
    let mut scored: Vec<(usize, &'static str)> = candidates
        .iter()
        .map(|&c| (actdiff_core::suggest::distance(&key, &normalized(c)), c))
        .filter(|&(d, _)| d <= limit)
        .collect();
    scored.sort_by_key(|&(d, _)| d);
    scored.truncate(3);
    scored.into_iter().map(|(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_names_are_typos_or_everything() {
        let names = entry_names();
        assert_eq!(nearest("lekay_relu", &names), ["leaky_relu"]);
        assert_eq!(nearest("rleu", &names)[0], "relu");
        assert!(nearest("banana", &names).is_empty());
    }

    #[test]
    fn the_table_and_the_variants_agree() {
        let all = Builtin::<f64>::all();
        assert_eq!(all.len(), entries::<f64>().len());
        for (k, b) in all.iter().enumerate() {
            assert_eq!(b.index(), k);
            assert_eq!(b.values().len(), b.info().params.len(), "{b}");
            for (p, name) in b.info().params.iter().zip(entries::<f64>()[k].params) {
                assert_eq!(p.name, *name);
            }
        }
    }
}
