use actdiff::prelude::*;

activation! {
    /// No input.
    pub Relu = max(0, x);
}

fn main() {}
