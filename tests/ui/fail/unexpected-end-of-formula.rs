use actdiff::prelude::*;

activation! {
    pub Half(x) = x / 2;
    pub Unfinished(x) = x + ;
    pub Trailing(x) = 2 * x *
}

fn main() {
    let _ = Half.forward(1.0f32);
}
