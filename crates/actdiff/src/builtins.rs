//! The built-in activations, each defined with the public `activation!` macro:
//! adding a variant is one line. They take PyTorch's parameters and defaults and
//! match its derivative at every kink; the [catalogue](crate::catalogue) selects them
//! by PyTorch's names at run time.
//!
//! Formulas are written in their numerically stable form: `erfc` rather than
//! `1 + erf` for GELU's left tail, `x·σ(2u)` rather than `0.5x(1 + tanh(u))`, a
//! continued fraction where `x - tanh(x)` cancels, linear tails where an
//! exponential would overflow into `0 · inf`.

// The generated code writes constants as decimal literals, derived ones included
// (`2/√π` from `erfc'`), which clippy mistakes for approximations of std's consts.
#![allow(clippy::approx_constant)]

use crate::{activation, Real};

activation! {
    /// Rectified linear unit: `max(0, x)`. Derivative 0 at 0, as PyTorch's `relu`.
    ///
    #[doc = include_str!("../../../docs/plots/relu.svg")]
    pub Relu(x) = max(0, x);

    /// ReLU capped at 6: `min(max(0, x), 6)`. Derivative 0 at both 0 and 6, as
    /// PyTorch's `relu6`.
    ///
    #[doc = include_str!("../../../docs/plots/relu6.svg")]
    pub Relu6(x) = clamp(x, 0, 6);

    /// Leaky ReLU: slope `negative_slope` below zero. Derivative `negative_slope` at 0,
    /// as PyTorch's `leaky_relu`.
    ///
    #[doc = include_str!("../../../docs/plots/leaky_relu.svg")]
    pub LeakyRelu(x; negative_slope = 0.01) = if x > 0 { x } else { negative_slope * x };

    /// Parametric ReLU: the slope below zero, `alpha`, is learned
    /// ([`param_gradient_sum`](crate::Activation::param_gradient_sum) gives its
    /// gradient). Derivative `alpha` at 0, as PyTorch's `prelu`.
    ///
    #[doc = include_str!("../../../docs/plots/prelu.svg")]
    pub Prelu(x; learn alpha = 0.25) = if x > 0 { x } else { alpha * x };

    /// Randomized leaky ReLU, evaluation form: the slope below zero is the mean of
    /// the sampling range, `(lower + upper) / 2`, as PyTorch's `rrelu` with
    /// `training=False`. Derivative the slope at 0. The training form, with a slope
    /// sampled per element, is [`Rrelu::forward_with_slopes`].
    ///
    #[doc = include_str!("../../../docs/plots/rrelu.svg")]
    pub Rrelu(x; lower = 0.125, upper = 0.3333333333333333) where lower <= upper =
        if x > 0 { x } else { (lower + upper) / 2 * x };

    /// Exponential linear unit: `alpha·(exp(x) - 1)` below zero. Derivative at 0 from
    /// the left, `alpha`, as PyTorch's `elu`.
    ///
    #[doc = include_str!("../../../docs/plots/elu.svg")]
    pub Elu(x; alpha = 1) = if x > 0 { x } else { alpha * expm1(x) };

    /// Scaled ELU (Klambauer et al., 2017) with its fixed constants. Derivative at 0
    /// from the left, `scale·alpha`, as PyTorch's `selu`.
    ///
    #[doc = include_str!("../../../docs/plots/selu.svg")]
    pub Selu(x) = {
        let alpha = 1.6732632423543772848170429916717;
        let scale = 1.0507009873554804934193349852946;
        if x > 0 { scale * x } else { scale * alpha * expm1(x) }
    };

    /// Continuously differentiable ELU: `alpha·(exp(x/alpha) - 1)` below zero.
    /// Derivative at 0 from the left, 1, as PyTorch's `celu`.
    ///
    #[doc = include_str!("../../../docs/plots/celu.svg")]
    // t = x/alpha carries its rounding into expm1(t) ≈ e^t magnified |t| times (45
    // ULP in the f32 tail with alpha = 2.5), so the remainder r = x - t·alpha is put
    // back to first order: alpha·expm1(t + r/alpha) = alpha·expm1(t) + e^t·r. It is
    // exact, as (x - fl(t·alpha)) - mul_err(t, alpha): for a correctly rounded
    // quotient, fl(t·alpha) is within an ULP or two of x, so the difference is exact.
    // Only where e^t is finite in both types (t < 80: a negative alpha makes t positive)
    // and x finite (t = -inf would make r NaN), so that no infinity meets r = 0.
    // The forward hardly needs the correction (t's rounding moves it by at most
    // e^t·|t|/|expm1(t)| <= 1 ULP); f' and f'' do. e^t·r rather than (expm1(t) + 1)·r:
    // the derivatives then need exp(t) alone, where the term (expm1(t) + 1)·r' would
    // make them compute both (the backward kernel 3x slower); the forward pays the
    // exp instead, less in total.
    // Near 0 that form's ∂/∂alpha, expm1(t) - t·e^t ≈ -t²/2, is a difference of
    // terms about t (1.6e7 ULP off in f32 at x = -7e-15), so for |t| < 0.75 the value
    // is x·exprel(t), exprel(t) = expm1(t)/t = Σ t^k/(k+1)!, by its Taylor polynomial
    // to degree 19 (what the polynomial leaves out is below 2^-60 relative in f''
    // as well; degree 15 left 78 ULP in f64's f''): ∂/∂alpha is then -t²·exprel'(t),
    // a product. Past -0.75 the difference cancels at most 5 times (at t = -0.75), and
    // the polynomial's alternating terms, 2.7 times, cancel less inside.
    // Below t = -800, where expm1(t) = -1 and exp(t) = 0 in both types, t stops
    // moving: for |alpha| < 1, x / alpha overflows to -inf at x = -MAX, and the
    // derivative in alpha, expm1(t) - t·e^t, would be inf·0.
    pub Celu(x; alpha = 1) where alpha != 0 = if x > 0 { x } else {
        let t = if x / alpha < -800 { -800 } else { x / alpha };
        if abs(t) < 0.75 {
            x * (1 + t * (
                0.5 + t * (0.16666666666666666 + t * (0.041666666666666664 + t * (
                0.008333333333333333 + t * (0.001388888888888889 + t * (
                0.0001984126984126984 + t * (2.48015873015873e-05 + t * (
                2.7557319223985893e-06 + t * (2.755731922398589e-07 + t * (
                2.505210838544172e-08 + t * (2.08767569878681e-09 + t * (
                1.6059043836821613e-10 + t * (1.1470745597729725e-11 + t * (
                7.647163731819816e-13 + t * (4.779477332387385e-14 + t * (
                2.8114572543455206e-15 + t * (1.5619206968586225e-16 + t * (
                8.22063524662433e-18 + t * (4.110317623312165e-19))))))))))))))))))))
        } else {
            let r = if t > -800 && t < 80 { (x - t * alpha) - mul_err(t, alpha) } else { 0 };
            alpha * expm1(t) + exp(t) * r
        }
    };

    /// Gaussian error linear unit, exact: `x·Φ(x)`, written `0.5·x·erfc(-x/√2)` so that
    /// the left tail keeps its relative accuracy (PyTorch's `gelu` with
    /// `approximate='none'` loses it: `1 + erf(u)` cancels). Beyond ±40, where
    /// `erfc` is 0 or 2 to every precision, its argument stops moving, so that the
    /// derivatives meet no `x²` overflowing into `inf · 0`.
    ///
    #[doc = include_str!("../../../docs/plots/gelu.svg")]
    // The argument u = -x/√2 carries its rounding error d into erfc(u) magnified by
    // 2u² (150 ULP at x = -12.8 in f32, 1300 at x = -31 in f64), so the forward
    // computes d and corrects to first order: erfc(u + d) = erfc(u) - (2/√π)·e^(-u²)·d.
    // (Cheaper stand-ins for e^(-u²) that do not vanish as fast for u < 0 leave terms
    // of the size of d in f'' for large x, where it is e^(-x²/2) small.)
    // d is exact arithmetic that holds in f32 and f64 alike, with 1/√2 = c_hi + c_lo,
    // c_hi = 0.70703125 (8 bits, exact in both) and c_lo's rounding far below either's
    // ULP of u: mul_err gives the rounding of p = c_hi·v (a fused multiply-add), and
    // (p - u) + q that of u = p + q (Fast2Sum: |p| > |q|). mul_err is a constant to
    // differentiation, so d' is the rounding of u' = -(c_hi + c_lo): the derivatives
    // get 1/√2 to twice the type's precision too. (Veltkamp's split made the products
    // exact until 2026-11-29, at 13 more operations, 0.4 ns per f32 element.)
    // Far left, erfc(u) and e^(-u²) are subnormal (f32 below x = -13, f64 below -37.5)
    // while the products with x/2 are not: each is written as one product with a
    // variable factor, which the engine fuses (`erfc_mul`, `gauss_mul`) so that the
    // subnormal value is never rounded on its own. The correction's factor is v/2, not
    // x/2: at x = ±inf, x·d would be inf·0 = NaN where d is 0.
    pub Gelu(x) = {
        let v = clamp(x, -40, 40);
        let p = -0.70703125 * v;
        let q = -0.0000755311865475244 * v;
        let u = p + q;
        let d = mul_err(-0.70703125, v) + ((p - u) + q);
        0.5 * x * erfc(u) - 1.1283791670955126 * exp(-(u * u)) * (0.5 * v * d)
    };

    /// GELU, tanh approximation: `0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))`, written
    /// `x·σ(2·√(2/π)·(x + 0.044715·x³))`, the same function without the cancellation
    /// of `1 + tanh`. PyTorch's `gelu` with `approximate='tanh'`. Beyond ±40, where
    /// the sigmoid is 0 or 1 to every precision, the argument stops moving, so that the
    /// cube cannot overflow into `inf · 0` in the derivatives.
    ///
    #[doc = include_str!("../../../docs/plots/gelu_tanh.svg")]
    // The argument w = c·(v + k·v³) (c = 2√(2/π), k = 0.044715) carries its rounding
    // into σ(w) ≈ e^w magnified |w| times (113 ULP in f32 at x = -9.4, 617 in f64 at
    // x = -21), so it is computed as w + d, d its error, as in QuickGelu.
    // c·k·v³ is z³ with z = κ·v, κ = (c·k)^(1/3), so that both constants meet v alone:
    // with Veltkamp's split, c_hi = 1.595703125 and κ_hi = 0.414794921875 (12 bits)
    // make exact products with h and l in f32 and f64, and c_lo, κ_lo carry each
    // constant's representation error in either type. The cube is exact where it
    // matters by cutting z on fixed grids (adding and subtracting 1.5·2^m rounds to a
    // multiple of ulp(1.5·2^m)): 1.5·2^40 gives z1, a multiple of 2^-12 in f64 (17 bits
    // for |z| < 32, so z1³ is exact) and 0 in f32; 1.5·2^18 gives z2, a multiple of
    // 2^-5 in f32 (8 bits for |z| < 8; f32 results are 0 beyond x = -11, z = -4.6) and
    // of 2^-34 in f64; 1.5·2^12 gives z3, a multiple of 2^-11 in f32, so that 3·z2²·z3
    // is exact too. The rest, e (below 2^-9), enters only terms small enough that their
    // rounding is far below an ULP of w. Those terms (up to 0.3) are then folded into w,
    // so that d is below half an ULP of w, where the first order holds.
    // For w > 0 it is x·(1 - σ(-w)): σ(-w), of which the derivatives of the right tail
    // are made, takes the correction and the tail shift of Silu too (f32 f'' was 700
    // ULP off at x = 10.3, with σ(-w) subnormal). The shift starts at -88 rather than
    // -85, where σ has lost at most one bit, so that it switches beyond |x| = 10 and
    // does not widen the range of the plot. σ(w + d) = σ(w)·(1 + σ(-w)·d), with
    // σ(-w) as (0.5 - σ(w)) + 0.5: `1 - σ(w)` would be a second sigmoid, and the
    // QuickGelu form d - d·σ(w) differentiates into d'' - (d''·σ(w) + d·σ''(w)…),
    // where d'' (the rounding of w'') absorbs the correction when σ(w) is 1.
    pub GeluTanh(x) = {
        let v = clamp(x, -40, 40);
        let t = 4097 * v;
        let h = t - (t - v);
        let l = v - h;
        let cv = 1.595703125 * h;
        let zh = 0.414794921875 * h;
        let z1 = (zh + 1649267441664) - 1649267441664;
        let y1 = zh - z1;
        let z2 = (y1 + 393216) - 393216;
        let y2 = y1 - z2;
        let z3 = (y2 + 6144) - 6144;
        let e = (y2 - z3) + (0.414794921875 * l + -0.000024513672992124683514 * v);
        let m3 = z3 + e;
        let m = z2 + m3;
        let q = z2 * z2;
        let p1 = z1 * z1 * z1;
        let p2 = q * z2;
        let s1 = p1 + p2;
        let p3 = 3 * q * z3;
        let s2 = s1 + p3;
        let w0 = cv + s2;
        let wb = w0 - cv;
        // The roundings of the three sums, c·v - c_hi·h, and z³ - p1 - p2 - p3.
        let d0 = (cv - (w0 - wb)) + (s2 - wb) + ((p2 - (s1 - p1)) + (p3 - (s2 - s1)))
            + (1.595703125 * l + 0.000065996605730711759784 * v)
            + (3 * z1 * m * (z1 + m) + 3 * q * e + m3 * m3 * (3 * z2 + m3));
        let w = w0 + d0;
        let d = d0 - (w - w0);
        let n = if w > 0 { -w } else { w };
        let dn = if w > 0 { -d } else { d };
        let shift = if n < -88 { 44 } else { 0 };
        let scale = if n < -88 { 7.781132241133797e-20 } else { 1 };
        let s = sigmoid(n + shift);
        let g = s * (1 + dn * ((0.5 - s) + 0.5));
        if w > 0 { x * (1 - g * scale) } else { x * g * scale }
    };

    /// Sigmoid linear unit: `x·σ(x)`, PyTorch's `silu`.
    ///
    #[doc = include_str!("../../../docs/plots/silu.svg")]
    // Below -85, where σ(x) is subnormal in f32 (and the product with x would lose
    // its relative accuracy), σ(x + 44)·e^-44: the same value to 1 + O(e^(x+44)),
    // below 2e-18, with a normal intermediate. Above 85 the derivatives meet σ(-x),
    // subnormal too (silu''(100) was 44 subnormal steps off in f32): there σ(x) is
    // written 1 - σ(44 - x)·e^-44. One sigmoid either way.
    pub Silu(x) = {
        let v = if x < -85 { x + 44 } else if x > 85 { 44 - x } else { x };
        let s = sigmoid(v);
        if x > 85 {
            // x_f is x where finite, 0 at inf, so that inf·σ(-inf) is not NaN.
            let x_f = if x - x <= 0 { x } else { 0 };
            x - x_f * s * 7.781132241133797e-20
        } else {
            let scale = if x < -85 { 7.781132241133797e-20 } else { 1 };
            x * s * scale
        }
    };

    /// Swish (Ramachandran et al., 2017): `x·σ(beta·x)` with a learned `beta`.
    ///
    #[doc = include_str!("../../../docs/plots/swish.svg")]
    // u = beta·x carries its rounding e into σ(u) magnified |u| times in the left tail
    // (15.6 ULP at x = -12.8 in f32 with beta = 1.5), so, as in QuickGelu,
    // σ(u + e) = σ(u)·(1 + σ(-u)·e) to first order, with σ(-u)·e written e - e·σ(u);
    // e = mul_err(beta, x) is exact, and 0 for beta = 1. Then the tail shifts of
    // Silu; on the right σ(u + e) = 1 - σ(-u)·(1 - σ(u)·e), with σ(u) = 1 to every
    // precision there.
    pub Swish(x; learn beta = 1) = {
        let u = beta * x;
        let e = mul_err(beta, x);
        let v = if u < -85 { u + 44 } else if u > 85 { 44 - u } else { u };
        let s = sigmoid(v);
        if u > 85 {
            let x_f = if x - x <= 0 { x } else { 0 };
            x - x_f * s * (1 - e) * 7.781132241133797e-20
        } else {
            let scale = if u < -85 { 7.781132241133797e-20 } else { 1 };
            x * s * (1 + (e - e * s)) * scale
        }
    };

    /// Mish (Misra, 2019): `x * tanh(softplus(x))`. Finite limits at ±inf:
    /// `mish(-inf) = -0`, `mish'(+inf) = 1`, `mish'(-inf) = 0`.
    ///
    #[doc = include_str!("../../../docs/plots/mish.svg")]
    // The tail shift of Silu: below -85, tanh(softplus(x)) (about e^x) is subnormal in
    // f32, or soon will be, and the product with x loses its relative accuracy;
    // tanh(softplus(x + 44))·e^-44 is the same value to 1 + O(e^(x+44)).
    pub Mish(x) = {
        let shift = if x < -85 { 44 } else { 0 };
        let scale = if x < -85 { 7.781132241133797e-20 } else { 1 };
        x * tanh(softplus(x + shift)) * scale
    };

    /// Softplus: `ln(1 + exp(beta·x)) / beta`, linear where `beta·x > threshold`
    /// (strictly), as PyTorch's `softplus`.
    ///
    #[doc = include_str!("../../../docs/plots/softplus.svg")]
    // For beta·x > 0 the same function as x + softplus(-beta·x)/beta: the two terms of
    // its derivative in beta then have one sign, where those of softplus(beta·x)/beta
    // cancel for large beta·x (off by 2e7 ULP in f32 at beta·x = 17). One softplus,
    // of -|beta·x|, serves both sides; below -85 it takes the tail shift of Silu, so
    // that the sigmoid in its derivatives is not subnormal.
    //
    // t = beta·x rounds, and softplus(u) ≈ e^u carries that rounding magnified |u|
    // times in the tail (239 ULP in f64 at x = -404 with beta = 0.7): as in Swish, the
    // rounding e = mul_err(beta, x), exact, is put back to first order,
    // softplus(u + c) = softplus(u) + σ(u)·c, with c = ±e the error of u = -|t|.
    // The threshold compares beta·x exactly (t = threshold with e > 0 is above it), so
    // that the kink is where the oracle has it; e is 0 for beta = 1.
    pub Softplus(x; beta = 1, threshold = 20) where beta != 0 = {
        let t = beta * x;
        let e = mul_err(beta, x);
        let linear = if t > 0 { x } else { 0 };
        let u = if t > 0 { -t } else { t };
        let c = if t > 0 { -e } else { e };
        let shift = if u < -85 { 44 } else { 0 };
        let scale = if u < -85 { 7.781132241133797e-20 } else { 1 };
        let v = u + shift;
        if t > threshold || (t >= threshold && e > 0) {
            x
        } else {
            linear + (softplus(v) + sigmoid(v) * c) * scale / beta
        }
    };

    /// Softsign: `x / (1 + |x|)`, PyTorch's `softsign`. Written `±(1 - 1/(1 + |x|))`
    /// for `|x| >= 1`, where the derivative of the direct form cancels.
    ///
    #[doc = include_str!("../../../docs/plots/softsign.svg")]
    pub Softsign(x) = if abs(x) < 1 {
        x / (1 + abs(x))
    } else if x > 0 {
        1 - 1 / (1 + x)
    } else {
        1 / (1 - x) - 1
    };

    /// Hyperbolic tangent, PyTorch's `tanh`.
    ///
    #[doc = include_str!("../../../docs/plots/tanh.svg")]
    pub Tanh(x) = tanh(x);

    /// Logistic sigmoid, PyTorch's `sigmoid`.
    ///
    #[doc = include_str!("../../../docs/plots/sigmoid.svg")]
    pub Sigmoid(x) = sigmoid(x);

    /// Hard tanh: `x` clamped to `[min_val, max_val]`. Derivative 0 at both
    /// boundaries, as PyTorch's `hardtanh`.
    ///
    #[doc = include_str!("../../../docs/plots/hardtanh.svg")]
    pub Hardtanh(x; min_val = -1, max_val = 1) where min_val <= max_val = clamp(x, min_val, max_val);

    /// Hard swish (Howard et al., 2019): `x·relu6(x + 3)/6`. Derivative 0 at -3 and 1 at
    /// 3, as PyTorch's `hardswish`.
    ///
    #[doc = include_str!("../../../docs/plots/hardswish.svg")]
    // Branches on x, not on clamp(x + 3, 0, 6): in f32, x + 3 rounds to 6 already at
    // x = 2.9999998, which would put the kink's derivative one step early; and no x·6
    // to overflow near MAX.
    pub Hardswish(x) = if x > -3 && x < 3 { x * (x + 3) / 6 } else if x >= 3 { x } else { 0 };

    /// Hard sigmoid: `relu6(x + 3)/6`. Derivative 0 at ±3, as PyTorch's `hardsigmoid`.
    ///
    #[doc = include_str!("../../../docs/plots/hardsigmoid.svg")]
    // Branches on x for the same reason as Hardswish.
    pub Hardsigmoid(x) = if x > -3 && x < 3 { (x + 3) / 6 } else if x >= 3 { 1 } else { 0 };

    /// Log-sigmoid: `ln(σ(x))`, written `-softplus(-x)`, PyTorch's `logsigmoid`.
    ///
    #[doc = include_str!("../../../docs/plots/log_sigmoid.svg")]
    pub LogSigmoid(x) = -softplus(-x);

    /// Tanh shrink: `x - tanh(x)`, PyTorch's `tanhshrink`. That difference cancels for
    /// small `|x|`; there it is `x³ / (x² + 3 + x²/(5 + x²/(7 + ...)))`, from Lambert's
    /// continued fraction for `tanh`, which has no cancellation and is exact to `f64`
    /// rounding for `|x| < 1.5`.
    ///
    #[doc = include_str!("../../../docs/plots/tanhshrink.svg")]
    pub Tanhshrink(x) = if abs(x) < 1.5 {
        let s = x * x;
        x * s / (s + 3 + s / (5 + s / (7 + s / (9 + s / (11 + s / (13 + s / (15 + s / (17 + s / (19 + s / 21)))))))))
    } else {
        x - tanh(x)
    };

    /// Soft shrink: `x ∓ lambd` outside `[-lambd, lambd]`, 0 inside. Derivative 0 at
    /// ±lambd, as PyTorch's `softshrink`.
    ///
    #[doc = include_str!("../../../docs/plots/softshrink.svg")]
    pub Softshrink(x; lambd = 0.5) where lambd >= 0 =
        if x > lambd { x - lambd } else if x < -lambd { x + lambd } else { 0 };

    /// Hard shrink: `x` outside `[-lambd, lambd]`, 0 inside. Derivative 0 at ±lambd,
    /// as PyTorch's `hardshrink`.
    ///
    #[doc = include_str!("../../../docs/plots/hardshrink.svg")]
    pub Hardshrink(x; lambd = 0.5) = if x > lambd || x < -lambd { x } else { 0 };

    /// Threshold: `x` above `threshold`, `value` at or below it. Derivative 0 at
    /// `threshold`, as PyTorch's `threshold`. PyTorch has no defaults for its two
    /// parameters; here they are 0 and 0, which make it ReLU.
    ///
    #[doc = include_str!("../../../docs/plots/threshold.svg")]
    pub Threshold(x; threshold = 0, value = 0) = if x > threshold { x } else { value };

    /// Quick GELU (as in CLIP): `x·σ(1.702·x)`.
    ///
    #[doc = include_str!("../../../docs/plots/quick_gelu.svg")]
    // u = 1.702·x with its rounding error d by Veltkamp's split, as Gelu's was until
    // 2026-11-29 (c_hi = 1.703125, 7 bits; the split needs |x| <= 1000, beyond which
    // σ is 0 or 1 anyway), and
    // σ(w + d) = σ(w)·(1 + σ(-w)·d) to first order, with σ(-w)·d written d - d·σ(w)
    // (no second sigmoid; its cancellation for large w costs far less than an ULP of
    // the correction); then the tail shifts of Silu, on both sides: above u = 85 the
    // derivatives are made of σ(-u), subnormal in f64 above u = 708 (quick_gelu'' was
    // 1056 ULP off at x = 420.2), there σ(u) is 1 - σ(44 - u)·e^-44, with the
    // correction σ(-(u + d)) = σ(-u)·(1 - d), which f'' needs (d moves σ(-u) by u·ε).
    pub QuickGelu(x) = {
        let v = clamp(x, -1000, 1000);
        let t = 4097 * v;
        let h = t - (t - v);
        let p = 1.703125 * h;
        let q = 1.703125 * (v - h);
        let r = -0.001125 * v;
        let s = p + q;
        let sb = s - p;
        let u = s + r;
        let ub = u - s;
        let d = (p - (s - sb)) + (q - sb) + ((s - (u - ub)) + (r - ub));
        let w = if u < -85 { u + 44 } else if u > 85 { 44 - u } else { u };
        let sw = sigmoid(w);
        if u > 85 {
            // σ(u + d) = 1 - σ(-u)·(1 - d) to first order (σ(u) is 1 to 1e-37 here).
            let x_f = if x - x <= 0 { x } else { 0 };
            x - x_f * sw * (1 - d) * 7.781132241133797e-20
        } else {
            let scale = if u < -85 { 7.781132241133797e-20 } else { 1 };
            x * sw * (1 + (d - d * sw)) * scale
        }
    };

    /// Squareplus (Barron, 2021): `(x + √(x² + b)) / 2`, a smooth ReLU. Written
    /// `b / (2(√(x² + b) - x))` for `x < -√b/2`, where the sum cancels (halving each
    /// term before adding, so that nothing overflows near `MAX`); between `-√b/2` and 0
    /// the sum loses at most a bit, and its derivatives, unlike the quotient's, have no
    /// terms that cancel (f'' was 9.6 ULP off at x = -0.017 in f32). With
    /// `√(x² + b) = |x| + b/|x|/(1 + √(1 + b/x²))` for `x² > b`, which cannot overflow
    /// (nor can `∂f/∂b`, about `1/(4x)`, which underflowed to 0 near `MAX` while
    /// `|x|(1 + √…)` was one product) and keeps the derivatives free of cancellation.
    /// `b = 0` is ReLU with no derivative at 0, so `b` must be positive.
    ///
    #[doc = include_str!("../../../docs/plots/squareplus.svg")]
    pub Squareplus(x; b = 4) where b > 0 = {
        let a = abs(x);
        // x·x, not a·a, near 0: abs' is 0 at the tie, which would make f''(0) = 0
        // instead of 1/(2√b).
        let r = if a * a > b { a + b / a / (1 + sqrt(1 + b / a / a)) } else { sqrt(x * x + b) };
        if x >= 0 || 4 * (x * x) <= b { x / 2 + r / 2 } else { b / 4 / (r / 2 - x / 2) }
    };

    /// Squared ReLU (So et al., 2021): `max(0, x)²`. Derivative 0 at 0.
    ///
    #[doc = include_str!("../../../docs/plots/squared_relu.svg")]
    pub SquaredRelu(x) = powi(max(0, x), 2);

    /// Snake (Ziyin et al., 2020): `x + sin²(alpha·x)/alpha`, with a learned `alpha`.
    /// `snake(±inf) = ±inf`; its derivatives oscillate and have no limit there (they
    /// are 1, 0 and 0 at ±inf).
    ///
    #[doc = include_str!("../../../docs/plots/snake.svg")]
    // u - u <= 0 holds for every finite u = alpha·x and fails at ±inf (and NaN), where
    // sin has no value: the bounded term drops out there, so the limit ±inf is the
    // value at x = ±inf, where the formula alone was NaN and the rule for that took
    // the value at ±MAX; and where alpha·x overflows for a finite x (|alpha| > 1), the
    // value is x to within 1/|alpha| (x - x <= 0 let sin(±inf) = NaN through there:
    // snake(1e308) with alpha = 2 was NaN in every method).
    //
    // u = alpha·x rounds (by e = mul_err(alpha, x), exact; 0 for alpha = 1), and near
    // the roots of f' = 1 + sin(2u), f'' and the gradient in alpha that rounding
    // counts in full (645, 282 and 3582 ULP with alpha = 0.3): the term
    // sin(2u)·e/alpha puts it back to first order, sin²(u + e) = sin²(u) + sin(2u)·e.
    // Its derivatives are the first-order corrections of the others: f' becomes
    // sin2x1p(u) + 2·(cos² u - sin² u)·e (the correction is its own term, so that the
    // rewrite to sin2x1p sees 1 + 2·sin·cos). The engine's windows in u take u + e.
    // sin(2u) is written 2·sin(u)·cos(u), which shares sin(u)'s reduction: as
    // sin2x1p(u) - 1 it made the forward 2.7 times slower.
    //
    // The correction is first order in e, which holds while e is far below 1: within
    // sin's documented range (|u| < 2^20), and below |x| = 1e30, past which the
    // gradient in alpha's correction, 2·cos²(u)·x·e, overflowed f32 into inf·0 = NaN
    // (at x = -3.1e38 with alpha = 1, where e = 0). Beyond, the plain formula.
    pub Snake(x; learn alpha = 1) where alpha != 0 = {
        let u = alpha * x;
        let e = mul_err(alpha, x);
        let finite = u - u <= 0;
        let corrected = u > -1048576 && u < 1048576 && x > -1e30 && x < 1e30;
        x + (if finite { powi(sin(u), 2) / alpha } else { 0 })
            + (if corrected { 2 * sin(u) * cos(u) * e / alpha } else { 0 })
    };

    /// TanhExp (Liu and Di, 2020): `x·tanh(exp(x))`. Above 20, where `tanh(exp(x))`
    /// is 1 to every precision, it is `x`, so that `exp` cannot overflow into
    /// `0 · inf` in the derivative.
    ///
    #[doc = include_str!("../../../docs/plots/tanh_exp.svg")]
    // The tail shift of Silu: tanh(exp(x + 44))·e^-44 below -85.
    pub TanhExp(x) = {
        let shift = if x < -85 { 44 } else { 0 };
        let scale = if x < -85 { 7.781132241133797e-20 } else { 1 };
        if x > 20 { x } else { x * tanh(exp(x + shift)) * scale }
    };
}

