//! Double-double evaluation: a DAG in about 106 significant bits.
//!
//! [`refine`](crate::refine) fits polynomials near the roots of cancelling functions
//! from samples of the function. Near such a root the f64 interpreter ([`eval`]) loses
//! as many digits as the terms cancel, so its samples serve f32 results only. Here the
//! same DAG is evaluated with each value held as a pair of f64 whose sum carries about
//! 106 bits, and every function of the language is accurate to 1e-28 relative (tested
//! against mpmath), so that the samples stay good to f64 precision deep into the
//! cancellation.
//!
//! Speed is secondary (this runs at compile time, a few thousand evaluations per
//! definition): in release builds most functions take about a microsecond, and the
//! slowest, erf and erfc near |x| = 2, about 7 µs.
//!
//! Limits:
//! - below 2^-968 a double-double's low part is subnormal, so results that small carry
//!   fewer than 106 bits (down to f64's subnormal precision);
//! - `sin` and `cos` reduce their argument with pi/2 to 212 bits: accurate to 1e-28
//!   for |x| <= 1e5 (tested), and for f64 arguments up to 2^40; beyond 2^40 they are
//!   only as accurate as f64;
//! - `erfc` is relative-accurate as long as its result is above 2^-968 (x < 25.8);
//!   further out its error is absolute, at the level of the smallest subnormal.
//!
//! [`eval`]: crate::eval

use crate::graph::{CmpOp, Func, Graph, Node, NodeId};
use std::cmp::Ordering;
use std::f64::consts::{FRAC_2_PI, FRAC_2_SQRT_PI, FRAC_PI_2, LN_2, LOG2_E, SQRT_2};
use std::ops::{Add, Div, Mul, Neg, Sub};

/// A double-double number: value = hi + lo, |lo| <= ulp(hi)/2.
///
/// Infinities and NaN live in `hi` (with `lo` zero), so that every special value
/// behaves as in f64.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Dd {
    /// The value rounded to the nearest f64.
    pub hi: f64,
    /// The rest, `value - hi`, rounded to the nearest f64.
    pub lo: f64,
}

// Constants spelled out to more than f64 precision, as unevaluated sums of f64
// (`tests/dd_reference.py --constants` prints them). ln 2 and pi/2 take several parts
// because argument reduction multiplies them by large integers.
const LN2_PARTS: [f64; 3] = [LN_2, 2.3190468138462996e-17, 5.707708438416212e-34];
const FRAC_PI_2_PARTS: [f64; 4] = [
    FRAC_PI_2,
    6.123233995736766e-17,
    -1.4973849048591698e-33,
    5.562271104316826e-50,
];
const FRAC_2_SQRT_PI_DD: Dd = Dd {
    hi: FRAC_2_SQRT_PI,
    lo: 1.533545961316588e-17,
};

/// Below this |erf| and |erfc| come from the Taylor series (where erfc = 1 - erf
/// cancels less than a factor of 220), above from the continued fraction, which needs
/// fewer terms the larger x is.
const ERF_SERIES_LIMIT: f64 = 2.0;
/// Beyond this erfc(x) is below half the smallest subnormal: 0 in f64.
const ERFC_ZERO: f64 = 27.3;
/// Up to this |x| the f64 estimate of the quadrant, `x · 2/pi`, is off by at most
/// 2e-4, so the reduced argument stays within the range the sine and cosine series
/// are summed for; and pi/2 to 212 bits keeps the reduction exact to 1e-28 relative
/// even for the f64 closest to a multiple of pi/2.
const TRIG_REDUCTION_LIMIT: f64 = 1_099_511_627_776.0; // 2^40

/// `(s, e)` with `s = fl(a + b)` and `s + e = a + b` exactly (Knuth).
fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    let bb = s - a;
    (s, (a - (s - bb)) + (b - bb))
}

/// [`two_sum`] for `|a| >= |b|` (Dekker): three operations instead of six.
fn quick_two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    (s, b - (s - a))
}

/// `(p, e)` with `p = fl(a · b)` and `p + e = a · b` exactly, through a fused
/// multiply-add (exact unless `e` underflows).
fn two_prod(a: f64, b: f64) -> (f64, f64) {
    let p = a * b;
    (p, a.mul_add(b, -p))
}

/// `2^k` for `k` in the normal range `[-1022, 1023]`.
fn pow2(k: i32) -> f64 {
    f64::from_bits(((k + 1023) as u64) << 52)
}

/// `x · 2^k` in steps of at most 2^600 that are exact for a value near 1 (a high
/// part), so that it is rounded only once, by the last step, even into the subnormals.
fn ldexp(mut x: f64, mut k: i32) -> f64 {
    while k > 1023 {
        x *= pow2(600);
        k -= 600;
    }
    while k < -1022 {
        x *= pow2(-600);
        k += 600;
    }
    x * pow2(k)
}

impl Dd {
    /// Zero.
    pub const ZERO: Dd = Dd { hi: 0.0, lo: 0.0 };
    /// One.
    pub const ONE: Dd = Dd { hi: 1.0, lo: 0.0 };
    /// Not a number.
    pub const NAN: Dd = Dd {
        hi: f64::NAN,
        lo: 0.0,
    };
    /// Positive infinity.
    pub const INFINITY: Dd = Dd {
        hi: f64::INFINITY,
        lo: 0.0,
    };
    const TWO: Dd = Dd { hi: 2.0, lo: 0.0 };

    /// The double-double equal to `x`.
    pub fn from_f64(x: f64) -> Dd {
        Dd { hi: x, lo: 0.0 }
    }

    /// The value rounded to an f64 (`hi`, up to ties).
    pub fn to_f64(self) -> f64 {
        // `hi + 0.0` would turn -0 into +0.
        if self.lo == 0.0 {
            self.hi
        } else {
            self.hi + self.lo
        }
    }

    /// Whether the value is NaN.
    fn is_nan(self) -> bool {
        self.hi.is_nan()
    }

    /// The double-double nearest `hi + lo` for `|hi| >= |lo|`; an overflowing sum
    /// becomes an infinity with a zero low part, as in f64.
    fn renormalize(hi: f64, lo: f64) -> Dd {
        let (s, e) = quick_two_sum(hi, lo);
        if s.is_finite() {
            Dd { hi: s, lo: e }
        } else {
            Dd { hi: s, lo: 0.0 }
        }
    }

    /// `self / b`: [`Div`] for a divisor with no low part, which saves half the work
    /// (the series here divide by integers).
    fn div_f64(self, b: f64) -> Dd {
        let q1 = self.hi / b;
        if !q1.is_finite() || q1 == 0.0 {
            return Dd { hi: q1, lo: 0.0 };
        }
        // `self.hi - p` is exact (the two are within a factor of 2), so the remainder
        // is accurate to an ulp of itself, which is an ulp of the quotient's low part.
        let (p, e) = two_prod(q1, b);
        let r = ((self.hi - p) - e) + self.lo;
        Dd::renormalize(q1, r / b)
    }

    /// `self · 2^k`, exact unless the result leaves the normal range.
    fn ldexp(self, k: i32) -> Dd {
        Dd::renormalize(ldexp(self.hi, k), ldexp(self.lo, k))
    }

    /// `|x|`
    pub fn abs(self) -> Dd {
        if self.hi.is_sign_negative() {
            -self
        } else {
            self
        }
    }

    /// `sqrt(x)`: one Newton step from the f64 root, with the residual in
    /// double-double. NaN below zero; `sqrt(-0) = -0` as in f64.
    pub fn sqrt(self) -> Dd {
        if self.hi == 0.0 || self.hi.is_nan() || self.hi == f64::INFINITY {
            return Dd::from_f64(self.hi.sqrt());
        }
        if self.hi < 0.0 {
            return Dd::NAN;
        }
        // Rescale by an even power of two so that `y · y` neither overflows nor loses
        // bits in the subnormal range.
        let k = if self.hi < pow2(-900) {
            1000
        } else if self.hi > pow2(900) {
            -1000
        } else {
            0
        };
        let a = self.ldexp(k);
        let y = a.hi.sqrt();
        let (p, e) = two_prod(y, y);
        let residual = (a - Dd { hi: p, lo: e }).hi;
        (Dd::from_f64(y) + Dd::from_f64(residual / (2.0 * y))).ldexp(-k / 2)
    }

    /// `exp(x)`: `2^k · exp(r)` with `r = x - k ln 2` reduced exactly. Infinite where
    /// the f64 result overflows, and rounding gracefully through the subnormals to 0.
    pub fn exp(self) -> Dd {
        if self.is_nan() {
            return Dd::NAN;
        }
        // ln(f64::MAX) = 709.78; exp(-745.2) is below half the smallest subnormal.
        if self.hi > 709.8 {
            return Dd::INFINITY;
        }
        if self.hi < -745.2 {
            return Dd::ZERO;
        }
        let k = (self.hi * LOG2_E).round();
        let r = reduce(self, k, &LN2_PARTS);
        (Dd::ONE + expm1_reduced(r)).ldexp(k as i32)
    }

    /// `exp(x) - 1`, relative-accurate near 0.
    pub fn expm1(self) -> Dd {
        // The series covers |x| up to about ln 2 / 2; past it, exp(x) - 1 cancels by
        // less than a factor of 3.5.
        if self.hi.abs() < 0.35 {
            expm1_reduced(self)
        } else {
            self.exp() - Dd::ONE
        }
    }

    /// `ln(x)` for every positive finite x, subnormals included: `e ln 2 + log1p(m - 1)`
    /// with `x = m · 2^e`, `m` in `[sqrt(1/2), sqrt(2))`. NaN below zero, `-inf` at zero.
    pub fn ln(self) -> Dd {
        if self.is_nan() || self.hi < 0.0 {
            return Dd::NAN;
        }
        if self.hi == 0.0 {
            return -Dd::INFINITY;
        }
        if self.hi == f64::INFINITY {
            return Dd::INFINITY;
        }
        let (m, e) = self.split_exponent();
        // `x - k c` with `k = -e` adds `e ln 2`, exactly before the final rounding.
        reduce(log1p_near_zero(m - Dd::ONE), -f64::from(e), &LN2_PARTS)
    }

    /// `(m, e)` with `self = m · 2^e` and `m.hi` in `[sqrt(1/2), sqrt(2)]`, for a positive
    /// finite `self`.
    fn split_exponent(self) -> (Dd, i32) {
        let biased = |v: f64| ((v.to_bits() >> 52) & 0x7ff) as i32;
        let mut e = match biased(self.hi) {
            // Subnormal: read the exponent after scaling into the normal range.
            0 => biased(self.hi * pow2(54)) - 54 - 1023,
            b => b - 1023,
        };
        let mut m = self.ldexp(-e);
        if m.hi > SQRT_2 {
            m = m.ldexp(-1);
            e += 1;
        }
        (m, e)
    }

    /// `ln(1 + x)`, relative-accurate near 0.
    pub fn log1p(self) -> Dd {
        // Covers `m - 1` of [`Dd::ln`]; outside, 1 + x is far enough from 1 that forming
        // it loses nothing that matters.
        if (-0.3..=0.42).contains(&self.hi) {
            log1p_near_zero(self)
        } else {
            (Dd::ONE + self).ln()
        }
    }

