use actdiff::prelude::*;

activation! {
    pub Good(x) = x;
    pub Bad(x) = tahn(x);
    pub Worse(x; a = 1) = a ^ x;
}

fn main() {
    let _ = Good.forward(1.0f32);
    let _ = Bad.forward(1.0f32);
    let _ = Worse::<f64>::default().forward(1.0);
}
