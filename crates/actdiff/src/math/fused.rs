//! Fused forms the emitter calls for patterns that would otherwise cost several
//! exponentials: `tanh(softplus(x))` and `sech2(softplus(x))` (mish and its
//! derivatives), `sech2(x)`, and the sigmoid `Real` uses. The kernels of one
//! activation compute the same exponential with the same instructions, which the
//! compiler then shares.
//!
//! In `f32` each is a rational function of `E = e^x`, evaluated in `f64` from
//! [`crate::math::f32`]'s `exp_wide` (an exponential of the `f32` input computed in
//! `f64`, about 2^-34 relative) and rounded once: with `n = E (E + 2)`,
//! - `tanh(softplus(x)) = n / (n + 2)`,
//! - `sech2(softplus(x)) = 4 (n + 1) / (n + 2)²`,
//! - `sigmoid(x) = E / (1 + E)`, and `sigmoid(-x) = 1 / (1 + E)` (`sigmoid_neg`,
//!   which the emitter calls for `sigmoid(-u)`: sigmoid's derivative `σ(u)·σ(-u)`
//!   then takes one exponential and one division), and
//! - `sech2(softplus(x)) · sigmoid(x) = 4E (1 + E) / (n + 2)²`
//!   (`sigmoid_sech2_softplus`, which the emitter calls for that product, the derivative
//!   of `tanh(softplus(x))`: mish's derivative then divides once), and
//! - `tanh(softplus(x)) + v · sech2(softplus(x)) · sigmoid(x)`
//!   (`tanh_softplus_slope`, which the emitter calls for that sum, mish's derivative
//!   with `v = x`): the sum is taken in `f64` too, so its terms' cancellation beside
//!   the root at -1.19 leaves an absolute error of about 2^-38 (the exponential's
//!   2^-34 times the derivative's slope there), where DESIGN.md counts absolute
//!   error, and needs no polynomial window. Relative to the derivative's value that
//!   is more than 8 ULP only within 3.5e-6 of the root (59 f32 inputs, 9,368 ULP at
//!   the nearest), where the window it replaced gave 2.3 at most; its absolute error
//!   within 1.2e-3 of the root is 1.3e-4 EPSILON (4.0e-4 with the window).
//!
//! Each quotient is a product with a reciprocal that the forms of one activation share
//! (`1/(n + 2)`, `1/(1 + E)`): a division in `f64` is the costliest instruction of
//! these loops. `f64` has the range for `E` from `e^-104` to `e^104` with neither
//! overflow nor subnormals, so no sign split is needed, and the only error beyond the
//! final rounding is `E`'s, about 2^-10 of an ULP. Measured over every `f32` (the
//! `fused_f32_forms_over_every_input` test, `--ignored`): 0.5007, 0.5014, 0.5007,
//! 0.5007 and 0.5014 ULP, each within 0.0014 ULP of the correctly rounded value. (With `E` from `f32`'s
//! own kernel widened to `f64`, about 2^-26, they were 0.668, 0.955, 0.668, 0.670 and
//! 0.943; the compensated `f32` forms before those, 2.31 and 8.72 on every third `f32`,
//! 1.14 over every normal result.)
//!
//! In `f64` there is no wider type: each is a rational function of one `e = exp(-|x|)`
//! (or `exp(-2|x|)`), chosen per sign so that nothing overflows or cancels. With
//! `e = exp(-|x|)` and `n = e^x (e^x + 2)`:
//! - `tanh(softplus(x)) = n / (n + 2)`, which is `(1 + 2e) / (1 + 2e + 2e²)` for
//!   `x >= 0` and `e (e + 2) / (e² + 2e + 2)` for `x < 0`;
//! - `sech2(softplus(x)) = 4 (n + 1) / (n + 2)²`, which is `4g²` with
//!   `g = e (1 + e) / (1 + 2e + 2e²)` for `x >= 0` and `g = (1 + e) / (e² + 2e + 2)`
//!   for `x < 0`, carried as `hi + lo` (error-free sums and square of `e`, the
//!   quotient's remainder) and rounded once: 1.0 ULP against a double-double reference
//!   over [-40, 350] (`f64_sech2_softplus_is_within_an_ulp`), where the rational
//!   function of the rounded `e` was 7 (6.7 against mpmath at x = 3.79);
//! - `sigmoid(x) = 1 / (1 + e)` for `x >= 0` and `e / (1 + e)` below, with the
//!   roundings of `e` and `1 + e` folded back into the quotient, which is taken from
//!   one reciprocal and corrected by its remainder: 0.6 ULP on the oracle's 4,000
//!   points (`tests/accuracy.rs`);
//! - `sech2(softplus(x)) · sigmoid(x) = 4g · e/D` (`D` the denominator of `g`: the
//!   `1 + e` of sigmoid cancels against one of sech²'s), from `sech2_softplus`'s `g`
//!   and reciprocal of `D`, `e/D` corrected by its remainder, rounded once: 1.0 ULP
//!   against a double-double reference over [-40, 350]
//!   (`f64_sigmoid_sech2_softplus_is_within_an_ulp`; the product of the two functions
//!   it replaced, 2), and one division where that product took two.

