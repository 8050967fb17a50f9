//! Validate: checks on a definition's header and on one invocation as a whole,
//! before and besides the formula's own checks in [`crate::lower`].

use crate::syntax::Header;

/// Names the generated code reserves: every parametric struct is generic over `T`.
const RESERVED: [&str; 1] = ["T"];

/// Whether an activation of this name would collide with a name the generated code
/// uses: no item of that name, not even a stub, can be emitted.
pub fn collides_with_generated(name: &str) -> bool {
    RESERVED.contains(&name)
}

/// Checks the header: reserved names, duplicate parameters, a parameter named like
/// the input. Errors are appended, never returned early.
pub fn check_header(header: &Header, errors: &mut Vec<syn::Error>) {
    let name = header.name.to_string();
    if collides_with_generated(&name) {
        errors.push(syn::Error::new(
            header.name.span(),
            format!("`{name}` collides with the generated struct's type parameter `T`; choose another name"),
        ));
    }
    let input = header.input.to_string();
    for (i, p) in header.params.iter().enumerate() {
        let pname = p.name.to_string();
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
