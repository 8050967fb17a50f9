use actdiff::prelude::*;

activation! {
    pub Relu(x) = if x { x } else { 0 };
}

fn main() {
    let _ = Relu.forward(1.0f32);
}
