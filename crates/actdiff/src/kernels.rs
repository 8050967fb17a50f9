//! Slice kernels. Each loop runs over chunks: the generated branch-free body fills a
//! chunk while a NaN flag is OR-ed in the same pass, and only a chunk that produced a
//! NaN is revisited element by element to apply the scalar methods' rule at ±inf.
//! The loops run inside [`crate::dispatch::vectorized`], which picks the widest
//! instruction set the CPU has. Long outputs of arithmetic-only formulas are
//! written with streaming stores instead ([`streams`]): each block is computed into
//! a buffer, checked for NaN after its loop, and streamed to the output's lines.

use crate::dispatch::{
    amd, prefetch, vectorized, vectorized_streaming, whole_groups, Streamer, GROUP, LINE_BYTES,
    STREAMING_STORES,
};
use crate::{Activation, Real};

/// Elements per chunk: large enough to amortise the NaN check, small enough that a
/// revisit stays in L1.
const CHUNK: usize = 512;

/// Outputs of at least this many bytes are written with streaming stores (see
/// [`crate::dispatch::Streamer`]). Measured on the development machine (Intel Xeon,
/// AVX-512; `docs/performance-log.md`) with relu's f32 kernels in a
/// stand-alone loop: at 2^24 elements streaming took the forward from 0.39–0.45 to
/// 0.30–0.33 ns per element and the backward from 0.70–0.76 to 0.47–0.50; at 2^20
/// and 2^21 (4 and 8 MiB of output, which the caches still hold) it was 2–6%
/// slower, at 2^22 (16 MiB) level or faster.
const STREAM_BYTES: usize = 16 << 20;

/// Elements computed into a buffer and then streamed, in each streamed loop: 16
/// lines of f32. Measured for relu's f32 kernels at 2^24 among 64, 128, 256 and 512
/// (one run each): 256 was the fastest in both directions, though within the runs'
/// spread of 64's. The forward+backward streamed blocks of [`CHUNK`] (512), with the
/// 256 elements after each prefetched: with blocks of 256, relu's at 2^24 took
/// 0.70–0.74 ns per element instead of 0.82–0.88 (f32) and 1.43–1.49 instead of
/// 1.93–1.96 (f64; best of 12 calls, three alternating runs).
const STREAM_BLOCK: usize = 256;
const _: () = assert!(STREAM_BLOCK.is_multiple_of(GROUP));

/// A backward with a parameter gradient whose output is at least this many bytes, and
/// is not streamed, writes `grad_in` and adds the terms to the lanes in one loop;
/// shorter ones compute a chunk's terms into a buffer and add them after it. Measured
/// for prelu on the development machine (Intel Xeon, AVX-512; four alternating runs of
/// a stand-alone loop, best of five calls each; the one loop then in chunks of
/// [`CHUNK`] elements, see [`ONE_LOOP_CHUNK_BYTES`] for its chunks now): one loop took
/// f32 at 2^20 from 0.50–0.63 to 0.46–0.50 ns per element and f64 from 1.29–1.36 to
/// 1.06–1.18, f64 at 2^18 and 2^19 from 1.11–1.20 to 1.03–1.05, level with f32 at 2^18
/// and 2^19 and with f64 up to 2^17; but f32 up to 2^17 from 0.21–0.27 to 0.27–0.32,
/// where its lanes, which stay in memory through that loop, make each group wait for
/// the one before.
/// Streamed outputs keep the buffer (one loop: f32 at 2^24 0.82–0.86 against
/// 0.68–0.73), and so do formulas that are not arithmetic only (see
/// [`arithmetic_only`]), which wait for arithmetic rather than memory (swish's f32 at
/// 2^22 took 2.69–2.71 in one loop against 2.48–2.66; snake's was level).
///
/// On AMD's CPUs every length keeps the buffer (see [`crate::dispatch::amd`]). On an
/// AMD EPYC (Zen 4, AVX-512; 2026-11-29; prelu in a stand-alone loop, best of 200
/// calls, three alternating runs) the buffer was as fast or faster at every length
/// measured: f32 at 2^20 0.31–0.32 ns per element against 0.43–0.60 in one loop
/// (AVX2: 0.25–0.27 against 0.31–0.32), at 2^22 level with AVX-512 and 0.47–0.52
/// against 0.64–0.72 with AVX2; f64 at 2^18 0.53–0.61 against 0.64–0.87, at 2^19
/// 0.64–0.74 against 0.75–0.91, level at 2^20 and 2^21. The one loop keeps its lanes
/// in memory (seen in the assembly: LLVM does not hold them in registers across the
/// stores to `grad_in`), so each group's add reloads what the group before stored.
const ONE_LOOP_BYTES: usize = 2 << 20;

/// The chunks of the backward with a parameter gradient in one loop, in bytes of
/// output (256 f32, 128 f64; see [`one_loop_chunk`]). Measured for prelu as
/// [`ONE_LOOP_BYTES`] (three alternating runs, ns per element at 2^20): f32 0.45–0.49
/// with chunks of 512 bytes, 0.43–0.46 with 1 KiB, 0.45–0.47 with [`CHUNK`]'s 512
/// elements (2 KiB), 0.57 with 8 KiB; f64 0.86–0.93 with 512 bytes, 0.86–0.90 with
/// 1 KiB, 0.90–0.93 with 2 KiB, 0.99–1.09 with 512 elements (4 KiB), 1.11–1.13 with
/// 16 KiB. At 2^19 1 KiB took f64 from 1.03–1.10 (512 elements) to 0.86–0.90 and f32
/// from 0.46–0.47 to 0.42–0.45; at 2^22 the two were level.
const ONE_LOOP_CHUNK_BYTES: usize = 1 << 10;

/// Whether an output of `n` elements computed by `formula` (DSL text, as in
/// [`crate::ActivationInfo`]) is written with streaming stores: where the target has
/// them ([`STREAMING_STORES`]), the output is long (see [`STREAM_BYTES`]) and the
/// formula is arithmetic and selects only (see [`arithmetic_only`]). Elsewhere the
/// parameter kernel takes its one loop ([`param_loop`]) rather than a streamed loop
/// without a streamer.
///
/// Streaming pays where a kernel waits for memory. Where it computes a
/// transcendental function it waits for arithmetic instead: mish's f32 forward at
/// 2^24 took 1.25–1.28 ns per element streamed against 1.06–1.20 stored as usual
/// (session 13; relu's 0.30–0.33 against 0.44–0.47), and once the streamed loops
/// prefetched their inputs, 0.93–1.00 against 0.96–0.98 (session 16): no gain.
fn streams<T>(n: usize, formula: &str) -> bool {
    STREAMING_STORES && long::<T>(n) && arithmetic_only(formula)
}

/// Whether `formula` calls no function but `max`, `min`, `abs`, `powi` and
/// `mul_err`, each a few instructions: an identifier followed by `(` is a call.
fn arithmetic_only(formula: &str) -> bool {
    const CHEAP: [&str; 5] = ["max", "min", "abs", "powi", "mul_err"];
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut rest = formula;
    while let Some(start) = rest.find(is_ident) {
        let tail = &rest[start..];
        let end = tail.find(|c: char| !is_ident(c)).unwrap_or(tail.len());
        let (word, after) = tail.split_at(end);
        if after.trim_start().starts_with('(') && !CHEAP.contains(&word) {
            return false;
        }
        rest = after;
    }
    true
}

/// `out[i] = finite(x[i], g[i])` with streaming stores, `scalar` where that is NaN;
/// false, having written nothing, where the target has no streaming stores. Each
/// chunk is computed into a buffer on the stack (in the kernels' usual loop, which
/// vectorizes, where a loop over one line at a time was unrolled and did not) and
/// streamed from there to the lines of `out`; the few elements before its first
/// line boundary and after its last whole group are computed by `scalar` (the same
/// bits: the kernels give the scalar methods' bits). The slices have equal lengths.
#[inline(always)]
fn streamed<T: Real>(
    x: &[T],
    g: &[T],
    out: &mut [T],
    finite: impl Fn(T, T) -> T,
    scalar: impl Fn(T, T) -> T,
) -> bool {
    vectorized_streaming(
        #[inline(always)]
        |streamer| {
            let Some(s) = streamer else {
                return false;
            };
            let _fence = s.fence_on_drop();
            // The forward passes `x` as `g` too; its loop then reads `x` once: with
            // the slice zipped twice, mish's forward (streamed at the time) took
            // 1.51 ns at 2^24, with it read once 1.25.
            let forward = core::ptr::eq(x, g);
            let body = whole_groups(out);
            for i in (0..body.start).chain(body.end..out.len()) {
                out[i] = scalar(x[i], g[i]);
            }
            let (x, g, out) = (&x[body.clone()], &g[body.clone()], &mut out[body]);
            let mut buffer = [T::default(); STREAM_BLOCK];
            let blocks = x.chunks(STREAM_BLOCK).zip(g.chunks(STREAM_BLOCK));
            for (i, ((xs, gs), os)) in blocks.zip(out.chunks_mut(STREAM_BLOCK)).enumerate() {
                let inputs: &[&[T]] = if forward { &[x] } else { &[x, g] };
                prefetch_from(inputs, (i + 1) * STREAM_BLOCK, STREAM_BLOCK);
                let b = &mut buffer[..os.len()];
                if forward {
                    for (xi, bi) in xs.iter().zip(b.iter_mut()) {
                        *bi = finite(*xi, *xi);
                    }
                } else {
                    for ((xi, gi), bi) in xs.iter().zip(gs).zip(b.iter_mut()) {
                        *bi = finite(*xi, *gi);
                    }
                }
                // Checked after the loop, where a flag in it kept the forward's
                // loop from vectorizing.
                if any_nan(b) {
                    for ((xi, gi), bi) in xs.iter().zip(gs).zip(b.iter_mut()) {
                        *bi = scalar(*xi, *gi);
                    }
                }
                s.store_groups(os, b);
            }
            true
        },
    )
}

