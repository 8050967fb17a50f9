use actdiff::prelude::*;

activation! {
    pub Identity(x) = |y| y;
}

fn main() {
    let _ = Identity.forward(1.0f32);
}
