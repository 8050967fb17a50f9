//! Multi-threading of the slice kernels (the `rayon` feature): long slices are cut
//! into pieces that rayon's threads share; short ones stay on the calling thread,
//! where they finish before a second thread could help.

/// The shortest slice split over threads. Measured with `benches/threads.rs` on the
/// development machine (2 cores, see `docs/performance-log.md`): at 2^12
/// and 2^14 elements two threads were slower than one or even in every run (relu
/// 1.04–2.55×, mish 0.98–1.23×); from 2^16 on, with the second core mostly free,
/// mish forward took 0.43–0.63 of the one-thread time and relu 0.59–0.91.
pub(crate) const MIN_LEN: usize = 1 << 16;

/// Whether a slice of `n` elements is worth splitting over rayon's threads.
pub(crate) fn worth_it(n: usize) -> bool {
    n >= MIN_LEN && rayon::current_num_threads() > 1
}

/// Elements per piece of an elementwise kernel's slice of `n`: four pieces per
/// thread, so that a thread slowed by other work is made up for by the others, and a
/// whole number of 64-byte lines of f32 and f64, so that the pieces of an aligned
/// slice share no cache line. Elementwise results do not depend on it (parameter-gradient sums
/// use their own fixed blocks).
pub(crate) fn piece(n: usize) -> usize {
    const LINE: usize = 16;
    n.div_ceil(4 * rayon::current_num_threads() * LINE).max(1) * LINE
}
