use actdiff::prelude::*;

activation! {
    /// An option the macro does not know.
    #[actdiff(allow_unused)]
    pub Relu(x) = max(0, x);
}

fn main() {
    let _ = Relu.forward(1.0f32);
}
