//! actdiff activations as candle operations against candle's own unary operations, on a
//! CPU tensor of 2^20 f32: forward (`apply_op1` against `Tensor::relu`, `silu`,
//! `gelu_erf`); the backward step alone (`ActivationOp::bwd` against the tensor
//! expression candle 0.11.1's `backprop.rs` evaluates for its own op); and forward plus
//! backward through candle's autograd (`y.sum_all().backward()`).
//!
//! actdiff's `Gelu` is the exact, erf-based GELU, so it is compared with candle's
//! `gelu_erf` (candle's `gelu` is the tanh approximation). Both sides allocate their
//! output tensor in every iteration, as they do in a network.
//!
//! Run: `cargo bench -p actdiff --features candle --bench candle`.

use actdiff::candle::ActivationOp;
use actdiff::{Gelu, Relu, Silu};
use candle_core::{CustomOp1, Device, Result, Tensor, Var};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::time::Duration;

/// Elements per tensor.
const N: usize = 1 << 20;

/// `f(x)`.
type Forward = fn(&Tensor) -> Result<Tensor>;
/// `grad * f'(x)` from `x`, the forward result and `grad`.
type Backward = fn(&Tensor, &Tensor, &Tensor) -> Result<Tensor>;

/// One activation, as actdiff's operation and as candle's own.
struct Case {
    name: &'static str,
    actdiff: (Forward, Backward),
    candle: (Forward, Backward),
}

/// The backward step of an `ActivationOp`, as candle's autograd calls it.
fn bwd<A, B>(op: ActivationOp<A, B>, x: &Tensor, y: &Tensor, grad: &Tensor) -> Result<Tensor>
where
    ActivationOp<A, B>: CustomOp1,
{
    Ok(op
        .bwd(x, y, grad)?
        .expect("ActivationOp has a backward pass"))
}

const CASES: [Case; 3] = [
    Case {
        name: "relu",
        actdiff: (
            |x| x.apply_op1(ActivationOp::new(Relu)),
            |x, y, g| bwd(ActivationOp::new(Relu), x, y, g),
        ),
        candle: (
            |x| x.relu(),
            |x, _, g| g * x.ge(&x.zeros_like()?)?.to_dtype(x.dtype())?,
        ),
    },
    Case {
        name: "silu",
        actdiff: (
            |x| x.apply_op1(ActivationOp::new(Silu)),
            |x, y, g| bwd(ActivationOp::new(Silu), x, y, g),
        ),
        candle: (
            |x| x.silu(),
            |x, y, g| {
                let sigmoid = (x.neg()?.exp()? + 1.)?.recip()?;
                g * ((&sigmoid * (1. - y)?)? + y)?
            },
        ),
    },
    Case {
        name: "gelu",
        actdiff: (
            |x| x.apply_op1(ActivationOp::new(Gelu)),
            |x, y, g| bwd(ActivationOp::new(Gelu), x, y, g),
        ),
        candle: (
            |x| x.gelu_erf(),
            |x, _, g| {
                let neg_half_square = (x.sqr()?.neg()? / 2.)?;
                let scaled_exp = (0.398942 * neg_half_square.exp()? * x)?;
                let erf_scaled = (0.5 * (x / 2f64.sqrt())?.erf()?)?;
                g * (0.5 + scaled_exp + erf_scaled)?
            },
        ),
    },
];

/// Inputs over [-5, 5].
fn input() -> Vec<f32> {
    (0..N).map(|i| (i % 2001) as f32 * 0.005 - 5.0).collect()
}

fn bench(c: &mut Criterion) {
    let x = input();
    let dev = Device::Cpu;
    let t = Tensor::new(x.as_slice(), &dev).expect("cpu tensor");
    let v = Var::new(x.as_slice(), &dev).expect("cpu var");
    let grad: Vec<f32> = x.iter().map(|v| 1.0 + v * 0.1).collect();
    let grad = Tensor::new(grad.as_slice(), &dev).expect("cpu tensor");
    {
        let mut g = c.benchmark_group("candle/copy");
        g.throughput(Throughput::Elements(N as u64));
        g.bench_function("candle", |b| b.iter(|| black_box(t.copy().expect("copy"))));
        g.finish();
    }
    for case in CASES {
        let sides = [("actdiff", case.actdiff), ("candle", case.candle)];
        let mut g = c.benchmark_group(format!("candle/{}/forward", case.name));
        g.throughput(Throughput::Elements(N as u64));
        for (who, (forward, _)) in sides {
            g.bench_function(who, |b| {
                b.iter(|| black_box(forward(black_box(&t)).expect("forward")))
            });
        }
        g.finish();
        let mut g = c.benchmark_group(format!("candle/{}/backward", case.name));
        g.throughput(Throughput::Elements(N as u64));
        for (who, (forward, backward)) in sides {
            let y = forward(&t).expect("forward");
            g.bench_function(who, |b| {
                b.iter(|| black_box(backward(&t, &y, black_box(&grad)).expect("backward")))
            });
        }
        g.finish();
        let mut g = c.benchmark_group(format!("candle/{}/forward+backward", case.name));
        g.throughput(Throughput::Elements(N as u64));
        for (who, (forward, _)) in sides {
            g.bench_function(who, |b| {
                b.iter(|| {
                    let y = forward(v.as_tensor()).expect("forward");
                    black_box(y.sum_all().and_then(|s| s.backward()).expect("backward"))
                })
            });
        }
        g.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_secs(1));
    targets = bench
}
criterion_main!(benches);
