//! Diagnostics for definitions given as text: byte ranges and a rendering with the
//! source line and a caret under the offending text, in rustc's layout.

use std::fmt;
use std::ops::Range;

/// One error in a text definition.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    /// What is wrong, lowercase, in the user's words.
    pub message: String,
    /// A suggested fix, when one is obvious.
    pub help: Option<String>,
    /// The offending bytes of the source.
    pub range: Range<usize>,
}

/// Every error found in a text definition, with the source to render them against.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostics {
    /// The source text the ranges refer to.
    pub source: String,
    /// The errors, in the order found.
    pub items: Vec<Diagnostic>,
}

impl Diagnostic {
    /// Converts a syn error whose span carries a byte range (a token stream parsed
    /// from text). A message with a `\nhelp: ` line is split into message and help.
    pub fn from_syn(e: &syn::Error) -> Vec<Diagnostic> {
        e.clone()
            .into_iter()
            .map(|one| {
                let text = one.to_string();
                let (message, help) = match text.split_once("\nhelp: ") {
                    Some((m, h)) => (m.to_string(), Some(h.to_string())),
                    None => (text, None),
                };
                Diagnostic {
                    message,
                    help,
                    range: one.span().byte_range(),
                }
            })
            .collect()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (k, d) in self.items.iter().enumerate() {
            if k > 0 {
                writeln!(f)?;
            }
            render(f, &self.source, d)?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

fn render(f: &mut fmt::Formatter<'_>, source: &str, d: &Diagnostic) -> fmt::Result {
    writeln!(f, "error: {}", d.message)?;
    let start = d.range.start.min(source.len());
    let end = d.range.end.clamp(start, source.len());
    let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = source[start..]
        .find('\n')
        .map_or(source.len(), |i| start + i);
    let line_no = source[..start].matches('\n').count() + 1;
    let column = source[line_start..start].chars().count();
    let width = source[start..end.min(line_end)].chars().count().max(1);
    let gutter = line_no.to_string().len();
    writeln!(f, "{:gutter$}--> {}:{}", "", line_no, column + 1)?;
    writeln!(f, "{:gutter$} |", "")?;
    writeln!(f, "{line_no} | {}", &source[line_start..line_end])?;
    write!(
        f,
        "{:gutter$} | {}{}",
        "",
        " ".repeat(column),
        "^".repeat(width)
    )?;
    if let Some(help) = &d.help {
        write!(f, "\n{:gutter$} = help: {help}", "")?;
    }
    writeln!(f)
}

#[cfg(test)]
mod tests {
    use crate::compile_str;

    #[test]
    fn renders_a_caret_under_the_offending_name() {
        let err = compile_str("Relu(x) = tahn(x);").expect_err("unknown function");
        let text = err.to_string();
        assert_eq!(
            text,
            "error: unknown function `tahn`\n --> 1:11\n  |\n1 | Relu(x) = tahn(x);\n  |           ^^^^\n  = help: did you mean `tanh`?\n"
        );
    }

    #[test]
    fn reports_every_error_with_its_range() {
        let src = "F(x) = tahn(x) + y;";
        let err = compile_str(src).expect_err("two errors");
        assert_eq!(err.items.len(), 2);
        assert_eq!(&src[err.items[0].range.clone()], "tahn");
        assert_eq!(&src[err.items[1].range.clone()], "y");
    }

    #[test]
    fn an_unfinished_formula_is_shown_at_its_end() {
        // syn reports the end of its input at the call site: the start of the text.
        for (src, at) in [
            ("F(x) = x + ;", ";"),
            ("F(x) = 2 * x *", "*"),
            ("F(x) = if x > 0 { x } else", "else"),
        ] {
            let err = compile_str(src).expect_err("unfinished");
            let item = &err.items[0];
            assert!(
                item.message.starts_with("unexpected end of input"),
                "{src}: {err}"
            );
            assert_eq!(item.range.end, src.len(), "{src}: {err}");
            assert_eq!(&src[item.range.clone()], at, "{src}: {err}");
        }
    }
}
