//! `learn` parameters, negative defaults, a parameter named `learn`, and parameter
//! derivatives at and around the kink.

use actdiff::prelude::*;

activation! {
    /// PReLU with a learned slope.
    pub Slope(x; learn alpha = 0.25) = if x >= 0 { x } else { alpha * x };

    /// A shifted, scaled ReLU: `shift` is fixed and negative, `scale` is learned.
    pub Shifted(x; shift = -1.5, learn scale = 2, floor = -0.0) = scale * max(floor, x - shift);

    /// `learn` is a keyword only in front of a name: here it is a parameter.
    pub Learned(x; learn = 3) = learn * x;
}

fn main() {
    let s = Slope::<f32>::default();
    assert_eq!(s.alpha, 0.25);
    assert_eq!(s.forward(-4.0), -1.0);
    assert_eq!(s.forward(4.0), 4.0);
    // `>=` in the formula: at 0 the derivative is the `then` branch's.
    assert_eq!(s.derivative(0.0), 1.0);
    assert_eq!(s.derivative(-1.0), 0.25);
    assert_eq!(s.param_derivative(0, -2.0), -2.0);
    assert_eq!(s.param_derivative(0, 2.0), 0.0);
    assert!(s.info().params[0].learn);
    assert!(Slope::new(f32::NAN).param_derivative(0, 1.0).is_nan());

    let sh = Shifted::<f64>::default();
    assert_eq!((sh.shift, sh.scale, sh.floor), (-1.5, 2.0, 0.0));
    assert_eq!(sh.forward(0.0), 3.0);
    assert_eq!(sh.forward(-2.0), 0.0);
    assert_eq!(sh.derivative(0.0), 2.0);
    // d/d shift = -scale where x - shift > floor
    assert_eq!(sh.param_derivative(0, 0.0), -2.0);
    // d/d scale = max(floor, x - shift)
    assert_eq!(sh.param_derivative(1, 0.5), 2.0);
    assert_eq!(sh.param_derivative(2, -5.0), 2.0);
    let params = &sh.info().params;
    assert_eq!(params[0].default, -1.5);
    assert!(!params[0].learn && params[1].learn && !params[2].learn);

    let l = Learned::<f32>::default();
    assert_eq!(l.learn, 3.0);
    assert_eq!(l.forward(2.0), 6.0);
    assert_eq!(l.param_derivative(0, 2.0), 2.0);
    assert!(!l.info().params[0].learn);
}
