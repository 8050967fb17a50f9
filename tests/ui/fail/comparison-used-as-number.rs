use actdiff::prelude::*;

activation! {
    pub Relu(x) = x * (x > 0);
}

fn main() {
    let _ = Relu.forward(1.0f32);
}
