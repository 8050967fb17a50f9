//! Run-time definitions: an activation compiled from text while the program runs,
//! for configuration files, notebooks and tools.
//!
//! ```
//! use actdiff::{Activation, Dynamic};
//!
//! let swish = Dynamic::parse("Swish(x; learn beta = 1) = x * sigmoid(beta * x);")?;
//! let swish = swish.with_params(&[1.5])?;
//! assert!((swish.forward(2.0f32) - 2.0 / (1.0 + (-3.0f32).exp())).abs() < 1e-6);
//! let mut dy = [0.0f64; 3];
//! swish.backward_slice(&[-1.0, 0.0, 1.0], &[1.0; 3], &mut dy);
//! assert_eq!(dy[1], 0.5);
//! assert_eq!(swish.info().formula, "x * sigmoid(beta * x)");
//! assert_eq!(swish.info().params[0].name, "beta");
//!
//! // Errors point into the text, as the compiler's do.
//! let e = Dynamic::parse("Bad(x) = tahn(x);").unwrap_err();
//! assert_eq!(e.items[0].message, "unknown function `tahn`");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The engine that expands `activation!` compiles the definition, and
//! [`actdiff_core::compiled`] turns each generated function into a flat
//! register-machine program: the same operations as the macro's code, so that a
//! `Dynamic` gives the same results, bit for bit, as the type `activation!` would
//! generate from the same text. Slice methods run each instruction over a block of
//! [`BLOCK`] elements (the registers hold blocks), so that the inner loops are plain
//! loops over arrays with the runtime's branch-free math, which the compiler
//! vectorizes; the cost of dispatching an instruction is paid once per block. The
//! scalar methods run the same programs for one element, which is slower than
//! generated code: use the slice methods for throughput.

use crate::dispatch::vectorized;
use crate::kernels::{lanes_or_serial, same_len, serial_sum, sum_blocks, LANES};
use crate::params::{check_constraint, format_real};
use crate::{Activation, ActivationInfo, ParamError, ParamInfo, Real};
use actdiff_core::check::f32_problem;
use actdiff_core::compiled::{Instr, Load, Math, Op, Precision, Program, Programs, INPUT};
use actdiff_core::constraints::{resolve, Resolved};
use actdiff_core::graph::{CmpOp, Func, Fused};
use actdiff_core::print::to_dsl;
use actdiff_core::refine::RootWindow;
use actdiff_core::{compile_str, Definition, Diagnostic, Diagnostics};
use std::borrow::Cow;
use std::fmt;

/// Elements per block of the slice methods: registers of this many elements stay in
/// L1 for a program of a few dozen registers, and dispatching an instruction is
/// negligible next to computing it 256 times.
pub const BLOCK: usize = 256;

/// An activation defined by text at run time, with its derivatives, implementing
/// [`Activation`] for `f32` and `f64`. See the [module docs](self).
#[derive(Clone, Debug)]
pub struct Dynamic {
    info: ActivationInfo,
    /// `Definition::oscillates_toward` -inf and +inf, at the declared defaults: no
    /// limit rule there.
    oscillates: [bool; 2],
    params: Vec<f64>,
    rules: Vec<Rule>,
    single: Programs,
    double: Programs,
}

/// A `where` constraint of the definition, with the words of its error, checked
/// whenever the parameters change, as the generated `try_new` checks it.
#[derive(Clone, Debug)]
struct Rule {
    resolved: Resolved,
    /// The parameter the error names (`alpha`).
    subject: String,
    /// `alpha must be != 0`.
    requirement: String,
    /// The parameters it names, with their indices, for the error's values.
    names: Vec<(usize, String)>,
}

/// A parameter value a [`Dynamic`] refused.
#[derive(Clone, Debug, PartialEq)]
pub enum DynamicParamError {
    /// [`Dynamic::with_params`] got a number of values other than the parameters'.
    Count {
        /// The activation's name.
        activation: String,
        /// How many parameters it has.
        expected: usize,
        /// How many values were given.
        given: usize,
    },
    /// A value violates a `where` constraint of the definition (`Celu: alpha must be
    /// != 0, got 0`), as the generated `try_new` reports it.
    Constraint(ParamError),
    /// [`Dynamic::set_param`] got a name that is not a parameter.
    Unknown {
        /// The activation's name.
        activation: String,
        /// The name given.
        name: String,
        /// The parameters' names, in declaration order.
        known: Vec<String>,
    },
}