/// `sech(x)² = 4e / (1 + e)²` with `e = exp(-2|x|)`, the same in both precisions.
macro_rules! sech2 {
    ($t:ident) => {
        /// `sech(x)² = 4e / (1 + e)²` with `e = exp(-2|x|)`.
        #[inline(always)]
        pub fn sech2(x: $t) -> $t {
            let e = exp(-2.0 * x.abs());
            let d = 1.0 + e;
            4.0 * e / (d * d)
        }
    };
}

/// Fused forms in `f32`, finished in `f64`.
pub mod f32 {
    use crate::math::f32::{exp, exp_wide, exp_wide_core, EXP_WIDE_CORE_MIN};

    /// `sech(e^x)²`, accurate where `e^x` is large: `4w / (1 + w)²` with
    /// `w = e^(-2e^x)`, all in `f64` and rounded once. f32's own kernels leave `e^x`
    /// about 2^-26 off, which `2e^x` (up to 104 before the result underflows) would
    /// magnify to an ULP (the composition `sech2(exp(x))` is tens of ULPs off above
    /// x = 3); `exp_wide`'s 2^-34 becomes at most 2^-27.3 in `w`. Maximum error
    /// 0.563 ULP against the f64 form over every `f32` in (-120, 4.5) with a normal
    /// result (at x = 3.785).
    // One form for every x, not the f64 one's composition below x = 1 and this above:
    // that computed both for every lane, and the composition's exp(-2e^x) went
    // subnormal for the lanes above 3.8 that it then discarded, which took tanhexp's
    // f32 backward to 12.0–12.4 ns per element at 2^20 (against 1.2–1.3 for its
    // forward; the far form was two of f64's full exponentials then).
    #[inline(always)]
    pub fn sech2_exp(x: f32) -> f32 {
        use crate::math::f64::sel;
        let m = -2.0 * exp_wide(x);
        let w = exp_wide_core(sel(m < EXP_WIDE_CORE_MIN, EXP_WIDE_CORE_MIN, m));
        let d = 1.0 + w;
        (4.0 * w / (d * d)) as f32
    }

    sech2!(f32);

    /// `1 / (1 + exp(-x))` as `E / (1 + E)` with `E = e^x` in `f64`, from the same
    /// exponential as the other fused forms, so that an activation using several of
    /// them computes one. Subnormal results are rounded once. Maximum error 0.5007 ULP
    /// over every `f32`.
    // `E · (1/(1 + E))`, not `E / (1 + E)`: `sigmoid_neg` is the same reciprocal,
    // so that `σ(u)·σ(-u)` (sigmoid's derivative, in silu's, swish's ...) takes one
    // exponential and one division (silu's f32 backward 2.32 -> 1.48 ns with AVX-512).
    #[inline(always)]
    pub fn sigmoid(x: f32) -> f32 {
        let e = exp_wide(x);
        (e * (1.0 / (1.0 + e))) as f32
    }

    /// `sigmoid(-x) = 1 / (1 + E)` with `E = e^x` in `f64`, the exponential and the
    /// reciprocal of `sigmoid(x)`; `E` reaches `e^104`, so results down to f32's
    /// smallest subnormal (`x = 103.97`) are rounded once. Maximum error 0.5007 ULP over
    /// every `f32`.
    #[inline(always)]
    pub fn sigmoid_neg(x: f32) -> f32 {
        let e = exp_wide(x);
        (1.0 / (1.0 + e)) as f32
    }

