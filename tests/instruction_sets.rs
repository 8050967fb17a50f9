//! Every instruction set gives the same bits: each built-in (and a run-time
//! definition) through every slice kernel and scalar method, on a grid with the
//! special values, hashed, in one child process per instruction set this CPU has
//! (`ACTDIFF_ISA` caps the choice), and the hashes compared.
//!
//! The kernels' streaming stores, used for outputs of 16 MiB and more, are checked on
//! the grid repeated to that length, one element off a cache line.
//!
//! The vector paths differ from the portable one only in an optimized build, where
//! LLVM vectorizes the loops (the debug build of `cargo test` runs the same code on
//! every path); `.ci/run` runs this file in release as well:
//! `cargo test --release --test instruction_sets`.

use actdiff::prelude::*;
use actdiff::{Dynamic, InstructionSet};
use std::collections::BTreeMap;
use std::process::Command;

/// Set in the child processes: the fingerprint test runs only there.
const CHILD: &str = "ACTDIFF_FINGERPRINT_CHILD";

/// FNV-1a over 64-bit words, NaN canonical (its payload and sign may follow the
/// operand order, which vector code may change; NaN itself must not).
struct Hash(u64);

impl Default for Hash {
    /// FNV-1a's offset basis.
    fn default() -> Hash {
        Hash(0xcbf2_9ce4_8422_2325)
    }
}

impl Hash {
    fn add(&mut self, bits: u64) {
        for byte in bits.to_le_bytes() {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn values<T: Real>(&mut self, values: &[T]) {
        for &v in values {
            let v = v.to_f64();
            self.add(if v.is_nan() { u64::MAX } else { v.to_bits() });
        }
    }
}

/// Inputs: steps of 1/64 on [-120, 120], magnitudes from 1e-320 to 1e308 (those
/// that `T` holds, the rest become 0 or inf), and the special values.
fn inputs<T: Real>() -> Vec<T> {
    let mut xs: Vec<f64> = (-120 * 64..=120 * 64).map(|k| k as f64 / 64.0).collect();
    for k in 0..1500 {
        let m = 10f64.powf(-320.0 + 628.0 * f64::from(k) / 1500.0);
        xs.extend([m, -m]);
    }
    xs.extend([
        0.0,
        -0.0,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
        f64::MAX,
        f64::MIN,
        f64::MIN_POSITIVE,
        5e-324,
        -5e-324,
        f32::MAX.into(),
        f32::MIN_POSITIVE.into(),
        1e-45,
    ]);
    xs.into_iter().map(T::from_f64).collect()
}

/// Gradients in [-2, 2), from a fixed linear congruential sequence.
fn gradients<T: Real>(n: usize) -> Vec<T> {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    (0..n)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            T::from_f64((state >> 11) as f64 / (1u64 << 53) as f64 * 4.0 - 2.0)
        })
        .collect()
}

/// The hash of everything `a` computes on the grid.
fn fingerprint<T: Real, A: Activation<T>>(a: &A) -> u64 {
    let x = inputs::<T>();
    let g = gradients::<T>(x.len());
    let n = x.len();
    let mut h = Hash::default();
    let (mut y, mut gin) = (vec![T::default(); n], vec![T::default(); n]);
    a.forward_slice(&x, &mut y);
    h.values(&y);
    a.backward_slice(&x, &g, &mut gin);
    h.values(&gin);
    a.forward_backward_slice(&x, &g, &mut y, &mut gin);
    h.values(&y);
    h.values(&gin);
    let mut in_place = x.clone();
    a.forward_in_place(&mut in_place);
    h.values(&in_place);
    let scalar: Vec<T> = x
        .iter()
        .flat_map(|&v| {
            let (f, d) = a.forward_and_derivative(v);
            [a.forward(v), a.derivative(v), f, d, a.second_derivative(v)]
        })
        .collect();
    h.values(&scalar);
    // The sums over the finite inputs only: one NaN would make every sum NaN.
    let (xf, gf): (Vec<T>, Vec<T>) = x
        .iter()
        .zip(&g)
        .filter(|(v, _)| v.to_f64().is_finite())
        .unzip();
    for i in 0..a.info().params.len() {
        h.values(&[a.param_gradient_sum(i, &xf, &gf)]);
        let mut gin = vec![T::default(); xf.len()];
        let sum = a.backward_slice_with_param_gradient(i, &xf, &gf, &mut gin);
        h.values(&[sum]);
        h.values(&gin);
        let pointwise: Vec<T> = x.iter().map(|&v| a.param_derivative(i, v)).collect();
        h.values(&pointwise);
    }
    h.0
}

