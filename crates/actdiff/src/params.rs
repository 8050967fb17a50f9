//! Parameter constraints at run time: the error `try_new` returns.

use crate::Real;
use std::borrow::Cow;
use std::fmt;

/// A parameter value that violates a constraint of the definition's `where` clause,
/// from `try_new` (and the panic message of `new`):
/// `Celu: alpha must be != 0, got 0`.
///
/// ```
/// use actdiff::prelude::*;
///
/// let e = Celu::<f32>::try_new(0.0).unwrap_err();
/// assert_eq!(e.to_string(), "Celu: alpha must be != 0, got 0");
/// assert_eq!(e.parameter(), "alpha");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamError {
    activation: Cow<'static, str>,
    parameter: Cow<'static, str>,
    requirement: Cow<'static, str>,
    got: String,
}

impl ParamError {
    /// An error for `activation`'s `parameter`: `requirement` is what the constraint
    /// asks (`alpha must be != 0`), `got` the offending value or values (`0`, or
    /// `lower = 0.5, upper = 0.1` for a constraint between two parameters).
    pub fn new(
        activation: impl Into<Cow<'static, str>>,
        parameter: impl Into<Cow<'static, str>>,
        requirement: impl Into<Cow<'static, str>>,
        got: impl Into<String>,
    ) -> ParamError {
        ParamError {
            activation: activation.into(),
            parameter: parameter.into(),
            requirement: requirement.into(),
            got: got.into(),
        }
    }

    /// The activation's name (`Celu`).
    pub fn activation(&self) -> &str {
        &self.activation
    }

    /// The parameter the violated constraint is about (`alpha`).
    pub fn parameter(&self) -> &str {
        &self.parameter
    }

    /// What the constraint asks (`alpha must be != 0`).
    pub fn requirement(&self) -> &str {
        &self.requirement
    }

    /// The offending value as its type prints it (`0`), or the values of the
    /// constraint's parameters (`lower = 0.5, upper = 0.1`).
    pub fn got(&self) -> &str {
        &self.got
    }
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}, got {}",
            self.activation, self.requirement, self.got
        )
    }
}

impl std::error::Error for ParamError {}

/// A value as its own type prints it, shortest first: `0.2` for `0.2f32` (not the
/// `0.20000000298023224` of its `f64` conversion), `2` rather than `2.0`.
pub(crate) fn format_real<T: Real>(v: T) -> String {
    let s = format!("{v:?}");
    match s.strip_suffix(".0") {
        Some(int) => int.to_string(),
        None => s,
    }
}

/// `Ok` when the comparison `holds` and no value is NaN; the error otherwise. Generated
/// `try_new` bodies call this once per constraint, and [`crate::Dynamic`] when its
/// parameters change.
pub fn check_constraint<T: Real>(
    holds: bool,
    activation: impl Into<Cow<'static, str>>,
    parameter: impl Into<Cow<'static, str>>,
    requirement: impl Into<Cow<'static, str>>,
    values: &[(&str, T)],
) -> Result<(), ParamError> {
    if holds && !values.iter().any(|(_, v)| v.is_nan()) {
        return Ok(());
    }
    let got = match values {
        [(_, v)] => format_real(*v),
        _ => values
            .iter()
            .map(|(name, v)| format!("{name} = {}", format_real(*v)))
            .collect::<Vec<_>>()
            .join(", "),
    };
    Err(ParamError::new(activation, parameter, requirement, got))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_print_in_their_own_precision() {
        assert_eq!(format_real(0.2f32), "0.2");
        assert_eq!(format_real(2.0f64), "2");
        assert_eq!(format_real(-0.0f64), "-0");
        assert_eq!(format_real(f32::NAN), "NaN");
        assert_eq!(format_real(1e-7f32), "1e-7");
    }

    #[test]
    fn messages_name_the_activation_parameter_and_values() {
        let e = check_constraint(
            false,
            "Rrelu",
            "lower",
            "lower must be <= upper",
            &[("lower", 0.5f32), ("upper", 0.1)],
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "Rrelu: lower must be <= upper, got lower = 0.5, upper = 0.1"
        );
        assert_eq!((e.activation(), e.parameter()), ("Rrelu", "lower"));
        assert!(check_constraint(
            true,
            "Celu",
            "alpha",
            "alpha must be != 0",
            &[("alpha", f64::NAN)]
        )
        .is_err());
        assert!(check_constraint(
            true,
            "Celu",
            "alpha",
            "alpha must be != 0",
            &[("alpha", 1.0f64)]
        )
        .is_ok());
    }
}
