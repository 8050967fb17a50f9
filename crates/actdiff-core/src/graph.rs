//! The hash-consed expression DAG.
//!
//! Every distinct subexpression is stored once, so the derivative of a composition
//! shares the forward's work and stays small. Nodes are only created through the
//! smart constructors on [`Graph`], which apply local simplifications that never
//! change a finite result and keep NaN propagation (see [`crate::simplify`]).

use proc_macro2::Span;
use std::collections::HashMap;

/// Index of a node in a [`Graph`]. Children always have smaller ids than parents,
/// so id order is a topological order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub u32);

/// A one-argument function of the language, in DSL form `name(u)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Func {
    /// `exp(u)`
    Exp,
    /// `expm1(u)`: `exp(u) - 1` without cancellation near 0.
    Expm1,
    /// `ln(u)`: the natural logarithm.
    Ln,
    /// `log1p(u)`: `ln(1 + u)` without cancellation near 0.
    Log1p,
    /// `sqrt(u)`
    Sqrt,
    /// `tanh(u)`
    Tanh,
    /// `sech2(u)`: `sech(u)² = 1 - tanh(u)²`, computed without cancelling where
    /// `tanh(u)` rounds to ±1. It is `tanh'`.
    Sech2,
    /// `sigmoid(u)`: `1 / (1 + exp(-u))`.
    Sigmoid,
    /// `softplus(u)`: `ln(1 + exp(u))`.
    Softplus,
    /// `erf(u)`
    Erf,
    /// `erfc(u)`: `1 - erf(u)` without cancellation.
    Erfc,
    /// `gauss(u)`: the Gaussian `exp(-u²)`, with `u²` taken exactly, so that it keeps
    /// its relative accuracy for large `|u|`. It is in `erf'` and `erfc'`.
    Gauss,
    /// `sin(u)`
    Sin,
    /// `cos(u)`
    Cos,
    /// `cos2x(u)`: `cos(2u)`, from `u`'s own reduction, so that `2u` cannot overflow
    /// (the double-angle form of `cos(u)² - sin(u)²`, which cancels near its roots).
    Cos2x,
    /// `sin2x1p(u)`: `1 + sin(2u)`, without cancelling near its double roots (where
    /// `sin(2u) = -1`): `1 + 2·sin(u)·cos(u)` becomes it.
    Sin2x1p,
    /// `xcos_halfsin(u)`: `u·cos(u) - sin(u)/2`, accurate near its roots (`tan u = 2u`),
    /// where the difference cancels. Snake's gradient in its parameter,
    /// `2·sin(u)·cos(u)·x - sin(u)²/alpha` with `u = alpha·x`, is rewritten to it.
    XcosHalfsin,
    /// `abs(u)`
    Abs,
}

impl Func {
    /// Every one-argument function, for name lookup.
    pub const ALL: [Func; 18] = [
        Func::Exp,
        Func::Expm1,
        Func::Ln,
        Func::Log1p,
        Func::Sqrt,
        Func::Tanh,
        Func::Sech2,
        Func::Sigmoid,
        Func::Softplus,
        Func::Erf,
        Func::Erfc,
        Func::Gauss,
        Func::Sin,
        Func::Cos,
        Func::Cos2x,
        Func::Sin2x1p,
        Func::XcosHalfsin,
        Func::Abs,
    ];

    /// Whether the function is periodic (or a periodic function's fused form), so
    /// that it oscillates without end as its argument grows.
    pub fn is_periodic(self) -> bool {
        matches!(
            self,
            Func::Sin | Func::Cos | Func::Cos2x | Func::Sin2x1p | Func::XcosHalfsin
        )
    }

    /// The name used in the DSL and as the `Real` method.
    pub fn name(self) -> &'static str {
        match self {
            Func::Exp => "exp",
            Func::Expm1 => "expm1",
            Func::Ln => "ln",
            Func::Log1p => "log1p",
            Func::Sqrt => "sqrt",
            Func::Tanh => "tanh",
            Func::Sech2 => "sech2",
            Func::Sigmoid => "sigmoid",
            Func::Softplus => "softplus",
            Func::Erf => "erf",
            Func::Erfc => "erfc",
            Func::Gauss => "gauss",
            Func::Sin => "sin",
            Func::Cos => "cos",
            Func::Cos2x => "cos2x",
            Func::Sin2x1p => "sin2x1p",
            Func::XcosHalfsin => "xcos_halfsin",
            Func::Abs => "abs",
        }
    }

    /// Looks a function up by its DSL name.
    pub fn from_name(name: &str) -> Option<Func> {
        Func::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// A function whose value is kept unrounded into the product that follows it (see
/// [`Graph::fused_product`]): its results are subnormal far out in its tail.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Fused {
    /// `gauss(u) * v`: `Real::gauss_mul`.
    Gauss,
    /// `erfc(u) * v`: `Real::erfc_mul`.
    Erfc,
}

impl Fused {
    /// The fused form of `f`, if it has one.
    pub fn of(f: Func) -> Option<Fused> {
        match f {
            Func::Gauss => Some(Fused::Gauss),
            Func::Erfc => Some(Fused::Erfc),
            _ => None,
        }
    }

