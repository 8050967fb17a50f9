use actdiff::prelude::*;

activation! {
    /// An integer power too large to mean anything.
    pub Spike(x) = powi(x, 100000);
}

fn main() {
    let _ = Spike.forward(1.0f32);
}
