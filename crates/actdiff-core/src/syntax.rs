//! Parse: the surface syntax of `activation!`, from a token stream.
//!
//! ```text
//! definitions := definition (";" definition)* ";"?
//! definition  := attribute* visibility NAME "(" INPUT (";" param ("," param)*)? ")" where? "=" expr
//! param       := "learn"? NAME "=" "-"? NUMBER
//! where       := "where" constraint ("," constraint)* ","?
//! constraint  := operand ("<" | "<=" | ">" | ">=" | "!=") operand
//! operand     := NAME | "-"? NUMBER
//! ```
//! The expression is parsed by syn as a Rust expression and checked by
//! [`crate::lower`]. The stream is split at top-level `;` first, so a mistake in one
//! definition does not hide the errors of the next, and a definition whose header
//! parsed still yields its name for the stub the macro emits after an error.

use proc_macro2::{Spacing, Span, TokenStream, TokenTree};
use syn::parse::{ParseStream, Parser};
use syn::spanned::Spanned;
use syn::{Attribute, Expr, Ident, Token, Visibility};

/// The `learn` keyword before a parameter's name.
mod keyword {
    // The macro's struct and field carry no docs of their own.
    #![allow(missing_docs)]
    syn::custom_keyword!(learn);
}
use keyword::learn;

/// A parameter as declared: `learn alpha = 0.25`.
#[derive(Clone, Debug)]
pub struct ParamSyntax {
    /// The span of the `learn` keyword, when the parameter is learned.
    pub learn: Option<Span>,
    /// The parameter's name.
    pub name: Ident,
    /// The default value (NaN when the default was missing or malformed, which is
    /// reported as an error).
    pub default: f64,
    /// The span of the default value.
    pub default_span: Span,
}

/// A comparison operator of a constraint, in DSL form `<`, `<=`, `>`, `>=`, `!=`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConstraintOp {
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `!=`
    Ne,
}

/// One side of a constraint: a parameter's name (`alpha`) or a number literal (`-1`).
#[derive(Clone, Debug)]
pub enum Operand {
    /// A name, which [`crate::constraints`] resolves to a parameter.
    Name(Ident),
    /// A number literal, possibly negated.
    Number {
        /// The literal's value.
        value: f64,
        /// Where it is written.
        span: Span,
    },
}

/// A constraint on the parameters, from the `where` clause: `alpha != 0`,
/// `min_val <= max_val`.
#[derive(Clone, Debug)]
pub struct Constraint {
    /// The left side.
    pub left: Operand,
    /// The comparison.
    pub op: ConstraintOp,
    /// The span of the comparison operator.
    pub op_span: Span,
    /// The right side.
    pub right: Operand,
}

/// The header of a definition: everything before `=`.
#[derive(Clone, Debug)]
pub struct Header {
    /// Doc comments and attributes, passed through to the generated type.
    pub attrs: Vec<Attribute>,
    /// The visibility of the generated type.
    pub vis: Visibility,
    /// The activation's name, which becomes the type's name.
    pub name: Ident,
    /// The input's name.
    pub input: Ident,
    /// The parameters, in declaration order.
    pub params: Vec<ParamSyntax>,
    /// The constraints of the `where` clause, in source order.
    pub constraints: Vec<Constraint>,
}

/// One parsed definition: its header and formula when they parsed, and every error
/// found while parsing it.
#[derive(Debug)]
pub struct ParsedDefinition {
    /// The header, when it parsed far enough to know the name.
    pub header: Option<Header>,
    /// The formula after `=`.
    pub body: Option<Expr>,
    /// Errors found while parsing.
    pub errors: Vec<syn::Error>,
}

/// Splits a token stream into definitions and parses each one.
pub fn parse_definitions(tokens: TokenStream) -> Vec<ParsedDefinition> {
    split_definitions(tokens)
        .into_iter()
        .map(|(chunk, end)| parse_definition(chunk, end))
        .collect()
}