impl fmt::Display for DynamicParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DynamicParamError::Count {
                activation,
                expected,
                given,
            } => {
                let s = if *expected == 1 { "" } else { "s" };
                write!(
                    f,
                    "`{activation}` has {expected} parameter{s}, but {given} value{} given",
                    if *given == 1 { " was" } else { "s were" }
                )
            }
            DynamicParamError::Unknown {
                activation,
                name,
                known,
            } if known.is_empty() => {
                write!(f, "`{activation}` has no parameter `{name}`: it has none")
            }
            DynamicParamError::Unknown {
                activation,
                name,
                known,
            } => {
                let list: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
                write!(
                    f,
                    "`{activation}` has no parameter `{name}`; its parameters are {}",
                    list.join(", ")
                )
            }
            DynamicParamError::Constraint(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for DynamicParamError {}

impl Dynamic {
    /// Compiles one definition, written as inside `activation!`:
    /// `Mish(x) = x * tanh(softplus(x))`, with or without the final `;`. The
    /// parameters start at their declared defaults.
    ///
    /// # Errors
    /// Every mistake in the text, with byte ranges into it; `Display` renders them
    /// under the source line. Text with several definitions is an error too: see
    /// [`Dynamic::parse_all`].
    pub fn parse(text: &str) -> Result<Dynamic, Diagnostics> {
        let defs = compile_str(text)?;
        match defs.as_slice() {
            [one] => Ok(Dynamic::from_definition(one)),
            _ => {
                let second = defs.get(1);
                Err(Diagnostics {
                    source: text.to_string(),
                    items: vec![Diagnostic {
                        message: format!("expected one definition, found {}", defs.len()),
                        help: second.map(|d| {
                            format!(
                                "use `Dynamic::parse_all` to compile `{}` and the others too",
                                d.header.name
                            )
                        }),
                        range: second.map_or(0..0, |d| d.header.name.span().byte_range()),
                    }],
                })
            }
        }
    }

    /// Compiles every definition of the text, in order.
    ///
    /// # Errors
    /// Every mistake in every definition, with byte ranges into the text.
    pub fn parse_all(text: &str) -> Result<Vec<Dynamic>, Diagnostics> {
        Ok(compile_str(text)?
            .iter()
            .map(Dynamic::from_definition)
            .collect())
    }

    /// The run-time form of a compiled definition.
    pub fn from_definition(def: &Definition) -> Dynamic {
        let g = &def.graph;
        let params = def
            .header
            .params
            .iter()
            .zip(&def.param_derivatives)
            .map(|(p, &d)| ParamInfo {
                name: Cow::Owned(p.name.to_string()),
                learn: p.learn.is_some(),
                default: p.default,
                derivative: Cow::Owned(to_dsl(g, d)),
            })
            .collect::<Vec<_>>();
        Dynamic {
            info: ActivationInfo {
                name: Cow::Owned(def.header.name.to_string()),
                input: Cow::Owned(g.input_name.clone()),
                formula: Cow::Owned(to_dsl(g, def.forward)),
                derivative: Cow::Owned(to_dsl(g, def.derivative)),
                second_derivative: Cow::Owned(to_dsl(g, def.second_derivative)),
                params: Cow::Owned(params),
                constraints: Cow::Owned(actdiff_core::constraints::where_text(&def.header)),
            },
            oscillates: [f64::NEG_INFINITY, f64::INFINITY].map(|i| def.oscillates_toward(i)),
            params: def.default_params(),
            rules: resolve(&def.header)
                .into_iter()
                .map(|resolved| Rule {
                    resolved,
                    subject: def.header.params[resolved.subject].name.to_string(),
                    requirement: resolved.requirement(&def.header),
                    names: resolved
                        .params()
                        .into_iter()
                        .map(|i| (i, def.header.params[i].name.to_string()))
                        .collect(),
                })
                .collect(),
            single: Programs::new(def, Precision::Single),
            double: Programs::new(def, Precision::Double),
        }
    }

    /// The same activation with these parameter values, in declaration order.
    ///
    /// # Errors
    /// When the number of values is not the number of parameters, or a value violates
    /// one of the definition's `where` constraints (a NaN violates every constraint
    /// that names it).
    pub fn with_params(mut self, values: &[f64]) -> Result<Dynamic, DynamicParamError> {
        if values.len() != self.params.len() {
            return Err(DynamicParamError::Count {
                activation: self.info.name.to_string(),
                expected: self.params.len(),
                given: values.len(),
            });
        }
        self.check_rules(values)
            .map_err(DynamicParamError::Constraint)?;
        self.params.copy_from_slice(values);
        Ok(self)
    }

    /// Sets the parameter at `i` (an index in range) if the `where` constraints allow
    /// the new value; otherwise keeps the old one.
    fn set_value(&mut self, i: usize, value: f64) -> Result<(), ParamError> {
        let mut values = self.params.clone();
        values[i] = value;
        self.check_rules(&values)?;
        self.params = values;
        Ok(())
    }

    /// The first problem with these values, as an error: a finite value that f32, in
    /// which the f32 methods compute, makes infinite or 0 (as a default may not be:
    /// `b = 1e39` made `x * sigmoid(b * x)` NaN at x = 0 in f32), or a `where`
    /// constraint they violate as given (the f64 methods' values) or rounded to f32
    /// (`a > 0` with `a = 1e-50` holds in f64 but not in f32, where `a` is 0).
    fn check_rules(&self, values: &[f64]) -> Result<(), ParamError> {
        for (p, &v) in self.info.params.iter().zip(values) {
            if let Some(problem) = f32_problem(v).filter(|_| v.is_finite()) {
                return Err(ParamError::new(
                    self.info.name.clone(),
                    p.name.clone(),
                    format!("{} {problem}", p.name),
                    format_real(v),
                ));
            }
        }
        self.check_constraints(values, "")?;
        let in_f32: Vec<f32> = values.iter().map(|&v| v as f32).collect();
        self.check_constraints(&in_f32, " in f32")
    }

    /// The first `where` constraint `values` violate, as an error whose requirement
    /// ends with `suffix`.
    fn check_constraints<T: Real>(&self, values: &[T], suffix: &str) -> Result<(), ParamError> {
        let wide: Vec<f64> = values.iter().map(|v| v.to_f64()).collect();
        for rule in &self.rules {
            let named: Vec<(&str, T)> = rule
                .names
                .iter()
                .map(|(i, name)| (name.as_str(), values[*i]))
                .collect();
            check_constraint(
                rule.resolved.holds(&wide),
                self.info.name.clone(),
                rule.subject.clone(),
                format!("{}{suffix}", rule.requirement),
                &named,
            )?;
        }
        Ok(())
    }

    /// Sets one parameter by name.
    ///
    /// # Errors
    /// When the activation has no parameter of that name, or the value violates one of
    /// the definition's `where` constraints; the parameter keeps its value then.
    pub fn set_param(&mut self, name: &str, value: f64) -> Result<(), DynamicParamError> {
        match self.info.params.iter().position(|p| p.name == name) {
            Some(i) => self
                .set_value(i, value)
                .map_err(DynamicParamError::Constraint),
            None => Err(DynamicParamError::Unknown {
                activation: self.info.name.to_string(),
                name: name.to_string(),
                known: self
                    .info
                    .params
                    .iter()
                    .map(|p| p.name.to_string())
                    .collect(),
            }),
        }
    }

    /// The name and the formulas (forward, derivatives) as DSL text; the same as
    /// [`Activation::info`], without naming the float type.
    pub fn info(&self) -> &ActivationInfo {
        &self.info
    }

    /// The current parameter values, in declaration order.
    pub fn params(&self) -> &[f64] {
        &self.params
    }

    /// The programs for `T`'s precision.
    fn programs<T: Real>(&self) -> &Programs {
        if T::SINGLE {
            &self.single
        } else {
            &self.double
        }
    }

    /// Runs a program for one element and returns its first `K` results. A small
    /// register file lives on the stack: the scalar methods allocate nothing.
    #[inline]
    fn scalar<T: Real, const K: usize>(&self, p: &Program, x: T) -> [T; K] {
        self.scalar_with(p, x, &self.params)
    }

    /// [`Dynamic::scalar`] with these parameter values.
    #[inline]
    fn scalar_with<T: Real, const K: usize>(&self, p: &Program, x: T, params: &[f64]) -> [T; K] {
        const STACK: usize = 32;
        let run = |regs: &mut [T]| {
            let mut m = Machine::new(regs, p, params, 1);
            m.run(p, &[x]);
            std::array::from_fn(|k| m.output(p, k, 1)[0])
        };
        if p.registers() <= STACK {
            run(&mut [T::default(); STACK][..p.registers()])
        } else {
            run(&mut vec![T::default(); p.registers()])
        }
    }
}

/// A register file of `width` elements per register, with the program's constants
/// and parameters loaded.
struct Machine<'r, T> {
    regs: &'r mut [T],
    width: usize,
    /// The parameter values, which decide whether a root window applies.
    params: &'r [f64],
}