    /// `tanh(x)`, relative-accurate near 0 and with no overflow in the tails.
    pub fn tanh(self) -> Dd {
        if self.is_nan() {
            return Dd::NAN;
        }
        let a = self.abs();
        let t = if a.hi < 0.5 {
            // expm1 keeps the relative accuracy that (exp(2a) - 1) would lose near 0.
            let e = (a + a).expm1();
            e / (e + Dd::TWO)
        } else {
            // exp(-2a) <= 1/e: 1 - t does not cancel, and nothing overflows.
            let t = (-(a + a)).exp();
            (Dd::ONE - t) / (Dd::ONE + t)
        };
        if self.hi.is_sign_negative() {
            -t
        } else {
            t
        }
    }

    /// `sech(x)² = 4 e / (1 + e)²` with `e = exp(-2|x|)`, which neither overflows nor
    /// cancels (`1 - tanh²` would, where tanh is close to ±1).
    pub fn sech2(self) -> Dd {
        let e = (-(self.abs() + self.abs())).exp();
        let d = Dd::ONE + e;
        Dd::from_f64(4.0) * e / (d * d)
    }

    /// `1 / (1 + exp(-x))`, with `exp(x) / (1 + exp(x))` below zero so that neither
    /// tail overflows or cancels.
    pub fn sigmoid(self) -> Dd {
        if self.is_nan() {
            return Dd::NAN;
        }
        if self.hi >= 0.0 {
            Dd::ONE / (Dd::ONE + (-self).exp())
        } else {
            let e = self.exp();
            e / (Dd::ONE + e)
        }
    }

    /// `ln(1 + exp(x)) = max(x, 0) + log1p(exp(-|x|))`: no overflow, no cancellation.
    pub fn softplus(self) -> Dd {
        if self.is_nan() {
            return Dd::NAN;
        }
        let tail = (-self.abs()).exp().log1p();
        if self.hi > 0.0 {
            self + tail
        } else {
            tail
        }
    }

    /// `erf(x)`: a Taylor series below |x| = 2, `1 - erfc(|x|)` above.
    pub fn erf(self) -> Dd {
        if self.is_nan() {
            return Dd::NAN;
        }
        if self.hi.abs() < ERF_SERIES_LIMIT {
            return erf_series(self);
        }
        let v = Dd::ONE - erfc_tail(self.abs());
        if self.hi < 0.0 {
            -v
        } else {
            v
        }
    }

    /// `erfc(x) = 1 - erf(x)`, relative-accurate in the right tail (a continued
    /// fraction there), down to the subnormal range (see the module's limits).
    pub fn erfc(self) -> Dd {
        if self.is_nan() {
            return Dd::NAN;
        }
        if self.hi.abs() < ERF_SERIES_LIMIT {
            Dd::ONE - erf_series(self)
        } else if self.hi > 0.0 {
            erfc_tail(self)
        } else {
            Dd::TWO - erfc_tail(-self)
        }
    }

    /// `gauss(x) = exp(-x²)`: the double-double square carries `x²` to about 1e-31
    /// relative, which the exponential magnifies at most 746 times before the result
    /// underflows.
    pub fn gauss(self) -> Dd {
        (-(self * self)).exp()
    }

    /// `sin(x)`, reduced by pi/2 (see the module's limits); NaN for infinite x.
    pub fn sin(self) -> Dd {
        if !self.hi.is_finite() {
            return Dd::NAN;
        }
        if self.hi == 0.0 {
            return self;
        }
        if self.hi.abs() > TRIG_REDUCTION_LIMIT {
            let (s, c) = self.hi.sin_cos();
            return Dd::from_f64(s * self.lo.cos() + c * self.lo.sin());
        }
        let (r, quadrant) = reduce_half_pi(self);
        match quadrant {
            0 => sin_series(r),
            1 => cos_series(r),
            2 => -sin_series(r),
            _ => -cos_series(r),
        }
    }

    /// `cos(x)`, reduced by pi/2 (see the module's limits); NaN for infinite x.
    pub fn cos(self) -> Dd {
        if !self.hi.is_finite() {
            return Dd::NAN;
        }
        if self.hi.abs() > TRIG_REDUCTION_LIMIT {
            let (s, c) = self.hi.sin_cos();
            return Dd::from_f64(c * self.lo.cos() - s * self.lo.sin());
        }
        let (r, quadrant) = reduce_half_pi(self);
        match quadrant {
            0 => cos_series(r),
            1 => -sin_series(r),
            2 => -cos_series(r),
            _ => sin_series(r),
        }
    }

    /// `pow(x, y) = exp(y ln x)`, with f64's `powf` conventions: `x^0 = 1` and `1^y = 1`
    /// even for NaN, a negative base only with an integer exponent, and zeros and
    /// infinities as f64 has them.
    pub fn pow(self, y: Dd) -> Dd {
        if y.hi == 0.0 || self == Dd::ONE {
            return Dd::ONE;
        }
        if self.is_nan() || y.is_nan() {
            return Dd::NAN;
        }
        if self.hi == 0.0 || !self.hi.is_finite() || !y.hi.is_finite() {
            // The result is 0, 1, an infinity or NaN, which f64 gets exactly.
            return Dd::from_f64(self.hi.powf(y.hi));
        }
        if self.hi > 0.0 {
            return (y * self.ln()).exp();
        }
        if y.hi.fract() != 0.0 || y.lo.fract() != 0.0 {
            return Dd::NAN;
        }
        let odd = (y.hi % 2.0 != 0.0) != (y.lo % 2.0 != 0.0);
        let m = (y * (-self).ln()).exp();
        if odd {
            -m
        } else {
            m
        }
    }

    /// `powi(x, n)` by repeated squaring, the same sequence of operations as f64's
    /// `powi` (so that overflow, zeros and NaN come out alike). Each squaring doubles
    /// the error so far, so the relative error grows like `|n|` ulps of a
    /// double-double: about 1e-33 · |n| (8e-29 at n = 65535).
    pub fn powi(self, n: i32) -> Dd {
        let mut base = self;
        let mut m = n.unsigned_abs();
        let mut acc = Dd::ONE;
        while m > 0 {
            if m & 1 == 1 {
                acc = acc * base;
            }
            m >>= 1;
            if m > 0 {
                base = base * base;
            }
        }
        if n < 0 {
            Dd::ONE / acc
        } else {
            acc
        }
    }

    /// `max(a, b)`, NaN when either side is NaN (like [`crate::eval::max_nan`]).
    pub fn max_nan(self, b: Dd) -> Dd {
        if self.is_nan() || b.is_nan() {
            Dd::NAN
        } else if b > self {
            b
        } else {
            self
        }
    }

    /// `min(a, b)`, NaN when either side is NaN (like [`crate::eval::min_nan`]).
    pub fn min_nan(self, b: Dd) -> Dd {
        if self.is_nan() || b.is_nan() {
            Dd::NAN
        } else if b < self {
            b
        } else {
            self
        }
    }
}

impl Neg for Dd {
    type Output = Dd;
    /// `-x`, exact.
    fn neg(self) -> Dd {
        Dd {
            hi: -self.hi,
            lo: -self.lo,
        }
    }
}

impl Add for Dd {
    type Output = Dd;
    /// `a + b` with relative error below 3 ulp² even when the sum cancels (the
    /// "accurate" double-double sum, Joldes, Muller and Popescu 2017, algorithm 6).
    fn add(self, b: Dd) -> Dd {
        let (s, e) = two_sum(self.hi, b.hi);
        if !s.is_finite() {
            return Dd { hi: s, lo: 0.0 };
        }
        let (t, f) = two_sum(self.lo, b.lo);
        let (s, e) = quick_two_sum(s, e + t);
        let sum = Dd::renormalize(s, e + f);
        if sum.hi == 0.0 {
            // An exact zero: give it the sign f64 addition would.
            let z = self.hi + b.hi;
            return Dd::from_f64(if z == 0.0 { z } else { 0.0 });
        }
        sum
    }
}

impl Sub for Dd {
    type Output = Dd;
    /// `a - b`, as `a + (-b)`.
    fn sub(self, b: Dd) -> Dd {
        self + -b
    }
}

impl Mul for Dd {
    type Output = Dd;
    /// `a · b` with relative error below 5 ulp² (the cross terms need no more than one
    /// rounding each).
    fn mul(self, b: Dd) -> Dd {
        let (p, e) = two_prod(self.hi, b.hi);
        if !p.is_finite() || p == 0.0 {
            return Dd { hi: p, lo: 0.0 };
        }
        Dd::renormalize(p, e + (self.hi * b.lo + self.lo * b.hi))
    }
}

impl Div for Dd {
    type Output = Dd;
    /// `a / b` by long division: three f64 quotient digits, each from the remainder
    /// of the previous ones, for a relative error of a few ulp².
    fn div(self, b: Dd) -> Dd {
        let q1 = self.hi / b.hi;
        if !q1.is_finite() || q1 == 0.0 {
            return Dd { hi: q1, lo: 0.0 };
        }
        let r = self - b * Dd::from_f64(q1);
        let q2 = r.hi / b.hi;
        let r = r - b * Dd::from_f64(q2);
        let q3 = r.hi / b.hi;
        Dd::renormalize(q1, q2) + Dd::from_f64(q3)
    }
}

impl PartialOrd for Dd {
    /// Orders by value: by `hi`, then by `lo`. NaN is unordered.
    fn partial_cmp(&self, other: &Dd) -> Option<Ordering> {
        match self.hi.partial_cmp(&other.hi)? {
            Ordering::Equal => self.lo.partial_cmp(&other.lo),
            unequal => Some(unequal),
        }
    }
}

/// An exact sum of f64s, as non-overlapping components in increasing magnitude
/// (Shewchuk's expansions). Argument reduction needs it: `x - k c` cancels the
/// leading bits of both sides, and any intermediate rounding would land in the
/// few bits that are left.
#[derive(Default)]
struct Expansion {
    parts: [f64; 12],
    len: usize,
}

impl Expansion {
    /// Adds `b` exactly (Shewchuk's grow-expansion, dropping zero components).
    fn push(&mut self, b: f64) {
        let mut q = b;
        let mut n = 0;
        for i in 0..self.len {
            let (s, e) = two_sum(q, self.parts[i]);
            if e != 0.0 {
                self.parts[n] = e;
                n += 1;
            }
            q = s;
        }
        if q != 0.0 {
            self.parts[n] = q;
            n += 1;
        }
        self.len = n;
    }

    /// The sum rounded to a double-double. Summing from the smallest component up,
    /// each partial sum is dominated by its largest part, so the rounding errors stay
    /// at a few ulp² of the total.
    fn sum(&self) -> Dd {
        self.parts[..self.len]
            .iter()
            .fold(Dd::ZERO, |acc, &p| acc + Dd::from_f64(p))
    }
}

/// `x - k · (c[0] + c[1] + ...)` for an integer `k`, rounded once: every product
/// `k c[i]` is split exactly into two f64 by [`two_prod`] and the whole sum is exact
/// before the final rounding.
fn reduce(x: Dd, k: f64, c: &[f64]) -> Dd {
    if k == 0.0 {
        return x;
    }
    let mut sum = Expansion::default();
    sum.push(x.hi);
    sum.push(x.lo);
    for &part in c {
        let (p, e) = two_prod(k, part);
        sum.push(-p);
        sum.push(-e);
    }
    sum.sum()
}

/// `exp(r) - 1` for `|r| <= 0.5`: the Taylor series at `s = r / 256`, where 11 terms
/// reach 1e-35, then eight doublings `expm1(2s) = expm1(s) (expm1(s) + 2)`, which keep
/// the relative error that `exp(r) - 1` would lose for small `r`.
fn expm1_reduced(r: Dd) -> Dd {
    // Below this the next term, r²/2, is under 1e-40 relative; and r / 256 must not
    // reach the subnormals.
    if r.hi.abs() < 1e-40 {
        return r;
    }
    let s = r.ldexp(-8);
    let mut p = Dd::ONE;
    for n in (2..=11).rev() {
        p = Dd::ONE + (s * p).div_f64(f64::from(n));
    }
    let mut e = s * p;
    for _ in 0..8 {
        e = e * (e + Dd::TWO);
    }
    e
}

