use actdiff::prelude::*;

activation! {
    /// A binding named like a parameter.
    pub Scaled(x; scale = 2) = {
        let scale = scale * scale;
        scale * x
    };
}

fn main() {
    let _ = Scaled::<f32>::default().forward(1.0);
}