impl<'r, T: Real> Machine<'r, T> {
    /// Loads `p`'s constants and parameters into `regs`, which holds
    /// `p.registers() * width` elements.
    #[inline(always)]
    fn new(regs: &'r mut [T], p: &Program, params: &'r [f64], width: usize) -> Machine<'r, T> {
        for &(r, load) in p.loads() {
            let v = match load {
                Load::Const(v) => v,
                Load::Param(i) => params.get(usize::from(i)).copied().unwrap_or(f64::NAN),
            };
            let start = r as usize * width;
            regs[start..start + width].fill(T::from_f64(v));
        }
        Machine {
            regs,
            width,
            params,
        }
    }

    /// Runs the program for the elements `x` (at most `width` of them).
    #[inline(always)]
    fn run(&mut self, p: &Program, x: &[T]) {
        let n = x.len();
        self.regs[..n].copy_from_slice(x);
        for instr in p.code() {
            step(self.regs, self.width, n, instr, p.windows(), self.params);
        }
    }

    /// The first `n` elements of the program's `k`-th result.
    #[inline(always)]
    fn output(&self, p: &Program, k: usize, n: usize) -> &[T] {
        let start = p.outputs()[k] as usize * self.width;
        &self.regs[start..start + n]
    }

    /// The first `n` elements of the input register.
    #[inline(always)]
    fn input(&self, n: usize) -> &[T] {
        let start = INPUT as usize * self.width;
        &self.regs[start..start + n]
    }
}

/// Runs one instruction over the first `n` elements of its registers. The
/// destination is never an operand (see [`actdiff_core::compiled`]), so the register
/// file splits around it into the registers before and after.
#[inline(always)]
fn step<T: Real>(
    regs: &mut [T],
    width: usize,
    n: usize,
    instr: &Instr,
    windows: &[RootWindow],
    params: &[f64],
) {
    let d = instr.dst as usize;
    let (before, rest) = regs.split_at_mut(d * width);
    let (dst, after) = rest.split_at_mut(width);
    let out = &mut dst[..n];
    let get = |r: u32| -> &[T] {
        let r = r as usize;
        if r < d {
            &before[r * width..r * width + n]
        } else {
            let start = (r - d - 1) * width;
            &after[start..start + n]
        }
    };
    let one = T::from_f64(1.0);
    let zero = T::default();
    let truth = |b: bool| if b { one } else { zero };
    match instr.op {
        Op::Neg(a) => map1(out, get(a), |a| -a),
        Op::Add(a, b) => map2(out, get(a), get(b), |a, b| a + b),
        Op::Sub(a, b) => map2(out, get(a), get(b), |a, b| a - b),
        Op::Mul(a, b) => map2(out, get(a), get(b), |a, b| a * b),
        Op::Div(a, b) => map2(out, get(a), get(b), |a, b| a / b),
        Op::Call(f, a) => call(out, get(a), f),
        Op::Max(a, b) => map2(out, get(a), get(b), T::max),
        Op::Min(a, b) => map2(out, get(a), get(b), T::min),
        Op::Pow(a, b) => map2(out, get(a), get(b), T::pow),
        Op::MulErr(a, b) => map2(out, get(a), get(b), T::mul_err),
        Op::FusedMul(Fused::Gauss, a, b) => map2(out, get(a), get(b), T::gauss_mul),
        Op::FusedMul(Fused::Erfc, a, b) => map2(out, get(a), get(b), T::erfc_mul),
        Op::TanhSoftplusSlope(a, b) => map2(out, get(a), get(b), T::tanh_softplus_slope),
        Op::Powi(a, k) => map1(out, get(a), |a| a.powi(k)),
        Op::Cmp(op, a, b) => match op {
            CmpOp::Lt => map2(out, get(a), get(b), |a, b| truth(a < b)),
            CmpOp::Le => map2(out, get(a), get(b), |a, b| truth(a <= b)),
            CmpOp::Gt => map2(out, get(a), get(b), |a, b| truth(a > b)),
            CmpOp::Ge => map2(out, get(a), get(b), |a, b| truth(a >= b)),
        },
        Op::And(a, b) => map2(out, get(a), get(b), |a, b| truth((a != zero) & (b != zero))),
        Op::Or(a, b) => map2(out, get(a), get(b), |a, b| truth((a != zero) | (b != zero))),
        Op::Select(c, a, b) => map3(
            out,
            get(c),
            get(a),
            get(b),
            |c, a, b| if c != zero { a } else { b },
        ),
        Op::PropagateNan(a, v) => map2(out, get(a), get(v), T::propagate_nan),
        Op::Window(k, general) => {
            let w = &windows[k as usize];
            // A window fitted at parameter values applies only at those values (in
            // T, as the emitter compares them).
            let fitted = w.params.iter().all(|&(i, v)| {
                let now = params.get(usize::from(i)).copied().unwrap_or(f64::NAN);
                T::from_f64(now) == T::from_f64(v)
            });
            // A window in `u = p·x` takes p's value, whatever it is.
            let scale = w.scale.map(|(i, k)| {
                let p = params.get(usize::from(i)).copied().unwrap_or(f64::NAN);
                (T::from_f64(p), k)
            });
            if !fitted {
                out.copy_from_slice(get(general))
            } else if w.wide {
                window::<T, f64>(out, get(INPUT), get(general), w, scale)
            } else {
                window::<T, T>(out, get(INPUT), get(general), w, scale)
            }
        }
    }
}

/// Lanes of a window's evaluation: enough for two or four vector registers, which
/// hold the recurrence across all the coefficients.
const WINDOW_LANES: usize = 16;

