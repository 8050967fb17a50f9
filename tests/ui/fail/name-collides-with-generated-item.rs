use actdiff::prelude::*;

activation! {
    /// `T` is the type parameter of every generated parametric struct.
    pub T(x; slope = 0.5) = slope * x;
}

fn main() {
    let _ = T::<f32>::default().forward(1.0);
}
