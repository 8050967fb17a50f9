//! Symbolic differentiation on the DAG.
//!
//! A derivative is `Option<NodeId>`, where `None` is a structural zero: the node does
//! not depend on the variable. Tracking zeros this way, instead of building `0 * u`,
//! keeps the derivative small and keeps it finite where `u` is infinite.
//!
//! Rules are chosen for stability: `softplus' = sigmoid`, `sigmoid' = sigmoid(u) ·
//! sigmoid(-u)` (and `(σ(u)·σ(-u))' = σ(u)·σ(-u)·tanh(-u/2)·u'`, without the cancelling
//! `σ(-u) - σ(u)`), `tanh' = sech2(u)` (not `1 - tanh(u)²`, which cancels), `ln' = u'/u`,
//! `erf' = (2/√π)·gauss(u)` (not `exp(-u²)`, whose rounded square the exponential
//! magnifies `u²` times), `gauss' = -2u·gauss(u)`.
//!
//! Kinks: `if c { a } else { b }` differentiates to `if c { a' } else { b' }`, so the
//! author picks the value at the kink by writing `>` or `>=`. `max`, `min` and `abs`
//! follow one tie rule: where both sides are equal, the derivative is the one of
//! smaller magnitude (0 when one side does not depend on the variable). So
//! `max(0, x)`, `min(x, 6)`, `clamp(x, lo, hi)` and `abs(x)` have derivative 0 at
//! their kinks, as PyTorch's relu, relu6, hardtanh and abs do.

use crate::graph::{CmpOp, Func, Graph, Node, NodeId};
use std::collections::HashMap;

/// `2 / sqrt(pi)`, the factor in `erf'`.
const TWO_OVER_SQRT_PI: f64 = std::f64::consts::FRAC_2_SQRT_PI;

/// Differentiates `root` with respect to `var` (an `Input` or `Param` node).
/// Returns `None` when the result is identically zero.
pub fn differentiate(g: &mut Graph, root: NodeId, var: NodeId) -> Option<NodeId> {
    let mut memo: HashMap<NodeId, Option<NodeId>> = HashMap::new();
    // Children have smaller ids than parents, so visiting reachable ids in order
    // differentiates every child before its parents, with no recursion to overflow.
    for id in g.reachable(&[root]) {
        let d = derivative_of(g, id, var, &memo);
        memo.insert(id, d);
    }
    memo[&root]
}

/// Like [`differentiate`], but an identically zero derivative becomes the constant 0.
pub fn differentiate_node(g: &mut Graph, root: NodeId, var: NodeId) -> NodeId {
    let span = g.span(root);
    differentiate(g, root, var).unwrap_or_else(|| g.constant(0.0, span))
}

