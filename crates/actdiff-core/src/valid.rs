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

/// Checks the header: reserved names, the case of the names, duplicate parameters, a
/// parameter named like the input. Errors are appended, never returned early.
pub fn check_header(header: &Header, errors: &mut Vec<syn::Error>) {
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
    if lowercase_type_name(&name) {
        errors.push(syn::Error::new(
            header.name.span(),
            format!(
                "an activation's name is the name of a type: start it with an uppercase letter, like `{}`",
                upper_first(&name)
            ),
        ));
    }
    let input = header.input.to_string();
    for (i, p) in header.params.iter().enumerate() {
        let pname = p.name.to_string();
        if uppercase_parameter_name(&pname) {
            errors.push(syn::Error::new(
                p.name.span(),
                format!(
                    "parameter `{pname}` starts with an uppercase letter, like a type or constant it could be taken for; name it like `{}`",
                    pname.to_lowercase()
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

/// `name` with its first letter in upper case (`relu` → `Relu`).
fn upper_first(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
