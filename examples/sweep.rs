//! Exhaustive f32 sweep: every one of the 2^32 f32 inputs through an activation's
//! forward and derivative, compared with an independent f64 reference written with
//! std's f64 functions in a stable formula (not actdiff's code).
//!
//! ```sh
//! cargo run --release --example sweep -- mish            # all 2^32 inputs
//! cargo run --release --example sweep -- relu --step 97  # every 97th bit pattern
//! ```
//!
//! Error is in ULPs of the correctly rounded f32 value; within 1e-3 · max(1, |x0|)
//! of a non-trivial root x0 of the measured function it is the absolute error in
//! units of f32::EPSILON (DESIGN.md's metric). NaN inputs are skipped (they are
//! tested to give NaN elsewhere); any NaN or infinity where the reference is finite
//! is counted and reported.

use actdiff::prelude::*;
use std::thread;

/// An f64 reference: value and derivative.
type Reference = fn(f64) -> (f64, f64);

fn softplus(x: f64) -> f64 {
    x.max(0.0) + (-x.abs()).exp().ln_1p()
}

fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

/// `sech(u)^2` without cancellation: `4 e^{-2|u|} / (1 + e^{-2|u|})^2`.
fn sech2(u: f64) -> f64 {
    let e = (-2.0 * u.abs()).exp();
    4.0 * e / ((1.0 + e) * (1.0 + e))
}

fn mish(x: f64) -> (f64, f64) {
    if x == f64::NEG_INFINITY {
        return (0.0, 0.0);
    }
    if x == f64::INFINITY {
        return (x, 1.0);
    }
    let sp = softplus(x);
    let t = sp.tanh();
    (x * t, t + x * sigmoid(x) * sech2(sp))
}

fn relu(x: f64) -> (f64, f64) {
    (x.max(0.0), if x > 0.0 { 1.0 } else { 0.0 })
}

fn leaky_relu(x: f64) -> (f64, f64) {
    let slope = f64::from(0.01f32);
    if x > 0.0 {
        (x, 1.0)
    } else {
        (slope * x, slope)
    }
}

fn prelu(x: f64) -> (f64, f64) {
    if x > 0.0 {
        (x, 1.0)
    } else {
        (0.25 * x, 0.25)
    }
}

/// Roots of the derivative where the absolute-error window applies.
const MISH_DERIVATIVE_ROOTS: &[f64] = &[-1.192_431_214_515_495];

struct Case {
    name: &'static str,
    reference: Reference,
    forward: fn(f32) -> f32,
    derivative: fn(f32) -> f32,
    derivative_roots: &'static [f64],
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "relu",
            reference: relu,
            forward: |x| Relu.forward(x),
            derivative: |x| Relu.derivative(x),
            derivative_roots: &[],
        },
        Case {
            name: "leaky_relu",
            reference: leaky_relu,
            forward: |x| LeakyRelu::<f32>::default().forward(x),
            derivative: |x| LeakyRelu::<f32>::default().derivative(x),
            derivative_roots: &[],
        },
        Case {
            name: "prelu",
            reference: prelu,
            forward: |x| Prelu::<f32>::default().forward(x),
            derivative: |x| Prelu::<f32>::default().derivative(x),
            derivative_roots: &[],
        },
        Case {
            name: "mish",
            reference: mish,
            forward: |x| Mish.forward(x),
            derivative: |x| Mish.derivative(x),
            derivative_roots: MISH_DERIVATIVE_ROOTS,
        },
    ]
}

/// The error of `got` against the f64 reference `want`, per the module docs.
fn error(got: f32, want: f64, x: f64, roots: &[f64]) -> f64 {
    if got.is_nan() || got.is_infinite() {
        let same_inf = got.is_infinite() && want == f64::from(got);
        return if same_inf { 0.0 } else { f64::INFINITY };
    }
    let got = f64::from(got);
    if got == want {
        return 0.0;
    }
    if roots
        .iter()
        .any(|&r| (x - r).abs() < 1e-3 * r.abs().max(1.0))
    {
        return (got - want).abs() / f64::from(f32::EPSILON);
    }
    let rounded = want as f32;
    if rounded.is_infinite() {
        return f64::INFINITY;
    }
    let a = rounded.abs();
    let ulp = if a < f32::MIN_POSITIVE {
        f64::from(f32::from_bits(1))
    } else {
        f64::from(f32::from_bits(a.to_bits() + 1) - a)
    };
    (got - want).abs() / ulp
}

