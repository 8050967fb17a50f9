use actdiff::prelude::*;

activation! {
    /// A cast to a float type.
    pub Widened(x) = tanh(x as f64);
}

fn main() {
    let _ = Widened.forward(1.0f32);
}
