//! Smart constructors: every node is built through these, so simplification happens
//! as the graph grows and no pass ever sees an unsimplified node.
//!
//! Rules, all of which keep every finite result and every NaN (but for the sign of
//! one zero, noted below):
//! - constant folding, only when the folded value is finite (a folded `ln(-1)` would
//!   hide a mistake in the definition, so it stays as written);
//! - identities that hold for every IEEE value: `a + 0`, `a - 0`, `a * 1`, `a / 1`,
//!   `--a`, `a * -1`, `max(a, a)`, `if c { a } else { a }`, known conditions, and
//!   `a + a` → `2·a` (exact; the product rule's `cos·sin + sin·cos` then meets the
//!   rules for `2·sin·cos`).
//!   `a * 0` is not folded: it is NaN for infinite `a`. The differentiator never
//!   builds such products because it tracks structural zeros instead;
//! - a product with a select that has a literal 0 branch moves into the select
//!   (`a * if c { b } else { 0 }` → `if c { a * b } else { 0 }`): the flat branch
//!   of a derivative stays exactly 0 and the product is computed once;
//! - stability rewrites, so a naive formula gets the accurate code:
//!   `ln(1 + exp(u))` → `softplus(u)`, `ln(1 + u)` → `log1p(u)`,
//!   `exp(u) - 1` → `expm1(u)`, `a / (1 + exp(-u))` → `a * sigmoid(u)`,
//!   `1 - sigmoid(u)` → `sigmoid(-u)`, `1 - tanh(u)²` → `sech2(u)`,
//!   `exp(-(u * u))` and `exp(-powi(u, 2))` → `gauss(u)`, `1 + 2·sin(u)·cos(u)` →
//!   `sin2x1p(u)` and `1 - 2·sin(u)·cos(u)` → `sin2x1p(-u)`, `cos(u)² - sin(u)²` →
//!   `cos2x(u)`, the half-angle forms
//!   `1 + cos(u)` → `2·cos(u/2)²`, `1 - cos(u)` → `2·sin(u/2)²` and `cos(u) - 1` →
//!   `-2·sin(u/2)²` (which is -0 at u = 0, where `cos(u) - 1` is +0; each is about an
//!   ULP less accurate than the plain sum far from its roots, and exact to a few ULP
//!   beside them, where the sum cancels), and snake's gradient in its
//!   parameter, `2·sin(t)·cos(t)·y - sin(t)²/p` with `t = p·y`, →
//!   `2·sin(t)·(xcos_halfsin(t) + mul_err(p, y)·cos(t))/p`;
//! - a constant added to a select with a literal 0 branch moves into it
//!   (`1 + if c { b } else { 0 }` → `if c { 1 + b } else { 1 }`), so that the rules
//!   above see the sum;
//! - in a product of several factors, `gauss(u)` or `erfc(u)` is taken out last
//!   (`(gauss(u) * a) * b` → `gauss(u) * (a * b)`, `(c * gauss(u)) * v` →
//!   `gauss(u) * (c * v)`), so that the product is one fused `gauss_mul` or
//!   `erfc_mul`, which keeps the function's value unrounded where it is subnormal (see
//!   `Graph::fused_product`), and no partial product is rounded to the subnormal grid
//!   before the factors that magnify it;
//! - a parameter that the `where` clause keeps from zero cancels from a quotient whose
//!   numerator has it as a factor: `(a * alpha) / alpha` → `a`.

use crate::eval::eval_func;
use crate::graph::{CmpOp, Func, Fused, Graph, Node, NodeId};
use proc_macro2::Span;

impl Graph {
    /// A number literal.
    pub fn constant(&mut self, value: f64, span: Span) -> NodeId {
        self.intern(Node::Const(value.to_bits()), span)
    }

    /// The activation's input.
    pub fn input(&mut self, span: Span) -> NodeId {
        self.intern(Node::Input, span)
    }

    /// The parameter at `index`.
    pub fn param(&mut self, index: u16, span: Span) -> NodeId {
        self.intern(Node::Param(index), span)
    }

    fn is_const(&self, id: NodeId, value: f64) -> bool {
        self.as_const(id) == Some(value)
    }

    /// Interns `value` when it is finite, so folding never hides a domain error.
    fn fold(&mut self, value: f64, span: Span) -> Option<NodeId> {
        value.is_finite().then(|| self.constant(value, span))
    }

    /// Interns a commutative node, reusing `b op a` when it exists: `a * b` and
    /// `b * a` become one node, which is exact since IEEE 754 addition and
    /// multiplication commute. The order the author wrote is kept otherwise.
    fn commutative(&mut self, node: Node, span: Span) -> NodeId {
        let swapped = match node {
            Node::Add(a, b) => Node::Add(b, a),
            Node::Mul(a, b) => Node::Mul(b, a),
            other => other,
        };
        match self.lookup(swapped) {
            Some(id) => id,
            None => self.intern(node, span),
        }
    }