/// Splits at top-level `;`. Each chunk comes with the span just past its end (the
/// `;` or the last token), where "expected ..." errors at the end of input point.
fn split_definitions(tokens: TokenStream) -> Vec<(TokenStream, Span)> {
    let mut chunks = Vec::new();
    let mut current: Vec<TokenTree> = Vec::new();
    for tt in tokens {
        match &tt {
            TokenTree::Punct(p) if p.as_char() == ';' => {
                let chunk: TokenStream = std::mem::take(&mut current).into_iter().collect();
                chunks.push((chunk, p.span()));
            }
            _ => current.push(tt),
        }
    }
    if let Some(last) = current.last() {
        let end = last.span();
        chunks.push((current.into_iter().collect(), end));
    }
    chunks.retain(|(chunk, _)| !chunk.is_empty());
    chunks
}

fn parse_definition(chunk: TokenStream, end: Span) -> ParsedDefinition {
    let mut errors = Vec::new();
    let mut header = None;
    let mut body = None;
    let parser = |input: ParseStream| -> syn::Result<()> {
        let h = parse_header(input, end, &mut errors)?;
        let close = h.1;
        header = Some(h.0);
        let name = &header
            .as_ref()
            .map(|h| h.name.to_string())
            .unwrap_or_default();
        if input.is_empty() {
            return Err(syn::Error::new(
                close,
                format!("expected `=` and a formula after the signature of `{name}`"),
            ));
        }
        if input.peek(Token![==]) || input.peek(Token![=>]) {
            return Err(input.error(format!("expected `=` before the formula of `{name}`")));
        }
        let eq: Token![=] = input.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
                format!("expected `=` before the formula of `{name}`"),
            )
        })?;
        if input.is_empty() {
            return Err(syn::Error::new(
                eq.span,
                format!("empty definition: `{name}` has no formula after `=`"),
            ));
        }
        let expr: Expr = input.parse()?;
        if !input.is_empty() {
            return Err(
                input.error("unexpected tokens after the formula; end each definition with `;`")
            );
        }
        body = Some(expr);
        Ok(())
    };
    if let Err(e) = parser.parse2(chunk) {
        errors.insert(0, spanned_at_end(e, end));
    }
    // Errors in the header come before the formula's parse error in source order.
    errors.sort_by_key(|e| span_order(e.span()));
    ParsedDefinition {
        header,
        body,
        errors,
    }
}

/// `e` with its "unexpected end of input" errors at `end` (the definition's `;` or last
/// token): syn puts them at the call site, which is the whole `activation!`
/// invocation, or the start of a text definition.
fn spanned_at_end(e: syn::Error, end: Span) -> syn::Error {
    let mut spanned: Option<syn::Error> = None;
    for part in e {
        let message = part.to_string();
        let part = if message.starts_with("unexpected end of input") {
            syn::Error::new(end, message)
        } else {
            part
        };
        match &mut spanned {
            Some(all) => all.combine(part),
            None => spanned = Some(part),
        }
    }
    spanned.unwrap_or_else(|| syn::Error::new(end, "unexpected end of input"))
}

/// A sort key that keeps errors in source order when spans carry locations.
pub(crate) fn span_order(span: Span) -> (usize, usize) {
    let start = span.start();
    (start.line, start.column)
}

