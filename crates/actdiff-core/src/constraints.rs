//! Constraints: the `where` clause of a definition, checked at compile time and
//! turned into the run-time checks of the generated `try_new`.
//!
//! ```text
//! pub Celu(x; alpha = 1) where alpha != 0 = if x > 0 { x } else { alpha * expm1(x / alpha) };
//! ```
//! Each constraint compares a parameter with a number literal or with another
//! parameter. At compile time a name that is not a parameter is an error, and so is a
//! declared default that violates a constraint (`Default` must give a valid value).
//! At run time `try_new` returns a `ParamError` naming the first parameter of the
//! violated constraint, and `new` panics with the same message. A NaN parameter
//! violates every constraint that names it: no comparison holds for NaN, and `!=`
//! is no exception here even though IEEE 754 says `NaN != 0`.

use crate::print::format_number;
use crate::suggest::did_you_mean;
use crate::syntax::{Constraint, ConstraintOp, Header, Operand};
use proc_macro2::Span;

impl ConstraintOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            ConstraintOp::Lt => "<",
            ConstraintOp::Le => "<=",
            ConstraintOp::Gt => ">",
            ConstraintOp::Ge => ">=",
            ConstraintOp::Ne => "!=",
        }
    }

    /// The operator with its sides swapped: `0 < a` is `a > 0`.
    pub fn flipped(self) -> ConstraintOp {
        match self {
            ConstraintOp::Lt => ConstraintOp::Gt,
            ConstraintOp::Le => ConstraintOp::Ge,
            ConstraintOp::Gt => ConstraintOp::Lt,
            ConstraintOp::Ge => ConstraintOp::Le,
            ConstraintOp::Ne => ConstraintOp::Ne,
        }
    }

    /// Whether `a op b` holds; never when either side is NaN.
    pub fn holds(self, a: f64, b: f64) -> bool {
        if a.is_nan() || b.is_nan() {
            return false;
        }
        match self {
            ConstraintOp::Lt => a < b,
            ConstraintOp::Le => a <= b,
            ConstraintOp::Gt => a > b,
            ConstraintOp::Ge => a >= b,
            ConstraintOp::Ne => a != b,
        }
    }
}

/// One side of a resolved constraint.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Side {
    /// The parameter at this index of the declaration.
    Param(usize),
    /// A number literal.
    Number(f64),
}

/// A constraint whose names are resolved to parameters, written with a parameter on
/// the left (`0 < alpha` becomes `alpha > 0`), as its messages read.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Resolved {
    /// The parameter the constraint is about, reported by the run-time error.
    pub subject: usize,
    /// The comparison, with `subject` on its left.
    pub op: ConstraintOp,
    /// The other side.
    pub other: Side,
}

impl Resolved {
    /// The indices of the parameters it names, subject first.
    pub fn params(&self) -> Vec<usize> {
        match self.other {
            Side::Param(j) if j != self.subject => vec![self.subject, j],
            _ => vec![self.subject],
        }
    }

    /// Whether it holds for these parameter values (in declaration order).
    pub fn holds(&self, values: &[f64]) -> bool {
        let other = match self.other {
            Side::Param(j) => values[j],
            Side::Number(v) => v,
        };
        self.op.holds(values[self.subject], other)
    }

    /// The constraint as DSL text: `alpha != 0`, `min_val <= max_val`.
    pub fn text(&self, header: &Header) -> String {
        let name = |i: usize| header.params[i].name.to_string();
        let other = match self.other {
            Side::Param(j) => name(j),
            Side::Number(v) => format_number(v),
        };
        format!("{} {} {other}", name(self.subject), self.op.symbol())
    }

    /// What the run-time error says is required: `alpha must be != 0`.
    pub fn requirement(&self, header: &Header) -> String {
        let text = self.text(header);
        let subject = header.params[self.subject].name.to_string();
        format!("{subject} must be{}", &text[subject.len()..])
    }
}

/// For each parameter, whether a constraint keeps it away from zero: `p != 0`,
/// `p > c` with `c >= 0`, `p >= c` with `c > 0`, and the mirrored `<` and `<=`. The
/// generated `try_new` rejects such a parameter at 0 (and NaN), so the simplifier may
/// cancel it from a quotient: `(a * alpha) / alpha` is `a` for every value it can
/// have.
pub fn nonzero_params(header: &Header) -> Vec<bool> {
    let mut nonzero = vec![false; header.params.len()];
    for r in resolve(header) {
        if let Side::Number(c) = r.other {
            let excludes_zero = match r.op {
                ConstraintOp::Ne => c == 0.0,
                ConstraintOp::Gt => c >= 0.0,
                ConstraintOp::Ge => c > 0.0,
                ConstraintOp::Lt => c <= 0.0,
                ConstraintOp::Le => c < 0.0,
            };
            nonzero[r.subject] |= excludes_zero;
        }
    }
    nonzero
}