    /// `-a`
    pub fn neg(&mut self, a: NodeId, span: Span) -> NodeId {
        if let Some(v) = self.as_const(a) {
            return self.constant(-v, span);
        }
        if let Node::Neg(inner) = self.node(a) {
            return inner;
        }
        self.intern(Node::Neg(a), span)
    }

    /// `a + b`
    pub fn add(&mut self, a: NodeId, b: NodeId, span: Span) -> NodeId {
        if let (Some(x), Some(y)) = (self.as_const(a), self.as_const(b)) {
            if let Some(id) = self.fold(x + y, span) {
                return id;
            }
        }
        if self.is_const(a, 0.0) {
            return b;
        }
        if self.is_const(b, 0.0) {
            return a;
        }
        // u + u = 2·u, exactly; the product rule gives such sums (`sin(x) * sin(x)`'s
        // derivative `cos·sin + sin·cos`, and `cos(x) * cos(x)`'s `-sin·cos - cos·sin`),
        // which the rules for products then see.
        if a == b && self.as_const(a).is_none() {
            let two = self.constant(2.0, span);
            return self.mul(two, a, span);
        }
        if let Node::Neg(nb) = self.node(b) {
            return self.sub(a, nb, span);
        }
        if let Node::Neg(na) = self.node(a) {
            return self.sub(b, na, span);
        }
        for (c, other) in [(a, b), (b, a)] {
            if self.as_const(c).is_none() {
                continue;
            }
            if self.is_const(c, 1.0) {
                // 1 + 2·sin(t)·cos(t) = 1 + sin(2t), which cancels near its double
                // roots.
                if let Some(t) = self.two_sin_cos(other) {
                    return self.call(Func::Sin2x1p, t, span);
                }
                // 1 + cos(u) = 2·cos(u/2)², which does not cancel near its double
                // roots (x + sin(x)'s derivative was 2e4 ULP off 5e-3 from π).
                if let Node::Call(Func::Cos, u) = self.node(other) {
                    return self.twice_square_of_half(Func::Cos, u, span);
                }
            }
            // A constant moves into a select with a literal 0 branch, where the rules
            // above can see the sum (c + 0 is exactly c for the nonzero c left here).
            if let Node::Select(cond, t, e) = self.node(other) {
                if self.is_const(t, 0.0) || self.is_const(e, 0.0) {
                    let t = self.add(c, t, span);
                    let e = self.add(c, e, span);
                    return self.select(cond, t, e, span);
                }
            }
        }
        self.commutative(Node::Add(a, b), span)
    }

    /// `2·f(u/2)²`: the half-angle forms of `1 + cos(u)` (with `cos`) and `1 - cos(u)`
    /// (with `sin`); `u/2` is exact but for subnormal `u`.
    fn twice_square_of_half(&mut self, f: Func, u: NodeId, span: Span) -> NodeId {
        let half = self.constant(0.5, span);
        let half_u = self.mul(half, u, span);
        let f_half = self.call(f, half_u, span);
        let square = self.powi(f_half, 2, span);
        let two = self.constant(2.0, span);
        self.mul(two, square, span)
    }

    /// `t` when `id` is a product of exactly the factors `2`, `sin(t)` and `cos(t)`,
    /// in any order and grouping.
    fn two_sin_cos(&self, id: NodeId) -> Option<NodeId> {
        let mut factors = Vec::new();
        self.factors(id, &mut factors, 3)?;
        if factors.len() != 3 {
            return None;
        }
        let two = factors.iter().position(|&f| self.is_const(f, 2.0))?;
        factors.remove(two);
        match (self.node(factors[0]), self.node(factors[1])) {
            (Node::Call(Func::Sin, t), Node::Call(Func::Cos, u))
            | (Node::Call(Func::Cos, u), Node::Call(Func::Sin, t))
                if t == u =>
            {
                Some(t)
            }
            _ => None,
        }
    }

    /// Collects the factors of a tree of products into `out`; `None` when there are
    /// more than `limit`.
    fn factors(&self, id: NodeId, out: &mut Vec<NodeId>, limit: usize) -> Option<()> {
        match self.node(id) {
            Node::Mul(a, b) => {
                self.factors(a, out, limit)?;
                self.factors(b, out, limit)
            }
            _ if out.len() < limit => {
                out.push(id);
                Some(())
            }
            _ => None,
        }
    }

