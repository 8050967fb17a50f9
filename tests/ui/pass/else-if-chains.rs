//! `else if` chains and conditions combined with `&&` and `||`; kinks resolved by
//! the comparison the author wrote.

use actdiff::prelude::*;

activation! {
    /// Hardtanh: derivative 0 at both boundaries, as PyTorch.
    pub HardTanh(x; min_val = -1, max_val = 1) =
        if x <= min_val { min_val } else if x >= max_val { max_val } else { x };

    /// Hardswish: `f'(-3) = 0`, `f'(3) = 1`, as PyTorch.
    pub HardSwish(x) = if x <= -3 { 0 } else if x >= 3 { x } else { x * (x + 3) / 6 };

    /// A window: `x` inside `(lo, hi)`, 0 outside, with `&&`.
    pub Window(x; lo = -2, hi = 2) = if x > lo && x < hi { x } else { 0 };

    /// `||`, and a chain of four branches mixing `&&` and `||` (`&&` binds tighter).
    pub Bands(x) = if x < -2 || x > 2 {
        x
    } else if x > -1 && x < 1 || x >= 1.5 && x <= 2 {
        2 * x
    } else if x < 0 {
        -1
    } else {
        1
    };
}

fn main() {
    let h = HardTanh::<f32>::default();
    assert_eq!(h.forward(-5.0), -1.0);
    assert_eq!(h.forward(0.5), 0.5);
    assert_eq!(h.forward(5.0), 1.0);
    assert_eq!(h.derivative(-1.0), 0.0);
    assert_eq!(h.derivative(1.0), 0.0);
    assert_eq!(h.derivative(0.0), 1.0);
    // ∂f/∂min_val is 1 where the first branch is taken
    assert_eq!(h.param_derivative(0, -1.0), 1.0);
    assert_eq!(h.param_derivative(1, 2.0), 1.0);
    assert_eq!(h.param_derivative(1, 0.0), 0.0);

    let s = HardSwish;
    assert_eq!(s.forward(-4.0f64), 0.0);
    assert_eq!(s.forward(4.0f64), 4.0);
    assert_eq!(s.forward(1.0f64), 4.0 / 6.0);
    assert_eq!(s.derivative(-3.0f64), 0.0);
    assert_eq!(s.derivative(3.0f64), 1.0);
    // (2x + 3) / 6 inside
    assert_eq!(s.derivative(0.0f64), 0.5);
    assert_eq!(s.second_derivative(0.0f64), 1.0 / 3.0);

    let w = Window::<f32>::default();
    assert_eq!(w.forward(1.0), 1.0);
    assert_eq!(w.forward(2.0), 0.0);
    assert_eq!(w.forward(-2.0), 0.0);
    assert_eq!(w.derivative(-1.5), 1.0);
    assert_eq!(Window::new(0.0f32, 10.0).forward(5.0), 5.0);

    let b = Bands;
    assert_eq!(b.forward(-3.0f32), -3.0);
    assert_eq!(b.forward(3.0f32), 3.0);
    assert_eq!(b.forward(0.5f32), 1.0);
    assert_eq!(b.forward(1.75f32), 3.5);
    assert_eq!(b.forward(-1.5f32), -1.0);
    assert_eq!(b.forward(1.25f32), 1.0);
    assert_eq!(b.derivative(0.5f32), 2.0);
    assert_eq!(b.derivative(1.25f32), 0.0);
    assert_eq!(b.derivative(2.5f32), 1.0);
}
