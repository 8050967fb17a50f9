use actdiff::prelude::*;

activation! {
    pub Prelu(x; learn alpha) = if x > 0 { x } else { alpha * x };
}

fn main() {
    let _ = Prelu::<f32>::default().forward(1.0);
}
