//! The catalogue of built-ins: values and derivatives at every kink (DESIGN.md's
//! conventions table, PyTorch's), formulas against naive references, derivatives
//! against finite differences, NaN through every method, parameter constraints, and
//! the text form of `Builtin` (round trips and error messages).

use actdiff::prelude::*;

/// `(text, x, f(x), f'(x))` at the kinks and boundaries, exact in f32 and f64.
const KINKS: &[(&str, f64, f64, f64)] = &[
    ("relu", 0.0, 0.0, 0.0),
    ("relu", 1e-30, 1e-30, 1.0),
    ("relu", -1e-30, 0.0, 0.0),
    ("relu6", 0.0, 0.0, 0.0),
    ("relu6", 6.0, 6.0, 0.0),
    ("relu6", 3.0, 3.0, 1.0),
    ("relu6", 7.0, 6.0, 0.0),
    ("leaky_relu", 0.0, 0.0, 0.01),
    ("leaky_relu", 1e-30, 1e-30, 1.0),
    ("leaky_relu(negative_slope=0.25)", 0.0, 0.0, 0.25),
    ("leaky_relu(negative_slope=0.25)", -4.0, -1.0, 0.25),
    ("prelu", 0.0, 0.0, 0.25),
    ("prelu", -4.0, -1.0, 0.25),
    ("rrelu(lower=0.25, upper=0.75)", 0.0, 0.0, 0.5),
    ("rrelu(lower=0.25, upper=0.75)", -2.0, -1.0, 0.5),
    ("rrelu(lower=0.25, upper=0.75)", 2.0, 2.0, 1.0),
    ("elu", 0.0, 0.0, 1.0),
    ("elu(alpha=2)", 0.0, 0.0, 2.0),
    ("elu(alpha=2)", 1e-30, 1e-30, 1.0),
    ("celu", 0.0, 0.0, 1.0),
    ("celu(alpha=2)", 0.0, 0.0, 1.0),
    ("celu(alpha=0.5)", 0.0, 0.0, 1.0),
    ("celu(alpha=2)", 1e-30, 1e-30, 1.0),
    ("hardtanh", -1.0, -1.0, 0.0),
    ("hardtanh", 1.0, 1.0, 0.0),
    ("hardtanh", 0.0, 0.0, 1.0),
    ("hardtanh", -2.0, -1.0, 0.0),
    ("hardtanh(min_val=-2, max_val=2)", -2.0, -2.0, 0.0),
    ("hardtanh(min_val=-2, max_val=2)", 2.0, 2.0, 0.0),
    ("hardtanh(min_val=-2, max_val=2)", 1.5, 1.5, 1.0),
    ("hardswish", -3.0, 0.0, 0.0),
    ("hardswish", 3.0, 3.0, 1.0),
    ("hardswish", 0.0, 0.0, 0.5),
    ("hardswish", -4.0, 0.0, 0.0),
    ("hardswish", 4.0, 4.0, 1.0),
    ("hardsigmoid", -3.0, 0.0, 0.0),
    ("hardsigmoid", 3.0, 1.0, 0.0),
    ("hardsigmoid", 0.0, 0.5, 1.0 / 6.0),
    ("softshrink", 0.5, 0.0, 0.0),
    ("softshrink", -0.5, 0.0, 0.0),
    ("softshrink", 0.0, 0.0, 0.0),
    ("softshrink", 1.5, 1.0, 1.0),
    ("softshrink", -1.5, -1.0, 1.0),
    ("softshrink(lambd=0)", 0.0, 0.0, 0.0),
    ("hardshrink", 0.5, 0.0, 0.0),
    ("hardshrink", -0.5, 0.0, 0.0),
    ("hardshrink", 0.75, 0.75, 1.0),
    ("hardshrink", -0.75, -0.75, 1.0),
    ("threshold", 0.0, 0.0, 0.0),
    ("threshold", 2.0, 2.0, 1.0),
    ("threshold(threshold=1, value=-5)", 1.0, -5.0, 0.0),
    ("threshold(threshold=1, value=-5)", 1.5, 1.5, 1.0),
    ("threshold(threshold=1, value=-5)", 0.0, -5.0, 0.0),
    ("squared_relu", 0.0, 0.0, 0.0),
    ("squared_relu", 3.0, 9.0, 6.0),
    ("squared_relu", -3.0, 0.0, 0.0),
    ("softplus", 21.0, 21.0, 1.0),
    ("softplus(beta=2, threshold=10)", 6.0, 6.0, 1.0),
    ("gelu", 0.0, 0.0, 0.5),
    ("gelu(approximate=tanh)", 0.0, 0.0, 0.5),
    ("silu", 0.0, 0.0, 0.5),
    ("swish", 0.0, 0.0, 0.5),
    ("quick_gelu", 0.0, 0.0, 0.5),
    ("tanh", 0.0, 0.0, 1.0),
    ("sigmoid", 0.0, 0.5, 0.25),
    ("softsign", 0.0, 0.0, 1.0),
    ("softsign", 1.0, 0.5, 0.25),
    ("softsign", -3.0, -0.75, 0.0625),
    ("tanhshrink", 0.0, 0.0, 0.0),
    ("logsigmoid", 0.0, -std::f64::consts::LN_2, 0.5),
    ("selu", 0.0, 0.0, SELU_SCALE * SELU_ALPHA),
    ("selu", 1e-30, SELU_SCALE * 1e-30, SELU_SCALE),
    ("squareplus", 0.0, 1.0, 0.5),
    ("snake", 0.0, 0.0, 1.0),
    ("tanhexp", 0.0, 0.0, 0.7615941559557649),
    ("tanhexp", 25.0, 25.0, 1.0),
    ("mish", 0.0, 0.0, 0.6),
];