/// Asks for `inputs[..][from..from + len]` (what is of them) in the cache. The
/// loops that stream their output ask for the block after the one they compute
/// ([`STREAM_BLOCK`] elements), whose lines then arrive while this one's are computed
/// and streamed. Measured with the report at 2^24 (five alternating runs, median of
/// each run's ratio to its copy): relu's f32 backward 1.67 -> 1.42 × copy, prelu's
/// with the alpha gradient 1.96 -> 1.71 (f64 1.63 -> 1.30), relu's f64 forward 0.97
/// -> 0.86; 512 elements ahead was slower (f64 backward +16–18%), and so were a
/// prefetch into L2 only (f32) and a non-temporal one (more than twice as slow).
#[inline(always)]
fn prefetch_from<T>(inputs: &[&[T]], from: usize, len: usize) {
    for v in inputs {
        let start = from.min(v.len());
        prefetch(&v[start..(start + len).min(v.len())]);
    }
}

/// Elements between two requests for the inputs ahead in [`in_steps`].
const STEP: usize = 64;

/// Runs `body` over the ranges of a chunk of `len` elements and says whether it found a
/// NaN in any: where the output is `long` (and not streamed: a formula that calls a
/// transcendental function, any formula where the target has no streaming stores), in
/// steps of [`STEP`] elements, each after asking for the same step of `ahead` (the
/// inputs from one [`CHUNK`] on); otherwise in one piece. `body` must be
/// `#[inline(always)]`: a closure compiled on its own is not compiled for the kernel's
/// instruction set (mish's forward took 15 ns per element).
///
/// The hardware's own prefetching does not keep up with a loop that computes: without
/// any request, the mish forms of `examples/mish_forms.rs` took up to twice as long at
/// 2^24. Requests spread over the chunk, where asking for the whole next chunk at its
/// start made the backward slower (4–13%, two inputs) and the forward less fast than
/// this. At 2^24, pinned, three alternating runs of the report (ns per element, before ->
/// after): forwards in f32 mish 1.05–1.06 -> 0.92–0.94, silu 1.07–1.09 -> 0.95–0.97,
/// tanh 0.85–0.88 -> 0.72–0.75, in f64 mish 2.49–2.52 -> 1.94–1.98, silu 2.50–2.62 ->
/// 1.97–2.00; backwards (which asked for nothing) in f32 mish 1.84–1.91 -> 1.53–1.58,
/// tanh 1.13–1.17 -> 0.80–0.87, gelu 4.15–4.22 -> 3.71–3.77, in f64 silu 3.84–3.95 ->
/// 3.22–3.30, tanh 2.42–2.49 -> 1.79–1.88; the in-place forward (a scratch loop, best
/// of five) in f32 mish 1.21–1.27 -> 0.94, in f64 2.64–2.67 -> 1.97–2.01. At 2^20 (not
/// long) level. Steps of 32 were slower, of 128 level; asking half a chunk or two
/// chunks ahead was level. In the forward and backward in one pass in f32 only (see
/// [`forward_backward_serial`]): mish at 2^24 2.09–2.35 -> 1.82–1.95.
#[inline(always)]
fn in_steps<T>(
    ahead: &[&[T]],
    long: bool,
    len: usize,
    mut body: impl FnMut(usize, usize) -> bool,
) -> bool {
    if !long {
        return body(0, len);
    }
    let mut nan = false;
    let mut k = 0;
    while k < len {
        let end = (k + STEP).min(len);
        prefetch_from(ahead, k, STEP);
        nan |= body(k, end);
        k = end;
    }
    nan
}

/// `v` from element `start` on (empty past its end).
fn rest<T>(v: &[T], start: usize) -> &[T] {
    &v[start.min(v.len())..]
}

/// The shortest output [`line_chunks`] splits at its first line boundary: the
/// elements before it go through the vector loop's scalar remainder, which at 2^10
/// elements cost more than the aligned lines gained (the report, three alternating
/// runs, AMD EPYC: mish's f64 backward 6.38–6.48 -> 6.86–7.13 ns per element, f32
/// leaky_relu's forward 0.146 -> 0.166–0.176), while at 2^14 and up the split was
/// level or faster (leaky_relu's f32 forward at 2^14 0.092–0.122 -> 0.078–0.100).
/// 2^12 and 2^13, either side of this minimum, were not measured.
const LINE_CHUNKS_MIN: usize = 8 * CHUNK;

/// The chunks of a loop that writes `out` as usual (not streamed): the elements
/// before `out`'s first 64-byte line boundary, if any, then [`CHUNK`] elements each,
/// so that every chunk after the first starts on a line. Where the inputs start at
/// the same offset in a line as `out`, as long `Vec`s do (glibc maps blocks of 128 KiB
/// and more, and returns them 16 bytes past a page), the vector loads and stores then
/// stay inside a line instead of straddling two. Measured on an AMD EPYC (AVX-512):
/// relu's f32 forward at 2^20 in a stand-alone loop (best of 300 calls, three runs)
/// took 0.094–0.101 ns per element on slices 16 bytes past a line against
/// 0.086–0.094 on a line; the report, three alternating runs of the builds before and
/// after, at 2^20: relu's f32 backward 0.190–0.209 -> 0.161–0.176, leaky_relu's
/// 0.179–0.212 -> 0.158–0.167, mish's f64 forward+backward 7.07–7.50 -> 6.82–6.94.
/// Chunks are computed independently, so the split changes no bit. Outputs shorter
/// than [`LINE_CHUNKS_MIN`] are not split.
fn line_chunks<T>(out: &[T]) -> impl Iterator<Item = core::ops::Range<usize>> {
    let n = out.len();
    // (Below a chunk: `align_offset` may say "never", for a `T` that does not
    // divide a line, and `whole_groups` then gives the whole slice.)
    let head = whole_groups(out).start;
    let head = if head < CHUNK && n >= LINE_CHUNKS_MIN {
        head
    } else {
        0
    };
    let first = (head > 0).then_some(0..head);
    let body = (head..n)
        .step_by(CHUNK)
        .map(move |start| start..(start + CHUNK).min(n));
    first.into_iter().chain(body)
}

/// The bytes of `n` elements of `T`.
fn bytes<T>(n: usize) -> usize {
    n.saturating_mul(core::mem::size_of::<T>())
}

/// Whether an output of `n` elements is long enough to stream or to ask for inputs
/// ahead (see [`STREAM_BYTES`]).
fn long<T>(n: usize) -> bool {
    bytes::<T>(n) >= STREAM_BYTES
}

/// How [`param_block`] writes `grad_in` and sums the parameter gradient's terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ParamLoop {
    /// Each chunk's terms into a buffer, added to the lanes after it.
    Buffered,
    /// `grad_in` and the lanes in one loop (see [`ONE_LOOP_BYTES`]).
    OneLoop,
    /// As `Buffered`, with `grad_in` streamed where the target can (see [`streams`]).
    Streamed,
}

/// The loop of a backward with a parameter gradient whose output has `n` elements
/// and whose derivative is `formula` (DSL text).
fn param_loop<T>(n: usize, formula: &str) -> ParamLoop {
    if streams::<T>(n, formula) {
        ParamLoop::Streamed
    } else if bytes::<T>(n) >= ONE_LOOP_BYTES && arithmetic_only(formula) && !amd() {
        ParamLoop::OneLoop
    } else {
        ParamLoop::Buffered
    }
}

/// The elements of a chunk in one loop: [`ONE_LOOP_CHUNK_BYTES`] of them, rounded
/// down to a whole number of groups of the lanes (and at least one), so that every
/// chunk of a block starts on a group.
fn one_loop_chunk<T>() -> usize {
    (ONE_LOOP_CHUNK_BYTES / core::mem::size_of::<T>().max(1) / LANES).max(1) * LANES
}

/// Whether any of `v` is NaN, without an early exit (which would not vectorize).
#[inline(always)]
fn any_nan<T: Real>(v: &[T]) -> bool {
    v.iter().fold(false, |nan, r| nan | r.is_nan())
}

