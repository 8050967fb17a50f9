use actdiff::prelude::*;

activation! {
    /// A step written as a sigmoid of a comparison.
    pub Step(x) = sigmoid(x > 0);
}

fn main() {
    let _ = Step.forward(1.0f32);
}
