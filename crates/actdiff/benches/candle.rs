//! actdiff activations as candle operations against candle's own unary operations, on a
//! CPU tensor of 2^20 f32: forward (`apply_op1` against `Tensor::relu`, `silu`,
//! `gelu_erf`) and forward plus backward through candle's autograd.
//!
//! actdiff's `Gelu` is the exact, erf-based GELU, so it is compared with candle's
//! `gelu_erf` (candle's `gelu` is the tanh approximation). Both sides allocate their
//! output tensor in every iteration, as they do in a network.
//!
//! Run: `cargo bench -p actdiff --features candle --bench candle`.

use actdiff::candle::ActivationOp;
use actdiff::{Gelu, Relu, Silu};
use candle_core::{Device, Result, Tensor, Var};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::time::Duration;

/// Elements per tensor.
const N: usize = 1 << 20;

/// A candle operation under test: a name and the function it applies.
type Op = (&'static str, fn(&Tensor) -> Result<Tensor>);

/// Each activation, as actdiff's operation and as candle's own.
const PAIRS: [(&str, Op, Op); 3] = [
    (
        "relu",
        ("actdiff", |t| t.apply_op1(ActivationOp::new(Relu))),
        ("candle", |t| t.relu()),
    ),
    (
        "silu",
        ("actdiff", |t| t.apply_op1(ActivationOp::new(Silu))),
        ("candle", |t| t.silu()),
    ),
    (
        "gelu",
        ("actdiff", |t| t.apply_op1(ActivationOp::new(Gelu))),
        ("candle", |t| t.gelu_erf()),
    ),
];

fn input() -> Vec<f32> {
    (0..N).map(|i| (i % 2001) as f32 * 0.005 - 5.0).collect()
}

fn bench(c: &mut Criterion) {
    let x = input();
    let dev = Device::Cpu;
    let t = Tensor::new(x.as_slice(), &dev).expect("cpu tensor");
    let v = Var::new(x.as_slice(), &dev).expect("cpu var");
    {
        let mut g = c.benchmark_group("copy");
        g.throughput(Throughput::Elements(N as u64));
        g.bench_function("candle", |b| b.iter(|| black_box(t.copy().expect("copy"))));
        g.finish();
    }
    for (name, ours, theirs) in PAIRS {
        let mut g = c.benchmark_group(format!("{name}/forward"));
        g.throughput(Throughput::Elements(N as u64));
        for (who, op) in [ours, theirs] {
            g.bench_function(who, |b| {
                b.iter(|| black_box(op(black_box(&t)).expect("forward")))
            });
        }
        g.finish();
        let mut g = c.benchmark_group(format!("{name}/forward+backward"));
        g.throughput(Throughput::Elements(N as u64));
        for (who, op) in [ours, theirs] {
            g.bench_function(who, |b| {
                b.iter(|| {
                    let y = op(v.as_tensor()).expect("forward");
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
