//! The seed built-ins' slice kernels against hand-written loops of the same formulas,
//! a plain copy, and forward-mode dual numbers.
//!
//! One group per (activation, direction, dtype), e.g. `mish/backward/f32`, each with
//! these functions at 2^10, 2^20 and 2^24 elements:
//!
//! - `actdiff`: the built-in's generated kernel (`forward_slice` or `backward_slice`),
//! - `hand`: a plain Rust loop of the same formula, written out by hand (std math,
//!   compiled for the build target: no run-time AVX2 dispatch),
//! - `copy`: `y.copy_from_slice(&x)`, the memory-bound reference,
//! - `dual` (backward only): `f'(x)` from the forward formula evaluated on `num-dual`
//!   dual numbers, the usual alternative to symbolic derivatives.
//!
//! `prelu/backward+alpha` adds PReLU's learned-parameter gradient:
//! `backward_slice_with_param_gradient` against one hand-written loop doing both,
//! and against `two_pass`: `backward_slice`, then `param_gradient_sum`.
//!
//! Run: `cargo bench --bench seeds` (192 benchmarks, about 6 minutes with the build
//! on a busy 2-core machine; the 2^24 sizes take fewer, flat samples), or restrict it with criterion's filter, a regular
//! expression searched in the full name (`group/function/size`):
//! `cargo bench --bench seeds -- mish`, `cargo bench --bench seeds -- '^relu/forward/f32'`
//! (without the `^`, `relu` also matches `leaky_relu` and `prelu`),
//! `cargo bench --bench seeds -- '/2\^20$'`.

use actdiff::{Activation, LeakyRelu, Mish, Prelu, Real, Relu};
use criterion::{
    criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput,
};
use num_dual::{Dual, DualNum};
use std::hint::black_box;
use std::time::Duration;

/// Slice lengths, as powers of two: one in L1, one past L2, one past L3 (per core).
const SIZES: [u32; 3] = [10, 20, 24];
/// From this size on, a group takes fewer samples of a fixed iteration count, so that
/// the whole bench stays within minutes.
const LARGE: u32 = 24;
/// Leaky ReLU's default negative slope.
const LEAKY_SLOPE: f64 = 0.01;
/// PReLU's default alpha.
const PRELU_ALPHA: f64 = 0.25;

/// A float type the benchmark runs in, with its hand-written reference loops.
trait Float: Real {
    const NAME: &'static str;
    /// Tolerance, relative with an absolute floor of the same size, within which
    /// the hand-written loops must agree with the generated kernels.
    const TOLERANCE: f64;

    fn relu_fwd(x: &[Self], y: &mut [Self]);
    fn relu_bwd(x: &[Self], g: &[Self], gin: &mut [Self]);
    fn leaky_fwd(slope: Self, x: &[Self], y: &mut [Self]);
    fn leaky_bwd(slope: Self, x: &[Self], g: &[Self], gin: &mut [Self]);
    fn mish_fwd(x: &[Self], y: &mut [Self]);
    fn mish_bwd(x: &[Self], g: &[Self], gin: &mut [Self]);
    /// PReLU's backward and its alpha gradient in one loop; returns the gradient.
    fn prelu_bwd_alpha(alpha: Self, x: &[Self], g: &[Self], gin: &mut [Self]) -> Self;

    /// The backward passes by forward-mode dual numbers: the forward formula on
    /// `x + ε`, whose `ε` part is `f'(x)`.
    fn relu_dual(x: &[Self], g: &[Self], gin: &mut [Self]);
    fn leaky_dual(slope: Self, x: &[Self], g: &[Self], gin: &mut [Self]);
    fn mish_dual(x: &[Self], g: &[Self], gin: &mut [Self]);
}