/// SELU's constants, as PyTorch writes them.
const SELU_ALPHA: f64 = 1.6732632423543772848170429916717;
const SELU_SCALE: f64 = 1.0507009873554804934193349852946;

fn parse<T: Real + std::str::FromStr>(text: &str) -> Builtin<T> {
    text.parse()
        .unwrap_or_else(|e| panic!("`{text}` does not parse: {e}"))
}

/// Equal as values (-0 equals 0), or within `ulps` of `want` in `T`.
fn close<T: Real>(got: T, want: f64, ulps: f64) -> bool {
    let g = got.to_f64();
    if g == want {
        return true;
    }
    let w = T::from_f64(want).to_f64();
    let ulp = (2f64).powi(w.abs().log2().floor() as i32) * T::EPSILON.to_f64();
    w != 0.0 && (g - want).abs() <= ulps * ulp
}

fn check_kinks<T: Real + std::str::FromStr>() {
    for &(text, x, f, d) in KINKS {
        let a: Builtin<T> = parse(text);
        let x = T::from_f64(x);
        let (got_f, got_d) = (a.forward(x), a.derivative(x));
        assert!(
            close(got_f, f, 1.0),
            "{text} at {x:?}: f = {got_f:?}, want {f}"
        );
        assert!(
            close(got_d, d, 1.0),
            "{text} at {x:?}: f' = {got_d:?}, want {d}"
        );
        assert_eq!(
            a.forward_and_derivative(x),
            (got_f, got_d),
            "{text} at {x:?}"
        );
    }
}

#[test]
fn every_builtin_has_kink_or_origin_checks() {
    for a in Builtin::<f32>::all() {
        let name = a.name();
        assert!(
            KINKS
                .iter()
                .any(|(t, ..)| t.split('(').next() == Some(name)),
            "{name} has no row in KINKS"
        );
    }
}

#[test]
fn kinks_and_boundaries_follow_the_conventions_f32() {
    check_kinks::<f32>();
}

#[test]
fn kinks_and_boundaries_follow_the_conventions_f64() {
    check_kinks::<f64>();
}

#[test]
fn elu_family_takes_the_left_derivative_at_zero() {
    let (selu_scale, selu_alpha) = (SELU_SCALE, SELU_ALPHA);
    assert_eq!(Selu.derivative(0.0f64), selu_scale * selu_alpha);
    assert_eq!(Selu.derivative(1e-300f64), selu_scale);
    assert_eq!(Selu.forward(1.0f64), selu_scale);
    assert_eq!(Selu.forward(f64::NEG_INFINITY), -selu_scale * selu_alpha);
    assert_eq!(Elu::<f64>::default().forward(f64::NEG_INFINITY), -1.0);
    assert_eq!(Celu::new(2.0f64).forward(f64::NEG_INFINITY), -2.0);
}

#[test]
fn softplus_is_linear_only_strictly_above_the_threshold() {
    let s = Softplus::<f64>::default();
    // At beta·x = threshold exactly, PyTorch still takes the log branch.
    assert_eq!(s.forward(20.0), libm::log1p(20f64.exp()));
    assert!(s.derivative(20.0) < 1.0);
    assert_eq!(s.forward(20.000001), 20.000001);
    assert_eq!(s.derivative(20.000001), 1.0);
    let b = Softplus::new(2.0f64, 10.0);
    assert_eq!(b.forward(5.0), libm::log1p(10f64.exp()) / 2.0);
    assert_eq!(b.forward(5.5), 5.5);
    assert_eq!(s.forward(-800.0), 0.0);
    assert_eq!(s.derivative(-800.0), 0.0);
}

#[test]
fn rrelu_evaluation_slope_is_the_mean_of_the_range() {
    let r = Rrelu::<f64>::default();
    assert_eq!((r.lower, r.upper), (0.125, 1.0 / 3.0));
    assert_eq!(r.derivative(0.0), (0.125 + 1.0 / 3.0) / 2.0);
    assert_eq!(r.forward(-1.0), -(0.125 + 1.0 / 3.0) / 2.0);
}

