use actdiff::prelude::*;

activation! {
    /// Halving until small.
    pub Halve(x) = while x > 1 { x / 2 };
}

fn main() {
    let _ = Halve.forward(1.0f32);
}
