//! Checks on a definition as a whole, once its formula lowered cleanly: that the
//! formula uses its input and each `learn` parameter, that its constant parts are
//! numbers, and that every number in it, and every default, fits `f32`.
//!
//! - An activation that does not depend on its input is a constant: an error.
//! - A `learn` parameter the formula does not use would train nothing: its gradient
//!   is always 0. That is an error, unless the definition says
//!   `#[actdiff(allow_unused_learn)]` (see [`crate::attr`]), for a parameter kept for
//!   a signature's sake. "Uses" means after simplification: a parameter in a branch
//!   that can never be taken is unused.
//! - A `learn` parameter the formula reads only in conditions (a threshold,
//!   `if x > t { x } else { 0 }`) or in `mul_err` has the gradient 0 for every input,
//!   and is an error for the same reason, with the same way out ([`derivatives`]).
//! - A part of the formula without the input or parameters whose value is NaN
//!   (`sqrt(-1)`, `0 / 0`), or infinite and taken by arithmetic (`x + ln(0)`), makes
//!   NaN or infinite values wherever it is used: an error at its innermost such part.
//! - A fixed (not `learn`) parameter the formula does not use is accepted: it is
//!   harmless to a training loop, and a fixed knob kept for a signature's sake (as
//!   PyTorch's `inplace`) is common. It deserves a warning, which a proc macro on
//!   stable Rust cannot emit.
//! - Every definition compiles for `f32` as well as `f64`, so a number that would be
//!   infinite in `f32` (`1e39`, past `f32::MAX`) or would round to 0 (`1e-50`, below
//!   the smallest subnormal) changes the formula in `f32` code: an error, reported
//!   with the formula's other errors. Numbers folded from literals (`1e20 * 1e20`)
//!   are checked too, at their operator, and so are those differentiation folds into
//!   the derivative and the parameters' derivatives ([`derivatives`]), which f32 code
//!   computes in f32 (the second derivative it computes in f64).
//!   Subnormal numbers (`1e-40`) are accepted: `f32` keeps them, with less precision.

use crate::attr::{Options, ALLOW_UNUSED_LEARN};
use crate::graph::{Graph, Node, NodeId};
use crate::print::format_number;
use crate::syntax::Header;

/// What is wrong with `v` as an `f32`, if anything.
pub fn f32_problem(v: f64) -> Option<&'static str> {
    let single = v as f32;
    if single.is_infinite() {
        Some("is out of range for f32 (its largest value is about 3.4e38)")
    } else if single == 0.0 && v != 0.0 {
        Some("rounds to 0 in f32 (its smallest positive value is about 1.4e-45)")
    } else {
        None
    }
}

/// The error for a number of the formula that does not fit `f32`, if it does not;
/// [`crate::lower`] checks each literal with it, [`formula`] each folded constant.
pub(crate) fn number_in_f32(v: f64, span: proc_macro2::Span) -> Option<syn::Error> {
    f32_problem(v).map(|problem| {
        syn::Error::new(
            span,
            format!(
                "number {} {problem}\nhelp: the definition compiles for f32 as well as f64",
                format_number(v)
            ),
        )
    })
}

/// Checks the parameters' defaults: a definition compiles for `f32` too.
pub fn defaults(header: &Header, errors: &mut Vec<syn::Error>) {
    for p in &header.params {
        // A NaN default was reported already, as malformed.
        if let Some(problem) = f32_problem(p.default).filter(|_| p.default.is_finite()) {
            errors.push(syn::Error::new(
                p.default_span,
                format!(
                    "default of `{}` {problem}\nhelp: the definition compiles for f32 as well as f64",
                    p.name
                ),
            ));
        }
    }
}

/// Checks a lowered formula: its input and `learn` parameters are used, its numbers
/// fit `f32`, its constant parts are finite numbers where arithmetic takes them.
pub fn formula(
    header: &Header,
    options: Options,
    g: &Graph,
    root: NodeId,
    errors: &mut Vec<syn::Error>,
) {
    let reached = g.reachable(&[root]);
    let uses = |var: Node| reached.iter().any(|&id| g.node(id) == var);
    if !uses(Node::Input) {
        let x = &header.input;
        errors.push(syn::Error::new(
            x.span(),
            format!(
                "`{}` does not depend on its input `{x}`\nhelp: an activation is a function of its input: use `{x}` in the formula",
                header.name
            ),
        ));
    }
    for (i, p) in header.params.iter().enumerate() {
        if p.learn.is_none() || options.allow_unused_learn || uses(Node::Param(i as u16)) {
            continue;
        }
        errors.push(syn::Error::new(
            p.name.span(),
            format!(
                "`learn` parameter `{}` is not used by the formula: its gradient would always be 0\nhelp: use it, remove it, or keep it with `#[actdiff({ALLOW_UNUSED_LEARN})]` on the definition",
                p.name
            ),
        ));
    }
    // Literals were checked as they were lowered; what remains is folded constants.
    errors.extend(constants(g, &reached).filter_map(|(v, span)| number_in_f32(v, span)));
    constant_parts(g, &reached, errors);
}

