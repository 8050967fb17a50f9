use actdiff::prelude::*;

activation! {
    /// A character in a formula.
    pub Lettered(x) = x * 'a';
}

fn main() {
    let _ = Lettered.forward(1.0f32);
}
