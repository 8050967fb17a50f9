//! The actdiff expression language: the engine behind `activation!`.
//!
//! A definition such as `pub Mish(x) = x * tanh(softplus(x));` passes through small
//! pure phases, one module each:
//!
//! 1. [`limits`] and [`syntax`]: refuse a definition too deep or too long for the
//!    recursive passes, then parse it from tokens (or text, through
//!    [`compile_str`]), keeping every span;
//! 2. [`attr`], [`valid`], [`constraints`], [`lower`] and [`check`]: read the
//!    macro's options, check names, arity and types and the `where` clause, build the
//!    hash-consed DAG ([`graph`]) through simplifying constructors ([`simplify`]),
//!    and check that it uses its input and `learn` parameters and fits `f32`;
//! 3. [`diff`]: differentiate with respect to the input (twice) and each parameter;
//!    [`rescale`] keeps a second derivative made of `sech2(softplus(u))` out of the
//!    subnormal range, and [`refine`] fits polynomials where a result cancels;
//! 4. [`nan`] and [`emit`]: schedule each result and write Rust with `quote`.
//!
//! [`eval`] interprets a DAG in `f64`, [`print`](mod@print) writes it back in DSL syntax, and
//! [`compiled`] turns a definition into register-machine programs that
//! `actdiff::Dynamic` runs at run time.
//! The crate never imports `proc_macro`: the macro crate is a thin shell over
//! [`expand`], and everything here is tested on plain strings.

#![warn(missing_docs)]
pub mod attr;
pub mod check;
pub mod compiled;
pub mod constraints;
pub mod dd;
pub mod diagnostic;
pub mod diff;
pub mod emit;
pub mod eval;
pub mod graph;
pub mod limits;
pub mod lower;
pub mod nan;
pub mod print;
pub mod refine;
pub mod rescale;
pub mod simplify;
pub mod suggest;
pub mod syntax;
pub mod valid;

pub use diagnostic::{Diagnostic, Diagnostics};
pub use graph::{Graph, Node, NodeId};
pub use syntax::Header;

use proc_macro2::{Span, TokenStream};
use std::ops::Range;
use std::str::FromStr;

/// A definition that passed every check, with its derived formulas.
#[derive(Clone, Debug)]
pub struct Definition {
    /// Name, input, parameters, attributes and visibility as written.
    pub header: Header,
    /// The DAG holding the formula and all its derivatives.
    pub graph: Graph,
    /// `f(x)`
    pub forward: NodeId,
    /// `f'(x)`
    pub derivative: NodeId,
    /// `f''(x)`
    pub second_derivative: NodeId,
    /// `∂f/∂p` for each parameter, in declaration order.
    pub param_derivatives: Vec<NodeId>,
    /// Polynomial stand-ins near the roots where a function cancels, per function
    /// (see [`refine`]); f32 code selects them.
    pub windows: Vec<(NodeId, Vec<refine::RootWindow>)>,
}

impl Definition {
    /// Differentiates a lowered formula: `f'`, `f''` and each `∂f/∂p`.
    pub fn new(header: Header, mut graph: Graph, forward: NodeId) -> Definition {
        let span = graph.span(forward);
        let x = graph.input(span);
        let derivative = diff::differentiate_node(&mut graph, forward, x);
        let second_derivative = diff::differentiate_node(&mut graph, derivative, x);
        let second_derivative = rescale::second_derivative(&mut graph, second_derivative);
        let param_derivatives: Vec<NodeId> = (0..header.params.len() as u16)
            .map(|i| {
                let p = graph.param(i, span);
                diff::differentiate_node(&mut graph, forward, p)
            })
            .collect();
        let defaults: Vec<f64> = header.params.iter().map(|p| p.default).collect();
        // f32 code evaluates the second derivative in f64 (see `emit`): it needs only
        // the f64 windows, unless it is the same node as a function f32 code
        // evaluates in f32 (`exp(x)` is its own derivative).
        let both = [refine::Precision::Single, refine::Precision::Double];
        let only_second = |r: NodeId| {
            r == second_derivative
                && r != forward
                && r != derivative
                && !param_derivatives.contains(&r)
        };
        let windows = [forward, derivative, second_derivative]
            .into_iter()
            .chain(param_derivatives.iter().copied())
            .map(|r| {
                let (precisions, reach) = if only_second(r) {
                    (&both[1..], refine::Reach::Scalar)
                } else {
                    (&both[..], refine::Reach::Kernels)
                };
                (
                    r,
                    refine::root_windows(&graph, r, &defaults, precisions, reach),
                )
            })
            .filter(|(_, w)| !w.is_empty())
            .collect();
        Definition {
            header,
            graph,
            forward,
            derivative,
            second_derivative,
            param_derivatives,
            windows,
        }
    }

