//! Limits: refuses a definition too deep or too long for the passes that recurse,
//! before any of them runs.
//!
//! syn parses expressions recursively, and lowering and dropping the syntax tree
//! recurse as deep as it goes. In a debug build (how proc macros are usually built)
//! one level of brackets costs syn 14 to 26 KB of stack, so a definition a few hundred
//! brackets deep overflows a default 2 MB thread, which aborts the process, or the
//! compiler, instead of reporting an error. This pass measures the tokens alone,
//! without recursion, and stops such a definition with an error at the token that
//! crosses the limit.
//!
//! The measure bounds the syntax tree's depth in units of about 1 KB of debug-build
//! stack (measured per construct; see the robustness tests). Along any path from the
//! top of the definition, it adds up, for each enclosing expression (the tokens
//! between two `,` or `;` of one bracket group), the weight of all its tokens: 16 for
//! a bracket group (24 for braces, which syn nests as block, statement and
//! expression), 4 for an operator in prefix position (`-x`, `!c`, `&x`, `*x`, each
//! one more level), 1 for any other token. A whole expression counts, not only the
//! tokens before a bracket, because a chain `a + b + c` nests its first operand
//! deepest. The limit, 1024, keeps the worst case near 1 MB: about 64 levels of
//! brackets, 256 prefix operators, or 500 terms of one sum, far beyond any
//! activation's formula. A `let` binding starts a new expression, so binding inner
//! parts to names flattens a definition under the limit.
//!
//! A definition's size is limited too, to [`MAX_TOKENS`] tokens, so that the passes
//! after parsing (differentiation twice, the root scan of [`crate::refine`]) stay fast.

use crate::syntax::{self, ParsedDefinition};
use proc_macro2::{Delimiter, Literal, Spacing, Span, TokenStream, TokenTree};

/// The deepest a definition may measure, in units of about 1 KB of debug stack.
pub const MAX_DEPTH: usize = 1024;

/// The most tokens one definition may have.
pub const MAX_TOKENS: usize = 10_000;

const TOO_DEEP: &str = "definition nested too deeply\nhelp: bind inner parts to names with `let`, like `{ let t = tanh(x); x * t }`; the limit is about 64 levels of brackets";
const TOO_LONG: &str = "expression too long\nhelp: split it into `let` bindings, like `{ let a = x * x; a + x }`; the limit is a few hundred operations in one expression";

/// Splits an invocation into definitions at top-level `;` and parses each one that is
/// within the limits. A definition past them is not parsed; its header is, when it is
/// within the limits on its own, so that the macro still emits a stub of its name.
pub fn parse_definitions(tokens: TokenStream) -> Vec<ParsedDefinition> {
    let mut parsed = Vec::new();
    let mut chunk: Vec<TokenTree> = Vec::new();
    for tt in tokens {
        let end = matches!(&tt, TokenTree::Punct(p) if p.as_char() == ';');
        chunk.push(tt);
        if end {
            parsed.extend(parse_one(std::mem::take(&mut chunk)));
        }
    }
    if !chunk.is_empty() {
        parsed.extend(parse_one(chunk));
    }
    parsed
}

fn parse_one(chunk: Vec<TokenTree>) -> Vec<ParsedDefinition> {
    match measure(&chunk) {
        Ok(()) => syntax::parse_definitions(chunk.into_iter().collect()),
        Err(error) => vec![header_only(chunk, error)],
    }
}

/// The definition's header, parsed with a stand-in formula `0` in place of the one
/// past the limits, and the limit's error.
fn header_only(chunk: Vec<TokenTree>, error: syn::Error) -> ParsedDefinition {
    let refused = |errors| ParsedDefinition {
        header: None,
        body: None,
        errors,
    };
    let Some(eq) = formula_equals(&chunk) else {
        return refused(vec![error]);
    };
    if measure(&chunk[..eq]).is_err() {
        return refused(vec![error]);
    }
    let mut stand_in = Literal::i32_unsuffixed(0);
    stand_in.set_span(chunk[eq].span());
    let tokens: TokenStream = chunk[..=eq]
        .iter()
        .cloned()
        .chain(std::iter::once(TokenTree::Literal(stand_in)))
        .collect();
    match syntax::parse_definitions(tokens).into_iter().next() {
        Some(mut parsed) => {
            parsed.body = None;
            parsed.errors.push(error);
            parsed
        }
        None => refused(vec![error]),
    }
}

/// The position of the `=` before the formula: the first top-level `=` that is not
/// part of `<=`, `>=`, `!=` (in a `where` clause), `==` or `=>`. Defaults and
/// attributes hold theirs inside brackets.
fn formula_equals(chunk: &[TokenTree]) -> Option<usize> {
    let joint_punct = |tt: Option<&TokenTree>| matches!(tt, Some(TokenTree::Punct(p)) if p.spacing() == Spacing::Joint);
    let punct = |tt: Option<&TokenTree>, c: char| matches!(tt, Some(TokenTree::Punct(p)) if p.as_char() == c);
    (0..chunk.len()).find(|&i| {
        let glued_before = i > 0 && joint_punct(chunk.get(i - 1));
        let glued_after = joint_punct(chunk.get(i))
            && (punct(chunk.get(i + 1), '=') || punct(chunk.get(i + 1), '>'));
        punct(chunk.get(i), '=') && !glued_before && !glued_after
    })
}