/// `(y[i], out[i]) = finite(x[i], g[i])`, as [`streamed`] writes one output; false
/// also where `y` and `out` start at different offsets in a cache line, so that
/// their lines are not the same groups.
#[inline(always)]
fn streamed_two<T: Real>(
    x: &[T],
    g: &[T],
    y: &mut [T],
    out: &mut [T],
    finite: impl Fn(T, T) -> (T, T),
    scalar: impl Fn(T, T) -> (T, T),
) -> bool {
    let offset = |o: &[T]| o.as_ptr() as usize % LINE_BYTES;
    if offset(y) != offset(out) {
        return false;
    }
    vectorized_streaming(
        #[inline(always)]
        |streamer| {
            let Some(s) = streamer else {
                return false;
            };
            let _fence = s.fence_on_drop();
            let body = whole_groups(y);
            for i in (0..body.start).chain(body.end..y.len()) {
                (y[i], out[i]) = scalar(x[i], g[i]);
            }
            let (x, g) = (&x[body.clone()], &g[body.clone()]);
            let (y, out) = (&mut y[body.clone()], &mut out[body]);
            let mut buffers = ([T::default(); STREAM_BLOCK], [T::default(); STREAM_BLOCK]);
            let chunks = x
                .chunks(STREAM_BLOCK)
                .zip(g.chunks(STREAM_BLOCK))
                .zip(y.chunks_mut(STREAM_BLOCK).zip(out.chunks_mut(STREAM_BLOCK)));
            for (i, ((xs, gs), (ys, os))) in chunks.enumerate() {
                prefetch_from(&[x, g], (i + 1) * STREAM_BLOCK, STREAM_BLOCK);
                let (by, bo) = (&mut buffers.0[..ys.len()], &mut buffers.1[..ys.len()]);
                let ins = xs.iter().zip(gs);
                for ((xi, gi), (yi, oi)) in ins.zip(by.iter_mut().zip(bo.iter_mut())) {
                    (*yi, *oi) = finite(*xi, *gi);
                }
                if any_nan(by) | any_nan(bo) {
                    let ins = xs.iter().zip(gs);
                    for ((xi, gi), (yi, oi)) in ins.zip(by.iter_mut().zip(bo.iter_mut())) {
                        (*yi, *oi) = scalar(*xi, *gi);
                    }
                }
                s.store_groups(ys, by);
                s.store_groups(os, bo);
            }
            true
        },
    )
}

/// Panics with a message naming the method and every slice length when they differ.
pub(crate) fn same_len(method: &str, slices: &[(&str, usize)]) {
    let n = slices[0].1;
    if slices.iter().any(|&(_, len)| len != n) {
        let lens: Vec<String> = slices
            .iter()
            .map(|(name, len)| format!("{name} has {len}"))
            .collect();
        panic!(
            "actdiff: {method}: slices must have equal lengths, but {}",
            lens.join(", ")
        );
    }
}

/// `y[i] = f(x[i])`.
pub(crate) fn forward<T: Real, A: Activation<T>>(a: &A, x: &[T], y: &mut [T]) {
    // Judged on the whole output, also where threads take pieces of it.
    let long = long::<T>(y.len());
    #[cfg(feature = "rayon")]
    if crate::parallel::worth_it(x.len()) {
        use rayon::prelude::*;
        let n = crate::parallel::piece(x.len());
        x.par_chunks(n)
            .zip(y.par_chunks_mut(n))
            .for_each(|(x, y)| forward_serial(a, x, y, long));
        return;
    }
    forward_serial(a, x, y, long)
}

/// `x[i] = f(x[i])`.
pub(crate) fn forward_in_place<T: Real, A: Activation<T>>(a: &A, x: &mut [T]) {
    // Judged on the whole slice, as the forward's. Where the forward into a buffer
    // would stream (an arithmetic formula, which waits for memory), the in-place
    // forward, which cannot stream, keeps its plain loop: asking ahead in steps was
    // not measurably faster there (relu's f32 and f64 in place at 2^24 within the
    // runs' spread, a scratch loop, best of seven, three alternating runs).
    let long = long::<T>(x.len()) && !streams::<T>(x.len(), &a.info().formula);
    #[cfg(feature = "rayon")]
    if crate::parallel::worth_it(x.len()) {
        use rayon::prelude::*;
        x.par_chunks_mut(crate::parallel::piece(x.len()))
            .for_each(|x| forward_in_place_serial(a, x, long));
        return;
    }
    forward_in_place_serial(a, x, long)
}

/// `out[i] = g[i] * f'(x[i])`.
pub(crate) fn backward<T: Real, A: Activation<T>>(a: &A, x: &[T], g: &[T], out: &mut [T]) {
    let stream = streams::<T>(out.len(), &a.info().derivative);
    let long = long::<T>(out.len());
    #[cfg(feature = "rayon")]
    if crate::parallel::worth_it(x.len()) {
        use rayon::prelude::*;
        let n = crate::parallel::piece(x.len());
        x.par_chunks(n)
            .zip(g.par_chunks(n))
            .zip(out.par_chunks_mut(n))
            .for_each(|((x, g), out)| backward_serial(a, x, g, out, stream, long));
        return;
    }
    backward_serial(a, x, g, out, stream, long)
}

/// `y[i] = f(x[i])` and `out[i] = g[i] * f'(x[i])` in one pass.
pub(crate) fn forward_backward<T: Real, A: Activation<T>>(
    a: &A,
    x: &[T],
    g: &[T],
    y: &mut [T],
    out: &mut [T],
) {
    let info = a.info();
    let stream = streams::<T>(out.len(), &info.formula) && arithmetic_only(&info.derivative);
    let long = long::<T>(out.len());
    #[cfg(feature = "rayon")]
    if crate::parallel::worth_it(x.len()) {
        use rayon::prelude::*;
        let n = crate::parallel::piece(x.len());
        x.par_chunks(n)
            .zip(g.par_chunks(n))
            .zip(y.par_chunks_mut(n).zip(out.par_chunks_mut(n)))
            .for_each(|((x, g), (y, out))| forward_backward_serial(a, x, g, y, out, stream, long));
        return;
    }
    forward_backward_serial(a, x, g, y, out, stream, long)
}

/// `y[i] = f(x[i])`, streamed or asking for `x` ahead where the output it is part of
/// is `long` (see [`long`]).
fn forward_serial<T: Real, A: Activation<T>>(a: &A, x: &[T], y: &mut [T], long: bool) {
    if long
        && arithmetic_only(&a.info().formula)
        && streamed(
            x,
            x,
            y,
            #[inline(always)]
            |x, _| a.forward_finite(x),
            |x, _| a.forward(x),
        )
    {
        return;
    }
    // A long forward that is not streamed (it computes a transcendental function)
    // asks for `x` ahead, in steps (see `in_steps`).
    vectorized(
        #[inline(always)]
        || {
            for r in line_chunks(y) {
                let (xs, ys) = (&x[r.clone()], &mut y[r.clone()]);
                let nan = in_steps(
                    &[rest(x, r.end)],
                    long,
                    xs.len(),
                    #[inline(always)]
                    |from, to| {
                        let mut nan = false;
                        for (xi, yi) in xs[from..to].iter().zip(ys[from..to].iter_mut()) {
                            let v = a.forward_finite(*xi);
                            nan |= v.is_nan();
                            *yi = v;
                        }
                        nan
                    },
                );
                if nan {
                    for (xi, yi) in xs.iter().zip(ys.iter_mut()) {
                        *yi = a.forward(*xi);
                    }
                }
            }
        },
    )
}

/// `x[i] = f(x[i])`, asking for `x` ahead where the output it is part of is `long`.
fn forward_in_place_serial<T: Real, A: Activation<T>>(a: &A, x: &mut [T], long: bool) {
    vectorized(
        #[inline(always)]
        || {
            if !long {
                for r in line_chunks(x) {
                    in_place_chunk(a, &mut x[r], &[], false);
                }
                return;
            }
            for r in line_chunks(x) {
                let (head, ahead) = x.split_at_mut(r.end);
                in_place_chunk(a, &mut head[r.start..], ahead, true);
            }
        },
    )
}

/// `xs[i] = f(xs[i])` for a chunk, by the finite form, or by the scalar rule where that
/// gave a NaN; asking for `ahead` (the elements after the chunk) in steps where `long`.
#[inline(always)]
fn in_place_chunk<T: Real, A: Activation<T>>(a: &A, xs: &mut [T], ahead: &[T], long: bool) {
    let mut saved = [T::default(); CHUNK];
    saved[..xs.len()].copy_from_slice(xs);
    let nan = in_steps(
        &[ahead],
        long,
        xs.len(),
        #[inline(always)]
        |from, to| {
            let mut nan = false;
            for xi in xs[from..to].iter_mut() {
                let v = a.forward_finite(*xi);
                nan |= v.is_nan();
                *xi = v;
            }
            nan
        },
    );
    if nan {
        for (xi, &orig) in xs.iter_mut().zip(saved.iter()) {
            *xi = a.forward(orig);
        }
    }
}