/// Checks the parts of the formula that depend on neither the input nor a parameter
/// but were not folded to a number because their value is not a finite one:
/// - NaN (`sqrt(-1)`, `ln(-2)`, `0 / 0`): every value computed from it is NaN, and a
///   comparison with it is always false; an error at its innermost such part
///   (`ln(sqrt(-1))` is one error, at `sqrt`);
/// - ±inf (`ln(0)`, `exp(1000)`, `1 / 0`): an error where arithmetic takes it
///   (`x + ln(0)`, `x * exp(1000)`), whose result is then infinite or NaN wherever it
///   is used; accepted where a function or comparison absorbs it (`max(x, ln(0))` is
///   `x`, `sigmoid(exp(1000))` is 1) or a branch returns it.
fn constant_parts(g: &Graph, reached: &[NodeId], errors: &mut Vec<syn::Error>) {
    let values = crate::eval::eval_ordered(g, reached, 0.0, &[]);
    let mut varying = vec![false; g.len()];
    // NaN, or computed from a part already reported.
    let mut bad = vec![false; g.len()];
    // For an infinite constant part, the innermost infinite part it comes from (itself
    // if none of its children is infinite): the one to name.
    let mut origin: Vec<Option<NodeId>> = vec![None; g.len()];
    let report = |errors: &mut Vec<syn::Error>, id: NodeId, problem: String| {
        errors.push(syn::Error::new(
            g.span(id),
            format!(
                "`{}` {problem}\nhelp: a part of the formula without its input or parameters must be a finite number",
                crate::print::to_dsl(g, id)
            ),
        ));
    };
    for &id in reached {
        let node = g.node(id);
        let children = node.children();
        let i = id.0 as usize;
        varying[i] = matches!(node, Node::Input | Node::Param(_))
            || children.iter().any(|c| varying[c.0 as usize]);
        if !varying[i] {
            let v = values[i];
            // Conditions hold 0 or 1 here, never NaN: a NaN compared is reported at
            // the NaN, and the condition is only kept from reporting again.
            let nan_compared =
                node.is_condition() && children.iter().any(|c| values[c.0 as usize].is_nan());
            if children.iter().any(|c| bad[c.0 as usize]) || nan_compared {
                bad[i] = true;
            } else if v.is_nan() {
                bad[i] = true;
                report(
                    errors,
                    id,
                    "is NaN, and so is every value computed from it".to_string(),
                );
            } else if v.is_infinite() {
                let inner = children.iter().find_map(|c| origin[c.0 as usize]);
                origin[i] = Some(inner.unwrap_or(id));
            }
        }
        // Arithmetic on an infinite part: never a useful value. Negation is exact, and
        // passes the infinity on (`max(x, -exp(1000))` is `x`).
        let arithmetic = matches!(
            node,
            Node::Add(..)
                | Node::Sub(..)
                | Node::Mul(..)
                | Node::Div(..)
                | Node::Pow(..)
                | Node::Powi(..)
                | Node::MulErr(..)
        );
        if arithmetic && !bad[i] {
            for c in children {
                let Some(part) = origin[c.0 as usize] else {
                    continue;
                };
                let p = part.0 as usize;
                if !std::mem::replace(&mut bad[p], true) {
                    report(
                        errors,
                        part,
                        format!(
                            "is {}, where arithmetic takes it: the result is infinite, NaN or 0 for every input",
                            format_number(values[p])
                        ),
                    );
                }
            }
        }
    }
}

/// The constants among `nodes`, with their spans.
fn constants<'g>(
    g: &'g Graph,
    nodes: &'g [NodeId],
) -> impl Iterator<Item = (f64, proc_macro2::Span)> + 'g {
    nodes.iter().filter_map(move |&id| match g.node(id) {
        Node::Const(bits) => Some((f64::from_bits(bits), g.span(id))),
        _ => None,
    })
}

