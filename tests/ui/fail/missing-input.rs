use actdiff::prelude::*;

activation! {
    pub Relu() = max(0, x);
}

fn main() {
    let _ = Relu.forward(1.0f32);
}