fn parse_header(
    input: ParseStream,
    end: Span,
    errors: &mut Vec<syn::Error>,
) -> syn::Result<(Header, Span)> {
    let attrs = input.call(Attribute::parse_outer)?;
    let vis: Visibility = input.parse()?;
    if input.is_empty() {
        return Err(syn::Error::new(
            end,
            "expected a definition, like `pub Relu(x) = max(0, x);`",
        ));
    }
    let name: Ident = input.parse().map_err(|e| {
        syn::Error::new(
            e.span(),
            "expected the activation's name, like `pub Relu(x) = max(0, x);`",
        )
    })?;
    if !input.peek(syn::token::Paren) {
        let span = if input.is_empty() {
            name.span()
        } else {
            input.span()
        };
        return Err(syn::Error::new(
            span,
            format!("expected `(` and the input's name after `{name}`, like `{name}(x)`"),
        ));
    }
    let content;
    let paren = syn::parenthesized!(content in input);
    let close = paren.span.close();
    if content.is_empty() {
        return Err(syn::Error::new(
            paren.span.join(),
            format!("expected the input's name inside the parentheses, like `{name}(x)`"),
        ));
    }
    let input_name: Ident = content
        .parse()
        .map_err(|e| syn::Error::new(e.span(), "expected the input's name, like `x`"))?;
    skip_type(&content, &format!("the input `{input_name}`"), errors)?;
    let mut params = Vec::new();
    if content.peek(Token![;]) {
        let _: Token![;] = content.parse()?;
        while !content.is_empty() {
            params.push(parse_param(&content, errors)?);
            if content.is_empty() {
                break;
            }
            let _: Token![,] = content
                .parse()
                .map_err(|e| syn::Error::new(e.span(), "expected `,` between parameters"))?;
        }
    } else if !content.is_empty() {
        return Err(syn::Error::new(
            content.span(),
            format!(
                "expected `;` between the input and the parameters, like `{name}({input_name}; alpha = 0.25)`"
            ),
        ));
    }
    let mut end_of_signature = close;
    let mut constraints = Vec::new();
    if input.peek(Token![where]) {
        let kw: Token![where] = input.parse()?;
        end_of_signature = kw.span;
        parse_where(input, &mut constraints, &mut end_of_signature, errors);
    }
    let header = Header {
        attrs,
        vis,
        name,
        input: input_name,
        params,
        constraints,
    };
    Ok((header, end_of_signature))
}

/// Parses the constraints after `where`, up to the `=` before the formula. A malformed
/// constraint is reported and skipped up to that `=`, so that the header, the formula
/// and the definition's stub survive it.
fn parse_where(
    input: ParseStream,
    constraints: &mut Vec<Constraint>,
    end: &mut Span,
    errors: &mut Vec<syn::Error>,
) {
    if at_formula_equals(input) || input.is_empty() {
        errors.push(syn::Error::new(
            *end,
            "expected a constraint after `where`, like `where alpha > 0`",
        ));
        return;
    }
    while !input.is_empty() && !at_formula_equals(input) {
        match parse_constraint(input) {
            Ok(c) => {
                *end = operand_span(&c.right);
                constraints.push(c);
            }
            Err(e) => {
                errors.push(e);
                skip_to_formula_equals(input);
                return;
            }
        }
        if at_formula_equals(input) || input.is_empty() {
            return;
        }
        match input.parse::<Token![,]>() {
            Ok(comma) => *end = comma.span,
            Err(e) => {
                errors.push(syn::Error::new(
                    e.span(),
                    "expected `,` between constraints or `=` before the formula",
                ));
                skip_to_formula_equals(input);
                return;
            }
        }
    }
}

/// The span of a constraint's operand.
fn operand_span(operand: &Operand) -> Span {
    match operand {
        Operand::Name(name) => name.span(),
        Operand::Number { span, .. } => *span,
    }
}

/// Whether the next token is the single `=` that starts the formula (not `==`, `=>`).
fn at_formula_equals(input: ParseStream) -> bool {
    input.peek(Token![=]) && !input.peek(Token![==]) && !input.peek(Token![=>])
}

/// Skips token trees up to the `=` that starts the formula, or to the end. An `=`
/// glued to the punctuation before it belongs to `<=`, `>=` or `!=`.
fn skip_to_formula_equals(input: ParseStream) {
    let _ = input.step(|cursor| {
        let mut rest = *cursor;
        let mut glued = false;
        while let Some((tt, next)) = rest.token_tree() {
            if let TokenTree::Punct(p) = &tt {
                let starts_two_char_op = p.spacing() == Spacing::Joint
                    && matches!(next.punct(), Some((q, _)) if q.as_char() == '=' || q.as_char() == '>');
                if p.as_char() == '=' && !glued && !starts_two_char_op {
                    return Ok(((), rest));
                }
                glued = p.spacing() == Spacing::Joint;
            } else {
                glued = false;
            }
            rest = next;
        }
        Ok(((), rest))
    });
}

