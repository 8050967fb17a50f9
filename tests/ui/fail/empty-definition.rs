use actdiff::prelude::*;

activation! {
    pub Relu(x) = ;
}

fn main() {
    let _ = Relu.forward(1.0f32);
}
