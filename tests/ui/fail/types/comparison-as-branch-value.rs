use actdiff::prelude::*;

activation! {
    /// A branch whose value is a comparison.
    pub Weird(x) = if x > 0 { x > 1 } else { 0 };
}

fn main() {
    let _ = Weird.forward(1.0f32);
}
