//! Single-threaded throughput of the built-ins' slice kernels (`actdiff bench`, and
//! `cargo run --release --example throughput`), printed in the line format of the
//! peers' benchmarks (`/work/shared/peers/torch_bench.py`), so the figures can be
//! read side by side with PyTorch's and JAX's.
//!
//! Each line is the median of 15 timed calls after a warm-up, on preallocated
//! buffers: ns per element, and GB/s of the byte streams PyTorch's kernel for the
//! same op touches (`copy` 2: read x, write y; `bwd` 3: read x and grad_out, write
//! grad_in). `prelu.bwd` times `backward_slice_with_param_gradient` for alpha (grad_in
//! and alpha's gradient sum in one pass, what a training step calls) and counts 4
//! streams, as torch does for `_prelu_kernel_backward` (which writes a per-element
//! alpha gradient instead of summing). Inputs: `x ~ N(0, 4^2)` clamped
//! to [-12, 12], `grad_out ~ N(0, 1)`, from a fixed seed.

use actdiff::{Activation, Builtin, LeakyRelu, Mish, Prelu, Real, Relu};
use std::hint::black_box;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// What to measure: the flags of `actdiff bench` and of the example.
#[derive(clap::Args, Clone, Debug)]
pub struct Options {
    /// Slice lengths as powers of two, from 0 to 30.
    #[arg(long, value_delimiter = ',', default_values_t = [20u32, 24],
          value_parser = clap::value_parser!(u32).range(0..=30))]
    pub sizes: Vec<u32>,
    /// Run only ops whose name starts with one of these (`mish`, `relu.bwd`) or
    /// whose direction contains one (`fwd`, `bwd`); `copy(memcpy)`, the reference,
    /// always runs.
    #[arg(long, value_delimiter = ',')]
    pub filter: Vec<String>,
    /// Also every other built-in (forward and backward), by its catalogue name
    /// (`gelu`, `hardswish`, ...).
    #[arg(long)]
    pub catalogue: bool,
    /// Ignored: `cargo bench` passes it to every target it runs.
    #[arg(long, hide = true)]
    pub bench: bool,
}

/// Timed calls per op; the median is printed.
const REPS: usize = 15;
/// Untimed calls before the timed ones (first touch of the output pages, caches,
/// CPU frequency): at least one, and up to this many while under `WARM_UP_SECONDS`.
const WARM_UP: usize = 3;
const WARM_UP_SECONDS: f64 = 0.2;

/// Median wall time of `REPS` calls of `f`, in seconds, after a warm-up.
fn median_seconds(mut f: impl FnMut()) -> f64 {
    let start = Instant::now();
    for _ in 0..WARM_UP {
        f();
        if start.elapsed().as_secs_f64() > WARM_UP_SECONDS {
            break;
        }
    }
    let mut times: Vec<f64> = (0..REPS)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[REPS / 2]
}

/// xorshift64*: a tiny deterministic generator, so the example needs no `rand`.
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

/// `n` inputs `x ~ N(0, 4^2)` in [-12, 12] and `n` gradients `grad_out ~ N(0, 1)`, as
/// the peer scripts draw them (`torch.randn(n) * 4`, `torch.randn(n)`), from a fixed
/// seed per `n`: the report and the criterion benches time the same data.
pub fn peer_inputs(n: usize) -> (Vec<f64>, Vec<f64>) {
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15 ^ n as u64);
    let x = (0..n).map(|_| rng.normal(4.0)).collect();
    let g = (0..n).map(|_| rng.normal(1.0)).collect();
    (x, g)
}

