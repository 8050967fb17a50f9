use actdiff::prelude::*;

activation! {
    /// A typo in the constraint: `alpah` is not a parameter.
    pub MyCelu(x; alpha = 1) where alpah != 0 = if x > 0 { x } else { alpha * expm1(x / alpha) };
}

fn main() {
    // The failed definition still yields a stub, so this reports nothing more.
    let _ = MyCelu::<f32>::new(1.0).forward(1.0);
}
