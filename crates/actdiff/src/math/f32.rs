//! Branch-free, table-free `f32` math kernels.
//!
//! Every function here is straight-line arithmetic on `f32` lanes plus integer operations on
//! the bit patterns, so that a loop over a slice compiles to SIMD code (8 lanes per AVX2
//! vector, 4 per SSE2 vector) with no calls and no gathers, and the scalar path computes the
//! very same values as the vector path.
//!
//! Techniques:
//! - **Select, don't branch.** Each function computes its main path for every input and then
//!   patches special inputs (NaN, ±inf, ±0, overflow, underflow) with `if c { a } else { b }`
//!   between already computed values, which LLVM lowers to a blend. Clamps are written as
//!   `if x > hi { hi } else { x }` so that NaN falls through unchanged.
//! - **Magic-bias rounding.** `n = round(v)` is `(v + 1.5·2^23) - 1.5·2^23`, and the integer
//!   `n` is read from the low mantissa bits of the biased sum: no float-to-int conversion.
//!   Powers of two are built by shifting an integer into the exponent field, and `2^n` is
//!   applied as two multiplications by `2^(n/2)` so that results in the subnormal range are
//!   rounded once, correctly.
//! - **Cody–Waite reduction with exact products.** The high parts of `ln 2` and `π/2` have
//!   so few significant bits that `n · C_hi` and `x - n · C_hi` are exact in `f32`, so the
//!   reductions need no fused multiply-add.
//! - **Double-`f32` (hi + lo) intermediates** where a single rounding would cost an ULP:
//!   `exp`'s kernel returns `2^n · (h + l)` with `h + l` accurate to about 2^-26 (2^-32 in
//!   the variant `expm1` uses), which `expm1`, `sigmoid`, `softplus`, `tanh` and `pow`
//!   consume without rounding it first; `sigmoid` and `tanh` divide by an unrounded
//!   hi + lo denominator (one correction step); `pow` computes `ln |x|` and `y · ln |x|`
//!   as hi + lo pairs (exact products by fused multiply-add); `sin`/`cos` carry the
//!   reduced argument as hi + lo.
//! - **Finishing in `f64`** where the result is a rational function of `e^x`: the fused
//!   forms of [`crate::math::fused::f32`] take exp's kernel as one `f64` (`exp_wide`: the
//!   power of two applied in `f64`, so neither overflow nor subnormals) and round once,
//!   at no cost in speed against the compensated `f32` forms they replaced. `erfc`,
//!   `erf`'s tail, `gauss` and their products `erfc_mul` and `gauss_mul` are computed in
//!   `f64` too, where the square in `e^(-u²)` is exact (`gauss_wide`, `erfc_wide`).
//! - **Minimax polynomials** (Lawson-weighted least squares, coefficients rounded to `f32`
//!   one at a time with the remaining ones refitted), arranged so that the leading terms are
//!   added last and exactly (`x + x³·P(x²)`, `1 + r + r²·Q(r)`), which keeps the evaluation
//!   error below half an ULP, without relying on fused multiply-add. All multiply-adds go
//!   through one private helper, `fma`, which is `mul_add`: correctly rounded on every
//!   path, an instruction where the code runs with FMA (the slice kernels and the
//!   `Activation` methods on AVX2+FMA or AVX-512 CPUs, aarch64), a library call elsewhere (slow,
//!   the same bits). Against the plain `a * b + c` it replaced, most kernels ran 5-25%
//!   faster (2026-11-28, 2^20 elements).
//! - **Forced inlining.** The public functions are `#[inline(always)]`: they are large
//!   enough that LLVM's cost model would otherwise keep some of them (`expm1`, `pow`,
//!   `powi`) out of line, and a call in a slice loop stops vectorization.
//!
//! Accuracy is stated on each function as the maximum error in ULPs of the correctly rounded
//! result, measured exhaustively over all 2^32 inputs against an `f64` oracle (sampled for
//! `pow`).

// Coefficients are written with the digits the fit produced; they round to the intended f32.
#![allow(clippy::excessive_precision)]

use crate::math::f64::{overflowed_as_max, sel as f64_sel};

/// `1.5 · 2^23`: adding it rounds an `f32` of magnitude below 2^22 to an integer, and leaves
/// that integer in the low mantissa bits.
const MAGIC: f32 = 12_582_912.0;
const MAGIC_BITS: i32 = 0x4B40_0000;

const LOG2_E: f32 = core::f32::consts::LOG2_E;
/// `ln 2 = LN2_HI + LN2_LO` with `LN2_HI` of 16 significant bits, so `k · LN2_HI` is exact
/// for every exponent `k` of an `f32`.
const LN2_HI: f32 = 0.693_145_751_953_125;
const LN2_LO: f32 = 1.428_606_765_330_187e-6;

/// Fused multiply-add, rounded once on every path (see the module docs): an instruction
/// where the code runs with FMA, a library call elsewhere. The kernels below were
/// designed to meet their accuracy without fusion, and fusion only removes roundings.
#[inline(always)]
fn fma(a: f32, b: f32, c: f32) -> f32 {
    a.mul_add(b, c)
}

/// Lane select; lowers to a blend.
#[inline(always)]
fn sel(c: bool, a: f32, b: f32) -> f32 {
    if c {
        a
    } else {
        b
    }
}

/// `min(x, hi)` that keeps NaN.
#[inline(always)]
fn clamp_hi(x: f32, hi: f32) -> f32 {
    if x > hi {
        hi
    } else {
        x
    }
}

/// `max(x, lo)` that keeps NaN.
#[inline(always)]
fn clamp_lo(x: f32, lo: f32) -> f32 {
    if x < lo {
        lo
    } else {
        x
    }
}

/// `(round(v), round(v) as i32)` for `|v| < 2^22`, by magic-bias rounding.
#[inline(always)]
fn round_magic(v: f32) -> (f32, i32) {
    let t = v + MAGIC;
    (t - MAGIC, (t.to_bits() as i32).wrapping_sub(MAGIC_BITS))
}

/// `2^k` for `-126 <= k <= 127`.
#[inline(always)]
fn pow2i(k: i32) -> f32 {
    f32::from_bits((k.wrapping_add(127) << 23) as u32)
}

/// `v · 2^n` for `-252 <= n <= 254`, rounded once even when the result is subnormal (the
/// first factor keeps `v · 2^(n/2)` normal for the `v` near 1 that callers pass).
#[inline(always)]
fn scale(v: f32, n: i32) -> f32 {
    let n1 = n >> 1;
    v * pow2i(n1) * pow2i(n.wrapping_sub(n1))
}

/// `a + b = s + e` exactly, given `|a| >= |b|` (or `a == 0`).
#[inline(always)]
fn fast_two_sum(a: f32, b: f32) -> (f32, f32) {
    let s = a + b;
    (s, b - (s - a))
}

/// `a + b = s + e` exactly, for any order of magnitudes.
#[inline(always)]
fn two_sum(a: f32, b: f32) -> (f32, f32) {
    let s = a + b;
    let bb = s - a;
    (s, (a - (s - bb)) + (b - bb))
}

/// `a · b = p + e` exactly (the error term by a fused multiply-add), for products that
/// neither overflow nor underflow.
#[inline(always)]
fn two_prod(a: f32, b: f32) -> (f32, f32) {
    let p = a * b;
    (p, fma(a, b, -p))
}

/// `gauss(u) · v` with `e^(-u²)` in `f64` (`u²` is exact there, `gauss_wide`) and one
/// rounding: `gauss(u)` alone is subnormal for `|u| > 9.3`, and a factor `v` above 1
/// would magnify its rounding (gelu'' was 11.2 ULP off at x = -13.45).
#[inline(always)]
pub fn gauss_mul(u: f32, v: f32) -> f32 {
    // Past the clamp an exact 0 (`x * exp(-(x * x))` was inf at x = inf with e^-220
    // there), and its product with an infinite `v` ±0, as f64's is (`1 - 2x²`
    // overflows at x = 1e19; see `overflowed_as_max`).
    let a = f64::from(u);
    let big = a * a > GAUSS_WIDE_LIMIT;
    let g = f64_sel(big, 0.0, gauss_wide(u));
    let v = f64::from(v);
    (g * f64_sel(big, overflowed_as_max(v), v)) as f32
}