    /// `a` with one factor `b` removed, when `a` is a tree of products (and negations)
    /// with `b` among its factors.
    fn without_factor(&mut self, a: NodeId, b: NodeId, span: Span) -> Option<NodeId> {
        match self.node(a) {
            Node::Mul(p, q) => {
                if q == b {
                    return Some(p);
                }
                if p == b {
                    return Some(q);
                }
                if let Some(p) = self.without_factor(p, b, span) {
                    return Some(self.mul(p, q, span));
                }
                let q = self.without_factor(q, b, span)?;
                Some(self.mul(p, q, span))
            }
            Node::Neg(n) => {
                let n = self.without_factor(n, b, span)?;
                Some(self.neg(n, span))
            }
            _ => None,
        }
    }

    /// Whether `id` is a parameter that the `where` clause keeps away from zero.
    fn nonzero_param(&self, id: NodeId) -> bool {
        match self.node(id) {
            Node::Param(i) => self
                .nonzero_params
                .get(usize::from(i))
                .copied()
                .unwrap_or(false),
            _ => false,
        }
    }

    /// `a - b`
    pub fn sub(&mut self, a: NodeId, b: NodeId, span: Span) -> NodeId {
        if let (Some(x), Some(y)) = (self.as_const(a), self.as_const(b)) {
            if let Some(id) = self.fold(x - y, span) {
                return id;
            }
        }
        if self.is_const(b, 0.0) {
            return a;
        }
        if self.is_const(a, 0.0) {
            return self.neg(b, span);
        }
        if let Node::Neg(nb) = self.node(b) {
            return self.add(a, nb, span);
        }
        if self.is_const(b, 1.0) {
            if let Node::Call(Func::Exp, u) = self.node(a) {
                return self.call(Func::Expm1, u, span);
            }
            // cos(u) - 1 = -2·sin(u/2)², which does not cancel near u = 0.
            if let Node::Call(Func::Cos, u) = self.node(a) {
                let square = self.twice_square_of_half(Func::Sin, u, span);
                return self.neg(square, span);
            }
        }
        if self.is_const(a, 1.0) {
            if let Node::Call(Func::Sigmoid, u) = self.node(b) {
                let nu = self.neg(u, span);
                return self.call(Func::Sigmoid, nu, span);
            }
            // 1 - cos(u) = 2·sin(u/2)², as above.
            if let Node::Call(Func::Cos, u) = self.node(b) {
                return self.twice_square_of_half(Func::Sin, u, span);
            }
            // 1 - 2·sin(t)·cos(t) = 1 + sin(-2t) (`x + cos(x)²`'s derivative), which
            // cancels near its double roots as `1 + sin(2t)` does.
            if let Some(t) = self.two_sin_cos(b) {
                let nt = self.neg(t, span);
                return self.call(Func::Sin2x1p, nt, span);
            }
            if let Some(t) = self.square_of(b) {
                if let Node::Call(Func::Tanh, u) = self.node(t) {
                    return self.call(Func::Sech2, u, span);
                }
            }
        }
        // cos(t)² - sin(t)² = cos(2t), which does not cancel near its roots.
        if let (Some(c), Some(s)) = (self.square_of(a), self.square_of(b)) {
            if let (Node::Call(Func::Cos, t), Node::Call(Func::Sin, u)) =
                (self.node(c), self.node(s))
            {
                if t == u {
                    return self.call(Func::Cos2x, t, span);
                }
            }
        }
        if let Some(id) = self.snake_gradient(a, b, span) {
            return id;
        }
        self.intern(Node::Sub(a, b), span)
    }

    /// `2·sin(t)·cos(t)·y - sin(t)²/p` with `t = p·y` (snake's gradient in `p`, times
    /// `p`) as `2·sin(t)·(xcos_halfsin(t) + mul_err(p, y)·cos(t)) / p`: the same value
    /// (`p·y = t + mul_err(p, y)` exactly), whose difference is taken without
    /// cancelling near the roots of `tan t = 2t`, where the two terms agree to all
    /// their digits (9.7 EPSILON off in f64 with `p = 0.3`, from terms of size `1/p`).
    fn snake_gradient(&mut self, a: NodeId, b: NodeId, span: Span) -> Option<NodeId> {
        let Node::Div(square, p) = self.node(b) else {
            return None;
        };
        let sin = self.square_of(square)?;
        let Node::Call(Func::Sin, t) = self.node(sin) else {
            return None;
        };
        let y = match self.node(t) {
            Node::Mul(l, r) if l == p => r,
            Node::Mul(l, r) if r == p => l,
            _ => return None,
        };
        let mut factors = Vec::new();
        self.factors(a, &mut factors, 4)?;
        let two = factors.iter().position(|&f| self.is_const(f, 2.0))?;
        factors.remove(two);
        let cos = self.lookup(Node::Call(Func::Cos, t))?;
        let mut want = [sin, cos, y];
        factors.sort();
        want.sort();
        if factors != want {
            return None;
        }
        let h = self.call(Func::XcosHalfsin, t, span);
        let e = self.mul_err(p, y, span);
        let ec = self.mul(e, cos, span);
        let sum = self.add(h, ec, span);
        let two = self.constant(2.0, span);
        let two_sin = self.mul(two, sin, span);
        let num = self.mul(two_sin, sum, span);
        Some(self.div(num, p, span))
    }

