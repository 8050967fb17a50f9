use actdiff::prelude::*;

activation! {
    /// A debugging macro inside the formula.
    pub Traced(x) = dbg!(x) * sigmoid(x);
}

fn main() {
    let _ = Traced.forward(1.0f32);
}
