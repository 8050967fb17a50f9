use actdiff::prelude::*;

activation! {
    /// An assignment as the formula.
    pub Assigned(x) = x = 2;
}

fn main() {
    let _ = Assigned.forward(1.0f32);
}
