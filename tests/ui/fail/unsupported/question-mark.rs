use actdiff::prelude::*;

activation! {
    /// The `?` operator.
    pub Fallible(x) = tanh(x)?;
}

fn main() {
    let _ = Fallible.forward(1.0f32);
}
