//! The library behind the `actdiff` command-line tool: resolving a built-in or a
//! definition given as text ([`target`]), drawing it ([`plot`]), checking it
//! ([`check`]) and measuring the slice kernels' throughput ([`throughput`]). The
//! tool, the `throughput` example and the tests share it, and both programs stop
//! quietly when their output pipe closes ([`quiet_on_closed_pipe`]).

pub mod check;
pub mod plot;
mod png;
pub mod target;
pub mod throughput;

/// Makes a closed output pipe end the program quietly, with status 0. `print!` panics
/// when stdout is a pipe whose reader has gone (`actdiff list | head`); the reader
/// chose to stop reading, so the program stops quietly, as Unix tools do, instead of
/// printing a panic; every other panic keeps the default report.
pub fn quiet_on_closed_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if message.starts_with("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(0);
        }
        default(info)
    }));
}