/// `erfc(u) · v` from `erfc_wide`, rounded once: `erfc(u)` alone is subnormal for
/// `u > 9.2`, where a factor `v` above 1 would magnify its rounding (gelu was 6.7 ULP
/// off at x = -13.145, its f' 8.3 at -13.304, when `erfc` was rounded first). Past
/// `u = 14`, `erfc(u) · v` is below half the smallest subnormal for every `f32` `v`
/// and is taken as `0 · v`, ±0 also for an infinite `v` (`overflowed_as_max`); NaN
/// stays NaN.
#[inline(always)]
pub fn erfc_mul(u: f32, v: f32) -> f32 {
    let v = f64::from(v);
    (erfc_wide(u) * f64_sel(u >= 14.0, overflowed_as_max(v), v)) as f32
}

/// The rounding error of the product, `a·b - fl(a·b)`: the DSL's `mul_err(a, b)`.
/// Exact (a fused multiply-add) wherever `a·b` neither overflows nor underflows:
/// `a * b + mul_err(a, b)` is then `a·b` to twice the precision. Where the product
/// overflows (an infinite factor included) it is 0, not the infinity or NaN of the
/// fused multiply-add, so that adding it never spoils a finite result; NaN gives NaN
/// (`inf · 0` is NaN, as the product).
#[inline(always)]
pub fn mul_err(a: f32, b: f32) -> f32 {
    let (p, e) = two_prod(a, b);
    sel(p.abs() == f32::INFINITY, 0.0, e)
}

// (e^r - 1 - r - r²/2) / r³ = Q1 + Q2·r + ... on |r| <= ln2/2, relative error 2^-33.
const Q1: f32 = 1.666_666_567e-1;
const Q2: f32 = 4.166_645_929e-2;
const Q3: f32 = 8.333_565_667e-3;
const Q4: f32 = 1.393_546_932e-3;
const Q5: f32 = 1.974_483_894e-4;

/// `xh + xl = n·ln 2 + rh + rl` with `|rh + rl| <= ln2/2` (nearly), for `|xh| <= 150`.
#[inline(always)]
fn exp_reduce(xh: f32, xl: f32) -> (i32, f32, f32) {
    let (nf, n) = round_magic(xh * LOG2_E);
    // Exact: |n| < 2^8 and LN2_HI has 16 significant bits; the difference is below 0.5 and
    // a multiple of ulp(xh) or 2^-16, so it fits in 24 bits.
    let rh = fma(nf, -LN2_HI, xh);
    let rl = fma(nf, -LN2_LO, xl);
    (n, rh, rl)
}

/// `(e^r - 1 - r - r²/2) / r³`.
#[inline(always)]
fn exp_q3(r: f32) -> f32 {
    fma(fma(fma(fma(Q5, r, Q4), r, Q3), r, Q2), r, Q1)
}

/// `exp(xh + xl) = 2^n · (h + l)` for `|xh| <= 150`, `|xl|` tiny, with `h + l` accurate to
/// about 2^-26 relative (each of the four roundings of `r²/2 + r³·Q`, about 2^-24 of that
/// term, is up to 2^-28; 2^-26.05 measured on every 997th `f32` of `[-104, 89]`) and
/// `h = fl(1 + rh)` in `[0.70, 1.42]`.
#[inline(always)]
fn exp_core(xh: f32, xl: f32) -> (i32, f32, f32) {
    let (n, rh, rl) = exp_reduce(xh, xl);
    let r = rh + rl;
    let t = (r * r) * fma(r, exp_q3(r), 0.5);
    let (h, e) = fast_two_sum(1.0, rh);
    (n, h, e + (rl + t))
}

/// As [`exp_core`], but with `h + l` accurate to about 2^-32 relative: `1 + rh + rh²/2` is
/// summed exactly, so the rounding of the remaining terms is negligible even where a caller
/// subtracts 1 and so magnifies the error of `h + l` (`expm1`).
#[inline(always)]
fn exp_core_precise(x: f32) -> (i32, f32, f32) {
    let (n, rh, rl) = exp_reduce(x, 0.0);
    let r = rh + rl;
    let (sq, sqe) = two_prod(rh, rh);
    let (h, e1) = fast_two_sum(1.0, rh);
    let (h, e2) = fast_two_sum(h, 0.5 * sq);
    // r²/2 = rh²/2 + rl·(rh + rl/2).
    let tail = fma(
        0.5,
        sqe,
        fma(rl, fma(0.5, rl, 1.0 + rh), (r * r) * (r * exp_q3(r))),
    );
    (n, h, (e1 + e2) + tail)
}

/// `ln(1 + f) + k·ln 2 + c` for `f` in `[√2/2 - 1, √2 - 1]` (FreeBSD's `logf` scheme:
/// `s = f / (2 + f)`, `ln(1 + f) = f - f²/2 + s·(f²/2 + R(s²))`).
#[inline(always)]
fn log_kernel(f: f32, kf: f32, c: f32) -> f32 {
    const LG1: f32 = 0.666_666_626_93;
    const LG2: f32 = 0.400_009_721_52;
    const LG3: f32 = 0.284_987_866_88;
    const LG4: f32 = 0.242_790_788_41;
    let s = f / (2.0 + f);
    let z = s * s;
    let r = z * fma(fma(fma(LG4, z, LG3), z, LG2), z, LG1);
    let hfsq = 0.5 * f * f;
    fma(
        kf,
        LN2_HI,
        -((hfsq - fma(s, hfsq + r, fma(kf, LN2_LO, c))) - f),
    )
}

/// Splits a positive normal `x` (bit pattern `ix`) as `2^k · m`, `m` in `[√2/2, √2)`.
#[inline(always)]
fn log_reduce(ix: u32) -> (i32, f32) {
    let ix = ix.wrapping_add(0x3F80_0000 - 0x3F35_04F3);
    let k = ((ix >> 23) as i32).wrapping_sub(127);
    let m = f32::from_bits((ix & 0x007F_FFFF).wrapping_add(0x3F35_04F3));
    (k, m)
}

/// Natural exponential.
///
/// Maximum error 0.77 ULP over all `f32` (measured exhaustively; the maximum is for
/// subnormal results, which are rounded twice). Overflows to
/// `+inf` above `ln(f32::MAX) ≈ 88.72`; gradual underflow down to `2^-149`, then `0`.
/// `exp(-inf) = 0`, `exp(inf) = inf`, NaN gives NaN.
#[inline(always)]
pub fn exp(x: f32) -> f32 {
    let xc = clamp_lo(clamp_hi(x, 89.0), -104.0);
    let (n, h, l) = exp_core(xc, 0.0);
    scale(h + l, n)
}

/// `e^x` as an `f64`, to about 2^-34 relative for every `x` (no final rounding to
/// `f32`, no overflow up to the clamp at 104, no subnormal range), for the fused forms,
/// which finish in `f64` and round once. The clamps: `sigmoid_neg` takes
/// `1 / (1 + e^x)` down to f32's smallest subnormal, at `x = 103.97`; below, `e^x`
/// goes on to -200, so that `v·e^x` for any finite `f32` `v` (`f32::MAX < e^89`) is
/// below half the smallest subnormal where it is clamped (`tanh_softplus_slope`'s
/// `v·sech2(softplus(x))·σ(x)`, about `v·e^x` there: clamped at -104, mish's
/// derivative at `x = -f32::MAX` was -1.8e-26 instead of 0).
///
/// Computed in `f64` from the start, not as `f32`'s kernel widened: `x = k·ln 2 + r`
/// (`k` by magic-bias rounding, `r` by one fused multiply-add: `|k| <= 289`, so the
/// rounding of `ln 2` costs about 2^-47), `e^r` by a degree-7 polynomial on
/// `|r| <= 0.35` (relative error 2^-34.4, fitted by `tests/oracle/fit_exp_wide.py`), and
/// `2^k` built in the exponent field. Against `exp_core`'s double-`f32` result widened
/// to `f64` (2^-26) it takes fewer instructions (mish's f32 forward 0.90–1.00 -> 0.78–0.81
/// ns at 2^20, sigmoid's 0.79–0.85 -> 0.64–0.66; the performance log) and leaves the fused forms within 0.5014 ULP of the correctly rounded
/// value (they were 0.67–0.96).
#[inline(always)]
pub(crate) fn exp_wide(x: f32) -> f64 {
    exp_wide_core(f64::from(clamp_lo(clamp_hi(x, 104.0), EXP_WIDE_MIN)))
}