/// `log1p(u)` for `u` in `[-0.3, 0.42]`: one Newton step on `expm1(y) = u` from the f64
/// `ln_1p`, which doubles its 53 bits. The step `(u - expm1(y0)) / (1 + expm1(y0))`
/// stays relative-accurate for small `u` because expm1 is.
fn log1p_near_zero(u: Dd) -> Dd {
    if u.hi.abs() < 1e-40 {
        return u;
    }
    let y0 = Dd::from_f64(u.hi.ln_1p());
    let e = expm1_reduced(y0);
    y0 + (u - e) / (Dd::ONE + e)
}

/// `erf(x)` for `|x| < 2` from `(2/sqrt(pi)) exp(-x²) Σ 2^n x^(2n+1) / (2n+1)!!`, whose
/// terms are all of one sign (the alternating Taylor series would cancel by up to
/// `exp(x²)`).
fn erf_series(x: Dd) -> Dd {
    let x2 = x * x;
    let two_x2 = x2 + x2;
    let mut term = x;
    let mut sum = x;
    // The terms grow until n ≈ x², then fall faster than geometrically; at |x| = 2
    // about 50 reach 1e-34 of the sum.
    for n in 1..200 {
        term = (term * two_x2).div_f64(f64::from(2 * n + 1));
        sum = sum + term;
        if term.hi.abs() <= 1e-34 * sum.hi.abs() {
            break;
        }
    }
    sum * (-x2).exp() * FRAC_2_SQRT_PI_DD
}

/// `erfc(x)` for `x >= 2`: `exp(-x²) (2/sqrt(pi)) x / f` with the continued fraction
/// `f = 2x² + 1 - 1·2 / (2x² + 5 - 3·4 / (2x² + 9 - ...))` (the even part of the
/// classic `x + (1/2) / (x + 1 / (x + ...))`: half the divisions for the same
/// accuracy), evaluated from the bottom up.
fn erfc_tail(x: Dd) -> Dd {
    if x.hi > ERFC_ZERO {
        return Dd::ZERO;
    }
    // Enough terms for a truncation error below 1e-33, measured with mpmath on
    // [2, 27.3] (at least 25% to spare; 132 terms at x = 2).
    let terms = (500.0 / (x.hi * x.hi) + 7.0 + x.hi / 4.0) as u32;
    let x2 = x * x;
    let z = x2 + x2;
    let mut f = z + Dd::from_f64(f64::from(4 * terms + 1));
    for n in (1..=terms).rev() {
        let a = Dd::from_f64(f64::from((2 * n - 1) * (2 * n)));
        f = z + Dd::from_f64(f64::from(4 * n - 3)) - a / f;
    }
    // The small factor last, so that a subnormal result is rounded once.
    (-x2).exp() * (FRAC_2_SQRT_PI_DD * x / f)
}

/// `(r, q)` with `x = r + k pi/2`, `|r| <= pi/4 + 2e-4` and `q = k mod 4`, for
/// `|x| <= TRIG_REDUCTION_LIMIT`.
fn reduce_half_pi(x: Dd) -> (Dd, i64) {
    let k = (x.hi * FRAC_2_PI).round();
    (reduce(x, k, &FRAC_PI_2_PARTS), (k as i64).rem_euclid(4))
}

/// How many terms the sine and cosine series take: for |r| <= 0.79 the first one
/// left out is below 1e-34 relative.
const TRIG_TERMS: u32 = 15;

/// `sin(r)` for `|r| <= pi/4`, by its Taylor series in Horner form (`r` factored out,
/// so that tiny `r` keeps its relative accuracy).
fn sin_series(r: Dd) -> Dd {
    let r2 = r * r;
    let mut p = Dd::ONE;
    for n in (1..=TRIG_TERMS).rev() {
        p = Dd::ONE - (r2 * p).div_f64(f64::from((2 * n) * (2 * n + 1)));
    }
    r * p
}

/// `cos(r)` for `|r| <= pi/4`, by its Taylor series in Horner form.
fn cos_series(r: Dd) -> Dd {
    let r2 = r * r;
    let mut p = Dd::ONE;
    for n in (1..=TRIG_TERMS).rev() {
        p = Dd::ONE - (r2 * p).div_f64(f64::from((2 * n - 1) * (2 * n)));
    }
    p
}

/// Evaluates a one-argument function of the language in double-double, like
/// `2x`, with `x` clamped as [`crate::eval::cos2x`] clamps it (so `2x` stays finite);
/// infinite `x` stays infinite (and its sine NaN).
fn double_angle(x: Dd) -> Dd {
    let limit = crate::eval::TRIG2X_CLAMP;
    let x = if x.hi.is_finite() && x.hi.abs() > limit {
        Dd::from_f64(limit.copysign(x.hi))
    } else {
        x
    };
    x + x
}

/// [`crate::eval::eval_func`] in f64.
pub fn eval_func(f: Func, x: Dd) -> Dd {
    match f {
        Func::Exp => x.exp(),
        Func::Expm1 => x.expm1(),
        Func::Ln => x.ln(),
        Func::Log1p => x.log1p(),
        Func::Sqrt => x.sqrt(),
        Func::Tanh => x.tanh(),
        Func::Sech2 => x.sech2(),
        Func::Sigmoid => x.sigmoid(),
        Func::Softplus => x.softplus(),
        Func::Erf => x.erf(),
        Func::Erfc => x.erfc(),
        Func::Gauss => x.gauss(),
        Func::Sin => x.sin(),
        Func::Cos => x.cos(),
        Func::Cos2x => double_angle(x).cos(),
        // 1 + sin(2x): the double-double sum keeps 2^-106 of 1, far below the f64
        // results' precision even at the edge of a root's absolute-error zone.
        Func::Sin2x1p => Dd::ONE + double_angle(x).sin(),
        // Below 2^-27, u/2 (its u³ term is below 2^-55 of it), as the runtime and the
        // f64 interpreter take it: -0 keeps its sign, and the smallest subnormals round
        // once (the difference rounded sin(u)/2 on its own).
        Func::XcosHalfsin if x.hi.abs() < crate::eval::XCOS_HALFSIN_LINEAR => x * Dd::from_f64(0.5),
        Func::XcosHalfsin => x * x.cos() - x.sin() * Dd::from_f64(0.5),
        Func::Abs => x.abs(),
    }
}

/// Applies a comparison; false whenever either side is NaN, as in IEEE 754.
fn compare(op: CmpOp, a: Dd, b: Dd) -> bool {
    match op {
        CmpOp::Lt => a < b,
        CmpOp::Le => a <= b,
        CmpOp::Gt => a > b,
        CmpOp::Ge => a >= b,
    }
}

/// A literal's value. `±2/√π` is the factor differentiation puts into `erf'` and
/// `erfc'`, where it stands for the exact value: near a root of gelu', whose two terms
/// cancel, the f64 rounding of that factor alone moved the sum by 28 ULP, and the root
/// windows are to be fitted to the function, not to that rounding.
fn literal(v: f64) -> Dd {
    if v.abs() == FRAC_2_SQRT_PI {
        if v < 0.0 {
            -FRAC_2_SQRT_PI_DD
        } else {
            FRAC_2_SQRT_PI_DD
        }
    } else {
        Dd::from_f64(v)
    }
}

/// The values of every node in `order` (from [`Graph::reachable`]), indexed by node
/// id, like [`crate::eval::eval_ordered`]: unreached nodes are NaN, and conditions
/// are stored as 1.0 (true) and 0.0 (false). Literals are their f64 values, as in
/// f64 code, but for `±2/√π`, which stands for the exact value (see `literal`).
pub fn eval_dd(g: &Graph, order: &[NodeId], x: Dd, params: &[Dd]) -> Vec<Dd> {
    let mut v = vec![Dd::NAN; g.len()];
    for &id in order {
        let at = |n: NodeId| v[n.0 as usize];
        let truth = |b: bool| if b { Dd::ONE } else { Dd::ZERO };
        let value = match g.node(id) {
            Node::Const(bits) => literal(f64::from_bits(bits)),
            Node::Input => x,
            Node::Param(i) => params.get(i as usize).copied().unwrap_or(Dd::NAN),
            Node::Neg(a) => -at(a),
            Node::Add(a, b) => at(a) + at(b),
            Node::Sub(a, b) => at(a) - at(b),
            Node::Mul(a, b) => at(a) * at(b),
            Node::Div(a, b) => at(a) / at(b),
            Node::Call(f, a) => eval_func(f, at(a)),
            Node::Max(a, b) => at(a).max_nan(at(b)),
            Node::Min(a, b) => at(a).min_nan(at(b)),
            Node::Pow(a, b) => at(a).pow(at(b)),
            // Products here are exact to 106 bits, as in the real numbers this models:
            // there is no rounding to put back, so the error is 0 (NaN for NaN).
            Node::MulErr(a, b) => {
                if (at(a) * at(b)).is_nan() {
                    Dd::NAN
                } else {
                    Dd::ZERO
                }
            }
            Node::Powi(a, n) => at(a).powi(n),
            Node::Cmp(op, a, b) => truth(compare(op, at(a), at(b))),
            Node::And(c, d) => truth(at(c) != Dd::ZERO && at(d) != Dd::ZERO),
            Node::Or(c, d) => truth(at(c) != Dd::ZERO || at(d) != Dd::ZERO),
            Node::Bool(b) => truth(b),
            Node::Select(c, a, b) => {
                if at(c) != Dd::ZERO {
                    at(a)
                } else {
                    at(b)
                }
            }
        };
        v[id.0 as usize] = value;
    }
    v
}

#[cfg(test)]
// The reference points include the f64 values of pi, e and sqrt(2), which the
// generator writes as decimal literals.
#[allow(clippy::approx_constant)]
mod tests {
    use super::*;
    use crate::{compile_str, eval};

    #[test]
    fn mul_err_is_zero_in_exact_arithmetic() {
        let d = &compile_str("F(x; b = 1.5) = mul_err(b, x);").expect("compiles")[0];
        let order = d.graph.reachable(&[d.forward]);
        let at = |x: f64| eval_dd(&d.graph, &order, Dd::from_f64(x), &[Dd::from_f64(1.5)]);
        let root = d.forward.0 as usize;
        assert_eq!(at(0.1)[root], Dd::ZERO);
        assert_eq!(at(f64::INFINITY)[root], Dd::ZERO);
        assert!(at(f64::NAN)[root].is_nan());
        // The f64 interpreter, which models f64 code, has the f64 product's error.
        assert_ne!(eval::eval(&d.graph, d.forward, 0.1, &[1.5]), 0.0);
    }

    /// The relative error of `got` against the double-double `hi + lo`. Below 2^-968 a
    /// double-double holds fewer than 106 bits (its low part is subnormal), so the error
    /// counts relative to 2^-968 there.
    fn rel_err(got: Dd, hi: f64, lo: f64) -> f64 {
        let want = Dd { hi, lo };
        ((got - want).to_f64() / hi.abs().max(pow2(-968))).abs()
    }

