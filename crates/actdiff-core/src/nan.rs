//! NaN analysis: which results already carry a NaN input through to their value.
//!
//! The language promises that a NaN input or parameter gives NaN from every generated
//! function. Arithmetic carries NaN by itself; a select does not (`NaN > 0` is false,
//! so `if x > 0 { 1 } else { 0 }` would give 0). The emitter asks this analysis which
//! variables a result does not carry and adds a guard only for those, so ReLU's
//! forward pays nothing and its derivative pays one compare and blend.

use crate::graph::{Graph, Node, NodeId};

/// Whether a NaN in `var` (an `Input` or `Param` node) certainly makes `root` NaN.
pub fn carries_nan(g: &Graph, root: NodeId, var: Node) -> bool {
    let order = g.reachable(&[root]);
    let mut carries = vec![false; g.len()];
    for id in order {
        let c = |n: NodeId| carries[n.0 as usize];
        let node = g.node(id);
        let value = match node {
            Node::Input | Node::Param(_) => node == var,
            Node::Const(_) | Node::Bool(_) => false,
            Node::Neg(a) | Node::Call(_, a) => c(a),
            Node::Powi(a, n) => n != 0 && c(a),
            Node::Add(a, b)
            | Node::Sub(a, b)
            | Node::Mul(a, b)
            | Node::Div(a, b)
            | Node::Max(a, b)
            | Node::Min(a, b)
            | Node::MulErr(a, b) => c(a) || c(b),
            // pow(1, NaN) and pow(NaN, 0) are 1 in IEEE 754: guard instead of relying on it.
            Node::Pow(..) => false,
            Node::Select(_, a, b) => c(a) && c(b),
            Node::Cmp(..) | Node::And(..) | Node::Or(..) => false,
        };
        carries[id.0 as usize] = value;
    }
    carries[root.0 as usize]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compile_str;

    #[test]
    fn selects_and_constants_need_guards() {
        let d = &compile_str("F(x; a = 0.1) = if x > 0 { x } else { a * x };").expect("ok")[0];
        assert!(carries_nan(&d.graph, d.forward, Node::Input));
        assert!(!carries_nan(&d.graph, d.forward, Node::Param(0)));
        assert!(!carries_nan(&d.graph, d.derivative, Node::Input));
        let m = &compile_str("M(x) = x * tanh(softplus(x));").expect("ok")[0];
        assert!(carries_nan(&m.graph, m.forward, Node::Input));
        assert!(carries_nan(&m.graph, m.derivative, Node::Input));
    }
}
