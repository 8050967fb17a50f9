//! Validate and lower: turns a parsed formula into the DAG, checking names, arity
//! and the two types of the language (numbers and conditions) as it goes.
//!
//! Every error is collected with the span of the smallest offending token; a
//! subexpression that failed lowers to `Val::Bad`, which its parents accept
//! silently so that one mistake is reported once. Each form of Rust the language
//! leaves out (loops, `match`, `return`, indexing, fields, casts, ranges, references,
//! non-numeric literals, arrays, tuples, macros, assignments) has its own message,
//! at its keyword or operator, saying what to write instead. A `let` may not reuse
//! a name in scope (the input, a parameter, a function, a `let` of this block or an
//! enclosing one): in a formula, shadowing is more often a slip than a choice.
//!
//! Lowering recurses along the syntax tree, whose depth [`crate::limits`] bounds.

use crate::graph::{CmpOp, Func, Graph, NodeId};
use crate::suggest::did_you_mean;
use crate::syntax::{literal_value, span_order, Header, NO_SUFFIX};
use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{BinOp, Block, Expr, Pat, Stmt, UnOp};

/// The functions with more than one argument, or special arguments, and their arity.
const MULTI_ARG: [(&str, usize); 6] = [
    ("max", 2),
    ("min", 2),
    ("pow", 2),
    ("powi", 2),
    ("clamp", 3),
    ("mul_err", 2),
];

/// The largest exponent of `powi`: far past any use (`powi(2, 1100)` overflows `f64`),
/// and small enough that the exponents of the derivatives, `n - 1` and `n - 2`, are
/// integers too.
const MAX_POWI: i32 = 65_536;

/// Every function name of the language, for suggestions.
pub fn function_names() -> Vec<&'static str> {
    let mut names: Vec<&str> = Func::ALL.iter().map(|f| f.name()).collect();
    names.extend(MULTI_ARG.iter().map(|(n, _)| *n));
    names
}

/// The message for `for`, `while`, `loop`, `break` and `continue`.
const LOOPS: &str = "loops are not supported: a definition is a single expression";

/// The span of a number literal's digits, under any `-` and parentheses around them:
/// the token a message about the number points at.
fn literal_span(e: &Expr) -> Span {
    match e {
        Expr::Unary(u) => literal_span(&u.expr),
        Expr::Paren(p) => literal_span(&p.expr),
        Expr::Group(g) => literal_span(&g.expr),
        _ => e.span(),
    }
}

/// A lowered subexpression.
#[derive(Clone, Copy, Debug)]
enum Val {
    Num(NodeId),
    Cond(NodeId),
    /// Already reported; parents stay quiet.
    Bad,
}

struct Lower<'e> {
    g: Graph,
    scopes: Vec<Vec<(String, Val)>>,
    errors: &'e mut Vec<syn::Error>,
}

/// Lowers `body` into a graph whose root is returned. Errors go to `errors`; the
/// result is `None` when any was found.
pub fn lower(
    header: &Header,
    body: &Expr,
    errors: &mut Vec<syn::Error>,
) -> Option<(Graph, NodeId)> {
    let before = errors.len();
    let params = header.params.iter().map(|p| p.name.to_string()).collect();
    let mut g = Graph::new(header.input.to_string(), params);
    g.nonzero_params = crate::constraints::nonzero_params(header);
    let mut l = Lower {
        g,
        scopes: Vec::new(),
        errors,
    };
    let root = l.expr(body);
    let root = l.need_num(root, value_span(body));
    let failed = l.errors.len() > before;
    // A call's arguments are checked before its name is reported: restore source order.
    l.errors[before..].sort_by_key(|e| span_order(e.span()));
    match root {
        Some(root) if !failed => Some((l.g, root)),
        _ => None,
    }
}