macro_rules! hand_written {
    ($t:ident, $tol:expr) => {
        impl Float for $t {
            const NAME: &'static str = stringify!($t);
            const TOLERANCE: f64 = $tol;

            fn relu_fwd(x: &[$t], y: &mut [$t]) {
                for (&x, y) in x.iter().zip(y.iter_mut()) {
                    *y = if x > 0.0 { x } else { 0.0 };
                }
            }

            fn relu_bwd(x: &[$t], g: &[$t], gin: &mut [$t]) {
                for ((&x, &g), gin) in x.iter().zip(g).zip(gin.iter_mut()) {
                    *gin = g * if x > 0.0 { 1.0 } else { 0.0 };
                }
            }

            // Leaky ReLU and PReLU share these loops: the same formula, a different
            // slope (PReLU's alpha is a learned parameter, not a different function).
            fn leaky_fwd(slope: $t, x: &[$t], y: &mut [$t]) {
                for (&x, y) in x.iter().zip(y.iter_mut()) {
                    *y = if x > 0.0 { x } else { slope * x };
                }
            }

            fn leaky_bwd(slope: $t, x: &[$t], g: &[$t], gin: &mut [$t]) {
                for ((&x, &g), gin) in x.iter().zip(g).zip(gin.iter_mut()) {
                    *gin = g * if x > 0.0 { 1.0 } else { slope };
                }
            }

            // mish(x) = x * tanh(softplus(x)), with the stable
            // softplus(x) = max(x, 0) + ln(1 + e^-|x|).
            fn mish_fwd(x: &[$t], y: &mut [$t]) {
                for (&x, y) in x.iter().zip(y.iter_mut()) {
                    let softplus = x.max(0.0) + (-x.abs()).exp().ln_1p();
                    *y = x * softplus.tanh();
                }
            }

            // mish'(x) = tanh(sp) + x * (1 - tanh(sp)^2) * sigmoid(x), sp = softplus(x),
            // with the stable sigmoid sharing e^-|x| with the softplus.
            fn mish_bwd(x: &[$t], g: &[$t], gin: &mut [$t]) {
                for ((&x, &g), gin) in x.iter().zip(g).zip(gin.iter_mut()) {
                    let e = (-x.abs()).exp();
                    let softplus = x.max(0.0) + e.ln_1p();
                    let sigmoid = if x >= 0.0 {
                        1.0 / (1.0 + e)
                    } else {
                        e / (1.0 + e)
                    };
                    let t = softplus.tanh();
                    *gin = g * (t + x * (1.0 - t * t) * sigmoid);
                }
            }

            fn prelu_bwd_alpha(alpha: $t, x: &[$t], g: &[$t], gin: &mut [$t]) -> $t {
                let mut sum = 0.0;
                for ((&x, &g), gin) in x.iter().zip(g).zip(gin.iter_mut()) {
                    let positive = x > 0.0;
                    *gin = g * if positive { 1.0 } else { alpha };
                    sum += g * if positive { 0.0 } else { x };
                }
                sum
            }

            fn relu_dual(x: &[$t], g: &[$t], gin: &mut [$t]) {
                dual_backward(
                    x,
                    g,
                    gin,
                    |d| if d.re > 0.0 { d } else { Dual::from_re(0.0) },
                );
            }

            fn leaky_dual(slope: $t, x: &[$t], g: &[$t], gin: &mut [$t]) {
                dual_backward(x, g, gin, |d| if d.re > 0.0 { d } else { d * slope });
            }

            fn mish_dual(x: &[$t], g: &[$t], gin: &mut [$t]) {
                dual_backward(x, g, gin, |d| {
                    let positive = if d.re > 0.0 { d } else { Dual::from_re(0.0) };
                    // -|x|, without `Signed` (which dual numbers implement for `abs`).
                    let neg_abs = if d.re > 0.0 { -d } else { d };
                    let softplus = positive + neg_abs.exp().ln_1p();
                    d * softplus.tanh()
                });
            }
        }
    };
}

/// `gin[i] = g[i] * f'(x[i])`, with `f'` from `f` on dual numbers.
fn dual_backward<T: Float + num_dual::DualNum<T> + num_dual::DualNumFloat>(
    x: &[T],
    g: &[T],
    gin: &mut [T],
    f: impl Fn(Dual<T, T>) -> Dual<T, T>,
) {
    for ((&x, &g), gin) in x.iter().zip(g).zip(gin.iter_mut()) {
        *gin = g * f(Dual::new(x, <T as Real>::from_f64(1.0))).eps;
    }
}

hand_written!(f32, 1e-5);
hand_written!(f64, 1e-12);

/// The throughput report's inputs (`peer_inputs`) in `T`.
fn inputs<T: Float>(n: usize) -> (Vec<T>, Vec<T>) {
    let (x, g) = actdiff_cli::throughput::peer_inputs(n);
    (
        x.into_iter().map(T::from_f64).collect(),
        g.into_iter().map(T::from_f64).collect(),
    )
}

#[derive(Clone, Copy)]
enum Direction {
    Forward,
    Backward,
    /// Backward and the gradient of the learned parameter (index 0).
    BackwardParam,
}