/// Checks one definition's tokens against [`MAX_DEPTH`] and [`MAX_TOKENS`], walking
/// the token trees with an explicit stack. Each bracket group's tokens are measured
/// before the groups inside them, so that the error points at the token that crosses
/// a limit: a bracket too deep, the operator that makes a chain too long.
pub fn measure(tokens: &[TokenTree]) -> Result<(), syn::Error> {
    let mut count = 0;
    let mut stack = measure_list(tokens, 0, &mut count)?;
    while let Some((list, base)) = stack.pop() {
        let groups = measure_list(&list, base, &mut count)?;
        stack.extend(groups.into_iter().rev());
    }
    Ok(())
}

/// Measures the tokens of one bracket group (or of the definition's top level), at
/// depth `base`. Returns the groups inside, with their depths: the weight of the
/// whole expression holding each is added to `base`, since a chain nests its first
/// operand deepest.
fn measure_list(
    list: &[TokenTree],
    base: usize,
    count: &mut usize,
) -> Result<Vec<(Vec<TokenTree>, usize)>, syn::Error> {
    let mut groups = Vec::new();
    // First pass: the weight of each expression (between separators).
    let mut totals = vec![0; list.len()];
    let (mut start, mut sum, mut after_operand) = (0, 0, false);
    for (i, tt) in list.iter().enumerate() {
        if is_separator(tt) {
            totals[start..i].fill(sum);
            (start, sum, after_operand) = (i + 1, 0, false);
        } else {
            sum += weight(tt, after_operand);
            after_operand = !matches!(tt, TokenTree::Punct(_));
        }
    }
    totals[start..].fill(sum);
    // Second pass: the running depth, which crosses the limit at the first token in
    // source order that takes it past.
    let (mut prefix, mut after_operand) = (0, false);
    for (tt, &total) in list.iter().zip(&totals) {
        *count += 1;
        if *count > MAX_TOKENS {
            return Err(error_at(
                tt,
                &format!(
                    "definition too long: more than {MAX_TOKENS} tokens\nhelp: an activation's formula fits in a few dozen; split this one into several definitions"
                ),
            ));
        }
        if is_separator(tt) {
            (prefix, after_operand) = (0, false);
            continue;
        }
        let prefix_operator = is_prefix_operator(tt, after_operand);
        prefix += weight(tt, after_operand);
        after_operand = !matches!(tt, TokenTree::Punct(_));
        if base + prefix > MAX_DEPTH {
            let nested = prefix_operator || matches!(tt, TokenTree::Group(_));
            return Err(error_at(tt, if nested { TOO_DEEP } else { TOO_LONG }));
        }
        if let TokenTree::Group(g) = tt {
            groups.push((g.stream().into_iter().collect(), base + total));
        }
    }
    Ok(groups)
}

fn is_separator(tt: &TokenTree) -> bool {
    matches!(tt, TokenTree::Punct(p) if matches!(p.as_char(), ',' | ';'))
}

fn is_prefix_operator(tt: &TokenTree, after_operand: bool) -> bool {
    !after_operand
        && matches!(tt, TokenTree::Punct(p) if matches!(p.as_char(), '-' | '!' | '&' | '*'))
}

fn weight(tt: &TokenTree, after_operand: bool) -> usize {
    match tt {
        TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => 24,
        TokenTree::Group(_) => 16,
        _ if is_prefix_operator(tt, after_operand) => 4,
        _ => 1,
    }
}

/// An error at a token; for a group, at its opening delimiter, the smallest part.
fn error_at(tt: &TokenTree, message: &str) -> syn::Error {
    let span: Span = match tt {
        TokenTree::Group(g) => g.span_open(),
        other => other.span(),
    };
    syn::Error::new(span, message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn check(src: &str) -> Result<(), String> {
        let tokens: Vec<TokenTree> = TokenStream::from_str(src)
            .expect("lexes")
            .into_iter()
            .collect();
        measure(&tokens).map_err(|e| {
            let r = e.span().byte_range();
            format!(
                "{} at {:?}",
                e.to_string().lines().next().unwrap_or(""),
                &src[r]
            )
        })
    }

    #[test]
    fn ordinary_definitions_are_far_below_the_limits() {
        assert_eq!(check("pub Mish(x) = x * tanh(softplus(x));"), Ok(()));
        let horner = format!("P(x) = {}1{};", "1 + x * (".repeat(20), ")".repeat(20));
        assert_eq!(check(&horner), Ok(()));
    }

    #[test]
    fn deep_brackets_are_refused_at_the_bracket_past_the_limit() {
        let src = format!("F(x) = {}x{};", "(".repeat(100), ")".repeat(100));
        let e = check(&src).expect_err("too deep");
        assert!(
            e.starts_with("definition nested too deeply at \"(\""),
            "{e}"
        );
    }

    #[test]
    fn prefix_runs_and_long_chains_are_refused() {
        let negs = format!("F(x) = {}x;", "- ".repeat(300));
        let e = check(&negs).expect_err("deep");
        assert!(
            e.starts_with("definition nested too deeply at \"-\""),
            "{e}"
        );
        let sum = format!("F(x) = x{};", " + x".repeat(600));
        assert!(check(&sum)
            .expect_err("long")
            .starts_with("expression too long"));
        // The same sum split into `let`s is fine.
        let lets: String = (0..6)
            .map(|k| format!("let a{k} = x{};", " + x".repeat(100)))
            .collect();
        assert_eq!(check(&format!("F(x) = {{ {lets} a0 }};")), Ok(()));
    }

    #[test]
    fn binary_operators_weigh_less_than_prefix_ones() {
        let product = format!("F(x) = x{};", " * x".repeat(400));
        assert_eq!(check(&product), Ok(()));
    }
}
