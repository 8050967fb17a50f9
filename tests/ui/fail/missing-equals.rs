use actdiff::prelude::*;

activation! {
    pub Relu(x) max(0, x);
}

fn main() {
    let _ = Relu.forward(1.0f32);
}
