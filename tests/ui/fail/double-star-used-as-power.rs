use actdiff::prelude::*;

activation! {
    pub Square(x) = x ** 2;
}

fn main() {
    let _ = Square.forward(1.0f32);
}
