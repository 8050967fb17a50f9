//! Single-threaded throughput of the built-ins' slice kernels, printed in the line
//! format of the peers' benchmarks; the same report as `actdiff bench` (see
//! `actdiff_cli::throughput` for what each line measures).
//!
//! ```text
//! cargo run --release --example throughput
//! cargo run --release --example throughput -- --sizes 20 --filter mish
//! ```

use actdiff_cli::throughput::{report, Options};
use clap::Parser;

/// The throughput report.
#[derive(Parser)]
#[command(name = "throughput")]
struct Args {
    #[command(flatten)]
    options: Options,
}

fn main() -> std::process::ExitCode {
    actdiff_cli::quiet_on_closed_pipe();
    match report(&Args::parse().options, "throughput example") {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            std::process::ExitCode::FAILURE
        }
    }
}