    /// `a * b`
    pub fn mul(&mut self, a: NodeId, b: NodeId, span: Span) -> NodeId {
        if let (Some(x), Some(y)) = (self.as_const(a), self.as_const(b)) {
            if let Some(id) = self.fold(x * y, span) {
                return id;
            }
        }
        // A constant factor goes first, so formulas read `2 * x`.
        let (a, b) = if self.as_const(b).is_some() {
            (b, a)
        } else {
            (a, b)
        };
        if self.is_const(a, 1.0) {
            return b;
        }
        if self.is_const(a, -1.0) {
            return self.neg(b, span);
        }
        if let (Node::Neg(na), Node::Neg(nb)) = (self.node(a), self.node(b)) {
            return self.mul(na, nb, span);
        }
        // A negation comes out of either factor, so that `-a·b` and `a·-b` are one
        // node.
        if let Node::Neg(nb) = self.node(b) {
            let m = self.mul(a, nb, span);
            return self.neg(m, span);
        }
        if let Node::Neg(na) = self.node(a) {
            let m = self.mul(na, b, span);
            return self.neg(m, span);
        }
        if let Some((call, rest, other)) = self.product_with_fused(a, b) {
            let factor = self.mul(rest, other, span);
            return self.mul(call, factor, span);
        }
        for (sel, other) in [(a, b), (b, a)] {
            if let Node::Select(c, t, e) = self.node(sel) {
                if self.is_const(t, 0.0) || self.is_const(e, 0.0) {
                    let t = self.mul_branch(t, other, span);
                    let e = self.mul_branch(e, other, span);
                    return self.select(c, t, e, span);
                }
            }
        }
        self.commutative(Node::Mul(a, b), span)
    }

    /// For `(f(u) * r) * other`, `f` a fused call (`gauss`, `erfc`) and `other` not
    /// one (so that the rewrite cannot undo itself): `(f(u), r, other)`.
    fn product_with_fused(&self, a: NodeId, b: NodeId) -> Option<(NodeId, NodeId, NodeId)> {
        let is_fused =
            |id: NodeId| matches!(self.node(id), Node::Call(f, _) if Fused::of(f).is_some());
        if is_fused(a) || is_fused(b) {
            return None;
        }
        for (product, other) in [(a, b), (b, a)] {
            if let Node::Mul(p, q) = self.node(product) {
                for (call, rest) in [(p, q), (q, p)] {
                    if is_fused(call) && !is_fused(rest) {
                        return Some((call, rest, other));
                    }
                }
            }
        }
        None
    }

    /// One branch of `(if c { t } else { e }) * other`: a branch that is exactly 0
    /// stays 0. That is the product's value for every finite `other`; for an infinite
    /// one it is the limit the derivative of a flat branch should have, where the
    /// literal product would be NaN.
    fn mul_branch(&mut self, branch: NodeId, other: NodeId, span: Span) -> NodeId {
        if self.is_const(branch, 0.0) {
            branch
        } else {
            self.mul(branch, other, span)
        }
    }

    /// `u` when `id` is `1 + u` or `u + 1`.
    fn one_plus(&self, id: NodeId) -> Option<NodeId> {
        match self.node(id) {
            Node::Add(a, b) if self.is_const(a, 1.0) => Some(b),
            Node::Add(a, b) if self.is_const(b, 1.0) => Some(a),
            _ => None,
        }
    }

    /// `u` when `id` is `u * u` or `powi(u, 2)`.
    fn square_of(&self, id: NodeId) -> Option<NodeId> {
        match self.node(id) {
            Node::Mul(a, b) if a == b => Some(a),
            Node::Powi(a, 2) => Some(a),
            _ => None,
        }
    }

    /// `u` when `id` is `-(u * u)`, `-u * u` or `-powi(u, 2)`: the exponent of a
    /// Gaussian, whose square `exp` would magnify the rounding of.
    fn neg_square(&self, id: NodeId) -> Option<NodeId> {
        match self.node(id) {
            Node::Neg(sq) => self.square_of(sq),
            Node::Mul(na, b) if self.node(na) == Node::Neg(b) => Some(b),
            _ => None,
        }
    }