#[test]
fn rrelu_training_form_uses_the_given_slopes() {
    let r = Rrelu::<f32>::default();
    let x = [2.0f32, -2.0, 0.0, -1.0, f32::NAN, -1.0];
    let slopes = [0.2f32, 0.2, 0.3, 0.25, 0.2, f32::NAN];
    let mut y = [0.0f32; 6];
    r.forward_with_slopes(&x, &slopes, &mut y);
    assert_eq!(&y[..4], &[2.0, -0.4, 0.0, -0.25]);
    assert!(y[4].is_nan() && y[5].is_nan());
    let mut g = [0.0f32; 6];
    r.backward_with_slopes(&x, &slopes, &[2.0; 6], &mut g);
    // At 0 the slope applies, as PyTorch's noise there.
    assert_eq!(&g[..4], &[2.0, 0.4, 0.6, 0.5]);
    assert!(g[4].is_nan() && g[5].is_nan());
    let mut s = [0.0f32; 3];
    r.slopes_from_uniform(&[0.0, 0.5, 1.0], &mut s);
    assert_eq!(s[0], 0.125);
    assert!((s[1] - (0.125 + 1.0 / 3.0) / 2.0).abs() < 1e-7);
    assert!((s[2] - 1.0 / 3.0).abs() < 1e-7);
}

#[test]
#[should_panic(expected = "forward_with_slopes: slices must have equal lengths")]
fn rrelu_training_form_checks_lengths() {
    Rrelu::<f32>::default().forward_with_slopes(&[1.0, 2.0], &[0.2], &mut [0.0; 2]);
}

/// Textbook `f64` formulas of every built-in at its defaults, written independently
/// of `builtins.rs`: on `[-6, 6]` they are accurate to a few ULPs (`x - tanh(x)` is
/// only used where it does not cancel much).
fn reference(text: &str) -> fn(f64) -> f64 {
    fn sigmoid(x: f64) -> f64 {
        1.0 / (1.0 + (-x).exp())
    }
    match text {
        "relu" => |x| x.max(0.0),
        "relu6" => |x| x.clamp(0.0, 6.0),
        "leaky_relu" => |x| if x > 0.0 { x } else { 0.01 * x },
        "prelu" => |x| if x > 0.0 { x } else { 0.25 * x },
        "rrelu" => |x| {
            if x > 0.0 {
                x
            } else {
                (0.125 + 1.0 / 3.0) / 2.0 * x
            }
        },
        "elu" => |x| if x > 0.0 { x } else { x.exp_m1() },
        "selu" => |x| SELU_SCALE * if x > 0.0 { x } else { SELU_ALPHA * x.exp_m1() },
        "celu" => |x| x.max(0.0) + x.exp_m1().min(0.0),
        // 1 + erf(u) and 1 + tanh(u) cancel in the left tail: these are the same
        // functions written without the cancellation.
        "gelu" => |x| 0.5 * x * libm::erfc(-x / std::f64::consts::SQRT_2),
        "gelu(approximate=tanh)" => |x| {
            let c = (2.0 / std::f64::consts::PI).sqrt();
            x * sigmoid(2.0 * c * (x + 0.044715 * x * x * x))
        },
        "silu" | "swish" => |x| x * sigmoid(x),
        "mish" => |x| x * x.exp().ln_1p().tanh(),
        "softplus" => |x| if x > 20.0 { x } else { x.exp().ln_1p() },
        "softsign" => |x| x / (1.0 + x.abs()),
        "tanh" => f64::tanh,
        "sigmoid" => sigmoid,
        "hardtanh" => |x| x.clamp(-1.0, 1.0),
        "hardswish" => |x| x * (x + 3.0).clamp(0.0, 6.0) / 6.0,
        "hardsigmoid" => |x| (x + 3.0).clamp(0.0, 6.0) / 6.0,
        "logsigmoid" => |x| sigmoid(x).ln(),
        "tanhshrink" => |x| x - x.tanh(),
        "softshrink" => |x| {
            if x > 0.5 {
                x - 0.5
            } else if x < -0.5 {
                x + 0.5
            } else {
                0.0
            }
        },
        "hardshrink" => |x| if x.abs() > 0.5 { x } else { 0.0 },
        "threshold" => |x| if x > 0.0 { x } else { 0.0 },
        "quick_gelu" => |x| x * sigmoid(1.702 * x),
        "squareplus" => |x| (x + (x * x + 4.0).sqrt()) / 2.0,
        "squared_relu" => |x| x.max(0.0).powi(2),
        "snake" => |x| x + x.sin().powi(2),
        "tanhexp" => |x| x * x.exp().tanh(),
        other => panic!("no reference for {other}"),
    }
}

