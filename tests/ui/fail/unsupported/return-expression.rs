use actdiff::prelude::*;

activation! {
    /// An early return.
    pub Early(x) = if x > 0 { return x } else { 0 };
}

fn main() {
    let _ = Early.forward(1.0f32);
}
