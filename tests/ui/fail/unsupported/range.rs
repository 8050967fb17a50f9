use actdiff::prelude::*;

activation! {
    /// A range as a bound.
    pub Bounded(x) = min(x, 0..6);
}

fn main() {
    let _ = Bounded.forward(1.0f32);
}
