//! Compile for run time: turns a [`Definition`] into flat register-machine programs,
//! which `actdiff::Dynamic` runs over blocks of elements with the runtime's math.
//!
//! A program is the code [`crate::emit`] writes, as data: the same schedule (one
//! instruction per node reachable from the results, children first), the same fused
//! calls (`tanh(softplus(u))` is `tanh_softplus(u)`), the same NaN guards
//! ([`crate::nan`]) and, for each precision, the polynomial windows near roots
//! fitted for it ([`crate::refine`]). An evaluator that applies each instruction with the
//! runtime's `Real` therefore gives the generated code's results, bit for bit.
//!
//! Registers hold numbers. Conditions are numbers too, 1 for true and 0 for false,
//! and `if` is a blend of both sides, computed before the choice, as in generated
//! code. Register 0 holds the input; constants and parameters have registers of
//! their own, filled once before the first block ([`Program::loads`]); every other
//! register is reused once the last instruction reading its value has run, so the
//! register file stays small enough for a block evaluator to keep it in L1. An
//! instruction never writes a register it reads, so an evaluator can borrow its
//! destination and its operands at once.

use crate::graph::{CmpOp, Func, Fused, Graph, Node, NodeId};
pub use crate::refine::Precision;
use crate::refine::RootWindow;
use crate::Definition;
use std::collections::HashMap;

/// A register of the machine.
pub type Reg = u32;

/// A one-argument function of the runtime's `Real`: the language's functions and
/// the fused forms generated code uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Math {
    /// A function of the language, `exp(u)`, `tanh(u)`, ...
    Func(Func),
    /// `tanh(softplus(u))` with a single exponential.
    TanhSoftplus,
    /// `sech2(softplus(u))` with a single exponential.
    Sech2Softplus,
    /// `sech2(exp(u))` with `e^u` carried to more than the type's precision into the
    /// second exponential, which magnifies its rounding `2e^u` times.
    Sech2Exp,
    /// `sigmoid(-u)` from `u`'s exponential, so that `sigmoid(u)·sigmoid(-u)`,
    /// sigmoid's derivative, computes one exponential (and in `f32` one division).
    SigmoidNeg,
    /// The product `sech2(softplus(u)) · sigmoid(u)`, the derivative of
    /// `tanh(softplus(u))` (mish's), as one value: in `f32` from the exponential and
    /// the reciprocal `tanh(softplus(u))` takes, so that mish's derivative divides once.
    SigmoidSech2Softplus,
}

impl Math {
    /// The call `f(a)` as the runtime computes it, with the argument it takes:
    /// `tanh(softplus(u))` and `sech2(softplus(u))` (mish and its derivatives) have
    /// fused single-exponential forms, whose softplus is then often unused and
    /// dropped; `sech2(exp(u))` (tanhexp's derivatives) takes `e^u` unrounded into
    /// the second exponential. Any other call is the function itself.
    pub fn of_call(g: &Graph, f: Func, a: NodeId) -> (Math, NodeId) {
        match (f, g.node(a)) {
            (Func::Tanh, Node::Call(Func::Softplus, u)) => (Math::TanhSoftplus, u),
            (Func::Sech2, Node::Call(Func::Softplus, u)) => (Math::Sech2Softplus, u),
            (Func::Sech2, Node::Call(Func::Exp, u)) => (Math::Sech2Exp, u),
            (Func::Sigmoid, Node::Neg(u)) => (Math::SigmoidNeg, u),
            _ => (Math::Func(f), a),
        }
    }

    /// The product `a * b` as one call, with its argument, where it has a fused form:
    /// `sech2(softplus(u)) * sigmoid(u)`, in either order.
    fn of_product(g: &Graph, a: NodeId, b: NodeId) -> Option<(Math, NodeId)> {
        let pair = |s: NodeId, t: NodeId| match (g.node(s), g.node(t)) {
            (Node::Call(Func::Sech2, sp), Node::Call(Func::Sigmoid, u))
                if g.node(sp) == Node::Call(Func::Softplus, u) =>
            {
                Some((Math::SigmoidSech2Softplus, u))
            }
            _ => None,
        };
        pair(a, b).or_else(|| pair(b, a))
    }