    /// `a / b`
    pub fn div(&mut self, a: NodeId, b: NodeId, span: Span) -> NodeId {
        if let (Some(x), Some(y)) = (self.as_const(a), self.as_const(b)) {
            if let Some(id) = self.fold(x / y, span) {
                return id;
            }
        }
        if self.is_const(b, 1.0) {
            return a;
        }
        // (c · alpha) / alpha = c for a parameter the constraints keep from 0 (the
        // chain rule builds such quotients for `g(alpha·x) / alpha`): exact where the
        // quotient was rounded twice, and `snake'`'s `1 + 2·sin·cos` becomes visible.
        if self.nonzero_param(b) {
            if let Some(rest) = self.without_factor(a, b, span) {
                return rest;
            }
        }
        // a / (1 + exp(v)) = a * sigmoid(-v), and 1 / (1 + exp(-u)) = sigmoid(u).
        if let Some(e) = self.one_plus(b) {
            if let Node::Call(Func::Exp, v) = self.node(e) {
                let u = self.neg(v, span);
                let s = self.call(Func::Sigmoid, u, span);
                return self.mul(a, s, span);
            }
        }
        self.intern(Node::Div(a, b), span)
    }

    /// `f(a)` for a one-argument function.
    pub fn call(&mut self, f: Func, a: NodeId, span: Span) -> NodeId {
        if let Some(x) = self.as_const(a) {
            if let Some(id) = self.fold(eval_func(f, x), span) {
                return id;
            }
        }
        if f == Func::Exp {
            if let Some(u) = self.neg_square(a) {
                return self.call(Func::Gauss, u, span);
            }
        }
        if f == Func::Ln {
            if let Some(rest) = self.one_plus(a) {
                if let Node::Call(Func::Exp, u) = self.node(rest) {
                    return self.call(Func::Softplus, u, span);
                }
                return self.call(Func::Log1p, rest, span);
            }
        }
        self.intern(Node::Call(f, a), span)
    }

    /// `max(a, b)`
    pub fn max(&mut self, a: NodeId, b: NodeId, span: Span) -> NodeId {
        if let (Some(x), Some(y)) = (self.as_const(a), self.as_const(b)) {
            return self.constant(x.max(y), span);
        }
        if a == b {
            return a;
        }
        self.intern(Node::Max(a, b), span)
    }

    /// `min(a, b)`
    pub fn min(&mut self, a: NodeId, b: NodeId, span: Span) -> NodeId {
        if let (Some(x), Some(y)) = (self.as_const(a), self.as_const(b)) {
            return self.constant(x.min(y), span);
        }
        if a == b {
            return a;
        }
        self.intern(Node::Min(a, b), span)
    }

    /// `pow(a, b)`; an integer constant exponent becomes `powi`.
    pub fn pow(&mut self, a: NodeId, b: NodeId, span: Span) -> NodeId {
        if let (Some(x), Some(y)) = (self.as_const(a), self.as_const(b)) {
            if let Some(id) = self.fold(x.powf(y), span) {
                return id;
            }
        }
        if let Some(y) = self.as_const(b) {
            if y.fract() == 0.0 && y.abs() <= 64.0 {
                return self.powi(a, y as i32, span);
            }
        }
        self.intern(Node::Pow(a, b), span)
    }

    /// `mul_err(a, b)`. Never folded, not even for constants: the error depends on the
    /// precision the generated code runs in.
    pub fn mul_err(&mut self, a: NodeId, b: NodeId, span: Span) -> NodeId {
        self.intern(Node::MulErr(a, b), span)
    }

    /// `powi(a, n)`
    pub fn powi(&mut self, a: NodeId, n: i32, span: Span) -> NodeId {
        if let Some(x) = self.as_const(a) {
            if let Some(id) = self.fold(x.powi(n), span) {
                return id;
            }
        }
        match n {
            0 => self.constant(1.0, span),
            1 => a,
            _ => self.intern(Node::Powi(a, n), span),
        }
    }

    /// `a < b` and the other comparisons.
    pub fn cmp(&mut self, op: CmpOp, a: NodeId, b: NodeId, span: Span) -> NodeId {
        if let (Some(x), Some(y)) = (self.as_const(a), self.as_const(b)) {
            return self.intern(Node::Bool(op.apply(x, y)), span);
        }
        self.intern(Node::Cmp(op, a, b), span)
    }

    /// `c && d`
    pub fn and(&mut self, c: NodeId, d: NodeId, span: Span) -> NodeId {
        match (self.node(c), self.node(d)) {
            (Node::Bool(false), _) | (_, Node::Bool(false)) => self.intern(Node::Bool(false), span),
            (Node::Bool(true), _) => d,
            (_, Node::Bool(true)) => c,
            _ if c == d => c,
            _ => self.intern(Node::And(c, d), span),
        }
    }

    /// `c || d`
    pub fn or(&mut self, c: NodeId, d: NodeId, span: Span) -> NodeId {
        match (self.node(c), self.node(d)) {
            (Node::Bool(true), _) | (_, Node::Bool(true)) => self.intern(Node::Bool(true), span),
            (Node::Bool(false), _) => d,
            (_, Node::Bool(false)) => c,
            _ if c == d => c,
            _ => self.intern(Node::Or(c, d), span),
        }
    }

