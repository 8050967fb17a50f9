//! The library behind the `actdiff` command-line tool: resolving a built-in or a
//! definition given as text ([`target`]), drawing it ([`plot`]), checking it
//! ([`check`]) and measuring the slice kernels' throughput ([`throughput`]). The
//! tool, the `throughput` example and the tests share it.

pub mod check;
pub mod plot;
mod png;
pub mod target;
pub mod throughput;
