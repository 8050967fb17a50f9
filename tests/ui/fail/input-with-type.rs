use actdiff::prelude::*;

activation! {
    pub Leaky(x: f32; slope = 0.01) = if x > 0 { x } else { slope * x };
}

fn main() {
    let _ = Leaky::<f64>::default().forward(1.0);
}