#[derive(Clone, Copy, Default)]
struct Worst {
    ulp: f64,
    at: f32,
    bad: u64,
    /// The maximum over inputs whose reference is a normal f32 (or zero): subnormal
    /// results carry fewer significant bits, and are reported apart.
    normal_ulp: f64,
    normal_at: f32,
}

impl Worst {
    fn add(&mut self, e: f64, x: f32, want: f64) {
        if e.is_infinite() && want.is_finite() {
            self.bad += 1;
            if self.bad == 1 {
                self.at = x;
            }
            return;
        }
        if e > self.ulp {
            self.ulp = e;
            self.at = x;
        }
        let subnormal = want != 0.0 && want.abs() < f64::from(f32::MIN_POSITIVE);
        if !subnormal && e > self.normal_ulp {
            self.normal_ulp = e;
            self.normal_at = x;
        }
    }

    fn merge(self, other: Worst) -> Worst {
        let mut w = if other.ulp > self.ulp { other } else { self };
        w.bad = self.bad + other.bad;
        let normal = if other.normal_ulp > self.normal_ulp {
            other
        } else {
            self
        };
        w.normal_ulp = normal.normal_ulp;
        w.normal_at = normal.normal_at;
        w
    }
}

fn sweep(case: &Case, step: u64) -> (Worst, Worst, u64) {
    let threads = thread::available_parallelism().map_or(1, |n| n.get()) as u64;
    let total: u64 = 1 << 32;
    let per = total.div_ceil(threads);
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let (reference, forward, derivative, roots) = (
                case.reference,
                case.forward,
                case.derivative,
                case.derivative_roots,
            );
            thread::spawn(move || {
                let (mut wf, mut wd, mut n) = (Worst::default(), Worst::default(), 0u64);
                let mut bits = t * per;
                let end = ((t + 1) * per).min(total);
                while bits < end {
                    let x = f32::from_bits(bits as u32);
                    bits += step;
                    if x.is_nan() {
                        continue;
                    }
                    n += 1;
                    let xd = f64::from(x);
                    let (f, d) = reference(xd);
                    wf.add(error(forward(x), f, xd, &[]), x, f);
                    wd.add(error(derivative(x), d, xd, roots), x, d);
                }
                (wf, wd, n)
            })
        })
        .collect();
    handles
        .into_iter()
        .map(|h| h.join().expect("sweep thread"))
        .fold(
            (Worst::default(), Worst::default(), 0),
            |(af, ad, an), (f, d, n)| (af.merge(f), ad.merge(d), an + n),
        )
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let step = args
        .iter()
        .position(|a| a == "--step")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or(1)
        .max(1);
    let names: Vec<&str> = args
        .iter()
        .enumerate()
        .filter(|(i, a)| !a.starts_with("--") && (*i == 0 || args[i - 1] != "--step"))
        .map(|(_, a)| a.as_str())
        .collect();
    let all = cases();
    let known: Vec<&str> = all.iter().map(|c| c.name).collect();
    if names.is_empty() || names.iter().any(|n| *n != "all" && !known.contains(n)) {
        eprintln!("usage: sweep <{}|all> [--step N]", known.join("|"));
        std::process::exit(2);
    }
    for case in &all {
        if !names.contains(&case.name) && !names.contains(&"all") {
            continue;
        }
        let (f, d, n) = sweep(case, step);
        for (what, w) in [("forward", f), ("derivative", d)] {
            println!(
                "actdiff f32 {:10} {:10} max {:8.3} ULP at x = {:e}; normal results {:.3} ULP at x = {:e} ({} inputs, {} NaN/inf where finite{})",
                case.name,
                what,
                w.ulp,
                w.at,
                w.normal_ulp,
                w.normal_at,
                n,
                w.bad,
                if w.bad > 0 { format!(", first at {:e}", w.at) } else { String::new() }
            );
        }
    }
}