/// `out[i] = g[i] * f'(x[i])`, streamed where `stream` says, else asking for `x` and `g`
/// ahead where the output it is part of is `long`.
fn backward_serial<T: Real, A: Activation<T>>(
    a: &A,
    x: &[T],
    g: &[T],
    out: &mut [T],
    stream: bool,
    long: bool,
) {
    if stream
        && streamed(
            x,
            g,
            out,
            #[inline(always)]
            |x, g| g * a.derivative_finite(x),
            |x, g| g * a.derivative(x),
        )
    {
        return;
    }
    vectorized(
        #[inline(always)]
        || {
            for r in line_chunks(out) {
                let (xs, gs, os) = (&x[r.clone()], &g[r.clone()], &mut out[r.clone()]);
                let nan = in_steps(
                    &[rest(x, r.end), rest(g, r.end)],
                    long,
                    xs.len(),
                    #[inline(always)]
                    |from, to| {
                        let mut nan = false;
                        let ins = xs[from..to].iter().zip(&gs[from..to]);
                        for ((xi, gi), oi) in ins.zip(os[from..to].iter_mut()) {
                            let d = a.derivative_finite(*xi);
                            nan |= d.is_nan();
                            *oi = *gi * d;
                        }
                        nan
                    },
                );
                if nan {
                    for ((xi, gi), oi) in xs.iter().zip(gs).zip(os.iter_mut()) {
                        *oi = *gi * a.derivative(*xi);
                    }
                }
            }
        },
    )
}

/// `y[i] = f(x[i])` and `out[i] = g[i] * f'(x[i])`, streamed where `stream` says.
fn forward_backward_serial<T: Real, A: Activation<T>>(
    a: &A,
    x: &[T],
    g: &[T],
    y: &mut [T],
    out: &mut [T],
    stream: bool,
    long: bool,
) {
    if stream
        && streamed_two(
            x,
            g,
            y,
            out,
            #[inline(always)]
            |x, g| {
                let (f, d) = a.forward_and_derivative_finite(x);
                (f, g * d)
            },
            |x, g| {
                let (f, d) = a.forward_and_derivative(x);
                (f, g * d)
            },
        )
    {
        return;
    }
    vectorized(
        #[inline(always)]
        || {
            for r in line_chunks(out) {
                let (xs, gs) = (&x[r.clone()], &g[r.clone()]);
                let (ys, os) = (&mut y[r.clone()], &mut out[r.clone()]);
                // In steps where long, in f32 only: f64 gained nothing at 2^24 (mish
                // 6.52–6.76 ns against 6.55–6.63) and lost at 2^20 (6.10–6.26
                // against 5.77–6.04). Tested here, where the element size is a
                // constant: `long` crosses into the instruction set's function as a
                // run-time value, and f64's loop beside an untaken step branch took
                // 2–13% longer at both sizes.
                let nan = if long && core::mem::size_of::<T>() == 4 {
                    in_steps(
                        &[rest(x, r.end), rest(g, r.end)],
                        true,
                        xs.len(),
                        #[inline(always)]
                        |from, to| {
                            let (xs, gs) = (&xs[from..to], &gs[from..to]);
                            forward_backward_range(a, xs, gs, &mut ys[from..to], &mut os[from..to])
                        },
                    )
                } else {
                    forward_backward_range(a, xs, gs, ys, os)
                };
                if nan {
                    for (((xi, gi), yi), oi) in
                        xs.iter().zip(gs).zip(ys.iter_mut()).zip(os.iter_mut())
                    {
                        let (f, d) = a.forward_and_derivative(*xi);
                        *yi = f;
                        *oi = *gi * d;
                    }
                }
            }
        },
    )
}

/// `y[i] = f(x[i])` and `out[i] = g[i] * f'(x[i])` by the finite forms; whether
/// either gave a NaN.
#[inline(always)]
fn forward_backward_range<T: Real, A: Activation<T>>(
    a: &A,
    x: &[T],
    g: &[T],
    y: &mut [T],
    out: &mut [T],
) -> bool {
    let mut nan = false;
    for (((xi, gi), yi), oi) in x.iter().zip(g).zip(y.iter_mut()).zip(out.iter_mut()) {
        let (f, d) = a.forward_and_derivative_finite(*xi);
        nan |= f.is_nan() | d.is_nan();
        *yi = f;
        *oi = *gi * d;
    }
    nan
}

/// Lanes of independent partial sums: enough for the compiler to keep a full
/// vector of accumulators, which also makes the sum more accurate than a serial one.
pub(crate) const LANES: usize = 16;

/// Elements per block of a parameter-gradient sum. Each block is summed on its own
/// (lanes, then its tail) and the block sums are added left to right, with or without
/// the `rayon` feature and whatever the number of threads: the result depends on the
/// slice only. A multiple of [`CHUNK`] (itself one of [`LANES`]) and of
/// `dynamic::BLOCK`, so that only the last block has a tail.
pub(crate) const SUM_BLOCK: usize = 1 << 14;
const _: () = assert!(
    SUM_BLOCK.is_multiple_of(CHUNK)
        && CHUNK.is_multiple_of(LANES)
        && SUM_BLOCK.is_multiple_of(crate::dynamic::BLOCK)
);

/// `Σ g[i]·∂f/∂p(x[i])` for the parameter at `index` (already checked), where
/// `finite` is that parameter's `param_derivative_finite`, chosen once by the caller
/// so that the loop holds no dispatch on `index` and vectorizes.
#[inline(always)]
pub fn param_gradient_sum<T: Real, A: Activation<T>>(
    a: &A,
    index: usize,
    x: &[T],
    g: &[T],
    finite: impl Fn(T) -> T + Sync,
) -> T {
    sum_blocks(x, g, |xb, gb| {
        vectorized(
            #[inline(always)]
            || {
                let mut acc = [T::default(); LANES];
                let xs = xb.chunks_exact(LANES);
                let gs = gb.chunks_exact(LANES);
                let (x_tail, g_tail) = (xs.remainder(), gs.remainder());
                for (xc, gc) in xs.zip(gs) {
                    for k in 0..LANES {
                        acc[k] = acc[k] + gc[k] * finite(xc[k]);
                    }
                }
                let scalar = |v| a.param_derivative(index, v);
                lanes_or_serial(acc, xb, gb, serial_sum(x_tail, g_tail, scalar), scalar)
            },
        )
    })
}

/// A block's sum from its lanes and tail; or, when a lane is NaN, the block again,
/// serially, with `scalar`, the scalar rule at ±inf. A NaN derivative (of an
/// infinite `x`) makes its lane NaN for good, so the check is once per block, after
/// the loop, which then holds only arithmetic and vectorizes. A lane that is NaN for
/// another reason (a NaN `grad_out`, `inf - inf`) takes the serial path too.
#[inline(always)]
pub(crate) fn lanes_or_serial<T: Real>(
    acc: [T; LANES],
    x: &[T],
    g: &[T],
    tail: T,
    scalar: impl Fn(T) -> T,
) -> T {
    if acc.iter().any(|v| v.is_nan()) {
        serial_sum(x, g, scalar)
    } else {
        reduce_lanes(acc, tail)
    }
}

/// `out[i] = g[i]·f'(x[i])` and `Σ g[i]·∂f/∂p(x[i])` in one pass, where `both` gives
/// `(f'(x), ∂f/∂p(x))` for finite `x` (`index` already checked): the bits of
/// `backward` and `param_gradient_sum`, in the same blocks and lanes.
#[inline(always)]
pub fn backward_with_param_gradient<T: Real, A: Activation<T>>(
    a: &A,
    index: usize,
    x: &[T],
    g: &[T],
    out: &mut [T],
    both: impl Fn(T) -> (T, T) + Sync,
) -> T {
    let how = param_loop::<T>(out.len(), &a.info().derivative);
    let block = |xb: &[T], gb: &[T], ob: &mut [T]| param_block(a, index, xb, gb, ob, &both, how);
    #[cfg(feature = "rayon")]
    if crate::parallel::worth_it(x.len()) {
        use rayon::prelude::*;
        let sums: Vec<T> = x
            .par_chunks(SUM_BLOCK)
            .zip(g.par_chunks(SUM_BLOCK))
            .zip(out.par_chunks_mut(SUM_BLOCK))
            .map(|((xb, gb), ob)| block(xb, gb, ob))
            .collect();
        return sums.into_iter().fold(T::default(), |total, s| total + s);
    }
    x.chunks(SUM_BLOCK)
        .zip(g.chunks(SUM_BLOCK))
        .zip(out.chunks_mut(SUM_BLOCK))
        .fold(T::default(), |total, ((xb, gb), ob)| {
            total + block(xb, gb, ob)
        })
}