/// Points of `[-6, 6]` at least 0.01 from every kink of the catalogue.
fn smooth_points() -> Vec<f64> {
    let kinks = [0.0, 0.5, 1.0, 3.0, 6.0];
    (0..=120)
        .map(|k| -6.0 + 0.1 * f64::from(k) + 0.0123)
        .filter(|x: &f64| kinks.iter().all(|k| (x.abs() - k).abs() > 0.01))
        .collect()
}

#[test]
fn every_builtin_matches_its_naive_formula() {
    let all = Builtin::<f64>::all();
    assert_eq!(all.len(), 30);
    for a in all {
        let text = a.to_string();
        let f = reference(&text);
        for x in smooth_points() {
            let (got, want) = (a.forward(x), f(x));
            let tol = 1e-13 * want.abs().max(1e-3);
            assert!(
                (got - want).abs() <= tol,
                "{text}({x}) = {got}, want {want}"
            );
        }
    }
}

/// Central difference of `f` at `x`, fourth order.
fn slope(f: impl Fn(f64) -> f64, x: f64, h: f64) -> f64 {
    (f(x - 2.0 * h) - 8.0 * f(x - h) + 8.0 * f(x + h) - f(x + 2.0 * h)) / (12.0 * h)
}

#[test]
fn derivatives_match_finite_differences() {
    // Non-default parameters, so that parameters reach every formula.
    let texts = [
        "leaky_relu(negative_slope=0.3)",
        "prelu(alpha=-0.4)",
        "rrelu(lower=0.1, upper=0.6)",
        "elu(alpha=1.5)",
        "celu(alpha=0.7)",
        "swish(beta=1.3)",
        "softplus(beta=1.7, threshold=5)",
        "hardtanh(min_val=-2.5, max_val=1.5)",
        "softshrink(lambd=0.3)",
        "hardshrink(lambd=0.3)",
        "threshold(threshold=0.2, value=-1.5)",
        "squareplus(b=2.5)",
        "snake(alpha=0.6)",
    ];
    let all = Builtin::<f64>::all()
        .into_iter()
        .chain(texts.iter().map(|t| parse(t)));
    for a in all {
        let text = a.to_string();
        for x in smooth_points() {
            // Skip the parameter-dependent kinks of the examples above.
            if [0.3, 0.2, -2.5, 1.5, 5.0 / 1.7]
                .iter()
                .any(|k| (x - k).abs() < 0.01 || (x + k).abs() < 0.01)
            {
                continue;
            }
            let d = slope(|t| a.forward(t), x, 1e-3);
            let got = a.derivative(x);
            assert!(
                (got - d).abs() <= 1e-8 * d.abs().max(1.0),
                "{text}'({x}) = {got}, fd {d}"
            );
            let dd = slope(|t| a.derivative(t), x, 1e-3);
            let got = a.second_derivative(x);
            assert!(
                (got - dd).abs() <= 1e-7 * dd.abs().max(1.0),
                "{text}''({x}) = {got}, fd {dd}"
            );
            let values: Vec<f64> = a.info().params.iter().map(|p| p.default).collect();
            for (i, p) in a.info().params.iter().enumerate() {
                let at = |v: f64| -> f64 {
                    let mut b = a;
                    set_param(&mut b, i, v);
                    b.forward(x)
                };
                let current = param_value(&a, i);
                let d = slope(at, current, 1e-4);
                let got = a.param_derivative(i, x);
                assert!(
                    (got - d).abs() <= 1e-7 * d.abs().max(1.0),
                    "{text} ∂/∂{}({x}) = {got}, fd {d} (defaults {values:?})",
                    p.name
                );
            }
        }
    }
}

/// The value of parameter `i`, read back through the text form.
fn param_value(a: &Builtin<f64>, i: usize) -> f64 {
    let name = &a.info().params[i].name;
    let text = a.to_string();
    let pattern = format!("{name}=");
    match text.find(&pattern) {
        Some(at) => text[at + pattern.len()..]
            .split([',', ')'])
            .next()
            .and_then(|v| v.parse().ok())
            .unwrap_or(f64::NAN),
        None => a.info().params[i].default,
    }
}

/// Sets parameter `i` through the text form, bypassing no constraint.
fn set_param(a: &mut Builtin<f64>, i: usize, v: f64) {
    let values: Vec<String> = (0..a.info().params.len())
        .map(|k| {
            let value = if k == i { v } else { param_value(a, k) };
            format!("{}={value:?}", a.info().params[k].name)
        })
        .collect();
    let text = format!("{}({})", a.name(), values.join(", "));
    *a = parse(&text);
}

