//! The experiment behind the README's "Why mish stops short": f32 mish forward forms
//! that trade accuracy for speed, timed as slice loops like actdiff's kernels and
//! measured against an f64 reference, beside actdiff's own `Mish`.
//!
//! ```text
//! cargo build --release --example mish_forms
//! taskset -c 0 target/release/examples/mish_forms [step]
//! ```
//!
//! Each form is a branch-free function of one `f32` that LLVM vectorizes in a loop
//! compiled for AVX-512 (as `dispatch.rs` compiles the kernels; on a CPU without it the
//! forms are timed as compiled for AVX2, or not at all). Times are ns per element of
//! `y[i] = mish(x[i])` over `x` in (-20, 20), at 2^14 elements (in L1/L2), 2^20 and 2^24
//! (the throughput report's sizes), with a copy of the slice for scale; the fastest and
//! slowest of two rounds, alternating. The
//! error is the maximum, on every `step`-th f32 (default 13) in (-20, 20), in ULPs of
//! the correctly rounded value against `x·tanh(softplus(x))` in f64 (the sweep's
//! reference, absolute error beside the root at 0 as DESIGN.md counts it), the range
//! where PyTorch's f32 mish is 2.66 ULP (`tests/oracle/peer_mish_sweep.py`). The
//! experimental forms do not handle the tails (|x| ≥ 20, subnormal results), which
//! would cost them a select or two; actdiff's does.
//!
//! `E = e^x`, `D = E² + 2E + 2`, `mish(x) = x·E(E + 2)/D`.

// The coefficients are math/f32.rs's, digit for digit.
#![allow(clippy::excessive_precision)]

#[path = "../tests/common/oracle.rs"]
mod oracle;

use actdiff::prelude::*;
use actdiff::InstructionSet;
use std::time::Instant;

// math/f32.rs's reduction and kernel coefficients, `e^r = 1 + r + r²(1/2 + r·Q(r))` on
// |r| ≤ ln2/2, for the forms that carry `e^x` as `2^k (1 + s)` with `s` unrounded.
const LOG2_E: f32 = std::f32::consts::LOG2_E;
const LN2_HI: f32 = 0.693_145_751_953_125;
const LN2_LO: f32 = 1.428_606_765_330_187e-6;
const Q: [f32; 5] = [
    1.666_666_567e-1,
    4.166_645_929e-2,
    8.333_565_667e-3,
    1.393_546_932e-3,
    1.974_483_894e-4,
];
/// 1.5·2^23: adding it rounds to an integer, which its low bits then hold.
const MAGIC: f32 = 12_582_912.0;
/// `2^-40`, undoing the bias of `pow2_biased`.
const TWO_M40: f32 = 1.0 / 1_099_511_627_776.0;

// Inlined always: a call would not be compiled for the loops' instruction sets (the
// experimental forms ran 14–28% slower when it was not).
#[inline(always)]
fn fma(a: f32, b: f32, c: f32) -> f32 {
    a.mul_add(b, c)
}

/// `e^x = 2^k (1 + s)` for x in [-110, 20], with what the compensated form adds.
struct ExpParts {
    /// `s`, |s| < 0.42.
    s: f32,
    /// The rounding error of `s` as a function of the reduced argument `r`.
    sl: f32,
    /// The rounding error of `r` (to first order in `e^r`'s: exact where `r0 - r` is,
    /// and tiny where not).
    rl: f32,
    /// `2^(k + 40)`, biased so that it is a normal f32 over the whole range.
    pw: f32,
}

#[inline(always)]
fn exp_parts(x: f32) -> ExpParts {
    let xc = x.clamp(-110.0, 20.0);
    let t = fma(xc, LOG2_E, MAGIC);
    let kf = t - MAGIC;
    let k = (t.to_bits() as i32).wrapping_sub(MAGIC.to_bits() as i32);
    let r0 = fma(kf, -LN2_HI, xc);
    let r = fma(kf, -LN2_LO, r0);
    let q = Q.iter().rev().fold(0.0, |acc, &c| fma(acc, r, c));
    let p = fma(r, q, 0.5);
    let r2 = r * r;
    let s = fma(r2, p, r);
    ExpParts {
        s,
        sl: fma(r2, p, r - s),
        rl: fma(kf, -LN2_LO, r0 - r),
        pw: f32::from_bits(((k + 167) as u32) << 23),
    }
}

/// Each rounding taken as it comes: `x·(E·(E + 2)/D)`, `E` rounded to f32.
#[inline(always)]
fn lean(x: f32) -> f32 {
    let ExpParts { s, pw, .. } = exp_parts(x);
    let e = (1.0 + s) * pw * TWO_M40;
    let a = e + 2.0;
    x * (e * a / fma(e, a, 2.0))
}

