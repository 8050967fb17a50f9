use actdiff::prelude::*;

activation! {
    pub LogSigmoid(x) = log(sigmoid(x));
}

fn main() {
    let _ = LogSigmoid.forward(1.0f32);
}
