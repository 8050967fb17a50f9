//! Fused forms the emitter calls for patterns that would otherwise cost several
//! exponentials: `tanh(softplus(x))` and `sech2(softplus(x))` (mish and its
//! derivatives), and `sech2(x)`. Each is a rational function of one `e = exp(-|x|)`
//! (or `exp(-2|x|)`), chosen per sign so that nothing overflows or cancels. The
//! kernels of one activation compute `exp(-|x|)` with the same instructions, which
//! the compiler then shares.
//!
//! With `e = exp(-|x|)` and `n = e^x (e^x + 2)`:
//! - `tanh(softplus(x)) = n / (n + 2)`, which is `(1 + 2e) / (1 + 2e + 2e²)` for
//!   `x >= 0` and `e (e + 2) / (e² + 2e + 2)` for `x < 0`;
//! - `sech2(softplus(x)) = 4 (n + 1) / (n + 2)²`, which is
//!   `4 e² (1 + e)² / (1 + 2e + 2e²)²` for `x >= 0` and `4 (1 + e)² / (e² + 2e + 2)²`
//!   for `x < 0`.

macro_rules! fused {
    ($t:ident) => {
        /// Fused forms in this precision.
        pub mod $t {
            use crate::math::$t::{exp, exp_split};

            /// `exp(-|x|)`, from the same instructions as `tanh_softplus`'s split
            /// form (`hi + lo` rounds to `exp`), so that the compiler shares them.
            #[inline(always)]
            fn exp_e(x: $t) -> $t {
                let (eh, el) = exp_split(-x.abs());
                eh + el
            }

            /// `sech(x)² = 4e / (1 + e)²` with `e = exp(-2|x|)`.
            #[inline(always)]
            pub fn sech2(x: $t) -> $t {
                let e = exp(-2.0 * x.abs());
                let d = 1.0 + e;
                4.0 * e / (d * d)
            }

            /// `1 / (1 + exp(-x))` from the same `e = exp(-|x|)` as the other fused
            /// forms, so an activation using several of them computes one exponential:
            /// `1 / (1 + e)` for `x >= 0`, `e / (1 + e)` below, where `e = exp(x)`
            /// keeps its accuracy down through the subnormal results.
            #[inline(always)]
            pub fn sigmoid(x: $t) -> $t {
                let (eh, el) = exp_split(-x.abs());
                let e = eh + el;
                // What rounding eh + el to e lost, exactly (|el| is well below |eh|):
                // below zero e is the numerator, and exp's last rounding would count
                // in full.
                let e_err = el - (e - eh);
                let pos = x >= 0.0;
                let num = if pos { 1.0 } else { e };
                let num_err = if pos { 0.0 } else { e_err };
                let d = 1.0 + e;
                // d's rounding error, exactly (|e| <= 1), and e's, folded back into
                // the quotient: (num + num_err) / (d + d_err) to first order.
                let d_err = ((1.0 - d) + e) + e_err;
                let q = num / d;
                q + (num_err - q * d_err) / d
            }

            /// `tanh(softplus(x))`.
            #[inline(always)]
            pub fn tanh_softplus(x: $t) -> $t {
                let (eh, el) = exp_split(-x.abs());
                let e = eh + el;
                let two_e = 2.0 * e;
                // One division: the sign picks the numerator and denominator. Below
                // zero the value is about e, so it is written e - e²(e + 1)/den with
                // e = eh + el entering exactly: exp's last rounding would otherwise
                // count in full (mish was 4.65 ULP off at x = -6.77 in f32).
                let pos = x >= 0.0;
                let num = if pos { 1.0 + two_e } else { e * e * (e + 1.0) };
                let den = if pos {
                    1.0 + two_e + two_e * e
                } else {
                    e * (e + 2.0) + 2.0
                };
                // NaN: e is NaN, so the quotient is too.
                let q = num / den;
                if pos {
                    q
                } else {
                    eh - (q - el)
                }
            }

            /// `sech2(softplus(x))`.
            #[inline(always)]
            pub fn sech2_softplus(x: $t) -> $t {
                let e = exp_e(x);
                let e2 = e * e;
                let one_e = 1.0 + e;
                let pos = x >= 0.0;
                let den = if pos {
                    1.0 + 2.0 * e + 2.0 * e2
                } else {
                    e2 + 2.0 * e + 2.0
                };
                let num = 4.0 * (one_e * one_e) * if pos { e2 } else { 1.0 };
                num / (den * den)
            }
        }
    };
}

fused!(f32);
fused!(f64);

#[cfg(test)]
mod tests {
    fn softplus(x: f64) -> f64 {
        x.max(0.0) + (-x.abs()).exp().ln_1p()
    }

    #[test]
    fn fused_forms_match_their_definitions() {
        for i in -400..=400 {
            let x = f64::from(i) * 0.1;
            let sp = softplus(x);
            let t = sp.tanh();
            let s2 = 1.0 / sp.cosh().powi(2);
            let rel = |a: f64, b: f64| ((a - b) / b).abs();
            assert!(rel(super::f64::tanh_softplus(x), t) < 1e-14, "{x}");
            assert!(rel(super::f64::sech2_softplus(x), s2) < 1e-13, "{x}");
            assert!(
                rel(super::f64::sech2(x), 1.0 / x.cosh().powi(2)) < 1e-13,
                "{x}"
            );
            let x32 = x as f32;
            let want32 = softplus(f64::from(x32)).tanh();
            assert!(
                rel(f64::from(super::f32::tanh_softplus(x32)), want32) < 1e-6,
                "{x}"
            );
        }
    }

    #[test]
    fn limits_and_nan() {
        use super::f32::*;
        assert_eq!(tanh_softplus(f32::INFINITY), 1.0);
        assert_eq!(tanh_softplus(f32::NEG_INFINITY), 0.0);
        assert_eq!(sech2_softplus(f32::INFINITY), 0.0);
        assert_eq!(sech2_softplus(f32::NEG_INFINITY), 1.0);
        assert_eq!(sech2(f32::INFINITY), 0.0);
        assert!(tanh_softplus(f32::NAN).is_nan());
        assert!(sech2_softplus(f32::NAN).is_nan());
        assert!(sech2(f32::NAN).is_nan());
    }
}