    /// `tanh(softplus(x))`. Maximum error 0.5007 ULP over every `f32`.
    // `n · (1/(n + 2))`, not `n / (n + 2)`: `sech2_softplus` takes the same reciprocal,
    // so that mish's derivative divides once for both (a division in f64 is the
    // costliest instruction here: mish's f32 backward 2.21 -> 1.82 ns with AVX-512;
    // the extra rounding is 2^-53, far below f32's).
    #[inline(always)]
    pub fn tanh_softplus(x: f32) -> f32 {
        let (_, n, r) = softplus_parts(x);
        (n * r) as f32
    }

    /// `E = e^x`, `n = E(E + 2)` and the reciprocal `1/(n + 2)`, in `f64`: what the
    /// softplus forms below share, written once so that the forms one kernel calls
    /// compute them with the same instructions, which the compiler then computes once.
    #[inline(always)]
    fn softplus_parts(x: f32) -> (f64, f64, f64) {
        let e = exp_wide(x);
        let n = e * (e + 2.0);
        (e, n, 1.0 / (n + 2.0))
    }

    /// `sech2(softplus(x)) · sigmoid(x) = 4E(1 + E)·r²` from [`softplus_parts`].
    #[inline(always)]
    fn slope(e: f64, r: f64) -> f64 {
        4.0 * e * (e + 1.0) * r * r
    }

    /// `sech2(softplus(x))`. Maximum error 0.5014 ULP over every `f32`.
    #[inline(always)]
    pub fn sech2_softplus(x: f32) -> f32 {
        let (_, n, r) = softplus_parts(x);
        (4.0 * (n + 1.0) * r * r) as f32
    }

    /// `sech2(softplus(x)) · sigmoid(x) = 4E(1 + E) / (n + 2)²`: `sigmoid`'s `1 + E`
    /// cancels against `sech2`'s `(1 + E)²`, so the product takes `tanh_softplus`'s
    /// reciprocal and no other (mish's derivative divided twice). Rounded once, also
    /// where the result is subnormal. Maximum error 0.5014 ULP over every `f32` (0.943
    /// with the `E` of 2^-26 before, which `1/(n + 2)²` doubles, as in `sech2_softplus`).
    #[inline(always)]
    pub fn sigmoid_sech2_softplus(x: f32) -> f32 {
        let (e, _, r) = softplus_parts(x);
        slope(e, r) as f32
    }

    /// `tanh(softplus(x)) + v · sigmoid_sech2_softplus(x)` in `f64`, rounded once: the
    /// two terms of mish's derivative (`v = x`) cancel beside its root at -1.19, where
    /// the sum of the two rounded `f32` terms needed a polynomial window (a third of
    /// the f32 backward's time) to stay within 8 ULP. Here both terms carry
    /// `exp_wide`'s 2^-34 (see the module docs for what that leaves beside the root),
    /// from one exponential and one division, the same
    /// instructions as `tanh_softplus` and `sigmoid_sech2_softplus`, so that a kernel
    /// computing the forward too shares them.
    #[inline(always)]
    pub fn tanh_softplus_slope(x: f32, v: f32) -> f32 {
        let (e, n, r) = softplus_parts(x);
        let slope = slope(e, r);
        // An infinite `v` (mish' at x = ±inf, where `v = x`) times a slope that f32
        // rounds to 0 is NaN, as the f32 product this replaces was: the provided
        // methods then take the value at the largest finite input, the limit
        // (mish'(+inf) = 1, mish'(-inf) = 0), where the f64 product was ±inf.
        let vs = if v.is_infinite() && slope <= SLOPE_ZERO {
            f64::NAN
        } else {
            f64::from(v) * slope
        };
        (n * r + vs) as f32
    }

    /// Half the smallest `f32` subnormal: an `f64` at or below it rounds to 0.
    const SLOPE_ZERO: f64 = 7.006_492_321_624_085e-46;
}

/// Fused forms in `f64`.
pub mod f64 {
    use crate::math::f64::{exp, exp_split, fast_two_sum, fma, two_prod, two_sum};

    sech2!(f64);

