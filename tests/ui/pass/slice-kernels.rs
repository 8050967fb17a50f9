//! The slice kernels on a PReLU-like definition, in f32 and f64, compared with the
//! scalar methods element by element (the vectorized path must agree with them).

use actdiff::prelude::*;

activation! {
    /// PReLU with a learned slope.
    pub MyPrelu(x; learn alpha = 0.25) = if x > 0 { x } else { alpha * x };

    /// A smooth one, so the kernels run something transcendental.
    pub MyMish(x) = x * tanh(softplus(x));
}

fn inputs(n: usize) -> Vec<f32> {
    (0..n).map(|i| (i as f32 - n as f32 / 2.0) * 0.37).collect()
}

fn main() {
    // Lengths around the vector width, so the tail loop runs too.
    for n in [0usize, 1, 7, 8, 9, 33, 1000] {
        let x = inputs(n);
        let g: Vec<f32> = (0..n).map(|i| 1.0 + i as f32 * 0.01).collect();
        let p = MyPrelu::<f32>::default();

        let mut y = vec![0.0f32; n];
        p.forward_slice(&x, &mut y);
        for i in 0..n {
            assert_eq!(y[i], p.forward(x[i]));
        }

        let mut grad_in = vec![0.0f32; n];
        p.backward_slice(&x, &g, &mut grad_in);
        for i in 0..n {
            assert_eq!(grad_in[i], g[i] * p.derivative(x[i]));
        }

        let mut y2 = vec![0.0f32; n];
        let mut grad_in2 = vec![0.0f32; n];
        p.forward_backward_slice(&x, &g, &mut y2, &mut grad_in2);
        assert_eq!(y2, y);
        assert_eq!(grad_in2, grad_in);

        let mut in_place = x.clone();
        p.forward_in_place(&mut in_place);
        assert_eq!(in_place, y);

        // Σ grad_out · x over the negative inputs
        let sum = p.param_gradient_sum(0, &x, &g);
        let want: f64 = x
            .iter()
            .zip(&g)
            .filter(|(x, _)| **x <= 0.0)
            .map(|(&x, &g)| f64::from(x) * f64::from(g))
            .sum();
        assert!(
            (f64::from(sum) - want).abs() <= 1e-4 * want.abs().max(1.0),
            "{n}: {sum} vs {want}"
        );

        let m = MyMish;
        let mut ym = vec![0.0f32; n];
        m.forward_slice(&x, &mut ym);
        for i in 0..n {
            assert_eq!(ym[i], m.forward(x[i]), "mish at {}", x[i]);
        }
        let mut gm = vec![0.0f32; n];
        m.backward_slice(&x, &g, &mut gm);
        for i in 0..n {
            assert_eq!(gm[i], g[i] * m.derivative(x[i]), "mish' at {}", x[i]);
        }
    }

    // f64, and the exact gradient on a small case: 2·(-1) + 3·(-2) = -8.
    let p = MyPrelu::<f64>::new(0.5);
    assert_eq!(
        p.param_gradient_sum(0, &[-1.0, -2.0, 5.0], &[2.0, 3.0, 4.0]),
        -8.0
    );
    let mut grad_in = [0.0f64; 3];
    p.backward_slice(&[-1.0, 0.0, 5.0], &[2.0, 2.0, 2.0], &mut grad_in);
    assert_eq!(grad_in, [1.0, 1.0, 2.0]);
}
