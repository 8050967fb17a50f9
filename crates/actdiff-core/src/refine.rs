//! Refine: accuracy near the roots of a generated function.
//!
//! Near a root `x0` of a sum such as `mish'(x) = tanh(sp) + x·σ(x)·sech²(sp)`, the
//! terms cancel and the result's relative error grows as `1 / |x - x0|`: evaluated
//! in f32 the formula is off by over a thousand ULPs a few 1e-3 from the root, in
//! f64 by several hundred. (That sum in particular f32 code computes in f64 and
//! rounds once, `compiled::Sum`, which needs no f32 window; the f32 evaluation here
//! models it so.) This pass finds such roots at compile time and fits the
//! function there as `(x - x0) · q(x - x0)` with a polynomial `q`, which has no
//! cancellation. Each window is fitted for one precision: for f32 from the `f64`
//! interpreter, for f64 from the double-double one ([`crate::dd`]), each checked
//! against the same reference at thousands of points before it is kept. The
//! emitter selects a window's polynomial inside it, in its precision only; in the
//! other precision the selection is the constant `false` and compiles away.
//!
//! With parameters the roots move with the parameter values, which are known only at
//! run time: such a definition is refined at its declared defaults, and each window
//! records the values it was fitted for, which the generated code compares with the
//! parameters before it selects the window. Other values get the formula, except for
//! a function of the form `p^k · g(p·x)` with `p` a parameter whose default is 1
//! (swish's derivatives, `β^k · silu^(k+1)(β·x)`): its windows, fitted at `p = 1`,
//! are windows in `u = p·x`, taken at every value of `p` with `u`'s rounding error
//! added back (`mul_err(p, x)`) and the polynomial multiplied by `p^k` (snake's
//! parameter gradient is such a function with `k = -2`).
//!
//! The derivative, the second derivative and every parameter gradient are refined
//! (the second derivative in f64 only: f32 code evaluates it in f64, see
//! `emit::emit_wide_body`).
//! Only the `MAX_ROOTS_TRIED` (12) roots nearest 0 are tried per precision: a
//! periodic function (one with `sin`, `cos` or their double-angle forms in it) has
//! roots without end, and a function that is rounding noise has hundreds (the
//! derivative of `x / clamp(x, x, x)` changes sign 288 times in the scan range, and
//! trying each took half a minute of a debug build). A periodic function's formula
//! is also scanned more densely, since there its error depends on how each
//! trigonometric value rounds.

use crate::compiled::Sum;
use crate::dd::{eval_dd, Dd};
use crate::eval::{branch_pattern, eval_func, eval_ordered, gauss};
use crate::graph::{Func, Graph, Node, NodeId};

/// The precision a window is fitted for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Precision {
    /// `f32`
    Single,
    /// `f64`
    Double,
}

/// Where a generated function runs, which bounds what its f64 windows may cost.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    /// In the slice kernels (the forward, f', the parameter gradients): a wider f64
    /// window is a longer polynomial in every element's evaluation (mish's f64
    /// backward was 30% slower with its f' window widened from 6 ULP to 4).
    Kernels,
    /// In scalar calls only (the second derivative).
    Scalar,
}

/// A polynomial stand-in for a function near one of its roots.
#[derive(Clone, Debug, PartialEq)]
pub struct RootWindow {
    /// The precision whose generated code selects this window.
    pub precision: Precision,
    /// The root, split so that `(x - hi) - lo` is accurate in the window's precision:
    /// `hi` is representable in it, `lo` is the rest.
    pub center_hi: f64,
    /// See `center_hi`.
    pub center_lo: f64,
    /// The window is `low < d < high`, with `d = x - x0`.
    pub low: f64,
    /// See `low`.
    pub high: f64,
    /// The middle of `[low, high]`.
    pub mid: f64,
    /// `2 / (high - low)`: `t = (d - mid) · inv_half` maps the window onto `[-1, 1]`.
    pub inv_half: f64,
    /// The Chebyshev series of `q` in `t`; the function is `d · q`.
    pub coeffs: Vec<f64>,
    /// For an f32 window: whether `t`, the polynomial and the product with `d` are
    /// evaluated in f64 (and rounded to f32 once), for windows whose far edge the f32
    /// evaluation cannot bring within bounds. Always false for f64 windows.
    pub wide: bool,
    /// Whether `q` is summed as its even and odd parts, two chains of half the length
    /// (see [`clenshaw`]).
    pub split: bool,
    /// The parameters the function reads, by index, with the values the window was
    /// fitted for, in the window's precision (empty for a definition without
    /// parameters): the window applies only while each equals its value here.
    pub params: Vec<(u16, f64)>,
    /// `Some((i, k))` when the function is `p^k · g(p·x)` in parameter `i` (default 1,
    /// not in `params`): the offset is then `d = ((p·x - hi) - lo) + mul_err(p, x)`
    /// and the value `d · q(t) · p^k`, at any value of `p`.
    pub scale: Option<(u16, i32)>,
}

/// Where the scan for roots looks: activations' interesting range.
const SCAN: (f64, f64) = (-40.0, 40.0);
const SCAN_STEP: f64 = 1.0 / 128.0;
/// The widest a window may reach on either side, relative to `max(1, |x0|)`.
const MAX_HALF_WIDTH: f64 = 3.0;
/// How many roots, those nearest 0, are tried per precision (each window costs a
/// polynomial per element, each try a scan and fits at compile time). No built-in's
/// non-periodic function has more than 2; a periodic one's never end, and a
/// function whose value is rounding noise has hundreds of sign changes, none of
/// which a window could fix. (Snake's gradient in alpha, `sin u·(2u·cos u - sin u)/α²`
/// with `u = αx`, needed f32 windows at the roots of `2u·cos u = sin u` out to
/// |u| = 7.79, and its roots beyond had none, until the simplifier wrote it with
/// `xcos_halfsin`, which does not cancel there: it has no window now.)
const MAX_ROOTS_TRIED: usize = 12;

