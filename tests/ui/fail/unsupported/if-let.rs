use actdiff::prelude::*;

activation! {
    /// Pattern matching on the input.
    pub Matched(x) = if let 0 = x { 1 } else { x };
}

fn main() {
    let _ = Matched.forward(1.0f32);
}