    /// `sech(e^x)²`, accurate where `e^x` is large: for `x > 1` the fused form (`e^x`
    /// carried beyond the type's precision into `exp(-2e^x)`, whose relative error is
    /// `2e^x` times that of `e^x`: tanhexp'' was 138 ULP off at x = 5.35), below the
    /// plain composition. The refine pass's f64 interpreter computes it the same way
    /// (`actdiff_core::eval`), so that its windows are judged against what runs.
    // Both forms are computed for every lane, so each gets, where the other is taken,
    // an argument that keeps its steps normal: the composition's exp(-2e^x) and the
    // fused form's e^(-2e^x) go subnormal above x = 5.87 and stay there (clamped) to
    // the 0 past 5.9223, and the subnormal arithmetic on those lanes cost tanhexp's f64
    // backward 10% (16.6–18.1 -> 15.2–15.6 ns per element at 2^20, two alternating
    // runs; its forward takes 4.5–4.8).
    #[inline(always)]
    pub fn sech2_exp(x: f64) -> f64 {
        use crate::math::f64::sel;
        let near = sech2(exp(sel(x > 1.0, 1.0, x)));
        // 4e^(-2e^x) is below half the smallest subnormal from x = 5.9223 on.
        let gone = x > 5.93;
        let far = crate::math::f64::sech2_of_exp_large(sel(gone, 1.0, x));
        sel(x > 1.0, sel(gone, 0.0, far), near)
    }

    /// `1 / (1 + exp(-x))` from the same `e = exp(-|x|)` as the other fused
    /// forms, so an activation using several of them computes one exponential:
    /// `1 / (1 + e)` for `x >= 0`, `e / (1 + e)` below, where `e = exp(x)`
    /// keeps its accuracy down through the subnormal results.
    #[inline(always)]
    pub fn sigmoid(x: f64) -> f64 {
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
        // the quotient: (num + num_err) / (d + d_err) to first order. One
        // division: the quotient from the reciprocal, corrected by its exact
        // remainder (`fma`) and the low parts, times the same reciprocal. Two
        // divisions (`num / d`, then the correction over `d`) were 1.0 ULP on
        // the oracle's points against 0.6, and slower: f64 backward at 2^20,
        // three alternating runs, silu 4.16–4.26 -> 3.18–3.23 ns, sigmoid
        // 2.44–2.51 -> 1.90–1.95, softplus 3.41–3.49 -> 2.70–2.75.
        let d_err = ((1.0 - d) + e) + e_err;
        let r = 1.0 / d;
        let q = num * r;
        let remainder = fma(-q, d, num) + (num_err - q * d_err);
        fma(remainder, r, q)
    }

    /// `sigmoid(-x)`: the same `e = exp(-|x|)` as `sigmoid(x)`, and the same bits as
    /// `sigmoid(-x)`.
    #[inline(always)]
    pub fn sigmoid_neg(x: f64) -> f64 {
        sigmoid(-x)
    }

