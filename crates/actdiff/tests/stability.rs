//! Stability rewrites: a user who writes the naive formula gets the stable code. The
//! naive and stable definitions of mish, silu, softplus and the tanh and sigmoid
//! derivatives compile to the same graph (same printed formulas) and so to the same
//! values, including in the tails where the naive formulas overflow or cancel.

use actdiff::prelude::*;

activation! {
    NaiveMish(x) = x * tanh(ln(1 + exp(x)));
    StableMish(x) = x * tanh(softplus(x));
    NaiveSilu(x) = x / (1 + exp(-x));
    StableSilu(x) = x * sigmoid(x);
    NaiveSoftplus(x) = ln(exp(x) + 1);
    StableSoftplus(x) = softplus(x);
    NaiveSigmoidSlope(x) = 1 / (1 + exp(-x)) * (1 - 1 / (1 + exp(-x)));
    StableSigmoidSlope(x) = sigmoid(x) * sigmoid(-x);
    NaiveTanhSlope(x) = 1 - powi(tanh(x), 2);
    NaiveElu(x) = if x > 0 { x } else { exp(x) - 1 };
    StableElu(x) = if x > 0 { x } else { expm1(x) };
    NaiveLog1p(x) = ln(1 + x * x);
    StableLog1p(x) = log1p(x * x);
    SquareAsProduct(x) = x + sin(x) * sin(x);
    SquareAsPower(x) = x + powi(sin(x), 2);
    CosineSquareAsProduct(x) = x + cos(x) * cos(x);
    CosineSquareAsPower(x) = x + powi(cos(x), 2);
    SineRamp(x) = x + sin(x);
    CosineWell(x) = 1 - cos(x);
}

#[test]
fn a_square_written_as_a_product_has_the_stable_derivative() {
    // The product rule's `cos·sin + sin·cos` is `2·sin·cos`, so `1 + sin(2x)` as for
    // `powi`: 3,160 ULP off at x = 2.359 in f32 when it was `1 + (cos·sin + sin·cos)`.
    assert_eq!(
        SquareAsProduct.info().derivative,
        SquareAsPower.info().derivative
    );
    for x in points() {
        let (a, b) = (SquareAsProduct.derivative(x), SquareAsPower.derivative(x));
        assert_eq!(a.to_bits(), b.to_bits(), "at {x}");
    }
    // With cosine, `1 - 2·sin·cos` = `1 + sin(-2x)` in either spelling (the product's
    // derivative was `1 + (-sin·cos - cos·sin)`), accurate beside its double roots
    // π/4 + kπ: against f64, where `1 - sin(2x)` keeps 39 bits there.
    assert_eq!(
        CosineSquareAsProduct.info().derivative,
        CosineSquareAsPower.info().derivative
    );
    let quarter = std::f64::consts::FRAC_PI_4;
    for x in [
        quarter + 5e-3,
        quarter - 2e-3,
        quarter + 3.0 * std::f64::consts::PI + 1e-3,
    ] {
        let xf = x as f32;
        let want = 1.0 - (2.0 * f64::from(xf)).sin();
        let got = f64::from(CosineSquareAsProduct.derivative(xf));
        assert!(
            (got - want).abs() <= 4.0 * f64::from(f32::EPSILON) * want,
            "at {xf}: {got} against {want}"
        );
    }
}

/// `|got - want|` in ULPs of `want`.
fn ulps_f64(got: f64, want: f64) -> f64 {
    (got - want).abs() / (f64::EPSILON * want.abs().max(f64::MIN_POSITIVE))
}

