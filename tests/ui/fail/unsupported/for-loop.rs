use actdiff::prelude::*;

activation! {
    /// A sum written as a loop.
    pub Sum(x) = for k in 0..3 { x };
}

fn main() {
    let _ = Sum.forward(1.0f32);
}
