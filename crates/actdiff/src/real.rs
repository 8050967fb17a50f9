//! `Real`: the float types activations are generic over.

use core::fmt::Debug;
use core::ops::{Add, Div, Mul, Neg, Sub};

/// A float type generated activations compute in: `f32` and `f64`.
///
/// Arithmetic and comparisons come from the operator traits; the math functions are
/// branch-free and table-free ([`crate::math`]), so a loop over a slice vectorizes and
/// the slice kernels give the same bits as the scalar methods. `max` and `min`
/// return NaN when either side is NaN (unlike `f32::max`, which drops it).
///
/// The math uses fused multiply-add (`mul_add`). The slice kernels and the
/// `Activation` methods run it as an instruction where the CPU has FMA; a `Real`
/// method called directly in code not compiled for FMA (the default for x86-64)
/// gets the same bits from a library call, several times slower.
pub trait Real:
    Copy
    + Debug
    + Default
    + PartialEq
    + PartialOrd
    + Send
    + Sync
    + 'static
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
{
    /// The largest finite value.
    const MAX: Self;
    /// Machine epsilon.
    const EPSILON: Self;
    /// Whether this is single precision. Generated code selects the engine's
    /// polynomial stand-ins near roots of cancelling functions only there (they are
    /// fitted to f32 accuracy); for other types the selection compiles away.
    const SINGLE: bool;
    /// Converts from `f64`, rounding to nearest.
    fn from_f64(v: f64) -> Self;
    /// Converts to `f64` exactly.
    fn to_f64(self) -> f64;
    /// Whether the value is NaN.
    fn is_nan(self) -> bool;
    /// Whether the value is +inf or -inf.
    fn is_infinite(self) -> bool;
    /// `self`, or `v` when `v` is NaN: how generated code makes a NaN input or
    /// parameter reach a result that a comparison would otherwise hide.
    #[inline(always)]
    fn propagate_nan(self, v: Self) -> Self {
        if v.is_nan() {
            v
        } else {
            self
        }
    }
    /// ±inf clamped to ±MAX; finite values and NaN unchanged.
    #[inline(always)]
    fn clamp_finite(self) -> Self {
        if self > Self::MAX {
            Self::MAX
        } else if self < -Self::MAX {
            -Self::MAX
        } else {
            self
        }
    }
    /// The larger value; NaN if either is NaN.
    #[inline(always)]
    fn max(self, other: Self) -> Self {
        if self > other || self.is_nan() {
            self
        } else {
            other
        }
    }
    /// The smaller value; NaN if either is NaN.
    #[inline(always)]
    fn min(self, other: Self) -> Self {
        if self < other || self.is_nan() {
            self
        } else {
            other
        }
    }
    /// `|x|`
    fn abs(self) -> Self;
    /// `sqrt(x)`
    fn sqrt(self) -> Self;
    /// `e^x`
    fn exp(self) -> Self;
    /// `e^x - 1`, accurate near 0.
    fn expm1(self) -> Self;
    /// Natural logarithm.
    fn ln(self) -> Self;
    /// `ln(1 + x)`, accurate near 0.
    fn log1p(self) -> Self;
    /// Hyperbolic tangent.
    fn tanh(self) -> Self;
    /// `sech(x)² = 1 - tanh(x)²`, without cancellation where `tanh(x)` is near ±1.
    fn sech2(self) -> Self;
    /// `tanh(softplus(x))` with a single exponential: mish's factor.
    fn tanh_softplus(self) -> Self;
    /// `sech2(softplus(x))` with a single exponential: in mish's derivatives.
    fn sech2_softplus(self) -> Self;
    /// `sech2(softplus(x)) · sigmoid(x)`, the derivative of `tanh(softplus(x))`, as one
    /// value: generated code calls it for that product (in mish's derivative), which
    /// then shares `tanh_softplus`'s exponential and division in `f32`, and
    /// `sech2_softplus`'s in `f64`.
    fn sigmoid_sech2_softplus(self) -> Self;
    /// `tanh(softplus(x)) + v · sech2(softplus(x)) · sigmoid(x)`: `tanh(softplus)` plus
    /// `v` times its derivative, as one value. Generated code calls it for that sum
    /// (mish's derivative, `v = x`), whose two terms cancel beside the derivative's
    /// root at -1.19; in `f32` it is computed in `f64` from `tanh_softplus`'s
    /// exponential and division and rounded once, so the cancellation costs about
    /// 2^-38 in absolute terms (the exponential's error), not f32's rounding. In `f64`
    /// it is the sum of the two calls.
    fn tanh_softplus_slope(self, v: Self) -> Self;
    /// `sech2(exp(x))` with `e^x` carried unrounded into the second exponential, which
    /// magnifies `e^x`'s relative error `2e^x` times: in tanhexp's derivatives.
    fn sech2_exp(self) -> Self;
    /// `1 / (1 + e^-x)`, accurate in both tails.
    fn sigmoid(self) -> Self;
    /// `sigmoid(-x)`, from the same exponential as `sigmoid(x)`: generated code calls
    /// it for `sigmoid(-u)`, so that sigmoid's derivative `σ(u)·σ(-u)` computes one.
    fn sigmoid_neg(self) -> Self;
    /// `ln(1 + e^x)`, accurate in both tails.
    fn softplus(self) -> Self;
    /// Error function.
    fn erf(self) -> Self;
    /// Complementary error function, accurate in the right tail.
    fn erfc(self) -> Self;
    /// The Gaussian `e^(-x²)`, with `x²` taken exactly: `exp(-(x * x))` would lose `x²`
    /// times the rounding of the square (the derivative of `erf` and `erfc`).
    fn gauss(self) -> Self;
    /// Sine.
    fn sin(self) -> Self;
    /// Cosine.
    fn cos(self) -> Self;
    /// `cos(2x)`, with `2x` taken exactly and never overflowing.
    fn cos2x(self) -> Self;
    /// `1 + sin(2x)`, without cancelling near its double roots.
    fn sin2x1p(self) -> Self;
    /// `x·cos(x) - sin(x)/2`, accurate near its roots (`tan x = 2x`), where the
    /// difference cancels (the factor of snake's gradient in its parameter).
    fn xcos_halfsin(self) -> Self;
    /// `x^y`
    fn pow(self, y: Self) -> Self;
    /// `x^n` for an integer `n`.
    fn powi(self, n: i32) -> Self;
    /// The rounding error of the product `self · b`, exactly: `self·b - fl(self·b)`;
    /// 0 where the product overflows (see [`crate::math::f32::mul_err`]).
    fn mul_err(self, b: Self) -> Self;
    /// `gauss(self) · b`, what generated code computes for such a product: in `f32`
    /// from `e^(-x²)` in `f64`, rounded once (on its own `gauss(x)` is subnormal for
    /// `|x| > 9.3`, and a factor `b` above 1 would magnify that rounding); in `f64` from
    /// `gauss(self)` unrounded, so that a subnormal `gauss(self)` loses nothing to the
    /// product. Where the product is 0 to the type for every finite `b` (`|self|`
    /// above 14.8 in `f32`, 33 in `f64`), an infinite `b` counts as ±MAX and the
    /// product is ±0, not NaN: the engine's `b` there is a polynomial in `self` that
    /// overflowed (`1 - 2x²` in the derivative of `x·e^(-x²)` at `x = MAX`), which the
    /// Gaussian outweighs. A factor that grows like `e^(u²)` would not be outweighed;
    /// differentiation makes none.
    fn gauss_mul(self, b: Self) -> Self;
    /// `erfc(self) · b`, the fused product the engine emits for `erfc(u) * v`: in
    /// both types from `erfc(self)` unrounded in its right tail (in `f32` scaled in
    /// `f64`, the product rounded once), so that a subnormal `erfc(self)` loses nothing
    /// to the product (gelu's left tail). Where `erfc(self)` is 0 to the type (`self`
    /// above 14 in `f32`, 28 in `f64`), an infinite `b` counts as ±MAX, as in
    /// [`gauss_mul`](Real::gauss_mul).
    fn erfc_mul(self, b: Self) -> Self;
}

