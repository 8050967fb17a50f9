use actdiff::prelude::*;

activation! {
    pub Root(x) = powi(x, 0.5);
}

fn main() {
    let _ = Root.forward(1.0f32);
}
