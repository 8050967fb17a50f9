//! Half-precision mish forward (`forward_slice_half`, computed in f32 through a stack
//! buffer) against the f32 kernel, on 2^20 elements, with a copy of each for scale,
//! and relu, whose kernel costs a copy, for the price of the conversions alone.
//!
//! Run: `cargo bench -p actdiff --features half --bench half`.

use actdiff::{Activation, HalfActivation, Mish, Relu};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use half::{bf16, f16};
use std::hint::black_box;
use std::time::Duration;

/// Elements per slice.
const N: usize = 1 << 20;

fn bench(c: &mut Criterion) {
    let x32: Vec<f32> = (0..N).map(|i| (i % 2001) as f32 * 0.005 - 5.0).collect();
    let x16: Vec<f16> = x32.iter().map(|&v| f16::from_f32(v)).collect();
    let xb16: Vec<bf16> = x32.iter().map(|&v| bf16::from_f32(v)).collect();
    let mut g = c.benchmark_group("half/mish/forward");
    g.throughput(Throughput::Elements(N as u64));
    let mut y32 = vec![0.0f32; N];
    g.bench_function("f32", |b| {
        b.iter(|| Mish.forward_slice(black_box(&x32), &mut y32))
    });
    g.bench_function("f32 copy", |b| {
        b.iter(|| y32.copy_from_slice(black_box(&x32)))
    });
    let mut y16 = vec![f16::ZERO; N];
    g.bench_function("f16", |b| {
        b.iter(|| Mish.forward_slice_half(black_box(&x16), &mut y16))
    });
    g.bench_function("f16 copy", |b| {
        b.iter(|| y16.copy_from_slice(black_box(&x16)))
    });
    let mut yb16 = vec![bf16::ZERO; N];
    g.bench_function("bf16", |b| {
        b.iter(|| Mish.forward_slice_half(black_box(&xb16), &mut yb16))
    });
    g.finish();
    // The price of the widening and narrowing alone: relu's kernel runs at a copy's speed.
    let mut g = c.benchmark_group("half/relu/forward");
    g.throughput(Throughput::Elements(N as u64));
    g.bench_function("f32", |b| {
        b.iter(|| Relu.forward_slice(black_box(&x32), &mut y32))
    });
    g.bench_function("f16", |b| {
        b.iter(|| Relu.forward_slice_half(black_box(&x16), &mut y16))
    });
    g.bench_function("bf16", |b| {
        b.iter(|| Relu.forward_slice_half(black_box(&xb16), &mut yb16))
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(3)).warm_up_time(Duration::from_secs(1));
    targets = bench
}
criterion_main!(benches);
