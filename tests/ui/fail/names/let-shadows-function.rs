use actdiff::prelude::*;

activation! {
    /// A binding named like a function.
    pub Squashed(x) = {
        let tanh = x / (1 + abs(x));
        tanh * x
    };
}

fn main() {
    let _ = Squashed.forward(1.0f32);
}