    /// The `Real` method that computes it.
    pub fn method(self) -> &'static str {
        match self {
            Math::Func(f) => f.name(),
            Math::TanhSoftplus => "tanh_softplus",
            Math::Sech2Softplus => "sech2_softplus",
            Math::Sech2Exp => "sech2_exp",
            Math::SigmoidNeg => "sigmoid_neg",
            Math::SigmoidSech2Softplus => "sigmoid_sech2_softplus",
        }
    }
}

/// How a product `a * b` is computed, chosen in one place for the emitter and the
/// compiled programs, so that generated code and `Dynamic` give the same bits: a
/// `Real` method of one argument where the product has one
/// ([`Math::SigmoidSech2Softplus`]), else a fused product of a call and a factor
/// ([`Graph::fused_product`]), else a plain multiplication.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Product {
    /// `method(u)`.
    Call(Math, NodeId),
    /// `fused(u, other)`.
    Fused(Fused, NodeId, NodeId),
    /// `a * b`.
    Plain,
}

impl Product {
    /// The form of `a * b` in `g`.
    pub fn of(g: &Graph, a: NodeId, b: NodeId) -> Product {
        if let Some((math, u)) = Math::of_product(g, a, b) {
            Product::Call(math, u)
        } else if let Some((fused, u, other)) = g.fused_product(a, b) {
            Product::Fused(fused, u, other)
        } else {
            Product::Plain
        }
    }
}

/// How a sum `a + b` is computed, chosen in one place for the emitter, the compiled
/// programs and the refine pass's `f32` evaluation: `tanh(softplus(u)) + v ·
/// (sech2(softplus(u)) · sigmoid(u))` (mish's derivative, `v = x`), whose terms cancel
/// beside its root, is one `Real` call, which `f32` finishes in `f64`; any other sum
/// is a plain addition.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Sum {
    /// `tanh_softplus_slope(u, v)`.
    TanhSoftplusSlope(NodeId, NodeId),
    /// `a + b`.
    Plain,
}

impl Sum {
    /// The form of `a + b` in `g`, with the terms in either order and the product
    /// `v · (sech2(softplus(u)) · sigmoid(u))` with its factors in either order.
    pub fn of(g: &Graph, a: NodeId, b: NodeId) -> Sum {
        let slope = |t: NodeId, m: NodeId| {
            let Node::Call(Func::Tanh, sp) = g.node(t) else {
                return None;
            };
            let Node::Call(Func::Softplus, u) = g.node(sp) else {
                return None;
            };
            let Node::Mul(p, q) = g.node(m) else {
                return None;
            };
            let derivative = |d: NodeId| match g.node(d) {
                Node::Mul(c, e) => {
                    Math::of_product(g, c, e) == Some((Math::SigmoidSech2Softplus, u))
                }
                _ => false,
            };
            if derivative(q) {
                Some(Sum::TanhSoftplusSlope(u, p))
            } else if derivative(p) {
                Some(Sum::TanhSoftplusSlope(u, q))
            } else {
                None
            }
        };
        slope(a, b).or_else(|| slope(b, a)).unwrap_or(Sum::Plain)
    }
}

/// What an instruction computes from its operand registers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    /// `-a`
    Neg(Reg),
    /// `a + b`
    Add(Reg, Reg),
    /// `a - b`
    Sub(Reg, Reg),
    /// `a * b`
    Mul(Reg, Reg),
    /// `a / b`
    Div(Reg, Reg),
    /// `f(a)`
    Call(Math, Reg),
    /// `max(a, b)`, NaN if either is NaN.
    Max(Reg, Reg),
    /// `min(a, b)`, NaN if either is NaN.
    Min(Reg, Reg),
    /// `pow(a, b)`
    Pow(Reg, Reg),
    /// `powi(a, n)`
    Powi(Reg, i32),
    /// `mul_err(a, b)`: the rounding error of `a * b`.
    MulErr(Reg, Reg),
    /// `gauss(a) * b` or `erfc(a) * b` with the function's value unrounded (see
    /// [`crate::graph::Graph::fused_product`]).
    FusedMul(Fused, Reg, Reg),
    /// `tanh_softplus_slope(u, v)` (see [`Sum`]).
    TanhSoftplusSlope(Reg, Reg),
    /// `a < b` (and the other comparisons): 1 or 0.
    Cmp(CmpOp, Reg, Reg),
    /// `c && d` on conditions: 1 or 0.
    And(Reg, Reg),
    /// `c || d` on conditions: 1 or 0.
    Or(Reg, Reg),
    /// `if c { a } else { b }`: `a` where the condition `c` is not 0.
    Select(Reg, Reg, Reg),
    /// `a`, or `v` where `v` is NaN: the guard that makes a NaN input or parameter
    /// reach a result that a comparison would hide (`Real::propagate_nan`).
    PropagateNan(Reg, Reg),
    /// The root window at this index of [`Program::windows`], applied to a result:
    /// its polynomial where the input is inside the window, the result elsewhere.
    /// One instruction rather than one per operation of the polynomial, so that an
    /// evaluator keeps the recurrence in machine registers.
    Window(u32, Reg),
}

