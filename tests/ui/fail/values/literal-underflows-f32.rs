use actdiff::prelude::*;

activation! {
    /// An epsilon below f32's smallest positive value.
    pub Guarded(x) = ln(abs(x) + 1e-50);
}

fn main() {
    let _ = Guarded.forward(1.0f32);
}
