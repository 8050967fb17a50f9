use actdiff::prelude::*;

activation! {
    /// A learned slope the formula forgot.
    pub Leaky(x; learn alpha = 0.25) = max(0, x);
}

fn main() {
    let _ = Leaky::<f32>::default().forward(1.0);
}
