//! Doc comments and attributes pass through to the generated type, `cfg` also to its
//! impls; the generated code is free of warnings and documented, even under strict
//! lints and for a deprecated definition.

#![deny(warnings, missing_docs, unused_qualifications, unreachable_pub)]
#![deny(clippy::all)]

//! A crate-level doc comment, as `missing_docs` requires.

use actdiff::prelude::*;

activation! {
    /// Documented, and never used: `allow(dead_code)` must reach the struct.
    #[allow(dead_code)]
    Unused(x; slope = 2) = slope * x;

    /// Documented with several lines
    /// and an attribute after the docs.
    #[doc = "A doc attribute written out."]
    #[must_use]
    pub(crate) Documented(x) = sigmoid(x);

    #[doc(alias = "silu")]
    /// Docs after an attribute.
    pub(crate) Swish(x; beta = 1) = x * sigmoid(beta * x);

    /// Configured away: no impl of it may remain (it would name a type that is not
    /// there), with or without parameters.
    #[cfg(any())]
    pub(crate) Absent(x) = x * sigmoid(x);
    /// Configured away, with parameters.
    #[cfg(any())]
    pub(crate) AbsentWithSlope(x; slope = 2) = slope * x;
    /// Configured in.
    #[cfg(all())]
    pub(crate) Present(x; slope = 2) = slope * x;

    /// Deprecated: its own impls must not warn (this crate denies warnings).
    #[deprecated = "use Present"]
    pub(crate) Old(x) = 2 * x;
}

#[must_use]
fn apply<A: Activation<f32>>(a: &A, x: f32) -> f32 {
    a.forward(x)
}

fn main() {
    assert_eq!(apply(&Documented, 0.0), 0.5);
    let s = Swish::<f32>::default();
    assert_eq!(apply(&s, 0.0), 0.0);
    assert_eq!(s.derivative(0.0), 0.5);
    assert_eq!(s.param_derivative(0, 0.0), 0.0);
    assert_eq!(apply(&Present::<f32>::default(), 1.5), 3.0);
    #[allow(deprecated)]
    let old = Old;
    assert_eq!(apply(&old, 1.5), 3.0);
}
