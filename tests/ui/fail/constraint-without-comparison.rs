use actdiff::prelude::*;

activation! {
    /// `==` is not a constraint; the formula is still checked.
    pub Fixed(x; a = 1) where a == 1 = a * x;
}

fn main() {
    let _ = Fixed::<f64>::new(1.0).forward(1.0);
}