/// [`exp_wide`]'s lower clamp.
const EXP_WIDE_MIN: f32 = -200.0;

/// The smallest argument [`exp_wide_core`] takes (`2^k` stays normal below it too).
pub(crate) const EXP_WIDE_CORE_MIN: f64 = -330.0;

/// `u²` past which [`gauss_wide`] stops: `e^(-220) ≈ 2^-317` times any finite `f32` is
/// below half the smallest subnormal.
const GAUSS_WIDE_LIMIT: f64 = 220.0;

/// [`exp_wide`]'s computation for an `f64` argument in `[-330, 104]` (`2^k` stays
/// normal; `k·ln 2`'s rounding costs at most 2^-46), for `gauss_wide`'s `-u²` and
/// the fused `sech2_exp`'s `-2e^x`.
#[inline(always)]
pub(crate) fn exp_wide_core(xd: f64) -> f64 {
    use crate::math::f64::{fma, pow2i, MAGIC};
    const C: [f64; 8] = [
        0.999_999_999_958_587_5,
        1.000_000_000_262_95,
        0.500_000_011_083_104_5,
        0.166_666_650_325_750_5,
        0.041_666_207_840_926_346,
        0.008_333_570_235_861_65,
        0.001_394_935_572_224_716_3,
        0.000_197_738_499_790_834_76,
    ];
    let t = fma(xd, core::f64::consts::LOG2_E, MAGIC);
    let k = t - MAGIC;
    let r = fma(k, -core::f64::consts::LN_2, xd);
    let mut p = C[7];
    for c in C[..7].iter().rev() {
        p = fma(p, r, *c);
    }
    p * pow2i(k)
}

/// `e^(-u²)` as an `f64`, to about 2^-34 relative: `u²` is exact in `f64` (an `f32`
/// has 24 significant bits), so the large exponents of the tail cost no accuracy, and
/// [`exp_wide_core`] does the rest. `u²` is clamped at [`GAUSS_WIDE_LIMIT`] (220,
/// where [`gauss_mul`] takes it as 0); NaN gives NaN. [`gauss`], [`gauss_mul`] and
/// `erfc_wide` share it, so that where one activation (gelu and its derivatives)
/// takes both `gauss(u)` and `erfc(u)` of the same `u`, the compiler computes the
/// exponential once.
#[inline(always)]
fn gauss_wide(u: f32) -> f64 {
    let a = f64::from(u);
    let s = a * a;
    exp_wide_core(-f64_sel(s > GAUSS_WIDE_LIMIT, GAUSS_WIDE_LIMIT, s))
}

/// `erfc(u)` as an `f64`, to about 2^-32 relative for `u > -14` (and within 2^-50 of
/// 2 below), for f32's `erfc`, `erf` and `erfc_mul`, which round once.
///
/// `erfc(a) = e^(-a²) · P(t) / (a + K)` for `a = |u|` in `[0, 14]`, with
/// `t = (a - K)/(a + K) = 1 - 2K/(a + K)`, `K = 3`, and `P` of degree 11 (relative error
/// 2^-32.5, fitted by `tests/oracle/fit_erfc_wide.py`); `erfc(-a) = 2 - erfc(a)`. The
/// reciprocal of `a + K` is `f32`'s (a division on twice the lanes of an `f64` one, and
/// about a third of its cost) refined by one Newton step in `f64`, where `a + K` is exact:
/// its error goes from 2^-23 to 2^-46. Everything after `a + K` is in `f64`, so only the
/// caller's final conversion rounds: over every `f32`, `erfc` is within 0.5033 ULP and
/// `erfc_mul(u, 2^100)` within 0.5035.
#[inline(always)]
fn erfc_wide(u: f32) -> f64 {
    use crate::math::f64::fma;
    const K: f32 = 3.0;
    const P: [f64; 12] = [
        1.074006907163972,
        -0.8833944558599962,
        0.5902283492743,
        -0.3104671486650749,
        0.1195279245437543,
        -0.026828538292293442,
        -0.001213974704163275,
        0.003040108110944464,
        -0.0005406804460843579,
        -0.0002885428525019027,
        8.938688261471123e-05,
        3.648976573461781e-05,
    ];
    let a = clamp_hi(u.abs(), 14.0);
    let r0 = f64::from(1.0 / (a + K));
    let d = f64::from(a) + f64::from(K);
    let r = fma(r0, fma(-d, r0, 1.0), r0);
    let t = fma(-2.0 * f64::from(K), r, 1.0);
    let mut p = P[11];
    for c in P[..11].iter().rev() {
        p = fma(p, t, *c);
    }
    let tail = p * r * gauss_wide(u);
    f64_sel(u >= 14.0, 0.0, f64_sel(u > 0.0, tail, 2.0 - tail))
}

/// `e^x - 1`, accurate for small `|x|` (no cancellation).
///
/// Maximum error 0.75 ULP over all `f32` (measured exhaustively). `expm1(-inf) = -1`,
/// `expm1(inf) = inf`, overflow above `≈ 88.72` gives `inf`, the sign of zero is kept,
/// NaN gives NaN.
#[inline(always)]
pub fn expm1(x: f32) -> f32 {
    let xc = clamp_lo(clamp_hi(x, 89.0), -18.0);
    let (n, h, l) = exp_core_precise(xc);
    // 2^n·(h + l) - 1 = (2^n·h - 1) + 2^n·l, with the first difference taken exactly.
    let ph = scale(h, n);
    let pl = scale(l, n);
    let p_big = ph.abs() >= 1.0;
    let (s, e) = fast_two_sum(sel(p_big, ph, -1.0), sel(p_big, -1.0, ph));
    let r = s + (e + pl);
    // Where the -1 is far below an ULP, take e^x directly: 2^n·h alone may overflow while
    // 2^n·(h + l) does not.
    let r = sel(n >= 64, scale(h + l, n), r);
    sel(x == 0.0, x, r)
}

/// Natural logarithm.
///
/// Maximum error 0.84 ULP over all `f32` (measured exhaustively), subnormal inputs
/// included. `ln(±0) = -inf`, `ln(x < 0) = NaN`, `ln(inf) = inf`, NaN gives NaN.
#[inline(always)]
pub fn ln(x: f32) -> f32 {
    let tiny = x < f32::MIN_POSITIVE;
    let xs = sel(tiny, x * 33_554_432.0, x); // 2^25
    let (k, m) = log_reduce(xs.to_bits());
    let k = k.wrapping_sub(if tiny { 25 } else { 0 });
    let r = log_kernel(m - 1.0, k as f32, 0.0);
    let r = sel(x == f32::INFINITY, x, r);
    let r = sel(x == 0.0, f32::NEG_INFINITY, r);
    sel(x >= 0.0, r, f32::NAN)
}

/// `ln(1 + x)`, accurate for small `|x|` (no cancellation).
///
/// Maximum error 0.84 ULP over all `f32` (measured exhaustively). `log1p(-1) = -inf`,
/// `log1p(x < -1) = NaN`, `log1p(inf) = inf`, the sign of zero is kept, NaN gives NaN.
#[inline(always)]
pub fn log1p(x: f32) -> f32 {
    let x_big = x.abs() > 1.0;
    let (u, err) = fast_two_sum(sel(x_big, x, 1.0), sel(x_big, 1.0, x));
    let (k, m) = log_reduce(u.to_bits());
    let k0 = k == 0;
    // ln(1 + x) = ln(u) + c with c = (1 + x - u) / u, u = fl(1 + x); where u is in
    // [√2/2, √2), x itself is the reduced argument and nothing was lost.
    let c = err / u;
    let f = sel(k0, x, m - 1.0);
    let c = sel(k0, 0.0, c);
    let r = log_kernel(f, k as f32, c);
    let r = sel(x == f32::INFINITY, x, r);
    let r = sel(x == -1.0, f32::NEG_INFINITY, r);
    let r = sel(x == 0.0, x, r);
    sel(x >= -1.0, r, f32::NAN)
}

