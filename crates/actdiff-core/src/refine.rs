//! Refine: accuracy near the roots of a generated function, for `f32`.
//!
//! Near a root `x0` of a sum such as `mish'(x) = tanh(sp) + x·σ(x)·sech²(sp)`, the
//! terms cancel and the result's relative error grows as `1 / |x - x0|`: evaluated
//! in f32 the formula is off by over a thousand ULPs a few 1e-3 from the root. This
//! pass finds such roots at compile time, with the `f64` interpreter, and fits the
//! function there as `(x - x0) · q(x - x0)` with a polynomial `q`, which has no
//! cancellation. The emitter selects the polynomial inside the window, for `f32`
//! only: in `f64` the window is compiled away, since fitting from `f64` samples is
//! accurate enough for `f32` results and not for `f64` ones.
//!
//! Only definitions without parameters are refined: with parameters, the roots move
//! with the parameter values, which are known only at run time.

use crate::eval::{branch_pattern, eval_ordered};
use crate::graph::{Func, Graph, Node, NodeId};

/// A polynomial stand-in for a function near one of its roots.
#[derive(Clone, Debug, PartialEq)]
pub struct RootWindow {
    /// The root, split so that `(x - hi) - lo` is accurate in f32: `hi` is the
    /// nearest f32, `lo` the rest.
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
}

/// Where the scan for roots looks: activations' interesting range.
const SCAN: (f64, f64) = (-40.0, 40.0);
const SCAN_STEP: f64 = 1.0 / 128.0;
/// The widest a window may reach on either side, relative to `max(1, |x0|)`.
const MAX_HALF_WIDTH: f64 = 3.0;