fn check_nan<T: Real + std::str::FromStr>() {
    let nan = T::from_f64(f64::NAN);
    let one = T::from_f64(1.0);
    for a in Builtin::<T>::all() {
        let text = a.to_string();
        assert!(a.forward(nan).is_nan(), "{text} forward");
        assert!(a.derivative(nan).is_nan(), "{text} derivative");
        assert!(
            a.second_derivative(nan).is_nan(),
            "{text} second derivative"
        );
        let (f, d) = a.forward_and_derivative(nan);
        assert!(f.is_nan() && d.is_nan(), "{text} forward_and_derivative");
        let n = a.info().params.len();
        for i in 0..n {
            assert!(a.param_derivative(i, nan).is_nan(), "{text} ∂p{i}");
        }
        // Slices longer than a kernel chunk, with the NaN in the middle.
        let mut x = vec![one; 1100];
        x[700] = nan;
        let mut y = vec![T::default(); x.len()];
        a.forward_slice(&x, &mut y);
        assert!(y[700].is_nan() && !y[699].is_nan(), "{text} forward_slice");
        let mut z = x.clone();
        a.forward_in_place(&mut z);
        assert!(z[700].is_nan(), "{text} forward_in_place");
        let mut g = vec![T::default(); x.len()];
        a.backward_slice(&x, &vec![one; x.len()], &mut g);
        assert!(g[700].is_nan(), "{text} backward_slice");
        let (mut y2, mut g2) = (y.clone(), g.clone());
        a.forward_backward_slice(&x, &vec![one; x.len()], &mut y2, &mut g2);
        assert!(
            y2[700].is_nan() && g2[700].is_nan(),
            "{text} forward_backward_slice"
        );
        for i in 0..n {
            assert!(
                a.param_gradient_sum(i, &x, &vec![one; x.len()]).is_nan(),
                "{text} param_gradient_sum {i}"
            );
        }
        // A NaN parameter: through the text form where no constraint names it.
        for p in a.info().params.iter() {
            let with_nan = format!("{}({}=NaN)", a.name(), p.name);
            match with_nan.parse::<Builtin<T>>() {
                Ok(b) => {
                    for x in [-2.0, -0.5, 0.0, 0.5, 2.0, 30.0] {
                        let x = T::from_f64(x);
                        assert!(b.forward(x).is_nan(), "{with_nan} at {x:?}");
                        assert!(b.derivative(x).is_nan(), "{with_nan}' at {x:?}");
                        assert!(b.second_derivative(x).is_nan(), "{with_nan}'' at {x:?}");
                        for i in 0..n {
                            assert!(b.param_derivative(i, x).is_nan(), "{with_nan} ∂p{i}");
                        }
                    }
                }
                Err(e) => assert!(e.to_string().contains("NaN"), "{with_nan}: {e}"),
            }
        }
    }
}

#[test]
fn nan_in_gives_nan_out_from_every_method_f32() {
    check_nan::<f32>();
}

#[test]
fn nan_in_gives_nan_out_from_every_method_f64() {
    check_nan::<f64>();
}

#[test]
fn constrained_parameters_set_to_nan_directly_still_give_nan() {
    let nan = f64::NAN;
    let all: [&dyn Activation<f64>; 5] = [
        &Celu { alpha: nan },
        &Softplus {
            beta: nan,
            threshold: 20.0,
        },
        &Squareplus { b: nan },
        &Snake { alpha: nan },
        &Hardtanh {
            min_val: nan,
            max_val: 1.0,
        },
    ];
    for a in all {
        for x in [-2.0, 0.0, 2.0] {
            assert!(a.forward(x).is_nan(), "{}", a.info().name);
            assert!(a.derivative(x).is_nan(), "{}", a.info().name);
        }
    }
}

#[test]
fn huge_inputs_give_limits_not_nan() {
    for a in Builtin::<f32>::all() {
        for x in [
            1e30f32,
            -1e30,
            f32::MAX,
            -f32::MAX,
            f32::INFINITY,
            f32::NEG_INFINITY,
        ] {
            for (what, v) in [
                ("f", a.forward(x)),
                ("f'", a.derivative(x)),
                ("f''", a.second_derivative(x)),
            ] {
                assert!(!v.is_nan(), "{a} {what}({x}) is NaN");
            }
        }
    }
    for a in Builtin::<f64>::all() {
        for x in [
            1e300,
            -1e300,
            f64::MAX,
            -f64::MAX,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ] {
            for (what, v) in [
                ("f", a.forward(x)),
                ("f'", a.derivative(x)),
                ("f''", a.second_derivative(x)),
            ] {
                assert!(!v.is_nan(), "{a} {what}({x}) is NaN");
            }
        }
    }
    assert_eq!(Gelu.forward(-1e30f32), 0.0);
    assert_eq!(Gelu.derivative(1e30f32), 1.0);
    assert_eq!(GeluTanh.derivative(-1e30f64), 0.0);
    assert_eq!(GeluTanh.second_derivative(1e30f64), 0.0);
    assert_eq!(TanhExp.derivative(100.0f32), 1.0);
    assert_eq!(Softsign.forward(f64::INFINITY), 1.0);
    assert_eq!(Squareplus::<f32>::default().forward(3e38), 3e38);
    // b / (4|x|), a subnormal, rather than 0 from an overflowing 2·(r - x).
    let tail = Squareplus::<f32>::default().forward(-3e38);
    assert!((f64::from(tail) - 4.0 / 12e38).abs() < 1e-44, "{tail}");
}