/// The hash of the slice kernels on the grid repeated to 16 MiB of output and more,
/// one element off a cache line: long enough for the kernels' streaming stores.
fn streamed_fingerprint<T: Real, A: Activation<T>>(a: &A) -> u64 {
    let n = (16 << 20) / std::mem::size_of::<T>() + 100;
    let x_all: Vec<T> = inputs::<T>().into_iter().cycle().take(n + 1).collect();
    let x = &x_all[1..];
    let g = gradients::<T>(n);
    let (mut y_all, mut gin_all) = (vec![T::default(); n + 1], vec![T::default(); n + 1]);
    let (y, gin) = (&mut y_all[1..], &mut gin_all[1..]);
    // Each output filled first with a value no kernel writes here, so that a store
    // left out shows.
    let blank = T::from_f64(12345.0);
    let mut h = Hash::default();
    y.fill(blank);
    a.forward_slice(x, y);
    h.values(y);
    gin.fill(blank);
    a.backward_slice(x, &g, gin);
    h.values(gin);
    y.fill(blank);
    gin.fill(blank);
    a.forward_backward_slice(x, &g, y, gin);
    h.values(y);
    h.values(gin);
    for i in 0..a.info().params.len() {
        // The grid's infinities and NaN make every sum infinite or NaN: `grad_in`
        // only.
        gin.fill(blank);
        a.backward_slice_with_param_gradient(i, x, &g, gin);
        h.values(gin);
    }
    h.0
}

/// The built-ins whose long outputs are streamed (arithmetic only), and mish, whose
/// are not. Optimized builds only, where the paths differ (the debug build took 85 s
/// with them).
const STREAMED: [&str; 5] = ["relu", "leaky_relu", "prelu", "hardtanh", "mish"];

/// One line per activation and type: `name dtype hash`.
fn fingerprints() -> Vec<String> {
    let mut lines = Vec::new();
    for a in Builtin::<f32>::all() {
        lines.push(format!("{a} f32 {:016x}", fingerprint(&a)));
    }
    for a in Builtin::<f64>::all() {
        lines.push(format!("{a} f64 {:016x}", fingerprint(&a)));
    }
    let streamed = |name: &str| !cfg!(debug_assertions) && STREAMED.contains(&name);
    for a in Builtin::<f32>::all().iter().filter(|a| streamed(a.name())) {
        lines.push(format!("{a} f32 streamed {:016x}", streamed_fingerprint(a)));
    }
    for a in Builtin::<f64>::all().iter().filter(|a| streamed(a.name())) {
        lines.push(format!("{a} f64 streamed {:016x}", streamed_fingerprint(a)));
    }
    let dynamic = Dynamic::parse("Mish(x; learn beta = 1) = x * tanh(softplus(beta * x))")
        .expect("the definition parses");
    lines.push(format!(
        "dynamic f32 {:016x}",
        fingerprint::<f32, _>(&dynamic)
    ));
    lines.push(format!(
        "dynamic f64 {:016x}",
        fingerprint::<f64, _>(&dynamic)
    ));
    lines
}

/// Runs in a child process only: prints the instruction set and the fingerprints.
#[test]
fn fingerprint_of_this_instruction_set() {
    if std::env::var_os(CHILD).is_none() {
        return;
    }
    // On a line of its own: the harness has printed the test's name without a newline.
    println!("\nisa {}", actdiff::instruction_set().name());
    for line in fingerprints() {
        println!("fingerprint {line}");
    }
}

#[test]
fn every_instruction_set_gives_the_same_bits() {
    let exe = std::env::current_exe().expect("the test binary's path");
    let best = actdiff::instruction_set();
    let mut runs: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for isa in InstructionSet::ALL.into_iter().filter(|&isa| isa <= best) {
        let out = Command::new(&exe)
            .args([
                "--exact",
                "fingerprint_of_this_instruction_set",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD, "1")
            .env("ACTDIFF_ISA", isa.name())
            .output()
            .expect("the test binary runs again");
        assert!(out.status.success(), "the {isa} child failed: {out:?}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        // The child ran with the instruction set asked for, not a fallback.
        assert!(
            stdout.lines().any(|l| l == format!("isa {}", isa.name())),
            "the child did not run with {isa}:\n{stdout}"
        );
        let lines: Vec<String> = stdout
            .lines()
            .filter_map(|l| l.strip_prefix("fingerprint "))
            .map(str::to_string)
            .collect();
        assert!(
            lines.len() > 2 * Builtin::<f32>::all().len(),
            "the {isa} child printed too few fingerprints:\n{stdout}"
        );
        runs.insert(isa.name(), lines);
    }
    let mut names = runs.keys();
    let first = *names.next().expect("at least the portable run");
    for other in names {
        assert_eq!(
            runs[first].len(),
            runs[other].len(),
            "{first} and {other} printed different numbers of fingerprints"
        );
        let differing: Vec<String> = runs[first]
            .iter()
            .zip(&runs[other])
            .filter(|(a, b)| a != b)
            .map(|(a, b)| format!("{first}: {a}  {other}: {b}"))
            .collect();
        assert!(
            differing.is_empty(),
            "{first} and {other} differ:\n{}",
            differing.join("\n")
        );
    }
}