    /// Checks `f` on a table of `(x_hi, x_lo, want_hi, want_lo)` rows and prints the
    /// largest error (visible with `--nocapture`).
    fn check(name: &str, table: &[(f64, f64, f64, f64)], f: impl Fn(Dd) -> Dd, tol: f64) {
        let mut worst = 0.0f64;
        for &(hi, lo, want_hi, want_lo) in table {
            let got = f(Dd { hi, lo });
            let e = rel_err(got, want_hi, want_lo);
            assert!(
                e <= tol,
                "{name}({hi:e} + {lo:e}) = {got:?}, want {want_hi:e} + {want_lo:e}: error {e:.2e}"
            );
            worst = worst.max(e);
        }
        println!(
            "{name}: max relative error {worst:.1e} over {} points",
            table.len()
        );
    }

    /// Checks a binary operation on rows `(a_hi, a_lo, b_hi, b_lo, want_hi, want_lo)`.
    fn check2(name: &str, table: &[(f64, f64, f64, f64, f64, f64)], f: impl Fn(Dd, Dd) -> Dd) {
        let mut worst = 0.0f64;
        for &(ah, al, bh, bl, want_hi, want_lo) in table {
            let got = f(Dd { hi: ah, lo: al }, Dd { hi: bh, lo: bl });
            let e = rel_err(got, want_hi, want_lo);
            assert!(
                e <= 1e-30,
                "{name}({ah:e} + {al:e}, {bh:e} + {bl:e}) = {got:?}: error {e:.2e}"
            );
            worst = worst.max(e);
        }
        println!(
            "{name}: max relative error {worst:.1e} over {} points",
            table.len()
        );
    }

    #[test]
    fn arithmetic_matches_mpmath() {
        check2("add", ADD, |a, b| a + b);
        check2("sub", ADD, |a, b| a - -b);
        check2("mul", MUL, |a, b| a * b);
        check2("div", DIV, |a, b| a / b);
    }

    #[test]
    fn exp_family_matches_mpmath() {
        check("exp", EXP, Dd::exp, 1e-28);
        check("expm1", EXPM1, Dd::expm1, 1e-28);
        check("ln", LN, Dd::ln, 1e-28);
        check("log1p", LOG1P, Dd::log1p, 1e-28);
        check("sqrt", SQRT, Dd::sqrt, 1e-28);
    }

    #[test]
    fn activations_match_mpmath() {
        check("tanh", TANH, Dd::tanh, 1e-28);
        check("sech2", SECH2, Dd::sech2, 1e-28);
        check("sigmoid", SIGMOID, Dd::sigmoid, 1e-28);
        check("softplus", SOFTPLUS, Dd::softplus, 1e-28);
    }

    #[test]
    fn two_over_sqrt_pi_is_exact_as_a_literal() {
        // 2/√π = 1.1283791670955125738961589031215451716881012586580 (mpmath).
        let want = Dd {
            hi: 1.1283791670955126,
            lo: 1.533545961316588e-17,
        };
        for sign in [1.0, -1.0] {
            let got = literal(sign * FRAC_2_SQRT_PI);
            assert_eq!((got.hi, got.lo), (sign * want.hi, sign * want.lo));
        }
        // Any other literal is its f64 value.
        let other = literal(1.1283791670955124);
        assert_eq!((other.hi, other.lo), (1.1283791670955124, 0.0));
    }

    #[test]
    fn erf_erfc_and_gauss_match_mpmath() {
        check("erf", ERF, Dd::erf, 1e-28);
        check("erfc", ERFC, Dd::erfc, 1e-28);
        check("gauss", GAUSS, Dd::gauss, 1e-28);
    }

    #[test]
    fn sin_and_cos_match_mpmath() {
        check("sin", SIN, Dd::sin, 1e-28);
        check("cos", COS, Dd::cos, 1e-28);
    }

    #[test]
    fn powers_match_mpmath() {
        let mut worst = 0.0f64;
        for &(a, b, hi, lo) in POW {
            let e = rel_err(Dd::from_f64(a).pow(Dd::from_f64(b)), hi, lo);
            assert!(e <= 1e-28, "pow({a:e}, {b:e}): error {e:.2e}");
            worst = worst.max(e);
        }
        println!(
            "pow: max relative error {worst:.1e} over {} points",
            POW.len()
        );
        let mut worst = 0.0f64;
        for &(a, n, hi, lo) in POWI {
            let e = rel_err(Dd::from_f64(a).powi(n), hi, lo);
            assert!(e <= 1e-28, "powi({a:e}, {n}): error {e:.2e}");
            worst = worst.max(e);
        }
        println!(
            "powi: max relative error {worst:.1e} over {} points",
            POWI.len()
        );
    }

    /// Whether a double-double result agrees with the f64 interpreter's: the same
    /// special value, or within f64 rounding.
    fn agrees(got: Dd, want: f64) -> bool {
        let got = got.to_f64();
        if want.is_nan() || want.is_infinite() || want == 0.0 {
            return got.to_bits() == want.to_bits() || (want.is_nan() && got.is_nan());
        }
        (got - want).abs() <= 1e-14 * want.abs() || (got - want).abs() <= pow2(-1022) * 2.0
    }

    #[test]
    fn special_values_follow_the_f64_interpreter() {
        let points = [
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            0.0,
            -0.0,
            1.0,
            -1.0,
            -2.0,
            5e-324,
            -5e-324,
            800.0,
            -800.0,
            1e6,
            1e13,
            1.7976931348623157e308,
            -1.7976931348623157e308,
        ];
        for f in Func::ALL {
            for x in points {
                let got = eval_func(f, Dd::from_f64(x));
                let want = eval::eval_func(f, x);
                assert!(
                    agrees(got, want),
                    "{}({x:e}) = {got:?}, f64 says {want:e}",
                    f.name()
                );
            }
        }
        let bases = [
            0.0,
            -0.0,
            1.0,
            -1.0,
            2.0,
            -2.0,
            0.5,
            -0.5,
            2.5,
            f64::INFINITY,
        ];
        let bases = bases.iter().flat_map(|&b| [b, -b]).chain([f64::NAN]);
        for a in bases {
            for b in [
                0.0,
                -0.0,
                1.0,
                -1.0,
                2.0,
                -3.0,
                0.5,
                2.5,
                f64::INFINITY,
                f64::NAN,
            ] {
                for b in [b, -b] {
                    let got = Dd::from_f64(a).pow(Dd::from_f64(b));
                    assert!(agrees(got, a.powf(b)), "pow({a:e}, {b:e}) = {got:?}");
                }
            }
            for n in [0, 1, 2, 3, -1, -2, -3, 1100, -1100] {
                let got = Dd::from_f64(a).powi(n);
                assert!(agrees(got, a.powi(n)), "powi({a:e}, {n}) = {got:?}");
            }
        }
    }

    #[test]
    fn max_min_and_comparisons() {
        let a = Dd { hi: 1.0, lo: 1e-20 };
        let b = Dd::ONE;
        assert_eq!(a.partial_cmp(&b), Some(Ordering::Greater));
        assert_eq!(b.partial_cmp(&a), Some(Ordering::Less));
        assert_eq!(a.partial_cmp(&a), Some(Ordering::Equal));
        assert!(compare(CmpOp::Gt, a, b) && compare(CmpOp::Le, b, a));
        assert!(!compare(CmpOp::Ge, a, Dd::NAN) && !compare(CmpOp::Lt, Dd::NAN, a));
        assert_eq!(a.max_nan(b), a);
        assert_eq!(a.min_nan(b), b);
        assert!(a.max_nan(Dd::NAN).to_f64().is_nan());
        assert!(Dd::NAN.min_nan(b).to_f64().is_nan());
        assert_eq!((-a).abs(), a);
        assert!(Dd::NAN.partial_cmp(&a).is_none());
    }

    #[test]
    fn eval_dd_gives_the_mish_derivative_near_its_root() {
        let d = &compile_str("M(x) = x * tanh(softplus(x));").expect("compiles")[0];
        let order = d.graph.reachable(&[d.derivative]);
        let (x, hi, lo) = MISH_DERIVATIVE;
        let got = eval_dd(&d.graph, &order, Dd::from_f64(x), &[])[d.derivative.0 as usize];
        let e = rel_err(got, hi, lo);
        assert!(
            e <= 1e-25,
            "mish'({x}) = {got:?}, want {hi:e} + {lo:e}: error {e:.2e}"
        );
        println!("mish': relative error {e:.1e}");
    }

    #[test]
    fn eval_dd_agrees_with_the_f64_interpreter_on_every_node() {
        let d = &compile_str(
            "F(x; a = 0.5, b = 2) = if x > a && x < 6 || x <= -6 { max(x, a) * pow(abs(x), b) } \
             else { min(x, -a) / powi(x - 1, 3) - erf(x) * erfc(x) + sin(x) * cos(x) \
             + sqrt(abs(x)) + ln(abs(x) + 1) + log1p(abs(x)) + expm1(x) / exp(x) \
             + sigmoid(x) * softplus(-x) - tanh(x) };",
        )
        .expect("compiles")[0];
        let mut roots = vec![d.forward, d.derivative, d.second_derivative];
        roots.extend(&d.param_derivatives);
        let order = d.graph.reachable(&roots);
        let params = [0.5, 2.0];
        let params_dd = params.map(Dd::from_f64);
        for x in [-7.5, -3.3, -0.7, 0.3, 0.9, 2.2, 5.5, 7.1] {
            let want = eval::eval_ordered(&d.graph, &order, x, &params);
            let got = eval_dd(&d.graph, &order, Dd::from_f64(x), &params_dd);
            for &id in &order {
                let (g, w) = (got[id.0 as usize].to_f64(), want[id.0 as usize]);
                assert!(
                    (g - w).abs() <= 1e-12 * (1.0 + w.abs()) || (g.is_nan() && w.is_nan()),
                    "node {id:?} at x = {x}: {g:e} vs {w:e}"
                );
            }
        }
    }

    // The tables below are written by tests/dd_reference.py (mpmath, 40 digits):
    // `(x_hi, x_lo, f_hi, f_lo)` with f(x_hi + x_lo) = f_hi + f_lo to about 1e-32.