#[test]
fn tanhshrink_is_accurate_near_zero() {
    // x - tanh(x) = x³/3 - 2x⁵/15 + ...: the direct difference would be 0 or noise.
    for x in [1e-20f64, 1e-8, 1e-3] {
        let series = x * x * x / 3.0 - 2.0 * x.powi(5) / 15.0 + 17.0 * x.powi(7) / 315.0;
        let got = Tanhshrink.forward(x);
        assert!(
            (got - series).abs() <= 1e-15 * series,
            "{x}: {got} vs {series}"
        );
        let d = x.tanh().powi(2);
        assert!((Tanhshrink.derivative(x) - d).abs() <= 1e-15 * d, "{x}");
    }
    for x in [1e-3f32, -0.2, 0.7] {
        let w = f64::from(x);
        let want = w - w.tanh();
        assert!(close(Tanhshrink.forward(x), want, 2.0), "{x}");
        assert!(
            close(Tanhshrink.derivative(x), w.tanh().powi(2), 2.0),
            "{x}"
        );
    }
}

#[test]
fn constraints_are_checked_by_try_new_and_new() {
    assert_eq!(
        Celu::<f32>::try_new(0.0).unwrap_err().to_string(),
        "Celu: alpha must be != 0, got 0"
    );
    assert!(Celu::<f32>::try_new(-0.5).is_ok());
    assert_eq!(
        Hardtanh::<f64>::try_new(2.0, -2.0).unwrap_err().to_string(),
        "Hardtanh: min_val must be <= max_val, got min_val = 2, max_val = -2"
    );
    assert!(Hardtanh::<f64>::try_new(1.0, 1.0).is_ok());
    assert_eq!(
        Softshrink::<f32>::try_new(-0.1).unwrap_err().to_string(),
        "Softshrink: lambd must be >= 0, got -0.1"
    );
    let e = Rrelu::<f32>::try_new(0.5, 0.1).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Rrelu: lower must be <= upper, got lower = 0.5, upper = 0.1"
    );
    assert_eq!((e.activation(), e.parameter()), ("Rrelu", "lower"));
    assert_eq!(e.requirement(), "lower must be <= upper");
    assert_eq!(e.got(), "lower = 0.5, upper = 0.1");
    assert_eq!(
        Softplus::<f32>::try_new(0.0, 20.0).unwrap_err().to_string(),
        "Softplus: beta must be != 0, got 0"
    );
    assert_eq!(
        Squareplus::<f32>::try_new(0.0).unwrap_err().to_string(),
        "Squareplus: b must be > 0, got 0"
    );
    assert_eq!(
        Snake::<f64>::try_new(f64::NAN).unwrap_err().to_string(),
        "Snake: alpha must be != 0, got NaN"
    );
    // Unconstrained parameters take any value, NaN included (it propagates).
    assert!(LeakyRelu::<f32>::try_new(f32::NAN).is_ok());
    assert!(Prelu::try_new(-3.0f64).is_ok());
    let err: Box<dyn std::error::Error> = Box::new(Celu::<f32>::try_new(0.0).unwrap_err());
    assert_eq!(err.to_string(), "Celu: alpha must be != 0, got 0");
}

#[test]
#[should_panic(expected = "Celu: alpha must be != 0, got 0")]
fn new_panics_with_the_constraint_message() {
    let _ = Celu::new(0.0f32);
}

#[test]
fn every_builtin_prints_and_parses_back() {
    let names = Builtin::<f32>::names();
    assert_eq!(names.len(), 29, "{names:?}");
    for name in &names {
        let a: Builtin = parse(name);
        assert_eq!(a.name(), *name);
    }
    for a in Builtin::<f32>::all() {
        let text = a.to_string();
        assert_eq!(parse::<f32>(&text), a, "{text}");
        assert_eq!(
            a.info().name,
            format!("{:?}", a).split('(').next().unwrap_or("")
        );
    }
    for a in Builtin::<f64>::all() {
        assert_eq!(parse::<f64>(&a.to_string()), a);
    }
}