fn parse_constraint(input: ParseStream) -> syn::Result<Constraint> {
    let left = parse_operand(input)?;
    let (op, op_span) = if input.peek(Token![<=]) {
        (ConstraintOp::Le, input.parse::<Token![<=]>()?.spans[0])
    } else if input.peek(Token![>=]) {
        (ConstraintOp::Ge, input.parse::<Token![>=]>()?.spans[0])
    } else if input.peek(Token![!=]) {
        (ConstraintOp::Ne, input.parse::<Token![!=]>()?.spans[0])
    } else if input.peek(Token![<]) {
        (ConstraintOp::Lt, input.parse::<Token![<]>()?.span)
    } else if input.peek(Token![>]) {
        (ConstraintOp::Gt, input.parse::<Token![>]>()?.span)
    } else if input.peek(Token![==]) {
        return Err(input.error(
            "`==` would fix the parameter to one value: declare it as a constant in the formula instead",
        ));
    } else {
        return Err(
            input.error("expected a comparison in the constraint: `<`, `<=`, `>`, `>=` or `!=`")
        );
    };
    let right = parse_operand(input)?;
    Ok(Constraint {
        left,
        op,
        op_span,
        right,
    })
}

fn parse_operand(input: ParseStream) -> syn::Result<Operand> {
    if input.peek(Ident) {
        return Ok(Operand::Name(input.parse()?));
    }
    let minus: Option<Token![-]> = input.parse()?;
    if !input.peek(syn::Lit) {
        return Err(input.error(
            "expected a parameter's name or a number literal in the constraint, like `alpha > 0`",
        ));
    }
    let lit: syn::Lit = input.parse()?;
    let span = minus.map_or_else(|| lit.span(), |m| m.span);
    let expr = Expr::Lit(syn::ExprLit {
        attrs: Vec::new(),
        lit: lit.clone(),
    });
    let expr = match minus {
        Some(m) => Expr::Unary(syn::ExprUnary {
            attrs: Vec::new(),
            op: syn::UnOp::Neg(m),
            expr: Box::new(expr),
        }),
        None => expr,
    };
    match literal_value(&expr) {
        Some(value) if value.is_finite() => Ok(Operand::Number { value, span }),
        Some(value) if value.is_nan() => Err(syn::Error::new(
            lit.span(),
            format!("number literal {UNDERFLOWS_F64}"),
        )),
        Some(_) => Err(syn::Error::new(
            lit.span(),
            "number literal out of range for f64",
        )),
        None if is_suffixed_number(&expr) => Err(syn::Error::new(lit.span(), NO_SUFFIX)),
        None => Err(syn::Error::new(
            lit.span(),
            "only number literals and parameter names can appear in a constraint",
        )),
    }
}

fn parse_param(input: ParseStream, errors: &mut Vec<syn::Error>) -> syn::Result<ParamSyntax> {
    let learn = if input.peek(learn) && input.peek2(syn::Ident) {
        Some(input.parse::<learn>()?.span)
    } else {
        None
    };
    let name: Ident = input
        .parse()
        .map_err(|e| syn::Error::new(e.span(), "expected a parameter name"))?;
    skip_type(input, &format!("parameter `{name}`"), errors)?;
    let kind = if learn.is_some() {
        "`learn` parameter"
    } else {
        "parameter"
    };
    if !input.peek(Token![=]) {
        errors.push(syn::Error::new(
            name.span(),
            format!("{kind} `{name}` needs a default value, like `{name} = 0.25`"),
        ));
        return Ok(ParamSyntax {
            learn,
            name: name.clone(),
            default: f64::NAN,
            default_span: name.span(),
        });
    }
    let _: Token![=] = input.parse()?;
    let value: Expr = input.parse()?;
    let default_span = value.span();
    let default = match literal_value(&value) {
        Some(v) if v.is_finite() => v,
        Some(v) if v.is_nan() => {
            errors.push(syn::Error::new(
                default_span,
                format!("default of `{name}` {UNDERFLOWS_F64}"),
            ));
            f64::NAN
        }
        Some(_) => {
            errors.push(syn::Error::new(
                default_span,
                format!("default of `{name}` is out of range for f64"),
            ));
            f64::NAN
        }
        None if is_suffixed_number(&value) => {
            errors.push(syn::Error::new(default_span, NO_SUFFIX));
            f64::NAN
        }
        None => {
            errors.push(syn::Error::new(
                default_span,
                format!("default of `{name}` must be a number literal, like `{name} = 0.25`"),
            ));
            f64::NAN
        }
    };
    Ok(ParamSyntax {
        learn,
        name,
        default,
        default_span,
    })
}

