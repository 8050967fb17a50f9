//! The interpreter: evaluates a DAG in `f64`.
//!
//! It is the engine's reference semantics. Constant folding, the property tests of
//! the differentiator, and the command-line tool all use it, so it favours stable
//! formulas over speed.

use crate::compiled::Math;
use crate::graph::{Func, Graph, Node, NodeId};

/// `tanh(softplus(u)) + v · (sech2(softplus(u)) · sigmoid(u))` in `f64`: the value of
/// the fused sum `compiled::Sum` picks (the runtime's `tanh_softplus_slope`), for the
/// refine pass's model of f32 code and the compiled programs' tests.
pub fn tanh_softplus_slope(u: f64, v: f64) -> f64 {
    let sp = eval_func(Func::Softplus, u);
    sp.tanh() + v * (eval_func(Func::Sech2, sp) * eval_func(Func::Sigmoid, u))
}

/// Evaluates a one-argument function of the language in `f64`.
pub fn eval_func(f: Func, x: f64) -> f64 {
    match f {
        Func::Exp => x.exp(),
        Func::Expm1 => x.exp_m1(),
        Func::Ln => x.ln(),
        Func::Log1p => x.ln_1p(),
        Func::Sqrt => x.sqrt(),
        Func::Tanh => x.tanh(),
        Func::Sech2 => sech2(x),
        Func::Sigmoid => sigmoid(x),
        Func::Softplus => softplus(x),
        Func::Erf => libm::erf(x),
        Func::Erfc => libm::erfc(x),
        Func::Gauss => gauss(x),
        Func::Sin => x.sin(),
        Func::Cos => x.cos(),
        Func::Cos2x => cos2x(x),
        Func::Sin2x1p => sin2x1p(x),
        Func::XcosHalfsin => xcos_halfsin(x),
        Func::Abs => x.abs(),
    }
}

/// `2^-27`: below it `xcos_halfsin(u)` rounds to `u/2` (its `u³` term is below 2^-55 of
/// it), as the runtime takes it; the double-double interpreter does the same.
pub(crate) const XCOS_HALFSIN_LINEAR: f64 = 7.450580596923828e-9;

/// `u·cos(u) - sin(u)/2`, from the double-double interpreter and rounded once: the
/// runtime's form keeps its absolute error far below `EPSILON` at the roots, so the
/// reference may not cancel there either.
pub fn xcos_halfsin(u: f64) -> f64 {
    // Below 2^-27 it rounds to u/2, as the runtime takes it: keeps -0 (which the
    // double-double sum would turn into +0).
    if u.abs() < XCOS_HALFSIN_LINEAR {
        return 0.5 * u;
    }
    crate::dd::eval_func(Func::XcosHalfsin, crate::dd::Dd::from_f64(u)).to_f64()
}

/// Beyond this `|u|` the phase of `2u` is lost anyway; clamping keeps `2u` finite, so
/// `cos2x` and `sin2x1p` stay in range where `sin(u)` and `cos(u)` are, instead of
/// becoming NaN at `u = MAX`.
pub const TRIG2X_CLAMP: f64 = 1.152921504606847e18; // 2^60

/// `cos(2u)`, NaN for infinite `u`.
pub fn cos2x(u: f64) -> f64 {
    if u.is_infinite() {
        return f64::NAN;
    }
    (2.0 * u.clamp(-TRIG2X_CLAMP, TRIG2X_CLAMP)).cos()
}

/// `1 + sin(2u)` from `2u = k·pi/2 + r` (`|r| <= pi/4`): by quadrant `1 + sin r`,
/// `1 + cos r`, `1 - sin r` or `1 - cos r = 2 sin²(r/2)`. Only the last has roots,
/// and there it is a product, so nothing cancels. NaN for infinite `u`.
pub fn sin2x1p(u: f64) -> f64 {
    if u.is_infinite() {
        return f64::NAN;
    }
    let v = 2.0 * u.clamp(-TRIG2X_CLAMP, TRIG2X_CLAMP);
    // fdlibm's three-part pi/2 (33 + 33 + 53 bits): k·P1 is exact for |k| < 2^20 and
    // the remainder is good to about an ULP of itself.
    const P1: f64 = 1.5707963267341256;
    const P2: f64 = 6.077100506303966e-11;
    const P3: f64 = 2.0222662487959506e-21;
    let k = (v / core::f64::consts::FRAC_PI_2).round();
    if k.abs() >= 1048576.0 {
        // Past the reduction's range std's sine reduces exactly; roots this far out
        // are met only by chance.
        return 1.0 + v.sin();
    }
    let r = ((v - k * P1) - k * P2) - k * P3;
    match k.rem_euclid(4.0) as u8 {
        0 => 1.0 + r.sin(),
        1 => 1.0 + r.cos(),
        2 => 1.0 - r.sin(),
        _ => {
            let h = (0.5 * r).sin();
            2.0 * h * h
        }
    }
}