/// `out = if low < d < high { d · q(t) } else { general }` for a root window, with the
/// operations of the emitter in its order (see [`Program::windows`]). Lanes of
/// elements go through the coefficients together, so that the recurrence stays in
/// machine registers and vectorizes, as in generated code.
#[inline(always)]
fn window<T: Real, U: Real>(
    out: &mut [T],
    x: &[T],
    general: &[T],
    w: &RootWindow,
    scale: Option<(T, i32)>,
) {
    let c = |v: f64| U::from_f64(v);
    let (hi, lo) = (T::from_f64(w.center_hi), T::from_f64(w.center_lo));
    let (low, high) = (T::from_f64(w.low), T::from_f64(w.high));
    let (mid, inv_half) = (c(w.mid), c(w.inv_half));
    // `Program` leaves out windows of fewer than two coefficients.
    let n = w.coeffs.len();
    if n < 2 {
        return out.copy_from_slice(general);
    }
    // The coefficients in `U`, on the stack (every window of `refine` has at most
    // 29), and for a split window the even and the odd ones apart, as
    // `refine::clenshaw` sums them.
    let (mut first_stack, mut second_stack) = ([U::default(); 32], [U::default(); 16]);
    let (mut first_heap, mut second_heap) = (Vec::new(), Vec::new());
    let (step, odd) = if w.split { (2, n / 2) } else { (1, 0) };
    let first = on_stack_or_heap(
        w.coeffs.iter().step_by(step).map(|&v| c(v)),
        &mut first_stack,
        &mut first_heap,
    );
    let second = on_stack_or_heap(
        w.coeffs.iter().skip(1).step_by(2).take(odd).map(|&v| c(v)),
        &mut second_stack,
        &mut second_heap,
    );
    let one = c(1.0);
    const L: usize = WINDOW_LANES;
    for ((os, xs), gs) in out.chunks_mut(L).zip(x.chunks(L)).zip(general.chunks(L)) {
        let mut xl = [T::default(); L];
        xl[..xs.len()].copy_from_slice(xs);
        let mut d = [T::default(); L];
        let (mut du, mut t) = ([U::default(); L], [U::default(); L]);
        // For a plain window `s` is `t` itself and `p1` is `T_1(t) = t`; for a split
        // one `s = 2t² - 1` and `p1` is `V_1(s) = 2s - 1` for the odd terms.
        let (mut s, mut two_s, mut v1) = ([U::default(); L], [U::default(); L], [U::default(); L]);
        for k in 0..L {
            d[k] = match scale {
                None => (xl[k] - hi) - lo,
                Some((p, _)) => ((p * xl[k] - hi) - lo) + p.mul_err(xl[k]),
            };
            // Exact: U is T or wider.
            du[k] = U::from_f64(d[k].to_f64());
            t[k] = (du[k] - mid) * inv_half;
            let two_t = t[k] + t[k];
            if w.split {
                s[k] = two_t * t[k] - one;
                two_s[k] = s[k] + s[k];
                v1[k] = two_s[k] - one;
            } else {
                s[k] = t[k];
                two_s[k] = two_t;
            }
        }
        let q = if second.is_empty() {
            half_sum(first, &two_s, &s)
        } else {
            let even_sum = half_sum(first, &two_s, &s);
            let odd_sum = half_sum(second, &two_s, &v1);
            std::array::from_fn(|k| even_sum[k] + t[k] * odd_sum[k])
        };
        for (k, (o, &g)) in os.iter_mut().zip(gs).enumerate() {
            let q = q[k];
            let inside = (d[k] > low) & (d[k] < high);
            // One rounding to T for a wide window; exact for U = T.
            *o = if inside {
                let mut v = T::from_f64((du[k] * q).to_f64());
                if let Some((p, power)) = scale {
                    for _ in 0..power.unsigned_abs() {
                        v = if power > 0 { v * p } else { v / p };
                    }
                }
                v
            } else {
                g
            };
        }
    }
}

/// `items` in `stack` where they fit, else in `heap`.
fn on_stack_or_heap<'a, U: Copy>(
    items: impl ExactSizeIterator<Item = U>,
    stack: &'a mut [U],
    heap: &'a mut Vec<U>,
) -> &'a [U] {
    let len = items.len();
    if len <= stack.len() {
        for (s, v) in stack.iter_mut().zip(items) {
            *s = v;
        }
        &stack[..len]
    } else {
        heap.extend(items);
        heap
    }
}

/// `refine::half_sum` over lanes: `Σ a_k P_k(s)` by Clenshaw's recurrence with
/// `P_1 = p1`, for at least one coefficient.
#[inline(always)]
fn half_sum<U: Real>(
    a: &[U],
    two_s: &[U; WINDOW_LANES],
    p1: &[U; WINDOW_LANES],
) -> [U; WINDOW_LANES] {
    let (a0, rest) = (a[0], &a[1..]);
    let Some((&last, inner)) = rest.split_last() else {
        return [a0; WINDOW_LANES];
    };
    let (mut b1, mut b2) = ([last; WINDOW_LANES], [U::default(); WINDOW_LANES]);
    for &aj in inner.iter().rev() {
        for k in 0..WINDOW_LANES {
            let b0 = (aj - b2[k]) + two_s[k] * b1[k];
            b2[k] = b1[k];
            b1[k] = b0;
        }
    }
    std::array::from_fn(|k| (a0 - b2[k]) + p1[k] * b1[k])
}

/// `out[i] = f(a[i])` for a function of the language, one loop per function so that
/// each inlines its math.
#[inline(always)]
fn call<T: Real>(out: &mut [T], a: &[T], f: Math) {
    match f {
        Math::TanhSoftplus => map1(out, a, T::tanh_softplus),
        Math::Sech2Softplus => map1(out, a, T::sech2_softplus),
        Math::Sech2Exp => map1(out, a, T::sech2_exp),
        Math::SigmoidNeg => map1(out, a, T::sigmoid_neg),
        Math::SigmoidSech2Softplus => map1(out, a, T::sigmoid_sech2_softplus),
        Math::Func(f) => match f {
            Func::Exp => map1(out, a, T::exp),
            Func::Expm1 => map1(out, a, T::expm1),
            Func::Ln => map1(out, a, T::ln),
            Func::Log1p => map1(out, a, T::log1p),
            Func::Sqrt => map1(out, a, T::sqrt),
            Func::Tanh => map1(out, a, T::tanh),
            Func::Sech2 => map1(out, a, T::sech2),
            Func::Sigmoid => map1(out, a, T::sigmoid),
            Func::Softplus => map1(out, a, T::softplus),
            Func::Erf => map1(out, a, T::erf),
            Func::Erfc => map1(out, a, T::erfc),
            Func::Gauss => map1(out, a, T::gauss),
            Func::Sin => map1(out, a, T::sin),
            Func::Cos => map1(out, a, T::cos),
            Func::Cos2x => map1(out, a, T::cos2x),
            Func::Sin2x1p => map1(out, a, T::sin2x1p),
            Func::XcosHalfsin => map1(out, a, T::xcos_halfsin),
            Func::Abs => map1(out, a, T::abs),
        },
    }
}