    /// `tanh(softplus(x))`.
    #[inline(always)]
    pub fn tanh_softplus(x: f64) -> f64 {
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

    /// `g = N / D` and the reciprocal of `D` for [`sech2_softplus`] and
    /// [`sigmoid_sech2_softplus`]: `N = e (1 + e)`, `D = 1 + 2e + 2e²` from zero up and
    /// `N = 1 + e`, `D = 2 + 2e + e²` below (`e = exp(-|x|)`, so that nothing
    /// overflows), the sums and `e²` error-free, the quotient corrected by its
    /// remainder. Both forms compute it from the same instructions, so that a kernel
    /// calling both divides once.
    #[inline(always)]
    fn softplus_g(x: f64) -> SoftplusG {
        let (eh, el) = exp_split(-x.abs());
        let (e2h, e2e) = two_prod(eh, eh);
        let e2l = e2e + 2.0 * eh * el;
        let pos = x >= 0.0;
        // e <= 1, so each sum's larger term is known but for 1 + 2e.
        let (nh, ne) = if pos {
            fast_two_sum(eh, e2h)
        } else {
            fast_two_sum(1.0, eh)
        };
        let nl = ne + if pos { el + e2l } else { el };
        let (ah, ae) = if pos {
            two_sum(1.0, 2.0 * eh)
        } else {
            fast_two_sum(2.0, 2.0 * eh)
        };
        let (dh, de) = fast_two_sum(ah, if pos { 2.0 * e2h } else { e2h });
        let dl = (de + ae) + 2.0 * el + if pos { 2.0 * e2l } else { e2l };
        let r = 1.0 / dh;
        let (gh, gl) = quotient(nh, nl, r, dh, dl);
        SoftplusG {
            eh,
            el,
            gh,
            gl,
            r,
            dh,
            dl,
        }
    }

    /// `(nh + nl) / (dh + dl)` as `hi + lo`, from `r = 1/dh`: the product with the
    /// reciprocal, corrected by the remainder (exact but for the low parts' terms)
    /// times the reciprocal.
    #[inline(always)]
    fn quotient(nh: f64, nl: f64, r: f64, dh: f64, dl: f64) -> (f64, f64) {
        let qh = nh * r;
        let (p, pe) = two_prod(qh, dh);
        (qh, (((nh - p) - pe) + (nl - qh * dl)) * r)
    }

    /// What [`softplus_g`] gives: `e = eh + el`, `g = gh + gl`, `D = dh + dl` and
    /// `r`, the reciprocal of `dh`.
    struct SoftplusG {
        eh: f64,
        el: f64,
        gh: f64,
        gl: f64,
        r: f64,
        dh: f64,
        dl: f64,
    }

    /// `sech2(softplus(x))` as `4g²` with `g` from `softplus_g`, the square rounded
    /// once. The rational function of the rounded `e` it replaces rounded eight times,
    /// each up to an ULP of the result, and counted `e`'s rounding twice: 6.7 ULP at
    /// x = 3.79, and mish'' 11.0 ULP at 6.86 (by mpmath).
    #[inline(always)]
    pub fn sech2_softplus(x: f64) -> f64 {
        let SoftplusG { gh, gl, .. } = softplus_g(x);
        // (2g)², so that a subnormal square is rounded once, not rounded and then
        // scaled by 4. Where the square is subnormal, two_prod's error term is made
        // of rounded subnormal products and would only add their errors: dropped.
        let (hh, hl) = (2.0 * gh, 2.0 * gl);
        let (sh, se) = two_prod(hh, hh);
        let se = if sh < f64::MIN_POSITIVE { 0.0 } else { se };
        sh + (se + 2.0 * hh * hl)
    }

    /// `sech2(softplus(x)) · sigmoid(x)`, the derivative of `tanh(softplus(x))`, as
    /// `4g·(e/D)`: sigmoid's `1 + e` cancels against one factor of `sech²`'s (from
    /// zero up `σ = 1/(1 + e)` and `g = e(1 + e)/D`; below `σ = e/(1 + e)` and
    /// `g = (1 + e)/D`). `g`, `D` and its reciprocal are `softplus_g`'s, `e/D` is
    /// corrected by its remainder, the product rounded once: one division where the
    /// product of `sech2_softplus` and `sigmoid` took two.
    #[inline(always)]
    pub fn sigmoid_sech2_softplus(x: f64) -> f64 {
        let SoftplusG {
            eh,
            el,
            gh,
            gl,
            r,
            dh,
            dl,
        } = softplus_g(x);
        let (kh, kl) = quotient(eh, el, r, dh, dl);
        // (4g)·k, rounded once by a fused multiply-add (scaling g by 4 is exact),
        // subnormal results included.
        let (fh, fl) = (4.0 * gh, 4.0 * gl);
        fma(fh, kh, fh * kl + fl * kh)
    }

    /// `tanh_softplus(x) + v · sigmoid_sech2_softplus(x)`, the sum of the two calls
    /// (`f64` has no wider type to finish in): the same bits as the sum written out,
    /// so the `f64` root windows fitted for it still hold.
    #[inline(always)]
    pub fn tanh_softplus_slope(x: f64, v: f64) -> f64 {
        tanh_softplus(x) + v * sigmoid_sech2_softplus(x)
    }
}

#[cfg(test)]
mod tests {
    use actdiff_core::dd::Dd;

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

