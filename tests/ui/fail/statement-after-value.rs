use actdiff::prelude::*;

activation! {
    pub Mish(x) = {
        let t = tanh(softplus(x));
        x * t;
    };
}

fn main() {
    let _ = Mish.forward(1.0f32);
}