/// One block of [`backward_with_param_gradient`] (at most [`SUM_BLOCK`] elements):
/// writes `ob` and returns the block's sum, in the loop `how` says.
#[inline(always)]
fn param_block<T: Real, A: Activation<T>>(
    a: &A,
    index: usize,
    xb: &[T],
    gb: &[T],
    ob: &mut [T],
    both: &impl Fn(T) -> (T, T),
    how: ParamLoop,
) -> T {
    vectorized_streaming(
        #[inline(always)]
        |streamer| {
            let streamer = streamer.filter(|_| how == ParamLoop::Streamed);
            let one_loop = how == ParamLoop::OneLoop;
            let fence = streamer.map(Streamer::fence_on_drop);
            let mut acc = [T::default(); LANES];
            // Unless in one loop (see `ONE_LOOP_BYTES`), the chunk's terms
            // `g·∂f/∂p`, computed in the backward loop and added into the lanes
            // after it: at short lengths two simple loops are faster than one,
            // whose lanes stay in memory (and the streamed and transcendental
            // kernels are no faster in one). The term of the block's element
            // `i` sits at an index congruent to `i` modulo `LANES`, so that the
            // groups of `terms` are the lanes in order; the indices around a
            // chunk's terms hold 0, which leaves a sum unchanged (a lane starts
            // at +0, so it is never -0).
            let mut terms = [T::default(); CHUNK + LANES];
            // Where streaming, the chunk's `grad_in` is computed here and then
            // streamed to `ob`'s whole lines.
            let mut buffer = [T::default(); STREAM_BLOCK];
            let n = xb.len();
            // The lanes hold the elements before `whole`; the rest is summed
            // serially below.
            let whole = n / LANES * LANES;
            // Where streaming, the elements before `ob`'s first line boundary are
            // a chunk of their own, stored as usual, and the other chunks start on
            // a line: a chunk ending inside a line left that line to ordinary
            // stores, which read it from memory first (prelu's f32 backward with
            // the alpha gradient at 2^24: 0.73–0.81 ns per element with `grad_in`
            // 16 bytes past a line, 0.65 on a line).
            let head = match streamer {
                Some(_) => whole_groups(ob).start,
                None => 0,
            };
            // Streamed chunks are the streamed loops' blocks.
            let size = if streamer.is_some() {
                STREAM_BLOCK
            } else if one_loop {
                one_loop_chunk::<T>()
            } else {
                CHUNK
            };
            let mut start = 0;
            while start < n {
                // (`head` is below a line's elements, but bounded here all the
                // same: `align_offset` may in principle say "never".)
                let end = if start < head {
                    head.min(start + size)
                } else {
                    (start + size).min(n)
                };
                let (xs, gs, os) = (&xb[start..end], &gb[start..end], &mut ob[start..end]);
                let streaming = streamer.filter(|_| start >= head);
                if streaming.is_some() {
                    prefetch_from(&[xb, gb], end, STREAM_BLOCK);
                }
                let dst = match streaming {
                    Some(_) => &mut buffer[..os.len()],
                    None => &mut *os,
                };
                let lane = start % LANES;
                // The chunk's elements before `whole`, which go to the lanes.
                let summed = whole.clamp(start, end) - start;
                if one_loop {
                    debug_assert!(lane == 0 && summed % LANES == 0);
                    lanes_in_one_loop(&mut acc, xs, gs, dst, summed, both);
                } else {
                    terms[..lane].fill(T::default());
                    let ts = &mut terms[lane..lane + xs.len()];
                    let elements = xs.iter().zip(gs).zip(dst.iter_mut()).zip(ts.iter_mut());
                    for (((xi, gi), oi), ti) in elements {
                        let (d, p) = both(*xi);
                        *oi = *gi * d;
                        *ti = *gi * p;
                    }
                }
                // Checked on `g·f'` after the loop, not with a flag in it: 5–9%
                // faster (prelu's at 2^20 and 2^24). A NaN `g` only sends its
                // chunk through the scalar rule, which gives the same NaN.
                if any_nan(dst) {
                    for ((xi, gi), oi) in xs.iter().zip(gs).zip(dst.iter_mut()) {
                        *oi = *gi * a.derivative(*xi);
                    }
                }
                if let Some(s) = streaming {
                    s.store_groups(os, &buffer[..os.len()]);
                }
                if !one_loop {
                    let summed = lane + summed;
                    let groups = summed.div_ceil(LANES) * LANES;
                    terms[summed..groups].fill(T::default());
                    for tc in terms[..groups].chunks_exact(LANES) {
                        for k in 0..LANES {
                            acc[k] = acc[k] + tc[k];
                        }
                    }
                }
                start = end;
            }
            drop(fence);
            // The block's tail, summed serially with the scalar rule, as in
            // `param_gradient_sum`.
            let scalar = |v| a.param_derivative(index, v);
            let tail = serial_sum(&xb[whole..], &gb[whole..], scalar);
            lanes_or_serial(acc, xb, gb, tail, scalar)
        },
    )
}

/// A chunk of [`param_block`] that is not streamed, in one loop: writes `g·f'` to
/// `dst` and adds the terms of the first `summed` elements (a whole number of groups)
/// to the lanes; the others are the block's tail, summed serially. Such a chunk starts
/// on a multiple of [`one_loop_chunk`] in its block, itself one of [`LANES`], so its
/// element `j` goes to lane `j % LANES`, as in `param_gradient_sum`.
#[inline(always)]
fn lanes_in_one_loop<T: Real>(
    acc: &mut [T; LANES],
    xs: &[T],
    gs: &[T],
    dst: &mut [T],
    summed: usize,
    both: &impl Fn(T) -> (T, T),
) {
    let (dl, dt) = dst.split_at_mut(summed);
    let groups = xs[..summed]
        .chunks_exact(LANES)
        .zip(gs[..summed].chunks_exact(LANES));
    for ((xc, gc), oc) in groups.zip(dl.chunks_exact_mut(LANES)) {
        for k in 0..LANES {
            let (d, p) = both(xc[k]);
            oc[k] = gc[k] * d;
            acc[k] = acc[k] + gc[k] * p;
        }
    }
    for ((xi, gi), oi) in xs[summed..].iter().zip(&gs[summed..]).zip(dt) {
        *oi = *gi * both(*xi).0;
    }
}

/// `Σ g[i]·d(x[i])`, one element after the other: the tails of the lane sums and the
/// blocks that met a NaN.
pub(crate) fn serial_sum<T: Real>(x: &[T], g: &[T], d: impl Fn(T) -> T) -> T {
    x.iter()
        .zip(g)
        .fold(T::default(), |total, (&xi, &gi)| total + gi * d(xi))
}

/// The sums of `block` over the [`SUM_BLOCK`] pieces of `x` and `g`, added left to
/// right; the blocks run on rayon's threads when the feature is on and the slice is
/// long enough, which changes nothing in the result.
pub(crate) fn sum_blocks<T: Real>(x: &[T], g: &[T], block: impl Fn(&[T], &[T]) -> T + Sync) -> T {
    #[cfg(feature = "rayon")]
    if crate::parallel::worth_it(x.len()) {
        use rayon::prelude::*;
        let sums: Vec<T> = x
            .par_chunks(SUM_BLOCK)
            .zip(g.par_chunks(SUM_BLOCK))
            .map(|(xb, gb)| block(xb, gb))
            .collect();
        return sums.into_iter().fold(T::default(), |total, s| total + s);
    }
    x.chunks(SUM_BLOCK)
        .zip(g.chunks(SUM_BLOCK))
        .fold(T::default(), |total, (xb, gb)| total + block(xb, gb))
}

/// The lanes summed pairwise, then `tail` added: the order every parameter-gradient
/// sum uses, so that run-time definitions give the generated kernels' bits.
///
/// Never inlined: inlined after the lane loop, its pairwise tree leads LLVM's SLP
/// vectorizer to pack the loop's accumulators two by two instead of into whole
/// vectors (seen in the assembly; the sum ran at half speed). Called once a block.
#[inline(never)]
pub(crate) fn reduce_lanes<T: Real>(mut acc: [T; LANES], tail: T) -> T {
    let mut width = LANES;
    while width > 1 {
        width /= 2;
        for k in 0..width {
            acc[k] = acc[k] + acc[k + width];
        }
    }
    acc[0] + tail
}

#[cfg(test)]
mod tests {
    use super::{reduce_lanes, LANES, SUM_BLOCK};
    use crate::{Activation, Dynamic, Prelu, Real, Swish};
    #[cfg(feature = "rayon")]
    use crate::{Mish, Relu};

    /// `n` inputs in [-8, 8) from a fixed xorshift seed, with an infinity at `inf_at`.
    fn inputs<T: Real>(n: usize, inf_at: Option<usize>) -> Vec<T> {
        let mut s = 0x2545_f491_4f6c_dd1du64;
        let mut v: Vec<T> = (0..n)
            .map(|_| {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                T::from_f64((s % 16_000) as f64 / 1000.0 - 8.0)
            })
            .collect();
        if let Some(i) = inf_at {
            v[i] = T::from_f64(f64::NEG_INFINITY);
        }
        v
    }

