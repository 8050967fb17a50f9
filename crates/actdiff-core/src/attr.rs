//! Attributes the macro consumes: `#[actdiff(...)]` on a definition. Every other
//! attribute, doc comments included, passes through to the generated type.
//!
//! ```text
//! /// A ReLU that keeps PReLU's signature: `alpha` is learned by nothing.
//! #[actdiff(allow_unused_learn)]
//! pub Compat(x; learn alpha = 0.25) = max(0, x);
//! ```

use crate::syntax::Header;

/// The name of the macro's own attribute.
const NAME: &str = "actdiff";
/// The option that allows a `learn` parameter the formula does not use, or reads only
/// where the derivative is 0 (in conditions, in `mul_err`).
pub const ALLOW_UNUSED_LEARN: &str = "allow_unused_learn";

/// The options of one definition, from its `#[actdiff(...)]` attributes.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Options {
    /// `#[actdiff(allow_unused_learn)]`: a `learn` parameter may be unused by the
    /// formula (kept for a signature's sake), or read only where its gradient is 0;
    /// an error otherwise.
    pub allow_unused_learn: bool,
}

/// Removes the `#[actdiff(...)]` attributes from the header, which the generated type
/// must not carry (the compiler knows no such attribute), and returns their options.
/// A malformed attribute or an unknown option is reported.
pub fn take_options(header: &mut Header, errors: &mut Vec<syn::Error>) -> Options {
    let mut options = Options::default();
    header.attrs.retain(|attr| {
        if !attr.path().is_ident(NAME) {
            return true;
        }
        let parsed = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident(ALLOW_UNUSED_LEARN) {
                options.allow_unused_learn = true;
                Ok(())
            } else {
                Err(syn::Error::new_spanned(
                    &meta.path,
                    format!(
                        "unknown option of `#[{NAME}]`\nhelp: the option is `{ALLOW_UNUSED_LEARN}`"
                    ),
                ))
            }
        });
        if let Err(e) = parsed {
            errors.push(e);
        }
        false
    });
    options
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse_definitions;
    use proc_macro2::TokenStream;
    use std::str::FromStr;

    fn options(src: &str) -> (Options, usize, Vec<String>) {
        let defs = parse_definitions(TokenStream::from_str(src).expect("lexes"));
        let mut header = defs[0].header.clone().expect("header");
        let mut errors = Vec::new();
        let o = take_options(&mut header, &mut errors);
        let messages = errors.iter().map(|e| e.to_string()).collect();
        (o, header.attrs.len(), messages)
    }

    #[test]
    fn the_option_is_read_and_the_attribute_removed() {
        let (o, left, errors) = options("/// doc\n#[actdiff(allow_unused_learn)] F(x; a = 1) = x;");
        assert!(o.allow_unused_learn);
        assert_eq!(left, 1, "the doc comment stays");
        assert!(errors.is_empty());
        assert!(!options("F(x; a = 1) = x;").0.allow_unused_learn);
    }

    #[test]
    fn unknown_options_and_bare_attributes_are_errors() {
        let (_, left, errors) = options("#[actdiff(allow_unused)] F(x) = x;");
        assert_eq!(left, 0);
        assert!(
            errors[0].starts_with("unknown option of `#[actdiff]`"),
            "{errors:?}"
        );
        let (_, _, errors) = options("#[actdiff] F(x) = x;");
        assert_eq!(errors.len(), 1);
    }
}