/// Where to point when an expression has the wrong type: the operator that makes
/// it a comparison or a number (`>` in `x * x > 0`), a parenthesized expression
/// whole, a block's value. A multi-token span would show only its first token.
fn value_span(e: &Expr) -> Span {
    match e {
        Expr::Binary(b) => b.op.span(),
        Expr::Paren(p) => p.paren_token.span.join(),
        Expr::Group(g) => value_span(&g.expr),
        Expr::Block(b) => block_value_span(&b.block),
        _ => e.span(),
    }
}

/// [`value_span`] of a block's value, or the whole block when it has none.
fn block_value_span(block: &Block) -> Span {
    match block.stmts.last() {
        Some(Stmt::Expr(last, None)) => value_span(last),
        _ => block.brace_token.span.join(),
    }
}

impl Lower<'_> {
    fn error(&mut self, span: Span, message: impl Into<String>) -> Val {
        self.errors.push(syn::Error::new(span, message.into()));
        Val::Bad
    }

    fn need_num(&mut self, v: Val, span: Span) -> Option<NodeId> {
        match v {
            Val::Num(id) => Some(id),
            Val::Cond(_) => {
                self.error(
                    span,
                    "comparison used as a number: a condition can only choose a value, as in `if x > 0 { x } else { 0 }`",
                );
                None
            }
            Val::Bad => None,
        }
    }

    fn need_cond(&mut self, v: Val, span: Span) -> Option<NodeId> {
        match v {
            Val::Cond(id) => Some(id),
            Val::Num(_) => {
                self.error(
                    span,
                    "number used as a condition: write a comparison, like `x > 0`",
                );
                None
            }
            Val::Bad => None,
        }
    }

    fn lookup(&self, name: &str) -> Option<Val> {
        for scope in self.scopes.iter().rev() {
            if let Some((_, v)) = scope.iter().rev().find(|(n, _)| n == name) {
                return Some(*v);
            }
        }
        None
    }

    fn names_in_scope(&self) -> Vec<String> {
        let mut names = vec![self.g.input_name.clone()];
        names.extend(self.g.param_names.iter().cloned());
        for scope in &self.scopes {
            names.extend(scope.iter().map(|(n, _)| n.clone()));
        }
        names
    }

    fn expr(&mut self, e: &Expr) -> Val {
        match e {
            Expr::Lit(_) | Expr::Unary(syn::ExprUnary { op: UnOp::Neg(_), .. })
                if literal_value(e).is_some() =>
            {
                self.literal(e)
            }
            Expr::Lit(lit) => self.literal_error(lit),
            Expr::Path(p) => match p.path.get_ident() {
                Some(ident) if p.qself.is_none() => self.variable(ident),
                _ => self.error(
                    e.span(),
                    "paths are not allowed in a definition: write a plain name, like `x`, or a number, like `3.141592653589793`",
                ),
            },
            Expr::Paren(p) => self.expr(&p.expr),
            Expr::Group(g) => self.expr(&g.expr),
            Expr::Unary(u) => match u.op {
                UnOp::Neg(t) => {
                    let a = self.expr(&u.expr);
                    match self.need_num(a, value_span(&u.expr)) {
                        Some(a) => Val::Num(self.g.neg(a, t.span)),
                        None => Val::Bad,
                    }
                }
                UnOp::Not(t) => self.error(
                    t.span,
                    "`!` is not supported: write the opposite comparison, like `x <= 0` for `!(x > 0)`",
                ),
                _ => self.error(
                    e.span(),
                    "`*` dereference is not supported: a definition's values are numbers, not references\nhelp: `**` is not a power in Rust: write `powi(u, 2)` for an integer power or `pow(u, v)`",
                ),
            },
            Expr::Binary(b) => self.binary(b),
            Expr::Call(c) => self.call(c),
            Expr::If(i) => self.if_else(i),
            Expr::Block(b) if b.label.is_none() => self.block(&b.block),
            _ => self.unsupported(e),
        }
    }

    /// Reports a form of Rust the language does not have, at its keyword or
    /// operator, with what to write instead.
    fn unsupported(&mut self, e: &Expr) -> Val {
        const ACCEPTED: &str = "the language accepts numbers, names, + - * /, function calls, if / else and blocks with let";
        let (span, message): (Span, String) = match e {
            Expr::MethodCall(m) => (
                m.method.span(),
                format!(
                    "method calls are not supported: write `{}(u)` instead of `u.{}()`",
                    m.method, m.method
                ),
            ),
            Expr::Macro(m) => (
                m.mac.path.span(),
                format!("macros are not supported inside a definition; {ACCEPTED}"),
            ),
            Expr::Assign(a) => (
                a.eq_token.span,
                "assignments are not supported: bind a value with `let`".into(),
            ),
            Expr::ForLoop(f) => (f.for_token.span, LOOPS.into()),
            Expr::While(w) => (w.while_token.span, LOOPS.into()),
            Expr::Loop(l) => (l.loop_token.span, LOOPS.into()),
            Expr::Closure(_) => (
                e.span(),
                "closures are not supported: a definition is a single expression".into(),
            ),
            Expr::Match(m) => (
                m.match_token.span,
                "`match` is not supported\nhelp: choose between values with `if / else if / else`, like `if x > 0 { x } else { 0 }`".into(),
            ),
            Expr::Let(l) => (
                l.let_token.span,
                "`if let` is not supported: a condition is a comparison, like `x > 0`".into(),
            ),
            Expr::Return(r) => (
                r.return_token.span,
                "`return` is not supported: a definition's value is its formula, and a block's value its last expression".into(),
            ),
            Expr::Break(b) => (
                b.break_token.span,
                format!("`break` is not supported: {LOOPS}"),
            ),
            Expr::Continue(c) => (
                c.continue_token.span,
                format!("`continue` is not supported: {LOOPS}"),
            ),
            Expr::Try(t) => (
                t.question_token.span,
                "the `?` operator is not supported: a definition cannot fail".into(),
            ),
            Expr::Index(i) => (
                i.bracket_token.span.join(),
                "indexing is not supported: the input and the parameters are single numbers".into(),
            ),
            Expr::Field(f) => (
                f.member.span(),
                "field access is not supported: the input and the parameters are single numbers".into(),
            ),
            Expr::Cast(c) => (
                c.as_token.span,
                "casts are not supported: the activation's type decides the precision\nhelp: remove the `as` and its type".into(),
            ),
            Expr::Range(r) => (
                r.limits.span(),
                "ranges are not supported\nhelp: to keep a value within bounds, write `clamp(u, lo, hi)`".into(),
            ),
            Expr::Reference(r) => (
                r.and_token.span,
                "references are not supported: write the value itself, like `x`".into(),
            ),
            Expr::RawAddr(r) => (
                r.and_token.span,
                "references are not supported: write the value itself, like `x`".into(),
            ),
            Expr::Array(a) => (
                a.bracket_token.span.join(),
                "arrays are not supported: a definition computes a single number".into(),
            ),
            Expr::Repeat(r) => (
                r.bracket_token.span.join(),
                "arrays are not supported: a definition computes a single number".into(),
            ),
            Expr::Tuple(t) => (
                t.paren_token.span.join(),
                "tuples are not supported: a definition computes a single number".into(),
            ),
            Expr::Struct(s) => (
                s.path.span(),
                "struct literals are not supported: a definition computes a single number"
                    .into(),
            ),
            _ => (e.span(), format!("unsupported syntax in a definition; {ACCEPTED}")),
        };
        self.error(span, message)
    }

    fn literal(&mut self, e: &Expr) -> Val {
        let span = literal_span(e);
        match literal_value(e) {
            Some(v) if v.is_finite() => match crate::check::number_in_f32(v, span) {
                Some(e) => {
                    self.errors.push(e);
                    Val::Bad
                }
                None => Val::Num(self.g.constant(v, span)),
            },
            Some(v) if v.is_nan() => self.error(
                span,
                format!("number literal {}", crate::syntax::UNDERFLOWS_F64),
            ),
            _ => self.error(span, "number literal out of range for f64"),
        }
    }

    fn literal_error(&mut self, lit: &syn::ExprLit) -> Val {
        let span = lit.lit.span();
        let message = match &lit.lit {
            syn::Lit::Int(_) | syn::Lit::Float(_) => NO_SUFFIX,
            syn::Lit::Bool(_) => {
                "`true` and `false` are not supported: a condition is a comparison, like `x > 0`"
            }
            syn::Lit::Str(_) => {
                "string literals are not supported: a definition computes with numbers, like `0.5`"
            }
            syn::Lit::Char(_) => {
                "character literals are not supported: a definition computes with numbers, like `0.5`"
            }
            _ => "only number literals are allowed in a definition, like `0.5`",
        };
        self.error(span, message)
    }

    fn variable(&mut self, ident: &syn::Ident) -> Val {
        let name = ident.to_string();
        let span = ident.span();
        if let Some(v) = self.lookup(&name) {
            return v;
        }
        if name == self.g.input_name {
            return Val::Num(self.g.input(span));
        }
        if let Some(i) = self.g.param_names.iter().position(|p| *p == name) {
            return Val::Num(self.g.param(i as u16, span));
        }
        if function_names().contains(&name.as_str()) {
            return self.error(
                span,
                format!("`{name}` is a function: call it, like `{name}(x)`"),
            );
        }
        let known = self.names_in_scope();
        let mut msg = format!("unknown name `{name}`");
        match did_you_mean(&name, known.iter().map(String::as_str)) {
            Some(s) => msg.push_str(&format!("\nhelp: did you mean `{s}`?")),
            None => msg.push_str(&format!(
                "\nhelp: the names in scope are {}",
                known
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
        self.error(span, msg)
    }

    fn binary(&mut self, b: &syn::ExprBinary) -> Val {
        let op_span = b.op.span();
        let unsupported = |what: &str| -> Option<String> { Some(what.to_string()) };
        let refused = match b.op {
            BinOp::BitXor(_) => unsupported(
                "`^` is xor in Rust, not a power: write `powi(u, 2)` for an integer power or `pow(u, v)`",
            ),
            BinOp::Eq(_) | BinOp::Ne(_) => unsupported(
                "`==` and `!=` are not supported: exact float equality has no derivative; use `<`, `<=`, `>` or `>=`",
            ),
            BinOp::Rem(_) => unsupported("`%` is not supported in a definition"),
            BinOp::BitAnd(_) | BinOp::BitOr(_) | BinOp::Shl(_) | BinOp::Shr(_) => unsupported(
                "bitwise operators are not supported; combine conditions with `&&` and `||`",
            ),
            BinOp::Add(_) | BinOp::Sub(_) | BinOp::Mul(_) | BinOp::Div(_) => None,
            BinOp::Lt(_) | BinOp::Le(_) | BinOp::Gt(_) | BinOp::Ge(_) => None,
            BinOp::And(_) | BinOp::Or(_) => None,
            _ => unsupported("assignments are not supported: bind a value with `let`"),
        };
        if let Some(msg) = refused {
            // Lower both sides anyway so that their own mistakes are reported too.
            self.expr(&b.left);
            self.expr(&b.right);
            return self.error(op_span, msg);
        }
        let l = self.expr(&b.left);
        let r = self.expr(&b.right);
        match b.op {
            BinOp::And(_) | BinOp::Or(_) => {
                let (l, r) = (
                    self.need_cond(l, value_span(&b.left)),
                    self.need_cond(r, value_span(&b.right)),
                );
                let (Some(l), Some(r)) = (l, r) else {
                    return Val::Bad;
                };
                Val::Cond(if matches!(b.op, BinOp::And(_)) {
                    self.g.and(l, r, op_span)
                } else {
                    self.g.or(l, r, op_span)
                })
            }
            _ => {
                let (l, r) = (
                    self.need_num(l, value_span(&b.left)),
                    self.need_num(r, value_span(&b.right)),
                );
                let (Some(l), Some(r)) = (l, r) else {
                    return Val::Bad;
                };
                let g = &mut self.g;
                match b.op {
                    BinOp::Add(_) => Val::Num(g.add(l, r, op_span)),
                    BinOp::Sub(_) => Val::Num(g.sub(l, r, op_span)),
                    BinOp::Mul(_) => Val::Num(g.mul(l, r, op_span)),
                    BinOp::Div(_) => Val::Num(g.div(l, r, op_span)),
                    BinOp::Lt(_) => Val::Cond(g.cmp(CmpOp::Lt, l, r, op_span)),
                    BinOp::Le(_) => Val::Cond(g.cmp(CmpOp::Le, l, r, op_span)),
                    BinOp::Gt(_) => Val::Cond(g.cmp(CmpOp::Gt, l, r, op_span)),
                    _ => Val::Cond(g.cmp(CmpOp::Ge, l, r, op_span)),
                }
            }
        }
    }

    fn call(&mut self, c: &syn::ExprCall) -> Val {
        let name_ident = match &*c.func {
            Expr::Path(p) if p.qself.is_none() => p.path.get_ident().cloned(),
            _ => None,
        };
        let Some(ident) = name_ident else {
            return self.error(
                c.func.span(),
                "only the language's functions can be called, by their plain name, like `tanh(x)`",
            );
        };
        let name = ident.to_string();
        let span = ident.span();
        let arity = Func::from_name(&name)
            .map(|_| 1)
            .or_else(|| MULTI_ARG.iter().find(|(n, _)| *n == name).map(|(_, a)| *a));
        let Some(arity) = arity else {
            for arg in &c.args {
                self.expr(arg);
            }
            let mut msg = format!("unknown function `{name}`");
            if let Some(s) = did_you_mean(&name, function_names().into_iter()) {
                msg.push_str(&format!("\nhelp: did you mean `{s}`?"));
            } else if name == "log" {
                msg.push_str("\nhelp: the natural logarithm is `ln`");
            } else {
                msg.push_str(&format!(
                    "\nhelp: the functions are {}",
                    function_names().join(", ")
                ));
            }
            return self.error(span, msg);
        };
        if c.args.len() != arity {
            for arg in &c.args {
                self.expr(arg);
            }
            let plural = if arity == 1 { "" } else { "s" };
            return self.error(
                span,
                format!(
                    "`{name}` takes {arity} argument{plural} but {} {} given",
                    c.args.len(),
                    if c.args.len() == 1 { "was" } else { "were" }
                ),
            );
        }
        let args: Vec<&Expr> = c.args.iter().collect();
        if name == "powi" {
            return self.powi(span, args[0], args[1]);
        }
        let mut ids = Vec::with_capacity(arity);
        for arg in &args {
            let v = self.expr(arg);
            ids.push(self.need_num(v, value_span(arg)));
        }
        let Some(ids) = ids.into_iter().collect::<Option<Vec<NodeId>>>() else {
            return Val::Bad;
        };
        let g = &mut self.g;
        Val::Num(match (name.as_str(), ids.as_slice()) {
            ("max", [a, b]) => g.max(*a, *b, span),
            ("min", [a, b]) => g.min(*a, *b, span),
            ("pow", [a, b]) => g.pow(*a, *b, span),
            ("mul_err", [a, b]) => g.mul_err(*a, *b, span),
            ("clamp", [u, lo, hi]) => {
                let m = g.max(*u, *lo, span);
                g.min(m, *hi, span)
            }
            (_, [a]) => match Func::from_name(&name) {
                Some(f) => g.call(f, *a, span),
                None => return Val::Bad,
            },
            _ => return Val::Bad,
        })
    }

    fn powi(&mut self, span: Span, base: &Expr, exponent: &Expr) -> Val {
        let b = self.expr(base);
        let b = self.need_num(b, value_span(base));
        let n = match literal_value(exponent) {
            Some(v) if v.fract() == 0.0 && v.abs() <= f64::from(MAX_POWI) => v as i32,
            Some(v) if v.fract() == 0.0 => {
                return self.error(
                    literal_span(exponent),
                    format!("the exponent of `powi` must be from -{MAX_POWI} to {MAX_POWI}; use `pow(u, v)` otherwise"),
                )
            }
            _ => {
                return self.error(
                    exponent.span(),
                    "the exponent of `powi` must be an integer literal, like `powi(x, 2)`; use `pow(u, v)` otherwise",
                )
            }
        };
        match b {
            Some(b) => Val::Num(self.g.powi(b, n, span)),
            None => Val::Bad,
        }
    }

    fn if_else(&mut self, i: &syn::ExprIf) -> Val {
        let c = self.expr(&i.cond);
        let c = self.need_cond(c, value_span(&i.cond));
        let then = self.block(&i.then_branch);
        let then = self.need_num(then, block_value_span(&i.then_branch));
        let Some((_, else_expr)) = &i.else_branch else {
            return self.error(
                i.if_token.span,
                "missing `else`: an `if` in a definition must give a value on both sides",
            );
        };
        let other = self.expr(else_expr);
        let other = self.need_num(other, value_span(else_expr));
        match (c, then, other) {
            (Some(c), Some(a), Some(b)) => Val::Num(self.g.select(c, a, b, i.if_token.span)),
            _ => Val::Bad,
        }
    }

    fn block(&mut self, block: &Block) -> Val {
        self.scopes.push(Vec::new());
        let mut value = None;
        let last = block.stmts.len().saturating_sub(1);
        for (k, stmt) in block.stmts.iter().enumerate() {
            match stmt {
                Stmt::Local(local) => self.local(local),
                Stmt::Expr(e, None) if k == last => value = Some(self.expr(e)),
                // `{ let t = tanh(x); x * t; }`: the value is there, the `;` is the mistake.
                Stmt::Expr(e, Some(semi)) if k == last => {
                    self.expr(e);
                    value = Some(self.error(
                        semi.span,
                        "remove this `;`: a block's value is its last expression, with no `;` after it",
                    ));
                }
                Stmt::Expr(e, semi) => {
                    self.expr(e);
                    let span = semi.map_or_else(|| e.span(), |s| s.span);
                    self.error(
                        span,
                        "a statement here has no effect: a block is `let` bindings followed by its value, with no `;` after the value",
                    );
                }
                Stmt::Item(item) => {
                    self.error(item.span(), "items are not allowed inside a definition");
                }
                Stmt::Macro(m) => {
                    self.error(
                        m.mac.path.span(),
                        "macros are not supported inside a definition",
                    );
                }
            }
        }
        self.scopes.pop();
        value.unwrap_or_else(|| {
            self.error(
                block.brace_token.span.join(),
                "this block has no value: end it with an expression, with no `;` after it",
            )
        })
    }

    fn local(&mut self, local: &syn::Local) {
        let plain = match &local.pat {
            Pat::Ident(p) if p.by_ref.is_none() && p.mutability.is_none() && p.subpat.is_none() => {
                Some(p.ident.clone())
            }
            Pat::Type(t) => {
                self.error(
                    t.colon_token.span,
                    "`let` bindings take no type: the activation's type decides the precision",
                );
                None
            }
            other => {
                self.error(
                    other.span(),
                    "a `let` binding in a definition is a plain name, like `let t = tanh(x);`",
                );
                None
            }
        };
        let value = match &local.init {
            None => self.error(
                local.let_token.span,
                "`let` needs a value, like `let t = tanh(x);`",
            ),
            Some(init) => {
                if let Some((else_token, _)) = &init.diverge {
                    self.error(
                        else_token.span,
                        "`let ... else` is not supported in a definition",
                    );
                }
                self.expr(&init.expr)
            }
        };
        let Some(ident) = plain else {
            // The names of a refused binding are still bound, so that their uses are
            // not reported as unknown names.
            let mut names = Vec::new();
            pattern_names(&local.pat, &mut names);
            if let Some(scope) = self.scopes.last_mut() {
                scope.extend(names.into_iter().map(|n| (n, Val::Bad)));
            }
            return;
        };
        let name = ident.to_string();
        let clash = if name == self.g.input_name {
            Some("the input")
        } else if self.g.param_names.contains(&name) {
            Some("a parameter")
        } else if self
            .scopes
            .last()
            .is_some_and(|scope| scope.iter().any(|(n, _)| *n == name))
        {
            Some("an earlier `let`")
        } else if self.lookup(&name).is_some() {
            Some("a `let` in an enclosing block")
        } else if function_names().contains(&name.as_str()) {
            Some("a function")
        } else {
            None
        };
        if let Some(what) = clash {
            self.error(
                ident.span(),
                format!(
                    "`{name}` is already the name of {what}; choose another name for this binding"
                ),
            );
        }
        if let Some(scope) = self.scopes.last_mut() {
            scope.push((name, value));
        }
    }
}

/// The names a `let` pattern binds, however it is written (`mut a`, `(a, b)`, `a: f32`).
fn pattern_names(pat: &Pat, names: &mut Vec<String>) {
    match pat {
        Pat::Ident(p) => {
            names.push(p.ident.to_string());
            if let Some((_, sub)) = &p.subpat {
                pattern_names(sub, names);
            }
        }
        Pat::Type(t) => pattern_names(&t.pat, names),
        Pat::Paren(p) => pattern_names(&p.pat, names),
        Pat::Reference(r) => pattern_names(&r.pat, names),
        Pat::Tuple(t) => t.elems.iter().for_each(|p| pattern_names(p, names)),
        Pat::TupleStruct(t) => t.elems.iter().for_each(|p| pattern_names(p, names)),
        Pat::Slice(s) => s.elems.iter().for_each(|p| pattern_names(p, names)),
        _ => {}
    }
}
#[cfg(test)]
mod tests {
    use crate::syntax::parse_definitions;
    use proc_macro2::TokenStream;
    use std::str::FromStr;

    fn errors(src: &str) -> Vec<String> {
        let defs = parse_definitions(TokenStream::from_str(src).expect("lexes"));
        let d = &defs[0];
        let mut errors = d.errors.clone();
        if let (Some(h), Some(b)) = (&d.header, &d.body) {
            super::lower(h, b, &mut errors);
        }
        errors.iter().map(|e| e.to_string()).collect()
    }

    #[test]
    fn valid_forms_lower_cleanly() {
        for src in [
            "F(x) = max(0, x)",
            "F(x; a = 0.1) = if x > 0 { x } else if x > -1 { a * x } else { -a }",
            "F(x) = { let t = tanh(softplus(x)); x * t }",
            "F(x) = clamp(x, -1, 1) + powi(x, 3) - pow(x, 0.5) / abs(x)",
            "F(x) = if x > 0 && x < 6 || x <= -6 { 1 } else { 0 }",
            "F(x; b = 1.5) = sigmoid(b * x + mul_err(b, x))",
        ] {
            assert_eq!(errors(src), Vec::<String>::new(), "{src}");
        }
    }

    #[test]
    fn names_and_calls() {
        assert!(errors("F(x) = tahn(x)")[0]
            .contains("unknown function `tahn`\nhelp: did you mean `tanh`?"));
        assert!(errors("F(x) = y")[0].contains("unknown name `y`"));
        assert!(errors("F(x) = tanh(x, x)")[0].contains("`tanh` takes 1 argument but 2 were given"));
        assert!(errors("F(x) = x ^ 2")[0].contains("not a power"));
        assert!(
            errors("F(x) = x ** 2")[0].contains("`**` is not a power in Rust: write `powi(u, 2)`")
        );
        assert!(errors("F(x) = powi(x, 1.5)")[0].contains("integer literal"));
        assert!(
            errors("F(x) = mul_err(x)")[0].contains("`mul_err` takes 2 arguments but 1 was given")
        );
        assert!(errors("F(x) = mulerr(x, x)")[0].contains("did you mean `mul_err`?"));
    }

    /// A nonzero literal that f64 rounds to 0 is refused where it is written (it
    /// was a silent 0: `x * 1e-400` compiled to `0 * x`), as one past f64's range is;
    /// zeros however written are values.
    #[test]
    fn literals_that_f64_rounds_to_zero() {
        let want = "rounds to 0 in f64 (its smallest positive value is about 4.9e-324)";
        assert_eq!(
            errors("F(x) = x * 1e-400"),
            [format!("number literal {want}")]
        );
        assert_eq!(
            errors("F(x) = x * -1e-400"),
            [format!("number literal {want}")]
        );
        assert_eq!(
            errors("F(x; a = 1e-400) = a * x"),
            [format!("default of `a` {want}")]
        );
        assert_eq!(
            errors("F(x; a = 1) where a > 2.5e-999 = a * x"),
            [format!("number literal {want}")]
        );
        for src in [
            "F(x) = x * 0e-400",
            "F(x) = x + 0.000e5",
            "F(x) = x * 1e-45",
        ] {
            assert_eq!(errors(src), Vec::<String>::new(), "{src}");
        }
    }

    #[test]
    fn types() {
        assert!(errors("F(x) = (x > 0) * 2")[0].contains("comparison used as a number"));
        assert!(errors("F(x) = if x { 1 } else { 0 }")[0].contains("number used as a condition"));
        assert!(errors("F(x) = if x > 0 { 1 }")[0].contains("missing `else`"));
    }

    #[test]
    fn every_error_is_reported() {
        let e = errors("F(x) = tahn(x) + y");
        assert_eq!(e.len(), 2, "{e:?}");
    }

    /// The text each error points at, in the order reported.
    fn pointed(src: &str) -> Vec<&str> {
        let defs = parse_definitions(TokenStream::from_str(src).expect("lexes"));
        let d = &defs[0];
        let mut errors = d.errors.clone();
        if let (Some(h), Some(b)) = (&d.header, &d.body) {
            super::lower(h, b, &mut errors);
        }
        errors.iter().map(|e| &src[e.span().byte_range()]).collect()
    }

    #[test]
    fn errors_point_at_the_offending_token_in_source_order() {
        assert_eq!(pointed("F(x) = x * tahn(softplus(y))"), ["tahn", "y"]);
        assert_eq!(pointed("F(x) = max(y) + z"), ["max", "y", "z"]);
        assert_eq!(pointed("F(x) = x * (x > 0)"), ["(x > 0)"]);
        assert_eq!(pointed("F(x) = x * x > 0"), [">"]);
        assert_eq!(pointed("F(x) = if x + 1 { x } else { 0 }"), ["+"]);
        assert_eq!(
            pointed("F(x) = if x > 0 { let c = x; c < 1 } else { 0 }"),
            ["<"]
        );
        assert_eq!(pointed("F(x) = { let t = tanh(x); x * t; }"), [";"]);
        assert_eq!(pointed("F(x) = { x; x }"), [";"]);
        assert_eq!(pointed("F(x) = { let t = x; }"), ["{ let t = x; }"]);
        assert_eq!(pointed("F(x) = { let a; a }"), ["let"]);
        assert_eq!(pointed("F(x) = { let a: f32 = x; a }"), [":"]);
        assert_eq!(pointed("F(x) = { let mut a = x; a }"), ["mut a"]);
        assert_eq!(pointed("F(x) = { let (a, b) = x; a * b }"), ["(a, b)"]);
    }

    #[test]
    fn unsupported_syntax_says_what_is_accepted() {
        assert!(errors("F(x) = x.exp()")[0].contains("write `exp(u)`"));
        assert!(errors("F(x) = { let x = 1; x }")[0].contains("already the name of the input"));
        assert!(errors("F(x) = |y| y")[0].contains("closures"));
    }
}
