use actdiff::prelude::*;

activation! {
    /// A function called through its type.
    pub Squashed(x) = f32::tanh(x);
}

fn main() {
    let _ = Squashed.forward(1.0f32);
}