    /// f32's `tanh_softplus_slope(x, v)` is the `f64` sum rounded once: within half an
    /// ULP plus `exp_wide`'s 2^-34 carried through both terms (2^-32 of their
    /// magnitudes), also beside mish''s root at -1.19, where the terms cancel and
    /// the two `f32` calls summed in `f32` are far off; on every 1009th f32 in
    /// (-30, 30), with `v = x` (mish') and two other factors. `f64`'s is the sum of
    /// its two calls, bit for bit.
    #[test]
    fn tanh_softplus_slope_is_the_sum_rounded_once() {
        fn sigmoid(x: f64) -> f64 {
            1.0 / (1.0 + (-x).exp())
        }
        let (mut checked, mut plain_worst) = (0, 0.0f64);
        let negative = (0x8000_0000..=(-30.0f32).to_bits()).step_by(1009);
        let positive = (0..30.0f32.to_bits()).step_by(1009);
        for x in negative.chain(positive).map(f32::from_bits) {
            let xd = f64::from(x);
            let sp = softplus(xd);
            let e2 = (-2.0 * sp).exp();
            let slope = 4.0 * e2 / ((1.0 + e2) * (1.0 + e2)) * sigmoid(xd);
            for v in [x, -0.37, 3.0] {
                let terms = sp.tanh().abs() + (f64::from(v) * slope).abs();
                let want = sp.tanh() + f64::from(v) * slope;
                let w = (want as f32).abs();
                let ulp = f64::from(f32::from_bits(w.to_bits() + 1) - w);
                let err = |got: f32| (f64::from(got) - want).abs() / ulp;
                let bound = 0.5 + terms * 2f64.powi(-32) / ulp;
                let got = super::f32::tanh_softplus_slope(x, v);
                assert!(err(got) <= bound, "{x}, {v}: {} > {bound}", err(got));
                let plain =
                    super::f32::tanh_softplus(x) + v * super::f32::sigmoid_sech2_softplus(x);
                plain_worst = plain_worst.max(err(plain));
                assert_eq!(
                    super::f64::tanh_softplus_slope(xd, f64::from(v)).to_bits(),
                    (super::f64::tanh_softplus(xd)
                        + f64::from(v) * super::f64::sigmoid_sech2_softplus(xd))
                    .to_bits()
                );
                checked += 1;
            }
        }
        assert!(checked > 6_000_000, "{checked}");
        // An infinite factor times a slope that rounds to 0 is NaN, as the f32 product
        // was, which the provided methods take as "use the limit"; with a slope that
        // does not round to 0, the infinity.
        for x in [f32::INFINITY, f32::NEG_INFINITY] {
            assert!(super::f32::tanh_softplus_slope(x, x).is_nan(), "{x}");
        }
        assert_eq!(
            super::f32::tanh_softplus_slope(0.0, f32::INFINITY),
            f32::INFINITY
        );
        assert_eq!(
            super::f32::tanh_softplus_slope(-100.0, f32::NEG_INFINITY),
            f32::NEG_INFINITY
        );
        assert!(plain_worst > 100.0, "{plain_worst}");
    }

    /// Every f32 through the three f32 forms, against f64 references written with
    /// std's functions: prints each maximum and fails above the documented bounds.
    /// About two minutes on two cores: `cargo test --release -p actdiff --lib
    /// fused_f32_forms_over_every_input -- --ignored --nocapture`.
    #[test]
    #[ignore = "exhaustive: all 2^32 inputs"]
    fn fused_f32_forms_over_every_input() {
        fn sigmoid(x: f64) -> f64 {
            let e = (-x.abs()).exp();
            if x >= 0.0 {
                1.0 / (1.0 + e)
            } else {
                e / (1.0 + e)
            }
        }
        let names = [
            "tanh_softplus",
            "sech2_softplus",
            "sigmoid",
            "sigmoid_neg",
            "sigmoid_sech2_softplus",
        ];
        let worst = crate::math::f32::tests::worst_over_every_f32(names, |x| {
            let xd = f64::from(x);
            let sp = softplus(xd);
            let e2 = (-2.0 * sp).exp();
            let sech2_sp = 4.0 * e2 / ((1.0 + e2) * (1.0 + e2));
            [
                (super::f32::tanh_softplus(x), sp.tanh()),
                (super::f32::sech2_softplus(x), sech2_sp),
                (super::f32::sigmoid(x), sigmoid(xd)),
                (super::f32::sigmoid_neg(x), sigmoid(-xd)),
                (
                    super::f32::sigmoid_sech2_softplus(x),
                    sech2_sp * sigmoid(xd),
                ),
            ]
        });
        // The documented maxima (module docs), as measured.
        let bounds = [0.5007, 0.5014, 0.5007, 0.5007, 0.5014];
        for k in 0..5 {
            assert!(worst[k].0 <= bounds[k], "{} {:?}", names[k], worst[k]);
        }
    }

