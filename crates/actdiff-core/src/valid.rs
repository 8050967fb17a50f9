//! Validate: checks on a definition's header and on one invocation as a whole,
//! before and besides the formula's own checks in [`crate::lower`].

use crate::syntax::Header;

/// Names the generated code reserves: every parametric struct is generic over `T`.
const RESERVED: [&str; 1] = ["T"];

/// Whether an activation of this name would collide with a name the generated code
/// uses: no item of that name, not even a stub, can be emitted.
pub fn collides_with_generated(name: &str) -> bool {
    RESERVED.contains(&name) || lowercase_type_name(name)
}

/// Whether an activation's name starts with a lowercase letter, which
/// [`check_header`] refuses (such a type meets the generated code's locals).
fn lowercase_type_name(name: &str) -> bool {
    name.chars().next().is_some_and(char::is_lowercase)
}

/// Whether a parameter's name starts with an uppercase letter, which [`check_header`]
/// refuses (it could name a unit struct or variant in scope, for which `new`'s
/// argument would be a pattern).
pub fn uppercase_parameter_name(name: &str) -> bool {
    name.chars().next().is_some_and(char::is_uppercase)
}

/// Checks the header: reserved names, the case of the names where they become Rust
/// items (`rust_items`), duplicate parameters, a parameter named like the input.
/// Errors are appended, never returned early.
pub fn check_header(header: &Header, rust_items: bool, errors: &mut Vec<syn::Error>) {
    let name = header.name.to_string();
    if RESERVED.contains(&name.as_str()) {
        errors.push(syn::Error::new(
            header.name.span(),
            format!("`{name}` collides with the generated struct's type parameter `T`; choose another name"),
        ));
    }
    // The name becomes a type, the parameters become the fields and `new`'s arguments.
    // A lowercase type name meets the generated code's locals and the primitive types
    // (`x`, `f64`), and an argument named like a unit struct or enum variant in scope
    // (`None`, `Mish`) is a pattern for it, not a binding: both failed with type errors
    // about generated code. Case is the convention that keeps them apart.
    if rust_items && lowercase_type_name(&name) {
        errors.push(syn::Error::new(
            header.name.span(),
            format!(
                "an activation's name is the name of a type: start it with an uppercase letter, like `{}`",
                upper_camel(&name)
            ),
        ));
    }
    let input = header.input.to_string();
    for (i, p) in header.params.iter().enumerate() {
        let pname = p.name.to_string();
        if rust_items && uppercase_parameter_name(&pname) {
            errors.push(syn::Error::new(
                p.name.span(),
                format!(
                    "parameter `{pname}` starts with an uppercase letter, like a type or constant it could be taken for; name it like `{}`",
                    snake(&pname)
                ),
            ));
        }
        if pname == input {
            errors.push(syn::Error::new(
                p.name.span(),
                format!("parameter `{pname}` has the same name as the input; rename one of them"),
            ));
        } else if header.params[..i].iter().any(|q| q.name == p.name) {
            errors.push(syn::Error::new(
                p.name.span(),
                format!("duplicate parameter `{pname}`"),
            ));
        }
    }
}

/// `name` in UpperCamelCase, as types are named (`leaky_relu` → `LeakyRelu`).
fn upper_camel(name: &str) -> String {
    name.split('_')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

/// `name` in snake_case, as parameters are named (`MaxVal` → `max_val`).
fn snake(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() && i > 0 && !out.ends_with('_') {
            out.push('_');
        }
        out.extend(c.to_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{snake, upper_camel};
    use crate::{compile, compile_str};
    use std::str::FromStr;

    #[test]
    fn names_are_suggested_in_the_conventional_case() {
        assert_eq!(upper_camel("leaky_relu"), "LeakyRelu");
        assert_eq!(upper_camel("x"), "X");
        assert_eq!(upper_camel("f64"), "F64");
        assert_eq!(snake("MaxVal"), "max_val");
        assert_eq!(snake("None"), "none");
    }

    #[test]
    fn case_rules_hold_for_rust_items_only() {
        // A run-time definition makes no type and no `new`: any case goes.
        let text = "swish(x; Beta = 1) = x * sigmoid(Beta * x);";
        assert!(compile_str(text).is_ok());
        let tokens = proc_macro2::TokenStream::from_str(text).expect("lexes");
        let errors = match &compile(tokens)[0].result {
            Ok(_) => Vec::new(),
            Err(errors) => errors.iter().map(ToString::to_string).collect(),
        };
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].ends_with("like `Swish`"), "{errors:?}");
        assert!(errors[1].ends_with("name it like `beta`"), "{errors:?}");
    }
}
