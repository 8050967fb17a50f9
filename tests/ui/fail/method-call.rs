use actdiff::prelude::*;

activation! {
    pub Softplus(x) = ln(1 + x.exp());
}

fn main() {
    let _ = Softplus.forward(1.0f32);
}