/// Hyperbolic tangent.
///
/// Maximum error 0.79 ULP over all `f32` (measured exhaustively). `tanh(±inf) = ±1`, odd
/// (the sign of zero is kept), NaN gives NaN.
#[inline(always)]
pub fn tanh(x: f32) -> f32 {
    // tanh(a) = a + a³·P(a²) on [0, atanh(1/2)], relative error 2^-33.
    const P0: f32 = -3.333_333_135e-1;
    const P1: f32 = 1.333_322_674e-1;
    const P2: f32 = -5.394_916_236e-2;
    const P3: f32 = 2.171_159_722e-2;
    const P4: f32 = -8.195_410_483e-3;
    const P5: f32 = 2.147_266_641e-3;
    let a = x.abs();
    let w = a * a;
    let p = fma(fma(fma(fma(fma(P5, w, P4), w, P3), w, P2), w, P1), w, P0);
    let small = fma(a, w * p, a);
    // tanh(a) = 1 - 2/(e^{2a} + 1); with e^{2a} = 2^n·(h + l):
    // 2/(e^{2a} + 1) = 2·2^-n / (h + 2^-n + l), whose one rounded sum and one division
    // cost at most half an ULP of the result (the quotient is at most 1/2).
    let (n, h, l) = exp_core(clamp_hi(a + a, 20.0), 0.0);
    let b = pow2i(n.wrapping_neg());
    let (s, e) = fast_two_sum(h, b);
    let (dh, dl) = fast_two_sum(s, e + l);
    // q = 2b / (dh + dl), the quotient rounded once: q0·dl/dh with 1/dh ≈ q0/(2b).
    let q0 = (b + b) / dh;
    let corr = (q0 * q0) * (dl * pow2i(n.wrapping_sub(1)));
    // 1 - q0 is exact (Fast2Sum), so only the final sum rounds.
    let (t, te) = fast_two_sum(1.0, -q0);
    let large = t + (te + corr);
    sel(a < 0.549_306_1, small, large).copysign(x)
}

/// Logistic sigmoid `1 / (1 + e^-x)`.
///
/// Maximum error 0.79 ULP over all `f32` (measured exhaustively), in both tails:
/// `sigmoid(x) ≈ e^x` is returned down to the smallest subnormal, `x ≈ -103.97`
/// (`sigmoid(-100) ≈ 3.7e-44`; the maximum error is for subnormal results). `sigmoid(inf) = 1`, `sigmoid(-inf) = 0`, NaN gives NaN.
#[inline(always)]
pub fn sigmoid(x: f32) -> f32 {
    // e^-x = 2^n·(h + l).
    //   n <= 0: sigmoid = 1 / (1 + 2^n·(h + l))
    //   n >  0: sigmoid = 2^-n / (2^-n + (h + l))
    // Both are c / (c + d·(h + l)); the denominator is summed exactly but for one rounding,
    // and 2^-n is applied in two halves so that subnormal results round once.
    let u = clamp_lo(clamp_hi(-x, 104.0), -30.0);
    let (n, h, l) = exp_core(u, 0.0);
    let pos = n > 0;
    let c = sel(pos, pow2i(-(if n > 64 { 64 } else { n })), 1.0);
    let d = sel(pos, 1.0, pow2i(n));
    let dh = d * h;
    let c_big = c >= dh;
    let (s, e) = fast_two_sum(sel(c_big, c, dh), sel(c_big, dh, c));
    let lo = fma(d, l, e);
    let n1 = n >> 1;
    let p1 = sel(pos, pow2i(n1.wrapping_neg()), 1.0);
    let p2 = sel(pos, pow2i(n1.wrapping_sub(n)), 1.0);
    // p2 / (s + lo) with one rounding: the denominator is not rounded to f32 first (that
    // alone would cost up to an ULP where it lies just above 2).
    let (dh, dl) = fast_two_sum(s, lo);
    let q0 = p2 / dh;
    let (ph, pl) = two_prod(q0, dh);
    let q = q0 + fma(-q0, dl, (p2 - ph) - pl) / dh;
    q * p1
}

/// Softplus `ln(1 + e^x)`, computed as `max(x, 0) + log1p(e^-|x|)`.
///
/// Maximum error 1.19 ULP over all `f32` (measured exhaustively), in both tails:
/// `softplus(x) = x` for large `x`, `≈ e^x` (down to subnormals) for very negative `x`.
/// `softplus(inf) = inf`, `softplus(-inf) = 0`, NaN gives NaN.
#[inline(always)]
pub fn softplus(x: f32) -> f32 {
    let a = x.abs();
    let (n, h, l) = exp_core(clamp_lo(-a, -104.0), 0.0);
    // e^-|x| = eh + el, both parts kept so that log1p sees the unrounded value.
    let (v, vl) = fast_two_sum(h, l);
    let eh = scale(v, n);
    let el = scale(vl, n);
    let u = 1.0 + eh;
    let k1 = u >= core::f32::consts::SQRT_2;
    // k = 1: 1 + eh = 2·(u/2) + (rounding error of u); k = 0: the reduced argument is eh.
    let f = sel(k1, fma(0.5, u, -1.0), eh);
    let c = (sel(k1, eh - (u - 1.0), 0.0) + el) / u;
    let lg = log_kernel(f, sel(k1, 1.0, 0.0), c);
    sel(x > 0.0, x, 0.0) + lg
}

/// Boundary between `erf`'s series and its `1 - erfc` branch: `erf = 1/2`.
const ERF_SPLIT: f32 = 0.476_936_26;

/// `erf(x)` for `|x| < ERF_SPLIT`, as `x + x·P(x²)` (relative error 2^-30).
#[inline(always)]
fn erf_small(x: f32) -> f32 {
    const E0: f32 = 1.283_791_661e-1;
    const E1: f32 = -3.761_261_702e-1;
    const E2: f32 = 1.128_302_887e-1;
    const E3: f32 = -2.677_302_808e-2;
    const E4: f32 = 4.755_459_260e-3;
    let w = x * x;
    fma(x, fma(fma(fma(fma(E4, w, E3), w, E2), w, E1), w, E0), x)
}

/// The Gaussian `e^{-x²}`, with `x²` taken exactly (`gauss_wide`: in `f64`, rounded
/// once), so that the result keeps its relative accuracy where `exp(-(x * x))` would lose
/// `x²` times the rounding of the square.
///
/// Maximum error 0.5007 ULP, measured exhaustively over every `f32` with a nonzero
/// result (`|x| <= 10.197`, subnormal results included; 0.82 before 2026-11-29)
/// against `f64`'s `exp` of the exact square; `exp(-(x * x))` is 64.4 ULP off at
/// worst. Even (`gauss(-x) = gauss(x)` bit for bit); `gauss(±inf) = 0`, NaN gives NaN.
#[inline(always)]
pub fn gauss(x: f32) -> f32 {
    gauss_wide(x) as f32
}

/// Error function: `x + x·P(x²)` below `|x| = 0.477` (where `erf = 1/2`), `1 - erfc(|x|)`
/// in `f64` (`erfc_wide`) above.
///
/// Maximum error 0.625 ULP over all `f32` (measured exhaustively; 0.6241 at x = 0.0017,
/// in the series; 1.89 before 2026-11-29, when the tail was computed in `f32`).
/// `erf(±inf) = ±1`, odd (the sign of zero is kept), NaN gives NaN.
#[inline(always)]
pub fn erf(x: f32) -> f32 {
    let a = x.abs();
    sel(
        a < ERF_SPLIT,
        erf_small(x),
        ((1.0 - erfc_wide(a)) as f32).copysign(x),
    )
}

/// Complementary error function `1 - erf(x)`, with small relative error in the right tail
/// (`erfc(9) ≈ 4.1e-37` is not computed as a difference): `erfc_wide`, rounded once.
///
/// Maximum error 0.504 ULP over all `f32` (0.5033; 2.82 before 2026-11-29, in `f32`;
/// measured exhaustively, with `erf`'s, by the ignored test
/// `erf_and_erfc_over_every_input`), subnormal results included.
/// `erfc(inf) = 0`, `erfc(-inf) = 2`, NaN gives NaN.
#[inline(always)]
pub fn erfc(x: f32) -> f32 {
    erfc_wide(x) as f32
}

