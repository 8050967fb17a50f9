//! Every built-in of the catalogue: the generated forward and backward slice
//! kernels, f32 and f64, at 2^14 elements (in cache), beside a plain copy of the
//! same slice. The seeds have their own bench (`seeds`) with hand-written
//! comparisons; this one shows the whole catalogue's cost in one table.
//!
//! Run: `cargo bench --bench catalogue` (about four minutes), or one activation:
//! `cargo bench --bench catalogue -- '^gelu/'`.

use actdiff::{Activation, Builtin, Real};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::time::Duration;

const N: usize = 1 << 14;

/// Deterministic inputs spread like a layer's pre-activations, N(0, 4²)-ish.
fn inputs<T: Real>() -> (Vec<T>, Vec<T>) {
    let mut s: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = || {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        (s >> 11) as f64 / (1u64 << 53) as f64
    };
    let x = (0..N)
        .map(|_| T::from_f64((next() + next() + next() - 1.5) * 8.0))
        .collect();
    let g = (0..N).map(|_| T::from_f64(next() * 2.0 - 1.0)).collect();
    (x, g)
}

fn bench_type<T: Real>(c: &mut Criterion, dtype: &str) {
    let (x, g) = inputs::<T>();
    let mut y = vec![T::default(); N];
    for b in Builtin::<T>::all() {
        let mut group = c.benchmark_group(format!("{b}/{dtype}"));
        group
            .throughput(Throughput::Elements(N as u64))
            .warm_up_time(Duration::from_millis(300))
            .measurement_time(Duration::from_millis(700))
            .sample_size(10);
        group.bench_function("forward", |bench| {
            bench.iter(|| b.forward_slice(black_box(&x), black_box(&mut y)))
        });
        group.bench_function("backward", |bench| {
            bench.iter(|| b.backward_slice(black_box(&x), black_box(&g), black_box(&mut y)))
        });
        group.bench_function("copy", |bench| {
            bench.iter(|| black_box(&mut y).copy_from_slice(black_box(&x)))
        });
        group.finish();
    }
}

fn catalogue(c: &mut Criterion) {
    bench_type::<f32>(c, "f32");
    bench_type::<f64>(c, "f64");
}

criterion_group!(benches, catalogue);
criterion_main!(benches);
