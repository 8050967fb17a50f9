use actdiff::prelude::*;

activation! {
    pub Elu(x; alpha = 1, alpha = 2) = if x > 0 { x } else { alpha * expm1(x) };
}

fn main() {
    let _ = Elu::<f32>::default().forward(1.0);
}