    /// Whether the formulas oscillate as the input tends to `infinity` (`+inf` or
    /// `-inf`): whether, at that input and the declared defaults, a periodic function
    /// (`sin`, `cos` and their fused forms) on a branch the input takes there gets an
    /// argument that is not finite. Such a formula has in general no limit there, so
    /// its value at ±MAX must not stand for one (the rule of `actdiff::Activation`).
    /// `sin(x)` oscillates both ways; `x * sin(1/x)` (whose argument tends to 0),
    /// `sin(sigmoid(x))`, `sin(alpha)` and `if x > 0 { x } else { sin(x) }` toward
    /// `+inf` do not.
    pub fn oscillates_toward(&self, infinity: f64) -> bool {
        let g = &self.graph;
        let mut roots = vec![self.forward, self.derivative, self.second_derivative];
        roots.extend(&self.param_derivatives);
        let values = eval::eval_all(g, &roots, infinity, &self.default_params());
        let mut seen = vec![false; g.len()];
        let mut stack = roots;
        while let Some(id) = stack.pop() {
            if std::mem::replace(&mut seen[id.0 as usize], true) {
                continue;
            }
            match g.node(id) {
                // Only the branch taken there (conditions hold 1 or 0).
                graph::Node::Select(c, a, b) => {
                    let taken = if values[c.0 as usize] != 0.0 { a } else { b };
                    stack.extend([c, taken]);
                }
                graph::Node::Call(f, u) if f.is_periodic() && !values[u.0 as usize].is_finite() => {
                    return true;
                }
                node => stack.extend(node.children()),
            }
        }
        false
    }

    /// The declared default of each parameter.
    pub fn default_params(&self) -> Vec<f64> {
        self.header.params.iter().map(|p| p.default).collect()
    }
}

/// The result of compiling one definition of an invocation.
#[derive(Debug)]
pub struct Outcome {
    /// The header, when it parsed: a failed definition still gets a stub by this name.
    pub header: Option<Header>,
    /// The definition, or every error found in it.
    pub result: Result<Definition, Vec<syn::Error>>,
}

/// Compiles every definition in a token stream (the body of `activation!`).
pub fn compile(tokens: TokenStream) -> Vec<Outcome> {
    compile_for(tokens, true)
}

/// [`compile`], with the naming rules of Rust items where the definitions become them
/// (`rust_items`: the macro's types, whose parameters are arguments of `new`), not for
/// run-time definitions, which make neither.
fn compile_for(tokens: TokenStream, rust_items: bool) -> Vec<Outcome> {
    let parsed = limits::parse_definitions(tokens);
    if parsed.is_empty() {
        return vec![Outcome {
            header: None,
            result: Err(vec![syn::Error::new(
                Span::call_site(),
                "no definition: write one like `pub Relu(x) = max(0, x);`",
            )]),
        }];
    }
    let mut seen: Vec<String> = Vec::new();
    parsed
        .into_iter()
        .map(|mut p| {
            let mut errors = p.errors;
            let mut lowered = None;
            let mut duplicate = false;
            let mut learn_options = attr::Options::default();
            if let Some(h) = &mut p.header {
                let options = attr::take_options(h, &mut errors);
                valid::check_header(h, rust_items, &mut errors);
                constraints::check(h, &mut errors);
                check::defaults(h, &mut errors);
                let name = h.name.to_string();
                if seen.contains(&name) {
                    errors.push(syn::Error::new(
                        h.name.span(),
                        format!("`{name}` is defined twice in this invocation"),
                    ));
                    duplicate = true;
                }
                seen.push(name);
                if let Some(body) = &p.body {
                    lowered = lower::lower(h, body, &mut errors);
                }
                if let Some((graph, root)) = &lowered {
                    check::formula(h, options, graph, *root, &mut errors);
                }
                learn_options = options;
            }
            errors.sort_by_key(|e| syntax::span_order(e.span()));
            let result = match (errors.is_empty(), lowered, &p.header) {
                (true, Some((graph, root)), Some(h)) => {
                    let def = Definition::new(h.clone(), graph, root);
                    check::derivatives(&def, learn_options, &mut errors);
                    if errors.is_empty() {
                        Ok(def)
                    } else {
                        Err(errors)
                    }
                }
                _ => Err(errors),
            };
            Outcome {
                // A second definition of a name gets no stub: the first one is it.
                header: if duplicate { None } else { p.header },
                result,
            }
        })
        .collect()
}

