use actdiff::prelude::*;

activation! {
    /// `Default` would give a value `try_new` refuses: the default is the error.
    pub MyCelu(x; alpha = 0) where alpha != 0 = if x > 0 { x } else { alpha * expm1(x / alpha) };

    /// Between two parameters, the error points at the first one's default.
    pub MyHardtanh(x; min_val = 1, max_val = -1) where min_val <= max_val = clamp(x, min_val, max_val);
}

fn main() {
    let _ = MyCelu::<f32>::default().forward(1.0);
    let _ = MyHardtanh::<f32>::default().forward(1.0);
}
