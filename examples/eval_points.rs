//! Evaluates built-ins at the f32 inputs given on standard input (one decimal or
//! hex-bits value per line), printing `x f(x) f'(x)` as f32 bit patterns in hex: the
//! bridge that lets `tests/oracle/ulp_vs_torch.py` measure actdiff on exactly the
//! points `peers/torch_ulp.py` measures PyTorch on.
//!
//! ```sh
//! cargo run --release --example eval_points -- mish < points.txt
//! ```

use actdiff::{Activation, Builtin};
use std::io::{self, BufRead, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(spec) = std::env::args().nth(1) else {
        eprintln!("usage: eval_points <activation, e.g. mish or gelu(approximate=tanh)> < points");
        return ExitCode::from(2);
    };
    let act: Builtin<f32> = match spec.parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("eval_points: {e}");
            return ExitCode::from(2);
        }
    };
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    for line in io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        let text = line.trim();
        if text.is_empty() {
            continue;
        }
        let Ok(x) = text.parse::<f32>() else {
            eprintln!("eval_points: not a number: {text:?}");
            return ExitCode::from(2);
        };
        let (f, d) = (act.forward(x), act.derivative(x));
        if writeln!(
            out,
            "{:08x} {:08x} {:08x}",
            x.to_bits(),
            f.to_bits(),
            d.to_bits()
        )
        .is_err()
        {
            return ExitCode::from(1);
        }
    }
    ExitCode::SUCCESS
}