macro_rules! impl_real {
    ($t:ident, $single:expr) => {
        impl Real for $t {
            const MAX: Self = $t::MAX;
            const EPSILON: Self = $t::EPSILON;
            const SINGLE: bool = $single;
            #[inline(always)]
            fn from_f64(v: f64) -> Self {
                v as $t
            }
            #[inline(always)]
            fn to_f64(self) -> f64 {
                self as f64
            }
            #[inline(always)]
            fn is_nan(self) -> bool {
                // `self != self` rather than a call, to stay a plain compare in loops.
                #[allow(clippy::eq_op)]
                let nan = self != self;
                nan
            }
            #[inline(always)]
            fn is_infinite(self) -> bool {
                $t::is_infinite(self)
            }
            #[inline(always)]
            fn abs(self) -> Self {
                $t::abs(self)
            }
            #[inline(always)]
            fn sqrt(self) -> Self {
                $t::sqrt(self)
            }
            #[inline(always)]
            fn exp(self) -> Self {
                crate::math::$t::exp(self)
            }
            #[inline(always)]
            fn expm1(self) -> Self {
                crate::math::$t::expm1(self)
            }
            #[inline(always)]
            fn ln(self) -> Self {
                crate::math::$t::ln(self)
            }
            #[inline(always)]
            fn log1p(self) -> Self {
                crate::math::$t::log1p(self)
            }
            #[inline(always)]
            fn tanh(self) -> Self {
                crate::math::$t::tanh(self)
            }
            #[inline(always)]
            fn sech2(self) -> Self {
                crate::math::fused::$t::sech2(self)
            }
            #[inline(always)]
            fn tanh_softplus(self) -> Self {
                crate::math::fused::$t::tanh_softplus(self)
            }
            #[inline(always)]
            fn sech2_softplus(self) -> Self {
                crate::math::fused::$t::sech2_softplus(self)
            }
            #[inline(always)]
            fn sigmoid_sech2_softplus(self) -> Self {
                crate::math::fused::$t::sigmoid_sech2_softplus(self)
            }
            #[inline(always)]
            fn tanh_softplus_slope(self, v: Self) -> Self {
                crate::math::fused::$t::tanh_softplus_slope(self, v)
            }
            #[inline(always)]
            fn sech2_exp(self) -> Self {
                crate::math::fused::$t::sech2_exp(self)
            }
            #[inline(always)]
            fn sigmoid_neg(self) -> Self {
                crate::math::fused::$t::sigmoid_neg(self)
            }
            #[inline(always)]
            fn sigmoid(self) -> Self {
                // The fused form, which shares its exponential with `tanh_softplus`
                // and `sech2_softplus`, so that mish's backward pass computes one
                // instead of two. In f32 (`E / (1 + E)` finished in f64) it is also
                // more accurate than the stand-alone kernel (`math::f32::sigmoid`,
                // 0.79 ULP), which costs several times more. In f64 it is 1.0 ULP on
                // the oracle's 4,000 points against the stand-alone kernel's 0.6, and
                // makes mish's f64 backward about 15% faster.
                crate::math::fused::$t::sigmoid(self)
            }
            #[inline(always)]
            fn softplus(self) -> Self {
                crate::math::$t::softplus(self)
            }
            #[inline(always)]
            fn erf(self) -> Self {
                crate::math::$t::erf(self)
            }
            #[inline(always)]
            fn erfc(self) -> Self {
                crate::math::$t::erfc(self)
            }
            #[inline(always)]
            fn gauss(self) -> Self {
                crate::math::$t::gauss(self)
            }
            #[inline(always)]
            fn sin(self) -> Self {
                crate::math::$t::sin(self)
            }
            #[inline(always)]
            fn cos(self) -> Self {
                crate::math::$t::cos(self)
            }
            #[inline(always)]
            fn cos2x(self) -> Self {
                crate::math::$t::cos2x(self)
            }
            #[inline(always)]
            fn sin2x1p(self) -> Self {
                crate::math::$t::sin2x1p(self)
            }
            #[inline(always)]
            fn xcos_halfsin(self) -> Self {
                crate::math::$t::xcos_halfsin(self)
            }
            #[inline(always)]
            fn pow(self, y: Self) -> Self {
                crate::math::$t::pow(self, y)
            }
            #[inline(always)]
            fn powi(self, n: i32) -> Self {
                crate::math::$t::powi(self, n)
            }
            #[inline(always)]
            fn mul_err(self, b: Self) -> Self {
                crate::math::$t::mul_err(self, b)
            }
            #[inline(always)]
            fn gauss_mul(self, b: Self) -> Self {
                crate::math::$t::gauss_mul(self, b)
            }
            #[inline(always)]
            fn erfc_mul(self, b: Self) -> Self {
                crate::math::$t::erfc_mul(self, b)
            }
        }
    };
}

impl_real!(f32, true);
impl_real!(f64, false);

#[cfg(test)]
mod tests {
    use super::Real;

    #[test]
    fn max_and_min_keep_nan_on_either_side() {
        assert!(Real::max(f32::NAN, 1.0).is_nan());
        assert!(Real::max(1.0f32, f32::NAN).is_nan());
        assert!(Real::min(f64::NAN, 1.0).is_nan());
        assert!(Real::min(1.0f64, f64::NAN).is_nan());
        assert_eq!(Real::max(0.0f32, 2.0), 2.0);
        assert_eq!(Real::min(0.0f64, 2.0), 0.0);
    }

    #[test]
    fn clamp_finite_only_touches_infinities() {
        assert_eq!(f32::INFINITY.clamp_finite(), f32::MAX);
        assert_eq!(f64::NEG_INFINITY.clamp_finite(), -f64::MAX);
        assert_eq!(1.5f32.clamp_finite(), 1.5);
        assert!(f32::NAN.clamp_finite().is_nan());
    }
}