    // BEGIN generated by crates/actdiff-core/tests/dd_reference.py; do not edit by hand.
    #[rustfmt::skip]
    const EXP: &[(f64, f64, f64, f64)] = &[
        (-700.0, 0.0, 9.85967654375977e-305, 8.5e-322),
        (-300.0, 0.0, 5.148200222412013e-131, 2.962376373372979e-147),
        (-100.0, 0.0, 3.720075976020836e-44, -1.5705024907732008e-60),
        (-50.5, 0.0, 1.1698459177061964e-22, 2.683726991538036e-39),
        (-20.0, 0.0, 2.061153622438558e-09, -4.19755767595054e-26),
        (-10.0, 0.0, 4.5399929762484854e-05, -2.637554055327531e-21),
        (-2.5, 0.0, 0.0820849986238988, -4.8047346661059284e-18),
        (-1.0, 0.0, 0.36787944117144233, -1.2428753672788363e-17),
        (-0.5, 0.0, 0.6065306597126334, -6.593178415491414e-19),
        (-0.35, 0.0, 0.7046880897187134, 1.0400012608936173e-17),
        (-0.3465, 0.0, 0.7071588192872713, 2.7398169635918757e-17),
        (-0.1, 0.0, 0.9048374180359595, 5.055984668733208e-17),
        (-0.001, 0.0, 0.999000499833375, -3.026024053145243e-17),
        (-1e-10, 0.0, 0.9999999999, 8.279037096265651e-18),
        (-1e-20, 0.0, 1.0, -1e-20),
        (-1e-300, 0.0, 1.0, 0.0),
        (1e-300, 0.0, 1.0, 0.0),
        (1e-20, 0.0, 1.0, 1e-20),
        (1e-10, 0.0, 1.0000000001, -8.269037096265652e-18),
        (0.001, 0.0, 1.0010005001667084, -4.290842058948394e-17),
        (0.1, 0.0, 1.1051709180756477, -8.149523913327619e-17),
        (0.3465, 0.0, 1.4141094938303624, -2.5548934308836974e-17),
        (0.35, 0.0, 1.4190675485932571, 9.472477310898604e-17),
        (0.5, 0.0, 1.6487212707001282, -4.731568479435833e-17),
        (1.0, 0.0, 2.718281828459045, 1.4456468917292502e-16),
        (2.5, 0.0, 12.182493960703473, 2.0334002173348147e-16),
        (10.0, 0.0, 22026.465794806718, -1.3780134700517372e-12),
        (20.0, 0.0, 485165195.4097903, 4.880277289790406e-10),
        (50.5, 0.0, 8.548134287298057e+21, 222305.91690892167),
        (100.0, 0.0, 2.6881171418161356e+43, -1.6101271449201627e+27),
        (300.0, 0.0, 1.9424263952412558e+130, 1.1143145370175699e+114),
        (700.0, 0.0, 1.0142320547350045e+304, 1.6666571920734673e+287),
        (0.0, 0.0, 1.0, 0.0),
        (709.0, 0.0, 8.218407461554972e+307, -1.955965507696277e+291),
        (709.78, 0.0, 1.7928227943945155e+308, 8.276293660642251e+291),
        (-708.0, 0.0, 3.307553003638408e-308, 0.0),
        (-720.0, 0.0, 2.0322308024e-313, 0.0),
        (-740.0, 0.0, 4.2e-322, -0.0),
        (-745.0, 0.0, 5e-324, -0.0),
    ];
    #[rustfmt::skip]
    const EXPM1: &[(f64, f64, f64, f64)] = &[
        (-30.0, 0.0, -0.9999999999999064, -1.557128749895031e-17),
        (-5.0, 0.0, -0.9932620530009145, -8.577826438071882e-18),
        (-2.0, 0.0, -0.8646647167633873, -1.042381423288669e-17),
        (-1.0, 0.0, -0.6321205588285577, -1.2428753672788363e-17),
        (-0.5, 0.0, -0.3934693402873666, -6.593178415491414e-19),
        (-0.35, 0.0, -0.29531191028128656, 1.0400012608936173e-17),
        (-0.34, 0.0, -0.2882296772373903, -1.074958450001746e-17),
        (-0.1, 0.0, -0.09516258196404043, -4.9513045439257505e-18),
        (-0.001, 0.0, -0.0009995001666250085, 9.742029814169854e-20),
        (-1e-08, 0.0, -9.999999950000001e-09, 6.445753846289532e-25),
        (-1e-17, 0.0, -1e-17, 5.000000000000001e-35),
        (-1e-30, 0.0, -1e-30, 4.9999999999706134e-61),
        (-1e-300, 0.0, -1e-300, 0.0),
        (1e-300, 0.0, 1e-300, 0.0),
        (1e-30, 0.0, 1e-30, 4.9999999999706134e-61),
        (1e-17, 0.0, 1e-17, 5.000000000000001e-35),
        (1e-08, 0.0, 1.0000000050000001e-08, -6.764525071437688e-25),
        (0.001, 0.0, 0.0010005001667083417, 2.598544094203749e-20),
        (0.1, 0.0, 0.10517091807564763, 1.77148771361055e-18),
        (0.34, 0.0, 0.4049475905635938, 2.4494021305886566e-17),
        (0.35, 0.0, 0.41906754859325723, -1.6297529353529618e-17),
        (0.5, 0.0, 0.6487212707001282, -4.731568479435833e-17),
        (1.0, 0.0, 1.7182818284590453, -7.747991575210629e-17),
        (2.0, 0.0, 6.38905609893065, -1.7971139497839148e-16),
        (5.0, 0.0, 147.4131591025766, 3.4863514900464198e-15),
        (30.0, 0.0, 10686474581523.463, -0.0007436345313492586),
        (-50.0, 0.0, -1.0, 1.9287498479639178e-22),
        (-80.0, 0.0, -1.0, 1.804851041598915e-35),
        (100.0, 0.0, 2.6881171418161356e+43, -1.6101271449201627e+27),
        (700.0, 0.0, 1.0142320547350045e+304, 1.6666571920734673e+287),
        (709.7, 0.0, 1.6549840276802644e+308, -4.1236453850611414e+291),
    ];
    #[rustfmt::skip]
    const LN: &[(f64, f64, f64, f64)] = &[
        (5e-324, 0.0, -744.4400719213812, -4.422444340918698e-14),
        (1e-320, 0.0, -736.8272408909739, 3.356216196017685e-14),
        (1e-300, 0.0, -690.7755278982137, -2.3670096176709832e-14),
        (1e-20, 0.0, -46.051701859880914, 7.339520394182075e-16),
        (0.1, 0.0, -2.3025850929940455, -1.7150243628057985e-16),
        (0.5, 0.0, -0.6931471805599453, -2.3190468138462996e-17),
        (0.7071067811865476, 0.0, -0.3465735902799726, 1.2517012761299022e-18),
        (0.9, 0.0, -0.10536051565782628, 4.81014917638444e-18),
        (0.999999, 0.0, -1.000000500029089e-06, 6.48066860222922e-23),
        (0.9999999999999999, 0.0, -1.1102230246251565e-16, -6.162975822039155e-33),
        (1.0, 0.0, 0.0, 0.0),
        (1.0000000000000002, 0.0, 2.2204460492503128e-16, 3.649214749996229e-48),
        (1.0000001, 0.0, 9.999999505838704e-08, 1.5249709528441489e-24),
        (1.1, 0.0, 0.09531017980432493, 5.927240202146761e-18),
        (1.4142135623730951, 0.0, 0.3465735902799727, 2.4442169414592898e-17),
        (1.5, 0.0, 0.4054651081081644, -2.8811380259626426e-18),
        (2.0, 0.0, 0.6931471805599453, 2.3190468138462996e-17),
        (2.718281828459045, 0.0, 1.0, -5.318237706605891e-17),
        (10.0, 0.0, 2.302585092994046, -2.1707562233822494e-16),
        (10000000000.0, 0.0, 23.025850929940457, -3.94399383981999e-16),
        (1e+100, 0.0, 230.25850929940458, -1.1033518306311232e-14),
        (1e+300, 0.0, 690.7755278982137, 2.3747660028800243e-14),
        (1.7976931348623157e+308, 0.0, 709.782712893384, 2.3636017071323592e-14),
        (1.0, 8.470329472543003e-22, 8.470329472543003e-22, -3.587324068671532e-43),
        (1.0, -8.271806125530277e-25, -8.271806125530277e-25, -3.4211388289180104e-49),
        (0.75, 8.673617379884035e-19, -0.2876820724517809, -2.4915123847107766e-17),
    ];
    #[rustfmt::skip]
    const LOG1P: &[(f64, f64, f64, f64)] = &[
        (-0.9999999999, 0.0, -23.02585084720009, 5.24128755061602e-16),
        (-0.99, 0.0, -4.605170185988091, 4.341512446764495e-16),
        (-0.5, 0.0, -0.6931471805599453, -2.3190468138462996e-17),
        (-0.3, 0.0, -0.35667494393873234, -2.6895094047056423e-17),
        (-0.29, 0.0, -0.3424903089467759, -1.7582174471307058e-17),
        (-0.1, 0.0, -0.10536051565782631, 1.72619633020345e-18),
        (-1e-05, 0.0, -1.0000050000333337e-05, 5.40138824458258e-22),
        (-1e-20, 0.0, -1e-20, -5e-41),
        (-1e-300, 0.0, -1e-300, 0.0),
        (0.0, 0.0, 0.0, 0.0),
        (1e-300, 0.0, 1e-300, 0.0),
        (1e-20, 0.0, 1e-20, -5e-41),
        (1e-10, 0.0, 9.999999999500001e-11, -3.389513322121794e-27),
        (1e-05, 0.0, 9.999950000333332e-06, -2.3868637284493416e-22),
        (0.1, 0.0, 0.09531017980432487, -3.808451650416249e-19),
        (0.3, 0.0, 0.26236426446749106, -1.6067257209028454e-17),
        (0.41, 0.0, 0.3435897043900769, -1.81427225919764e-17),
        (0.42, 0.0, 0.35065687161316933, 2.202708487640121e-17),
        (0.5, 0.0, 0.4054651081081644, -2.8811380259626426e-18),
        (1.0, 0.0, 0.6931471805599453, 2.3190468138462996e-17),
        (2.0, 0.0, 1.0986122886681098, -9.07129723500153e-17),
        (10.0, 0.0, 2.3978952727983707, -1.253584211423161e-16),
        (100000.0, 0.0, 11.51293546492023, -3.6933309017485567e-16),
        (1e+20, 0.0, 46.051701859880914, -7.88788767963998e-16),
        (1e+300, 0.0, 690.7755278982137, 2.3747660028800243e-14),
        (1.7976931348623157e+308, 0.0, 709.782712893384, 2.3636017071323592e-14),
        (1e-20, 1e-37, 1e-20, 9.995e-38),
        (-0.25, 8.673617379884035e-19, -0.2876820724517809, -2.4915123847107766e-17),
    ];
    #[rustfmt::skip]
    const SQRT: &[(f64, f64, f64, f64)] = &[
        (5e-324, 0.0, 2.2227587494850775e-162, 0.0),
        (1e-310, 0.0, 9.999999999999986e-156, -9.277065027753207e-172),
        (1e-300, 0.0, 1e-150, 6.234187685431415e-168),
        (1e-20, 0.0, 1e-10, -6.385556158839296e-27),
        (0.01, 0.0, 0.1, -4.5102810375396986e-18),
        (0.5, 0.0, 0.7071067811865476, -4.833646656726457e-17),
        (1.0, 0.0, 1.0, 0.0),
        (1.0000000000000002, 0.0, 1.0, 1.1102230246251565e-16),
        (2.0, 0.0, 1.4142135623730951, -9.667293313452913e-17),
        (3.0, 0.0, 1.7320508075688772, 1.0035084221806903e-16),
        (10.0, 0.0, 3.1622776601683795, -1.9078816970716603e-16),
        (12345.678, 0.0, 111.11110655555547, -4.3594669324288495e-15),
        (1e+20, 0.0, 10000000000.0, 0.0),
        (1e+300, 0.0, 1e+150, 4.5416783955164837e+133),
        (1.7976931348623157e+308, 0.0, 1.3407807929942596e+154, 7.442828536787015e+137),
        (2.0, 1e-20, 1.4142135623730951, -9.66693976006232e-17),
        (1.0, -8.673617379884035e-19, 1.0, -4.336808689942018e-19),
    ];
    #[rustfmt::skip]
    const TANH: &[(f64, f64, f64, f64)] = &[
        (-400.0, 0.0, -1.0, 0.0),
        (-40.0, 0.0, -1.0, 3.609703231141532e-35),
        (-20.0, 0.0, -1.0, 8.496708510583178e-18),
        (-19.0, 0.0, -0.9999999999999999, -4.823964662155506e-17),
        (-10.0, 0.0, -0.9999999958776927, -3.693278996616596e-17),
        (-5.0, 0.0, -0.9999092042625951, -2.298523750966507e-17),
        (-2.0, 0.0, -0.9640275800758169, 1.9413550547557176e-17),
        (-1.0, 0.0, -0.7615941559557649, -3.7090214482164924e-17),
        (-0.75, 0.0, -0.6351489523872873, -1.7012977006564836e-17),
        (-0.5, 0.0, -0.46211715726000974, -2.1916603238260928e-17),
        (-0.4999, 0.0, -0.4620385088524975, -9.589895672756862e-18),
        (-0.25, 0.0, -0.24491866240370913, 1.6036228849882693e-18),
        (-0.1, 0.0, -0.09966799462495582, -3.542433877641546e-18),
        (-0.01, 0.0, -0.00999966667999946, -2.249494707259477e-19),
        (-1e-08, 0.0, -1e-08, 3.3333333333333335e-25),
        (-1e-20, 0.0, -1e-20, 3.111507638930571e-61),
        (-1e-300, 0.0, -1e-300, 0.0),
        (1e-300, 0.0, 1e-300, 0.0),
        (1e-20, 0.0, 1e-20, -3.111507638930571e-61),
        (1e-08, 0.0, 1e-08, -3.3333333333333335e-25),
        (0.01, 0.0, 0.00999966667999946, 2.249494707259477e-19),
        (0.1, 0.0, 0.09966799462495582, 3.542433877641546e-18),
        (0.25, 0.0, 0.24491866240370913, -1.6036228849882693e-18),
        (0.4999, 0.0, 0.4620385088524975, 9.589895672756862e-18),
        (0.5, 0.0, 0.46211715726000974, 2.1916603238260928e-17),
        (0.75, 0.0, 0.6351489523872873, 1.7012977006564836e-17),
        (1.0, 0.0, 0.7615941559557649, 3.7090214482164924e-17),
        (2.0, 0.0, 0.9640275800758169, -1.9413550547557176e-17),
        (5.0, 0.0, 0.9999092042625951, 2.298523750966507e-17),
        (10.0, 0.0, 0.9999999958776927, 3.693278996616596e-17),
        (19.0, 0.0, 0.9999999999999999, 4.823964662155506e-17),
        (20.0, 0.0, 1.0, -8.496708510583178e-18),
        (40.0, 0.0, 1.0, -3.609703231141532e-35),
        (400.0, 0.0, 1.0, 0.0),
    ];
    #[rustfmt::skip]
    const SECH2: &[(f64, f64, f64, f64)] = &[
        (-370.0, 0.0, 1.675e-321, 0.0),
        (-354.0, 0.0, 1.3230212014553631e-307, 5e-324),
        (-300.0, 0.0, 1.0601586212017243e-260, 2.550937126996558e-277),
        (-100.0, 0.0, 5.53558610694695e-87, -1.2156017361293666e-103),
        (-50.0, 0.0, 1.4880303904083344e-43, -6.282009963092803e-60),
        (-20.0, 0.0, 1.6993417021166355e-17, 3.5311072107819773e-34),
        (-10.0, 0.0, 8.244614455767397e-09, 5.983136127419214e-25),
        (-5.0, 0.0, 0.0001815832309438067, -9.677411680154446e-21),
        (-2.0, 0.0, 0.07065082485316447, -4.898517755015516e-18),
        (-1.0, 0.0, 0.4199743416140261, -1.1598730457771976e-17),
        (-0.5, 0.0, 0.7864477329659274, 6.0689685225374924e-18),
        (-0.1, 0.0, 0.9900662908474398, -2.3263156556362292e-17),
        (-1e-10, 0.0, 1.0, -1.0000000000000001e-20),
        (-1e-300, 0.0, 1.0, 0.0),
        (1e-300, 0.0, 1.0, 0.0),
        (1e-10, 0.0, 1.0, -1.0000000000000001e-20),
        (0.1, 0.0, 0.9900662908474398, -2.3263156556362292e-17),
        (0.5, 0.0, 0.7864477329659274, 6.0689685225374924e-18),
        (1.0, 0.0, 0.4199743416140261, -1.1598730457771976e-17),
        (2.0, 0.0, 0.07065082485316447, -4.898517755015516e-18),
        (5.0, 0.0, 0.0001815832309438067, -9.677411680154446e-21),
        (10.0, 0.0, 8.244614455767397e-09, 5.983136127419214e-25),
        (20.0, 0.0, 1.6993417021166355e-17, 3.5311072107819773e-34),
        (50.0, 0.0, 1.4880303904083344e-43, -6.282009963092803e-60),
        (100.0, 0.0, 5.53558610694695e-87, -1.2156017361293666e-103),
        (300.0, 0.0, 1.0601586212017243e-260, 2.550937126996558e-277),
        (354.0, 0.0, 1.3230212014553631e-307, 5e-324),
        (370.0, 0.0, 1.675e-321, 0.0),
        (0.0, 0.0, 1.0, 0.0),
    ];
    #[rustfmt::skip]
    const SIGMOID: &[(f64, f64, f64, f64)] = &[
        (-700.0, 0.0, 9.85967654375977e-305, 8.5e-322),
        (-100.0, 0.0, 3.720075976020836e-44, -1.5705024907732008e-60),
        (-50.0, 0.0, 1.9287498479639178e-22, -3.7546473078837696e-39),
        (-30.0, 0.0, 9.357622968839299e-14, 8.837142511495094e-31),
        (-10.0, 0.0, 4.5397868702434395e-05, -7.572648618868574e-23),
        (-2.5, 0.0, 0.07585818002124355, 5.328066821693456e-18),
        (-1.0, 0.0, 0.2689414213699951, 1.679727399649845e-17),
        (-0.5, 0.0, 0.37754066879814546, -2.695376417313478e-17),
        (-0.1, 0.0, 0.47502081252106, 2.5084310194303448e-17),
        (-1e-10, 0.0, 0.499999999975, 2.0685092740664752e-18),
        (-1e-300, 0.0, 0.5, 0.0),
        (1e-300, 0.0, 0.5, 0.0),
        (1e-10, 0.0, 0.500000000025, -2.0685092740664752e-18),
        (0.1, 0.0, 0.52497918747894, -2.5084310194303448e-17),
        (0.5, 0.0, 0.6224593312018546, -2.855738705812305e-17),
        (1.0, 0.0, 0.7310585786300049, -1.679727399649845e-17),
        (2.5, 0.0, 0.9241418199787564, 8.549720986121e-18),
        (10.0, 0.0, 0.9999546021312976, -4.401853247642529e-17),
        (30.0, 0.0, 0.9999999999999064, 1.557128750770682e-17),
        (50.0, 0.0, 1.0, -1.9287498479639178e-22),
        (100.0, 0.0, 1.0, 0.0),
        (700.0, 0.0, 1.0, 0.0),
        (0.0, 0.0, 0.5, 0.0),
        (-740.0, 0.0, 4.2e-322, -0.0),
        (-745.0, 0.0, 5e-324, -0.0),
    ];
    #[rustfmt::skip]
    const SOFTPLUS: &[(f64, f64, f64, f64)] = &[
        (-700.0, 0.0, 9.85967654375977e-305, 8.5e-322),
        (-100.0, 0.0, 3.720075976020836e-44, -1.5705024907732008e-60),
        (-50.0, 0.0, 1.9287498479639178e-22, -3.754628707503889e-39),
        (-30.0, 0.0, 9.357622968839737e-14, -6.166501881941325e-31),
        (-10.0, 0.0, 4.539889921686465e-05, 9.444678421966582e-23),
        (-2.5, 0.0, 0.07888973429254963, -3.0935966807696377e-18),
        (-1.0, 0.0, 0.3132616875182228, 2.515869523777819e-17),
        (-0.5, 0.0, 0.4740769841801067, -5.522109052790765e-18),
        (-0.1, 0.0, 0.6443966600735709, 1.0571540971906025e-17),
        (-1e-10, 0.0, 0.6931471805099453, 2.7328736686595904e-17),
        (-1e-300, 0.0, 0.6931471805599453, 2.3190468138462996e-17),
        (1e-300, 0.0, 0.6931471805599453, 2.3190468138462996e-17),
        (1e-10, 0.0, 0.6931471806099453, 1.9054699590330087e-17),
        (0.1, 0.0, 0.7443966600735709, 3.832711658753494e-17),
        (0.5, 0.0, 0.9740769841801067, -5.522109052790765e-18),
        (1.0, 0.0, 1.3132616875182228, 2.515869523777819e-17),
        (2.5, 0.0, 2.5788897342925496, -1.6971384488584093e-17),
        (10.0, 0.0, 10.000045398899218, -8.654575134761916e-16),
        (30.0, 0.0, 30.000000000000092, 1.2056740395843437e-15),
        (50.0, 0.0, 50.0, 1.9287498479639178e-22),
        (100.0, 0.0, 100.0, 0.0),
        (700.0, 0.0, 700.0, 0.0),
        (0.0, 0.0, 0.6931471805599453, 2.3190468138462996e-17),
        (-740.0, 0.0, 4.2e-322, -0.0),
        (10000000000.0, 0.0, 10000000000.0, 0.0),
        (1e+300, 0.0, 1e+300, 0.0),
    ];
    #[rustfmt::skip]
    const ERF: &[(f64, f64, f64, f64)] = &[
        (-27.0, 0.0, -1.0, 0.0),
        (-10.0, 0.0, -1.0, 0.0),
        (-8.0, 0.0, -1.0, 1.1224297172983651e-29),
        (-5.0, 0.0, -0.9999999999984626, 2.294992711807301e-17),
        (-3.0, 0.0, -0.9999779095030014, -5.363397058636269e-17),
        (-2.5, 0.0, -0.999593047982555, -4.6925151097042234e-17),
        (-2.0, 0.0, -0.9953222650189527, -2.20719858329765e-17),
        (-1.99, 0.0, -0.995111413199617, 4.827472751376034e-17),
        (-1.5, 0.0, -0.9661051464753108, 3.3867031441680696e-17),
        (-1.0, 0.0, -0.8427007929497149, 2.4801011789118602e-17),
        (-0.5, 0.0, -0.5204998778130465, -1.900077467916287e-17),
        (-0.1, 0.0, -0.1124629160182849, -9.255497413884101e-19),
        (-0.001, 0.0, -0.0011283787909692365, 7.88735357945236e-20),
        (-1e-10, 0.0, -1.1283791670955126e-10, -3.250270181699747e-27),
        (-1e-20, 0.0, -1.1283791670955125e-20, 8.470037849303888e-38),
        (-1e-300, 0.0, -1.1283791670955126e-300, 1.495728e-317),
        (1e-300, 0.0, 1.1283791670955126e-300, -1.495728e-317),
        (1e-20, 0.0, 1.1283791670955125e-20, -8.470037849303888e-38),
        (1e-10, 0.0, 1.1283791670955126e-10, 3.250270181699747e-27),
        (0.001, 0.0, 0.0011283787909692365, -7.88735357945236e-20),
        (0.1, 0.0, 0.1124629160182849, 9.255497413884101e-19),
        (0.5, 0.0, 0.5204998778130465, 1.900077467916287e-17),
        (1.0, 0.0, 0.8427007929497149, -2.4801011789118602e-17),
        (1.5, 0.0, 0.9661051464753108, -3.3867031441680696e-17),
        (1.99, 0.0, 0.995111413199617, -4.827472751376034e-17),
        (2.0, 0.0, 0.9953222650189527, 2.20719858329765e-17),
        (2.5, 0.0, 0.999593047982555, 4.6925151097042234e-17),
        (3.0, 0.0, 0.9999779095030014, 5.363397058636269e-17),
        (5.0, 0.0, 0.9999999999984626, -2.294992711807301e-17),
        (8.0, 0.0, 1.0, -1.1224297172983651e-29),
        (10.0, 0.0, 1.0, 0.0),
        (27.0, 0.0, 1.0, 0.0),
    ];
    #[rustfmt::skip]
    const ERFC: &[(f64, f64, f64, f64)] = &[
        (-10.0, 0.0, 2.0, 0.0),
        (-5.0, 0.0, 1.9999999999984626, -2.294992711807301e-17),
        (-3.0, 0.0, 1.9999779095030015, -5.738833187615296e-17),
        (-2.01, 0.0, 1.9955248493552482, 2.788695610545215e-17),
        (-2.0, 0.0, 1.9953222650189528, -8.895031662953915e-17),
        (-1.99, 0.0, 1.995111413199617, -4.827472751376034e-17),
        (-1.5, 0.0, 1.9661051464753108, -3.3867031441680696e-17),
        (-1.0, 0.0, 1.8427007929497148, 8.622129067339705e-17),
        (-0.5, 0.0, 1.5204998778130465, 1.900077467916287e-17),
        (-0.1, 0.0, 1.1124629160182848, 5.643670097264623e-17),
        (-1e-10, 0.0, 1.000000000112838, -4.44874363735484e-17),
        (-1e-300, 0.0, 1.0, 0.0),
        (1e-300, 0.0, 1.0, 0.0),
        (1e-10, 0.0, 0.999999999887162, 4.44874363735484e-17),
        (0.1, 0.0, 0.887537083981715, 5.4585601489869416e-17),
        (0.5, 0.0, 0.4795001221869535, -1.900077467916287e-17),
        (1.0, 0.0, 0.15729920705028513, -2.954563826510312e-18),
        (1.5, 0.0, 0.033894853524689274, -8.274380778554473e-19),
        (1.99, 0.0, 0.004888586800383003, -2.9752981359025873e-19),
        (2.0, 0.0, 0.004677734981047266, -3.8794238326641256e-19),
        (2.01, 0.0, 0.004475150644751763, -1.3138048982323577e-19),
        (3.0, 0.0, 2.209049699858544e-05, 1.5563377960343457e-22),
        (5.0, 0.0, 1.537459794428035e-12, -8.569418222079096e-29),
        (10.0, 0.0, 2.088487583762545e-45, -1.2006565763501381e-61),
        (1.9877063059185378, 0.0, 0.004938145971728642, -5.621497687567467e-20),
        (2.5, 0.0, 0.0004069520174449589, 2.080297158010754e-20),
        (3.5, 0.0, 7.430983723414128e-07, -3.117067749063089e-23),
        (4.0, 0.0, 1.541725790028002e-08, -1.1417872168371026e-24),
        (6.0, 0.0, 2.1519736712498913e-17, 3.1898197253599377e-34),
        (7.5, 0.0, 2.776649386030569e-26, 2.409335580103955e-42),
        (12.0, 0.0, 1.3562611692059042e-64, 4.438689568920817e-81),
        (15.0, 0.0, 7.212994172451207e-100, -1.5626120284327402e-116),
        (20.0, 0.0, 5.395865611607901e-176, -2.4980975484348278e-192),
        (25.0, 0.0, 8.300172571196523e-274, -4.0508928147804266e-291),
        (25.5, 0.0, 8.80166269072795e-285, 2.4440020150656587e-301),
        (26.0, 0.0, 5.663192408856143e-296, -3.454309640217e-312),
        (26.5, 0.0, 2.2109076642637343e-307, 5e-324),
        (27.0, 0.0, 5.23705e-319, 0.0),
        (27.2, 0.0, 1e-323, 0.0),
        (-27.0, 0.0, 2.0, 0.0),
    ];
    #[rustfmt::skip]
    const GAUSS: &[(f64, f64, f64, f64)] = &[
        (-30.0, 0.0, 0.0, 0.0),
        (-27.2, 0.0, 4.9e-322, 0.0),
        (-26.5, 0.0, 1.0392022621430825e-305, -6.4e-323),
        (-25.9, 0.0, 4.687255145293192e-292, 2.77871301773361e-309),
        (-20.0, 0.0, 1.9151695967140057e-174, 1.2644597855524639e-191),
        (-15.0, 0.0, 1.921947727823849e-98, -6.551557922692003e-115),
        (-10.0, 0.0, 3.720075976020836e-44, -1.5705024907732008e-60),
        (-5.5, 0.0, 7.287724095819692e-14, 2.3339070041631973e-30),
        (-3.3, 0.0, 1.864374233151685e-05, 9.903174937669275e-22),
        (-2.0, 0.0, 0.01831563888873418, 1.6250688994271399e-18),
        (-1.5, 0.0, 0.10539922456186433, 4.2554346833967404e-18),
        (-1.0, 0.0, 0.36787944117144233, -1.2428753672788363e-17),
        (-0.5, 0.0, 0.7788007830714049, -1.0231869534531498e-17),
        (-0.1, 0.0, 0.9900498337491681, -5.4203254868003335e-17),
        (-1e-10, 0.0, 1.0, -1.0000000000000001e-20),
        (-1e-300, 0.0, 1.0, 0.0),
        (1e-300, 0.0, 1.0, 0.0),
        (1e-10, 0.0, 1.0, -1.0000000000000001e-20),
        (0.1, 0.0, 0.9900498337491681, -5.4203254868003335e-17),
        (0.5, 0.0, 0.7788007830714049, -1.0231869534531498e-17),
        (1.0, 0.0, 0.36787944117144233, -1.2428753672788363e-17),
        (1.5, 0.0, 0.10539922456186433, 4.2554346833967404e-18),
        (2.0, 0.0, 0.01831563888873418, 1.6250688994271399e-18),
        (3.3, 0.0, 1.864374233151685e-05, 9.903174937669275e-22),
        (5.5, 0.0, 7.287724095819692e-14, 2.3339070041631973e-30),
        (10.0, 0.0, 3.720075976020836e-44, -1.5705024907732008e-60),
        (15.0, 0.0, 1.921947727823849e-98, -6.551557922692003e-115),
        (20.0, 0.0, 1.9151695967140057e-174, 1.2644597855524639e-191),
        (25.9, 0.0, 4.687255145293192e-292, 2.77871301773361e-309),
        (26.5, 0.0, 1.0392022621430825e-305, -6.4e-323),
        (27.2, 0.0, 4.9e-322, 0.0),
        (30.0, 0.0, 0.0, 0.0),
        (0.0, 0.0, 1.0, 0.0),
        (1.5, 8.673617379884035e-19, 0.10539922456186433, 3.981176919600914e-18),
        (24.0, -8.881784197001252e-16, 7.020667798505034e-251, -1.6055021358631658e-270),
    ];
    #[rustfmt::skip]
    const SIN: &[(f64, f64, f64, f64)] = &[
        (-99999.0, 0.0, -0.860248280789742, -2.7327833443351148e-17),
        (-355.0, 0.0, 3.014435335948845e-05, -1.3012643991046347e-21),
        (-10.0, 0.0, 0.5440211108893698, 3.8949898668223557e-17),
        (-3.141592653589793, 0.0, -1.2246467991473532e-16, 2.99476980971834e-33),
        (-1.5707963267948966, 0.0, -1.0, 1.874699730964804e-33),
        (-1.0, 0.0, -0.8414709848078965, -1.776845092935536e-18),
        (-0.7853981633974483, 0.0, -0.7071067811865475, -4.1036934489363755e-17),
        (-0.5, 0.0, -0.479425538604203, 5.103969860556013e-18),
        (-0.1, 0.0, -0.09983341664682815, -3.08001512929492e-18),
        (-1e-08, 0.0, -1e-08, 1.6666666666666668e-25),
        (-1e-20, 0.0, -1e-20, 1.5557538194652854e-61),
        (-1e-300, 0.0, -1e-300, 0.0),
        (1e-300, 0.0, 1e-300, 0.0),
        (1e-20, 0.0, 1e-20, -1.5557538194652854e-61),
        (1e-08, 0.0, 1e-08, -1.6666666666666668e-25),
        (0.1, 0.0, 0.09983341664682815, 3.08001512929492e-18),
        (0.5, 0.0, 0.479425538604203, -5.103969860556013e-18),
        (0.7853981633974483, 0.0, 0.7071067811865475, 4.1036934489363755e-17),
        (1.0, 0.0, 0.8414709848078965, 1.776845092935536e-18),
        (1.5707963267948966, 0.0, 1.0, -1.874699730964804e-33),
        (3.141592653589793, 0.0, 1.2246467991473532e-16, -2.99476980971834e-33),
        (10.0, 0.0, -0.5440211108893698, -3.8949898668223557e-17),
        (355.0, 0.0, -3.014435335948845e-05, 1.3012643991046347e-21),
        (99999.0, 0.0, 0.860248280789742, 2.7327833443351148e-17),
        (2.0, 0.0, 0.9092974268256817, -1.4020906557816256e-17),
        (4.0, 0.0, -0.7568024953079282, -4.892224089158451e-17),
        (6.283185307179586, 0.0, -2.4492935982947064e-16, 5.9895396194366814e-33),
        (100.0, 0.0, -0.5063656411097588, -3.050947053792115e-18),
        (1000.0, 0.0, 0.8268795405320025, 3.867581909641312e-17),
        (22000.0, 0.0, 0.542451979019298, -8.042378396419795e-18),
        (52174.0, 0.0, -0.9999999999848337, 1.38980217144312e-17),
        (100000.0, 0.0, 0.03574879797201651, 1.5429743706109861e-18),
        (45.553093477052, 0.0, 1.0, -1.9156884498556967e-37),
        (91553.86390724055, 0.0, 1.0, -2.554795854792958e-32),
        (3.141592653589793, 1.2246467991473532e-16, -2.9947698097183397e-33, 1.1124542208633653e-49),
        (1000000000000.0, 0.0, -0.6112387023768895, -1.1491613964488177e-17),
        (942477820865.6748, 0.0, 1.0, -1.2114443006404687e-18),
    ];
    #[rustfmt::skip]
    const COS: &[(f64, f64, f64, f64)] = &[
        (-99999.0, 0.0, -0.5098753724179009, 5.3225855190929963e-17),
        (-355.0, 0.0, -0.999999999545659, 1.0574612846643521e-17),
        (-3.0, 0.0, -0.9899924966004454, -4.2060261566099734e-17),
        (-1.5707963267948966, 0.0, 6.123233995736766e-17, -1.4973849048591698e-33),
        (-0.7853981633974483, 0.0, 0.7071067811865476, -2.6687565161377232e-17),
        (-0.1, 0.0, 0.9950041652780258, -5.50210156918377e-17),
        (-1e-300, 0.0, 1.0, 0.0),
        (1e-300, 0.0, 1.0, 0.0),
        (0.1, 0.0, 0.9950041652780258, -5.50210156918377e-17),
        (0.7853981633974483, 0.0, 0.7071067811865476, -2.6687565161377232e-17),
        (1.5707963267948966, 0.0, 6.123233995736766e-17, -1.4973849048591698e-33),
        (3.0, 0.0, -0.9899924966004454, -4.2060261566099734e-17),
        (355.0, 0.0, -0.999999999545659, 1.0574612846643521e-17),
        (99999.0, 0.0, -0.5098753724179009, 5.3225855190929963e-17),
        (0.0, 0.0, 1.0, 0.0),
        (0.5, 0.0, 0.8775825618903728, -4.2623149864279997e-17),
        (1.0, 0.0, 0.5403023058681398, -4.760954612604417e-17),
        (2.0, 0.0, -0.4161468365471424, 1.990596398957495e-17),
        (4.0, 0.0, -0.6536436208636119, 2.5846614087018284e-17),
        (4.71238898038469, 0.0, -1.8369701987210297e-16, -7.833796929500799e-33),
        (10.0, 0.0, -0.8390715290764524, -1.4147119988953418e-17),
        (100.0, 0.0, 0.8623188722876839, 4.334809858136501e-17),
        (1000.0, 0.0, 0.5623790762907029, 5.1611423543848204e-17),
        (22000.0, 0.0, -0.840086811263007, 1.3433301787351605e-17),
        (52174.0, 0.0, 5.507508792203807e-06, 6.700262426283885e-23),
        (100000.0, 0.0, -0.9993608074382124, -2.3447088905187402e-17),
        (45.553093477052, 0.0, -6.189806365883577e-19, 5.558005016244944e-36),
        (91553.86390724055, 0.0, 2.260440600708132e-16, -1.966749128635781e-32),
        (1000000000000.0, 0.0, 0.7914463018528902, 4.843622374857678e-17),
        (942477820865.6748, 0.0, 1.556563073338481e-09, 5.379971663779302e-26),
    ];
    #[rustfmt::skip]
    const POW: &[(f64, f64, f64, f64)] = &[
        (2.0, 0.5, 1.4142135623730951, -9.667293313452913e-17),
        (2.0, 10.0, 1024.0, 0.0),
        (2.0, -1074.0, 5e-324, 0.0),
        (10.0, 300.0, 1e+300, -5.250476025520442e+283),
        (1.5, 1000.0, 1.2338405969061735e+176, -3.9463904033348185e+159),
        (0.5, 0.5, 0.7071067811865476, -4.833646656726457e-17),
        (3.0, 0.3333333333333333, 1.4422495703074083, 5.1230484779057497e-17),
        (1e-300, 0.001, 0.5011872336272722, 3.3899545544821825e-17),
        (7.5, -3.3, 0.001295083680476827, 1.8025141765984154e-20),
        (100.0, 154.0, 1e+308, -1.0979063629440455e+291),
        (-2.0, 3.0, -8.0, 0.0),
        (-2.0, -3.0, -0.125, 0.0),
        (-1.5, 100.0, 4.065611775352152e+17, 5.397279707567042),
        (0.999999, 1000000.0, 0.36787925722106646, 1.3220418293329077e-17),
        (1.0000001, 10000000.0, 2.7182816941320818, -1.8992679736487488e-16),
        (2.718281828459045, 2.5, 12.182493960703471, 3.5996189257593796e-16),
        (10000000000.0, -30.0, 1e-300, -2.5059094e-317),
        (1.0001, -7000000.0, 1.021085152833282e-304, -9.87e-321),
        (0.1, 0.1, 0.7943282347242815, 6.291072944804186e-18),
        (123.456, 78.9, 1.0478827916671325e+165, 5.785788928085968e+148),
        (5.0, -400.0, 2.5822498780869084e-280, 1.8210697787214966e-296),
        (1.7976931348623157e+308, 0.5, 1.3407807929942596e+154, 7.442828536787015e+137),
        (5e-324, 0.5, 2.2227587494850775e-162, 0.0),
        (0.3, 612.0, 9.96e-321, -0.0),
        (9.0, 0.5, 3.0, 0.0),
        (2.5, 1.0, 2.5, 0.0),
    ];
    #[rustfmt::skip]
    const POWI: &[(f64, i32, f64, f64)] = &[
        (1.1, 2, 1.2100000000000002, 8.88178419700126e-18),
        (1.1, 3, 1.3310000000000004, -8.260059303211162e-17),
        (-1.3, 7, -6.274851700000002, 4.190035429729731e-16),
        (0.5, -3, 8.0, 0.0),
        (3.0, 40, 1.2157665459056929e+19, 33.0),
        (1.0001, 1000, 1.1051653926032206, -2.6454255653926924e-17),
        (1.01, -100, 0.3697112123291189, 2.5981187716985973e-17),
        (2.5, 0, 1.0, 0.0),
        (-0.7, -5, -5.949901826619863, 2.282785153710813e-16),
        (10.0, 300, 1e+300, -5.250476025520442e+283),
        (10.0, -300, 1e-300, -2.5059094e-317),
        (1.2345678, 17, 35.95456788863195, -9.933536976189858e-16),
        (0.9999, 65535, 0.0014246520124887396, 4.7196616069220916e-20),
        (-2.0, 63, -9.223372036854776e+18, 0.0),
        (7.0, 1, 7.0, 0.0),
        (7.0, -1, 0.14285714285714285, 7.93016446160826e-18),
    ];
    #[rustfmt::skip]
    const ADD: &[(f64, f64, f64, f64, f64, f64)] = &[
        (-357069.7249369828, -1.2579684754036411e-11, 357069.72493700945, 2.403261153396452e-11, 2.6670561625148e-08, -8.901885107748403e-25),
        (-1.0379509421957172e-20, 1.226362924047124e-37, 1.0379509421965718e-20, 6.887559536783355e-37, 8.547125520464442e-33, -1.8229090561800678e-50),
        (2.936919412147153e+25, 964888295.3610848, -2.9369194121469634e+25, 1192410558.660344, 1896237876390.0215, -5.5670738220214844e-05),
        (-531201917027484.94, 0.027080150462632062, 531201917027962.2, -0.00854622545580893, 477.2685339250068, 1.6292522886374172e-14),
        (1.1029508493351952e-21, 2.6150418708573607e-38, -1.1029508493358937e-21, -2.09233346874309e-38, -6.98520535948615e-34, -5.977178892686648e-51),
        (-0.0006097716749107276, -2.9433528542193465e-20, 0.0006097716749111492, 5.06115701132004e-20, 4.215589827039351e-16, 1.6039385318099949e-32),
        (0.028777726463392578, -1.487400393994326e-18, -0.028777726463368042, -1.1019337639723294e-18, 2.4533339510057994e-14, -1.4891290330002108e-30),
        (-1.465645191041621e+17, 5.3863888613098325, 1.4656451910427904e+17, -11.575214028218618, 116921.81117483308, 6.409095476556104e-12),
        (-3.194636172155734e-14, 3.2273519653002206e-31, 3.194636172153628e-14, -5.964085682948075e-31, -2.1059704399151895e-26, -9.517444007386117e-43),
        (-9.576895798644139e-14, -5.166272691792327e-30, 9.576895798644607e-14, -5.755102781406295e-30, 4.671756957918728e-27, -1.9197788961249994e-43),
        (5.919663540505931e-25, -2.379542015400628e-41, -5.919663540507851e-25, -3.0644209353272325e-41, -1.920824620958669e-37, 5.52611722133625e-54),
        (1.2510454859424117e-20, -5.792880836435972e-37, -1.2510454859413298e-20, 5.27394956253777e-37, 1.0818257716360287e-32, -3.033587945954642e-49),
    ];
    #[rustfmt::skip]
    const MUL: &[(f64, f64, f64, f64, f64, f64)] = &[
        (-2.188364412197738e+19, 682.6779778838176, 0.0004270377440759733, -1.1689238217473662e-20, -9345142018010654.0, -0.06524812328275413),
        (-3.7205858623237726e-25, 7.738754222732753e-42, 9.96160785598297e+27, 309823452967.7015, -3706.3017354983663, -1.9465454570198755e-13),
        (4.3426054250051245e+17, -9.813867732650985, 4.370991617327307e-17, 1.7746885444654123e-33, 18.981491910057485, -2.1126717099360226e-17),
        (-8.830603396206526e-25, 4.5066725040808483e-41, 3.168025613951677e-28, -1.489156007527987e-44, -2.797557774583094e-52, 1.216736728199608e-68),
        (-148079952246351.0, -0.007765297414319837, -1.1800132877750409e-14, 2.6981738954271624e-31, 1.747363113037877, -2.560709415385413e-17),
        (-9.304365509885986e+29, 45743707623191.49, 1.5668672591466263e+22, -614967.9247726386, -1.4578705684573455e+52, -1.0646733616791131e+36),
        (9.252298044972152e-13, 4.007456677421438e-30, 0.010255054600817645, 1.6829049607009225e-19, 9.488282163422777e-15, 1.6099915026993226e-31),
        (9.290736363335725e-25, -1.8966432872254867e-41, 1.2205902186374282e-21, -4.4954062789019404e-39, 1.1340181929026657e-45, -3.5435317643321814e-62),
        (0.0006343739095496923, 1.8040268316222054e-20, 2.287097697622874e-12, -3.167544093254108e-29, 1.4508751079631226e-15, 9.804389784455725e-32),
        (-4911700288815362.0, -0.21093675814155968, -14.902525317039684, -5.0828010254917535e-16, 7.319673790378206e+16, 2.105180129063372),
        (-2.8662324271577077e+22, -1494068.7982538275, 3.445271157059995e-25, -1.344722545964427e-41, -0.009874947910716515, 8.171099449063531e-19),
        (-0.01774309109202548, 7.015907717493959e-19, 4.096763178917826e+17, -17.770886102587504, -7268924226599486.0, 0.1156473418271553),
    ];
    #[rustfmt::skip]
    const DIV: &[(f64, f64, f64, f64, f64, f64)] = &[
        (-3.2017895394347844e+23, -9481139.241225025, 0.0011306584431334526, 5.158521130344934e-21, -2.831792004808719e+26, 6579692751.130582),
        (226331993.83574146, 1.492557042059999e-09, 2.1168056878929282e-29, 7.481603106533965e-46, 1.0692147849481294e+37, 5.7871241538234994e+20),
        (-4.589221078729792e-18, -3.58389921179589e-35, -1.4302401623395477e-22, 5.56874679438352e-39, 32087.066211473673, 3.4563205029050517e-13),
        (-5.20420691952696e-26, -1.6928588656569365e-42, 9.23895602619302e+27, 322815608889.49585, -5.632894998929215e-54, -3.5953637423410665e-70),
        (-1.3981237062251747e+25, -258059199.02330387, 7656779595260.306, 0.00016904145187116845, -1825994452146.2263, -4.0944413395517335e-05),
        (-3403414494681.693, 0.0001349509960377594, -0.000189535351369341, 1.0037319386994898e-20, 1.7956621126839692e+16, 0.5571768052037112),
        (4.708569106552215e-05, -1.0550070626314142e-22, -8.32884937816157e+28, -2444324803788.211, -5.6533248384803175e-34, 2.977462205373391e-50),
        (9.183305574493723e-27, 1.357146016212442e-43, 3.540064464645616e-28, 1.4839892347739948e-44, 25.941068774895978, -1.7218124559058995e-15),
        (-10257673122.080645, 2.952736408855798e-07, 3.7031743324408235e+21, -54259.86587394206, -2.7699676551062187e-12, -2.009902520194413e-29),
        (2.0635320962648433e+26, -11009111015.03583, -3.1424084631568792e-27, -1.0003802499701488e-43, -6.566721419123879e+52, -2.3224076453129974e+36),
        (7.060222705350484e-08, -2.346776689708598e-24, -9.528762472452222e-26, 4.105628032290776e-42, -7.409380521092513e+17, -63.53498492506211),
        (-1.4334965103127842e-24, 1.7741435527146934e-41, -324191.14668888476, 2.752511602434271e-12, 4.421763286733003e-30, 2.088451551504572e-46),
    ];
    /// mish'(-1.1947323083877563) as (x, hi, lo).
    #[rustfmt::skip]
    const MISH_DERIVATIVE: (f64, f64, f64) = (-1.1947323083877563, -0.0006131886616186689, -1.7696827860320663e-20);
    // END generated
}