#[test]
fn parameters_print_in_their_own_precision_and_round_trip() {
    let cases = [
        (
            "leaky_relu(negative_slope=0.2)",
            "leaky_relu(negative_slope=0.2)",
        ),
        ("leaky_relu(0.2)", "leaky_relu(negative_slope=0.2)"),
        ("leaky_relu(negative_slope=0.01)", "leaky_relu"),
        (
            "LeakyReLU( negative_slope = 0.2 )",
            "leaky_relu(negative_slope=0.2)",
        ),
        (
            "hardtanh(min_val=-2, max_val=2)",
            "hardtanh(min_val=-2, max_val=2)",
        ),
        ("hardtanh(-2.0, 2.0)", "hardtanh(min_val=-2, max_val=2)"),
        ("hardtanh(max_val=2)", "hardtanh(max_val=2)"),
        ("gelu", "gelu"),
        ("gelu(approximate=none)", "gelu"),
        ("gelu(approximate='none')", "gelu"),
        ("gelu(approximate=tanh)", "gelu(approximate=tanh)"),
        ("GELU(approximate=\"tanh\")", "gelu(approximate=tanh)"),
        (
            "softplus(beta=2, threshold=10,)",
            "softplus(beta=2, threshold=10)",
        ),
        ("rrelu(lower=0.1, upper=0.3)", "rrelu(lower=0.1, upper=0.3)"),
        (
            "threshold(threshold=0.5, value=-1)",
            "threshold(threshold=0.5, value=-1)",
        ),
        ("prelu(alpha=1e-7)", "prelu(alpha=1e-7)"),
        ("prelu(alpha=-0)", "prelu(alpha=-0)"),
        ("elu(alpha=inf)", "elu(alpha=inf)"),
        ("snake(alpha=0.3333333)", "snake(alpha=0.3333333)"),
        ("QuickGELU", "quick_gelu"),
        ("log_sigmoid", "logsigmoid"),
        ("SiLU", "silu"),
        ("relu()", "relu"),
    ];
    for (text, canonical) in cases {
        let a: Builtin = parse(text);
        assert_eq!(a.to_string(), canonical, "{text}");
        assert_eq!(parse::<f32>(canonical), a, "{text}");
    }
    // f32 values print as f32, not as their f64 expansion.
    assert_eq!(
        Builtin::from(LeakyRelu::new(0.1f32)).to_string(),
        "leaky_relu(negative_slope=0.1)"
    );
    let b: Builtin<f64> = parse("snake(alpha=0.1)");
    assert_eq!(b, Builtin::Snake(Snake::new(0.1)));
    assert_eq!(b.to_string(), "snake(alpha=0.1)");
}

