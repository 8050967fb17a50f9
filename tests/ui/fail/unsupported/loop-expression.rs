use actdiff::prelude::*;

activation! {
    /// An endless loop.
    pub Forever(x) = loop { x };
}

fn main() {
    let _ = Forever.forward(1.0f32);
}
