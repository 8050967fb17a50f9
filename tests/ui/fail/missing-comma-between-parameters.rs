use actdiff::prelude::*;

activation! {
    pub Celu(x; alpha = 1 beta = 2) = if x > 0 { beta * x } else { alpha * expm1(x / alpha) };
}

fn main() {
    let _ = Celu::<f32>::default().forward(1.0);
}
