use actdiff::prelude::*;

activation! {
    /// A constant, not an activation.
    pub Constant(x; c = 1) = 2 * c;
}

fn main() {
    let _ = Constant::<f32>::default().forward(1.0);
}