/// The README's session-16 form: `p - p·c`, one fused multiply-add, with `p = x` and
/// `c = 2/D` from zero up, `p = x·E` and `c = E(E + 1)/D` below; `E` from actdiff's
/// f32 `exp`.
#[inline(always)]
fn folded(x: f32) -> f32 {
    let e = actdiff::math::f32::exp(x.min(20.0));
    let d = fma(e, e + 2.0, 2.0);
    let pos = x >= 0.0;
    let p = if pos { x } else { x * e };
    let c = if pos { 2.0 } else { e * (e + 1.0) } / d;
    fma(-p, c, p)
}

/// As `lean`, but below zero the leading `E` is `2^k (1 + s)` unrounded:
/// `x·2^k·(h + s·h)` with `h = (E + 2)/D`.
#[inline(always)]
fn unrounded(x: f32) -> f32 {
    let ExpParts { s, pw, .. } = exp_parts(x);
    let u = 1.0 + s;
    let e = u * pw * TWO_M40;
    let a = e + 2.0;
    let h = a / fma(e, a, 2.0);
    let sl = if x <= 0.0 { s } else { u - 1.0 };
    x * fma(sl, h, h) * pw * TWO_M40
}

/// `tanh(softplus(x))` all in f32, compensated to about actdiff's accuracy: `E` as
/// `2^k (u + ul)` (with the roundings of the reduced argument and of `1 + s`), `E + 2`,
/// `E(E + 2)` and `D` each with its rounding error, the quotient
/// corrected by its remainder and by `E`'s low part (`dq/dE = 4(E + 1)/D²`); below -20,
/// where the function is `E` in f32, `E` rounded once.
#[inline(always)]
fn tanh_softplus_compensated(x: f32) -> f32 {
    let ExpParts { s, sl, rl, pw } = exp_parts(x);
    let u = 1.0 + s;
    let ul = fma(rl, u, (s - (u - 1.0)) + sl);
    let e = u * pw * TWO_M40;
    let el = ul * pw * TWO_M40;
    let a = e + 2.0;
    let al = e - (a - 2.0);
    let n = e * a;
    let nl = fma(e, al, fma(e, a, -n));
    let d = n + 2.0;
    let dd = d - n;
    let dl = ((n - (d - dd)) + (2.0 - dd)) + nl;
    let rd = 1.0 / d;
    let q0 = n * rd;
    let rem = fma(-q0, d, n) + fma(-q0, dl, nl);
    let c = fma(fma(e, 4.0, 4.0) * rd, el, rem) * rd;
    let tail = fma(ul, pw, u * pw) * TWO_M40;
    if x < -20.0 {
        tail
    } else {
        q0 + c
    }
}

/// `x` times the compensated `tanh(softplus(x))`.
#[inline(always)]
fn compensated(x: f32) -> f32 {
    x * tanh_softplus_compensated(x)
}

/// A slice loop over `form`, compiled as the kernels are.
type Loop = fn(&[f32], &mut [f32]);

/// Elements per chunk of the slice loops, as `kernels.rs`'s `CHUNK`.
const CHUNK: usize = 512;