/// Largest `|x|` for which `sin`/`cos` are accurate (the reduction multiple `n` stays below
/// 2^16, so `n` times an 8-bit piece of `π/2` is exact).
const TRIG_LIMIT: f32 = 65_536.0;

/// `sin(x + q·π/2)`-style kernel: reduces `x` by `π/2` and returns the value for quadrant
/// `n + quadrant`.
#[inline(always)]
fn sin_cos(x: f32, quadrant: i32) -> f32 {
    // π/2 = C1 + ... + C6: C1..C5 have 8 significant bits (n·Ck exact for n < 2^16), C6 is
    // the rounded remainder; 64 bits of π/2 in all.
    const C1: f32 = 1.570_312_5;
    const C2: f32 = 4.844_665_527_343_75e-4;
    const C3: f32 = -6.407_499_313_354_492e-7;
    const C4: f32 = 9.895_302_355_289_459e-10;
    const C5: f32 = 2.557_953_848_736_360_7e-12;
    const C6: f32 = 5.390_302_953_474_238e-15;
    // sin r = r + r³·S(r²), cos r = 1 - r²/2 + r⁴·K(r²) on |r| <= π/4.
    const S0: f32 = -1.666_666_716e-1;
    const S1: f32 = 8.333_379_403e-3;
    const S2: f32 = -1.985_306_881e-4;
    const S3: f32 = 2.832_629_434e-6;
    const K0: f32 = 4.166_666_791e-2;
    const K1: f32 = -1.388_898_003e-3;
    const K2: f32 = 2.482_200_762e-5;
    const K3: f32 = -2.887_845_199e-7;
    let (nf, n) = round_magic(x * core::f32::consts::FRAC_2_PI);
    // Exact: the products are exact and the differences fit in 24 bits.
    let r = fma(nf, -C1, x);
    let r = fma(nf, -C2, r);
    // From here the remainder may need more than 24 bits: carry it as hi + lo.
    let (h, l) = two_sum(r, -(nf * C3));
    let (h, e) = two_sum(h, -(nf * C4));
    let l = l + e;
    let (h, e) = two_sum(h, -(nf * C5));
    let l = fma(nf, -C6, l + e);
    let (rh, rl) = fast_two_sum(h, l);
    // Beyond the accurate range the reduction is meaningless; keep the result in [-1, 1].
    let rh = clamp_lo(clamp_hi(rh, 1.0), -1.0);
    let rl = sel(x.abs() <= TRIG_LIMIT, rl, 0.0);
    let z = rh * rh;
    let s = rh + fma(rh * z, fma(fma(fma(S3, z, S2), z, S1), z, S0), rl);
    let hz = 0.5 * z;
    let w = 1.0 - hz;
    let k = fma(fma(fma(K3, z, K2), z, K1), z, K0);
    let c = w + (((1.0 - w) - hz) + fma(z * z, k, -(rh * rl)));
    let q = n.wrapping_add(quadrant);
    let v = sel(q & 1 != 0, c, s);
    f32::from_bits(v.to_bits() ^ (((q & 2) as u32) << 30))
}

/// Sine.
///
/// Maximum error 0.84 ULP for `|x| <= 65536` (measured exhaustively); beyond that the result
/// is finite and in `[-1, 1]` but not accurate. `sin(±inf) = NaN`, odd (the sign of zero is
/// kept), NaN gives NaN.
#[inline(always)]
pub fn sin(x: f32) -> f32 {
    sel(x == 0.0, x, sin_cos(x, 0))
}

/// Cosine.
///
/// Maximum error 0.84 ULP for `|x| <= 65536` (measured exhaustively); beyond that the result
/// is finite and in `[-1, 1]` but not accurate. `cos(±inf) = NaN`, NaN gives NaN.
#[inline(always)]
pub fn cos(x: f32) -> f32 {
    sin_cos(x, 1)
}

/// `cos(2x)`, computed in `f64` (where `2x` is exact and finite) and rounded once.
///
/// Maximum error 0.5 ULP on the oracle's 4,000 points in `|x| <= 5000`
/// (`tests/accuracy.rs`); accurate for `|x| <= 2^19`; beyond, finite, in `[-1, 1]`,
/// approximate. NaN for infinite or NaN `x`.
#[inline(always)]
pub fn cos2x(x: f32) -> f32 {
    crate::math::f64::cos2x(f64::from(x)) as f32
}

/// `1 + sin(2x)`, computed in `f64` by [`crate::math::f64::sin2x1p`] (no cancellation
/// near the double roots) and rounded once: maximum error 0.5 ULP on the oracle's
/// 4,000 points in `|x| <= 5000`, 1,350 of them near double roots
/// (`tests/accuracy.rs`); accurate for `|x| <= 2^19`. NaN for infinite or NaN `x`.
#[inline(always)]
pub fn sin2x1p(x: f32) -> f32 {
    crate::math::f64::sin2x1p(f64::from(x)) as f32
}

/// `x·cos(x) - sin(x)/2`, computed in `f64` by [`crate::math::f64::xcos_halfsin`]
/// (accurate near its roots, where the difference cancels) and rounded once: maximum
/// error 0.5 ULP on the oracle's 4,000 points in `|x| <= 5000` (`tests/accuracy.rs`).
/// Beyond `|x| = 65536`, where this module's [`sin`] and [`cos`] are approximate, it is
/// made from them (in `f64`, rounded once), so that it keeps their phase: snake's
/// gradient, `2·sin(u)·xcos_halfsin(u)`, then stays within `|u| + 1` (from the `f64`
/// form's own phase it reached -inf at x = 3.3e38, where the value is finite).
#[inline(always)]
pub fn xcos_halfsin(x: f32) -> f32 {
    let near = crate::math::f64::xcos_halfsin(f64::from(x)) as f32;
    let far = (f64::from(x) * f64::from(cos(x)) - 0.5 * f64::from(sin(x))) as f32;
    sel(x.abs() > 65536.0, far, near)
}

/// `ln a` as hi + lo, relative error about 2^-30, for positive finite `a` (subnormals
/// included).
#[inline(always)]
fn ln_ext(a: f32) -> (f32, f32) {
    let tiny = a < f32::MIN_POSITIVE;
    let a = sel(tiny, a * 33_554_432.0, a); // 2^25
    let (k, m) = log_reduce(a.to_bits());
    let k = k.wrapping_sub(if tiny { 25 } else { 0 });
    let f = m - 1.0;
    // s = f / (2 + f) as sh + sl.
    let (dh, dl) = fast_two_sum(2.0, f);
    let sh = f / dh;
    let (p, pe) = two_prod(sh, dh);
    let sl = fma(-sh, dl, (f - p) - pe) / dh;
    // ln(1 + f) = 2s + (2/3)s³ + s⁵·T(s²).
    const T0: f32 = 0.4;
    const T1: f32 = 2.0 / 7.0;
    const T2: f32 = 2.0 / 9.0;
    const T3: f32 = 2.0 / 11.0;
    let z = sh * sh;
    let s3 = sh * z;
    let t = fma(
        s3 * z,
        fma(fma(fma(T3, z, T2), z, T1), z, T0),
        s3 * (2.0 / 3.0),
    );
    let lo = fma(2.0 * sl, 1.0 + z, t);
    let kf = k as f32;
    let (h, e) = two_sum(kf * LN2_HI, 2.0 * sh);
    fast_two_sum(h, fma(kf, LN2_LO, e + lo))
}

