use actdiff::prelude::*;

activation! {
    // `None` and `Mish` are in scope: as arguments of the generated `new` they would be
    // patterns for them, not names.
    pub Scaled(x; None = 1) = None * x;
    pub Shifted(x; learn Mish = 0) = x + Mish;
}

fn main() {}
