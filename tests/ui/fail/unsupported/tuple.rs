use actdiff::prelude::*;

activation! {
    /// A pair of values.
    pub Pair(x) = (x, tanh(x));
}

fn main() {
    let _ = Pair.forward(1.0f32);
}
