use actdiff::prelude::*;

activation! {
    pub Relu(x) = max(0, x)
    pub Relu6(x) = min(max(0, x), 6);
}

fn main() {
    let _ = Relu.forward(1.0f32);
    let _ = Relu6.forward(1.0f32);
}