impl Op {
    /// The registers the instruction reads.
    pub fn operands(&self) -> Vec<Reg> {
        match *self {
            Op::Neg(a) | Op::Call(_, a) | Op::Powi(a, _) => vec![a],
            Op::Window(_, general) => vec![general, INPUT],
            Op::Add(a, b)
            | Op::Sub(a, b)
            | Op::Mul(a, b)
            | Op::Div(a, b)
            | Op::Max(a, b)
            | Op::Min(a, b)
            | Op::Pow(a, b)
            | Op::MulErr(a, b)
            | Op::FusedMul(_, a, b)
            | Op::TanhSoftplusSlope(a, b)
            | Op::Cmp(_, a, b)
            | Op::And(a, b)
            | Op::Or(a, b)
            | Op::PropagateNan(a, b) => vec![a, b],
            Op::Select(c, a, b) => vec![c, a, b],
        }
    }

    fn map(self, r: impl Fn(Reg) -> Reg) -> Op {
        match self {
            Op::Neg(a) => Op::Neg(r(a)),
            Op::Add(a, b) => Op::Add(r(a), r(b)),
            Op::Sub(a, b) => Op::Sub(r(a), r(b)),
            Op::Mul(a, b) => Op::Mul(r(a), r(b)),
            Op::Div(a, b) => Op::Div(r(a), r(b)),
            Op::Call(f, a) => Op::Call(f, r(a)),
            Op::Max(a, b) => Op::Max(r(a), r(b)),
            Op::Min(a, b) => Op::Min(r(a), r(b)),
            Op::Pow(a, b) => Op::Pow(r(a), r(b)),
            Op::MulErr(a, b) => Op::MulErr(r(a), r(b)),
            Op::FusedMul(f, a, b) => Op::FusedMul(f, r(a), r(b)),
            Op::TanhSoftplusSlope(a, b) => Op::TanhSoftplusSlope(r(a), r(b)),
            Op::Powi(a, n) => Op::Powi(r(a), n),
            Op::Cmp(op, a, b) => Op::Cmp(op, r(a), r(b)),
            Op::And(a, b) => Op::And(r(a), r(b)),
            Op::Or(a, b) => Op::Or(r(a), r(b)),
            Op::Select(c, a, b) => Op::Select(r(c), r(a), r(b)),
            Op::PropagateNan(a, v) => Op::PropagateNan(r(a), r(v)),
            Op::Window(k, general) => Op::Window(k, r(general)),
        }
    }
}

/// One instruction: `dst = op`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Instr {
    /// The register written, never one of the operands.
    pub dst: Reg,
    /// What is computed.
    pub op: Op,
}

/// The value a preloaded register holds for the whole evaluation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Load {
    /// A constant of the formula, converted to the evaluation's type.
    Const(f64),
    /// The parameter at this index, as currently set.
    Param(u16),
}

/// A straight-line program computing some results of a definition from its input.
#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    loads: Vec<(Reg, Load)>,
    code: Vec<Instr>,
    outputs: Vec<Reg>,
    registers: usize,
    windows: Vec<RootWindow>,
}

/// The register that holds the input.
pub const INPUT: Reg = 0;

impl Program {
    /// The registers to fill before the first instruction, and with what. Register
    /// [`INPUT`] is not among them: it holds the input.
    pub fn loads(&self) -> &[(Reg, Load)] {
        &self.loads
    }

    /// The instructions, in order.
    pub fn code(&self) -> &[Instr] {
        &self.code
    }