/// Checks the derivatives: that no `learn` parameter's derivative is the constant 0
/// (read only in conditions or `mul_err`), unless `options` allow it as for an unused
/// one; and the numbers differentiation folded into the derivative and the parameter
/// derivatives, which f32 code computes in f32 (the second derivative it computes in
/// f64): `sigmoid(10 * (1e38 * x))` is fine, but its derivative holds `1e39`, which
/// made f32's f'(0) infinite.
pub fn derivatives(def: &crate::Definition, options: Options, errors: &mut Vec<syn::Error>) {
    let g = &def.graph;
    // A `learn` parameter that the formula reads only in conditions (a threshold,
    // `if x > t { x } else { 0 }`) or in `mul_err` is used, but its gradient is 0
    // wherever it exists: training would never move it, as if it were unused.
    for (p, &d) in def.header.params.iter().zip(&def.param_derivatives) {
        if p.learn.is_some() && !options.allow_unused_learn && g.as_const(d) == Some(0.0) {
            errors.push(syn::Error::new(
                p.name.span(),
                format!(
                    "the gradient of `learn` parameter `{}` is 0 for every input: the formula reads it only where the derivative is 0 (in conditions, or in `mul_err`)\nhelp: drop `learn` to keep it as a fixed value, or keep it with `#[actdiff({ALLOW_UNUSED_LEARN})]` on the definition",
                    p.name
                ),
            ));
        }
    }
    let roots: Vec<NodeId> = std::iter::once(def.derivative)
        .chain(def.param_derivatives.iter().copied())
        .collect();
    let reached = g.reachable(&roots);
    errors.extend(constants(g, &reached).filter_map(|(v, span)| {
        f32_problem(v).map(|problem| {
            syn::Error::new(
                span,
                format!(
                    "the derivative holds the number {}, folded from the formula's numbers here, which {problem}\nhelp: the definition compiles for f32 as well as f64; scale the formula's numbers so that their products fit f32",
                    format_number(v)
                ),
            )
        })
    }));
}

#[cfg(test)]
mod tests {
    use crate::compile_str;

    fn first_error(src: &str) -> (String, String) {
        let err = compile_str(src).expect_err("an error");
        let d = &err.items[0];
        (d.message.clone(), src[d.range.clone()].to_string())
    }

    #[test]
    fn an_input_the_formula_ignores_is_an_error() {
        let (m, at) = first_error("Const(x; a = 2) = a * 3;");
        assert_eq!(m, "`Const` does not depend on its input `x`");
        assert_eq!(at, "x");
        // A choice whose sides are equal is no dependence either.
        assert!(compile_str("C(x) = if x > 0 { 1 } else { 1 };").is_err());
        // A step function depends on its input through the condition.
        assert!(compile_str("S(x) = if x > 0 { 1 } else { 0 };").is_ok());
    }

    #[test]
    fn unused_learn_parameters_are_errors_unless_allowed() {
        let (m, at) = first_error("P(x; learn alpha = 0.25) = max(0, x);");
        assert!(
            m.starts_with("`learn` parameter `alpha` is not used"),
            "{m}"
        );
        assert_eq!(at, "alpha");
        assert!(compile_str(
            "#[actdiff(allow_unused_learn)] P(x; learn alpha = 0.25) = max(0, x);"
        )
        .is_ok());
        // A fixed parameter may be unused.
        assert!(compile_str("L(x; slope = 0.1, inplace = 0) = slope * x;").is_ok());
    }

    #[test]
    fn a_learn_parameter_only_in_conditions_is_an_error() {
        let src = "Th(x; learn t = 0.5) = if x > t { x } else { 0 };";
        let (m, at) = first_error(src);
        assert!(
            m.starts_with("the gradient of `learn` parameter `t` is 0 for every input"),
            "{m}"
        );
        assert_eq!(at, "t");
        // Fixed, allowed, or read outside the condition too: fine.
        assert!(compile_str("Th(x; t = 0.5) = if x > t { x } else { 0 };").is_ok());
        assert!(compile_str(
            "#[actdiff(allow_unused_learn)] Th(x; learn t = 0.5) = if x > t { x } else { 0 };"
        )
        .is_ok());
        assert!(compile_str("Th(x; learn t = 0.5) = if x > t { x - t } else { 0 };").is_ok());
        assert!(compile_str("C(x; learn lo = -1) = max(lo, x);").is_ok());
        let (m, _) = first_error("R(x; learn b = 1.5) = x + mul_err(b, x);");
        assert!(
            m.starts_with("the gradient of `learn` parameter `b`"),
            "{m}"
        );
    }

