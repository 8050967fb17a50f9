use actdiff::prelude::*;

activation! {
    pub Scaled(x; x = 2) = x * x;
}

fn main() {
    let _ = Scaled::<f32>::default().forward(1.0);
}
