use actdiff::prelude::*;

activation! {
    /// A default past f32's range.
    pub Scaled(x; scale = 1e39) = scale * x;
}

fn main() {
    let _ = Scaled::<f32>::default().forward(1.0);
}