    /// The function whose value is fused.
    pub fn func(self) -> Func {
        match self {
            Fused::Gauss => Func::Gauss,
            Fused::Erfc => Func::Erfc,
        }
    }

    /// The `Real` method that computes the fused product.
    pub fn method(self) -> &'static str {
        match self {
            Fused::Gauss => "gauss_mul",
            Fused::Erfc => "erfc_mul",
        }
    }
}

/// A comparison operator, in DSL form `a < b`, `a <= b`, `a > b`, `a >= b`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CmpOp {
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl CmpOp {
    /// The operator as written in Rust and in the DSL.
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }

    /// Applies the comparison; false whenever either side is NaN, as in IEEE 754.
    pub fn apply(self, a: f64, b: f64) -> bool {
        match self {
            CmpOp::Lt => a < b,
            CmpOp::Le => a <= b,
            CmpOp::Gt => a > b,
            CmpOp::Ge => a >= b,
        }
    }
}

/// One node of the DAG. Numeric nodes hold numbers; `Cmp`, `And`, `Or` and `Bool`
/// hold conditions, which only `Select` consumes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Node {
    /// A number literal, stored as `f64` bits so that nodes hash exactly.
    Const(u64),
    /// The activation's input, `x` in `Relu(x)`.
    Input,
    /// The parameter at this index of the definition's parameter list.
    Param(u16),
    /// `-a`
    Neg(NodeId),
    /// `a + b`
    Add(NodeId, NodeId),
    /// `a - b`
    Sub(NodeId, NodeId),
    /// `a * b`
    Mul(NodeId, NodeId),
    /// `a / b`
    Div(NodeId, NodeId),
    /// `name(u)`
    Call(Func, NodeId),
    /// `max(a, b)`: NaN if either side is NaN.
    Max(NodeId, NodeId),
    /// `min(a, b)`: NaN if either side is NaN.
    Min(NodeId, NodeId),
    /// `pow(a, b)`
    Pow(NodeId, NodeId),
    /// `powi(a, n)` with an integer literal `n`.
    Powi(NodeId, i32),
    /// `mul_err(a, b)`: the rounding error of the product, `a·b - fl(a·b)`, in the
    /// precision the code runs in. It is 0 as a real function (so its derivative is
    /// 0), and exists so that a formula can carry a product's rounding into a steep
    /// function to first order, as `sigmoid(u + mul_err(beta, x))` with `u = beta * x`.
    MulErr(NodeId, NodeId),
    /// `a < b` and the other comparisons.
    Cmp(CmpOp, NodeId, NodeId),
    /// `c && d`
    And(NodeId, NodeId),
    /// `c || d`
    Or(NodeId, NodeId),
    /// A condition known at compile time.
    Bool(bool),
    /// `if c { a } else { b }`
    Select(NodeId, NodeId, NodeId),
}

impl Node {
    /// The children of this node, in order.
    pub fn children(&self) -> Vec<NodeId> {
        match *self {
            Node::Const(_) | Node::Input | Node::Param(_) | Node::Bool(_) => vec![],
            Node::Neg(a) | Node::Call(_, a) | Node::Powi(a, _) => vec![a],
            Node::Add(a, b)
            | Node::Sub(a, b)
            | Node::Mul(a, b)
            | Node::Div(a, b)
            | Node::Max(a, b)
            | Node::Min(a, b)
            | Node::Pow(a, b)
            | Node::MulErr(a, b)
            | Node::Cmp(_, a, b)
            | Node::And(a, b)
            | Node::Or(a, b) => vec![a, b],
            Node::Select(c, a, b) => vec![c, a, b],
        }
    }

    /// Whether the node is a condition rather than a number.
    pub fn is_condition(&self) -> bool {
        matches!(
            self,
            Node::Cmp(..) | Node::And(..) | Node::Or(..) | Node::Bool(_)
        )
    }
}

/// The expression DAG of one definition: its nodes, the span each was first written
/// at, and the names of its input and parameters.
#[derive(Clone, Debug)]
pub struct Graph {
    nodes: Vec<Node>,
    spans: Vec<Span>,
    index: HashMap<Node, NodeId>,
    /// The input's name as the author wrote it (`x`).
    pub input_name: String,
    /// Parameter names, in declaration order; `Node::Param(i)` refers to `param_names[i]`.
    pub param_names: Vec<String>,
    /// Which parameters the `where` clause keeps away from zero
    /// ([`crate::constraints::nonzero_params`]); empty means none.
    pub nonzero_params: Vec<bool>,
}

impl Graph {
    /// An empty graph for a definition with this input and these parameters.
    pub fn new(input_name: impl Into<String>, param_names: Vec<String>) -> Graph {
        Graph {
            nodes: Vec::new(),
            spans: Vec::new(),
            index: HashMap::new(),
            input_name: input_name.into(),
            param_names,
            nonzero_params: Vec::new(),
        }
    }

