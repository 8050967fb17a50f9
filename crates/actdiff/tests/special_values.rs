//! The special-value grid for every built-in, in f32 and f64: NaN, ±inf, ±0, the
//! smallest subnormal, ±MAX, ±1e30, the kink, and points where the function
//! saturates. Forward, derivative, second derivative and parameter derivatives equal
//! the mathematical value or limit (compared as values, so -0 equals 0), with NaN
//! only for a NaN input. Zeros, infinities and exactly representable values must be
//! exact; other values (`mish'(0) = 0.6`) are held to the accuracy targets: 4 ULP
//! for the forward, 8 for derivatives.

use actdiff::prelude::*;

/// Expected `(f, f', f'')` at `x`, as exact values or limits, for one type.
type Row<T> = (T, T, T, T);

/// Whether `got` is within `ulps` units in the last place of the finite, nonzero
/// `want` (the grid's inexact values), or equal to it.
fn close<T: Real>(got: T, want: T, ulps: f64) -> bool {
    if got == want {
        return true;
    }
    let (g, w) = (got.to_f64(), want.to_f64());
    if w == 0.0 || w.is_infinite() || g.is_nan() {
        return false;
    }
    // One ULP of `want` in T: the gap to the next value of T away from zero.
    let eps = T::EPSILON.to_f64();
    let ulp = (2f64).powi(w.abs().log2().floor() as i32) * eps;
    (g - w).abs() <= ulps * ulp
}

fn check<T: Real + std::fmt::Display, A: Activation<T>>(a: &A, rows: &[Row<T>]) {
    let name = &a.info().name;
    for &(x, f, d, dd) in rows {
        let got = (a.forward(x), a.derivative(x), a.second_derivative(x));
        assert!(close(got.0, f, 4.0), "{name}({x}) = {}, want {f}", got.0);
        assert!(close(got.1, d, 8.0), "{name}'({x}) = {}, want {d}", got.1);
        assert!(
            close(got.2, dd, 8.0),
            "{name}''({x}) = {}, want {dd}",
            got.2
        );
        let (ff, fd) = a.forward_and_derivative(x);
        assert!(
            ff == got.0 && fd == got.1,
            "{name} forward_and_derivative({x})"
        );
    }
    for x in [T::from_f64(f64::NAN), -T::from_f64(f64::NAN)] {
        assert!(a.forward(x).is_nan(), "{name}(NaN)");
        assert!(a.derivative(x).is_nan(), "{name}'(NaN)");
        assert!(a.second_derivative(x).is_nan(), "{name}''(NaN)");
        for i in 0..a.info().params.len() {
            assert!(a.param_derivative(i, x).is_nan(), "{name} ∂p{i}(NaN)");
        }
    }
}

macro_rules! grid {
    ($t:ident, $test:ident) => {
        #[test]
        fn $test() {
            let inf = $t::INFINITY;
            let max = $t::MAX;
            let tiny = $t::from_bits(1);
            let big: $t = 1e30;
            let kink_and_limits = |slope: $t| -> Vec<Row<$t>> {
                vec![
                    (inf, inf, 1.0, 0.0),
                    (-inf, -inf, slope, 0.0),
                    (0.0, 0.0, slope, 0.0),
                    (-0.0, 0.0, slope, 0.0),
                    (tiny, tiny, 1.0, 0.0),
                    (max, max, 1.0, 0.0),
                    (-max, -max * slope, slope, 0.0),
                    (big, big, 1.0, 0.0),
                    (-big, -big * slope, slope, 0.0),
                ]
            };
            // ReLU: slope 0 below zero, and at the kink.
            let mut relu = kink_and_limits(0.0);
            relu[1] = (-inf, 0.0, 0.0, 0.0);
            check(&Relu, &relu);
            // Leaky ReLU and PReLU: f'(0) = slope.
            let leaky = LeakyRelu::<$t>::default();
            let mut rows = kink_and_limits(leaky.negative_slope);
            rows[4] = (
                -tiny,
                -tiny * leaky.negative_slope,
                leaky.negative_slope,
                0.0,
            );
            check(&leaky, &rows);
            let prelu = Prelu::<$t>::default();
            check(&prelu, &kink_and_limits(prelu.alpha));
            // Parameter derivatives: x below zero, 0 above, limits at ±inf.
            for (x, want) in [
                (inf, 0.0),
                (-inf, -inf),
                (0.0, 0.0),
                (-2.0, -2.0),
                (big, 0.0),
                (-max, -max),
            ] {
                assert_eq!(prelu.param_derivative(0, x), want, "∂prelu/∂alpha({x})");
                assert_eq!(leaky.param_derivative(0, x), want, "∂leaky/∂slope({x})");
            }
            // Mish: f(0) = 0, f'(0) = tanh(ln 2) = 0.6, f''(0) = 0.64; saturation to x
            // and to 0 in the tails; limits at ±inf.
            check(
                &Mish,
                &[
                    (inf, inf, 1.0, 0.0),
                    (-inf, 0.0, 0.0, 0.0),
                    (0.0, 0.0, 0.6, 0.64),
                    (-0.0, 0.0, 0.6, 0.64),
                    (tiny, tiny, 0.6, 0.64),
                    (max, max, 1.0, 0.0),
                    (-max, 0.0, 0.0, 0.0),
                    (big, big, 1.0, 0.0),
                    (-big, 0.0, 0.0, 0.0),
                    (800.0, 800.0, 1.0, 0.0),
                    (-800.0, 0.0, 0.0, 0.0),
                ],
            );
        }
    };
}

grid!(f32, grid_f32);
grid!(f64, grid_f64);
