//! Print: writes a DAG back in the DSL's own syntax, so that generated docs, the
//! command-line tool and error messages show formulas a user can read and paste
//! back into `activation!`. Shared subexpressions become `let` bindings.

use crate::graph::{Graph, Node, NodeId};

/// Operator precedence, loosest first, matching Rust's.
const P_IF: u8 = 0;
const P_OR: u8 = 1;
const P_AND: u8 = 2;
const P_CMP: u8 = 3;
const P_ADD: u8 = 4;
const P_MUL: u8 = 5;
const P_NEG: u8 = 6;
const P_ATOM: u8 = 7;

/// Formats a constant as the shortest literal that reads back to the same `f64`.
pub fn format_number(v: f64) -> String {
    if v == 0.0 && v.is_sign_negative() {
        "-0.0".to_string()
    } else if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v:?}")
    }
}

/// Prints `root` as a DSL expression: `x * tanh(softplus(x))`, or a block with
/// `let` bindings when subexpressions are shared.
pub fn to_dsl(g: &Graph, root: NodeId) -> String {
    let order = g.reachable(&[root]);
    let uses = g.use_counts(&[root]);
    let mut names: Vec<Option<String>> = vec![None; g.len()];
    let mut text: Vec<(String, u8)> = vec![(String::new(), P_ATOM); g.len()];
    let mut lets = Vec::new();
    let mut counter = 0;
    for &id in &order {
        let rendered = render(g, id, &text);
        let node = g.node(id);
        let leaf = matches!(
            node,
            Node::Const(_) | Node::Input | Node::Param(_) | Node::Bool(_)
        );
        if !leaf && uses[id.0 as usize] >= 2 && id != root {
            let name = fresh_name(g, &mut counter);
            lets.push(format!("let {name} = {};", rendered.0));
            names[id.0 as usize] = Some(name.clone());
            text[id.0 as usize] = (name, P_ATOM);
        } else {
            text[id.0 as usize] = rendered;
        }
    }
    let body = text[root.0 as usize].0.clone();
    if lets.is_empty() {
        body
    } else {
        format!("{{ {} {body} }}", lets.join(" "))
    }
}

/// A binding name that is not the input's or a parameter's.
fn fresh_name(g: &Graph, counter: &mut usize) -> String {
    loop {
        *counter += 1;
        let name = format!("t{counter}");
        if name != g.input_name && !g.param_names.contains(&name) {
            return name;
        }
    }
}