fn error(text: &str) -> String {
    match text.parse::<Builtin>() {
        Ok(a) => panic!("`{text}` parsed as {a}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn bad_names_parameters_and_values_say_what_is_valid() {
    assert_eq!(
        error("lekay_relu"),
        "unknown activation `lekay_relu`; did you mean `leaky_relu`?"
    );
    assert_eq!(
        error("rleu"),
        "unknown activation `rleu`; did you mean `relu`?"
    );
    assert_eq!(
        error("eelu"),
        "unknown activation `eelu`; did you mean `relu`, `elu` or `selu`?"
    );
    assert!(error("banana")
        .starts_with("unknown activation `banana`; the activations are relu, relu6, leaky_relu,"));
    assert_eq!(
        error("leaky_relu(negative_slop=0.2)"),
        "`leaky_relu` has no parameter `negative_slop`; did you mean `negative_slope`?"
    );
    assert_eq!(
        error("hardtanh(min=0)"),
        "`hardtanh` has no parameter `min`; its parameters are `min_val` and `max_val`"
    );
    assert_eq!(
        error("relu(inplace=True)"),
        "`relu` takes no parameters, but `inplace` was given"
    );
    assert_eq!(
        error("gelu(approx=tanh)"),
        "`gelu` has no parameter `approx`; its parameter is `approximate`"
    );
    assert_eq!(
        error("gelu(approximate=fast)"),
        "`approximate` of `gelu` must be `none` or `tanh`, got `fast`"
    );
    assert_eq!(
        error("leaky_relu(negative_slope=big)"),
        "`negative_slope` of `leaky_relu` must be a number, got `big`"
    );
    assert_eq!(
        error("leaky_relu(0.1, negative_slope=0.2)"),
        "`negative_slope` of `leaky_relu` is given twice"
    );
    assert_eq!(
        error("leaky_relu(0.1, 0.2)"),
        "`leaky_relu` takes 1 parameter, but 2 arguments were given"
    );
    assert_eq!(
        error("hardtanh(max_val=1, 2)"),
        "positional argument `2` after a named one in `hardtanh(max_val=1, 2)`"
    );
    assert_eq!(
        error("leaky_relu(negative_slope=0.2"),
        "expected `)` at the end of `leaky_relu(negative_slope=0.2`, like `leaky_relu(negative_slope=0.2)`"
    );
    assert_eq!(
        error("(negative_slope=0.2)"),
        "expected an activation's name in `(negative_slope=0.2)`, like `relu` or `leaky_relu(negative_slope=0.2)`"
    );
    assert_eq!(error("elu(1,,2)"), "empty argument in `elu(1,,2)`");
}

/// A value the type cannot hold is refused, not made ±inf or 0 (which became another
/// parameter, or a constraint's error about a value the text does not hold), as
/// `Dynamic` refuses it; written infinities and zeros are values.
#[test]
fn values_out_of_the_types_range_are_parse_errors() {
    assert_eq!(
        error("leaky_relu(negative_slope=1e39)"),
        "`negative_slope` of `leaky_relu` must be a number within f32's range (its largest value is about 3.4e38), got `1e39`"
    );
    assert_eq!(
        error("celu(alpha=-1e-50)"),
        "`alpha` of `celu` must be a number that does not round to 0 in f32 (its smallest positive value is about 1.4e-45), got `-1e-50`"
    );
    let wide = |text: &str| match text.parse::<Builtin<f64>>() {
        Ok(b) => panic!("{text} parsed as {b}"),
        Err(e) => e.to_string(),
    };
    assert_eq!(
        wide("snake(alpha=1e-400)"),
        "`alpha` of `snake` must be a number that does not round to 0 in f64 (its smallest positive value is about 4.9e-324), got `1e-400`"
    );
    assert!(wide("elu(alpha=2e308)").contains("within f64's range"));
    // f64 holds what f32 does not; written infinities and zeros are values.
    let b: Builtin<f64> = "leaky_relu(negative_slope=1e39)"
        .parse()
        .expect("f64 holds it");
    assert_eq!(b.param(0), 1e39);
    for text in [
        "leaky_relu(negative_slope=inf)",
        "leaky_relu(negative_slope=-Infinity)",
        "leaky_relu(negative_slope=0.0e-50)",
        "leaky_relu(negative_slope=1e-45)",
    ] {
        assert!(text.parse::<Builtin>().is_ok(), "{text}");
    }
}

#[test]
fn constraint_violations_are_parse_errors() {
    assert_eq!(error("celu(alpha=0)"), "celu: alpha must be != 0, got 0");
    assert_eq!(
        error("hardtanh(min_val=2, max_val=-2)"),
        "hardtanh: min_val must be <= max_val, got min_val = 2, max_val = -2"
    );
    assert_eq!(
        error("softshrink(lambd=-1)"),
        "softshrink: lambd must be >= 0, got -1"
    );
    assert_eq!(
        error("rrelu(lower=0.5)"),
        "rrelu: lower must be <= upper, got lower = 0.5, upper = 0.33333334"
    );
    assert_eq!(
        error("squareplus(b=NaN)"),
        "squareplus: b must be > 0, got NaN"
    );
    match "celu(alpha=0)".parse::<Builtin>() {
        Err(ParseBuiltinError::Constraint(e)) => assert_eq!(e.parameter(), "alpha"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn builtin_delegates_every_method() {
    let x: Vec<f32> = (0..2000).map(|i| (i as f32 - 1000.0) * 0.011).collect();
    let g: Vec<f32> = (0..2000).map(|i| ((i * 7) % 11) as f32 - 5.0).collect();
    let direct = Prelu::new(0.3f32);
    let chosen: Builtin = parse("prelu(alpha=0.3)");
    assert_eq!(chosen.info().name, "Prelu");
    let (mut y1, mut y2) = (vec![0.0; x.len()], vec![0.0; x.len()]);
    direct.forward_slice(&x, &mut y1);
    chosen.forward_slice(&x, &mut y2);
    assert_eq!(y1, y2);
    direct.backward_slice(&x, &g, &mut y1);
    chosen.backward_slice(&x, &g, &mut y2);
    assert_eq!(y1, y2);
    assert_eq!(
        direct.param_gradient_sum(0, &x, &g),
        chosen.param_gradient_sum(0, &x, &g)
    );
    for &v in &x[..50] {
        assert_eq!(direct.forward(v), chosen.forward(v));
        assert_eq!(direct.derivative(v), chosen.derivative(v));
        assert_eq!(direct.second_derivative(v), chosen.second_derivative(v));
        assert_eq!(direct.param_derivative(0, v), chosen.param_derivative(0, v));
    }
}

#[test]
fn serde_uses_the_text_form() {
    let a: Builtin = parse("hardtanh(min_val=-2, max_val=2)");
    let json = serde_json::to_string(&a).expect("serializes");
    assert_eq!(json, "\"hardtanh(min_val=-2, max_val=2)\"");
    let back: Builtin = serde_json::from_str(&json).expect("deserializes");
    assert_eq!(back, a);
    let list: Vec<Builtin<f64>> =
        serde_json::from_str(r#"["relu", "gelu(approximate=tanh)", "celu(alpha=2)"]"#)
            .expect("deserializes");
    assert_eq!(list[1], Builtin::GeluTanh(GeluTanh));
    let e = serde_json::from_str::<Builtin>("\"celu(alpha=0)\"").unwrap_err();
    assert!(
        e.to_string().starts_with("celu: alpha must be != 0, got 0"),
        "{e}"
    );
}
