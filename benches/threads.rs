//! One thread against two for the slice kernels (the `rayon` feature): the
//! measurement behind the size threshold in `crates/actdiff/src/parallel.rs`.
//!
//! ```text
//! cargo bench --bench threads --features rayon
//! ```
//!
//! For relu and mish forward (f32) at 2^12 to 2^24 elements it prints the median of
//! 15 timed calls in a one-thread and in a two-thread rayon pool, and their ratio.
//! Below the threshold the kernels do not split, so both columns show the one-thread
//! time; to see where splitting starts to pay, set `MIN_LEN` to 1 and run again.
//! The two pools take turns per size, so that load from other processes on a shared
//! machine falls on both.

use actdiff::{Activation, Mish, Relu};
use std::hint::black_box;
use std::time::Instant;

/// A forward slice kernel, shared with the pool's threads.
type Kernel = dyn Fn(&[f32], &mut [f32]) + Sync;

/// Timed calls per size and pool; the median is printed.
const REPS: usize = 15;

fn median_ns(pool: &rayon::ThreadPool, run: &mut (dyn FnMut() + Send)) -> f64 {
    pool.install(|| {
        run();
        let mut times: Vec<f64> = (0..REPS)
            .map(|_| {
                let start = Instant::now();
                run();
                start.elapsed().as_secs_f64() * 1e9
            })
            .collect();
        times.sort_by(f64::total_cmp);
        times[REPS / 2]
    })
}

fn main() {
    let pool = |threads| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("a thread pool")
    };
    let (one, two) = (pool(1), pool(2));
    println!("# ns/elem, median of {REPS}; ratio = two threads / one thread");
    for k in (12..=24).step_by(2) {
        let n = 1usize << k;
        // The same deterministic spread of inputs as the other benches' range.
        let x: Vec<f32> = (0..n)
            .map(|i| ((i * 7919) % 24_000) as f32 / 1000.0 - 12.0)
            .collect();
        let mut y = vec![0.0f32; n];
        let ops: [(&str, &Kernel); 2] = [
            ("relu.fwd", &|x, y| Relu.forward_slice(x, y)),
            ("mish.fwd", &|x, y| Mish.forward_slice(x, y)),
        ];
        for (name, op) in ops {
            let mut run = || op(black_box(&x), black_box(&mut y));
            let t1 = median_ns(&one, &mut run) / n as f64;
            let t2 = median_ns(&two, &mut run) / n as f64;
            println!(
                "{name}  n=2^{k:<2}  1 thread {t1:7.3}  2 threads {t2:7.3}  ratio {:.2}",
                t2 / t1
            );
        }
    }
}