fn derivative_of(
    g: &mut Graph,
    id: NodeId,
    var: NodeId,
    memo: &HashMap<NodeId, Option<NodeId>>,
) -> Option<NodeId> {
    let s = g.span(id);
    let d = |n: NodeId| memo[&n];
    match g.node(id) {
        Node::Input | Node::Param(_) => (id == var).then(|| g.constant(1.0, s)),
        Node::Const(_) | Node::Bool(_) | Node::Cmp(..) | Node::And(..) | Node::Or(..) => None,
        Node::Neg(a) => d(a).map(|da| g.neg(da, s)),
        Node::Add(a, b) => match (d(a), d(b)) {
            (Some(da), Some(db)) => Some(g.add(da, db, s)),
            (da, db) => da.or(db),
        },
        Node::Sub(a, b) => match (d(a), d(b)) {
            (Some(da), Some(db)) => Some(g.sub(da, db, s)),
            (Some(da), None) => Some(da),
            (None, Some(db)) => Some(g.neg(db, s)),
            (None, None) => None,
        },
        Node::Mul(a, b) => {
            if let Some(u) = sigmoid_pair(g, a, b, s) {
                // (σ(u)·σ(-u))' = σ(u)·σ(-u)·(σ(-u) - σ(u))·u', and σ(-u) - σ(u) is
                // tanh(-u/2): the difference would cancel near u = 0, where the second
                // derivative of every sigmoid-based activation has its root.
                let du = d(u)?;
                let minus_half = g.constant(-0.5, s);
                let hu = g.mul(minus_half, u, s);
                let t = g.call(Func::Tanh, hu, s);
                let it = g.mul(id, t, s);
                return Some(g.mul(it, du, s));
            }
            let left = d(a).map(|da| g.mul(da, b, s));
            let right = d(b).map(|db| g.mul(a, db, s));
            add_opt(g, left, right, s)
        }
        Node::Div(a, b) => match (d(a), d(b)) {
            (None, None) => None,
            (Some(da), None) => Some(g.div(da, b, s)),
            // (a/b)' = (a' - (a/b)·b') / b reuses the quotient already computed.
            (da, Some(db)) => {
                let q_db = g.mul(id, db, s);
                let num = match da {
                    Some(da) => g.sub(da, q_db, s),
                    None => g.neg(q_db, s),
                };
                Some(g.div(num, b, s))
            }
        },
        Node::Call(f, u) => {
            let du = d(u)?;
            Some(call_derivative(g, id, f, u, du))
        }
        Node::Max(a, b) => Some(tie_derivative(g, CmpOp::Gt, a, b, d(a), d(b))?),
        Node::Min(a, b) => Some(tie_derivative(g, CmpOp::Lt, a, b, d(a), d(b))?),
        Node::Pow(a, b) => match (d(a), d(b)) {
            (None, None) => None,
            (Some(da), None) => {
                let one = g.constant(1.0, s);
                let bm1 = g.sub(b, one, s);
                let p = g.pow(a, bm1, s);
                let bp = g.mul(b, p, s);
                Some(g.mul(bp, da, s))
            }
            (da, Some(db)) => {
                let ln_a = g.call(Func::Ln, a, s);
                let t1 = g.mul(db, ln_a, s);
                let inner = match da {
                    Some(da) => {
                        let bda = g.mul(b, da, s);
                        let t2 = g.div(bda, a, s);
                        g.add(t1, t2, s)
                    }
                    None => t1,
                };
                Some(g.mul(id, inner, s))
            }
        },
        // Identically 0 as a real function: whatever its arguments, no derivative.
        Node::MulErr(..) => None,
        Node::Powi(a, n) => {
            let da = d(a)?;
            let p = g.powi(a, n - 1, s);
            let c = g.constant(f64::from(n), s);
            let cp = g.mul(c, p, s);
            Some(g.mul(cp, da, s))
        }
        Node::Select(c, a, b) => match (d(a), d(b)) {
            (None, None) => None,
            (da, db) => {
                let da = da.unwrap_or_else(|| g.constant(0.0, s));
                let db = db.unwrap_or_else(|| g.constant(0.0, s));
                Some(g.select(c, da, db, s))
            }
        },
    }
}

/// `Some(u)` when `a · b` is `σ(u) · σ(-u)` in either order (the derivative of `σ(u)`).
fn sigmoid_pair(g: &mut Graph, a: NodeId, b: NodeId, s: proc_macro2::Span) -> Option<NodeId> {
    let (Node::Call(Func::Sigmoid, ua), Node::Call(Func::Sigmoid, ub)) = (g.node(a), g.node(b))
    else {
        return None;
    };
    if g.neg(ua, s) == ub {
        Some(ua)
    } else if g.neg(ub, s) == ua {
        Some(ub)
    } else {
        None
    }
}

fn add_opt(
    g: &mut Graph,
    a: Option<NodeId>,
    b: Option<NodeId>,
    s: proc_macro2::Span,
) -> Option<NodeId> {
    match (a, b) {
        (Some(a), Some(b)) => Some(g.add(a, b, s)),
        (a, b) => a.or(b),
    }
}

