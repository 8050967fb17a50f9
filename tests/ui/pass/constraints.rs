//! `where` clauses: the generated `try_new` checks them, `new` panics with the same
//! message, `Default` satisfies them, and unconstrained parameters take any value.

use actdiff::prelude::*;

activation! {
    /// CELU: `alpha` divides, so it must not be 0.
    pub MyCelu(x; alpha = 1) where alpha != 0 = if x > 0 { x } else { alpha * expm1(x / alpha) };

    /// A clamp whose bounds must be ordered; the number may be on either side.
    pub Window(x; lo = -1, hi = 1, learn gain = 2) where lo <= hi, 0 < gain, hi < 100, =
        gain * clamp(x, lo, hi);
}

fn main() {
    let c = MyCelu::<f32>::default();
    assert_eq!(c.alpha, 1.0);
    assert_eq!(c.derivative(0.0), 1.0);
    let e = MyCelu::<f32>::try_new(0.0).unwrap_err();
    assert_eq!(e.to_string(), "MyCelu: alpha must be != 0, got 0");
    assert_eq!(e.parameter(), "alpha");
    assert!(MyCelu::<f64>::try_new(f64::NAN).is_err());
    assert_eq!(MyCelu::new(2.0f64).alpha, 2.0);

    let w = Window::<f64>::default();
    assert_eq!(w.forward(5.0), 2.0);
    assert_eq!(
        Window::<f64>::try_new(1.0, -1.0, 2.0).unwrap_err().to_string(),
        "Window: lo must be <= hi, got lo = 1, hi = -1"
    );
    assert_eq!(
        Window::<f32>::try_new(-1.0, 1.0, 0.0).unwrap_err().to_string(),
        "Window: gain must be > 0, got 0"
    );
    assert_eq!(
        Window::<f32>::try_new(-1.0, 200.0, 1.0).unwrap_err().to_string(),
        "Window: hi must be < 100, got 200"
    );
    // `new` panics with the message of `try_new`'s error (the hook is silenced so
    // that the expected panic prints nothing).
    std::panic::set_hook(Box::new(|_| {}));
    let panic = std::panic::catch_unwind(|| Window::new(0.0f32, 1.0, -1.0));
    let _ = std::panic::take_hook();
    let message = panic.unwrap_err();
    assert_eq!(
        message.downcast_ref::<String>().map(String::as_str),
        Some("Window: gain must be > 0, got -1")
    );
    // A definition without constraints gets a `try_new` that always succeeds.
    assert!(LeakyRelu::try_new(f32::NAN).is_ok());
}