impl<T: Real> Rrelu<T> {
    /// The training form of RReLU: `y[i] = x[i]` where `x[i] > 0`, `slopes[i]·x[i]`
    /// elsewhere, with `slopes[i]` drawn uniformly from `[lower, upper]` by the caller
    /// (see [`Rrelu::slopes_from_uniform`]), as PyTorch's `rrelu` with `training=True`.
    /// A NaN in `x` or in the slope of an element gives NaN there.
    ///
    /// # Panics
    /// If the slices differ in length.
    pub fn forward_with_slopes(&self, x: &[T], slopes: &[T], y: &mut [T]) {
        crate::kernels::same_len(
            "forward_with_slopes",
            &[("x", x.len()), ("slopes", slopes.len()), ("y", y.len())],
        );
        for ((&xi, &si), yi) in x.iter().zip(slopes).zip(y.iter_mut()) {
            let v = if xi > T::default() { xi } else { si * xi };
            *yi = v.propagate_nan(si);
        }
    }

    /// The backward pass of [`Rrelu::forward_with_slopes`]:
    /// `grad_in[i] = grad_out[i]` where `x[i] > 0`, `grad_out[i]·slopes[i]` elsewhere
    /// (at 0 too, as PyTorch). A NaN in `x` or in the slope gives NaN there.
    ///
    /// # Panics
    /// If the slices differ in length.
    pub fn backward_with_slopes(&self, x: &[T], slopes: &[T], grad_out: &[T], grad_in: &mut [T]) {
        crate::kernels::same_len(
            "backward_with_slopes",
            &[
                ("x", x.len()),
                ("slopes", slopes.len()),
                ("grad_out", grad_out.len()),
                ("grad_in", grad_in.len()),
            ],
        );
        for (((&xi, &si), &g), gi) in x.iter().zip(slopes).zip(grad_out).zip(grad_in.iter_mut()) {
            let d = if xi > T::default() {
                T::from_f64(1.0)
            } else {
                si
            };
            *gi = (g * d).propagate_nan(xi).propagate_nan(si);
        }
    }

    /// Maps uniform samples `u[i]` in `[0, 1)` to slopes in `[lower, upper)`:
    /// `slopes[i] = lower + (upper - lower)·u[i]`, the distribution PyTorch samples
    /// from in training.
    ///
    /// # Panics
    /// If the slices differ in length.
    pub fn slopes_from_uniform(&self, u: &[T], slopes: &mut [T]) {
        crate::kernels::same_len(
            "slopes_from_uniform",
            &[("u", u.len()), ("slopes", slopes.len())],
        );
        let width = self.upper - self.lower;
        for (&ui, si) in u.iter().zip(slopes.iter_mut()) {
            *si = self.lower + width * ui;
        }
    }
}