/// `f'(u) · du`, for the node `id = f(u)`.
fn call_derivative(g: &mut Graph, id: NodeId, f: Func, u: NodeId, du: NodeId) -> NodeId {
    let s = g.span(id);
    let factor = match f {
        Func::Exp => id,
        Func::Expm1 => g.call(Func::Exp, u, s),
        Func::Ln => return g.div(du, u, s),
        Func::Log1p => {
            let one = g.constant(1.0, s);
            let den = g.add(one, u, s);
            return g.div(du, den, s);
        }
        Func::Sqrt => {
            let two = g.constant(2.0, s);
            let den = g.mul(two, id, s);
            return g.div(du, den, s);
        }
        Func::Tanh => g.call(Func::Sech2, u, s),
        // sech2' = -2 sech2(u) tanh(u)
        Func::Sech2 => {
            let t = g.call(Func::Tanh, u, s);
            let m2 = g.constant(-2.0, s);
            let st = g.mul(id, t, s);
            g.mul(m2, st, s)
        }
        Func::Sigmoid => {
            let nu = g.neg(u, s);
            let other = g.call(Func::Sigmoid, nu, s);
            g.mul(id, other, s)
        }
        Func::Softplus => g.call(Func::Sigmoid, u, s),
        // gauss(u), not exp(-u²): the square's rounding, magnified u² times by the
        // exponential, would cost hundreds of ULP in the tails (gelu').
        Func::Erf | Func::Erfc => {
            let sign = if f == Func::Erf { 1.0 } else { -1.0 };
            let c = g.constant(sign * TWO_OVER_SQRT_PI, s);
            let e = g.call(Func::Gauss, u, s);
            g.mul(c, e, s)
        }
        // gauss' = -2u·gauss(u)
        Func::Gauss => {
            let m2 = g.constant(-2.0, s);
            let m2u = g.mul(m2, u, s);
            g.mul(m2u, id, s)
        }
        Func::Sin => g.call(Func::Cos, u, s),
        Func::Cos => {
            let sin = g.call(Func::Sin, u, s);
            g.neg(sin, s)
        }
        // cos2x' = -2 sin(2u) = -4 sin(u) cos(u): a product, which neither cancels
        // nor overflows.
        Func::Cos2x => {
            let sin = g.call(Func::Sin, u, s);
            let cos = g.call(Func::Cos, u, s);
            let m4 = g.constant(-4.0, s);
            let m4s = g.mul(m4, sin, s);
            g.mul(m4s, cos, s)
        }
        // sin2x1p' = 2 cos(2u)
        Func::Sin2x1p => {
            let two = g.constant(2.0, s);
            let c = g.call(Func::Cos2x, u, s);
            g.mul(two, c, s)
        }
        // xcos_halfsin' = cos(u)/2 - u·sin(u)
        Func::XcosHalfsin => {
            let half = g.constant(0.5, s);
            let cos = g.call(Func::Cos, u, s);
            let hc = g.mul(half, cos, s);
            let sin = g.call(Func::Sin, u, s);
            let us = g.mul(u, sin, s);
            g.sub(hc, us, s)
        }
        Func::Abs => {
            // sign(u) · du with sign(0) = 0, written as selects.
            let zero = g.constant(0.0, s);
            let pos = g.cmp(CmpOp::Gt, u, zero, s);
            let neg = g.cmp(CmpOp::Lt, u, zero, s);
            let ndu = g.neg(du, s);
            let inner = g.select(neg, ndu, zero, s);
            return g.select(pos, du, inner, s);
        }
    };
    g.mul(factor, du, s)
}

