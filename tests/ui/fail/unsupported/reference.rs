use actdiff::prelude::*;

activation! {
    /// A reference to the input.
    pub Borrowed(x) = tanh(&x);
}

fn main() {
    let _ = Borrowed.forward(1.0f32);
}