    /// `if c { a } else { b }`
    pub fn select(&mut self, c: NodeId, a: NodeId, b: NodeId, span: Span) -> NodeId {
        if let Node::Bool(known) = self.node(c) {
            return if known { a } else { b };
        }
        if a == b {
            return a;
        }
        self.intern(Node::Select(c, a, b), span)
    }
}

#[cfg(test)]
mod tests {
    use crate::graph::{CmpOp, Func, Fused, Graph, Node};
    use proc_macro2::Span;

    fn g() -> (Graph, Span) {
        (Graph::new("x", vec![]), Span::call_site())
    }

    #[test]
    fn double_angle_rewrites() {
        let (mut g, s) = g();
        let x = g.input(s);
        let (one, two) = (g.constant(1.0, s), g.constant(2.0, s));
        let (sin, cos) = (g.call(Func::Sin, x, s), g.call(Func::Cos, x, s));
        // 1 + 2·sin·cos in either grouping and order.
        let two_sin = g.mul(two, sin, s);
        let p = g.mul(two_sin, cos, s);
        let sum = g.add(one, p, s);
        assert_eq!(g.node(sum), Node::Call(Func::Sin2x1p, x));
        let sin_cos = g.mul(cos, sin, s);
        let p = g.mul(sin_cos, two, s);
        let sum = g.add(p, one, s);
        assert_eq!(g.node(sum), Node::Call(Func::Sin2x1p, x));
        // Not with another factor, nor with sin and cos of different arguments.
        let three = g.constant(3.0, s);
        let three_sin = g.mul(three, sin, s);
        let p = g.mul(three_sin, cos, s);
        let sum = g.add(one, p, s);
        assert!(matches!(g.node(sum), Node::Add(..)));
        let cos2 = g.call(Func::Cos, two_sin, s);
        let p = g.mul(two_sin, cos2, s);
        let sum = g.add(one, p, s);
        assert!(matches!(g.node(sum), Node::Add(..)));

        let c2 = g.powi(cos, 2, s);
        let s2 = g.mul(sin, sin, s);
        let d = g.sub(c2, s2, s);
        assert_eq!(g.node(d), Node::Call(Func::Cos2x, x));
        let d = g.sub(s2, c2, s);
        assert!(
            matches!(g.node(d), Node::Sub(..)),
            "sin² - cos² is left alone"
        );
    }

    #[test]
    fn sums_of_a_term_with_itself_and_half_angle_rewrites() {
        let (mut g, s) = g();
        let x = g.input(s);
        let (one, two, half) = (g.constant(1.0, s), g.constant(2.0, s), g.constant(0.5, s));
        let (sin, cos) = (g.call(Func::Sin, x, s), g.call(Func::Cos, x, s));
        // u + u = 2·u, and so the product rule's `cos·sin + sin·cos` (the derivative of
        // `sin(x) * sin(x)`) plus 1 is `sin2x1p(x)`.
        let sum = g.add(sin, sin, s);
        assert_eq!(g.node(sum), Node::Mul(two, sin));
        let (cs, sc) = (g.mul(cos, sin, s), g.mul(sin, cos, s));
        let slope = g.add(cs, sc, s);
        let d = g.add(one, slope, s);
        assert_eq!(g.node(d), Node::Call(Func::Sin2x1p, x));
        // 1 + cos(u) = 2·cos(u/2)², 1 - cos(u) = 2·sin(u/2)², cos(u) - 1 their negation.
        let half_x = g.mul(half, x, s);
        let twice_square = |g: &mut Graph, f: Func| {
            let f_half = g.call(f, half_x, s);
            let square = g.powi(f_half, 2, s);
            g.mul(two, square, s)
        };
        let (cos_form, sin_form) = (
            twice_square(&mut g, Func::Cos),
            twice_square(&mut g, Func::Sin),
        );
        assert_eq!(g.add(one, cos, s), cos_form);
        assert_eq!(g.add(cos, one, s), cos_form);
        assert_eq!(g.sub(one, cos, s), sin_form);
        let d = g.sub(cos, one, s);
        assert_eq!(g.node(d), Node::Neg(sin_form));
        // Not for other constants, nor for sine.
        let three = g.constant(3.0, s);
        for sum in [g.add(three, cos, s), g.add(one, sin, s)] {
            assert!(matches!(g.node(sum), Node::Add(..)));
        }
    }