    /// The documented order, written out, for the parameter `0` of `a`: blocks of
    /// `SUM_BLOCK` added left to right, each 16 lanes (of the formula for finite `x`)
    /// over its whole chunks plus its tail, or serial (with the scalar rule) after a
    /// NaN lane.
    fn reference<T: Real, A: Activation<T>>(a: &A, x: &[T], g: &[T]) -> T {
        let d = |v| a.param_derivative(0, v);
        let mut total = T::default();
        for (xb, gb) in x.chunks(SUM_BLOCK).zip(g.chunks(SUM_BLOCK)) {
            let whole = xb.len() / LANES * LANES;
            let mut acc = [T::default(); LANES];
            for i in 0..whole {
                acc[i % LANES] = acc[i % LANES] + gb[i] * a.param_derivative_finite(0, xb[i]);
            }
            let serial =
                |from: usize| (from..xb.len()).fold(T::default(), |t, i| t + gb[i] * d(xb[i]));
            let block = if acc.iter().any(|a| a.is_nan()) {
                serial(0)
            } else {
                reduce_lanes(acc, serial(whole))
            };
            total = total + block;
        }
        total
    }

    /// `backward_slice_with_param_gradient` for parameter 0, behind a `dyn`.
    trait Fused<T> {
        fn fused(&self, x: &[T], g: &[T], out: &mut [T]) -> T;
    }

    impl<T: Real, A: Activation<T>> Fused<T> for A {
        fn fused(&self, x: &[T], g: &[T], out: &mut [T]) -> T {
            self.backward_slice_with_param_gradient(0, x, g, out)
        }
    }

    fn sums_follow_the_documented_order<T: Real>() {
        let prelu = Prelu::new(T::from_f64(0.1));
        let dynamic =
            Dynamic::parse("Prelu(x; learn alpha = 0.25) = if x > 0 { x } else { alpha * x };")
                .expect("parses")
                .with_params(&[0.1])
                .expect("one parameter");
        // Past the `rayon` feature's threshold, so that its blocks run on threads.
        let n = 4 * SUM_BLOCK + 37;
        let g = inputs::<T>(n, None).into_iter().rev().collect::<Vec<T>>();
        let swish = swish_with_nan_at_infinity::<T>();
        for inf_at in [None, Some(SUM_BLOCK + 5), Some(n - 3)] {
            let x = inputs::<T>(n, inf_at);
            let want = reference(&prelu, &x, &g);
            let got = prelu.param_gradient_sum(0, &x, &g);
            assert_eq!(got, want, "generated, infinity at {inf_at:?}");
            let got = dynamic.param_gradient_sum(0, &x, &g);
            assert_eq!(got, want, "dynamic, infinity at {inf_at:?}");
            let got = swish.param_gradient_sum(0, &x, &g);
            assert_eq!(
                got,
                reference(&swish, &x, &g),
                "swish, infinity at {inf_at:?}"
            );
            // The fused pass: the same sum, and `backward_slice`'s output.
            let mut want_out = vec![T::default(); n];
            prelu.backward_slice(&x, &g, &mut want_out);
            for a in [&prelu as &dyn Fused<T>, &dynamic] {
                let mut out = vec![T::default(); n];
                let got = a.fused(&x, &g, &mut out);
                assert_eq!(got, want, "fused, infinity at {inf_at:?}");
                assert!(out == want_out, "fused backward, infinity at {inf_at:?}");
            }
        }
    }

    /// Bit for bit, any NaN equal to any NaN (its payload may follow the operand
    /// order).
    fn same<T: Real>(a: &[T], b: &[T]) -> bool {
        let bits = |v: &T| match v.to_f64() {
            v if v.is_nan() => u64::MAX,
            v => v.to_bits(),
        };
        a.len() == b.len() && a.iter().zip(b).all(|(p, q)| bits(p) == bits(q))
    }

    /// `g[i]·f'(x[i])` by the scalar method, one element after the other: what every
    /// kernel's `grad_in` must hold.
    fn scalar_backward<T: Real, A: Activation<T>>(a: &A, x: &[T], g: &[T]) -> Vec<T> {
        x.iter()
            .zip(g)
            .map(|(&v, &gv)| gv * a.derivative(v))
            .collect()
    }

    /// `(x, g)` as given; with `x[n/2] = -inf` and `x[3n/4] = +inf` (where a formula
    /// for finite `x` may give NaN and the kernels must fall back to the scalar rule);
    /// and with `x[n/2] = -inf` and `g[n/3] = NaN`: the inputs the parameter kernel's
    /// tests run on.
    fn finite_and_spoiled<T: Real>(x: Vec<T>, g: Vec<T>) -> [(Vec<T>, Vec<T>); 3] {
        let mut x_inf = x.clone();
        x_inf[x.len() / 2] = T::from_f64(f64::NEG_INFINITY);
        let mut x_infs = x_inf.clone();
        x_infs[3 * x.len() / 4] = T::from_f64(f64::INFINITY);
        let mut g_nan = g.clone();
        g_nan[g.len() / 3] = T::from_f64(f64::NAN);
        [(x, g.clone()), (x_infs, g), (x_inf, g_nan)]
    }

    /// A value no kernel below writes (|x|, |g| < 8): what a dropped store leaves.
    fn sentinel<T: Real>() -> T {
        T::from_f64(12345.0)
    }

    /// `n` elements starting `offset` elements past a 64-byte line boundary of `v`.
    fn at_offset<T>(v: &mut [T], offset: usize, n: usize) -> &mut [T] {
        let base = v.as_ptr().align_offset(super::LINE_BYTES);
        &mut v[base + offset..base + offset + n]
    }

    /// `streamed` and `streamed_two` (called directly, on short slices) hold the
    /// scalar methods' bits at every offset of the output in a cache line, with an
    /// infinity in `x` (where `a`'s formulas for finite `x` may give NaN) and a NaN in
    /// `g`; `streamed_two` with its outputs at the same
    /// offset (streamed) and at different ones (declined).
    fn streamed_forms_hold_the_scalar_bits<T: Real, A: Activation<T>>(a: &A) {
        use super::{streamed, streamed_two};
        let n = 1000;
        let x = inputs::<T>(n, Some(n / 2 + 3));
        let mut g = inputs::<T>(n + 1, None)[1..].to_vec();
        g[n / 3] = T::from_f64(f64::NAN);
        let forward: Vec<T> = x.iter().map(|&v| a.forward(v)).collect();
        let backward = scalar_backward(a, &x, &g);
        let streams = cfg!(target_arch = "x86_64");
        let (mut y_all, mut o_all) = (vec![T::default(); n + 64], vec![T::default(); n + 64]);
        for offset in 0..16 {
            let y = at_offset(&mut y_all, offset, n);
            y.fill(sentinel());
            let finite = |v, gv| gv * a.derivative_finite(v);
            let ran = streamed(&x, &g, y, finite, |v, gv| gv * a.derivative(v));
            assert_eq!(ran, streams);
            assert!(!ran || same(y, &backward), "backward, offset {offset}");
            y.fill(sentinel());
            let ran = streamed(&x, &x, y, |v, _| a.forward_finite(v), |v, _| a.forward(v));
            assert!(!ran || same(y, &forward), "forward, offset {offset}");
            for other in [offset, (offset + 3) % 16] {
                let y = at_offset(&mut y_all, offset, n);
                let o = at_offset(&mut o_all, other, n);
                y.fill(sentinel());
                o.fill(sentinel());
                let both = |v, gv| {
                    let (f, d) = a.forward_and_derivative(v);
                    (f, gv * d)
                };
                let finite = |v, gv| {
                    let (f, d) = a.forward_and_derivative_finite(v);
                    (f, gv * d)
                };
                let ran = streamed_two(&x, &g, y, o, finite, both);
                // Declined where the offsets differ (the lines are not the same
                // groups), leaving the outputs to the usual loop.
                assert_eq!(ran, streams && other == offset % 16);
                assert!(
                    !ran || (same(y, &forward) && same(o, &backward)),
                    "both, {offset} {other}"
                );
            }
        }
    }

    #[test]
    fn f32_streamed_forms_hold_the_scalar_bits() {
        streamed_forms_hold_the_scalar_bits::<f32, _>(&Prelu::new(0.1));
        streamed_forms_hold_the_scalar_bits::<f32, _>(&swish_with_nan_at_infinity());
    }

    #[test]
    fn f64_streamed_forms_hold_the_scalar_bits() {
        streamed_forms_hold_the_scalar_bits::<f64, _>(&Prelu::new(0.1));
        streamed_forms_hold_the_scalar_bits::<f64, _>(&swish_with_nan_at_infinity());
    }

