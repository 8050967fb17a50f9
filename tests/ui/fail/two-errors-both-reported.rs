use actdiff::prelude::*;

activation! {
    pub Mish(x) = x * tahn(softplus(y));
}

fn main() {
    let _ = Mish.forward(1.0f32);
}
