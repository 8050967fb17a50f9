use actdiff::prelude::*;

activation! {
    /// Parameters separated from the input by a comma.
    pub Leaky(x, slope = 0.01) = if x > 0 { x } else { slope * x };
}

fn main() {}
