use actdiff::prelude::*;

activation! {
    /// Two scales whose product is past f32's range.
    pub Folded(x) = 1e20 * 1e20 * x;
}

fn main() {
    let _ = Folded.forward(1.0f32);
}
