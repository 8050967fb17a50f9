use actdiff::prelude::*;

activation! {
    /// Generated code gone wrong: brackets 70 deep.
    pub Deep(x) = ((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((x))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))));
}

fn main() {
    let _ = Deep.forward(1.0f32);
}
