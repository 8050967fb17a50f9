use actdiff::prelude::*;

activation! {
    /// A constant condition.
    pub Always(x) = if true { x } else { 0 };
}

fn main() {
    let _ = Always.forward(1.0f32);
}
