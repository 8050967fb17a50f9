use actdiff::prelude::*;

activation! {
    /// A constant part that is no number: the formula would be NaN everywhere.
    pub Broken(x) = x + sqrt(-1);
}

fn main() {
    let _ = Broken.forward(1.0f32);
}
