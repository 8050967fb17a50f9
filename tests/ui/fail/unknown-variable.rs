use actdiff::prelude::*;

activation! {
    pub Shifted(x; shift = 1) = max(0, x - shfit);
}

fn main() {
    let _ = Shifted::<f32>::default().forward(1.0);
}
