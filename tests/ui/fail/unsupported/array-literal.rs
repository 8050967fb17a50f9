use actdiff::prelude::*;

activation! {
    /// Two values at once.
    pub Both(x) = [x, 2 * x];
}

fn main() {
    let _ = Both.forward(1.0f32);
}