    #[test]
    fn constant_parts_must_be_numbers() {
        for (src, at, message) in [
            ("N(x) = sqrt(-1) + x;", "sqrt", "`sqrt(-1)` is NaN"),
            ("N(x) = x * ln(-2);", "ln", "`ln(-2)` is NaN"),
            ("N(x) = x + 0 / 0;", "/", "`0 / 0` is NaN"),
            ("N(x) = x + ln(sqrt(-1));", "sqrt", "`sqrt(-1)` is NaN"),
            (
                "N(x) = if x > sqrt(-1) { x } else { 0 };",
                "sqrt",
                "`sqrt(-1)` is NaN",
            ),
            (
                "N(x) = x + (ln(0) + exp(1000));",
                "+",
                "`ln(0) + exp(1000)` is NaN",
            ),
            (
                "N(x) = x + ln(0);",
                "ln",
                "`ln(0)` is -inf, where arithmetic takes it",
            ),
            (
                "N(x) = x * exp(1000);",
                "exp",
                "`exp(1000)` is inf, where arithmetic takes it",
            ),
            (
                "N(x) = x / (1 / 0);",
                "/",
                "`1 / 0` is inf, where arithmetic takes it",
            ),
            ("N(x) = x * (2 + ln(0));", "ln", "`ln(0)` is -inf"),
            ("N(x) = x * exp(exp(1000));", "exp", "`exp(1000)` is inf"),
            ("N(x) = x * abs(ln(0));", "ln", "`ln(0)` is -inf"),
            ("N(x) = x * max(exp(1000), 2);", "exp", "`exp(1000)` is inf"),
            ("N(x) = x + -exp(1000);", "exp", "`exp(1000)` is inf"),
            (
                "N(x) = x * exp(100);",
                "exp",
                // Folded, as every finite call of numbers is, and checked as a number.
                "number 2.6881171418161356e43 is out of range for f32",
            ),
        ] {
            let (m, text) = first_error(src);
            assert!(m.starts_with(message), "{src}: {m}");
            assert_eq!(text, at, "{src}");
            let n = compile_str(src).expect_err("an error").items.len();
            assert_eq!(n, 1, "{src}");
        }
        // Numbers, parts with a parameter, and infinities that a function, a
        // comparison or a branch takes are fine.
        for src in [
            "G(x) = x * sqrt(2 / 3.141592653589793) + ln(2);",
            "P(x; a = 2) = x * sqrt(a);",
            "M(x) = max(x, ln(0));",
            "S(x) = x * sigmoid(exp(1000));",
            "C(x) = if x > ln(0) { x } else { 0 };",
            "B(x) = if x > 0 { x } else { ln(0) };",
            "N(x) = max(x, -exp(1000));",
        ] {
            assert!(compile_str(src).is_ok(), "{src}");
        }
    }

    #[test]
    fn numbers_must_fit_f32() {
        let (m, at) = first_error("Big(x) = 1e39 * x;");
        assert!(m.starts_with("number 1e39 is out of range for f32"), "{m}");
        assert_eq!(at, "1e39");
        let (m, at) = first_error("Tiny(x) = x + 1e-50;");
        assert!(m.starts_with("number 1e-50 rounds to 0 in f32"), "{m}");
        assert_eq!(at, "1e-50");
        let (m, at) = first_error("Folded(x) = 1e20 * 1e20 * x;");
        assert!(m.starts_with("number 1e40 is out of range"), "{m}");
        assert_eq!(at, "*");
        let (m, at) = first_error("D(x; a = 1e39) = a * x;");
        assert!(
            m.starts_with("default of `a` is out of range for f32"),
            "{m}"
        );
        assert_eq!(at, "1e39");
        assert!(compile_str("Sub(x) = x + 1e-40; Max(x) = 3.4e38 * x;").is_ok());
        // Reported with the formula's other errors.
        let err = compile_str("Both(x) = 1e39 * tahn(x);").expect_err("two errors");
        assert_eq!(err.items.len(), 2, "{err}");
    }

    #[test]
    fn numbers_folded_into_a_derivative_must_fit_f32() {
        // The formula's numbers fit; its derivative's product of them does not.
        let src = "F(x) = sigmoid(10 * (1e38 * x));";
        let e = crate::compile_str(src).expect_err("1e39");
        assert!(
            e.items[0]
                .message
                .starts_with("the derivative holds the number 1e39"),
            "{e}"
        );
        // At the operation that brought the numbers together: `10 * (1e38 * x)`.
        assert_eq!(e.items[0].range, 18..19, "{e}");
        let e = crate::compile_str("F(x) = 1e30 * exp(1e-20 * (1e-30 * x));").expect_err("1e-50");
        assert!(e.to_string().contains("rounds to 0 in f32"), "{e}");
        // A parameter's derivative too.
        let e = crate::compile_str("F(x; learn a = 1) = sigmoid(1e38 * (10 * a) * x);")
            .expect_err("1e39");
        assert!(
            e.items[0].message.starts_with("the derivative holds"),
            "{e}"
        );
        // Fine where the products fit.
        assert!(crate::compile_str("F(x) = sigmoid(10 * (1e30 * x));").is_ok());
    }
}
