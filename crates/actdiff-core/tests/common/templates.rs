//! Random expressions of the language from templates, shared by the property tests.

use proptest::prelude::*;

/// Substitutes the arguments for the template's `{}`s in turn (cycling); `#` becomes
/// a number unique along any nesting path (the arguments' total length), so nested
/// `let`s never shadow each other.
pub fn fill(template: &str, args: &[String]) -> String {
    let unique = args.iter().map(String::len).sum::<usize>().to_string();
    let template = template.replace('#', &unique);
    let mut out = String::new();
    let mut parts = template.split("{}");
    out.push_str(parts.next().unwrap_or(""));
    for (k, part) in parts.enumerate() {
        out.push_str(&args[k % args.len()]);
        out.push_str(part);
    }
    out
}

/// Expressions grown from `leaf` by one-argument and several-argument templates, up
/// to `depth` levels and about `size` nodes.
pub fn grow(
    leaf: BoxedStrategy<String>,
    unary: &'static [&'static str],
    binary: &'static [&'static str],
    depth: u32,
    size: u32,
) -> impl Strategy<Value = String> {
    leaf.prop_recursive(depth, size, 3, move |inner| {
        prop_oneof![
            (prop::sample::select(unary), inner.clone()).prop_map(|(t, u)| fill(t, &[u])),
            (
                prop::sample::select(binary),
                inner.clone(),
                inner.clone(),
                inner
            )
                .prop_map(|(t, a, b, c)| fill(t, &[a, b, c])),
        ]
    })
}