/// `1 / (1 + exp(-x))`, without overflow or cancellation in either tail.
pub fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

/// `exp(-x²)` from the exact square `x·x = h + l`: `exp(-h)·(1 - l)`, where `1 - l` is
/// `exp(-l)` to f64 precision (`|l| <= 2^-53·h`, and the result underflows beyond
/// `h = 746`). `exp(-(x * x))` would lose `x²` times the rounding of the square.
pub fn gauss(x: f64) -> f64 {
    let h = x * x;
    // Where h is infinite the result is 0, and the fused residual would be NaN.
    let l = if h.is_finite() { x.mul_add(x, -h) } else { 0.0 };
    (-h).exp() * (1.0 - l)
}

/// `sech(x)² = 4 e / (1 + e)²` with `e = exp(-2|x|)`: no overflow, no cancellation.
pub fn sech2(x: f64) -> f64 {
    let e = (-2.0 * x.abs()).exp();
    4.0 * e / ((1.0 + e) * (1.0 + e))
}

/// `ln(1 + exp(x))`, without overflow or cancellation in either tail.
pub fn softplus(x: f64) -> f64 {
    x.max(0.0) + (-x.abs()).exp().ln_1p()
}

/// `max` that returns NaN when either side is NaN (`f64::max` would drop it).
pub fn max_nan(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else {
        a.max(b)
    }
}

/// `min` that returns NaN when either side is NaN.
pub fn min_nan(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else {
        a.min(b)
    }
}

/// `mul_err(a, b)` as f64 code computes it: the rounding error of the f64 product,
/// which is what `a * b + mul_err(a, b)` needs to be `a·b` where the interpreter's
/// products are rounded like the runtime's. Its bounds are the runtime's too: 0 where
/// `|a·b| >= 2^1023` or a factor is at least `2^996` (where the runtime's split
/// would overflow), NaN for NaN.
pub fn mul_err(a: f64, b: f64) -> f64 {
    let p = a * b;
    let limit = |e: i32| 2f64.powi(e);
    let big = p.abs() >= limit(1023) || a.abs() >= limit(996) || b.abs() >= limit(996);
    if big && !p.is_nan() {
        0.0
    } else {
        a.mul_add(b, -p)
    }
}

/// The values of every node reachable from `roots`, indexed by id (unreached nodes are
/// NaN). Conditions are stored as 1.0 (true) and 0.0 (false).
pub fn eval_all(g: &Graph, roots: &[NodeId], x: f64, params: &[f64]) -> Vec<f64> {
    eval_ordered(g, &g.reachable(roots), x, params)
}