#[test]
fn one_plus_and_one_minus_cosine_do_not_cancel() {
    // `x + sin(x)`'s derivative `1 + cos(x)` beside its double roots (2k+1)π, and
    // `1 - cos(x)` beside 0, against their half-angle forms in std's f64 (f32 against
    // the f64 value, which keeps 36 bits there): 2e4 ULP off 5e-3 from π when
    // computed as written.
    let pi = std::f64::consts::PI;
    for x in [pi + 5e-3, pi - 1e-4, 3.0 * pi + 2e-3, -pi + 1e-6, 9.435] {
        let want = 2.0 * (x / 2.0).cos().powi(2);
        assert!(ulps_f64(SineRamp.derivative(x), want) <= 4.0, "f64 at {x}");
        let xf = x as f32;
        let want = 2.0 * (f64::from(xf) / 2.0).cos().powi(2);
        let got = f64::from(SineRamp.derivative(xf));
        assert!(
            (got - want).abs() <= 4.0 * f64::from(f32::EPSILON) * want,
            "f32 at {xf}"
        );
    }
    for x in [1e-3, -2e-5, 1e-9, 0.3] {
        let want = 2.0 * (x / 2.0).sin().powi(2);
        assert!(ulps_f64(CosineWell.forward(x), want) <= 4.0, "f64 at {x}");
    }
}

fn same_formulas(naive: &ActivationInfo, stable: &ActivationInfo) {
    assert_eq!(naive.formula, stable.formula, "{}", naive.name);
    assert_eq!(naive.derivative, stable.derivative, "{}", naive.name);
    assert_eq!(
        naive.second_derivative, stable.second_derivative,
        "{}",
        naive.name
    );
}

#[test]
fn naive_formulas_compile_to_the_stable_ones() {
    same_formulas(NaiveMish.info(), StableMish.info());
    same_formulas(NaiveSilu.info(), StableSilu.info());
    same_formulas(NaiveSoftplus.info(), StableSoftplus.info());
    same_formulas(NaiveSigmoidSlope.info(), StableSigmoidSlope.info());
    same_formulas(NaiveElu.info(), StableElu.info());
    // The same graph, with its `let`s numbered in another order.
    assert_eq!(NaiveLog1p.info().formula, StableLog1p.info().formula);
}

/// Grid of special and random points, deterministic.
fn points() -> Vec<f64> {
    let mut v = vec![
        0.0, -0.0, 1e-30, -1e-30, 1e-8, -1e-8, 0.5, -0.5, 20.0, -20.0, 50.0, -50.0, 100.0, -100.0,
        700.0, -700.0, 1e30, -1e30,
    ];
    let mut s: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..2000 {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        v.push((s >> 11) as f64 / (1u64 << 53) as f64 * 80.0 - 40.0);
    }
    v
}

#[test]
fn naive_and_stable_give_the_same_values() {
    for x in points() {
        for (naive, stable) in [
            (NaiveMish.forward(x), StableMish.forward(x)),
            (NaiveMish.derivative(x), StableMish.derivative(x)),
            (NaiveSilu.forward(x), StableSilu.forward(x)),
            (NaiveSilu.derivative(x), StableSilu.derivative(x)),
            (NaiveSoftplus.forward(x), StableSoftplus.forward(x)),
            (NaiveSigmoidSlope.forward(x), StableSigmoidSlope.forward(x)),
            (NaiveElu.forward(x), StableElu.forward(x)),
            (NaiveLog1p.forward(x), StableLog1p.forward(x)),
            (
                NaiveLog1p.second_derivative(x),
                StableLog1p.second_derivative(x),
            ),
        ] {
            assert_eq!(naive.to_bits(), stable.to_bits(), "at {x}");
        }
        let xf = x as f32;
        assert_eq!(
            NaiveMish.forward(xf).to_bits(),
            StableMish.forward(xf).to_bits()
        );
    }
}

#[test]
fn rewrites_fix_the_tails() {
    // exp(800) overflows: the naive softplus would be inf, the naive silu(-800) NaN.
    assert_eq!(NaiveSoftplus.forward(800.0f64), 800.0);
    assert_eq!(NaiveSilu.forward(-800.0f64), -0.0);
    // 1 - tanh(20)^2 cancels to 0 in f64; the rewrite keeps it: 4 e^-40 ≈ 1.7e-17.
    let slope = NaiveTanhSlope.forward(20.0f64);
    assert!((slope - 1.699_341_702_5e-17).abs() < 1e-26, "{slope}");
    // exp(1e-10) - 1 loses most digits; expm1 keeps them.
    let elu = NaiveElu.forward(-1e-10f64);
    assert!((elu + 9.999_999_999_5e-11).abs() < 1e-25, "{elu}");
}
