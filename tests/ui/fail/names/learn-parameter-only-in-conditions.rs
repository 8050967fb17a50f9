use actdiff::prelude::*;

activation! {
    /// A learned threshold: its gradient is 0 for every input.
    pub Gate(x; learn t = 0.5) = if x > t { x } else { 0 };
}

fn main() {
    let _ = Gate::<f32>::default().forward(1.0);
}