/// `x^y`.
///
/// Maximum error 2.72 ULP on 3·10^8 sampled pairs (results spread over the whole range,
/// `x` near 1 with large `|y|`, negative `x` with integer `y`, random bit patterns, special
/// values); the error grows with `|y · ln x|` and is largest near overflow and underflow.
/// Special cases follow IEEE 754 / C99 `pow`: `pow(x, ±0) = 1` and `pow(1, y) = 1` even for
/// NaN; `pow(x < 0, y)` is NaN for finite non-integer `y` and carries the sign `(-1)^y` for
/// integer `y`; `pow(±0, y)` is `±0`/`±inf` for odd integer `y`, `+0`/`+inf` otherwise;
/// `pow(-1, ±inf) = 1`; `pow(x, ±inf)` and `pow(±inf, y)` are `0` or `inf` by the usual
/// rules; otherwise NaN gives NaN.
#[inline(always)]
pub fn pow(x: f32, y: f32) -> f32 {
    let ax = x.abs();
    let (lh, ll) = ln_ext(ax);
    let (ph, pe) = two_prod(y, lh);
    let pl = fma(y, ll, pe);
    let in_range = ph > -104.0 && ph < 89.0;
    let yh = clamp_lo(clamp_hi(ph, 89.0), -104.0);
    let (n, h, l) = exp_core(yh, sel(in_range, pl, 0.0));
    let r = scale(h + l, n);
    // Parity of y.
    let ay = y.abs();
    let two23 = 8_388_608.0;
    let y_int = ay >= two23 || (ay + two23) - two23 == ay;
    let t = sel(ay < two23, ay + two23, ay);
    let y_odd = y_int && ay < 2.0 * two23 && t.to_bits() & 1 != 0;
    // Zero and infinite operands.
    let y_inf = ay == f32::INFINITY;
    let toward_inf = (ax > 1.0) == (y > 0.0);
    let r = sel(
        y_inf,
        sel(ax == 1.0, 1.0, sel(toward_inf, f32::INFINITY, 0.0)),
        r,
    );
    let r = sel(ax == 0.0, sel(y < 0.0, f32::INFINITY, 0.0), r);
    let r = sel(ax == f32::INFINITY, sel(y < 0.0, 0.0, f32::INFINITY), r);
    let neg = x.to_bits() >> 31 != 0 && y_odd;
    let r = sel(neg, -r, r);
    let r = sel(x < 0.0 && x > f32::NEG_INFINITY && !y_int, f32::NAN, r);
    let r = sel(x.is_nan() || y.is_nan(), f32::NAN, r);
    sel(y == 0.0 || x == 1.0, 1.0, r)
}

/// `x^n` by binary powering; for negative `n`, `1 / x^|n|`.
///
/// Each multiplication rounds, so the error grows with `|n|` (up to about `|n|` ULP; exact
/// where every intermediate power is representable, as for powers of two). For negative `n`
/// a result that needs `x^|n|` beyond the `f32` range is lost: `powi(x, n)` is `0` where the
/// true value is subnormal, and less accurate just below `f32::MAX`. The 32 steps are
/// unrolled and the multiplications by 1 fold away when `n` is a constant; with a run-time
/// `n` the loop is still free of data-dependent branches. `powi(x, 0) = 1` for every `x`,
/// NaN included.
#[inline(always)]
pub fn powi(x: f32, n: i32) -> f32 {
    let mut base = x;
    let mut e = n.unsigned_abs();
    let mut acc = 1.0f32;
    for _ in 0..32 {
        acc *= if e & 1 != 0 { base } else { 1.0 };
        base *= base;
        e >>= 1;
    }
    if n < 0 {
        1.0 / acc
    } else {
        acc
    }
}

#[cfg(test)]
pub(crate) mod tests {
    /// Beyond 65536, where `sin` and `cos` are approximate, `xcos_halfsin` keeps their
    /// phase: snake's gradient `2·sin(x)·xcos_halfsin(x)` (alpha = 1) stays within
    /// `|x| + 1` up to `f32::MAX`. With the `f64` form's own phase it reached 2.35e38 at
    /// x = 2e38 and overflowed to -inf at 3.3e38.
    #[test]
    fn xcos_halfsin_keeps_the_phase_of_sin_where_both_are_approximate() {
        let mut worst = (0.0f64, 0.0f32);
        for i in 0..20_000u32 {
            // Log-spaced from 2^16 to f32::MAX, both signs.
            let m = 16.0 + 112.0 * f64::from(i) / 20_000.0;
            let x = (2f64.powf(m).min(f64::from(f32::MAX))) as f32;
            for x in [x, -x] {
                let g = 2.0 * f64::from(super::sin(x)) * f64::from(super::xcos_halfsin(x));
                let excess = g.abs() / (f64::from(x).abs() + 1.0);
                if excess > worst.0 {
                    worst = (excess, x);
                }
            }
        }
        assert!(worst.0 <= 1.0 + 1e-6, "{worst:?}");
    }

    /// `exp_wide` against std's `f64` exponential (within an `f64` ULP, far below the
    /// bound) on every 4099th `f32` of `[-200, 104]` and at the clamps: 2^-34 relative,
    /// as its docs say; NaN passes through, the infinities take the clamps' values.
    #[test]
    fn exp_wide_is_within_its_bound() {
        let mut worst = (0.0f64, 0.0f32);
        let mut check = |x: f32| {
            let want = f64::from(x).clamp(-200.0, 104.0).exp();
            let err = (super::exp_wide(x) / want - 1.0).abs();
            if err > worst.0 {
                worst = (err, x);
            }
        };
        for bits in (0..(200.0f32).to_bits()).step_by(4099) {
            let x = f32::from_bits(bits);
            check(-x);
            if x <= 104.0 {
                check(x);
            }
        }
        for x in [104.0, -104.0, -200.0, 103.97, -103.97, 88.72, 0.0, -0.0] {
            check(x);
        }
        assert!(worst.0 < 2f64.powi(-34), "{worst:?}");
        assert!(super::exp_wide(f32::NAN).is_nan());
        assert_eq!(super::exp_wide(f32::INFINITY), super::exp_wide(104.0));
        assert_eq!(super::exp_wide(f32::NEG_INFINITY), super::exp_wide(-200.0));
        // Below the clamp, times the largest f32, less than half the smallest
        // subnormal.
        assert!(super::exp_wide(-1e30) * f64::from(f32::MAX) < f64::from(f32::from_bits(1)) / 2.0);
    }

    #[test]
    fn mul_err_is_the_exact_rounding_of_the_product() {
        // The product of two f32 is exact in f64.
        let cases = [
            (1.5f32, -12.821867f32),
            (0.1, 0.3),
            (1.0 / 3.0, 3.0),
            (2.5, -86.8),
            (-1.0e-10, 3.3e-15),
            (f32::MAX, 0.999_999_9),
            (16_777_215.0, 16_777_213.0),
        ];
        for (a, b) in cases {
            let want = f64::from(a) * f64::from(b) - f64::from(a * b);
            assert_eq!(f64::from(super::mul_err(a, b)), want, "{a} * {b}");
        }
        assert_eq!(super::mul_err(2.0, 0.75), 0.0);
    }

    #[test]
    fn mul_err_is_zero_past_overflow_and_keeps_nan() {
        assert_eq!(super::mul_err(f32::MAX, 1.5), 0.0);
        assert_eq!(super::mul_err(-f32::MAX, f32::MAX), 0.0);
        assert_eq!(super::mul_err(f32::INFINITY, 0.1), 0.0);
        assert_eq!(super::mul_err(0.1, f32::NEG_INFINITY), 0.0);
        assert!(super::mul_err(f32::NAN, 0.1).is_nan());
        assert!(super::mul_err(0.1, f32::NAN).is_nan());
        assert!(super::mul_err(f32::INFINITY, 0.0).is_nan());
    }

    use super::*;

    /// Error of `got` in ULPs of `want` rounded to `f32` (a subnormal or zero result counts
    /// in units of 2^-149).
    pub(crate) fn ulp_error(got: f32, want: f64) -> f64 {
        if want.is_nan() || got.is_nan() {
            return if want.is_nan() && got.is_nan() {
                0.0
            } else {
                f64::INFINITY
            };
        }
        let w = want as f32;
        if w.is_infinite() || got.is_infinite() {
            return if got == w { 0.0 } else { f64::INFINITY };
        }
        let a = w.abs();
        let ulp = if a < f32::MIN_POSITIVE {
            2f64.powi(-149)
        } else {
            2f64.powi(((a.to_bits() >> 23) as i32) - 150)
        };
        (f64::from(got) - want).abs() / ulp
    }

