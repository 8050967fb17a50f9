//! The `activation!` macro. All the work happens in `actdiff-core`; this crate only
//! converts between the compiler's token streams and `proc_macro2`'s. Use it
//! through the `actdiff` crate, which re-exports it with the runtime it expands to.

#![warn(missing_docs)]
use proc_macro::TokenStream;

/// Defines activation functions from their formulas. See the `actdiff` crate.
#[proc_macro]
pub fn activation(input: TokenStream) -> TokenStream {
    actdiff_core::expand(input.into()).into()
}