/// What `activation!` expands to for this input.
pub fn expand(tokens: TokenStream) -> TokenStream {
    emit::emit_all(&compile(tokens))
}

/// Compiles definitions given as text, for run-time use and tools. Errors carry byte
/// ranges into `source` and render with a snippet.
pub fn compile_str(source: &str) -> Result<Vec<Definition>, Diagnostics> {
    compile_text(source, false)
}

/// As [`compile_str`], with the rules `activation!` adds for the Rust items it makes
/// (an activation's name is a type's, a parameter's is not: see [`compile`]), so
/// that a tool showing what the macro expands to reports what the macro would
/// (`pub relu(x) = ...` is an error here and not in [`compile_str`]).
pub fn compile_str_as_items(source: &str) -> Result<Vec<Definition>, Diagnostics> {
    compile_text(source, true)
}

fn compile_text(source: &str, rust_items: bool) -> Result<Vec<Definition>, Diagnostics> {
    let fail = |items| Diagnostics {
        source: source.to_string(),
        items,
    };
    let tokens = TokenStream::from_str(source).map_err(|e| {
        // The lexer's own message ("cannot parse string into token stream") names
        // no cause; a bracket that does not pair up is the usual one.
        let (message, range) = unpaired_bracket(source).unwrap_or_else(|| {
            (
                format!("cannot read the definition: {e}"),
                e.span().byte_range(),
            )
        });
        fail(vec![Diagnostic {
            message,
            help: None,
            range,
        }])
    })?;
    let mut defs = Vec::new();
    let mut items = Vec::new();
    for outcome in compile_for(tokens, rust_items) {
        match outcome.result {
            Ok(d) => defs.push(d),
            Err(errors) => items.extend(errors.iter().flat_map(Diagnostic::from_syn)),
        }
    }
    if items.is_empty() {
        Ok(defs)
    } else {
        Err(fail(items))
    }
}

