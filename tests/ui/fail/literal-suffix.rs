use actdiff::prelude::*;

activation! {
    pub Half(x) = 0.5f32 * x;
}

fn main() {
    let _ = Half.forward(1.0f32);
}
