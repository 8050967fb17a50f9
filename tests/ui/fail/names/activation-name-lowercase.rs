use actdiff::prelude::*;

activation! {
    pub x(y) = y * 2;
    pub f64(y) = y * 3;
}

fn main() {}