/// The first bracket of `source` that does not pair up, with what is wrong and its
/// bytes: a closing one with nothing open ("unexpected"), one that closes another
/// kind ("does not close"), or one left open ("unclosed"). Comments (nested block
/// comments too), string and raw string literals and character literals are
/// skipped, as the lexer skips them; a `'` that does not close a character literal
/// is a lifetime's.
fn unpaired_bracket(source: &str) -> Option<(String, Range<usize>)> {
    let chars: Vec<(usize, char)> = source.char_indices().collect();
    let at = |k: usize| chars.get(k).map(|&(_, c)| c);
    let mut open: Vec<(char, usize)> = Vec::new();
    let mut k = 0;
    while let Some(c) = at(k) {
        let i = chars[k].0;
        k += 1;
        match c {
            '/' if at(k) == Some('/') => {
                while at(k).is_some_and(|n| n != '\n') {
                    k += 1;
                }
            }
            '/' if at(k) == Some('*') => {
                k += 1;
                let mut depth = 1;
                while depth > 0 {
                    match (at(k), at(k + 1)) {
                        (Some('*'), Some('/')) => (depth, k) = (depth - 1, k + 2),
                        (Some('/'), Some('*')) => (depth, k) = (depth + 1, k + 2),
                        (Some(_), _) => k += 1,
                        (None, _) => break,
                    }
                }
            }
            // A raw string: `r`, some `#`, `"`, up to `"` and as many `#`.
            'r' if matches!(at(k), Some('"' | '#')) => {
                let hashes = (k..).take_while(|&j| at(j) == Some('#')).count();
                if at(k + hashes) == Some('"') {
                    k += hashes + 1;
                    while let Some(n) = at(k) {
                        k += 1;
                        if n == '"' && (k..k + hashes).all(|j| at(j) == Some('#')) {
                            k += hashes;
                            break;
                        }
                    }
                }
            }
            '"' => {
                while let Some(n) = at(k) {
                    k += 1;
                    match n {
                        '\\' => k += 1,
                        '"' => break,
                        _ => {}
                    }
                }
            }
            // A character literal (`'('`, `'\''`), or else a lifetime.
            '\'' => {
                let len = if at(k) == Some('\\') { 2 } else { 1 };
                if at(k + len) == Some('\'') {
                    k += len + 1;
                }
            }
            '(' | '[' | '{' => open.push((c, i)),
            ')' | ']' | '}' => {
                let opener = match c {
                    ')' => '(',
                    ']' => '[',
                    _ => '{',
                };
                match open.pop() {
                    Some((o, _)) if o == opener => {}
                    Some((o, _)) => return Some((format!("`{c}` does not close `{o}`"), i..i + 1)),
                    None => return Some((format!("unexpected `{c}`"), i..i + 1)),
                }
            }
            _ => {}
        }
    }
    open.pop()
        .map(|(o, i)| (format!("unclosed `{o}`"), i..i + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oscillation_is_decided_toward_each_infinity() {
        let toward = |source: &str| {
            let defs = compile_str(source).expect("compiles");
            let d = &defs[0];
            (
                d.oscillates_toward(f64::NEG_INFINITY),
                d.oscillates_toward(f64::INFINITY),
            )
        };
        assert_eq!(toward("F(x) = sin(x);"), (true, true));
        assert_eq!(toward("F(x) = x + cos(2 * x);"), (true, true));
        // Snake's fused forms, `sin2x1p` and `cos2x`, count too.
        assert_eq!(
            toward("S(x; learn alpha = 1) where alpha != 0 = x + powi(sin(alpha * x), 2) / alpha;"),
            (true, true)
        );
        // An argument that stays finite: a limit may exist.
        assert_eq!(toward("F(x) = x * sin(1 / x);"), (false, false));
        assert_eq!(toward("F(x) = x * sin(sigmoid(x));"), (false, false));
        assert_eq!(
            toward("F(x; a = 0.5) = x * exp(-x) * cos(a);"),
            (false, false)
        );
        // Only the branch taken there counts.
        assert_eq!(
            toward("F(x) = if x > 0 { x * exp(-x) } else { sin(x) };"),
            (true, false)
        );
        assert_eq!(toward("F(x) = x * tanh(softplus(x));"), (false, false));
    }

    #[test]
    fn an_unpaired_bracket_is_named_where_it_is() {
        let message = |source: &str| {
            let err = compile_str(source).expect_err("an error");
            assert_eq!(err.items.len(), 1, "{err:?}");
            let d = &err.items[0];
            (d.message.clone(), source[d.range.clone()].to_string())
        };
        assert_eq!(
            message("F(x) = {"),
            ("unclosed `{`".to_string(), "{".to_string())
        );
        assert_eq!(
            message("F(x) = x * tanh(softplus(x);"),
            ("unclosed `(`".to_string(), "(".to_string())
        );
        assert_eq!(
            message("F(x) = tanh(x));"),
            ("unexpected `)`".to_string(), ")".to_string())
        );
        assert_eq!(
            message("F(x) = max(0, x];"),
            ("`]` does not close `(`".to_string(), "]".to_string())
        );
        // Brackets in comments, strings and character literals do not count.
        let source =
            "/// f)x\n#[doc = \")\\\")\"] #[a = r#\")\"#] #[b = ')'] /* /* */ ) */ F(x) = (x; // )";
        let err = compile_str(source).expect_err("an error");
        assert_eq!(err.items[0].message, "unclosed `(`");
        let at = source.find("= (").expect("in the text") + 2;
        assert_eq!(err.items[0].range, at..at + 1);
    }

    #[test]
    fn compiles_the_seed_definitions() {
        let defs = compile_str(
            "pub Relu(x) = max(0, x);
             pub LeakyRelu(x; negative_slope = 0.01) = if x > 0 { x } else { negative_slope * x };
             pub Prelu(x; learn alpha = 0.25) = if x > 0 { x } else { alpha * x };
             pub Mish(x) = x * tanh(softplus(x));",
        )
        .expect("compiles");
        assert_eq!(defs.len(), 4);
        let relu = &defs[0];
        assert_eq!(
            print::to_dsl(&relu.graph, relu.derivative),
            "if x > 0 { 1 } else { 0 }"
        );
        assert_eq!(print::to_dsl(&relu.graph, relu.second_derivative), "0");
        let prelu = &defs[2];
        assert_eq!(
            print::to_dsl(&prelu.graph, prelu.param_derivatives[0]),
            "if x > 0 { 0 } else { x }"
        );
    }

    #[test]
    fn header_errors_are_collected_with_body_errors() {
        let err = compile_str("F(x; x = 1, a = 2, a = 3) = tahn(x);").expect_err("errors");
        let msgs: Vec<&str> = err.items.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(msgs.len(), 3, "{msgs:?}");
    }

    #[test]
    fn duplicate_definitions_and_reserved_names() {
        let err = compile_str("A(x) = x; A(x) = x; T(x) = x;").expect_err("errors");
        assert_eq!(err.items.len(), 2);
    }

    #[test]
    fn empty_input_is_an_error() {
        assert!(compile_str("").is_err());
    }
}
