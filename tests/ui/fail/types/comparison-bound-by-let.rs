use actdiff::prelude::*;

activation! {
    /// A condition bound to a name, then multiplied.
    pub Gate(x) = {
        let positive = x > 0;
        positive * x
    };
}

fn main() {
    let _ = Gate.forward(1.0f32);
}