/// The error for `0.5f32`, in a default or in a formula.
pub(crate) const NO_SUFFIX: &str =
    "number literals take no suffix: the activation's type decides the precision";

/// Reports and skips a type annotation (`x: f32`, `alpha: f64 = 0.25`): the
/// definition is generic, so the annotation is a mistake, but the rest parses.
fn skip_type(input: ParseStream, what: &str, errors: &mut Vec<syn::Error>) -> syn::Result<()> {
    if input.peek(Token![:]) {
        let colon: Token![:] = input.parse()?;
        let _: syn::Type = input.parse()?;
        errors.push(syn::Error::new(
            colon.span,
            format!("{what} takes no type: the activation's type decides the precision"),
        ));
    }
    Ok(())
}

/// Whether `expr` is a number literal with a type suffix, possibly negated: `0.5f32`.
fn is_suffixed_number(expr: &Expr) -> bool {
    match expr {
        Expr::Lit(lit) => match &lit.lit {
            syn::Lit::Int(i) => !i.suffix().is_empty(),
            syn::Lit::Float(f) => !f.suffix().is_empty(),
            _ => false,
        },
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => is_suffixed_number(&u.expr),
        Expr::Paren(p) => is_suffixed_number(&p.expr),
        Expr::Group(g) => is_suffixed_number(&g.expr),
        _ => false,
    }
}

/// Why a nonzero number literal that f64 rounds to 0 is refused.
pub const UNDERFLOWS_F64: &str =
    "rounds to 0 in f64 (its smallest positive value is about 4.9e-324)";

/// Whether a decimal number's digits before its exponent include a nonzero one
/// (`1e-400`, `-2.5E-999`; not `0.000e5`): a number that parses to 0 then was rounded
/// to it. Shared by the literals here and `Builtin`'s parameter values.
pub fn nonzero_mantissa(text: &str) -> bool {
    let mantissa = text.split(['e', 'E']).next().unwrap_or_default();
    mantissa.bytes().any(|b| (b'1'..=b'9').contains(&b))
}