    /// The registers holding the results after the last instruction, in the order of
    /// the roots the program was built for.
    pub fn outputs(&self) -> &[Reg] {
        &self.outputs
    }

    /// How many registers the program uses; every register index is below.
    pub fn registers(&self) -> usize {
        self.registers
    }

    /// The root windows [`Op::Window`] refers to. Each is evaluated as the emitter
    /// writes it: `d = (x - center_hi) - center_lo`, `t = (d - mid) · inv_half`,
    /// `q = Σ c_j T_j(t)` as [`crate::refine::clenshaw`] sums it (Clenshaw's
    /// recurrence, or with `split` the even and the odd terms apart), and `d · q` where
    /// `low < d < high`; every operation rounded on its own, in this order.
    pub fn windows(&self) -> &[RootWindow] {
        &self.windows
    }

    /// Builds the program computing `roots` of `def` for one precision, each result
    /// refined and guarded as generated code is.
    pub fn new(def: &Definition, roots: &[NodeId], precision: Precision) -> Program {
        let mut b = Builder::new();
        let values = b.schedule(def, roots);
        let outputs = roots
            .iter()
            .map(|&r| b.result(def, r, values[r.0 as usize], precision))
            .collect();
        b.allocate(outputs)
    }
}

/// Every program of a definition, for one precision.
#[derive(Clone, Debug, PartialEq)]
pub struct Programs {
    /// `f(x)`
    pub forward: Program,
    /// `f'(x)`
    pub derivative: Program,
    /// `(f(x), f'(x))`, sharing their common work.
    pub forward_and_derivative: Program,
    /// `f''(x)`, built for f64 in both precisions: f32 code evaluates the second
    /// derivative in f64, from the input and the parameters as f32 holds them, and
    /// rounds the result once (see [`crate::emit::emit_wide_body`]).
    pub second_derivative: Program,
    /// `∂f/∂p` for each parameter, in declaration order.
    pub param_derivatives: Vec<Program>,
}

impl Programs {
    /// Builds every program of `def` for `precision`.
    pub fn new(def: &Definition, precision: Precision) -> Programs {
        let one = |root: NodeId| Program::new(def, &[root], precision);
        Programs {
            forward: one(def.forward),
            derivative: one(def.derivative),
            forward_and_derivative: Program::new(def, &[def.forward, def.derivative], precision),
            second_derivative: Program::new(def, &[def.second_derivative], Precision::Double),
            param_derivatives: def.param_derivatives.iter().map(|&d| one(d)).collect(),
        }
    }
}

/// A value of the program before register allocation.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Value {
    Input,
    Load(Load),
    /// An instruction whose operands are value indices.
    Op(Op),
}

/// Builds a program in single-assignment form (one value per instruction, operands
/// naming values), then allocates registers. Value [`INPUT`] is the input, as its
/// register will be.
struct Builder {
    values: Vec<Value>,
    windows: Vec<RootWindow>,
    consts: HashMap<u64, Reg>,
    params: HashMap<u16, Reg>,
}

impl Builder {
    fn new() -> Builder {
        Builder {
            values: vec![Value::Input],
            windows: Vec::new(),
            consts: HashMap::new(),
            params: HashMap::new(),
        }
    }

    fn push(&mut self, v: Value) -> Reg {
        self.values.push(v);
        (self.values.len() - 1) as Reg
    }

    fn constant(&mut self, v: f64) -> Reg {
        if let Some(&r) = self.consts.get(&v.to_bits()) {
            return r;
        }
        let r = self.push(Value::Load(Load::Const(v)));
        self.consts.insert(v.to_bits(), r);
        r
    }

    fn param(&mut self, i: u16) -> Reg {
        if let Some(&r) = self.params.get(&i) {
            return r;
        }
        let r = self.push(Value::Load(Load::Param(i)));
        self.params.insert(i, r);
        r
    }

    fn op(&mut self, op: Op) -> Reg {
        self.push(Value::Op(op))
    }