    /// Through the public methods, outputs long enough to be streamed hold the scalar
    /// methods' bits (forward, backward, both at once, and the backward with alpha's
    /// gradient, whose sum is `param_gradient_sum`'s), on a line boundary and one
    /// element past it, with an infinity in `x` and a NaN in `g`, every output filled
    /// with a sentinel first; mish's forward, in-place forward, backward and both at
    /// once, which are not streamed, too.
    fn streamed_outputs_hold_the_scalar_bits<T: Real>() {
        use crate::dispatch::STREAMING_STORES;
        use crate::Mish;
        let n = super::STREAM_BYTES / core::mem::size_of::<T>() + 37;
        let prelu = Prelu::new(T::from_f64(0.1));
        let info = Activation::<T>::info(&prelu);
        assert_eq!(super::streams::<T>(n, &info.formula), STREAMING_STORES);
        assert_eq!(super::streams::<T>(n, &info.derivative), STREAMING_STORES);
        // Where the target has no streaming stores, the parameter kernel's one loop.
        let expected = match STREAMING_STORES {
            true => super::ParamLoop::Streamed,
            false => super::ParamLoop::OneLoop,
        };
        assert_eq!(super::param_loop::<T>(n, &info.derivative), expected);
        assert!(!super::streams::<T>(
            n,
            &Activation::<T>::info(&Mish).formula
        ));
        let x_all = inputs::<T>(n + 1, Some(n / 2 + 3));
        let mut g = inputs::<T>(n + 1, None)[1..].to_vec();
        g[n / 3] = T::from_f64(f64::NAN);
        let finite_x = inputs::<T>(n + 2, None)[2..].to_vec();
        let finite_g = inputs::<T>(n + 3, None)[3..].to_vec();
        let (mut y_all, mut o_all) = (vec![T::default(); n + 64], vec![T::default(); n + 64]);
        for offset in [0, 1] {
            let x = &x_all[offset..offset + n];
            let forward: Vec<T> = x.iter().map(|&v| prelu.forward(v)).collect();
            let backward = scalar_backward(&prelu, x, &g);
            let y = at_offset(&mut y_all, offset, n);
            y.fill(sentinel());
            prelu.forward_slice(x, y);
            assert!(same(y, &forward), "forward, offset {offset}");
            y.fill(sentinel());
            prelu.backward_slice(x, &g, y);
            assert!(same(y, &backward), "backward, offset {offset}");
            let y = at_offset(&mut y_all, offset, n);
            let o = at_offset(&mut o_all, offset, n);
            y.fill(sentinel());
            o.fill(sentinel());
            prelu.forward_backward_slice(x, &g, y, o);
            assert!(
                same(y, &forward) && same(o, &backward),
                "both, offset {offset}"
            );
            o.fill(sentinel());
            let sum = prelu.backward_slice_with_param_gradient(0, x, &g, o);
            assert!(same(o, &backward), "with alpha, offset {offset}");
            assert!(same(&[sum], &[prelu.param_gradient_sum(0, x, &g)]));
            // On finite inputs and gradients, where the sum is finite.
            let (xf, gf) = (&finite_x[..n], &finite_g[..n]);
            o.fill(sentinel());
            let sum = prelu.backward_slice_with_param_gradient(0, xf, gf, o);
            let backward = scalar_backward(&prelu, xf, gf);
            assert!(same(o, &backward), "with alpha, finite, offset {offset}");
            let expected = prelu.param_gradient_sum(0, xf, gf);
            assert!(sum.to_f64().is_finite() && same(&[sum], &[expected]));
        }
        // Mish is not streamed: its long loops ask for their inputs ahead in steps
        // (`in_steps`), and a NaN of the finite forms (at an infinity) sends its chunk
        // through the scalar rule (a NaN in `g` passes through the product, with the
        // same bits). Infinities in the first step of a chunk, in a later step, and in
        // the short last chunk. The outputs start 5 elements past a line, so that the
        // loops' first chunk (`line_chunks`) ends before the line, and the forward
        // and backward at once has its two outputs at different offsets.
        let derivative = &Activation::<T>::info(&Mish).derivative;
        assert!(super::long::<T>(n) && !super::streams::<T>(n, derivative));
        assert_eq!(n % super::CHUNK, 37);
        let mut x = x_all[1..1 + n].to_vec();
        x[7 * super::CHUNK + 3 * super::STEP + 5] = T::from_f64(f64::NEG_INFINITY);
        x[n - 3] = T::from_f64(f64::INFINITY);
        let x = &x[..];
        let y = at_offset(&mut y_all, 5, n);
        y.fill(sentinel());
        Mish.forward_slice(x, y);
        let mish: Vec<T> = x.iter().map(|&v| Mish.forward(v)).collect();
        assert!(same(y, &mish), "mish forward");
        y.copy_from_slice(x);
        Mish.forward_in_place(y);
        assert!(same(y, &mish), "mish in place");
        y.fill(sentinel());
        Mish.backward_slice(x, &g, y);
        let backward = scalar_backward(&Mish, x, &g);
        assert!(same(y, &backward), "mish backward");
        // Both at once: in f32 in steps too, in f64 in whole chunks.
        let o = at_offset(&mut o_all, 2, n);
        o.fill(sentinel());
        y.fill(sentinel());
        Mish.forward_backward_slice(x, &g, y, o);
        assert!(same(y, &mish) && same(o, &backward), "mish both");
    }

    /// Through the public method, a backward with alpha's gradient long enough for one
    /// loop (see `ONE_LOOP_BYTES`) and too short to stream holds the scalar methods'
    /// bits in `grad_in` and `param_gradient_sum`'s in the sum (whose lanes it shares),
    /// on finite inputs and with an infinity in `x` and a NaN in `g`. (On AMD's CPUs
    /// that length keeps the buffer; `parameter_chunks_keep_the_lanes` runs the one
    /// loop there.)
    fn one_loop_outputs_hold_the_scalar_bits<T: Real>() {
        use super::{param_loop, ParamLoop};
        let n = super::ONE_LOOP_BYTES / core::mem::size_of::<T>() + 37;
        let prelu = Prelu::new(T::from_f64(0.1));
        let derivative = &Activation::<T>::info(&prelu).derivative;
        let long = match crate::dispatch::amd() {
            true => ParamLoop::Buffered,
            false => ParamLoop::OneLoop,
        };
        assert_eq!(param_loop::<T>(n, derivative), long);
        assert_eq!(param_loop::<T>(n - 38, derivative), ParamLoop::Buffered);
        let x = inputs::<T>(n + 2, None)[2..].to_vec();
        let g = inputs::<T>(n + 3, None)[3..].to_vec();
        let mut o = vec![sentinel::<T>(); n];
        for (x, g) in finite_and_spoiled(x, g) {
            o.fill(sentinel());
            let sum = prelu.backward_slice_with_param_gradient(0, &x, &g, &mut o);
            assert!(same(&o, &scalar_backward(&prelu, &x, &g)));
            assert!(same(&[sum], &[prelu.param_gradient_sum(0, &x, &g)]));
        }
    }

    #[test]
    fn f32_one_loop_outputs_hold_the_scalar_bits() {
        one_loop_outputs_hold_the_scalar_bits::<f32>();
    }

    #[test]
    fn f64_one_loop_outputs_hold_the_scalar_bits() {
        one_loop_outputs_hold_the_scalar_bits::<f64>();
    }

    /// One block of the backward with a parameter gradient at short lengths (around a
    /// group, a streamed chunk, a chunk, and one not a multiple of any), in each of its
    /// three ways: streamed, with `grad_in` at every offset from a line boundary, so
    /// that its first chunk (the elements before that boundary) takes every length
    /// from 0 to 15; in one loop (see `ONE_LOOP_BYTES`); and with the terms buffered.
    /// `grad_in` holds the scalar bits and the sum is the documented order's, bit for
    /// bit, on finite inputs, with infinities in `x`, and with an infinity in `x` and a
    /// NaN in `g`.
    fn parameter_chunks_keep_the_lanes<T: Real, A: Activation<T>>(a: &A) {
        use super::ParamLoop;
        let both = |v: T| (a.derivative_finite(v), a.param_derivative_finite(0, v));
        let lengths = [
            1, 5, 15, 16, 17, 31, 127, 128, 129, 255, 256, 257, 271, 272, 273, 511, 512, 513, 1000,
            4099,
        ];
        let mut o_all = vec![T::default(); 4099 + 64];
        for n in lengths {
            let x = inputs::<T>(n, None);
            let g = inputs::<T>(n + 1, None)[1..].to_vec();
            // Each pair with its scalar `grad_in` and documented sum, computed once.
            let cases = finite_and_spoiled(x, g).map(|(x, g)| {
                let backward = scalar_backward(a, &x, &g);
                let expected = reference(a, &x, &g);
                (x, g, backward, expected)
            });
            for offset in 0..16 {
                let o = at_offset(&mut o_all, offset, n);
                for how in [ParamLoop::Streamed, ParamLoop::OneLoop, ParamLoop::Buffered] {
                    for (x, g, backward, expected) in &cases {
                        o.fill(sentinel());
                        let sum = super::param_block(a, 0, x, g, o, &both, how);
                        let case = format!("n {n}, offset {offset}, {how:?}");
                        assert!(same(o, backward), "{case}");
                        assert!(same(&[sum], &[*expected]), "{case}");
                    }
                }
            }
        }
    }

    /// Swish with a learned `beta`, whose formulas for finite `x` give NaN at -inf
    /// (`inf·0`) where the scalar rules give the limits: the case the kernels' NaN
    /// checks exist for, which PReLU's finite rules never reach.
    fn swish_with_nan_at_infinity<T: Real>() -> Swish<T> {
        let swish = Swish::new(T::from_f64(1.3));
        let inf = T::from_f64(f64::NEG_INFINITY);
        assert!(swish.forward_finite(inf).is_nan());
        assert!(swish.derivative_finite(inf).is_nan());
        assert!(swish.param_derivative_finite(0, inf).is_nan());
        assert!(!swish.derivative(inf).is_nan());
        assert!(!swish.param_derivative(0, inf).is_nan());
        swish
    }