/// Runs every selected op on slices of `2^k` elements of `T` and prints a line each.
fn run<T: Real>(dtype: &str, k: u32, selected: &dyn Fn(&str) -> bool, catalogue: bool)
where
    Relu: Activation<T>,
    Mish: Activation<T>,
    LeakyRelu<T>: Activation<T> + Default,
    Prelu<T>: Activation<T> + Default,
{
    let n = 1usize << k;
    let (x, g) = peer_inputs(n);
    let x: Vec<T> = x.into_iter().map(T::from_f64).collect();
    let g: Vec<T> = g.into_iter().map(T::from_f64).collect();
    let mut y = vec![T::default(); n];
    let mut gin = vec![T::default(); n];
    let (leaky, prelu) = (LeakyRelu::<T>::default(), Prelu::<T>::default());
    let (x, g) = (&x[..], &g[..]);
    // The rest of the catalogue, by name: every built-in but the seeds above.
    let seeds = ["relu", "leaky_relu", "prelu", "mish"];
    let others: Vec<(String, Builtin<T>)> = Builtin::<T>::all()
        .into_iter()
        .filter(|b| catalogue && !seeds.contains(&b.name()))
        .map(|b| (b.to_string(), b))
        .collect();

    type Op<'a, T> = (String, u32, Box<dyn FnMut(&mut [T], &mut [T]) + 'a>);
    type SeedOp<'a, T> = (&'static str, u32, Box<dyn FnMut(&mut [T], &mut [T]) + 'a>);
    let seed_ops: Vec<SeedOp<T>> = vec![
        ("copy(memcpy)", 2, Box::new(|y, _| y.copy_from_slice(x))),
        ("relu.fwd", 2, Box::new(|y, _| Relu.forward_slice(x, y))),
        (
            "relu.bwd",
            3,
            Box::new(|_, gin| Relu.backward_slice(x, g, gin)),
        ),
        ("leaky.fwd", 2, Box::new(|y, _| leaky.forward_slice(x, y))),
        (
            "leaky.bwd",
            3,
            Box::new(|_, gin| leaky.backward_slice(x, g, gin)),
        ),
        ("prelu.fwd", 2, Box::new(|y, _| prelu.forward_slice(x, y))),
        (
            "prelu.bwd",
            4,
            Box::new(|_, gin| {
                black_box(prelu.backward_slice_with_param_gradient(0, x, g, gin));
            }),
        ),
        ("mish.fwd", 2, Box::new(|y, _| Mish.forward_slice(x, y))),
        (
            "mish.bwd",
            3,
            Box::new(|_, gin| Mish.backward_slice(x, g, gin)),
        ),
        (
            "mish.fwd+bwd",
            4,
            Box::new(|y, gin| Mish.forward_backward_slice(x, g, y, gin)),
        ),
    ];
    let mut ops: Vec<Op<T>> = seed_ops
        .into_iter()
        .map(|(name, streams, op)| (name.to_string(), streams, op))
        .collect();
    for (name, b) in &others {
        ops.push((
            format!("{name}.fwd"),
            2,
            Box::new(move |y, _| b.forward_slice(x, y)),
        ));
        ops.push((
            format!("{name}.bwd"),
            3,
            Box::new(move |_, gin| b.backward_slice(x, g, gin)),
        ));
    }
    let elem_bytes = std::mem::size_of::<T>() as f64;
    for (name, streams, mut op) in ops {
        if name != "copy(memcpy)" && !selected(&name) {
            continue;
        }
        let t = median_seconds(|| {
            op(black_box(&mut y[..]), black_box(&mut gin[..]));
            black_box((&y, &gin));
        });
        let ns = t / n as f64 * 1e9;
        let gbs = streams as f64 * elem_bytes * n as f64 / t / 1e9;
        println!("actdiff {name:<14} {dtype:<8} n=2^{k:<3} {ns:>7.3} ns/elem {gbs:>7.2} GB/s");
    }
}

/// Today's date (UTC) as `YYYY-MM-DD`, from the system clock.
fn today() -> String {
    let days = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400) as i64;
    // Days since 1970-01-01 to a proleptic Gregorian date (Hinnant's civil_from_days).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The CPU's model name from /proc/cpuinfo, when there is one.
fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|line| line.starts_with("model name"))
                .and_then(|line| line.split_once(':'))
                .map(|(_, model)| model.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".to_string())
}

/// Runs the report: a header line naming the machine, then one line per op, size
/// and type. `source` names the program in the header (`bench`, `throughput example`).
///
/// # Errors
/// When `--filter` selects no op but the copy (`--filter nosuchop`, or a built-in's
/// name without `--catalogue`): the report then printed only the copy's lines.
pub fn report(options: &Options, source: &str) -> Result<(), String> {
    // A filter selects the ops whose name starts with it (`relu`: relu.fwd and
    // relu.bwd, not prelu) or whose direction part contains it (`bwd`).
    let matched = std::cell::Cell::new(false);
    let selected = |name: &str| {
        let direction = name.split_once('.').map_or("", |(_, d)| d);
        let hit = options.filter.is_empty()
            || options
                .filter
                .iter()
                .any(|f| name.starts_with(f.as_str()) || direction.contains(f.as_str()));
        matched.set(matched.get() || hit);
        hit
    };
    println!(
        "# actdiff {} ({source}), {}: {}, {}, single-threaded; median of {REPS} after a warm-up",
        env!("CARGO_PKG_VERSION"),
        today(),
        cpu_model(),
        actdiff::instruction_set(),
    );
    for k in &options.sizes {
        run::<f32>("float32", *k, &selected, options.catalogue);
    }
    for k in &options.sizes {
        run::<f64>("float64", *k, &selected, options.catalogue);
    }
    if matched.get() || options.sizes.is_empty() {
        Ok(())
    } else {
        let catalogue = if options.catalogue {
            ""
        } else {
            " (the other built-ins need --catalogue)"
        };
        Err(format!(
            "error: --filter {} matches no op: the ops are relu, leaky, prelu and mish{catalogue}, \
             each .fwd and .bwd",
            options.filter.join(",")
        ))
    }
}
