use actdiff::prelude::*;

activation! {
    pub Gelu(x) = x * gelu(x);
}

fn main() {
    let _ = Gelu.forward(1.0f32);
}
