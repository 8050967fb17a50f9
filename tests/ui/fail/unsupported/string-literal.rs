use actdiff::prelude::*;

activation! {
    /// A number written as a string.
    pub Doubled(x) = x * "2";
}

fn main() {
    let _ = Doubled.forward(1.0f32);
}
