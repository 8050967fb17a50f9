use actdiff::prelude::*;

activation! {
    /// A compound assignment.
    pub Incremented(x) = x += 1;
}

fn main() {
    let _ = Incremented.forward(1.0f32);
}