impl Direction {
    fn name(self) -> &'static str {
        match self {
            Direction::Forward => "forward",
            Direction::Backward => "backward",
            Direction::BackwardParam => "backward+alpha",
        }
    }
}

/// A kernel as the benchmark calls it: `(x, grad_out, out)`, returning the parameter
/// gradient for `BackwardParam` and 0 otherwise; forward ignores `grad_out`.
type Kernel<T> = Box<dyn Fn(&[T], &[T], &mut [T]) -> T>;

/// One activation in one direction: the generated kernel, the hand-written loop and,
/// going backward, the dual-number derivative, each writing `out` from `x` (and
/// `grad_out` going backward).
struct Case<T> {
    activation: &'static str,
    direction: Direction,
    generated: Kernel<T>,
    hand: Kernel<T>,
    /// More contenders by name: `dual` going backward, `two_pass` for
    /// `backward+alpha` (`backward_slice`, then `param_gradient_sum`).
    others: Vec<(&'static str, Kernel<T>)>,
}

/// A kernel that returns nothing, as a [`Kernel`].
fn plain<T: Real>(f: impl Fn(&[T], &[T], &mut [T]) + 'static) -> Kernel<T> {
    Box::new(move |x, g, out| {
        f(x, g, out);
        T::default()
    })
}

fn case<T: Float, A: Activation<T> + Clone + 'static>(
    activation: &'static str,
    direction: Direction,
    f: A,
    hand: Kernel<T>,
    dual: Option<Kernel<T>>,
) -> Case<T> {
    let mut others: Vec<(&'static str, Kernel<T>)> =
        dual.map(|d| ("dual", d)).into_iter().collect();
    if let Direction::BackwardParam = direction {
        let f = f.clone();
        others.push((
            "two_pass",
            Box::new(move |x, g, gin| {
                f.backward_slice(x, g, gin);
                f.param_gradient_sum(0, x, g)
            }),
        ));
    }
    let generated: Kernel<T> = match direction {
        Direction::Forward => plain(move |x, _g, y| f.forward_slice(x, y)),
        Direction::Backward => plain(move |x, g, gin| f.backward_slice(x, g, gin)),
        Direction::BackwardParam => {
            Box::new(move |x, g, gin| f.backward_slice_with_param_gradient(0, x, g, gin))
        }
    };
    Case {
        activation,
        direction,
        generated,
        hand,
        others,
    }
}

fn cases<T: Float>() -> Vec<Case<T>>
where
    Relu: Activation<T>,
    Mish: Activation<T>,
    LeakyRelu<T>: Activation<T> + Default,
    Prelu<T>: Activation<T> + Default,
{
    use Direction::{Backward, BackwardParam, Forward};
    let slope = T::from_f64(LEAKY_SLOPE);
    let alpha = T::from_f64(PRELU_ALPHA);
    let leaky = LeakyRelu::<T>::default;
    let prelu = Prelu::<T>::default;
    vec![
        case(
            "relu",
            Forward,
            Relu,
            plain(|x, _, y| T::relu_fwd(x, y)),
            None,
        ),
        case(
            "relu",
            Backward,
            Relu,
            plain(T::relu_bwd),
            Some(plain(T::relu_dual)),
        ),
        case(
            "leaky_relu",
            Forward,
            leaky(),
            plain(move |x, _, y| T::leaky_fwd(slope, x, y)),
            None,
        ),
        case(
            "leaky_relu",
            Backward,
            leaky(),
            plain(move |x, g, gin| T::leaky_bwd(slope, x, g, gin)),
            Some(plain(move |x, g, gin| T::leaky_dual(slope, x, g, gin))),
        ),
        case(
            "prelu",
            Forward,
            prelu(),
            plain(move |x, _, y| T::leaky_fwd(alpha, x, y)),
            None,
        ),
        case(
            "prelu",
            Backward,
            prelu(),
            plain(move |x, g, gin| T::leaky_bwd(alpha, x, g, gin)),
            Some(plain(move |x, g, gin| T::leaky_dual(alpha, x, g, gin))),
        ),
        case(
            "prelu",
            BackwardParam,
            prelu(),
            Box::new(move |x, g, gin| T::prelu_bwd_alpha(alpha, x, g, gin)),
            None,
        ),
        case(
            "mish",
            Forward,
            Mish,
            plain(|x, _, y| T::mish_fwd(x, y)),
            None,
        ),
        case(
            "mish",
            Backward,
            Mish,
            plain(T::mish_bwd),
            Some(plain(T::mish_dual)),
        ),
    ]
}

/// Panics unless `other` (the hand-written loop or the dual numbers) computes what
/// the generated kernel does, so that the timings compare the same work.
fn check_agreement<T: Float>(
    group: &str,
    x: &[T],
    g: &[T],
    generated: &Kernel<T>,
    other: &Kernel<T>,
) {
    let mut want = vec![T::default(); x.len()];
    let mut got = vec![T::default(); x.len()];
    let want_sum = generated(x, g, &mut want).to_f64();
    let got_sum = other(x, g, &mut got).to_f64();
    for ((&xi, &w), &h) in x.iter().zip(&want).zip(&got) {
        let (w, h) = (w.to_f64(), h.to_f64());
        let tolerance = T::TOLERANCE * w.abs().max(1.0);
        assert!(
            (w - h).abs() <= tolerance,
            "{group}: the other loop gives {h:e} at x = {xi:?}, the generated kernel {w:e}"
        );
    }
    // Sums of many terms in different orders: the tolerance scales with the size of
    // the terms and the square root of their number (rounding errors of random sign).
    let terms: f64 = x
        .iter()
        .zip(g)
        .map(|(a, b)| (a.to_f64() * b.to_f64()).abs())
        .sum();
    let tolerance = T::TOLERANCE * terms.max(1.0) * (x.len() as f64).sqrt();
    assert!(
        (want_sum - got_sum).abs() <= tolerance,
        "{group}: parameter gradient {got_sum:e} against the generated {want_sum:e}"
    );
}

fn bench_dtype<T: Float>(c: &mut Criterion)
where
    Relu: Activation<T>,
    Mish: Activation<T>,
    LeakyRelu<T>: Activation<T> + Default,
    Prelu<T>: Activation<T> + Default,
{
    let inputs: Vec<(u32, Vec<T>, Vec<T>)> = SIZES
        .iter()
        .map(|&k| {
            let (x, g) = inputs::<T>(1 << k);
            (k, x, g)
        })
        .collect();
    for case in cases::<T>() {
        let name = format!("{}/{}/{}", case.activation, case.direction.name(), T::NAME);
        let mut group = c.benchmark_group(&name);
        for (k, x, g) in &inputs {
            if *k >= LARGE {
                group
                    .sampling_mode(SamplingMode::Flat)
                    .warm_up_time(Duration::from_millis(300))
                    .measurement_time(Duration::from_secs(1))
                    .sample_size(10);
            } else {
                group
                    .sampling_mode(SamplingMode::Auto)
                    .warm_up_time(Duration::from_millis(200))
                    .measurement_time(Duration::from_millis(500))
                    .sample_size(20);
            }
            let n = x.len();
            check_agreement(&name, x, g, &case.generated, &case.hand);
            for (_, other) in &case.others {
                check_agreement(&name, x, g, &case.generated, other);
            }
            let mut out = vec![T::default(); n];
            let size = format!("2^{k}");
            group.throughput(Throughput::Elements(n as u64));
            group.bench_function(BenchmarkId::new("actdiff", &size), |b| {
                b.iter(|| (case.generated)(black_box(x), black_box(g), black_box(&mut out)))
            });
            group.bench_function(BenchmarkId::new("hand", &size), |b| {
                b.iter(|| (case.hand)(black_box(x), black_box(g), black_box(&mut out)))
            });
            for (other_name, other) in &case.others {
                group.bench_function(BenchmarkId::new(*other_name, &size), |b| {
                    b.iter(|| other(black_box(x), black_box(g), black_box(&mut out)))
                });
            }
            group.bench_function(BenchmarkId::new("copy", &size), |b| {
                b.iter(|| black_box(&mut out[..]).copy_from_slice(black_box(x)))
            });
        }
        group.finish();
    }
}

fn seeds(c: &mut Criterion) {
    bench_dtype::<f32>(c);
    bench_dtype::<f64>(c);
}

criterion_group! {
    name = benches;
    // Fewer bootstrap resamples than the default 100,000: the analysis of each of the
    // 192 benchmarks then takes a fraction of its measurement on a busy machine.
    config = Criterion::default().nresamples(10_000);
    targets = seeds
}
criterion_main!(benches);
