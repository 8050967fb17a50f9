use actdiff::prelude::*;

activation! {
    /// A field of the input.
    pub RealPart(x) = x.re;
}

fn main() {
    let _ = RealPart.forward(1.0f32);
}