/// Evaluates `root` as f32 code would: every operation rounded to f32, the
/// functions from std's f32 math (within an ULP, like the runtime's). The difference
/// from the f64 interpreter shows where the formula itself loses accuracy in f32.
fn eval_f32(g: &Graph, order: &[NodeId], root: NodeId, x: f32, params: &[f64]) -> f32 {
    let mut v = vec![0.0f32; g.len()];
    for &id in order {
        let at = |n: NodeId| v[n.0 as usize];
        let truth = |b: bool| if b { 1.0 } else { 0.0 };
        v[id.0 as usize] = match g.node(id) {
            Node::Const(bits) => f64::from_bits(bits) as f32,
            Node::Input => x,
            Node::Param(i) => params.get(usize::from(i)).map_or(f32::NAN, |&p| p as f32),
            Node::Neg(a) => -at(a),
            // mish's derivative as the runtime computes it (`Real::tanh_softplus_slope`):
            // both terms in f64, rounded once.
            Node::Add(a, b) => match Sum::of(g, a, b) {
                Sum::TanhSoftplusSlope(u, w) => {
                    crate::eval::tanh_softplus_slope(f64::from(at(u)), f64::from(at(w))) as f32
                }
                Sum::Plain => at(a) + at(b),
            },
            Node::Sub(a, b) => at(a) - at(b),
            // A fused product (`gauss_mul`, `erfc_mul`) as the runtime computes it: the
            // function's value not rounded to f32 (here in f64), times the other
            // factor, rounded once.
            Node::Mul(a, b) => match g.fused_product(a, b) {
                Some((f, u, other)) => {
                    (eval_func(f.func(), f64::from(at(u))) * f64::from(at(other))) as f32
                }
                None => at(a) * at(b),
            },
            Node::Div(a, b) => at(a) / at(b),
            Node::Call(f, a) => {
                let u = at(a);
                match f {
                    Func::Exp => u.exp(),
                    Func::Expm1 => u.exp_m1(),
                    Func::Ln => u.ln(),
                    Func::Log1p => u.ln_1p(),
                    Func::Sqrt => u.sqrt(),
                    Func::Tanh => u.tanh(),
                    Func::Sech2 => {
                        let e = (-2.0 * u.abs()).exp();
                        4.0 * e / ((1.0 + e) * (1.0 + e))
                    }
                    Func::Sigmoid => {
                        let e = (-u.abs()).exp();
                        if u >= 0.0 {
                            1.0 / (1.0 + e)
                        } else {
                            e / (1.0 + e)
                        }
                    }
                    Func::Softplus => u.max(0.0) + (-u.abs()).exp().ln_1p(),
                    Func::Erf => libm::erff(u),
                    Func::Erfc => libm::erfcf(u),
                    // The square of an f32 is exact in f64: an accurate f32 gauss.
                    Func::Gauss => gauss(f64::from(u)) as f32,
                    Func::Sin => u.sin(),
                    Func::Cos => u.cos(),
                    // Computed in f64 and rounded once, as the runtime does.
                    Func::Cos2x => crate::eval::cos2x(f64::from(u)) as f32,
                    Func::Sin2x1p => crate::eval::sin2x1p(f64::from(u)) as f32,
                    Func::XcosHalfsin => crate::eval::xcos_halfsin(f64::from(u)) as f32,
                    Func::Abs => u.abs(),
                }
            }
            Node::Max(a, b) => {
                if at(a).is_nan() || at(b).is_nan() {
                    f32::NAN
                } else {
                    at(a).max(at(b))
                }
            }
            Node::Min(a, b) => {
                if at(a).is_nan() || at(b).is_nan() {
                    f32::NAN
                } else {
                    at(a).min(at(b))
                }
            }
            Node::Pow(a, b) => at(a).powf(at(b)),
            // The f32 product's error: the f64 product of two f32 is exact.
            Node::MulErr(a, b) => {
                let p = at(a) * at(b);
                if p.is_infinite() {
                    0.0
                } else {
                    (f64::from(at(a)) * f64::from(at(b)) - f64::from(p)) as f32
                }
            }
            Node::Powi(a, n) => at(a).powi(n),
            Node::Cmp(op, a, b) => truth(op.apply(f64::from(at(a)), f64::from(at(b)))),
            Node::And(c, d) => truth(at(c) != 0.0 && at(d) != 0.0),
            Node::Or(c, d) => truth(at(c) != 0.0 || at(d) != 0.0),
            Node::Bool(b) => truth(b),
            Node::Select(c, a, b) => {
                if at(c) != 0.0 {
                    at(a)
                } else {
                    at(b)
                }
            }
        };
    }
    v[root.0 as usize]
}

/// One generated function, as the pass studies it in one precision.
struct Subject<'g> {
    g: &'g Graph,
    order: Vec<NodeId>,
    root: NodeId,
    precision: Precision,
    /// The parameter values, as the precision holds them.
    params: Vec<f64>,
    /// Whether the function has `sin` or `cos` in it: the error of its formula near a
    /// root then depends on how each of them rounds at each point more than on the
    /// distance to the root (snake's gradient in f32 is 15 ULP off 0.014 from its root
    /// at 4.6 and within 6 at the points a sparse scan hits), so [`extent`] samples
    /// eight times as densely within 0.02·max(1, |x0|) of the root.
    periodic: bool,
    /// Where the function runs (see [`window`]).
    reach: Reach,
}