    /// For a product `a * b` of `gauss(u)` or `erfc(u)` and a variable factor: which
    /// of the two, `u` and the other factor. The emitter and the compiled programs
    /// evaluate it as one `gauss_mul(u, other)` or `erfc_mul(u, other)`, which keeps
    /// the function's value unrounded: rounded on its own it is subnormal (in f32 below
    /// `x = -13.2` of gelu, in f64 below -37.7), where the products with `x` that follow
    /// magnify its rounding. A constant factor of `gauss(u)` (gelu's derivative has
    /// `2/√π`) magnifies little and keeps the plain product, which costs less; a
    /// constant factor of `erfc(u)` is fused as well: `erfc_mul` rounds once where the
    /// plain product rounds twice, which counts where the product is a term that
    /// cancels (gelu' near its root at x = -0.75). The
    /// simplifier takes such a call out of a product of several factors last, so
    /// that `c·gauss(u)·v` is fused too (see [`crate::simplify`]).
    pub fn fused_product(&self, a: NodeId, b: NodeId) -> Option<(Fused, NodeId, NodeId)> {
        let fused = |call: NodeId, other: NodeId| match self.node(call) {
            Node::Call(f, u) => Fused::of(f)
                .filter(|&f| f == Fused::Erfc || !matches!(self.node(other), Node::Const(_)))
                .map(|f| (f, u, other)),
            _ => None,
        };
        fused(a, b).or_else(|| fused(b, a))
    }

    /// The node behind an id.
    pub fn node(&self, id: NodeId) -> Node {
        self.nodes[id.0 as usize]
    }

    /// The span where the node was first written (or, for derived nodes, the span of
    /// the node it was derived from).
    pub fn span(&self, id: NodeId) -> Span {
        self.spans[id.0 as usize]
    }

    /// How many distinct nodes the graph holds.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether the graph holds no node.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The constant value of a node, if it is a number literal.
    pub fn as_const(&self, id: NodeId) -> Option<f64> {
        match self.node(id) {
            Node::Const(bits) => Some(f64::from_bits(bits)),
            _ => None,
        }
    }

    /// The id of a node already in the graph.
    pub fn lookup(&self, node: Node) -> Option<NodeId> {
        self.index.get(&node).copied()
    }

    /// Interns a node exactly as given, with no simplification: the one place that
    /// grows the graph. Prefer the smart constructors in [`crate::simplify`].
    pub fn intern(&mut self, node: Node, span: Span) -> NodeId {
        if let Some(&id) = self.index.get(&node) {
            return id;
        }
        let id = NodeId(self.nodes.len() as u32);
        self.nodes.push(node);
        self.spans.push(span);
        self.index.insert(node, id);
        id
    }

    /// The ids reachable from `roots`, in topological (id) order.
    pub fn reachable(&self, roots: &[NodeId]) -> Vec<NodeId> {
        let mut seen = vec![false; self.nodes.len()];
        let mut stack: Vec<NodeId> = roots.to_vec();
        while let Some(id) = stack.pop() {
            let slot = &mut seen[id.0 as usize];
            if *slot {
                continue;
            }
            *slot = true;
            stack.extend(self.node(id).children());
        }
        (0..self.nodes.len() as u32)
            .map(NodeId)
            .filter(|id| seen[id.0 as usize])
            .collect()
    }

    /// How many times each node is used by the nodes reachable from `roots`
    /// (roots count once more each), indexed by id.
    pub fn use_counts(&self, roots: &[NodeId]) -> Vec<u32> {
        let mut counts = vec![0u32; self.nodes.len()];
        for id in self.reachable(roots) {
            for child in self.node(id).children() {
                counts[child.0 as usize] += 1;
            }
        }
        for root in roots {
            counts[root.0 as usize] += 1;
        }
        counts
    }

    /// Whether the value of `id` depends on the variable `var` (the input or a parameter).
    pub fn depends_on(&self, id: NodeId, var: NodeId) -> bool {
        self.reachable(&[id]).contains(&var)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_nodes_are_stored_once() {
        let mut g = Graph::new("x", vec![]);
        let s = Span::call_site();
        let x = g.intern(Node::Input, s);
        let a = g.intern(Node::Call(Func::Tanh, x), s);
        let b = g.intern(Node::Call(Func::Tanh, x), s);
        assert_eq!(a, b);
        assert_eq!(g.len(), 2);
    }

    #[test]
    fn reachable_is_topological_and_use_counts_see_sharing() {
        let mut g = Graph::new("x", vec![]);
        let s = Span::call_site();
        let x = g.intern(Node::Input, s);
        let t = g.intern(Node::Call(Func::Tanh, x), s);
        let m = g.intern(Node::Mul(t, t), s);
        let unused = g.intern(Node::Call(Func::Exp, x), s);
        let order = g.reachable(&[m]);
        assert_eq!(order, vec![x, t, m]);
        assert!(!order.contains(&unused));
        assert_eq!(g.use_counts(&[m])[t.0 as usize], 2);
    }

    #[test]
    fn function_names_round_trip() {
        for f in Func::ALL {
            assert_eq!(Func::from_name(f.name()), Some(f));
        }
        assert_eq!(Func::from_name("tahn"), None);
    }
}
