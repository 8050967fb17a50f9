use actdiff::prelude::*;

activation! {
    /// Swish with a typo.
    pub Swish(x) = x * tahn(x);
}

fn main() {
    let _ = Swish.forward(1.0f32);
}