/// Like [`eval_all`], for a precomputed `order` (from [`Graph::reachable`]), so that
/// evaluating many points does not walk the graph each time.
pub fn eval_ordered(g: &Graph, order: &[NodeId], x: f64, params: &[f64]) -> Vec<f64> {
    let mut v = vec![f64::NAN; g.len()];
    for &id in order {
        let at = |n: NodeId| v[n.0 as usize];
        let truth = |b: bool| if b { 1.0 } else { 0.0 };
        let value = match g.node(id) {
            Node::Const(bits) => f64::from_bits(bits),
            Node::Input => x,
            Node::Param(i) => params.get(i as usize).copied().unwrap_or(f64::NAN),
            Node::Neg(a) => -at(a),
            Node::Add(a, b) => at(a) + at(b),
            Node::Sub(a, b) => at(a) - at(b),
            Node::Mul(a, b) => at(a) * at(b),
            Node::Div(a, b) => at(a) / at(b),
            Node::Call(f, a) => match Math::of_call(g, f, a) {
                // `sech2(exp(u))` as the runtime's fused form computes it: above `u = 1`
                // from `e^u` in double-double, since the rounded `e^u` would carry its
                // error into the result magnified `2e^u` times; below, the composition.
                (Math::Sech2Exp, u) if at(u) > 1.0 => {
                    crate::dd::Dd::from_f64(at(u)).exp().sech2().to_f64()
                }
                _ => eval_func(f, at(a)),
            },
            Node::Max(a, b) => max_nan(at(a), at(b)),
            Node::Min(a, b) => min_nan(at(a), at(b)),
            Node::Pow(a, b) => at(a).powf(at(b)),
            Node::MulErr(a, b) => mul_err(at(a), at(b)),
            Node::Powi(a, n) => at(a).powi(n),
            Node::Cmp(op, a, b) => truth(op.apply(at(a), at(b))),
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
        v[id.0 as usize] = value;
    }
    v
}

/// Evaluates one node at input `x` with these parameter values.
pub fn eval(g: &Graph, root: NodeId, x: f64, params: &[f64]) -> f64 {
    eval_all(g, &[root], x, params)[root.0 as usize]
}

/// Which side of every kink a point lies on: the truth of each comparison, the
/// winner of each `max` and `min`, and the sign of each `abs` argument reachable from
/// `roots`, in id order. Two points with equal patterns lie in the same smooth piece.
pub fn branch_pattern(g: &Graph, roots: &[NodeId], x: f64, params: &[f64]) -> Vec<bool> {
    let values = eval_all(g, roots, x, params);
    let at = |n: NodeId| values[n.0 as usize];
    g.reachable(roots)
        .into_iter()
        .filter_map(|id| match g.node(id) {
            Node::Cmp(..) => Some(at(id) != 0.0),
            Node::Max(a, b) | Node::Min(a, b) => Some(at(a) > at(b)),
            Node::Call(crate::graph::Func::Abs, u) => Some(at(u) > 0.0),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_tails() {
        assert_eq!(sigmoid(-800.0), 0.0);
        assert!(sigmoid(-700.0) > 0.0);
        assert_eq!(sigmoid(800.0), 1.0);
        assert_eq!(softplus(1000.0), 1000.0);
        assert!((softplus(-50.0) - (-50f64).exp()).abs() < 1e-35);
    }

    /// Above 1, `sech2(exp(x))` is evaluated from the unrounded `e^x`, as the
    /// runtime's fused form is; the composition of rounded functions is off by up to
    /// `2e^x` ULPs there.
    #[test]
    fn sech2_of_exp_keeps_its_accuracy() {
        let d = &crate::compile_str("F(x) = sech2(exp(x));").expect("valid")[0];
        let reference = |x: f64| crate::dd::Dd::from_f64(x).exp().sech2().to_f64();
        let rel = |a: f64, b: f64| ((a - b) / b).abs();
        let mut composed_worst: f64 = 0.0;
        // Up to 5.8, where the value is still a normal f64.
        for i in 0..=480 {
            let x = 1.0 + f64::from(i) * 0.01;
            let want = reference(x);
            assert!(
                rel(eval(&d.graph, d.forward, x, &[]), want) < 4.0 * f64::EPSILON,
                "{x}"
            );
            composed_worst = composed_worst.max(rel(sech2(x.exp()), want));
        }
        assert!(composed_worst > 50.0 * f64::EPSILON, "{composed_worst}");
        // Below 1, the composition.
        assert_eq!(eval(&d.graph, d.forward, 0.5, &[]), sech2(0.5f64.exp()));
    }

    #[test]
    fn mul_err_models_f64_code() {
        assert_eq!(mul_err(0.1, 0.3), 0.1f64.mul_add(0.3, -(0.1 * 0.3)));
        assert_ne!(mul_err(0.1, 0.3), 0.0);
        assert_eq!(mul_err(f64::MAX, 2.0), 0.0);
        assert_eq!(mul_err(1e300, 1e-300), 0.0);
        assert_eq!(mul_err(f64::INFINITY, 2.0), 0.0);
        assert!(mul_err(f64::NAN, 2.0).is_nan());
        assert!(mul_err(f64::INFINITY, 0.0).is_nan());
    }

    #[test]
    fn max_and_min_keep_nan() {
        assert!(max_nan(f64::NAN, 1.0).is_nan());
        assert!(max_nan(1.0, f64::NAN).is_nan());
        assert!(min_nan(0.0, f64::NAN).is_nan());
        assert_eq!(max_nan(0.0, 2.0), 2.0);
    }
}