    /// A few thousand inputs: random bit patterns, uniform points on `[lo, hi]`, and the
    /// endpoints.
    fn samples(lo: f32, hi: f32) -> Vec<f32> {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut v = vec![lo, hi, 0.0, -0.0];
        for _ in 0..1500 {
            v.push(f32::from_bits(next() as u32));
        }
        for _ in 0..2500 {
            let t = (next() >> 40) as f32 / (1u64 << 24) as f32;
            v.push(lo + (hi - lo) * t);
        }
        v
    }

    fn check(name: &str, f: fn(f32) -> f32, reference: fn(f64) -> f64, lo: f32, hi: f32, tol: f64) {
        for x in samples(lo, hi) {
            let got = f(x);
            let err = ulp_error(got, reference(f64::from(x)));
            assert!(
                err <= tol,
                "{name}({x:e}) = {got:e}, want {:e} ({err:.2} ULP)",
                reference(f64::from(x))
            );
        }
    }

    fn sigmoid64(x: f64) -> f64 {
        if x >= 0.0 {
            1.0 / (1.0 + (-x).exp())
        } else {
            let e = x.exp();
            e / (1.0 + e)
        }
    }

    fn softplus64(x: f64) -> f64 {
        if x.is_nan() {
            return x;
        }
        x.max(0.0) + (-x.abs()).exp().ln_1p()
    }

    #[test]
    fn exp_family_matches_f64() {
        check("exp", exp, f64::exp, -110.0, 90.0, 1.0);
        check("expm1", expm1, f64::exp_m1, -20.0, 90.0, 1.0);
        check("sigmoid", sigmoid, sigmoid64, -110.0, 40.0, 1.0);
        check("softplus", softplus, softplus64, -110.0, 40.0, 1.0);
        check("tanh", tanh, f64::tanh, -10.0, 10.0, 1.0);
    }

    #[test]
    fn log_family_matches_f64() {
        check("ln", ln, f64::ln, 0.0, 4.0, 1.0);
        check("log1p", log1p, f64::ln_1p, -1.0, 4.0, 1.0);
    }

    /// Every non-NaN f32 through `pairs`, which gives `(got, want)` for each of `N`
    /// functions, on two threads: each function's maximum ULP error (NaN where the
    /// reference is not counts as infinitely far) and where it occurs, printed under
    /// `names` and returned.
    pub(crate) fn worst_over_every_f32<const N: usize>(
        names: [&str; N],
        pairs: impl Fn(f32) -> [(f32, f64); N] + Sync,
    ) -> [(f64, f32); N] {
        // In code compiled for FMA where the CPU has it, as the kernels run: elsewhere
        // each fused multiply-add is a library call.
        let worst = |lo: u32, hi: u32| {
            crate::dispatch::vectorized(|| {
                let mut w = [(0.0f64, 0.0f32); N];
                for bits in lo..hi {
                    let x = f32::from_bits(bits);
                    if x.is_nan() {
                        continue;
                    }
                    for (w, (got, want)) in w.iter_mut().zip(pairs(x)) {
                        let e = ulp_error(got, want);
                        if e > w.0 {
                            *w = (e, x);
                        }
                    }
                }
                w
            })
        };
        let halves = std::thread::scope(|s| {
            let a = s.spawn(|| worst(0, 1 << 31));
            let b = s.spawn(|| worst(1 << 31, u32::MAX));
            [a.join().expect("thread"), b.join().expect("thread")]
        });
        std::array::from_fn(|k| {
            let w = if halves[0][k].0 >= halves[1][k].0 {
                halves[0][k]
            } else {
                halves[1][k]
            };
            println!("f32 {}: max {:.4} ULP at x = {:e}", names[k], w.0, w.1);
            w
        })
    }

    /// Every f32 through the elementary functions against std's f64 ones (sin and cos
    /// for `|x| <= 65536`, their documented range): prints each maximum and where, and
    /// fails above the maxima the functions' docs state. About 13 minutes on two
    /// cores (mostly std's f64 references): `cargo test --release -p actdiff --lib
    /// elementary_functions_over_every_input -- --ignored --nocapture`.
    #[test]
    #[ignore = "exhaustive: all 2^32 inputs"]
    fn elementary_functions_over_every_input() {
        let names = [
            "exp", "expm1", "ln", "log1p", "tanh", "sigmoid", "softplus", "gauss", "sin", "cos",
        ];
        let worst = worst_over_every_f32(names, |x| {
            let xd = f64::from(x);
            // Beyond the range, 0 (both sides agree): the reductions of huge arguments
            // would take most of the run's time.
            let t = if x.abs() <= 65536.0 { x } else { 0.0 };
            let td = f64::from(t);
            [
                (exp(x), xd.exp()),
                (expm1(x), xd.exp_m1()),
                (ln(x), xd.ln()),
                (log1p(x), xd.ln_1p()),
                (tanh(x), xd.tanh()),
                (sigmoid(x), sigmoid64(xd)),
                (softplus(x), softplus64(xd)),
                (gauss(x), (-(xd * xd)).exp()),
                (sin(t), td.sin()),
                (cos(t), td.cos()),
            ]
        });
        // The docs' figures (the maxima measured with fused multiply-add, 2026-11-28;
        // gauss's 2026-11-29).
        let bounds = [0.77, 0.75, 0.84, 0.84, 0.79, 0.79, 1.19, 0.501, 0.84, 0.84];
        for ((name, w), bound) in names.into_iter().zip(worst).zip(bounds) {
            assert!(w.0 <= bound, "{name} {w:?}");
        }
    }

    /// Every f32 through `erf`, `erfc`, `gauss` and the products `erfc_mul` and
    /// `gauss_mul` against libm's and std's f64 functions: prints each maximum and
    /// where, and fails above the maxima the functions' docs state. About three
    /// minutes on two cores: `cargo test --release -p actdiff --lib
    /// erf_and_erfc_over_every_input -- --ignored --nocapture`.
    #[test]
    #[ignore = "exhaustive: all 2^32 inputs"]
    fn erf_and_erfc_over_every_input() {
        // The products with 2^100 keep erfc(u) and gauss(u) normal where they are
        // subnormal alone (libm's erfc is within an f64 ULP or two: far below these).
        let big = 2f32.powi(100);
        let names = [
            "erf",
            "erfc",
            "gauss",
            "erfc_mul(u, 2^100)",
            "gauss_mul(u, 2^100)",
        ];
        let worst = worst_over_every_f32(names, |x| {
            let xd = f64::from(x);
            let g = (-(xd * xd)).exp();
            [
                (erf(x), libm::erf(xd)),
                (erfc(x), libm::erfc(xd)),
                (gauss(x), g),
                (erfc_mul(x, big), libm::erfc(xd) * f64::from(big)),
                (gauss_mul(x, big), g * f64::from(big)),
            ]
        });
        // The docs' figures (measured with fused multiply-add, 2026-11-29).
        let bounds = [0.625, 0.504, 0.501, 0.504, 0.501];
        for ((name, w), bound) in names.into_iter().zip(worst).zip(bounds) {
            assert!(w.0 <= bound, "{name} {w:?}");
        }
    }

    #[test]
    fn erf_and_trig_match_f64() {
        // The bounds are the exhaustive maxima the docs state
        // (`erf_and_erfc_over_every_input`).
        check("erf", erf, libm::erf, -5.0, 5.0, 0.625);
        check("erfc", erfc, libm::erfc, -2.0, 10.1, 0.504);
        // The square of an f32 is exact in f64.
        check("gauss", gauss, |x| (-(x * x)).exp(), -10.3, 10.3, 0.501);
        check("gauss", gauss, |x| (-(x * x)).exp(), 8.0, 10.0, 0.501);
        // The products' far tail, where only a factor near f32::MAX leaves a nonzero
        // result (the exhaustive test's 2^100 reaches u = 13).
        let big = f32::MAX;
        for u in samples(12.0, 15.0) {
            if !(12.0..=15.0).contains(&u) {
                continue;
            }
            let ud = f64::from(u);
            let e = ulp_error(erfc_mul(u, big), libm::erfc(ud) * f64::from(big));
            assert!(e <= 0.504, "erfc_mul({u:e}, MAX): {e:.3} ULP");
            let e = ulp_error(gauss_mul(u, big), (-(ud * ud)).exp() * f64::from(big));
            assert!(e <= 0.501, "gauss_mul({u:e}, MAX): {e:.3} ULP");
        }
        for x in samples(-TRIG_LIMIT, TRIG_LIMIT) {
            if x.abs() <= TRIG_LIMIT {
                assert!(ulp_error(sin(x), f64::from(x).sin()) <= 4.0, "sin({x:e})");
                assert!(ulp_error(cos(x), f64::from(x).cos()) <= 4.0, "cos({x:e})");
            } else if x.is_finite() {
                assert!(
                    sin(x).abs() <= 1.0 && cos(x).abs() <= 1.0,
                    "sin/cos({x:e}) out of range"
                );
            }
        }
    }

