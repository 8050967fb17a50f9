use actdiff::prelude::*;

activation! {
    /// A number where a condition belongs.
    pub Band(x) = if x > 0 && x { x } else { 0 };
}

fn main() {
    let _ = Band.forward(1.0f32);
}
