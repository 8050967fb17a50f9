use actdiff::prelude::*;

activation! {
    /// A constant named by its path.
    pub Scaled(x) = core::f64::consts::PI * x;
}

fn main() {
    let _ = Scaled.forward(1.0f32);
}