/// The value of a number literal, possibly negated: `0.25`, `-1`, `1e-3`; ±inf for
/// one past f64's range (`1e400`), NaN for a nonzero one that f64 rounds to 0
/// (`1e-400`), which the callers report ([`UNDERFLOWS_F64`]): it would otherwise be
/// a silent 0.
pub fn literal_value(expr: &Expr) -> Option<f64> {
    let value = |digits: &str| {
        let v: f64 = digits.parse().ok()?;
        Some(if v == 0.0 && nonzero_mantissa(digits) {
            f64::NAN
        } else {
            v
        })
    };
    match expr {
        Expr::Lit(lit) => match &lit.lit {
            syn::Lit::Int(i) if i.suffix().is_empty() => value(i.base10_digits()),
            syn::Lit::Float(f) if f.suffix().is_empty() => value(f.base10_digits()),
            _ => None,
        },
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => literal_value(&u.expr).map(|v| -v),
        Expr::Paren(p) => literal_value(&p.expr),
        Expr::Group(g) => literal_value(&g.expr),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn parse(src: &str) -> Vec<ParsedDefinition> {
        parse_definitions(TokenStream::from_str(src).expect("lexes"))
    }

    #[test]
    fn parses_several_definitions_with_parameters() {
        let defs = parse(
            "/// doc\n pub Relu(x) = max(0, x);\n pub(crate) Prelu(x; learn alpha = 0.25, beta = -1) = x;",
        );
        assert_eq!(defs.len(), 2);
        assert!(defs.iter().all(|d| d.errors.is_empty()));
        let h = defs[1].header.as_ref().expect("header");
        assert_eq!(h.name, "Prelu");
        assert_eq!(h.params.len(), 2);
        assert!(h.params[0].learn.is_some());
        assert_eq!(h.params[1].default, -1.0);
        assert_eq!(defs[0].header.as_ref().expect("header").attrs.len(), 1);
    }

    #[test]
    fn missing_equals_and_empty_formula() {
        let defs = parse("Relu(x) max(0, x); Empty(x) = ;");
        assert!(defs[0].errors[0].to_string().contains("expected `=`"));
        assert!(defs[1].errors[0].to_string().contains("empty definition"));
        assert_eq!(defs[1].header.as_ref().expect("header").name, "Empty");
    }

    #[test]
    fn parameter_defaults_are_checked_and_all_reported() {
        let defs = parse("F(x; learn a, b = foo) = x;");
        let msgs: Vec<String> = defs[0].errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(msgs.len(), 2, "{msgs:?}");
        assert!(msgs[0].contains("`learn` parameter `a` needs a default value"));
        assert!(msgs[1].contains("must be a number literal"));
    }

    #[test]
    fn type_annotations_and_suffixes_are_reported_once_and_the_header_kept() {
        let src = "F(x: f32; a: f64 = 1, b = 0.5f32) == x";
        let defs = parse(src);
        let d = &defs[0];
        let at: Vec<(&str, String)> = d
            .errors
            .iter()
            .map(|e| (&src[e.span().byte_range()], e.to_string()))
            .collect();
        assert_eq!(at.len(), 4, "{at:?}");
        assert_eq!(at[0].0, ":");
        assert!(at[0].1.starts_with("the input `x` takes no type"));
        assert_eq!(at[1].0, ":");
        assert!(at[1].1.starts_with("parameter `a` takes no type"));
        assert_eq!(at[2], ("0.5f32", NO_SUFFIX.to_string()));
        assert_eq!(at[3].0, "=");
        assert!(at[3].1.contains("expected `=` before the formula of `F`"));
        let h = d.header.as_ref().expect("header");
        assert_eq!(h.params.len(), 2);
        assert_eq!(h.params[0].default, 1.0);
    }

    #[test]
    fn where_clause_parses_comparisons_between_names_and_numbers() {
        let defs = parse(
            "H(x; lo = -1, hi = 1) where lo <= hi, lo != 0, -2 < lo, hi >= 0.5, hi > lo, = x",
        );
        let d = &defs[0];
        assert!(d.errors.is_empty(), "{:?}", d.errors);
        let c = &d.header.as_ref().expect("header").constraints;
        let ops: Vec<ConstraintOp> = c.iter().map(|c| c.op).collect();
        use ConstraintOp::*;
        assert_eq!(ops, [Le, Ne, Lt, Ge, Gt]);
        assert!(matches!(&c[0].left, Operand::Name(n) if n == "lo"));
        assert!(matches!(c[2].left, Operand::Number { value, .. } if value == -2.0));
        assert!(matches!(c[3].right, Operand::Number { value, .. } if value == 0.5));
        assert!(d.body.is_some());
    }

    #[test]
    fn malformed_constraints_are_reported_and_the_rest_survives() {
        let src = "C(x; a = 1) where a == 0 = tahn(x); D(x; a = 1) where a > 0 b < 1 = x; \
                   E(x; a = 1) where = x; F(x; a = 1) where a > 1f32 = x; G(x; a = 1) where a >= x * 2 = x";
        let defs = parse(src);
        let at = |k: usize| -> Vec<(&str, String)> {
            defs[k]
                .errors
                .iter()
                .map(|e| (&src[e.span().byte_range()], e.to_string()))
                .collect()
        };
        assert_eq!(at(0).len(), 1, "{:?}", at(0));
        assert!(at(0)[0].1.starts_with("`==` would fix the parameter"));
        assert!(defs[0].body.is_some(), "the formula is still parsed");
        assert_eq!(at(1)[0].0, "b");
        assert!(at(1)[0].1.contains("expected `,` between constraints"));
        assert!(at(2)[0]
            .1
            .starts_with("expected a constraint after `where`"));
        assert_eq!(at(3)[0], ("1f32", NO_SUFFIX.to_string()));
        assert_eq!(at(4).len(), 1, "{:?}", at(4));
        assert!(defs.iter().all(|d| d.header.is_some()));
    }

    #[test]
    fn spans_carry_byte_ranges() {
        let src = "Relu(x) = max(0, x) x;";
        let defs = parse(src);
        let r = defs[0].errors[0].span().byte_range();
        assert_eq!(&src[r], "x");
    }
}