#[inline(always)]
fn map1<T: Copy>(out: &mut [T], a: &[T], f: impl Fn(T) -> T) {
    for (o, &a) in out.iter_mut().zip(a) {
        *o = f(a);
    }
}

#[inline(always)]
fn map2<T: Copy>(out: &mut [T], a: &[T], b: &[T], f: impl Fn(T, T) -> T) {
    for ((o, &a), &b) in out.iter_mut().zip(a).zip(b) {
        *o = f(a, b);
    }
}

#[inline(always)]
fn map3<T: Copy>(out: &mut [T], a: &[T], b: &[T], c: &[T], f: impl Fn(T, T, T) -> T) {
    for (((o, &a), &b), &c) in out.iter_mut().zip(a).zip(b).zip(c) {
        *o = f(a, b, c);
    }
}

/// Copies a block's results to `out`, and where an infinite input made one NaN,
/// replaces it with `at_infinity(x)`, the scalar method's value (the limit rule of
/// [`Activation`]). The check costs one pass; the replacement is rare.
#[inline(always)]
fn store<T: Real>(out: &mut [T], results: &[T], inputs: &[T], at_infinity: impl Fn(T) -> T) {
    let mut nan = false;
    for (o, &r) in out.iter_mut().zip(results) {
        nan |= r.is_nan();
        *o = r;
    }
    if nan {
        for ((o, &r), &x) in out.iter_mut().zip(results).zip(inputs) {
            if r.is_nan() && x.is_infinite() {
                *o = at_infinity(x);
            }
        }
    }
}

impl<T: Real> Activation<T> for Dynamic {
    fn info(&self) -> &ActivationInfo {
        &self.info
    }

    #[track_caller]
    fn param(&self, index: usize) -> T {
        match self.params.get(index) {
            Some(&v) => T::from_f64(v),
            None => {
                crate::__private::parameter_out_of_range(&self.info.name, self.params.len(), index)
            }
        }
    }

    #[track_caller]
    fn set_param(&mut self, index: usize, value: T) -> Result<(), ParamError> {
        if index >= self.params.len() {
            crate::__private::parameter_out_of_range(&self.info.name, self.params.len(), index);
        }
        self.set_value(index, value.to_f64())
    }

    fn forward_finite(&self, x: T) -> T {
        let [f] = self.scalar(&self.programs::<T>().forward, x);
        f
    }

    fn derivative_finite(&self, x: T) -> T {
        let [d] = self.scalar(&self.programs::<T>().derivative, x);
        d
    }

    fn forward_and_derivative_finite(&self, x: T) -> (T, T) {
        let [f, d] = self.scalar(&self.programs::<T>().forward_and_derivative, x);
        (f, d)
    }

    fn second_derivative_finite(&self, x: T) -> T {
        let p = &self.programs::<T>().second_derivative;
        if T::SINGLE {
            // In f64 from the f32 input and parameters, rounded once, as generated
            // f32 code evaluates it (the program is built for f64).
            let (mut stack, mut heap) = ([0.0; 8], Vec::new());
            let params = on_stack_or_heap(
                self.params.iter().map(|&v| f64::from(v as f32)),
                &mut stack,
                &mut heap,
            );
            let [d2] = self.scalar_with::<f64, 1>(p, x.to_f64(), params);
            T::from_f64(d2)
        } else {
            let [d2] = self.scalar(p, x);
            d2
        }
    }

    fn param_derivative_finite(&self, index: usize, x: T) -> T {
        match self.programs::<T>().param_derivatives.get(index) {
            Some(p) => {
                let [dp] = self.scalar(p, x);
                dp
            }
            None => T::from_f64(f64::NAN),
        }
    }

    fn oscillates_toward(&self, infinity: T) -> bool {
        self.oscillates[usize::from(infinity > T::default())]
    }

    fn forward_slice(&self, x: &[T], y: &mut [T]) {
        same_len("forward_slice", &[("x", x.len()), ("y", y.len())]);
        let p = &self.programs::<T>().forward;
        vectorized(
            #[inline(always)]
            || {
                let width = BLOCK.min(x.len());
                let mut regs = vec![T::default(); p.registers() * width];
                let mut m = Machine::new(&mut regs, p, &self.params, width);
                for (xs, ys) in x.chunks(BLOCK).zip(y.chunks_mut(BLOCK)) {
                    m.run(p, xs);
                    store(ys, m.output(p, 0, xs.len()), xs, |v| self.forward(v));
                }
            },
        )
    }

    fn forward_in_place(&self, x: &mut [T]) {
        let p = &self.programs::<T>().forward;
        vectorized(
            #[inline(always)]
            || {
                let width = BLOCK.min(x.len());
                let mut regs = vec![T::default(); p.registers() * width];
                let mut m = Machine::new(&mut regs, p, &self.params, width);
                for xs in x.chunks_mut(BLOCK) {
                    let n = xs.len();
                    m.run(p, xs);
                    store(xs, m.output(p, 0, n), m.input(n), |v| self.forward(v));
                }
            },
        )
    }