/// Resolves a name of a constraint to a parameter index.
fn param_index(header: &Header, name: &str) -> Option<usize> {
    header.params.iter().position(|p| p.name == name)
}

/// The `where` clause's constraints as DSL text, in source order and comma-separated
/// (`alpha != 0`), written as [`Resolved::text`] writes them; empty without any.
pub fn where_text(header: &Header) -> String {
    resolve(header)
        .iter()
        .map(|r| r.text(header))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Resolves every constraint whose names are all parameters, in source order;
/// [`check`] reports the others.
pub fn resolve(header: &Header) -> Vec<Resolved> {
    header
        .constraints
        .iter()
        .filter_map(|c| resolve_one(header, c))
        .collect()
}

fn resolve_one(header: &Header, c: &Constraint) -> Option<Resolved> {
    let side = |operand: &Operand| match operand {
        Operand::Name(name) => param_index(header, &name.to_string()).map(Side::Param),
        Operand::Number { value, .. } => Some(Side::Number(*value)),
    };
    match (side(&c.left)?, side(&c.right)?) {
        (Side::Param(i), other) => Some(Resolved {
            subject: i,
            op: c.op,
            other,
        }),
        (number, Side::Param(j)) => Some(Resolved {
            subject: j,
            op: c.op.flipped(),
            other: number,
        }),
        (Side::Number(_), Side::Number(_)) => None,
    }
}

/// Checks the `where` clause: every name is a parameter, every constraint names one,
/// and the declared defaults satisfy every constraint. Errors are appended.
pub fn check(header: &Header, errors: &mut Vec<syn::Error>) {
    for c in &header.constraints {
        let mut known = true;
        for operand in [&c.left, &c.right] {
            if let Operand::Name(name) = operand {
                if param_index(header, &name.to_string()).is_none() {
                    errors.push(unknown_name(header, name));
                    known = false;
                }
            }
        }
        if matches!(
            (&c.left, &c.right),
            (Operand::Number { .. }, Operand::Number { .. })
        ) {
            errors.push(syn::Error::new(
                c.op_span,
                "this constraint names no parameter: compare a parameter with a number or with another parameter, like `alpha > 0`",
            ));
            continue;
        }
        let Some(r) = resolve_one(header, c).filter(|_| known) else {
            continue;
        };
        let defaults: Vec<f64> = header.params.iter().map(|p| p.default).collect();
        // A missing or malformed default is NaN and already reported.
        if r.params().iter().any(|&i| defaults[i].is_nan()) || r.holds(&defaults) {
            continue;
        }
        errors.push(default_violation(header, &r, c));
    }
}

fn unknown_name(header: &Header, name: &syn::Ident) -> syn::Error {
    let text = name.to_string();
    let params: Vec<String> = header.params.iter().map(|p| p.name.to_string()).collect();
    let mut msg = if header.input == text {
        format!("`{text}` is the input: a constraint can only name parameters")
    } else {
        format!("unknown parameter `{text}` in a constraint")
    };
    if let Some(s) = did_you_mean(&text, params.iter().map(String::as_str)) {
        msg.push_str(&format!("\nhelp: did you mean `{s}`?"));
    } else if params.is_empty() {
        msg.push_str(&format!(
            "\nhelp: `{}` has no parameters to constrain",
            header.name
        ));
    } else {
        let list: Vec<String> = params.iter().map(|p| format!("`{p}`")).collect();
        msg.push_str(&format!("\nhelp: the parameters are {}", list.join(", ")));
    }
    syn::Error::new(name.span(), msg)
}

/// The error for defaults that violate `r`, at the default of its first parameter
/// as written (the one a reader fixes first).
fn default_violation(header: &Header, r: &Resolved, c: &Constraint) -> syn::Error {
    let first = match &c.left {
        Operand::Name(name) => param_index(header, &name.to_string()),
        Operand::Number { .. } => None,
    }
    .unwrap_or(r.subject);
    let mut ordered = r.params();
    ordered.sort_by_key(|&i| i != first);
    let shown: Vec<String> = ordered
        .iter()
        .map(|&i| {
            let p = &header.params[i];
            format!("`{} = {}`", p.name, format_number(p.default))
        })
        .collect();
    let (what, verb) = if shown.len() == 1 {
        ("default", "violates")
    } else {
        ("defaults", "violate")
    };
    let span: Span = header.params[first].default_span;
    syn::Error::new(
        span,
        format!(
            "the {what} {} {verb} the constraint `{}`",
            shown.join(" and "),
            written(c)
        ),
    )
}

/// The constraint as the user wrote it.
fn written(c: &Constraint) -> String {
    let side = |o: &Operand| match o {
        Operand::Name(n) => n.to_string(),
        Operand::Number { value, .. } => format_number(*value),
    };
    format!("{} {} {}", side(&c.left), c.op.symbol(), side(&c.right))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse_definitions;
    use proc_macro2::TokenStream;
    use std::str::FromStr;

    fn header(src: &str) -> (Header, Vec<syn::Error>) {
        let mut defs = parse_definitions(TokenStream::from_str(src).expect("lexes"));
        let d = defs.remove(0);
        (d.header.expect("header"), d.errors)
    }

    /// The text each error points at, and its message.
    fn checked(src: &str) -> Vec<(String, String)> {
        let (h, mut errors) = header(src);
        check(&h, &mut errors);
        errors
            .iter()
            .map(|e| (src[e.span().byte_range()].to_string(), e.to_string()))
            .collect()
    }

    #[test]
    fn resolves_with_the_parameter_on_the_left() {
        let (h, errors) = header("C(x; a = 1, b = 2) where a != 0, 0 < b, a <= b = x");
        assert!(errors.is_empty(), "{errors:?}");
        let r = resolve(&h);
        assert_eq!(r.len(), 3);
        assert_eq!(r[1].text(&h), "b > 0");
        assert_eq!(r[1].requirement(&h), "b must be > 0");
        assert_eq!(r[2].requirement(&h), "a must be <= b");
        assert_eq!(r[2].params(), vec![0, 1]);
        assert!(r.iter().all(|r| r.holds(&[1.0, 2.0])));
        assert!(!r[0].holds(&[0.0, 2.0]));
        assert!(!r[2].holds(&[3.0, 2.0]));
    }

    #[test]
    fn nonzero_parameters() {
        let (h, errors) = header(
            "C(x; a = 1, b = 2, c = -1, d = 1, e = 1, f = 2) where a != 0, 0 < b, c <= -0.5, d >= 0, e != 2, f > d = x",
        );
        assert!(errors.is_empty(), "{errors:?}");
        // d >= 0 allows 0, e != 2 says nothing of 0, f > d compares two parameters.
        assert_eq!(
            nonzero_params(&h),
            vec![true, true, true, false, false, false]
        );
    }

    #[test]
    fn nan_violates_every_constraint() {
        for op in [
            ConstraintOp::Lt,
            ConstraintOp::Le,
            ConstraintOp::Gt,
            ConstraintOp::Ge,
            ConstraintOp::Ne,
        ] {
            assert!(!op.holds(f64::NAN, 0.0), "{}", op.symbol());
            assert!(!op.holds(0.0, f64::NAN), "{}", op.symbol());
        }
    }

    #[test]
    fn unknown_names_are_reported_with_a_suggestion() {
        let e = checked("C(x; alpha = 1) where alpah != 0, x > 0, beta < 1 = x");
        assert_eq!(e.len(), 3, "{e:?}");
        assert_eq!(e[0].0, "alpah");
        assert_eq!(
            e[0].1,
            "unknown parameter `alpah` in a constraint\nhelp: did you mean `alpha`?"
        );
        assert_eq!(e[1].0, "x");
        assert!(e[1].1.starts_with("`x` is the input"), "{}", e[1].1);
        assert!(e[2].1.contains("the parameters are `alpha`"), "{}", e[2].1);
    }

    #[test]
    fn defaults_that_violate_a_constraint_point_at_the_default() {
        let e = checked("C(x; alpha = 0) where alpha != 0 = x");
        assert_eq!(
            e,
            [(
                "0".to_string(),
                "the default `alpha = 0` violates the constraint `alpha != 0`".to_string()
            )]
        );
        let e = checked("H(x; lo = 1, hi = -1) where lo <= hi = x");
        assert_eq!(e[0].0, "1");
        assert_eq!(
            e[0].1,
            "the defaults `lo = 1` and `hi = -1` violate the constraint `lo <= hi`"
        );
        let e = checked("H(x; lo = 1, hi = -1) where 0 > hi = x");
        assert_eq!(e, []);
        let e = checked("H(x; lo = 1, hi = -1) where hi > 0 = x");
        assert_eq!(e[0].0, "-1");
    }

    #[test]
    fn compile_runs_the_checks() {
        let err =
            crate::compile_str("C(x; a = 0) where a != 0, b > 1 = a * x;").expect_err("two errors");
        let msgs: Vec<&str> = err.items.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(msgs.len(), 2, "{msgs:?}");
        assert!(crate::compile_str("C(x; a = 1) where a != 0 = a * x;").is_ok());
    }

    #[test]
    fn a_constraint_must_name_a_parameter() {
        let e = checked("C(x; a = 1) where 1 < 2 = x");
        assert_eq!(e[0].0, "<");
        assert!(e[0].1.contains("names no parameter"));
    }
}