    #[test]
    fn snake_gradient_rewrite() {
        let mut g = Graph::new("x", vec!["alpha".into()]);
        let s = Span::call_site();
        let (x, p, two) = (g.input(s), g.param(0, s), g.constant(2.0, s));
        let t = g.mul(p, x, s);
        let (sin, cos) = (g.call(Func::Sin, t, s), g.call(Func::Cos, t, s));
        let square = g.powi(sin, 2, s);
        let b = g.div(square, p, s);
        // (2·sin(t))·(cos(t)·x) - sin(t)²/p, the form differentiation builds.
        let two_sin = g.mul(two, sin, s);
        let cos_x = g.mul(cos, x, s);
        let a = g.mul(two_sin, cos_x, s);
        let d = g.sub(a, b, s);
        let Node::Div(num, q) = g.node(d) else {
            panic!("not a quotient: {:?}", g.node(d));
        };
        assert_eq!(q, p);
        let Node::Mul(f, sum) = g.node(num) else {
            panic!("not a product: {:?}", g.node(num));
        };
        assert_eq!(f, two_sin);
        let Node::Add(h, ec) = g.node(sum) else {
            panic!("not a sum: {:?}", g.node(sum));
        };
        assert_eq!(g.node(h), Node::Call(Func::XcosHalfsin, t));
        let e = g.lookup(Node::MulErr(p, x)).expect("mul_err(alpha, x)");
        assert!(matches!(g.node(ec), Node::Mul(l, r) if (l, r) == (e, cos) || (l, r) == (cos, e)));
        // Left alone: another factor, or y not the other factor of t.
        let three = g.constant(3.0, s);
        let three_sin = g.mul(three, sin, s);
        let a3 = g.mul(three_sin, cos_x, s);
        let d3 = g.sub(a3, b, s);
        assert!(matches!(g.node(d3), Node::Sub(..)));
        let cos_p = g.mul(cos, p, s);
        let ap = g.mul(two_sin, cos_p, s);
        let dp = g.sub(ap, b, s);
        assert!(matches!(g.node(dp), Node::Sub(..)));
    }

    #[test]
    fn a_constant_moves_into_a_select_with_a_zero_branch() {
        let (mut g, s) = g();
        let x = g.input(s);
        let (zero, one) = (g.constant(0.0, s), g.constant(1.0, s));
        let c = g.cmp(CmpOp::Gt, x, zero, s);
        let sel = g.select(c, x, zero, s);
        let sum = g.add(one, sel, s);
        let one_plus_x = g.add(one, x, s);
        assert_eq!(g.node(sum), Node::Select(c, one_plus_x, one));
    }

    #[test]
    fn only_a_parameter_kept_from_zero_cancels() {
        let s = Span::call_site();
        let mut g = Graph::new("x", vec!["a".into(), "b".into()]);
        g.nonzero_params = vec![true, false];
        let x = g.input(s);
        let (a, b) = (g.param(0, s), g.param(1, s));
        let sin = g.call(Func::Sin, x, s);
        let two = g.constant(2.0, s);
        // (2·(sin·a))/a = 2·sin, the factor found inside the product tree.
        let sa = g.mul(sin, a, s);
        let n = g.mul(two, sa, s);
        let q = g.div(n, a, s);
        let two_sin = g.mul(two, sin, s);
        assert_eq!(q, two_sin);
        let na = g.neg(sa, s);
        let q = g.div(na, a, s);
        assert_eq!(g.node(q), Node::Neg(sin));
        // b may be 0: (sin·b)/b is NaN there, and stays a quotient.
        let sb = g.mul(sin, b, s);
        let q = g.div(sb, b, s);
        assert_eq!(g.node(q), Node::Div(sb, b));
        // a is not a factor of sin + a.
        let plus = g.add(sin, a, s);
        let q = g.div(plus, a, s);
        assert_eq!(g.node(q), Node::Div(plus, a));
    }

    #[test]
    fn folds_constants_but_not_domain_errors() {
        let (mut g, s) = g();
        let two = g.constant(2.0, s);
        let three = g.constant(3.0, s);
        let six = g.mul(two, three, s);
        assert_eq!(g.as_const(six), Some(6.0));
        let m1 = g.constant(-1.0, s);
        let bad = g.call(Func::Ln, m1, s);
        assert_eq!(g.node(bad), Node::Call(Func::Ln, m1));
    }

    #[test]
    fn keeps_products_with_zero() {
        let (mut g, s) = g();
        let x = g.input(s);
        let zero = g.constant(0.0, s);
        let p = g.mul(x, zero, s);
        assert!(
            matches!(g.node(p), Node::Mul(..)),
            "x * 0 is NaN at x = inf"
        );
    }

    #[test]
    fn identities() {
        let (mut g, s) = g();
        let x = g.input(s);
        let one = g.constant(1.0, s);
        let zero = g.constant(0.0, s);
        assert_eq!(g.mul(x, one, s), x);
        assert_eq!(g.add(zero, x, s), x);
        let n = g.neg(x, s);
        assert_eq!(g.neg(n, s), x);
        assert_eq!(g.div(x, one, s), x);
    }