    /// The f64 form against std's composition up to x = 1.5 (std loses about `2e^x`
    /// ULPs itself, so not beyond), and the f32 form against the f64 one on [-8, 4.4]
    /// wherever the result is a normal f32: within 0.563 ULP, where the composition
    /// of the rounded functions is tens of ULPs off above x = 3.
    #[test]
    fn sech2_exp_keeps_its_accuracy_where_exp_is_large() {
        let sech2_of = |e: f64| 1.0 / e.cosh().powi(2);
        for i in 0..=150 {
            let x = f64::from(i) * 0.01;
            let want = sech2_of(x.exp());
            let got = super::f64::sech2_exp(x);
            assert!(((got - want) / want).abs() < 1e-14, "{x}: {got} vs {want}");
        }
        let mut worst = (0.0f64, 0.0f32);
        for i in 0..=40_000 {
            let x = -8.0 + i as f32 * 3.1e-4;
            let want = super::f64::sech2_exp(f64::from(x));
            if want < f64::from(f32::MIN_POSITIVE) {
                continue;
            }
            let e = crate::math::f32::tests::ulp_error(super::f32::sech2_exp(x), want);
            if e > worst.0 {
                worst = (e, x);
            }
        }
        // The doc's figure, from every f32 in (-120, 4.5).
        assert!(
            worst.0 <= 0.563,
            "f32 sech2_exp: {} ULP at x = {}",
            worst.0,
            worst.1
        );
        // The composition it replaces, to show the test can tell them apart.
        let x = 3.6f32;
        let composed = super::f32::sech2(crate::math::f32::exp(x));
        let want = super::f64::sech2_exp(f64::from(x));
        assert!(crate::math::f32::tests::ulp_error(composed, want) > 4.0);
    }

    /// The tails, where each form is given a harmless argument on the lanes the other
    /// takes: f64 results near `4e^(-2e^x)` from double-double on [5.85, 5.95] (subnormal
    /// on (5.8708, 5.9223), within two subnormal steps there, and 0 beyond); the special
    /// values.
    #[test]
    fn sech2_exp_tails() {
        for i in 0..=2000 {
            let x = 5.85 + f64::from(i) * 5e-5;
            // 4w as e^(ln 4 - 2e^x), rounded once where it is subnormal.
            let arg = Dd::from_f64(-2.0) * Dd::from_f64(x).exp() + Dd::from_f64(4f64.ln());
            let want = arg.exp().hi;
            let got = super::f64::sech2_exp(x);
            // Subnormal, `w` is rounded before it is multiplied by 4: up to 2.5 steps.
            let tol = (want * 1e-14).max(2.5 * 5e-324);
            assert!((got - want).abs() <= tol, "{x}: {got:e} vs {want:e}");
        }
        assert!(super::f64::sech2_exp(5.92) > 0.0);
        for (f64_x, f64_want) in [(f64::INFINITY, 0.0), (f64::NEG_INFINITY, 1.0), (40.0, 0.0)] {
            assert_eq!(super::f64::sech2_exp(f64_x), f64_want);
            assert_eq!(super::f32::sech2_exp(f64_x as f32), f64_want as f32);
        }
        assert!(super::f64::sech2_exp(f64::NAN).is_nan());
        assert!(super::f32::sech2_exp(f32::NAN).is_nan());
        // f32 results are subnormal on (3.78, 3.95), rounded once.
        for x in [3.8f32, 3.9, 3.94] {
            let want = super::f64::sech2_exp(f64::from(x));
            let got = super::f32::sech2_exp(x);
            assert_eq!(got, want as f32, "{x}");
            assert!(got > 0.0 && got < f32::MIN_POSITIVE, "{x}: {got:e}");
        }
    }

    /// `e = exp(-|x|)` and the numerator and denominator of f64 `softplus_g`'s
    /// `g = N / D`, in double-double.
    fn dd_softplus_g(x: f64) -> (Dd, Dd, Dd) {
        let (one, two) = (Dd::from_f64(1.0), Dd::from_f64(2.0));
        let e = Dd::from_f64(-x.abs()).exp();
        if x >= 0.0 {
            (e, e * (one + e), one + two * e + two * e * e)
        } else {
            (e, one + e, two + two * e + e * e)
        }
    }

    /// The points the f64 `softplus_g` forms are checked on: [-40, 350] in steps of
    /// 0.01, each nudged by a multiple of 1e-7.
    fn softplus_grid() -> impl Iterator<Item = f64> {
        (0..=39_000).map(|i| -40.0 + f64::from(i) / 100.0 + 1e-7 * f64::from(i % 7))
    }

