use actdiff::prelude::*;

activation! {
    pub Relu(x) = if !(x <= 0) { x } else { 0 };
}

fn main() {
    let _ = Relu.forward(1.0f32);
}
