//! The seed built-ins' slice kernels against hand-written loops of the same formulas.
//!
//! One group per (activation, direction, dtype), e.g. `mish/backward/f32`, each with
//! three functions at 2^10 and 2^20 elements:
//!
//! - `actdiff`: the built-in's generated kernel (`forward_slice` or `backward_slice`),
//! - `hand`: a plain Rust loop of the same formula, written out by hand (std math,
//!   compiled for the build target: no run-time AVX2 dispatch),
//! - `copy`: `y.copy_from_slice(&x)`, the memory-bound reference.
//!
//! Run: `cargo bench --bench seeds` (96 benchmarks, about six minutes), or restrict
//! it with criterion's filter, a regular expression searched in the full name
//! (`group/function/size`): `cargo bench --bench seeds -- mish`,
//! `cargo bench --bench seeds -- '^relu/forward/f32'` (without the `^`, `relu` also
//! matches `leaky_relu` and `prelu`), `cargo bench --bench seeds -- '/2\^20$'`.

use actdiff::{Activation, LeakyRelu, Mish, Prelu, Real, Relu};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::hint::black_box;
use std::time::Duration;

/// Slice lengths, as powers of two: one in cache, one past L2.
const SIZES: [u32; 2] = [10, 20];
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
        }
    };
}

hand_written!(f32, 1e-5);
hand_written!(f64, 1e-12);

/// xorshift64*: a tiny deterministic generator, so the benchmark needs no `rand`.
struct XorShift(u64);

impl XorShift {
    /// Uniform in [0, 1).
    fn uniform(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    }

    /// About N(0, sd^2) (the sum of four uniforms, scaled to that variance), clamped
    /// to [-3 sd, 3 sd].
    fn normal(&mut self, sd: f64) -> f64 {
        let sum: f64 = (0..4).map(|_| self.uniform()).sum::<f64>() - 2.0;
        // Four uniforms on [0, 1) have variance 4/12 = 1/3.
        (sum * 3f64.sqrt() * sd).clamp(-3.0 * sd, 3.0 * sd)
    }
}

/// `x ~ N(0, 4^2)` in [-12, 12] and `grad_out ~ N(0, 1)`, as the peers use
/// (`torch.randn(n) * 4`, `torch.randn(n)`).
fn inputs<T: Float>(n: usize) -> (Vec<T>, Vec<T>) {
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15 ^ n as u64);
    let x = (0..n).map(|_| T::from_f64(rng.normal(4.0))).collect();
    let g = (0..n).map(|_| T::from_f64(rng.normal(1.0))).collect();
    (x, g)
}

#[derive(Clone, Copy)]
enum Direction {
    Forward,
    Backward,
}

impl Direction {
    fn name(self) -> &'static str {
        match self {
            Direction::Forward => "forward",
            Direction::Backward => "backward",
        }
    }
}

/// A kernel as the benchmark calls it: `(x, grad_out, out)`; forward ignores
/// `grad_out`.
type Kernel<T> = Box<dyn Fn(&[T], &[T], &mut [T])>;

/// One activation in one direction: the generated kernel and the hand-written loop,
/// both writing `out` from `x` (and `grad_out` going backward).
struct Case<T> {
    activation: &'static str,
    direction: Direction,
    generated: Kernel<T>,
    hand: Kernel<T>,
}

fn case<T: Float, A: Activation<T> + 'static>(
    activation: &'static str,
    direction: Direction,
    f: A,
    hand: impl Fn(&[T], &[T], &mut [T]) + 'static,
) -> Case<T> {
    let generated: Kernel<T> = match direction {
        Direction::Forward => Box::new(move |x, _g, y| f.forward_slice(x, y)),
        Direction::Backward => Box::new(move |x, g, gin| f.backward_slice(x, g, gin)),
    };
    Case {
        activation,
        direction,
        generated,
        hand: Box::new(hand),
    }
}

fn cases<T: Float>() -> Vec<Case<T>>
where
    Relu: Activation<T>,
    Mish: Activation<T>,
    LeakyRelu<T>: Activation<T> + Default,
    Prelu<T>: Activation<T> + Default,
{
    use Direction::{Backward, Forward};
    let slope = T::from_f64(LEAKY_SLOPE);
    let alpha = T::from_f64(PRELU_ALPHA);
    vec![
        case("relu", Forward, Relu, |x, _, y| T::relu_fwd(x, y)),
        case("relu", Backward, Relu, T::relu_bwd),
        case(
            "leaky_relu",
            Forward,
            LeakyRelu::<T>::default(),
            move |x, _, y| T::leaky_fwd(slope, x, y),
        ),
        case(
            "leaky_relu",
            Backward,
            LeakyRelu::<T>::default(),
            move |x, g, gin| T::leaky_bwd(slope, x, g, gin),
        ),
        case("prelu", Forward, Prelu::<T>::default(), move |x, _, y| {
            T::leaky_fwd(alpha, x, y)
        }),
        case(
            "prelu",
            Backward,
            Prelu::<T>::default(),
            move |x, g, gin| T::leaky_bwd(alpha, x, g, gin),
        ),
        case("mish", Forward, Mish, |x, _, y| T::mish_fwd(x, y)),
        case("mish", Backward, Mish, T::mish_bwd),
    ]
}

/// Panics unless the hand-written loop computes what the generated kernel does, so
/// the two timings compare the same work.
fn check_agreement<T: Float>(group: &str, x: &[T], g: &[T], case: &Case<T>) {
    let mut want = vec![T::default(); x.len()];
    let mut got = vec![T::default(); x.len()];
    (case.generated)(x, g, &mut want);
    (case.hand)(x, g, &mut got);
    for ((&xi, &w), &h) in x.iter().zip(&want).zip(&got) {
        let (w, h) = (w.to_f64(), h.to_f64());
        let tolerance = T::TOLERANCE * w.abs().max(1.0);
        assert!(
            (w - h).abs() <= tolerance,
            "{group}: the hand-written loop gives {h:e} at x = {xi:?}, the generated kernel {w:e}"
        );
    }
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
        group
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(2))
            .sample_size(20);
        for (k, x, g) in &inputs {
            let n = x.len();
            check_agreement(&name, x, g, &case);
            let mut out = vec![T::default(); n];
            let size = format!("2^{k}");
            group.throughput(Throughput::Elements(n as u64));
            group.bench_function(BenchmarkId::new("actdiff", &size), |b| {
                b.iter(|| (case.generated)(black_box(x), black_box(g), black_box(&mut out)))
            });
            group.bench_function(BenchmarkId::new("hand", &size), |b| {
                b.iter(|| (case.hand)(black_box(x), black_box(g), black_box(&mut out)))
            });
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

criterion_group!(benches, seeds);
criterion_main!(benches);