    /// `line_chunks` covers the output once, in order, in chunks of at most `CHUNK`
    /// elements, every one after the first starting on a line where the output is
    /// long enough to be split (`LINE_CHUNKS_MIN`), from its start where not; and
    /// through the public methods, the loops that use it (the forward, in place,
    /// backward and both at once, not streamed at these lengths) hold the scalar
    /// methods' bits with the output at every offset in a line, where the first chunk
    /// takes every length from 0 to a line's elements less one, with an infinity in
    /// `x` (where swish's finite forms give NaN, which sends its chunk through the
    /// scalar rule) in the first chunk, in the next one, or nowhere, every output
    /// filled with a sentinel first. Both at once also with its two outputs at
    /// different offsets.
    fn line_chunks_hold_the_scalar_bits<T: Real>() {
        use super::{line_chunks, CHUNK, LINE_BYTES};
        let swish = swish_with_nan_at_infinity::<T>();
        let line = LINE_BYTES / core::mem::size_of::<T>();
        let min = super::LINE_CHUNKS_MIN;
        let mut y_all = vec![T::default(); min + 700 + 64];
        let mut o_all = vec![T::default(); min + 700 + 64];
        for n in [1, 17, 512, 513, min - 1, min, min + 1, min + 700] {
            for offset in 0..line {
                let y = at_offset(&mut y_all, offset, n);
                let chunks: Vec<_> = line_chunks(y).collect();
                let mut next = 0;
                for (k, r) in chunks.iter().enumerate() {
                    assert!(r.start == next && r.end > r.start && r.len() <= CHUNK);
                    let starts_line = (y[r.start..].as_ptr() as usize).is_multiple_of(LINE_BYTES);
                    assert!(
                        k == 0 || starts_line || n < min,
                        "n {n}, offset {offset}, chunk {k}"
                    );
                    next = r.end;
                }
                assert_eq!(next, n);
                let head = if n < min { 0 } else { (line - offset) % line };
                assert_eq!(chunks[0].len(), if head > 0 { head } else { n.min(CHUNK) });
                // (With no first chunk before the line, the second position is the
                // first chunk's last element.)
                let second = if head > 0 { head } else { n.min(CHUNK) - 1 };
                for inf_at in [None, Some(0), Some(second.min(n - 1)), Some(n - 1)] {
                    let x = inputs::<T>(n, inf_at);
                    let g = inputs::<T>(n + 1, None)[1..].to_vec();
                    let forward: Vec<T> = x.iter().map(|&v| swish.forward(v)).collect();
                    let backward = scalar_backward(&swish, &x, &g);
                    let case = format!("n {n}, offset {offset}, infinity at {inf_at:?}");
                    let y = at_offset(&mut y_all, offset, n);
                    y.fill(sentinel());
                    swish.forward_slice(&x, y);
                    assert!(same(y, &forward), "forward, {case}");
                    y.copy_from_slice(&x);
                    swish.forward_in_place(y);
                    assert!(same(y, &forward), "in place, {case}");
                    y.fill(sentinel());
                    swish.backward_slice(&x, &g, y);
                    assert!(same(y, &backward), "backward, {case}");
                    // Both at once, with `y` at the same offset as `out` and at
                    // another (the chunks follow `out`).
                    for y_offset in [offset, (offset + 3) % line] {
                        let y = at_offset(&mut y_all, y_offset, n);
                        let o = at_offset(&mut o_all, offset, n);
                        y.fill(sentinel());
                        o.fill(sentinel());
                        swish.forward_backward_slice(&x, &g, y, o);
                        let both = same(y, &forward) && same(o, &backward);
                        assert!(both, "both, y at {y_offset}, {case}");
                    }
                }
            }
        }
    }

    #[test]
    fn f32_line_chunks_hold_the_scalar_bits() {
        line_chunks_hold_the_scalar_bits::<f32>();
    }

    #[test]
    fn f64_line_chunks_hold_the_scalar_bits() {
        line_chunks_hold_the_scalar_bits::<f64>();
    }

    #[test]
    fn f32_parameter_chunks_keep_the_lanes() {
        parameter_chunks_keep_the_lanes::<f32, _>(&Prelu::new(0.1));
        parameter_chunks_keep_the_lanes::<f32, _>(&swish_with_nan_at_infinity());
    }

    #[test]
    fn f64_parameter_chunks_keep_the_lanes() {
        parameter_chunks_keep_the_lanes::<f64, _>(&Prelu::new(0.1));
        parameter_chunks_keep_the_lanes::<f64, _>(&swish_with_nan_at_infinity());
    }

    #[test]
    fn f32_streamed_outputs_hold_the_scalar_bits() {
        streamed_outputs_hold_the_scalar_bits::<f32>();
    }

    #[test]
    fn f64_streamed_outputs_hold_the_scalar_bits() {
        streamed_outputs_hold_the_scalar_bits::<f64>();
    }

    #[test]
    fn only_arithmetic_formulas_are_streamed() {
        use super::arithmetic_only;
        assert!(arithmetic_only("max(0, x)"));
        assert!(arithmetic_only("if x > 0 { x } else { alpha * x }"));
        assert!(arithmetic_only(
            "powi(max(0, x), 2) + mul_err(a, x) / abs (x)"
        ));
        assert!(!arithmetic_only("x * tanh(softplus(x))"));
        assert!(!arithmetic_only("{ let t1 = max(x, 0); exp (t1) }"));
        assert!(!arithmetic_only("sigmoid(x) * sigmoid(-x)"));
    }

    #[test]
    fn f32_sums_follow_the_documented_order() {
        sums_follow_the_documented_order::<f32>();
    }

    #[test]
    fn f64_sums_follow_the_documented_order() {
        sums_follow_the_documented_order::<f64>();
    }

    /// Every slice method of `a` on `x`, as bits, inside `pool`.
    #[cfg(feature = "rayon")]
    fn all_methods<A: Activation<f32>>(pool: &rayon::ThreadPool, a: &A, x: &[f32]) -> Vec<u32> {
        pool.install(|| {
            let n = x.len();
            let g: Vec<f32> = x.iter().rev().copied().collect();
            let (mut y, mut d, mut y2, mut d2) =
                (vec![0.0; n], vec![0.0; n], vec![0.0; n], vec![0.0; n]);
            a.forward_slice(x, &mut y);
            a.backward_slice(x, &g, &mut d);
            a.forward_backward_slice(x, &g, &mut y2, &mut d2);
            let mut in_place = x.to_vec();
            a.forward_in_place(&mut in_place);
            let params = a.info().params.len();
            let sums = (0..params).map(|i| a.param_gradient_sum(i, x, &g));
            let mut fused_out = vec![0.0; n * params];
            let fused: Vec<f32> = fused_out
                .chunks_mut(n)
                .enumerate()
                .map(|(i, out)| a.backward_slice_with_param_gradient(i, x, &g, out))
                .collect();
            [y, d, y2, d2, in_place, fused_out, fused]
                .concat()
                .into_iter()
                .chain(sums)
                .map(f32::to_bits)
                .collect()
        })
    }

    #[cfg(feature = "rayon")]
    #[test]
    fn threads_change_no_bit() {
        let pool = |threads| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .expect("a thread pool")
        };
        let (one, two, three) = (pool(1), pool(2), pool(3));
        // Long enough to be split, with a length no piece or block size divides and
        // an infinity that sends one piece through the scalar rule.
        let n = 5 * SUM_BLOCK + 123;
        assert!(
            two.install(|| crate::parallel::worth_it(n)),
            "too short to split"
        );
        let x = inputs::<f32>(n, Some(3 * SUM_BLOCK + 7));
        let prelu = Prelu::new(0.1f32);
        let mish = Dynamic::parse("Mish(x) = x * tanh(softplus(x))").expect("parses");
        let dynamic_prelu =
            Dynamic::parse("Prelu(x; learn alpha = 0.1) = if x > 0 { x } else { alpha * x };")
                .expect("parses");
        for (name, bits) in [
            (
                "relu",
                [&one, &two, &three].map(|p| all_methods(p, &Relu, &x)),
            ),
            (
                "mish",
                [&one, &two, &three].map(|p| all_methods(p, &Mish, &x)),
            ),
            (
                "prelu",
                [&one, &two, &three].map(|p| all_methods(p, &prelu, &x)),
            ),
            (
                "dynamic mish",
                [&one, &two, &three].map(|p| all_methods(p, &mish, &x)),
            ),
            (
                "dynamic prelu",
                [&one, &two, &three].map(|p| all_methods(p, &dynamic_prelu, &x)),
            ),
        ] {
            assert!(bits[0] == bits[1] && bits[1] == bits[2], "{name}");
        }
    }
}