fn render(g: &Graph, id: NodeId, text: &[(String, u8)]) -> (String, u8) {
    // `min_prec` is the loosest precedence a child may have without parentheses.
    let child = |n: NodeId, min_prec: u8| -> String {
        let (s, p) = &text[n.0 as usize];
        if *p >= min_prec {
            s.clone()
        } else {
            format!("({s})")
        }
    };
    let bin = |a: NodeId, op: &str, b: NodeId, p: u8| -> (String, u8) {
        (format!("{} {op} {}", child(a, p), child(b, p + 1)), p)
    };
    match g.node(id) {
        Node::Const(bits) => {
            let v = f64::from_bits(bits);
            let p = if v.is_sign_negative() { P_NEG } else { P_ATOM };
            (format_number(v), p)
        }
        Node::Input => (g.input_name.clone(), P_ATOM),
        Node::Param(i) => (g.param_names[i as usize].clone(), P_ATOM),
        Node::Bool(b) => (if b { "0 < 1" } else { "1 < 0" }.to_string(), P_CMP),
        Node::Neg(a) => (format!("-{}", child(a, P_ATOM)), P_NEG),
        Node::Add(a, b) => bin(a, "+", b, P_ADD),
        Node::Sub(a, b) => bin(a, "-", b, P_ADD),
        Node::Mul(a, b) => bin(a, "*", b, P_MUL),
        Node::Div(a, b) => bin(a, "/", b, P_MUL),
        Node::Call(f, a) => (format!("{}({})", f.name(), child(a, P_IF)), P_ATOM),
        Node::Max(a, b) => (
            format!("max({}, {})", child(a, P_IF), child(b, P_IF)),
            P_ATOM,
        ),
        Node::Min(a, b) => (
            format!("min({}, {})", child(a, P_IF), child(b, P_IF)),
            P_ATOM,
        ),
        Node::Pow(a, b) => (
            format!("pow({}, {})", child(a, P_IF), child(b, P_IF)),
            P_ATOM,
        ),
        Node::MulErr(a, b) => (
            format!("mul_err({}, {})", child(a, P_IF), child(b, P_IF)),
            P_ATOM,
        ),
        Node::Powi(a, n) => (format!("powi({}, {n})", child(a, P_IF)), P_ATOM),
        Node::Cmp(op, a, b) => (
            format!(
                "{} {} {}",
                child(a, P_CMP + 1),
                op.symbol(),
                child(b, P_CMP + 1)
            ),
            P_CMP,
        ),
        Node::And(a, b) => bin(a, "&&", b, P_AND),
        Node::Or(a, b) => bin(a, "||", b, P_OR),
        Node::Select(c, a, b) => {
            let (else_text, else_prec) = &text[b.0 as usize];
            let tail = if *else_prec == P_IF && else_text.starts_with("if ") {
                else_text.clone()
            } else {
                format!("{{ {else_text} }}")
            };
            (
                format!(
                    "if {} {{ {} }} else {tail}",
                    child(c, P_OR),
                    text[a.0 as usize].0
                ),
                P_IF,
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compile_str;

    fn round_trip(src: &str) -> String {
        let defs = compile_str(&format!("F(x; a = 0.5) = {src};")).expect("compiles");
        to_dsl(&defs[0].graph, defs[0].forward)
    }

    #[test]
    fn prints_with_minimal_parentheses() {
        assert_eq!(round_trip("x * tanh(softplus(x))"), "x * tanh(softplus(x))");
        assert_eq!(round_trip("(x + 1) * 2"), "2 * (x + 1)");
        assert_eq!(round_trip("x - (a - x)"), "x - (a - x)");
        assert_eq!(round_trip("-0.25 * x"), "-0.25 * x");
        assert_eq!(round_trip("x + mul_err(a, x)"), "x + mul_err(a, x)");
        assert_eq!(
            round_trip("if x > 0 { x } else if x > -1 { a * x } else { -a }"),
            "if x > 0 { x } else if x > -1 { a * x } else { -a }"
        );
    }

    #[test]
    fn shared_nodes_become_lets() {
        assert_eq!(
            round_trip("tanh(x) * tanh(x) + x"),
            "{ let t1 = tanh(x); t1 * t1 + x }"
        );
    }

    #[test]
    fn printed_formulas_parse_back_to_the_same_graph_values() {
        let defs = compile_str(
            "F(x; a = 0.5) = if x > 0 { x * tanh(softplus(x + mul_err(a, x))) } else { a * expm1(x) / (1 + x * x) };",
        )
        .expect("compiles");
        let d = &defs[0];
        for root in [d.forward, d.derivative, d.second_derivative] {
            let printed = to_dsl(&d.graph, root);
            let again = compile_str(&format!("F(x; a = 0.5) = {printed};")).expect("reparses");
            for v in [-2.0, -0.3, 0.0, 0.4, 3.0] {
                let want = crate::eval::eval(&d.graph, root, v, &[0.5]);
                let got = crate::eval::eval(&again[0].graph, again[0].forward, v, &[0.5]);
                assert!(
                    want == got || (want.is_nan() && got.is_nan()),
                    "{printed} at {v}"
                );
            }
        }
    }

    #[test]
    fn numbers_read_back_exactly() {
        for v in [0.0, -0.0, 1.0, 0.01, 1e30, 1.234_567_890_123_456_7, -3.5] {
            let s = format_number(v);
            let back: f64 = s.parse().expect("parses");
            assert_eq!(back.to_bits(), v.to_bits(), "{s}");
        }
    }
}
