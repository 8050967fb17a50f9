use actdiff::prelude::*;

activation! {
    /// The input indexed as an array.
    pub First(x) = x[0];
}

fn main() {
    let _ = First.forward(1.0f32);
}