    fn backward_slice(&self, x: &[T], grad_out: &[T], grad_in: &mut [T]) {
        same_len(
            "backward_slice",
            &[
                ("x", x.len()),
                ("grad_out", grad_out.len()),
                ("grad_in", grad_in.len()),
            ],
        );
        let p = &self.programs::<T>().derivative;
        vectorized(
            #[inline(always)]
            || {
                let width = BLOCK.min(x.len());
                let mut regs = vec![T::default(); p.registers() * width];
                let mut m = Machine::new(&mut regs, p, &self.params, width);
                let blocks = x
                    .chunks(BLOCK)
                    .zip(grad_out.chunks(BLOCK))
                    .zip(grad_in.chunks_mut(BLOCK));
                for ((xs, gs), os) in blocks {
                    m.run(p, xs);
                    let d = m.output(p, 0, xs.len());
                    let mut nan = false;
                    for ((o, &g), &d) in os.iter_mut().zip(gs).zip(d) {
                        nan |= d.is_nan();
                        *o = g * d;
                    }
                    if nan {
                        for (((o, &g), &d), &xi) in os.iter_mut().zip(gs).zip(d).zip(xs) {
                            if d.is_nan() && xi.is_infinite() {
                                *o = g * self.derivative(xi);
                            }
                        }
                    }
                }
            },
        )
    }

    fn forward_backward_slice(&self, x: &[T], grad_out: &[T], y: &mut [T], grad_in: &mut [T]) {
        same_len(
            "forward_backward_slice",
            &[
                ("x", x.len()),
                ("grad_out", grad_out.len()),
                ("y", y.len()),
                ("grad_in", grad_in.len()),
            ],
        );
        let p = &self.programs::<T>().forward_and_derivative;
        vectorized(
            #[inline(always)]
            || {
                let width = BLOCK.min(x.len());
                let mut regs = vec![T::default(); p.registers() * width];
                let mut m = Machine::new(&mut regs, p, &self.params, width);
                let blocks = x
                    .chunks(BLOCK)
                    .zip(grad_out.chunks(BLOCK))
                    .zip(y.chunks_mut(BLOCK).zip(grad_in.chunks_mut(BLOCK)));
                for ((xs, gs), (ys, os)) in blocks {
                    let n = xs.len();
                    m.run(p, xs);
                    let (f, d) = (m.output(p, 0, n), m.output(p, 1, n));
                    let mut nan = false;
                    for ((((y, o), &f), &d), &g) in
                        ys.iter_mut().zip(os.iter_mut()).zip(f).zip(d).zip(gs)
                    {
                        nan |= f.is_nan() | d.is_nan();
                        *y = f;
                        *o = g * d;
                    }
                    if nan {
                        for (((y, o), &g), &xi) in ys.iter_mut().zip(os.iter_mut()).zip(gs).zip(xs)
                        {
                            if xi.is_infinite() && (y.is_nan() || o.is_nan()) {
                                let (f, d) = self.forward_and_derivative(xi);
                                *y = f;
                                *o = g * d;
                            }
                        }
                    }
                }
            },
        )
    }

