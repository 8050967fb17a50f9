//! Evaluates a built-in's gradient in one of its parameters at the inputs given on
//! standard input (one decimal value per line), printing `∂f/∂p` in f64 and, for the
//! input rounded to f32, in f32, both in Rust's shortest round-trip decimal form: the
//! bridge `tests/oracle/check_snake.py` measures snake's gradient in alpha through,
//! against mpmath, for any alpha.
//!
//! ```sh
//! echo 2.5 | cargo run --release --example param_gradient_points -- "snake(alpha=0.3)" 0
//! ```

use actdiff::{Activation, Builtin};
use std::io::{self, BufRead, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [spec, index] = args.as_slice() else {
        eprintln!("usage: param_gradient_points <activation, e.g. snake(alpha=0.3)> <parameter index> < points");
        return ExitCode::from(2);
    };
    let parsed = (spec.parse::<Builtin<f64>>(), spec.parse::<Builtin<f32>>());
    let (a64, a32) = match parsed {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("param_gradient_points: {e}");
            return ExitCode::from(2);
        }
    };
    let count = a64.info().params.len();
    let index = match index.parse::<usize>() {
        Ok(i) if i < count => i,
        _ => {
            eprintln!("param_gradient_points: {spec} has {count} parameter(s); no index {index:?}");
            return ExitCode::from(2);
        }
    };
    let mut out = io::BufWriter::new(io::stdout().lock());
    for line in io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        let text = line.trim();
        if text.is_empty() {
            continue;
        }
        let Ok(x) = text.parse::<f64>() else {
            eprintln!("param_gradient_points: not a number: {text:?}");
            return ExitCode::from(2);
        };
        let (g64, g32) = (
            a64.param_derivative(index, x),
            a32.param_derivative(index, x as f32),
        );
        if writeln!(out, "{g64:e} {g32:e}").is_err() {
            // A closed pipe ends the output.
            return ExitCode::SUCCESS;
        }
    }
    ExitCode::SUCCESS
}