    /// One value per node reachable from `roots`, indexed by node id (unreached nodes
    /// map to the input, which nothing reads through them).
    fn schedule(&mut self, def: &Definition, roots: &[NodeId]) -> Vec<Reg> {
        let g = &def.graph;
        let x = INPUT;
        let mut at = vec![x; g.len()];
        for id in g.reachable(roots) {
            let v = |n: NodeId| at[n.0 as usize];
            let value = match g.node(id) {
                Node::Const(bits) => self.constant(f64::from_bits(bits)),
                Node::Input => x,
                Node::Param(i) => self.param(i),
                Node::Bool(b) => self.constant(if b { 1.0 } else { 0.0 }),
                Node::Neg(a) => self.op(Op::Neg(v(a))),
                Node::Add(a, b) => match Sum::of(g, a, b) {
                    Sum::TanhSoftplusSlope(u, w) => self.op(Op::TanhSoftplusSlope(v(u), v(w))),
                    Sum::Plain => self.op(Op::Add(v(a), v(b))),
                },
                Node::Sub(a, b) => self.op(Op::Sub(v(a), v(b))),
                Node::Mul(a, b) => match Product::of(g, a, b) {
                    Product::Call(math, u) => self.op(Op::Call(math, v(u))),
                    Product::Fused(f, u, other) => self.op(Op::FusedMul(f, v(u), v(other))),
                    Product::Plain => self.op(Op::Mul(v(a), v(b))),
                },
                Node::Div(a, b) => self.op(Op::Div(v(a), v(b))),
                Node::Call(f, a) => {
                    let (math, arg) = Math::of_call(g, f, a);
                    self.op(Op::Call(math, v(arg)))
                }
                Node::Max(a, b) => self.op(Op::Max(v(a), v(b))),
                Node::Min(a, b) => self.op(Op::Min(v(a), v(b))),
                Node::Pow(a, b) => self.op(Op::Pow(v(a), v(b))),
                Node::MulErr(a, b) => self.op(Op::MulErr(v(a), v(b))),
                Node::Powi(a, n) => self.op(Op::Powi(v(a), n)),
                Node::Cmp(op, a, b) => self.op(Op::Cmp(op, v(a), v(b))),
                Node::And(a, b) => self.op(Op::And(v(a), v(b))),
                Node::Or(a, b) => self.op(Op::Or(v(a), v(b))),
                Node::Select(c, a, b) => self.op(Op::Select(v(c), v(a), v(b))),
            };
            at[id.0 as usize] = value;
        }
        at
    }

    /// The value of one result: refined by its windows in `f32`, then guarded for each
    /// variable whose NaN it does not carry, in the emitter's order.
    fn result(&mut self, def: &Definition, root: NodeId, value: Reg, precision: Precision) -> Reg {
        let mut value = value;
        let windows = def.windows.iter().filter(|(r, _)| *r == root);
        // The emitter selects each window in its precision only; in the other, the
        // selection is constant and compiled away.
        for w in windows.flat_map(|(_, ws)| ws) {
            if w.precision == precision {
                value = self.window(w, value);
            }
        }
        let vars = std::iter::once(Node::Input)
            .chain((0..def.header.params.len() as u16).map(Node::Param));
        for var in vars {
            if crate::nan::carries_nan(&def.graph, root, var) {
                continue;
            }
            let guard = match var {
                Node::Param(i) => self.param(i),
                _ => INPUT,
            };
            value = self.op(Op::PropagateNan(value, guard));
        }
        value
    }

    /// A root window selected over `general` inside it. Windows with fewer than two
    /// coefficients are left out: the emitter and [`crate::refine`] never make them.
    fn window(&mut self, w: &RootWindow, general: Reg) -> Reg {
        if w.coeffs.len() < 2 {
            return general;
        }
        let k = self.windows.len() as u32;
        self.windows.push(w.clone());
        self.op(Op::Window(k, general))
    }

