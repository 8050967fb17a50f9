//! Blocks with `let` bindings, nested blocks, blocks as `if` branches and as
//! function arguments.

use actdiff::prelude::*;

activation! {
    /// Mish written with a binding.
    pub MishLet(x) = {
        let sp = softplus(x);
        let t = tanh(sp);
        x * t
    };

    /// Nested blocks: an inner block sees the outer bindings.
    pub Nested(x; a = 2) = {
        let u = a * x;
        let v = {
            let w = u + 1;
            w * w
        };
        v - { let z = u; z }
    };

    /// A block in each branch of an `if`, and one as an argument.
    pub Branchy(x) = if x > 0 {
        let y = x * x;
        y + 1
    } else {
        let y = -x;
        max({ let half = y / 2; half }, 0)
    };
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * b.abs().max(1.0)
}

fn main() {
    let m = MishLet;
    let builtin = actdiff::Mish;
    for x in [-3.0f64, -0.5, 0.0, 0.7, 4.0] {
        assert!(close(m.forward(x), builtin.forward(x)), "{x}");
        assert!(close(m.derivative(x), builtin.derivative(x)), "{x}");
    }
    assert!(close(
        m.forward(1.0f64),
        1.0 * (1.0f64.exp().ln_1p()).tanh()
    ));

    // v - u = (u + 1)^2 - u with u = a x
    let n = Nested::<f64>::default();
    assert_eq!(n.forward(1.0), 7.0);
    // d/dx = 2 a (u + 1) - a
    assert_eq!(n.derivative(1.0), 10.0);
    assert_eq!(n.second_derivative(1.0), 8.0);
    // d/da = 2 x (u + 1) - x
    assert_eq!(n.param_derivative(0, 1.0), 5.0);

    let b = Branchy;
    assert_eq!(b.forward(3.0f32), 10.0);
    assert_eq!(b.forward(-3.0f32), 1.5);
    assert_eq!(b.derivative(3.0f32), 6.0);
    assert_eq!(b.derivative(-3.0f32), -0.5);
    assert_eq!(b.forward(0.0f32), 0.0);
}
