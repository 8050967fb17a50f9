//! Codegen snapshots: what `activation!` expands to for the built-ins, pretty-printed.
//! The input is read from `src/builtins.rs` itself, so the snapshots always show the
//! shipped definitions. Review changes with `cargo insta review`.

use proc_macro2::TokenStream;

/// The token body of every `activation! { ... }` invocation in `src/builtins.rs`.
fn builtin_invocations() -> Vec<TokenStream> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/builtins.rs");
    let source = std::fs::read_to_string(path).expect("builtins.rs is readable");
    let file = syn::parse_file(&source).expect("builtins.rs parses");
    file.items
        .into_iter()
        .filter_map(|item| match item {
            syn::Item::Macro(m) if m.mac.path.is_ident("activation") => Some(m.mac.tokens),
            _ => None,
        })
        .collect()
}

fn expand_one(name: &str) -> String {
    for tokens in builtin_invocations() {
        for outcome in actdiff_core::compile(tokens) {
            let def = outcome.result.expect("built-ins compile");
            if def.header.name == name {
                let code = actdiff_core::emit::emit_definition(&def);
                let file: syn::File = syn::parse2(code).expect("generated code parses");
                return prettyplease::unparse(&file);
            }
        }
    }
    panic!("no built-in named {name}");
}

#[test]
fn relu() {
    insta::assert_snapshot!(expand_one("Relu"));
}

#[test]
fn leaky_relu() {
    insta::assert_snapshot!(expand_one("LeakyRelu"));
}

#[test]
fn prelu() {
    insta::assert_snapshot!(expand_one("Prelu"));
}

#[test]
fn mish() {
    insta::assert_snapshot!(expand_one("Mish"));
}