    #[test]
    fn pow_matches_f64() {
        let xs = samples(0.0, 8.0);
        let ys = samples(-30.0, 30.0);
        for (&x, &y) in xs.iter().zip(ys.iter().rev()) {
            let want = f64::from(x).powf(f64::from(y));
            let err = ulp_error(pow(x, y), want);
            assert!(
                err <= 4.0,
                "pow({x:e}, {y:e}) = {:e}, want {want:e} ({err:.2} ULP)",
                pow(x, y)
            );
        }
        for n in -40..=40 {
            for &x in &[-3.5f32, -1.25, 0.75, 1.5, 2.0, 9.0] {
                let want = f64::from(x).powi(n);
                assert!(ulp_error(pow(x, n as f32), want) <= 4.0, "pow({x}, {n})");
                assert!(
                    ulp_error(powi(x, n), want) <= f64::from(n.unsigned_abs()) + 1.0,
                    "powi({x}, {n})"
                );
            }
        }
    }

    /// A special-value case: name, function, input, expected output.
    type Case = (&'static str, fn(f32) -> f32, f32, f32);

    #[test]
    fn special_values() {
        let (inf, nan) = (f32::INFINITY, f32::NAN);
        let same = |a: f32, b: f32| a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan());
        let cases: &[Case] = &[
            ("exp", exp, -inf, 0.0),
            ("exp", exp, inf, inf),
            ("exp", exp, 89.0, inf),
            ("exp", exp, -104.0, 0.0),
            ("exp", exp, 0.0, 1.0),
            ("expm1", expm1, -inf, -1.0),
            ("expm1", expm1, inf, inf),
            ("expm1", expm1, -0.0, -0.0),
            ("ln", ln, 0.0, -inf),
            ("ln", ln, -0.0, -inf),
            ("ln", ln, -1.0, nan),
            ("ln", ln, inf, inf),
            ("ln", ln, 1.0, 0.0),
            ("log1p", log1p, -1.0, -inf),
            ("log1p", log1p, -2.0, nan),
            ("log1p", log1p, inf, inf),
            ("log1p", log1p, -0.0, -0.0),
            ("tanh", tanh, inf, 1.0),
            ("tanh", tanh, -inf, -1.0),
            ("tanh", tanh, -0.0, -0.0),
            ("sigmoid", sigmoid, inf, 1.0),
            ("sigmoid", sigmoid, -inf, 0.0),
            ("sigmoid", sigmoid, 0.0, 0.5),
            ("softplus", softplus, inf, inf),
            ("softplus", softplus, -inf, 0.0),
            ("softplus", softplus, 1e30, 1e30),
            ("erf", erf, inf, 1.0),
            ("erf", erf, -inf, -1.0),
            ("erf", erf, -0.0, -0.0),
            ("erfc", erfc, inf, 0.0),
            ("erfc", erfc, -inf, 2.0),
            ("erfc", erfc, 0.0, 1.0),
            ("gauss", gauss, 0.0, 1.0),
            ("gauss", gauss, -0.0, 1.0),
            ("gauss", gauss, inf, 0.0),
            ("gauss", gauss, -inf, 0.0),
            ("gauss", gauss, 10.2, 0.0),
            ("gauss", gauss, -1e30, 0.0),
            ("sin", sin, -0.0, -0.0),
            ("sin", sin, inf, nan),
            ("cos", cos, -inf, nan),
            ("cos", cos, 0.0, 1.0),
        ];
        for &(name, f, x, want) in cases {
            assert!(
                same(f(x), want),
                "{name}({x:e}) = {:e}, want {want:e}",
                f(x)
            );
        }
        for f in [
            exp, expm1, ln, log1p, tanh, sigmoid, softplus, erf, erfc, gauss, sin, cos,
        ] {
            assert!(f(nan).is_nan());
        }
        // Where the factor is 0 to f32 the product with an infinite v is ±0 with v's
        // sign, as in f64's (an overflowed polynomial against the Gaussian); a NaN v
        // stays NaN, and before the clamp an infinite v gives ±inf.
        for (u, v) in [
            (inf, inf),
            (-inf, -inf),
            (20.0, inf),
            (-15.0, -inf),
            (1e30, inf),
        ] {
            let p = gauss_mul(u, v);
            assert!(
                p == 0.0 && p.is_sign_negative() == (v < 0.0),
                "gauss_mul({u}, {v}) = {p}"
            );
            assert!(gauss_mul(u, nan).is_nan());
        }
        assert_eq!(gauss_mul(1.0, inf), inf);
        for (u, v) in [(inf, inf), (20.0, -inf), (14.0, inf)] {
            let p = erfc_mul(u, v);
            assert!(
                p == 0.0 && p.is_sign_negative() == (v < 0.0),
                "erfc_mul({u}, {v}) = {p}"
            );
            assert!(erfc_mul(u, nan).is_nan());
        }
        assert_eq!(erfc_mul(13.0, inf), inf);
        assert_eq!(erfc_mul(-inf, -inf), -inf);
        assert_eq!(erfc_mul(-20.0, inf), inf);
        assert_eq!(gauss_mul(0.0, inf), inf);
        // Tails: subnormal results, not an early 0.
        let tiny = sigmoid(-100.0);
        assert!(
            ulp_error(tiny, (-100f64).exp()) <= 1.0,
            "sigmoid(-100) = {tiny:e}"
        );
        assert!(ulp_error(softplus(-100.0), (-100f64).exp()) <= 1.0);
        assert!(ulp_error(exp(-100.0), (-100f64).exp()) <= 1.0);
        assert!(ulp_error(erfc(9.0), libm::erfc(9.0)) <= 4.0);
        assert!(ulp_error(ln(1e-45), (1e-45f32 as f64).ln()) <= 1.0);
        assert_eq!(softplus(100.0), 100.0);
        // pow special cases.
        let p = |x: f32, y: f32, want: f32| {
            assert!(same(pow(x, y), want), "pow({x}, {y}) = {}", pow(x, y))
        };
        p(nan, 0.0, 1.0);
        p(1.0, nan, 1.0);
        p(-2.0, 0.5, nan);
        p(-2.0, 3.0, -8.0);
        p(-2.0, 2.0, 4.0);
        p(0.0, -1.0, inf);
        p(-0.0, -1.0, -inf);
        p(-0.0, -2.0, inf);
        p(-0.0, 3.0, -0.0);
        p(-0.0, 0.5, 0.0);
        p(0.0, 2.0, 0.0);
        p(-1.0, inf, 1.0);
        p(-1.0, -inf, 1.0);
        p(0.5, inf, 0.0);
        p(0.5, -inf, inf);
        p(2.0, inf, inf);
        p(2.0, -inf, 0.0);
        p(inf, -1.0, 0.0);
        p(inf, 0.5, inf);
        p(-inf, 3.0, -inf);
        p(-inf, -3.0, -0.0);
        p(-inf, 2.0, inf);
        p(-inf, 0.5, inf);
        p(2.0, 200.0, inf);
        p(2.0, -200.0, 0.0);
        p(nan, 1.0, nan);
        p(2.0, nan, nan);
        assert_eq!(powi(nan, 0), 1.0);
        assert_eq!(powi(2.0, -126), f32::MIN_POSITIVE);
        assert_eq!(powi(-0.0, -1), -inf);
        assert_eq!(powi(3.0, 5), 243.0);
    }
}