    fn param_gradient_sum(&self, index: usize, x: &[T], grad_out: &[T]) -> T {
        same_len(
            "param_gradient_sum",
            &[("x", x.len()), ("grad_out", grad_out.len())],
        );
        let count = self.info.params.len();
        let Some(p) = self.programs::<T>().param_derivatives.get(index) else {
            crate::__private::parameter_out_of_range(&self.info.name, count, index);
        };
        // The generated kernel's order (`kernels::param_gradient_sum`): blocks of
        // `SUM_BLOCK` added left to right, each summed in 16 lanes over its whole
        // chunks of 16 with its tail apart; a block with a NaN lane again serially
        // with the scalar rule.
        sum_blocks(x, grad_out, |xb, gb| {
            vectorized(
                #[inline(always)]
                || {
                    let whole = xb.len() - xb.len() % LANES;
                    let mut acc = [T::default(); LANES];
                    let width = BLOCK.min(whole);
                    let mut regs = vec![T::default(); p.registers() * width];
                    let mut m = Machine::new(&mut regs, p, &self.params, width);
                    for (xs, gs) in xb[..whole].chunks(BLOCK).zip(gb[..whole].chunks(BLOCK)) {
                        m.run(p, xs);
                        let d = m.output(p, 0, xs.len());
                        for (dc, gc) in d.chunks_exact(LANES).zip(gs.chunks_exact(LANES)) {
                            for k in 0..LANES {
                                acc[k] = acc[k] + gc[k] * dc[k];
                            }
                        }
                    }
                    let scalar = |v| self.param_derivative(index, v);
                    let tail = serial_sum(&xb[whole..], &gb[whole..], scalar);
                    lanes_or_serial(acc, xb, gb, tail, scalar)
                },
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{LeakyRelu, Mish, Prelu, Relu};

    /// Values that exercise every branch, the kinks, the tails and the special values.
    fn points() -> Vec<f64> {
        let mut v = vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            1e-30,
            -1e-30,
            20.0,
            -20.0,
            88.0,
            -100.0,
            1e30,
            -1e30,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            -1.192_431_2,
            -1.19,
            -1.278_46,
            -1.28,
            2.399,
            -2.399,
            // The same roots of swish at beta = 1.5.
            -0.852_31,
            1.599_6,
            -1.599_6,
        ];
        let mut s = 0x2545_f491_u64;
        for _ in 0..600 {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            v.push((s % 20_000) as f64 / 1000.0 - 10.0);
        }
        v
    }

    fn same<T: Real>(a: T, b: T) -> bool {
        a == b || (a.is_nan() && b.is_nan())
    }

    /// Every method of `dynamic` gives `generated`'s bits, scalar and slice.
    fn matches<T: Real, A: Activation<T>>(dynamic: &Dynamic, generated: &A) {
        let xs: Vec<T> = points().into_iter().map(T::from_f64).collect();
        let gs: Vec<T> = (0..xs.len())
            .map(|i| T::from_f64(0.5 + i as f64 * 0.01))
            .collect();
        let name = &generated.info().name;
        for &x in &xs {
            let pairs = [
                (dynamic.forward(x), generated.forward(x), "forward"),
                (dynamic.derivative(x), generated.derivative(x), "derivative"),
                (
                    dynamic.second_derivative(x),
                    generated.second_derivative(x),
                    "second",
                ),
            ];
            for (d, g, what) in pairs {
                assert!(same(d, g), "{name} {what} at {x:?}: {d:?} vs {g:?}");
            }
            let (df, dd) = dynamic.forward_and_derivative(x);
            let (gf, gd) = generated.forward_and_derivative(x);
            assert!(same(df, gf) && same(dd, gd), "{name} both at {x:?}");
            for i in 0..generated.info().params.len() {
                let (d, g) = (
                    dynamic.param_derivative(i, x),
                    generated.param_derivative(i, x),
                );
                assert!(same(d, g), "{name} d/dp{i} at {x:?}: {d:?} vs {g:?}");
            }
        }
        let n = xs.len();
        let (mut dy, mut gy) = (vec![T::default(); n], vec![T::default(); n]);
        dynamic.forward_slice(&xs, &mut dy);
        generated.forward_slice(&xs, &mut gy);
        assert!(
            dy.iter().zip(&gy).all(|(a, b)| same(*a, *b)),
            "{name} forward_slice"
        );
        let mut inplace = xs.clone();
        dynamic.forward_in_place(&mut inplace);
        assert!(
            inplace.iter().zip(&gy).all(|(a, b)| same(*a, *b)),
            "{name} in place"
        );
        let (mut dg, mut gg) = (vec![T::default(); n], vec![T::default(); n]);
        dynamic.backward_slice(&xs, &gs, &mut dg);
        generated.backward_slice(&xs, &gs, &mut gg);
        assert!(
            dg.iter().zip(&gg).all(|(a, b)| same(*a, *b)),
            "{name} backward_slice"
        );
        dynamic.forward_backward_slice(&xs, &gs, &mut dy, &mut dg);
        assert!(
            dy.iter().zip(&gy).all(|(a, b)| same(*a, *b)),
            "{name} fused forward"
        );
        assert!(
            dg.iter().zip(&gg).all(|(a, b)| same(*a, *b)),
            "{name} fused backward"
        );
        let finite: Vec<T> = xs.iter().copied().filter(|x| !x.is_nan()).collect();
        for i in 0..generated.info().params.len() {
            for len in [0, 5, 16, 300, finite.len()] {
                let (x, g) = (&finite[..len], &gs[..len]);
                let (d, e) = (
                    dynamic.param_gradient_sum(i, x, g),
                    generated.param_gradient_sum(i, x, g),
                );
                assert!(same(d, e), "{name} gradient sum of {len}: {d:?} vs {e:?}");
            }
        }
    }

    /// A built-in's definition as run-time text, so that the program and the
    /// generated code compute the same formula.
    fn program_of<A: Activation<f64>>(a: &A) -> Dynamic {
        Dynamic::parse(&a.info().definition()).expect("parses")
    }

    #[test]
    fn a_definition_keeps_its_constraints() {
        // `where alpha != 0` lets the simplifier cancel alpha from snake's quotients:
        // without it in the text, the program's f' was 6.6e-10 off (relative) at
        // x = -7.0686, and it accepted alpha = 0.
        let snake = crate::Snake::<f64>::default();
        let text = snake.info().definition();
        assert!(
            text.starts_with("Snake(x; alpha = 1e0) where alpha != 0 = "),
            "{text}"
        );
        // The same text without its `where` clause computes other bits.
        let unconstrained = text.replacen(" where alpha != 0", "", 1);
        let unconstrained = Dynamic::parse(&unconstrained).expect("parses");
        let x = -7.0686;
        assert!(!same(unconstrained.derivative(x), snake.derivative(x)));
        let mut program = program_of(&snake);
        matches::<f64, _>(&program, &snake);
        for x in [-7.0686, -7.068_583_470_577_035, 1.166, 95.8] {
            let (d, g) = (program.derivative(x), snake.derivative(x));
            assert!(same(d, g), "at {x}: {d:?} vs {g:?}");
        }
        assert!(program.set_param("alpha", 0.0).is_err());
        assert_eq!(Activation::<f64>::info(&Relu).constraints, "");
    }

    #[test]
    fn gives_the_generated_codes_bits() {
        let mish = program_of(&Mish);
        matches::<f32, _>(&mish, &Mish);
        matches::<f64, _>(&mish, &Mish);
        let relu = Dynamic::parse("Relu(x) = max(0, x);").expect("parses");
        matches::<f32, _>(&relu, &Relu);
        matches::<f64, _>(&relu, &Relu);
        let leaky = Dynamic::parse(
            "LeakyRelu(x; negative_slope = 0.01) = if x > 0 { x } else { negative_slope * x };",
        )
        .expect("parses");
        matches::<f32, _>(&leaky, &LeakyRelu::<f32>::default());
        let prelu =
            Dynamic::parse("Prelu(x; learn alpha = 0.25) = if x > 0 { x } else { alpha * x };")
                .expect("parses")
                .with_params(&[0.1])
                .expect("one parameter");
        matches::<f32, _>(&prelu, &Prelu::new(0.1f32));
        matches::<f64, _>(&prelu, &Prelu::new(0.1f64));
    }

    #[test]
    fn root_windows_apply_as_the_generated_code_applies_them() {
        // Swish's windows are in u = beta·x: the program must agree with the
        // generated code near the roots (u = -1.2785, f'; ±2.3994, f'') at the value
        // they were fitted for (1) and at another, where both scale them.
        let mut swish = program_of(&crate::Swish::<f64>::default());
        matches::<f32, _>(&swish, &crate::Swish::<f32>::default());
        matches::<f64, _>(&swish, &crate::Swish::<f64>::default());
        swish.set_param("beta", 1.5).expect("beta");
        matches::<f32, _>(&swish, &crate::Swish::new(1.5f32));
        matches::<f64, _>(&swish, &crate::Swish::new(1.5f64));
    }

    #[test]
    fn info_holds_the_formulas() {
        let d = Dynamic::parse("Prelu(x; learn alpha = 0.25) = if x > 0 { x } else { alpha * x };")
            .expect("parses");
        assert_eq!(d.info(), Activation::<f32>::info(&Prelu::<f32>::default()));
        assert_eq!(Activation::<f64>::info(&d), d.info());
    }

    #[test]
    fn parameters_are_set_by_position_and_name() {
        let mut d = Dynamic::parse("L(x; a = 0.5, b = 2) = if x > 0 { b * x } else { a * x }")
            .expect("parses");
        assert_eq!(d.params(), [0.5, 2.0]);
        d.set_param("b", 3.0).expect("b exists");
        assert_eq!(d.forward(2.0f64), 6.0);
        let e = d.set_param("c", 1.0).unwrap_err();
        assert_eq!(
            e.to_string(),
            "`L` has no parameter `c`; its parameters are `a`, `b`"
        );
        let e = d.clone().with_params(&[1.0]).unwrap_err();
        assert_eq!(e.to_string(), "`L` has 2 parameters, but 1 value was given");
        let d = d.with_params(&[0.1, 1.0]).expect("two values");
        assert_eq!(d.forward(-1.0f32), -0.1);
        // NaN parameters give NaN, as for generated types.
        let d = d.with_params(&[f64::NAN, 1.0]).expect("two values");
        assert!(d.forward(-1.0f32).is_nan());
        assert!(d.forward(1.0f32).is_nan());
    }

    #[test]
    fn where_constraints_are_checked_as_try_new_checks_them() {
        use crate::{Celu, Rrelu};
        let mut celu = Dynamic::parse(
            "Celu(x; alpha = 1) where alpha != 0 = if x > 0 { x } else { alpha * expm1(x / alpha) }",
        )
        .expect("parses");
        let e = celu.set_param("alpha", 0.0).unwrap_err();
        let generated = Celu::<f64>::try_new(0.0).unwrap_err();
        assert_eq!(e, DynamicParamError::Constraint(generated.clone()));
        assert_eq!(e.to_string(), generated.to_string());
        // A refused value leaves the parameter as it was.
        assert_eq!(celu.params(), [1.0]);
        assert!(celu.set_param("alpha", f64::NAN).is_err());
        celu.set_param("alpha", 2.0).expect("alpha != 0");
        assert_eq!(celu.params(), [2.0]);

        // A constraint between two parameters reports both values.
        let rrelu = Dynamic::parse(
            "Rrelu(x; lower = 0.125, upper = 0.3333333333333333) where lower <= upper = \
             if x >= 0 { x } else { (lower + upper) / 2 * x }",
        )
        .expect("parses");
        let e = rrelu.clone().with_params(&[0.5, 0.25]).unwrap_err();
        let generated = Rrelu::<f64>::try_new(0.5, 0.25).unwrap_err();
        assert_eq!(e.to_string(), generated.to_string());
        assert!(rrelu.with_params(&[0.25, 0.5]).is_ok());

        // The f32 methods take the values rounded to f32. A value f32 cannot hold is
        // refused, with or without a constraint, as a default would be: 1e-50 is 0 in
        // f32, where `a > 0` made every f32 result NaN.
        let mut f = Dynamic::parse("F(x; a = 1) where a > 0 = sin(a * x) / a").expect("parses");
        let e = f.set_param("a", 1e-50).unwrap_err();
        assert_eq!(
            e.to_string(),
            "F: a rounds to 0 in f32 (its smallest positive value is about 1.4e-45), got 1e-50"
        );
        assert_eq!(f.params(), [1.0]);
        f.set_param("a", 1e-30).expect("1e-30 is an f32");
        assert!(Activation::<f32>::forward(&f, 1.0).is_finite());
        let mut g = Dynamic::parse("G(x; b = 1) = x * sigmoid(b * x)").expect("parses");
        let e = g.set_param("b", 1e39).unwrap_err();
        assert!(
            e.to_string().starts_with("G: b is out of range for f32"),
            "{e}"
        );
        assert!(e.to_string().ends_with("got 1e39"), "{e}");
        g.set_param("b", f64::INFINITY)
            .expect("infinities are values");
        // And the constraints must hold for the rounded values too: two values that
        // differ in f64 and not in f32.
        let h =
            Dynamic::parse("H(x; lo = 0, hi = 1) where lo < hi = x * (hi - lo)").expect("parses");
        let e = h.clone().with_params(&[1.0, 1.0 + 1e-12]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "H: lo must be < hi in f32, got lo = 1, hi = 1"
        );
        assert!(h.with_params(&[1.0, 1.001]).is_ok());
    }

    #[test]
    fn errors_point_into_the_text() {
        let e = Dynamic::parse("F(x) = x; G(x) = x;").unwrap_err();
        assert_eq!(e.items[0].message, "expected one definition, found 2");
        assert_eq!(&e.source[e.items[0].range.clone()], "G");
        let e = Dynamic::parse("F(x) = tanh(x, x)").unwrap_err();
        assert!(e.to_string().contains("^^^^"), "{e}");
        assert_eq!(
            Dynamic::parse_all("F(x) = x; G(x) = -x;")
                .expect("two")
                .len(),
            2
        );
    }

    /// Throughput against the generated kernel, in the format of the throughput
    /// example: `cargo test --release -p actdiff dynamic::tests::throughput -- --ignored --nocapture`.
    #[test]
    #[ignore = "a measurement, meaningful only in release builds"]
    fn throughput() {
        use std::hint::black_box;
        use std::time::Instant;
        let n = 1 << 20;
        let x: Vec<f32> = (0..n)
            .map(|i| ((i * 7919) % 24_000) as f32 / 1000.0 - 12.0)
            .collect();
        let g = vec![1.0f32; n];
        let mut y = vec![0.0f32; n];
        let mut gi = vec![0.0f32; n];
        let dynamic = program_of(&Mish);
        let median = |f: &mut dyn FnMut()| {
            f();
            let mut t: Vec<f64> = (0..21)
                .map(|_| {
                    let s = Instant::now();
                    f();
                    s.elapsed().as_secs_f64()
                })
                .collect();
            t.sort_by(f64::total_cmp);
            t[10] / n as f64 * 1e9
        };
        let rows: [(&str, f64); 6] = [
            ("copy", median(&mut || y.copy_from_slice(black_box(&x)))),
            (
                "mish.fwd generated",
                median(&mut || Mish.forward_slice(black_box(&x), &mut y)),
            ),
            (
                "mish.fwd dynamic",
                median(&mut || dynamic.forward_slice(black_box(&x), &mut y)),
            ),
            (
                "mish.bwd generated",
                median(&mut || Mish.backward_slice(black_box(&x), &g, &mut gi)),
            ),
            (
                "mish.bwd dynamic",
                median(&mut || dynamic.backward_slice(black_box(&x), &g, &mut gi)),
            ),
            (
                "mish.fwd scalar dynamic",
                median(&mut || {
                    for (o, &v) in y.iter_mut().zip(black_box(&x)) {
                        *o = dynamic.forward(v);
                    }
                }),
            ),
        ];
        for (name, ns) in rows {
            println!("actdiff {name:<24} f32 n=2^20 {ns:>8.3} ns/elem");
        }
        black_box((&y, &gi));
    }
}
