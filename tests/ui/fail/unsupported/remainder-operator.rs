use actdiff::prelude::*;

activation! {
    /// A sawtooth with `%`.
    pub Sawtooth(x) = x % 1;
}

fn main() {
    let _ = Sawtooth.forward(1.0f32);
}
