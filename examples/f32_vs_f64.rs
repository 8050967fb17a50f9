//! Every built-in's f32 code against its f64 code, on a dense grid: for each built-in
//! and column (forward, derivative, every parameter derivative), the largest error of
//! the f32 result in f32 ULPs of the f64 result, and where. The f64 parameters are the
//! f32 ones widened, so both compute the same function.
//!
//! ```text
//! cargo run --release --example f32_vs_f64
//! ```
//!
//! The grid: steps of 1/1024 over [-160, 160] and 20,000 magnitudes log-spaced from
//! 1e-40 to 3e38 of each sign, about 370,000 points. The metric is the accuracy
//! tests' (`tests/common/oracle.rs`), with the f64 value as the reference and
//! absolute error where it changes sign within `1e-3·max(1, |x|)`; subnormal f64
//! values are skipped (the accuracy tests measure them apart), and so is snake beyond
//! f32 `sin`'s documented range (|x| ≤ 65536). A line ends in `<== above target` where
//! the error exceeds 4 ULP (forward) or 8 (the others), and a NaN where f64 has a
//! number counts as infinite. f'' is not listed: f32 code evaluates it in f64.
//!
//! f64 is a reference for f32 to within a few f64 ULPs, 2^-29 of an f32 ULP, except
//! where f64's own formula fails: this finds f32's misses, not f64's.

#[path = "../tests/common/oracle.rs"]
mod oracle;

use actdiff::prelude::*;
use oracle::f32_error_against_f64;

/// One column: its name and the f32 and f64 functions.
type Column<'a> = (
    String,
    Box<dyn Fn(f32) -> f32 + 'a>,
    Box<dyn Fn(f64) -> f64 + 'a>,
);

fn main() {
    let mut xs: Vec<f32> = (-160 * 1024..=160 * 1024)
        .map(|k| k as f32 / 1024.0 + 1.0 / 4096.0)
        .collect();
    for k in 0..20_000 {
        let m = 10f64.powf(-40.0 + 78.5 * f64::from(k) / 20_000.0) as f32;
        xs.extend([m, -m]);
    }
    for (a32, mut a64) in Builtin::<f32>::all().into_iter().zip(Builtin::<f64>::all()) {
        let params = a32.info().params.len();
        for i in 0..params {
            if let Err(e) = a64.set_param(i, f64::from(a32.param(i))) {
                eprintln!("{}: {e}", a32.name());
                std::process::exit(1);
            }
        }
        let (a32, a64) = (&a32, &a64);
        let mut columns: Vec<Column> = vec![
            (
                "f".into(),
                Box::new(|x| a32.forward(x)),
                Box::new(|x| a64.forward(x)),
            ),
            (
                "f'".into(),
                Box::new(|x| a32.derivative(x)),
                Box::new(|x| a64.derivative(x)),
            ),
        ];
        for i in 0..params {
            columns.push((
                format!("∂{}", a32.info().params[i].name),
                Box::new(move |x| a32.param_derivative(i, x)),
                Box::new(move |x| a64.param_derivative(i, x)),
            ));
        }
        for (name, f32_fn, f64_fn) in &columns {
            // (error, x, f32 value, f64 value)
            let mut worst = (0.0f64, 0.0f32, 0.0f32, 0.0f64);
            for &x in &xs {
                if a32.name() == "snake" && x.abs() > 65536.0 {
                    continue;
                }
                let got = f32_fn(x);
                let Some(err) = f32_error_against_f64(got, x, f64_fn, 0.0) else {
                    continue;
                };
                if err > worst.0 {
                    worst = (err, x, got, f64_fn(f64::from(x)));
                }
            }
            let target = if name == "f" { 4.0 } else { 8.0 };
            println!(
                "{:24} {:8} max {:8.2} ULP at x = {:e}: f32 {:e}, f64 {:e}{}",
                a32.name(),
                name,
                worst.0,
                worst.1,
                worst.2,
                worst.3,
                if worst.0 > target {
                    "  <== above target"
                } else {
                    ""
                }
            );
        }
    }
}