    #[test]
    fn stability_rewrites() {
        let (mut g, s) = g();
        let x = g.input(s);
        let one = g.constant(1.0, s);
        let e = g.call(Func::Exp, x, s);
        let one_plus_e = g.add(one, e, s);
        let naive_softplus = g.call(Func::Ln, one_plus_e, s);
        assert_eq!(g.node(naive_softplus), Node::Call(Func::Softplus, x));

        let em1 = g.sub(e, one, s);
        assert_eq!(g.node(em1), Node::Call(Func::Expm1, x));

        let nx = g.neg(x, s);
        let en = g.call(Func::Exp, nx, s);
        let den = g.add(one, en, s);
        let naive_sigmoid = g.div(one, den, s);
        assert_eq!(g.node(naive_sigmoid), Node::Call(Func::Sigmoid, x));

        let one_minus = g.sub(one, naive_sigmoid, s);
        assert_eq!(g.node(one_minus), Node::Call(Func::Sigmoid, nx));

        let opx = g.add(x, one, s);
        let l = g.call(Func::Ln, opx, s);
        assert_eq!(g.node(l), Node::Call(Func::Log1p, x));
    }

    #[test]
    fn a_fused_call_is_taken_out_of_a_product_last() {
        let (mut g, s) = g();
        let x = g.input(s);
        let y = g.param(0, s);
        let c = g.constant(2.5, s);
        for f in [Func::Gauss, Func::Erfc] {
            let call = g.call(f, x, s);
            // (c·f(x))·y and (f(x)·x)·y: f(x) times the product of the rest.
            for rest in [c, x] {
                let partial = g.mul(rest, call, s);
                let product = g.mul(partial, y, s);
                let Node::Mul(a, b) = g.node(product) else {
                    panic!("{:?}", g.node(product))
                };
                let other = g.mul(rest, y, s);
                assert_eq!(
                    g.fused_product(a, b),
                    Some((Fused::of(f).unwrap(), x, other))
                );
            }
            // With another fused call as the other factor, nothing moves.
            let scaled = g.mul(c, call, s);
            let second = g.call(Func::Gauss, y, s);
            let both = g.mul(scaled, second, s);
            assert_eq!(g.node(both), Node::Mul(scaled, second));
        }
        // exp's product is not fused and keeps its shape.
        let e = g.call(Func::Exp, x, s);
        let scaled = g.mul(c, e, s);
        let product = g.mul(scaled, y, s);
        assert_eq!(g.node(product), Node::Mul(scaled, y));
    }

    #[test]
    fn gaussian_exponents_become_gauss() {
        let (mut g, s) = g();
        let x = g.input(s);
        let y = g.param(0, s);
        let xx = g.mul(x, x, s);
        let nxx = g.neg(xx, s);
        let gauss = g.call(Func::Exp, nxx, s);
        assert_eq!(g.node(gauss), Node::Call(Func::Gauss, x));
        let x2 = g.powi(x, 2, s);
        let nx2 = g.neg(x2, s);
        assert_eq!(g.call(Func::Exp, nx2, s), gauss);
        let nx = g.neg(x, s);
        let nx_x = g.mul(nx, x, s);
        assert_eq!(g.call(Func::Exp, nx_x, s), gauss);
        let x_nx = g.mul(x, nx, s);
        assert_eq!(g.call(Func::Exp, x_nx, s), gauss);
        // Not squares: these stay exponentials.
        let xy = g.mul(x, y, s);
        let nxy = g.neg(xy, s);
        let e = g.call(Func::Exp, nxy, s);
        assert_eq!(g.node(e), Node::Call(Func::Exp, nxy));
        let e = g.call(Func::Exp, xx, s);
        assert_eq!(g.node(e), Node::Call(Func::Exp, xx));
        // The point of the rewrite: at x = 26, x² = 676 is rounded, and exp(-x²) is off
        // by up to 676 times that rounding; gauss is not.
        let x = 26.000000000000004f64;
        let want = 2.611741761283573e-294; // mpmath: exp(-x²); exp(-(x * x)) is 4e-14 off
        let got = crate::eval::eval(&g, gauss, x, &[]);
        assert!(((got - want) / want).abs() < 5e-16, "{got:e}");
    }

    #[test]
    fn tanh_derivative_form_does_not_cancel() {
        let (mut g, s) = g();
        let x = g.input(s);
        let one = g.constant(1.0, s);
        let t = g.call(Func::Tanh, x, s);
        let t2 = g.powi(t, 2, s);
        let d = g.sub(one, t2, s);
        let v = crate::eval::eval(&g, d, 20.0, &[]);
        // 1 - tanh(20)^2 = 1.699e-17, which the naive form rounds to 0.
        assert!((v - 1.6994e-17).abs() < 1e-20, "{v}");
    }
}
