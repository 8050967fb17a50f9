use actdiff::prelude::*;

activation! {
    /// A binding that hides one of an enclosing block.
    pub Nested(x) = {
        let t = tanh(x);
        let y = { let t = 2 * t; t * t };
        x * y
    };
}

fn main() {
    let _ = Nested.forward(1.0f32);
}
