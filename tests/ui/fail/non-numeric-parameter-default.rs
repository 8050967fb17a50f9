use actdiff::prelude::*;

activation! {
    pub Leaky(x; slope = "0.01") = if x > 0 { x } else { slope * x };
}

fn main() {
    let _ = Leaky::<f32>::default().forward(1.0);
}
