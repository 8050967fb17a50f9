use actdiff::prelude::*;

activation! {
    pub Twice(x) = {
        let x = 2 * x;
        x
    };
}

fn main() {
    let _ = Twice.forward(1.0f32);
}