/// Asks for the lines of `v` in the cache, as `dispatch.rs`'s `prefetch`.
#[inline(always)]
fn prefetch(v: &[f32]) {
    #[cfg(target_arch = "x86_64")]
    for line in v.chunks(16) {
        // SAFETY: a prefetch reads nothing the program sees and does not fault.
        unsafe {
            use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
            _mm_prefetch::<_MM_HINT_T0>(line.as_ptr().cast());
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = v;
}

/// Elements between two requests for `x` ahead, as `kernels.rs`'s `STEP`.
const STEP: usize = 64;

/// `y[i] = form(x[i])` in chunks, where the output is at least 16 MiB in steps of
/// [`STEP`] elements, each after asking for the same step of `x` one chunk further
/// on, as actdiff's forward kernel does for a formula it does not stream (without
/// requests the forms took up to twice as long at 2^24 on this machine: the
/// hardware's own prefetching does not keep up with a loop that computes).
#[inline(always)]
fn chunked(x: &[f32], y: &mut [f32], form: impl Fn(f32) -> f32) {
    let long = std::mem::size_of_val(y) >= 16 << 20;
    for (i, (xs, ys)) in x.chunks(CHUNK).zip(y.chunks_mut(CHUNK)).enumerate() {
        let ahead = &x[((i + 1) * CHUNK).min(x.len())..];
        let step = if long { STEP } else { CHUNK };
        for (k, (xp, yp)) in xs.chunks(step).zip(ys.chunks_mut(step)).enumerate() {
            if long {
                let from = (k * STEP).min(ahead.len());
                prefetch(&ahead[from..(from + STEP).min(ahead.len())]);
            }
            for (o, &v) in yp.iter_mut().zip(xp) {
                *o = form(v);
            }
        }
    }
}

macro_rules! slice_loop {
    ($name:ident, $form:ident) => {
        fn $name(x: &[f32], y: &mut [f32]) {
            #[cfg(target_arch = "x86_64")]
            #[target_feature(enable = "avx512f,avx512vl,avx512dq,avx512bw,avx2,fma")]
            unsafe fn avx512(x: &[f32], y: &mut [f32]) {
                chunked(x, y, $form)
            }
            #[cfg(target_arch = "x86_64")]
            #[target_feature(enable = "avx2,fma")]
            unsafe fn avx2(x: &[f32], y: &mut [f32]) {
                chunked(x, y, $form)
            }
            #[cfg(target_arch = "x86_64")]
            match actdiff::instruction_set() {
                // SAFETY: `instruction_set` found these features on this CPU.
                InstructionSet::Avx512 => return unsafe { avx512(x, y) },
                // SAFETY: as above.
                InstructionSet::Avx2Fma => return unsafe { avx2(x, y) },
                _ => {}
            }
            chunked(x, y, $form)
        }
    };
}

slice_loop!(lean_loop, lean);
slice_loop!(folded_loop, folded);
slice_loop!(unrounded_loop, unrounded);
slice_loop!(compensated_loop, compensated);

fn copy_loop(x: &[f32], y: &mut [f32]) {
    y.copy_from_slice(x);
}

fn actdiff_loop(x: &[f32], y: &mut [f32]) {
    Mish.forward_slice(x, y);
}

/// A form: its name, its slice loop and its scalar function (none for the copy).
struct Form {
    name: &'static str,
    run: Loop,
    at: Option<fn(f32) -> f32>,
}

impl Form {
    fn new(name: &'static str, run: Loop, at: Option<fn(f32) -> f32>) -> Form {
        Form { name, run, at }
    }
}

/// ns per element of `run` over `x`, after a warm-up, over about 2^26 elements.
fn time(run: Loop, x: &[f32], y: &mut [f32]) -> f64 {
    let reps = ((1usize << 26) / x.len()).max(1);
    for _ in 0..reps / 8 + 1 {
        run(x, y);
    }
    let start = Instant::now();
    for _ in 0..reps {
        run(std::hint::black_box(x), y);
    }
    start.elapsed().as_nanos() as f64 / (reps * x.len()) as f64
}

fn reference(x: f64) -> f64 {
    x * (x.max(0.0) + (-x.abs()).exp().ln_1p()).tanh()
}

/// The slice sizes timed, as powers of two.
const SIZES: [u32; 3] = [14, 20, 24];

fn main() {
    let step: usize = match std::env::args().nth(1).map(|s| s.parse()) {
        None => 13,
        Some(Ok(n)) if n > 0 => n,
        Some(_) => {
            eprintln!("usage: mish_forms [step], step a positive integer");
            std::process::exit(2);
        }
    };
    let forms = [
        Form::new("copy", copy_loop, None),
        Form::new("actdiff Mish", actdiff_loop, Some(|x| Mish.forward(x))),
        Form::new("lean", lean_loop, Some(lean)),
        Form::new("folded (session 16)", folded_loop, Some(folded)),
        Form::new("unrounded", unrounded_loop, Some(unrounded)),
        Form::new("compensated", compensated_loop, Some(compensated)),
    ];
    println!("instruction set: {}", actdiff::instruction_set());
    // Per form, per size, the fastest and the slowest of two rounds.
    let mut times = vec![[(f64::INFINITY, 0.0f64); SIZES.len()]; forms.len()];
    for (j, log2) in SIZES.into_iter().enumerate() {
        let n = 1usize << log2;
        let x: Vec<f32> = (0..n)
            .map(|i| -20.0 + 40.0 * (i as f32 + 0.5) / n as f32)
            .collect();
        let mut y = vec![0.0; n];
        for _ in 0..2 {
            for (k, form) in forms.iter().enumerate() {
                let t = time(form.run, &x, &mut y);
                let (lo, hi) = &mut times[k][j];
                *lo = lo.min(t);
                *hi = hi.max(t);
            }
        }
    }
    let mut worst = vec![(0.0f64, 0.0f32); forms.len()];
    for bits in (0..=u32::MAX).step_by(step) {
        let x = f32::from_bits(bits);
        if x.is_nan() || x.abs() >= 20.0 {
            continue;
        }
        for (k, form) in forms.iter().enumerate() {
            let Some(at) = form.at else { continue };
            // Relative error, or absolute beside the root at 0, as DESIGN.md counts it.
            let err = oracle::f32_error_against_f64(at(x), x, reference, 0.5);
            if let Some(err) = err.filter(|&e| e > worst[k].0) {
                worst[k] = (err, x);
            }
        }
    }
    print!("{:<20}", "form");
    for log2 in SIZES {
        print!(" {:>13}", format!("ns/elem 2^{log2}"));
    }
    println!(" {:>8}  at x", "max ULP");
    for (k, form) in forms.iter().enumerate() {
        print!("{:<20}", form.name);
        for (lo, hi) in times[k] {
            print!(" {:>13}", format!("{lo:.3}–{hi:.3}"));
        }
        match form.at {
            Some(_) => println!(" {:>8.3}  {:e}", worst[k].0, worst[k].1),
            None => println!(),
        }
    }
}
