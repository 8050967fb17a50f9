use actdiff::prelude::*;

activation! {
    /// A sign function written with match.
    pub Sign(x) = match x { _ => x };
}

fn main() {
    let _ = Sign.forward(1.0f32);
}
