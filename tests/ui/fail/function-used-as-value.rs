use actdiff::prelude::*;

activation! {
    pub Scaled(x) = tanh * x;
}

fn main() {
    let _ = Scaled.forward(1.0f32);
}
