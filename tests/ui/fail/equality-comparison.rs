use actdiff::prelude::*;

activation! {
    pub Step(x) = if x == 0 { 0 } else { x };
}

fn main() {
    let _ = Step.forward(1.0f32);
}