impl Subject<'_> {
    /// The function in `f64` (for locating roots).
    fn value(&self, x: f64) -> f64 {
        eval_ordered(self.g, &self.order, x, &self.params)[self.root.0 as usize]
    }

    /// The reference value: the `f64` interpreter for f32 results, double-double for
    /// f64 results.
    fn reference(&self, x: Dd) -> Dd {
        match self.precision {
            Precision::Single => Dd::from_f64(self.value(x.to_f64())),
            Precision::Double => {
                let params: Vec<Dd> = self.params.iter().map(|&p| Dd::from_f64(p)).collect();
                eval_dd(self.g, &self.order, x, &params)[self.root.0 as usize]
            }
        }
    }

    /// `x` rounded to the precision.
    fn round(&self, x: f64) -> f64 {
        match self.precision {
            Precision::Single => f64::from(x as f32),
            Precision::Double => x,
        }
    }

    /// The error in ULPs of the precision of `got` against `want`.
    fn ulps(&self, got: f64, want: Dd) -> f64 {
        let ulp = match self.precision {
            Precision::Single => {
                let a = (want.to_f64() as f32).abs();
                if a < f32::MIN_POSITIVE {
                    f64::from(f32::from_bits(1))
                } else {
                    f64::from(f32::from_bits(a.to_bits() + 1) - a)
                }
            }
            Precision::Double => {
                let a = want.hi.abs();
                if a < f64::MIN_POSITIVE {
                    f64::from_bits(1)
                } else {
                    f64::from_bits(a.to_bits() + 1) - a
                }
            }
        };
        ((got - want.hi) - want.lo).abs() / ulp
    }

    /// The error of the formula itself, evaluated in the precision, at the point of
    /// the precision nearest `x`.
    fn formula_error(&self, x: f64) -> f64 {
        let x = self.round(x);
        let got = match self.precision {
            Precision::Single => f64::from(eval_f32(
                self.g,
                &self.order,
                self.root,
                x as f32,
                &self.params,
            )),
            Precision::Double => self.value(x),
        };
        self.ulps(got, self.reference(Dd::from_f64(x)))
    }

    /// The root near `x0` to the reference's precision, as `hi + lo`.
    fn refine_root(&self, x0: f64) -> Dd {
        if self.precision == Precision::Single {
            return Dd::from_f64(x0);
        }
        let step = f64::EPSILON * x0.abs().max(f64::MIN_POSITIVE) * 8.0;
        let (mut lo, mut hi) = (Dd::from_f64(x0 - step), Dd::from_f64(x0 + step));
        let sign = |x: Dd| self.reference(x).hi < 0.0;
        let lo_negative = sign(lo);
        if lo_negative == sign(hi) {
            return Dd::from_f64(x0);
        }
        for _ in 0..120 {
            let mid = (lo + hi) * Dd::from_f64(0.5);
            if sign(mid) == lo_negative {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        (lo + hi) * Dd::from_f64(0.5)
    }
}

/// Simple roots of the function in the scan range, where its value changes sign
/// between two samples on the same side of every kink; refined by bisection. A single
/// sample at which the value is 0 is passed over, so that a root falling on the grid
/// is found between the samples either side of it (x·erf(x)'s f'' at x = 1 was missed,
/// and left without a window, 500 ULP off beside it in f64); a run of zeros (a
/// function that underflows around its root) is not bridged.
fn roots(s: &Subject) -> Vec<f64> {
    let (g, root) = (s.g, s.root);
    let mut found = Vec::new();
    let steps = ((SCAN.1 - SCAN.0) / SCAN_STEP) as usize;
    let mut prev_x = SCAN.0;
    let mut prev = s.value(prev_x);
    let mut passed_over = false;
    for k in 1..=steps {
        let x = SCAN.0 + k as f64 * SCAN_STEP;
        let y = s.value(x);
        if y == 0.0 && prev != 0.0 && !passed_over {
            passed_over = true;
            continue;
        }
        passed_over = false;
        if prev.is_finite() && y.is_finite() && prev != 0.0 && y != 0.0 && (prev < 0.0) != (y < 0.0)
        {
            let same_piece = branch_pattern(g, &[root], prev_x, &s.params)
                == branch_pattern(g, &[root], x, &s.params);
            if same_piece {
                let (mut lo, mut hi) = (prev_x, x);
                let lo_negative = prev < 0.0;
                for _ in 0..200 {
                    let mid = 0.5 * (lo + hi);
                    if mid <= lo || mid >= hi {
                        break;
                    }
                    if (s.value(mid) < 0.0) == lo_negative {
                        lo = mid;
                    } else {
                        hi = mid;
                    }
                }
                found.push(0.5 * (lo + hi));
            }
        }
        prev_x = x;
        prev = y;
    }
    found
}

/// The roots a window is tried at: all of them, in increasing order, up to
/// `MAX_ROOTS_TRIED`; beyond, the `MAX_ROOTS_TRIED` nearest 0, nearest first. Each
/// try costs a scan and fits: the tries are bounded, not only the windows.
fn roots_to_try(s: &Subject) -> Vec<f64> {
    let mut found = roots(s);
    if found.len() > MAX_ROOTS_TRIED {
        found.sort_by(|a, b| a.abs().total_cmp(&b.abs()));
        found.truncate(MAX_ROOTS_TRIED);
    }
    found
}

/// Chebyshev coefficients of the polynomial interpolating `q` at `n + 1` Chebyshev
/// points of `[a, b]`, as a series in `t = (d - mid) / half` on `[-1, 1]`.
fn chebyshev_fit(q: impl Fn(f64) -> Dd, a: f64, b: f64, n: usize) -> Vec<f64> {
    let (mid, half) = (0.5 * (a + b), 0.5 * (b - a));
    let m = n + 1;
    // π to double-double precision.
    let pi = Dd {
        hi: std::f64::consts::PI,
        lo: 1.224_646_799_147_353_2e-16,
    };
    // Node k is cos(π (2k + 1) / (2m)); T_j at it is cos(π j (2k + 1) / (2m)). The
    // angle is reduced exactly in integers, and the sums run in double-double: an
    // f64 fit would carry errors of n·ε into every coefficient, too much for f64
    // windows.
    let cos_at = |j: usize, k: usize| {
        let r = (j * (2 * k + 1)) % (4 * m);
        (pi * Dd::from_f64(r as f64) / Dd::from_f64((2 * m) as f64)).cos()
    };
    let values: Vec<Dd> = (0..m)
        .map(|k| q(mid + half * cos_at(1, k).to_f64()))
        .collect();
    (0..m)
        .map(|j| {
            let s = values
                .iter()
                .enumerate()
                .fold(Dd::from_f64(0.0), |acc, (k, &v)| acc + v * cos_at(j, k));
            let scale = if j == 0 { 1.0 } else { 2.0 };
            (s * Dd::from_f64(scale) / Dd::from_f64(m as f64)).to_f64()
        })
        .collect()
}

/// `Σ c_j T_j(t)` as the emitted code computes it, generic over the float type so
/// that the checks here run the same operations, in the same order.
///
/// Clenshaw's recurrence, each step `b_j = (c_j - b_{j+2}) + 2t·b_{j+1}`: the
/// difference does not wait for `b_{j+1}`, so the serial chain is a multiply and an
/// add per step. A window's recurrence is the longest chain in its loop body, and
/// the loop is bound by it: f64 mish's backward (a 21-coefficient window) took 17.5 ns
/// per element at 2^20 with `b_j = c_j + 2t·b_{j+1} - b_{j+2}`, 14.3 with the
/// difference moved off the chain.
///
/// With `split`, the even and the odd terms are summed apart, each by the recurrence
/// in `s = 2t² - 1`: `T_2k(t) = T_k(s)` and `T_2k+1(t) = t·V_k(s)`, where `V_0 = 1`,
/// `V_1 = 2s - 1` and `V` follows `T`'s three-term recurrence. Two independent chains
/// of half the length run side by side (f64 mish's backward: 11.3 ns). The two parts
/// cancel where `q` is much smaller at one end of the window than at the other (f64
/// mish'' right of its root 1.49 had no window within 8 ULP so), and the refine pass
/// then takes the plain recurrence.
pub fn clenshaw<T>(coeffs: &[T], t: T, split: bool) -> T
where
    T: Copy
        + Default
        + From<f32>
        + std::ops::Add<Output = T>
        + std::ops::Sub<Output = T>
        + std::ops::Mul<Output = T>,
{
    let one = T::from(1.0);
    let two_t = t + t;
    if !split {
        return half_sum(coeffs.iter().copied(), two_t, t).unwrap_or_default();
    }
    let s = two_t * t - one;
    let two_s = s + s;
    // T_1(s) = s for the even terms, V_1(s) = 2s - 1 for the odd ones.
    let even = half_sum(coeffs.iter().copied().step_by(2), two_s, s);
    match half_sum(
        coeffs.iter().copied().skip(1).step_by(2),
        two_s,
        two_s - one,
    ) {
        Some(odd) => even.unwrap_or_default() + t * odd,
        None => even.unwrap_or_default(),
    }
}

/// `Σ a_k P_k(s)` by Clenshaw's recurrence for polynomials with `P_0 = 1`,
/// `P_1 = p1` and `P_k+1 = 2s·P_k - P_k-1` (for `T` in `t`: `s = t`, `p1 = t`);
/// `None` for no coefficients. The last coefficient is `b_{m-1}` itself, and one
/// coefficient is its own sum.
fn half_sum<T>(mut a: impl DoubleEndedIterator<Item = T>, two_s: T, p1: T) -> Option<T>
where
    T: Copy
        + Default
        + std::ops::Add<Output = T>
        + std::ops::Sub<Output = T>
        + std::ops::Mul<Output = T>,
{
    let a0 = a.next()?;
    let mut rest = a.rev();
    let Some(last) = rest.next() else {
        return Some(a0);
    };
    let (mut b1, mut b2) = (last, T::default());
    for aj in rest {
        let b0 = (aj - b2) + two_s * b1;
        b2 = b1;
        b1 = b0;
    }
    Some((a0 - b2) + p1 * b1)
}

impl RootWindow {
    /// `d = x - x0` computed as the emitted f64 code does.
    pub fn offset_f64(&self, x: f64) -> f64 {
        (x - self.center_hi) - self.center_lo
    }

    /// The window's value in f64, as emitted: `d · q(t)`.
    pub fn eval_f64(&self, x: f64) -> f64 {
        let d = self.offset_f64(x);
        let t = (d - self.mid) * self.inv_half;
        d * clenshaw(&self.coeffs, t, self.split)
    }

    /// Whether `x` is inside the window, as emitted in f64.
    pub fn contains_f64(&self, x: f64) -> bool {
        let d = self.offset_f64(x);
        d > self.low && d < self.high
    }

    /// The window's value in its precision at `x` (rounded to it), and whether `x` is
    /// inside it, as the emitted code computes them.
    fn eval_in_precision(&self, x: f64) -> (f64, bool) {
        match self.precision {
            Precision::Single => {
                let xf = x as f32;
                (f64::from(self.eval_f32(xf)), self.contains_f32(xf))
            }
            Precision::Double => (self.eval_f64(x), self.contains_f64(x)),
        }
    }

    /// `d = x - x0` computed as the emitted f32 code does.
    pub fn offset_f32(&self, x: f32) -> f32 {
        (x - self.center_hi as f32) - self.center_lo as f32
    }

    /// The window's value in f32, as emitted: `d · q(t)`, in f32 or, for a wide
    /// window, in f64 from the f32 `d`.
    pub fn eval_f32(&self, x: f32) -> f32 {
        let d = self.offset_f32(x);
        if self.wide {
            let d = f64::from(d);
            let t = (d - self.mid) * self.inv_half;
            return (d * clenshaw(&self.coeffs, t, self.split)) as f32;
        }
        let t = (d - self.mid as f32) * self.inv_half as f32;
        let c: Vec<f32> = self.coeffs.iter().map(|&c| c as f32).collect();
        d * clenshaw(&c, t, self.split)
    }

    /// Whether `x` is inside the window, as emitted.
    pub fn contains_f32(&self, x: f32) -> bool {
        let d = self.offset_f32(x);
        d > self.low as f32 && d < self.high as f32
    }
}

/// The ULP distance of an f32 from an f64 reference.
#[cfg(test)]
fn ulps_f32(got: f32, want: f64) -> f64 {
    let r = want as f32;
    let a = r.abs();
    let ulp = if a < f32::MIN_POSITIVE {
        f64::from(f32::from_bits(1))
    } else {
        f64::from(f32::from_bits(a.to_bits() + 1) - a)
    };
    (f64::from(got) - want).abs() / ulp
}

/// Beyond the absolute-error zone, the f32 formula is accepted where it is within
/// this many ULPs; elsewhere near the root the polynomial takes over.
const ACCEPTED_ULPS: f64 = 6.0;

/// The same for f64's first try, with a margin: the f64 interpreter that sizes f64
/// windows runs std's math, not the runtime's, whose fused forms round differently
/// where terms cancel (mish'' was 10 ULP off at x = -1.858, right of its window
/// around the root -2.256, where the interpreter found the formula within 6).
const ACCEPTED_ULPS_F64: f64 = 4.0;

/// How far from `x0`, on the side `sign`, the formula stays worse than `accepted`:
/// the last bad point before a stretch of a quarter of `scale` with none.
fn extent(s: &Subject, x0: f64, sign: f64, scale: f64, accepted: f64) -> f64 {
    let mut last_bad = 0.0;
    let mut d = 1e-3 * scale;
    while d <= MAX_HALF_WIDTH * scale && d - last_bad < 0.25 * scale {
        if s.formula_error(x0 + sign * d) > accepted {
            last_bad = d;
        }
        // Eight times as dense close to a periodic function's root, where the
        // rounding of each sine decides (the cost of scanning further out so densely
        // made the engine's property tests several times slower).
        let dense = s.periodic && d < 0.02 * scale;
        d += if dense { 0.000_25 } else { 0.002 } * scale;
    }
    last_bad
}

/// The accuracy a window's polynomial must reach at the sampled points. Its
/// evaluation cannot do much better where `q` is small against its own terms; the
/// margin below `ACCEPTED_ULPS` covers the points between samples (the exhaustive
/// sweep example measures them all). Where no degree reaches it, see `TIERS`: an f32
/// window evaluated in f64, then one within `ACCEPTED_ULPS` (no worse than what is
/// accepted of the formula outside windows), then one within `LAST_RESORT_ULPS`.
const WINDOW_ULPS: f64 = 4.0;
/// The weakest bound a window is taken at: the numerics issue's bound for
/// derivatives. Even that beats the formula by far near a root: mish'' right of its
/// root at 1.49 is 405 ULP off in f32 without a window, while the polynomial's f32
/// evaluation stays at 7.6 ULP from degree 16 on at the window's far edge, where `q`
/// has shrunk against its coefficients (that window is now a wide one, see `TIERS`).
const LAST_RESORT_ULPS: f64 = 8.0;

/// The order in which windows are tried, as (bound in ULPs, evaluated in f64 for an
/// f32 window): the f32 evaluation at the tight bound first (it costs half of the
/// f64 one in a vector loop); then the f64 evaluation, which has none of the f32
/// rounding at the far edge (gelu-tanh'' in f32 had no window otherwise: 6.3 ULP at
/// the far edge on 1,000 points, above 8 on the 50,000); then the f32 one at the
/// weaker bounds. For f64 windows the second step is the same as the first and is
/// skipped.
const TIERS: [(f64, bool); 4] = [
    (WINDOW_ULPS, false),
    (WINDOW_ULPS, true),
    (ACCEPTED_ULPS, false),
    (LAST_RESORT_ULPS, false),
];
/// How many points of the window the final check evaluates.
const VALIDATION_POINTS: usize = 50_000;

/// Fits a window around the root `x0`, or `None` when the formula is accurate there
/// already or no polynomial passes the checks. A window covers where the formula is
/// more than `ACCEPTED_ULPS` off; in f64, with a margin (`ACCEPTED_ULPS_F64`):
/// - for a function of the kernels, only where the formula is nowhere more than
///   `ACCEPTED_ULPS` off, so that no kernel's window grows (snake's ∂alpha beside
///   u = 7.79 got its window this way);
/// - for the second derivative, each side first reaches as far as the margin says,
///   then, where a window that wide does not fit, only as far as `ACCEPTED_ULPS` says,
///   one side and then the other (mish'' needs the wide extent on its right only,
///   where the narrow one left it 10 ULP off, and the narrow one on its left, where
///   the wide one reaches 2.4 from its root and no polynomial fits).
fn window(s: &Subject, x0: f64, scaled: Option<(u16, i32)>) -> Option<RootWindow> {
    let scale = x0.abs().max(1.0);
    let sides = |accepted: f64| {
        (
            extent(s, x0, -1.0, scale, accepted),
            extent(s, x0, 1.0, scale, accepted),
        )
    };
    let narrow = sides(ACCEPTED_ULPS);
    let mut tries = vec![narrow];
    match (s.precision, s.reach) {
        (Precision::Single, _) => {
            // The margin where it costs little: the wider window when its polynomial
            // is evaluated in the same precision with at most 4 more terms (tanhexp'
            // was 8.3 ULP off at x = -1.637, left of its narrow window, with the
            // runtime's fused multiply-adds; its wide window has 13 terms against 9).
            // Widening every f32 window made mish's f32 backward 50% slower: its
            // wide window needed the f64 evaluation (mish' has no f32 window now,
            // see `compiled::Sum`).
            let n = window_between(s, x0, scaled, narrow.0, narrow.1)?;
            let wide = sides(ACCEPTED_ULPS_F64);
            let w = (wide != narrow)
                .then(|| window_between(s, x0, scaled, wide.0, wide.1))
                .flatten();
            return Some(match w {
                Some(w) if w.wide == n.wide && w.coeffs.len() <= n.coeffs.len() + 4 => w,
                _ => n,
            });
        }
        (Precision::Double, Reach::Kernels) => {
            if narrow == (0.0, 0.0) {
                tries = vec![sides(ACCEPTED_ULPS_F64)];
            }
        }
        (Precision::Double, Reach::Scalar) => {
            let wide = sides(ACCEPTED_ULPS_F64);
            tries = vec![wide, (narrow.0, wide.1), (wide.0, narrow.1), narrow];
            tries.dedup();
        }
    }
    tries
        .into_iter()
        .find_map(|(left, right)| window_between(s, x0, scaled, left, right))
}

/// [`window`] for the extents `left` and `right` of the formula's bad stretch.
fn window_between(
    s: &Subject,
    x0: f64,
    scaled: Option<(u16, i32)>,
    left: f64,
    right: f64,
) -> Option<RootWindow> {
    let scale = x0.abs().max(1.0);
    if left == 0.0 && right == 0.0 {
        return None;
    }
    if left >= MAX_HALF_WIDTH * scale * 0.99 || right >= MAX_HALF_WIDTH * scale * 0.99 {
        return None;
    }
    // A margin, and at least the absolute-error zone on both sides.
    let low = -(left * 1.1).max(2e-3 * scale);
    let high = (right * 1.1).max(2e-3 * scale);
    // A symmetric window puts the fit's middle node at d = half·cos(π/2), 1e-18 from
    // the root, where `q`, a quotient of two nearly zero numbers, is lost (snake's
    // gradient in alpha at u = 7.79 got coefficients of 1e20 and no window).
    let high = if high == -low {
        high * (1.0 + 1.0 / 64.0)
    } else {
        high
    };
    let pattern = branch_pattern(s.g, &[s.root], x0, &s.params);
    if (0..=64).any(|k| {
        let x = x0 + low + (high - low) * k as f64 / 64.0;
        branch_pattern(s.g, &[s.root], x, &s.params) != pattern
    }) {
        return None;
    }
    let center = s.refine_root(x0);
    let center_hi = s.round(center.hi);
    let center_lo = ((center - Dd::from_f64(center_hi)).to_f64()).clamp(-1.0, 1.0);
    let q = |d: f64| s.reference(center + Dd::from_f64(d)) / Dd::from_f64(d);
    let validation = match s.precision {
        Precision::Single => VALIDATION_POINTS,
        Precision::Double => VALIDATION_POINTS / 5,
    };
    let tiers = TIERS
        .into_iter()
        .filter(|&(_, wide)| !wide || s.precision == Precision::Single);
    for (n, (bound, wide)) in tiers.flat_map(|tier| [8usize, 12, 16, 20, 24, 28].map(|n| (n, tier)))
    {
        let coeffs = chebyshev_fit(q, low, high, n);
        // The split sum first: it runs in half the latency.
        for split in [true, false] {
            let w = RootWindow {
                precision: s.precision,
                center_hi,
                center_lo,
                low,
                high,
                mid: 0.5 * (low + high),
                inv_half: 2.0 / (high - low),
                coeffs: coeffs.clone(),
                wide,
                split,
                params: read_params(s)
                    .into_iter()
                    .filter(|&(i, _)| scaled.map(|(p, _)| p) != Some(i))
                    .collect(),
                scale: scaled,
            };
            // A coarse check first, so that failing degrees cost little.
            let passes = |points: usize| {
                (0..=points).all(|k| {
                    let x = s.round(x0 + low + (high - low) * k as f64 / points as f64);
                    let (got, inside) = w.eval_in_precision(x);
                    if !inside || (x - x0).abs() < 1e-3 * scale {
                        return true;
                    }
                    s.ulps(got, s.reference(Dd::from_f64(x))) <= bound
                })
            };
            if passes(1_000) && passes(validation) {
                return Some(w);
            }
        }
    }
    None
}

/// `Some((i, k))` when `s`'s function is `p^k · g(p·x)` in the parameter `i`, whose
/// value is 1 (`g` is then the function itself): checked against the double-double
/// reference at a few values of `p` and `x`, to 1e-12 relative.
///
/// A check at points, not a proof: the points reach far from the windows, because a
/// branch on `x` breaks the form only beyond its threshold. At seven points within
/// ±3.7, `if x > 20 { x } else { x * sigmoid(b * x) }` passed, and its windows in
/// `b·x` then took the place of the branch at other `b` (f'(25.6) = -3.3e-4 for
/// b = -0.05, where it is 1). So also a grid of ten points per decade from 0.01 to
/// 10^4 on both sides of 0, and both sides of each of the formula's constants and of
/// their square roots, as `x` and as `p·x`.
fn scaling(s: &Subject) -> Option<(u16, i32)> {
    const NEAR: [f64; 7] = [-3.7, -2.4, -1.3, -0.6, 0.45, 1.1, 2.9];
    const PS: [f64; 3] = [0.625, 1.5, 2.75];
    let grid = (-20..=40).map(|e| 10f64.powf(f64::from(e) / 10.0));
    let beside_constants = s.order.iter().filter_map(|&id| match s.g.node(id) {
        Node::Const(bits) => Some(f64::from_bits(bits).abs()),
        _ => None,
    });
    let beside_constants = beside_constants
        .filter(|c| c.is_finite() && *c > 0.0)
        // A constant and its square root, for a branch on `x·x`.
        .flat_map(|c| [c, c.sqrt()])
        .flat_map(|c| {
            // `x` and `p·x` on either side of `c` (between `c` and `c/p`), and just
            // beside it.
            PS.iter()
                .map(move |p| c * (1.0 + 1.0 / p) / 2.0)
                .chain([c * 0.99, c * 1.01])
        });
    // Each rounded to f32, so that `p·x` is exact and both sides take the same
    // argument: a periodic function far out would tell the roundings apart (snake's
    // `sin(alpha·x)` beside its constant 1e30).
    let far: Vec<f64> = grid
        .chain(beside_constants)
        .map(|x| f64::from(x as f32))
        .filter(|x| x.is_finite() && *x > 0.0)
        .flat_map(|x| [x, -x])
        .collect();
    read_params(s)
        .into_iter()
        .filter(|&(_, v)| v == 1.0)
        .find_map(|(i, _)| {
            let at = |x: f64, p: f64| {
                let mut params: Vec<Dd> = s.params.iter().map(|&v| Dd::from_f64(v)).collect();
                params[usize::from(i)] = Dd::from_f64(p);
                eval_dd(s.g, &s.order, Dd::from_f64(x), &params)[s.root.0 as usize].to_f64()
            };
            let same = |lhs: f64, rhs: f64| (lhs - rhs).abs() <= 1e-12 * rhs.abs().max(1e-300);
            (-2..=3)
                .find(|&k| {
                    PS.iter().all(|&p| {
                        let sides = |x: f64| (at(x, p), p.powi(k) * at(p * x, 1.0));
                        NEAR.iter().all(|&x| {
                            let (lhs, rhs) = sides(x);
                            lhs.is_finite() && same(lhs, rhs)
                        }) && far.iter().all(|&x| {
                            // Far out either side may overflow or be undefined, but
                            // both alike.
                            let (lhs, rhs) = sides(x);
                            match (lhs.is_finite(), rhs.is_finite()) {
                                (true, true) => same(lhs, rhs),
                                (false, false) => lhs == rhs || (lhs.is_nan() && rhs.is_nan()),
                                _ => false,
                            }
                        })
                    })
                })
                .map(|k| (i, k))
        })
}

/// The parameters `s`'s function reads, with their values.
fn read_params(s: &Subject) -> Vec<(u16, f64)> {
    (0..s.params.len() as u16)
        .filter(|&i| s.order.iter().any(|&id| s.g.node(id) == Node::Param(i)))
        .map(|i| (i, s.params[usize::from(i)]))
        .collect()
}

/// The windows for one generated function, for each of `precisions`, with the
/// parameters at `params` (the declared defaults; empty without parameters).
pub fn root_windows(
    g: &Graph,
    root: NodeId,
    params: &[f64],
    precisions: &[Precision],
    reach: Reach,
) -> Vec<RootWindow> {
    // A periodic function has roots everywhere, and a window for each is beyond any
    // budget: only the MAX_ROOTS_TRIED nearest 0 are tried, as for every function.
    let periodic = g.reachable(&[root]).iter().any(|&id| {
        matches!(
            g.node(id),
            Node::Call(
                Func::Sin | Func::Cos | Func::Cos2x | Func::Sin2x1p | Func::XcosHalfsin,
                _
            )
        )
    });
    let mut windows: Vec<RootWindow> = Vec::new();
    for &precision in precisions {
        // f32 code holds the parameters rounded to f32: its roots are those of the
        // function with the rounded values.
        let params = params
            .iter()
            .map(|&p| match precision {
                Precision::Single => f64::from(p as f32),
                Precision::Double => p,
            })
            .collect();
        let s = Subject {
            g,
            order: g.reachable(&[root]),
            root,
            precision,
            params,
            periodic,
            reach,
        };
        let scale = scaling(&s);
        for x0 in roots_to_try(&s) {
            if let Some(w) = window(&s, x0, scale) {
                // Overlapping windows would make the select ambiguous; keep the first.
                let (lo, hi) = (w.center_hi + w.low, w.center_hi + w.high);
                let overlaps = windows.iter().any(|o| {
                    o.precision == precision
                        && lo < o.center_hi + o.high
                        && o.center_hi + o.low < hi
                });
                if !overlaps {
                    windows.push(w);
                }
            }
        }
    }
    windows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compile_str;

    const BOTH: [Precision; 2] = [Precision::Single, Precision::Double];

    /// `root` of `g` in f64, without parameters, not periodic.
    fn double_subject(g: &Graph, root: NodeId) -> Subject<'_> {
        Subject {
            g,
            order: g.reachable(&[root]),
            root,
            precision: Precision::Double,
            params: Vec::new(),
            periodic: false,
            reach: Reach::Kernels,
        }
    }

    #[test]
    fn finds_a_root_on_the_scan_grid() {
        // x·erf(x)'s f'' is 0 at x = ±1 exactly, grid points of the scan: its sign
        // change was missed (a zero sample was neither side), and it had no window.
        let d = &compile_str("F(x) = x * erf(x);").expect("ok")[0];
        let s = Subject {
            reach: Reach::Scalar,
            ..double_subject(&d.graph, d.second_derivative)
        };
        let found = roots_to_try(&s);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!((found[0] + 1.0).abs() < 1e-12 && (found[1] - 1.0).abs() < 1e-12);
        let windows = root_windows(
            &d.graph,
            d.second_derivative,
            &[],
            &BOTH[1..],
            Reach::Scalar,
        );
        assert_eq!(windows.len(), 2, "{windows:?}");
        // A run of zeros is not a root: x·exp(-1/x²) underflows to 0 for |x| < 0.037
        // and changes sign across that run, where bisection would put a root at the
        // run's edge.
        let d = &compile_str("F(x) = x * exp(-1 / (x * x));").expect("ok")[0];
        assert!(roots(&double_subject(&d.graph, d.forward)).is_empty());
    }

    #[test]
    fn finds_the_root_of_the_mish_derivative() {
        let d = &compile_str("M(x) = x * tanh(softplus(x));").expect("ok")[0];
        let w = root_windows(&d.graph, d.derivative, &[], &BOTH, Reach::Kernels);
        // f32 takes mish' as one sum finished in f64, which needs no window (see
        // the next test); f64 does.
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!(w[0].precision, Precision::Double);
        assert!((w[0].center_hi + w[0].center_lo + 1.192_431_214_515_495).abs() < 1e-14);
        assert!(w[0].low < -0.5 && w[0].high > 0.1, "{:?}", w[0]);
        // The forward's only root, 0, is a product with x and needs no window.
        assert!(root_windows(&d.graph, d.forward, &[], &BOTH, Reach::Kernels).is_empty());
    }

    #[test]
    fn an_f64_window_takes_the_wide_extent_on_the_side_where_it_fits() {
        // mish'' around its root -2.256: the f64 window reaches past x = -1.86 on the
        // right (the runtime's f64 code was 10 ULP off at -1.858 when windows stopped
        // where the interpreter found the formula within 6 ULP, at -1.94), and the
        // narrow extent on the left, where the wide one does not fit.
        let d = &compile_str("M(x) = x * tanh(softplus(x));").expect("ok")[0];
        let w = root_windows(
            &d.graph,
            d.second_derivative,
            &[],
            &[Precision::Double],
            Reach::Scalar,
        );
        let at = w
            .iter()
            .find(|w| (w.center_hi + 2.256_376_396_360_793).abs() < 1e-12)
            .expect("a window at -2.256");
        let (from, to) = (at.center_hi + at.low, at.center_hi + at.high);
        assert!(to > -1.9 && from > -4.0, "({from}, {to})");
    }

    #[test]
    fn a_kernel_function_keeps_its_f64_window_where_it_has_one() {
        // mish' around -1.192: the margin would widen its f64 window, a longer
        // polynomial in the f64 backward kernel (30% slower), for a figure within
        // target: only a function of scalar calls takes the wider window.
        let d = &compile_str("M(x) = x * tanh(softplus(x));").expect("ok")[0];
        let width = |reach| {
            let w = root_windows(&d.graph, d.derivative, &[], &[Precision::Double], reach);
            assert_eq!(w.len(), 1, "{w:?}");
            w[0].high - w[0].low
        };
        let (kernel, scalar) = (width(Reach::Kernels), width(Reach::Scalar));
        assert!(kernel < 0.8 * scalar, "{kernel} against {scalar}");
    }

    #[test]
    fn a_noisy_function_is_tried_at_its_roots_nearest_0_only() {
        // `x / clamp(x, x, x)` is 1 but for rounding: its derivative is rounding
        // noise, whose sign changes hundreds of times in the scan range. Trying each
        // took half a minute of a debug build (a CI timeout in the property tests).
        let d = &compile_str("F(x) = -0.4104 * x / clamp(x, x, x);").expect("ok")[0];
        let s = double_subject(&d.graph, d.derivative);
        let all = roots(&s);
        assert!(all.len() > 100, "{}", all.len());
        let tried = roots_to_try(&s);
        assert_eq!(tried.len(), MAX_ROOTS_TRIED);
        let nearest = tried.iter().fold(0.0f64, |m, x| m.max(x.abs()));
        assert_eq!(
            all.iter().filter(|x| x.abs() <= nearest).count(),
            MAX_ROOTS_TRIED
        );
        // A function with few roots is tried at each, in order.
        let m = &compile_str("M(x) = x * tanh(softplus(x));").expect("ok")[0];
        let s = double_subject(&m.graph, m.second_derivative);
        assert_eq!(roots_to_try(&s), roots(&s));
        assert_eq!(roots(&s).len(), 2);
    }

    #[test]
    fn f32_code_has_the_f32_product_error() {
        let d = &compile_str("F(x; b = 1.5) = mul_err(b, x);").expect("ok")[0];
        let order = d.graph.reachable(&[d.forward]);
        let err = |x: f32| eval_f32(&d.graph, &order, d.forward, x, &[1.5]);
        let x = -12.821_867_f32;
        assert_eq!(f64::from(err(x)), 1.5 * f64::from(x) - f64::from(1.5 * x));
        assert_ne!(err(x), 0.0);
        assert_eq!(err(f32::MAX), 0.0);
    }

    #[test]
    fn chebyshev_fit_reproduces_a_polynomial() {
        let p = |d: f64| 1.0 + 2.0 * d - 0.5 * d * d * d;
        let (a, b) = (-0.9, 0.4);
        let c = chebyshev_fit(|d| Dd::from_f64(p(d)), a, b, 6);
        for k in 0..=10 {
            let d = a + (b - a) * f64::from(k) / 10.0;
            let t = (d - 0.5 * (a + b)) * 2.0 / (b - a);
            for split in [false, true] {
                assert!((clenshaw(&c, t, split) - p(d)).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn clenshaw_sums_the_series_for_every_length() {
        // Against the series summed term by term, with T_j(t) = cos(j·acos t).
        for n in 1..=21 {
            let c: Vec<f64> = (0..n).map(|j| 1.0 / (1.0 + j as f64) - 0.3).collect();
            for k in 0..=20 {
                let t = -1.0 + f64::from(k) / 10.0;
                let direct: f64 = c
                    .iter()
                    .enumerate()
                    .map(|(j, &cj)| cj * (j as f64 * t.acos()).cos())
                    .sum();
                for split in [false, true] {
                    let got = clenshaw(&c, t, split);
                    assert!(
                        (got - direct).abs() < 1e-13,
                        "n = {n}, t = {t}, split {split}: {got} against {direct}"
                    );
                }
            }
        }
    }

    /// Checks an f32 window at every 37th f32 inside it, more densely than the fit's
    /// own check, against `bound` ULPs; returns the count.
    fn check_f32_window(g: &Graph, f: NodeId, w: &RootWindow, bound: f64) -> usize {
        let x0 = w.center_hi + w.center_lo;
        let mut k = 0;
        let (mut x, end) = ((x0 + w.low) as f32, (x0 + w.high) as f32);
        while x < end {
            if w.contains_f32(x) && (f64::from(x) - x0).abs() >= 1e-3 * x0.abs().max(1.0) {
                let want = crate::eval::eval(g, f, f64::from(x), &[]);
                let e = ulps_f32(w.eval_f32(x), want);
                assert!(e <= bound, "at {x}: {e} ULP, window {w:?}");
                k += 1;
            }
            // Up through the negative floats, then down through the positive ones.
            x = if x < 0.0 {
                f32::from_bits(x.to_bits() - 37)
            } else {
                f32::from_bits(x.to_bits() + 37)
            };
        }
        k
    }

    #[test]
    fn the_fused_sum_makes_the_mish_derivative_accurate_in_f32() {
        // mish' = tanh(sp) + x·(sech2(sp)·σ(x)) as this pass models f32 code, the sum
        // in f64 rounded once (`Real::tanh_softplus_slope`; the runtime's own error,
        // its exponential's 2^-34, is measured by the sweep and the math tests), is
        // within the level accepted outside windows beside its root at -1.19, on every
        // 37th f32 where the f32 terms summed in f32 (which needed a window) are not:
        // so no f32 window is fitted.
        let d = &compile_str("M(x) = x * tanh(softplus(x));").expect("ok")[0];
        let order = d.graph.reachable(&[d.derivative]);
        let x0 = -1.192_431_214_515_495f64;
        let plain = |x: f32| {
            let u = f64::from(x);
            let sp = crate::eval::eval_func(Func::Softplus, u);
            let t = sp.tanh() as f32;
            let slope = (crate::eval::eval_func(Func::Sech2, sp)
                * crate::eval::eval_func(Func::Sigmoid, u)) as f32;
            t + x * slope
        };
        let (mut fused_worst, mut plain_worst, mut checked) = (0.0f64, 0.0f64, 0);
        let mut x = (x0 - 0.9) as f32;
        while f64::from(x) < x0 + 0.4 {
            if (f64::from(x) - x0).abs() >= 1e-3 * x0.abs() {
                let want = crate::eval::eval(&d.graph, d.derivative, f64::from(x), &[]);
                let got = eval_f32(&d.graph, &order, d.derivative, x, &[]);
                fused_worst = fused_worst.max(ulps_f32(got, want));
                plain_worst = plain_worst.max(ulps_f32(plain(x), want));
                checked += 1;
            }
            // Up through the negative floats (the range is below zero).
            x = f32::from_bits(x.to_bits() - 37);
        }
        assert!(checked > 100_000, "{checked}");
        assert!(fused_worst <= ACCEPTED_ULPS, "{fused_worst}");
        assert!(plain_worst > 10.0 * ACCEPTED_ULPS, "{plain_worst}");
    }

    #[test]
    fn windows_the_f32_evaluation_misses_are_evaluated_in_f64() {
        // No degree brings mish'' within WINDOW_ULPS in f32 at the far edge of the
        // window right of its root at 1.49 (7.6 ULP); without a fallback that root got
        // no window and mish'' was 405 ULP off next to it. Evaluated in f64, the
        // window meets the tight bound.
        let d = &compile_str("M(x) = x * tanh(softplus(x));").expect("ok")[0];
        let windows = root_windows(&d.graph, d.second_derivative, &[], &BOTH, Reach::Scalar);
        let single: Vec<&RootWindow> = windows
            .iter()
            .filter(|w| w.precision == Precision::Single)
            .collect();
        let centers: Vec<f64> = single.iter().map(|w| w.center_hi).collect();
        assert_eq!(single.len(), 2, "{centers:?}");
        assert!((centers[1] - 1.490_571).abs() < 1e-5, "{centers:?}");
        assert!(!single[0].wide && single[1].wide);
        assert!(check_f32_window(&d.graph, d.second_derivative, single[0], ACCEPTED_ULPS) > 1000);
        assert!(check_f32_window(&d.graph, d.second_derivative, single[1], WINDOW_ULPS) > 1000);
    }

    #[test]
    fn the_window_makes_the_mish_derivative_accurate_in_f64() {
        let d = &compile_str("M(x) = x * tanh(softplus(x));").expect("ok")[0];
        let windows = root_windows(&d.graph, d.derivative, &[], &BOTH, Reach::Kernels);
        let w = windows
            .iter()
            .find(|w| w.precision == Precision::Double)
            .expect("an f64 window");
        let s = double_subject(&d.graph, d.derivative);
        let x0 = w.center_hi + w.center_lo;
        let mut checked = 0;
        for k in 0..=7919 {
            let x = x0 + w.low + (w.high - w.low) * f64::from(k) / 7919.0;
            if w.contains_f64(x) && (x - x0).abs() >= 1e-3 * x0.abs() {
                let e = s.ulps(w.eval_f64(x), s.reference(Dd::from_f64(x)));
                assert!(e <= ACCEPTED_ULPS, "at {x}: {e} ULP");
                // Where the formula itself is off by hundreds of ULPs.
                checked += 1;
            }
        }
        assert!(checked > 5000);
        assert!(s.formula_error(x0 + 0.003) > 50.0);
    }

    #[test]
    fn parametric_definitions_are_refined_at_the_given_values() {
        let d = &compile_str("S(x; b = 1) = x * sigmoid(b * x);").expect("ok")[0];
        // silu' = σ(u)(1 + u σ(-u)) with u = b·x has its root at u = -1.2785: at
        // x = -1.2785 for b = 1, at x = -0.6392 for b = 2.
        // At b = 1 the function is g(b·x) for every b: its windows are in u = b·x and
        // apply at any b; at b = 2 they apply at b = 2 only.
        for (b, root) in [(1.0, -1.278_464_5), (2.0, -0.639_232_3)] {
            let windows = root_windows(&d.graph, d.derivative, &[b], &BOTH, Reach::Kernels);
            assert!(!windows.is_empty());
            for w in &windows {
                if b == 1.0 {
                    assert_eq!((w.params.clone(), w.scale), (vec![], Some((0, 0))));
                } else {
                    assert_eq!((w.params.clone(), w.scale), (vec![(0, b)], None));
                }
                assert!((w.center_hi - root).abs() < 1e-6, "{w:?}");
            }
        }
        // f'' = b · silu''(b·x): scaled by b.
        let windows = root_windows(&d.graph, d.second_derivative, &[1.0], &BOTH, Reach::Scalar);
        assert!(!windows.is_empty());
        assert!(
            windows.iter().all(|w| w.scale == Some((0, 1))),
            "{windows:?}"
        );
        // Nor is one whose formula branches on x far from the windows: there `b·x`
        // is not the whole story (the windows in `b·x` used to replace the branch
        // `x` at other `b`).
        for text in [
            "F(x; b = 1) = if x > 20 { x } else { x * sigmoid(b * x) };",
            "F(x; b = 1) = if x < -20 { 0.1 * x } else { x * sigmoid(b * x) };",
            "F(x; b = 1) = if x * x > 1e6 { x } else { x * sigmoid(b * x) };",
            "F(x; b = 1) = if x * x > 1e12 { x } else { x * sigmoid(b * x) };",
        ] {
            let d = &compile_str(text).expect("ok")[0];
            let windows = root_windows(&d.graph, d.derivative, &[1.0], &BOTH, Reach::Kernels);
            assert!(!windows.is_empty(), "{text}");
            assert!(
                windows
                    .iter()
                    .all(|w| w.scale.is_none() && w.params == [(0, 1.0)]),
                "{text}: {windows:?}"
            );
        }
        // A parameter that is not a scale of x keeps the equality test.
        let d = &compile_str("Q(x; c = 1) = x * sigmoid(x + c - 1);").expect("ok")[0];
        let windows = root_windows(&d.graph, d.derivative, &[1.0], &BOTH, Reach::Kernels);
        assert!(!windows.is_empty());
        assert!(windows
            .iter()
            .all(|w| w.scale.is_none() && w.params == [(0, 1.0)]));
    }
}