/// Evaluates `root` as f32 code would: every operation rounded to f32, the
/// functions from std's f32 math (within an ULP, like the runtime's). The difference
/// from the f64 interpreter shows where the formula itself loses accuracy in f32.
fn eval_f32(g: &Graph, order: &[NodeId], root: NodeId, x: f32) -> f32 {
    let mut v = vec![0.0f32; g.len()];
    for &id in order {
        let at = |n: NodeId| v[n.0 as usize];
        let truth = |b: bool| if b { 1.0 } else { 0.0 };
        v[id.0 as usize] = match g.node(id) {
            Node::Const(bits) => f64::from_bits(bits) as f32,
            Node::Input => x,
            Node::Param(_) => f32::NAN,
            Node::Neg(a) => -at(a),
            Node::Add(a, b) => at(a) + at(b),
            Node::Sub(a, b) => at(a) - at(b),
            Node::Mul(a, b) => at(a) * at(b),
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
                    Func::Sin => u.sin(),
                    Func::Cos => u.cos(),
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

/// The f32 formula's error in ULPs at the f32 point nearest `x`.
fn f32_error(g: &Graph, order: &[NodeId], root: NodeId, x: f64) -> f64 {
    let xf = x as f32;
    let want = eval_ordered(g, order, f64::from(xf), &[])[root.0 as usize];
    ulps_f32(eval_f32(g, order, root, xf), want)
}

/// Simple roots of `root` in the scan range, where its value changes sign between two
/// samples on the same side of every kink; refined by bisection.
fn roots(g: &Graph, order: &[NodeId], root: NodeId) -> Vec<f64> {
    let f = |x: f64| eval_ordered(g, order, x, &[])[root.0 as usize];
    let mut found = Vec::new();
    let steps = ((SCAN.1 - SCAN.0) / SCAN_STEP) as usize;
    let mut prev_x = SCAN.0;
    let mut prev = f(prev_x);
    for k in 1..=steps {
        let x = SCAN.0 + k as f64 * SCAN_STEP;
        let y = f(x);
        if prev.is_finite() && y.is_finite() && prev != 0.0 && y != 0.0 && (prev < 0.0) != (y < 0.0)
        {
            let same_piece =
                branch_pattern(g, &[root], prev_x, &[]) == branch_pattern(g, &[root], x, &[]);
            if same_piece {
                let (mut lo, mut hi) = (prev_x, x);
                let lo_negative = prev < 0.0;
                for _ in 0..200 {
                    let mid = 0.5 * (lo + hi);
                    if mid <= lo || mid >= hi {
                        break;
                    }
                    if (f(mid) < 0.0) == lo_negative {
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

/// Chebyshev coefficients of the polynomial interpolating `q` at `n + 1` Chebyshev
/// points of `[a, b]`, as a series in `t = (d - mid) / half` on `[-1, 1]`.
fn chebyshev_fit(q: impl Fn(f64) -> f64, a: f64, b: f64, n: usize) -> Vec<f64> {
    let (mid, half) = (0.5 * (a + b), 0.5 * (b - a));
    let nodes: Vec<f64> = (0..=n)
        .map(|k| (std::f64::consts::PI * (k as f64 + 0.5) / (n as f64 + 1.0)).cos())
        .collect();
    let values: Vec<f64> = nodes.iter().map(|&t| q(mid + half * t)).collect();
    (0..=n)
        .map(|j| {
            let s: f64 = nodes
                .iter()
                .zip(&values)
                .map(|(&t, &v)| v * (j as f64 * t.acos()).cos())
                .sum();
            let scale = if j == 0 { 1.0 } else { 2.0 };
            s * scale / (n as f64 + 1.0)
        })
        .collect()
}

/// Clenshaw's recurrence for `Σ c_j T_j(t)`, generic over the float type so that
/// the checks here run the same operations, in the same order, as the emitted code.
pub fn clenshaw<T>(coeffs: &[T], t: T) -> T
where
    T: Copy
        + Default
        + std::ops::Add<Output = T>
        + std::ops::Sub<Output = T>
        + std::ops::Mul<Output = T>,
{
    let two_t = t + t;
    let mut b1 = coeffs[coeffs.len() - 1];
    let mut b2 = T::default();
    for &c in coeffs[1..coeffs.len() - 1].iter().rev() {
        let b0 = c + two_t * b1 - b2;
        b2 = b1;
        b1 = b0;
    }
    coeffs[0] + t * b1 - b2
}

impl RootWindow {
    /// `d = x - x0` computed as the emitted f32 code does.
    pub fn offset_f32(&self, x: f32) -> f32 {
        (x - self.center_hi as f32) - self.center_lo as f32
    }

    /// The window's value in f32, as emitted: `d · q(t)`.
    pub fn eval_f32(&self, x: f32) -> f32 {
        let d = self.offset_f32(x);
        let t = (d - self.mid as f32) * self.inv_half as f32;
        let c: Vec<f32> = self.coeffs.iter().map(|&c| c as f32).collect();
        d * clenshaw(&c, t)
    }

    /// Whether `x` is inside the window, as emitted.
    pub fn contains_f32(&self, x: f32) -> bool {
        let d = self.offset_f32(x);
        d > self.low as f32 && d < self.high as f32
    }
}

/// The ULP distance of an f32 from an f64 reference.
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

/// How far from `x0`, on the side `sign`, the f32 formula stays worse than accepted:
/// the last bad point before a stretch of a quarter of `scale` with none.
fn extent(g: &Graph, order: &[NodeId], root: NodeId, x0: f64, sign: f64, scale: f64) -> f64 {
    let step = 0.002 * scale;
    let mut last_bad = 0.0;
    let mut d = 1e-3 * scale;
    while d <= MAX_HALF_WIDTH * scale && d - last_bad < 0.25 * scale {
        if f32_error(g, order, root, x0 + sign * d) > ACCEPTED_ULPS {
            last_bad = d;
        }
        d += step;
    }
    last_bad
}

/// The accuracy a window's polynomial must reach at the sampled f32 points. Its
/// evaluation cannot do much better where `q` is small against its own terms; the
/// margin below `ACCEPTED_ULPS` covers the points between samples (the exhaustive
/// sweep example measures them all).
const WINDOW_ULPS: f64 = 4.0;
/// How many points of the window the final check evaluates.
const VALIDATION_POINTS: usize = 50_000;

/// Fits a window around the root `x0` of `root`, or `None` when the formula is
/// accurate there already or no polynomial passes the checks.
fn window(g: &Graph, order: &[NodeId], root: NodeId, x0: f64) -> Option<RootWindow> {
    let scale = x0.abs().max(1.0);
    let f = |x: f64| eval_ordered(g, order, x, &[])[root.0 as usize];
    let (left, right) = (
        extent(g, order, root, x0, -1.0, scale),
        extent(g, order, root, x0, 1.0, scale),
    );
    if left == 0.0 && right == 0.0 {
        return None;
    }
    if left >= MAX_HALF_WIDTH * scale * 0.99 || right >= MAX_HALF_WIDTH * scale * 0.99 {
        return None;
    }
    // A margin, and at least the absolute-error zone on both sides.
    let low = -(left * 1.1).max(2e-3 * scale);
    let high = (right * 1.1).max(2e-3 * scale);
    let pattern = branch_pattern(g, &[root], x0, &[]);
    if (0..=64).any(|k| {
        let x = x0 + low + (high - low) * k as f64 / 64.0;
        branch_pattern(g, &[root], x, &[]) != pattern
    }) {
        return None;
    }
    let center_hi = f64::from(x0 as f32);
    let center_lo = x0 - center_hi;
    let q = |d: f64| f(x0 + d) / d;
    for n in [8usize, 12, 16, 20, 24, 28] {
        let w = RootWindow {
            center_hi,
            center_lo,
            low,
            high,
            mid: 0.5 * (low + high),
            inv_half: 2.0 / (high - low),
            coeffs: chebyshev_fit(q, low, high, n),
        };
        // A coarse check first, so that failing degrees cost little.
        let passes = |points: usize| {
            (0..=points).all(|k| {
                let xf = (x0 + low + (high - low) * k as f64 / points as f64) as f32;
                if !w.contains_f32(xf) || (f64::from(xf) - x0).abs() < 1e-3 * scale {
                    return true;
                }
                ulps_f32(w.eval_f32(xf), f(f64::from(xf))) <= WINDOW_ULPS
            })
        };
        let ok = passes(2_000) && passes(VALIDATION_POINTS);
        if ok {
            return Some(w);
        }
    }
    None
}

/// The windows for one generated function of a parameterless definition.
pub fn root_windows(g: &Graph, root: NodeId) -> Vec<RootWindow> {
    if !g.param_names.is_empty()
        || g.reachable(&[root])
            .iter()
            .any(|&id| matches!(g.node(id), Node::Call(Func::Sin | Func::Cos, _)))
    {
        // Periodic functions have roots everywhere; parameters move roots.
        return Vec::new();
    }
    let order = g.reachable(&[root]);
    let mut windows: Vec<RootWindow> = Vec::new();
    for x0 in roots(g, &order, root) {
        if let Some(w) = window(g, &order, root, x0) {
            // Overlapping windows would make the select ambiguous; keep the first.
            let (lo, hi) = (w.center_hi + w.low, w.center_hi + w.high);
            let overlaps = windows
                .iter()
                .any(|o| lo < o.center_hi + o.high && o.center_hi + o.low < hi);
            if !overlaps {
                windows.push(w);
            }
        }
    }
    windows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compile_str;

    #[test]
    fn finds_the_root_of_the_mish_derivative() {
        let d = &compile_str("M(x) = x * tanh(softplus(x));").expect("ok")[0];
        let w = root_windows(&d.graph, d.derivative);
        assert_eq!(w.len(), 1, "{w:?}");
        assert!((w[0].center_hi + w[0].center_lo + 1.192_431_214_515_495).abs() < 1e-14);
        assert!(w[0].low < -0.5 && w[0].high > 0.1, "{:?}", w[0]);
        // The forward's only root, 0, is a product with x and needs no window.
        assert!(root_windows(&d.graph, d.forward).is_empty());
    }

    #[test]
    fn chebyshev_fit_reproduces_a_polynomial() {
        let p = |d: f64| 1.0 + 2.0 * d - 0.5 * d * d * d;
        let (a, b) = (-0.9, 0.4);
        let c = chebyshev_fit(p, a, b, 6);
        for k in 0..=10 {
            let d = a + (b - a) * f64::from(k) / 10.0;
            let t = (d - 0.5 * (a + b)) * 2.0 / (b - a);
            assert!((clenshaw(&c, t) - p(d)).abs() < 1e-12);
        }
    }

    #[test]
    fn the_window_makes_the_mish_derivative_accurate_in_f32() {
        let d = &compile_str("M(x) = x * tanh(softplus(x));").expect("ok")[0];
        let w = &root_windows(&d.graph, d.derivative)[0];
        let x0 = w.center_hi + w.center_lo;
        let mut k = 0;
        let mut x = (x0 + w.low) as f32;
        while x < (x0 + w.high) as f32 {
            if w.contains_f32(x) && (f64::from(x) - x0).abs() >= 1e-3 * x0.abs() {
                let want = crate::eval::eval(&d.graph, d.derivative, f64::from(x), &[]);
                let e = ulps_f32(w.eval_f32(x), want);
                // Denser than the fit's own check: held to the level accepted outside windows.
                assert!(e <= ACCEPTED_ULPS, "at {x}: {e} ULP, window {w:?}");
                k += 1;
            }
            x = f32::from_bits(x.to_bits() - 37);
        }
        assert!(k > 1000);
    }

    #[test]
    fn parametric_definitions_are_not_refined() {
        let d = &compile_str("S(x; b = 1) = x * sigmoid(b * x);").expect("ok")[0];
        assert!(root_windows(&d.graph, d.derivative).is_empty());
    }
}