    /// Drops the values no output needs, and gives the rest registers: the input
    /// register 0, then the loads, then instruction results, reusing a register once
    /// its value is dead. A result never shares a register with its operands.
    fn allocate(self, outputs: Vec<Reg>) -> Program {
        let n = self.values.len();
        let mut live = vec![false; n];
        for &o in &outputs {
            live[o as usize] = true;
        }
        for i in (0..n).rev() {
            if let (true, Value::Op(op)) = (live[i], self.values[i]) {
                for a in op.operands() {
                    live[a as usize] = true;
                }
            }
        }
        // The last instruction reading each value; outputs live to the end.
        let mut last_use = vec![0usize; n];
        for (i, v) in self.values.iter().enumerate() {
            if let (true, Value::Op(op)) = (live[i], v) {
                for a in op.operands() {
                    last_use[a as usize] = i;
                }
            }
        }
        for &o in &outputs {
            last_use[o as usize] = usize::MAX;
        }
        let mut reg: Vec<Reg> = vec![INPUT; n];
        let mut loads = Vec::new();
        let mut registers: Reg = 1;
        for (i, v) in self.values.iter().enumerate() {
            if let (true, Value::Load(load)) = (live[i], v) {
                reg[i] = registers;
                loads.push((registers, *load));
                registers += 1;
            }
        }
        let mut free: Vec<Reg> = Vec::new();
        let mut code = Vec::new();
        for (i, v) in self.values.iter().enumerate() {
            let (true, Value::Op(op)) = (live[i], v) else {
                continue;
            };
            let dst = free.pop().unwrap_or_else(|| {
                registers += 1;
                registers - 1
            });
            reg[i] = dst;
            code.push(Instr {
                dst,
                op: op.map(|a| reg[a as usize]),
            });
            for a in op.operands() {
                let dead = last_use[a as usize] == i;
                if dead
                    && matches!(self.values[a as usize], Value::Op(_))
                    && !free.contains(&reg[a as usize])
                {
                    free.push(reg[a as usize]);
                }
            }
        }
        Program {
            loads,
            code,
            outputs: outputs.iter().map(|&o| reg[o as usize]).collect(),
            registers: registers as usize,
            windows: self.windows,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compile_str;
    use crate::eval::{eval, eval_func, max_nan, min_nan, mul_err};
    use crate::refine::clenshaw;

    /// Runs a program in `f64` with the interpreter's math, one element, checking
    /// that no instruction reads a register it writes.
    fn run(p: &Program, x: f64, params: &[f64]) -> Vec<f64> {
        let mut r = vec![f64::NAN; p.registers()];
        r[INPUT as usize] = x;
        for &(reg, load) in p.loads() {
            r[reg as usize] = match load {
                Load::Const(v) => v,
                Load::Param(i) => params[i as usize],
            };
        }
        let truth = |b: bool| if b { 1.0 } else { 0.0 };
        for i in p.code() {
            assert!(!i.op.operands().contains(&i.dst), "{i:?}");
            let a = |k: usize| r[i.op.operands()[k] as usize];
            r[i.dst as usize] = match i.op {
                Op::Neg(_) => -a(0),
                Op::Add(..) => a(0) + a(1),
                Op::Sub(..) => a(0) - a(1),
                Op::Mul(..) => a(0) * a(1),
                Op::Div(..) => a(0) / a(1),
                Op::Call(Math::Func(f), _) => eval_func(f, a(0)),
                Op::Call(Math::TanhSoftplus, _) => eval_func(Func::Softplus, a(0)).tanh(),
                Op::Call(Math::Sech2Softplus, _) => {
                    eval_func(Func::Sech2, eval_func(Func::Softplus, a(0)))
                }
                Op::Call(Math::Sech2Exp, _) => eval_func(Func::Sech2, a(0).exp()),
                Op::Call(Math::SigmoidNeg, _) => eval_func(Func::Sigmoid, -a(0)),
                Op::Call(Math::SigmoidSech2Softplus, _) => {
                    eval_func(Func::Sech2, eval_func(Func::Softplus, a(0)))
                        * eval_func(Func::Sigmoid, a(0))
                }
                Op::Max(..) => max_nan(a(0), a(1)),
                Op::Min(..) => min_nan(a(0), a(1)),
                Op::Pow(..) => a(0).powf(a(1)),
                Op::MulErr(..) => mul_err(a(0), a(1)),
                Op::FusedMul(f, ..) => eval_func(f.func(), a(0)) * a(1),
                Op::TanhSoftplusSlope(..) => crate::eval::tanh_softplus_slope(a(0), a(1)),
                Op::Powi(_, n) => a(0).powi(n),
                Op::Cmp(op, ..) => truth(op.apply(a(0), a(1))),
                Op::And(..) => truth(a(0) != 0.0 && a(1) != 0.0),
                Op::Or(..) => truth(a(0) != 0.0 || a(1) != 0.0),
                Op::Select(..) => {
                    if a(0) != 0.0 {
                        a(1)
                    } else {
                        a(2)
                    }
                }
                Op::PropagateNan(..) => {
                    if a(1).is_nan() {
                        a(1)
                    } else {
                        a(0)
                    }
                }
                Op::Window(k, _) => {
                    let w = &p.windows()[k as usize];
                    let (scale, power) = w
                        .scale
                        .map_or((1.0, 0), |(i, k)| (params[usize::from(i)], k));
                    let d = ((scale * x - w.center_hi) - w.center_lo) + mul_err(scale, x);
                    let t = (d - w.mid) * w.inv_half;
                    let fitted = w.params.iter().all(|&(i, v)| params[usize::from(i)] == v);
                    if fitted && d > w.low && d < w.high {
                        d * clenshaw(&w.coeffs, t, w.split) * scale.powi(power)
                    } else {
                        a(0)
                    }
                }
            };
        }
        p.outputs().iter().map(|&o| r[o as usize]).collect()
    }

    const SOURCES: &str = "
        Relu(x) = max(0, x);
        Leaky(x; s = 0.01) = if x > 0 { x } else { s * x };
        Prelu(x; learn a = 0.25) = if x > 0 { x } else { a * x };
        Mish(x) = x * tanh(softplus(x));
        Gelu(x) = 0.5 * x * (1 + erf(x / sqrt(2)));
        Elu(x; alpha = 1) = if x > 0 { x } else { alpha * expm1(x) };
        Mix(x; a = 0.5, b = 2) = { let t = tanh(a * x); if x > b || x < -b { t * t } else { pow(abs(x) + 1, a) - powi(t, 3) } };
    ";

    #[test]
    fn programs_compute_what_the_interpreter_does() {
        for def in compile_str(SOURCES).expect("compiles") {
            let params = def.default_params();
            let p = Programs::new(&def, Precision::Double);
            let cases = [
                (&p.forward, vec![def.forward]),
                (&p.derivative, vec![def.derivative]),
                (&p.second_derivative, vec![def.second_derivative]),
                (&p.forward_and_derivative, vec![def.forward, def.derivative]),
            ];
            let with_params = p
                .param_derivatives
                .iter()
                .zip(&def.param_derivatives)
                .map(|(p, &d)| (p, vec![d]));
            for (program, roots) in cases.into_iter().chain(with_params) {
                for x in [-3.0, -1.0, -0.25, 0.0, 0.5, 1.5, 2.5, 7.0] {
                    let got = run(program, x, &params);
                    for (g, &root) in got.iter().zip(&roots) {
                        let want = eval(&def.graph, root, x, &params);
                        let close = (g - want).abs() <= 1e-12 * want.abs().max(1.0);
                        assert!(close, "{}: {g} vs {want} at {x}", def.header.name);
                    }
                }
                // NaN in, NaN out: the guards are there.
                assert!(run(program, f64::NAN, &params).iter().all(|v| v.is_nan()));
            }
        }
    }

    #[test]
    fn fused_calls_drop_the_unused_softplus_and_registers_are_reused() {
        let defs = compile_str("Mish(x) = x * tanh(softplus(x));").expect("compiles");
        let p = Program::new(&defs[0], &[defs[0].forward], Precision::Double);
        let ops: Vec<Op> = p.code().iter().map(|i| i.op).collect();
        assert_eq!(
            ops,
            [Op::Call(Math::TanhSoftplus, INPUT), Op::Mul(INPUT, 1)],
            "{p:?}"
        );
        let d = Program::new(&defs[0], &[defs[0].second_derivative], Precision::Double);
        assert!(d.registers() < d.code().len(), "{d:?}");
    }

    #[test]
    fn tanh_softplus_slope_is_one_call() {
        // mish' = tanh(sp) + x·(sech2(sp)·σ(x)): the sum is one fused call, from the
        // same argument as tanh(softplus(x)), with no plain product or sum left.
        let defs = compile_str("Mish(x) = x * tanh(softplus(x));").expect("compiles");
        let d = &defs[0];
        for precision in [Precision::Single, Precision::Double] {
            let p = Program::new(d, &[d.derivative], precision);
            let ops: Vec<Op> = p.code().iter().map(|i| i.op).collect();
            assert_eq!(ops[0], Op::TanhSoftplusSlope(INPUT, INPUT), "{p:?}");
            assert!(
                ops[1..].iter().all(|op| matches!(op, Op::Window(..))),
                "{p:?}"
            );
        }
        // The sum written out, its terms and factors in other orders, with another
        // factor than x, is the same call; its value is the sum's.
        for (text, v) in [
            (
                "F(x) = tanh(softplus(x)) + x * (sech2(softplus(x)) * sigmoid(x));",
                None,
            ),
            (
                "F(x) = (sigmoid(x) * sech2(softplus(x))) * x + tanh(softplus(x));",
                None,
            ),
            (
                "F(x) = (sigmoid(x) * sech2(softplus(x))) * 3 + tanh(softplus(x));",
                Some(3.0),
            ),
            (
                "F(x) = tanh(softplus(x)) + exp(x) * (sigmoid(x) * sech2(softplus(x)));",
                None,
            ),
        ] {
            let defs = compile_str(text).expect("compiles");
            let d = &defs[0];
            let p = Program::new(d, &[d.forward], Precision::Double);
            let slope: Vec<Op> = p
                .code()
                .iter()
                .map(|i| i.op)
                .filter(|op| matches!(op, Op::TanhSoftplusSlope(..)))
                .collect();
            assert_eq!(slope.len(), 1, "{text}: {p:?}");
            if let (Some(3.0), Op::TanhSoftplusSlope(u, w)) = (v, slope[0]) {
                assert_eq!(u, INPUT, "{text}");
                assert_ne!(w, INPUT, "{text}");
            }
            for x in [-30.0, -3.0, 0.5, 4.0, 25.0] {
                let got = run(&p, x, &[])[0];
                let want = eval(&d.graph, d.forward, x, &[]);
                assert!(
                    (got - want).abs() <= 1e-15 * want.abs(),
                    "{text} at {x}: {got} vs {want}"
                );
            }
        }
        // A sum of other terms stays a sum.
        let defs = compile_str("F(x) = tanh(softplus(x)) + x * sech2(softplus(x));").expect("ok");
        let p = Program::new(&defs[0], &[defs[0].forward], Precision::Double);
        assert!(
            !p.code()
                .iter()
                .any(|i| matches!(i.op, Op::TanhSoftplusSlope(..))),
            "{p:?}"
        );
    }

    #[test]
    fn programs_carry_the_root_windows_of_their_precision() {
        let defs = compile_str("Mish(x) = x * tanh(softplus(x));").expect("compiles");
        let d = &defs[0];
        for precision in [Precision::Single, Precision::Double] {
            let p = Program::new(d, &[d.derivative], precision);
            let fitted = d
                .windows
                .iter()
                .filter(|(root, _)| *root == d.derivative)
                .flat_map(|(_, ws)| ws)
                .filter(|w| w.precision == precision)
                .count();
            let windows = p.code().iter().filter(|i| matches!(i.op, Op::Window(..)));
            assert_eq!(windows.count(), fitted, "{precision:?}");
            assert_eq!(p.windows().len(), fitted);
        }
        // f32 computes mish' as one sum finished in f64 (`Sum`), which needs no
        // window beside the root at -1.19; f64 takes one there.
        let single = Program::new(d, &[d.derivative], Precision::Single);
        assert!(single.windows().is_empty(), "{single:?}");
        let double = Program::new(d, &[d.derivative], Precision::Double);
        assert_eq!(double.windows().len(), 1, "{double:?}");
        // Inside the window, the polynomial stands in for the formula.
        let w = &double.windows()[0];
        let x = w.center_hi + w.center_lo + 0.5 * (w.low + w.high);
        let got = run(&double, x, &[])[0];
        let want = eval(&d.graph, d.derivative, x, &[]);
        assert!((got - want).abs() < 1e-6, "{got} vs {want}");
    }

    #[test]
    fn constant_results_need_no_code() {
        let defs = compile_str("Relu(x) = max(0, x);").expect("compiles");
        let d = &defs[0];
        let p = Program::new(d, &[d.second_derivative], Precision::Double);
        // f'' = 0, guarded so that NaN stays NaN.
        assert_eq!(run(&p, 2.0, &[]), [0.0]);
        assert!(run(&p, f64::NAN, &[])[0].is_nan());
    }
}
