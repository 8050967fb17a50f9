//! Rescale: keeps `sech2(softplus(u))` out of the subnormal range inside a second
//! derivative made of it.
//!
//! `sech2(softplus(u))` is about `4e^(-2u)`, subnormal in `f64` for `u > 354`. A
//! second derivative whose every term carries it as a factor (mish's:
//! `2·S·σ + x·(S·σ·σ(-u) - 2·S·tanh·σ²)` with `S` that factor) then multiplies
//! `S`'s rounding to a subnormal by the other factors, which are about `2x`: mish's
//! f'' was 21 ULP off at x = 356.9 and 345 subnormal steps off at 360. Such a
//! function `F` is linear in `S`, so `F(S) = F(S·e^88)·e^-88`, and
//! `S(u)·e^88 = S(u - 44)` to a relative `e^-256` for `u > 300`: the pass writes
//! `F(sech2(softplus(u + c)))·k` with `c = -44` and `k = e^-88` where `u > 300`
//! (`c = 0`, `k = 1` elsewhere), so that the one rounding into the subnormal range
//! is the last product's. Only the second derivative is rescaled: in the forward
//! and the first derivative the factor is added to terms near 1 (mish' is
//! `tanh(sp) + x·S·σ`), and there the selects would cost the slice kernels' speed
//! (the same shift written into mish's definition made its f32 forward 19% slower).

use crate::graph::{CmpOp, Func, Graph, Node, NodeId};
use proc_macro2::Span;

/// Where the shifted factor takes over: `sech2(softplus(u))` is `4e^(-2u)`, about
/// `1e-260` here, normal; the shift keeps it normal until `u - 44` reaches 354.
const FROM: f64 = 300.0;
/// The shift of the argument, and `e^(2·SHIFT)` the factor it takes out.
const SHIFT: f64 = 44.0;

/// How a node depends on the factor `S`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Class {
    /// Does not contain `S`.
    Free,
    /// `S` times a function free of `S`.
    Linear,
    /// Anything else.
    Other,
}

/// `root` rescaled when it is linear in a single `sech2(softplus(u))`; else `root`.
pub fn second_derivative(g: &mut Graph, root: NodeId) -> NodeId {
    let order = g.reachable(&[root]);
    let factors: Vec<(NodeId, NodeId)> = order
        .iter()
        .filter_map(|&id| softplus_arg(g, id).map(|u| (id, u)))
        .collect();
    let [(s, u)] = factors[..] else {
        return root;
    };
    let mut class = vec![Class::Free; g.len()];
    for &id in &order {
        class[id.0 as usize] = classify(g, id, s, &class);
    }
    if class[root.0 as usize] != Class::Linear {
        return root;
    }
    let span = g.span(root);
    let from = g.constant(FROM, span);
    let far = g.cmp(CmpOp::Gt, u, from, span);
    let (shift, zero) = (g.constant(-SHIFT, span), g.constant(0.0, span));
    let c = g.select(far, shift, zero, span);
    let v = g.add(u, c, span);
    let sp = g.call(Func::Softplus, v, span);
    let shifted = g.call(Func::Sech2, sp, span);
    let mut rebuilt: Vec<Option<NodeId>> = vec![None; g.len()];
    rebuilt[s.0 as usize] = Some(shifted);
    for &id in &order {
        if class[id.0 as usize] == Class::Linear && id != s {
            let new = rebuild(g, id, &rebuilt);
            rebuilt[id.0 as usize] = Some(new);
        }
    }
    let Some(scaled) = rebuilt[root.0 as usize] else {
        return root;
    };
    let (tiny, one) = (
        g.constant((-2.0 * SHIFT).exp(), span),
        g.constant(1.0, span),
    );
    let k = g.select(far, tiny, one, span);
    g.mul(scaled, k, span)
}

/// `u` when `id` is `sech2(softplus(u))`.
fn softplus_arg(g: &Graph, id: NodeId) -> Option<NodeId> {
    match g.node(id) {
        Node::Call(Func::Sech2, sp) => match g.node(sp) {
            Node::Call(Func::Softplus, u) => Some(u),
            _ => None,
        },
        _ => None,
    }
}