    /// `|got - want|` in steps of `f64` at `want`'s magnitude.
    fn ulps(got: f64, want: f64) -> f64 {
        let a = want.abs();
        (got - want).abs() / (f64::from_bits(a.to_bits() + 1) - a)
    }

    /// The f64 form against a double-double reference (`e = exp(-|x|)` in double-double,
    /// the same rational function) over [-40, 350], where the result is normal: within
    /// 1.1 ULP (1.08 measured against mpmath at x = 6.619); the plain rational function of
    /// the rounded `e` that it replaced is several ULP off.
    #[test]
    fn f64_sech2_softplus_is_within_an_ulp() {
        let reference = |x: f64| {
            let (_, n, d) = dd_softplus_g(x);
            let g = n / d;
            (Dd::from_f64(4.0) * g * g).to_f64()
        };
        let replaced = |x: f64| {
            let e = (-x.abs()).exp();
            let (e2, one_e) = (e * e, 1.0 + e);
            let den = if x >= 0.0 {
                1.0 + 2.0 * e + 2.0 * e2
            } else {
                e2 + 2.0 * e + 2.0
            };
            4.0 * (one_e * one_e) * if x >= 0.0 { e2 } else { 1.0 } / (den * den)
        };
        let (mut worst, mut worst_replaced) = ((0.0f64, 0.0f64), 0.0f64);
        for x in softplus_grid() {
            let want = reference(x);
            let e = ulps(super::f64::sech2_softplus(x), want);
            if e > worst.0 {
                worst = (e, x);
            }
            worst_replaced = worst_replaced.max(ulps(replaced(x), want));
        }
        assert!(worst.0 <= 1.1, "{worst:?}");
        assert!(worst_replaced >= 4.0, "{worst_replaced}");
        assert_eq!(super::f64::sech2_softplus(0.0), 0.64);
        assert_eq!(super::f64::sech2_softplus(800.0), 0.0);
    }

    /// The f64 product `sech2(softplus(x)) · sigmoid(x)` in one form against a
    /// double-double reference of `4g·(e/D)`, over [-40, 350] as for `sech2_softplus`
    /// (beyond, the reference's own low parts are subnormal: at x = 354.54 it is an
    /// ULP off by mpmath): within an ULP, and closer than the product of the two
    /// functions it replaces, each rounded on its own.
    #[test]
    fn f64_sigmoid_sech2_softplus_is_within_an_ulp() {
        let reference = |x: f64| {
            let (e, n, d) = dd_softplus_g(x);
            (Dd::from_f64(4.0) * (n / d) * (e / d)).to_f64()
        };
        let (mut worst, mut worst_product) = ((0.0f64, 0.0f64), 0.0f64);
        for x in softplus_grid() {
            let want = reference(x);
            let e = ulps(super::f64::sigmoid_sech2_softplus(x), want);
            if e > worst.0 {
                worst = (e, x);
            }
            let product = super::f64::sech2_softplus(x) * super::f64::sigmoid(x);
            worst_product = worst_product.max(ulps(product, want));
        }
        eprintln!("one form {worst:?}, the product {worst_product}");
        assert!(worst.0 <= 1.0, "{worst:?}");
        assert!(worst_product > worst.0, "{worst_product} against {worst:?}");
        assert_eq!(super::f64::sigmoid_sech2_softplus(0.0), 0.32);
        assert_eq!(super::f64::sigmoid_sech2_softplus(800.0), 0.0);
        assert_eq!(super::f64::sigmoid_sech2_softplus(-800.0), 0.0);
        assert!(super::f64::sigmoid_sech2_softplus(f64::NAN).is_nan());
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
        assert_eq!(sech2_exp(f32::INFINITY), 0.0);
        assert_eq!(sech2_exp(f32::NEG_INFINITY), 1.0);
        assert!(sech2_exp(f32::NAN).is_nan());
        assert_eq!(super::f64::sech2_softplus(f64::INFINITY), 0.0);
        assert_eq!(super::f64::sech2_softplus(f64::NEG_INFINITY), 1.0);
        assert!(super::f64::sech2_softplus(f64::NAN).is_nan());
        assert_eq!(super::f64::sech2_exp(f64::INFINITY), 0.0);
        assert_eq!(super::f64::sech2_exp(f64::NEG_INFINITY), 1.0);
        assert!(super::f64::sech2_exp(f64::NAN).is_nan());
    }
}