/// Derivative of `max(a, b)` (`op` = `>`) or `min(a, b)` (`op` = `<`) under the tie
/// rule in the module docs.
fn tie_derivative(
    g: &mut Graph,
    op: CmpOp,
    a: NodeId,
    b: NodeId,
    da: Option<NodeId>,
    db: Option<NodeId>,
) -> Option<NodeId> {
    let s = g.span(a);
    let zero = g.constant(0.0, s);
    match (da, db) {
        (None, None) => None,
        (Some(da), None) => {
            let wins = g.cmp(op, a, b, s);
            Some(g.select(wins, da, zero, s))
        }
        (None, Some(db)) => {
            let wins = g.cmp(op, b, a, s);
            Some(g.select(wins, db, zero, s))
        }
        (Some(da), Some(db)) => {
            let a_wins = g.cmp(op, a, b, s);
            let b_wins = g.cmp(op, b, a, s);
            let abs_da = g.call(Func::Abs, da, s);
            let abs_db = g.call(Func::Abs, db, s);
            let smaller = g.cmp(CmpOp::Le, abs_da, abs_db, s);
            let tie = g.select(smaller, da, db, s);
            let otherwise = g.select(b_wins, db, tie, s);
            Some(g.select(a_wins, da, otherwise, s))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::eval;
    use proc_macro2::Span;

    fn graph_x() -> (Graph, NodeId, Span) {
        let mut g = Graph::new("x", vec!["alpha".into()]);
        let s = Span::call_site();
        let x = g.input(s);
        (g, x, s)
    }

    #[test]
    fn relu_derivative_is_zero_at_the_kink() {
        let (mut g, x, s) = graph_x();
        let zero = g.constant(0.0, s);
        let relu = g.max(zero, x, s);
        let d = differentiate_node(&mut g, relu, x);
        assert_eq!(eval(&g, d, 0.0, &[]), 0.0);
        assert_eq!(eval(&g, d, 1e-300, &[]), 1.0);
        assert_eq!(eval(&g, d, -1.0, &[]), 0.0);
        // The same with the arguments swapped.
        let relu2 = g.max(x, zero, s);
        let d2 = differentiate_node(&mut g, relu2, x);
        assert_eq!(eval(&g, d2, 0.0, &[]), 0.0);
    }

    #[test]
    fn mul_err_is_a_constant_to_differentiation() {
        let d = &crate::compile_str("F(x; b = 1.5) = sigmoid(b * x + mul_err(b, x));")
            .expect("compiles")[0];
        let g = &d.graph;
        let print = |root| crate::print::to_dsl(g, root);
        // The correction stays in every derived formula's sigmoid, with no term of its own.
        for root in [d.derivative, d.param_derivatives[0]] {
            let text = print(root);
            assert!(text.contains("b * x + mul_err(b, x)"), "{text}");
            assert_eq!(text.matches("mul_err").count(), 1, "{text}");
        }
        let (mut g, x, s) = graph_x();
        let e = g.mul_err(x, x, s);
        assert_eq!(differentiate(&mut g, e, x), None);
    }

    #[test]
    fn abs_derivative_is_zero_at_zero() {
        let (mut g, x, s) = graph_x();
        let a = g.call(Func::Abs, x, s);
        let d = differentiate_node(&mut g, a, x);
        assert_eq!(eval(&g, d, 0.0, &[]), 0.0);
        assert_eq!(eval(&g, d, -2.0, &[]), -1.0);
    }

    #[test]
    fn constant_derivative_is_structural_zero() {
        let (mut g, x, s) = graph_x();
        let alpha = g.param(0, s);
        let e = g.call(Func::Exp, alpha, s);
        assert_eq!(differentiate(&mut g, e, x), None);
    }

    #[test]
    fn parameter_derivative_of_prelu() {
        let (mut g, x, s) = graph_x();
        let alpha = g.param(0, s);
        let zero = g.constant(0.0, s);
        let c = g.cmp(CmpOp::Gt, x, zero, s);
        let ax = g.mul(alpha, x, s);
        let f = g.select(c, x, ax, s);
        let da = differentiate_node(&mut g, f, alpha);
        assert_eq!(eval(&g, da, 2.0, &[0.25]), 0.0);
        assert_eq!(eval(&g, da, -2.0, &[0.25]), -2.0);
        let dx = differentiate_node(&mut g, f, x);
        assert_eq!(eval(&g, dx, 0.0, &[0.25]), 0.25);
    }

    #[test]
    fn derivative_of_a_tower_stays_small() {
        let (mut g, x, s) = graph_x();
        let mut t = x;
        for _ in 0..50 {
            t = g.call(Func::Tanh, t, s);
        }
        let before = g.len();
        let d = differentiate_node(&mut g, t, x);
        let nodes = g.reachable(&[d]).len();
        assert!(nodes < 12 * before, "{nodes} nodes for a tower of {before}");
    }

    #[test]
    fn mish_derivative_matches_closed_form() {
        let (mut g, x, s) = graph_x();
        let sp = g.call(Func::Softplus, x, s);
        let t = g.call(Func::Tanh, sp, s);
        let f = g.mul(x, t, s);
        let d = differentiate_node(&mut g, f, x);
        for &v in &[-3.0f64, -0.5, 0.0, 0.7, 4.0] {
            let spv = crate::eval::softplus(v);
            let want = spv.tanh() + v * crate::eval::sigmoid(v) * (1.0 - spv.tanh().powi(2));
            let got = eval(&g, d, v, &[]);
            assert!((got - want).abs() < 1e-14, "{v}: {got} vs {want}");
        }
    }

    #[test]
    fn erf_derivatives_are_gaussians() {
        let (mut g, x, s) = graph_x();
        let half = g.constant(0.5, s);
        let u = g.mul(half, x, s);
        let gauss = g.call(Func::Gauss, u, s);
        for (f, sign) in [(Func::Erf, 1.0), (Func::Erfc, -1.0)] {
            let e = g.call(f, u, s);
            let d = differentiate_node(&mut g, e, x);
            let nodes = g.reachable(&[d]);
            assert!(nodes.contains(&gauss), "{f:?}");
            assert!(
                !nodes
                    .iter()
                    .any(|&n| matches!(g.node(n), Node::Call(Func::Exp, _))),
                "{f:?}"
            );
            let v = eval(&g, d, 3.0, &[]);
            let want = sign * TWO_OVER_SQRT_PI * 0.5 * (-2.25f64).exp();
            assert!(
                (v - want).abs() <= 1e-15 * want.abs(),
                "{f:?}: {v} vs {want}"
            );
        }
        // gauss(u)' = -2u·gauss(u)·u' and gauss(u)'' = (4u² - 2)·gauss(u)·u'², against
        // the closed forms, out to x = 50 (u = 25), where exp(-(u * u)) is 200 ULP off.
        let d1 = differentiate_node(&mut g, gauss, x);
        let d2 = differentiate_node(&mut g, d1, x);
        for &v in &[-50.0f64, -7.3, -1.0, 0.0, 0.3, 2.0, 49.9] {
            let u = 0.5 * v;
            let gv = crate::eval::gauss(u);
            let want1 = -u * gv;
            let want2 = (u * u - 0.5) * gv;
            let got1 = eval(&g, d1, v, &[]);
            let got2 = eval(&g, d2, v, &[]);
            assert!(
                (got1 - want1).abs() <= 4e-16 * want1.abs(),
                "{v}: {got1} vs {want1}"
            );
            assert!(
                (got2 - want2).abs() <= 1e-15 * want2.abs(),
                "{v}: {got2} vs {want2}"
            );
        }
    }

    #[test]
    fn sigmoid_second_derivative_keeps_relative_accuracy_at_its_root() {
        // σ''(x) = σ(x)σ(-x)·tanh(-x/2), about -x/8 near 0. The product rule's form
        // σσ(-x)·σ(-x) - σ(x)·σσ(-x) leaves only the rounding of its two terms there:
        // at x = 1e-10 it is off by about 1e6 relative.
        for scale in [1.0, -2.5] {
            let (mut g, x, s) = graph_x();
            let c = g.constant(scale, s);
            let u = g.mul(c, x, s);
            let f = g.call(Func::Sigmoid, u, s);
            let d1 = differentiate_node(&mut g, f, x);
            let d2 = differentiate_node(&mut g, d1, x);
            for &v in &[1e-10f64, -3e-7, 0.01, 2.0, -30.0] {
                let u = scale * v;
                let sg = crate::eval::sigmoid(u) * crate::eval::sigmoid(-u);
                let want = -scale * scale * sg * (u / 2.0).tanh();
                let got = eval(&g, d2, v, &[]);
                assert!(
                    ((got - want) / want).abs() < 1e-14,
                    "{scale}·{v}: {got} vs {want}"
                );
            }
        }
    }
}