/// The class of `id`, its children's known (ids are in topological order).
fn classify(g: &Graph, id: NodeId, s: NodeId, class: &[Class]) -> Class {
    use Class::{Free, Linear, Other};
    if id == s {
        return Linear;
    }
    let of = |n: NodeId| class[n.0 as usize];
    let zero = |n: NodeId| g.as_const(n) == Some(0.0);
    // A 0 is linear in S too (0 = S·0): `if c { S·a } else { 0 }` stays linear.
    let linear = |n: NodeId| of(n) == Linear || zero(n);
    let node = g.node(id);
    if node.children().iter().all(|&c| of(c) == Free) {
        return Free;
    }
    match node {
        Node::Neg(a) => of(a),
        Node::Add(a, b) | Node::Sub(a, b) if linear(a) && linear(b) => Linear,
        Node::Mul(a, b) if (of(a), of(b)) == (Linear, Free) || (of(a), of(b)) == (Free, Linear) => {
            Linear
        }
        Node::Div(a, b) if of(a) == Linear && of(b) == Free => Linear,
        Node::Select(c, a, b) if of(c) == Free && linear(a) && linear(b) => Linear,
        _ => Other,
    }
}

/// `id` with its linear children replaced by their rebuilt forms, through the
/// simplifying constructors.
fn rebuild(g: &mut Graph, id: NodeId, rebuilt: &[Option<NodeId>]) -> NodeId {
    let new = |n: NodeId| rebuilt[n.0 as usize].unwrap_or(n);
    let span: Span = g.span(id);
    match g.node(id) {
        Node::Neg(a) => g.neg(new(a), span),
        Node::Add(a, b) => g.add(new(a), new(b), span),
        Node::Sub(a, b) => g.sub(new(a), new(b), span),
        Node::Mul(a, b) => g.mul(new(a), new(b), span),
        Node::Div(a, b) => g.div(new(a), new(b), span),
        Node::Select(c, a, b) => g.select(c, new(a), new(b), span),
        // `classify` calls nothing else linear.
        _ => id,
    }
}

#[cfg(test)]
mod tests {
    use crate::eval::eval;
    use crate::graph::Node;

    /// mish's f'' at `x`, from the engine, in f64 as `eval` computes it.
    fn mish_second(x: f64) -> f64 {
        let d = &crate::compile_str("Mish(x) = x * tanh(softplus(x));").expect("compiles")[0];
        eval(&d.graph, d.second_derivative, x, &[])
    }

    #[test]
    fn mish_second_derivative_is_rescaled() {
        let d = &crate::compile_str("Mish(x) = x * tanh(softplus(x));").expect("compiles")[0];
        // The root is the product with the select of e^-88 and 1.
        assert!(matches!(d.graph.node(d.second_derivative), Node::Mul(..)));
        let text = crate::print::to_dsl(&d.graph, d.second_derivative);
        assert!(text.contains("x > 300"), "{text}");
    }

    #[test]
    fn values_do_not_change_below_the_tail() {
        // Against the formula written out (no rescaling there): sech2(sp) = s,
        // f'' = 2·s·σ + x·(s·σ·(1 - σ) - 2·s·tanh(sp)·σ²).
        for x in [-3.0f64, -1.0, 0.5, 2.0, 10.0, 50.0, 299.0] {
            let e = x.exp();
            let sp = e.ln_1p();
            let (t, sig) = (sp.tanh(), 1.0 / (1.0 + (-x).exp()));
            let s = 1.0 - t * t;
            let want = 2.0 * s * sig + x * (s * sig * (1.0 - sig) - 2.0 * s * t * sig * sig);
            let got = mish_second(x);
            let err = (got - want).abs() / want.abs().max(1e-300);
            // `1 - t²` cancels for large x: only compare where it holds 6 digits.
            if x < 10.0 {
                assert!(err < 1e-9, "x = {x}: {got} against {want}");
            }
        }
    }

    #[test]
    fn the_tail_keeps_its_digits() {
        // f''(x) = 4e^(-2x)·(2 - 2x) to a relative e^-x for large x, computed here
        // with one rounding into the subnormal range (e^(700 - 2x) is normal). From
        // x = 360 on, the value is subnormal; without the rescaling its error was 345
        // subnormal steps at 360 (3e-12 relative) and 7e-8 relative at 365. The
        // interpreter's sech2(softplus(u)) itself is good to about 1e-13 (the
        // rounding of softplus(u), doubled), which sets the tolerance.
        for x in [320.0f64, 340.0, 360.0, 365.0, 370.0] {
            let want = (-(2.0 * x - 2.0) * 4.0 * (700.0 - 2.0 * x).exp()) * (-700.0f64).exp();
            let got = mish_second(x);
            let err = (got - want).abs() / want.abs();
            assert!(err < 1e-12, "x = {x}: {got:e} against {want:e}, {err:e}");
        }
    }
}
