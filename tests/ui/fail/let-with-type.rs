use actdiff::prelude::*;

activation! {
    pub Mish(x) = {
        let t: f32 = tanh(softplus(x));
        x * t
    };
}

fn main() {
    let _ = Mish.forward(1.0f32);
}
