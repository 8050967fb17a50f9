//! Slice kernels. Each loop runs over chunks: the generated branch-free body fills a
//! chunk while a NaN flag is OR-ed in the same pass, and only a chunk that produced a
//! NaN is revisited element by element to apply the scalar methods' rule at ±inf.
//! The loops run inside [`crate::dispatch::vectorized`], which picks the widest
//! instruction set the CPU has.

use crate::dispatch::vectorized;
use crate::{Activation, Real};

/// Elements per chunk: large enough to amortise the NaN check, small enough that a
/// revisit stays in L1.
const CHUNK: usize = 512;

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
    #[cfg(feature = "rayon")]
    if crate::parallel::worth_it(x.len()) {
        use rayon::prelude::*;
        let n = crate::parallel::piece(x.len());
        x.par_chunks(n)
            .zip(y.par_chunks_mut(n))
            .for_each(|(x, y)| forward_serial(a, x, y));
        return;
    }
    forward_serial(a, x, y)
}

/// `x[i] = f(x[i])`.
pub(crate) fn forward_in_place<T: Real, A: Activation<T>>(a: &A, x: &mut [T]) {
    #[cfg(feature = "rayon")]
    if crate::parallel::worth_it(x.len()) {
        use rayon::prelude::*;
        x.par_chunks_mut(crate::parallel::piece(x.len()))
            .for_each(|x| forward_in_place_serial(a, x));
        return;
    }
    forward_in_place_serial(a, x)
}

/// `out[i] = g[i] * f'(x[i])`.
pub(crate) fn backward<T: Real, A: Activation<T>>(a: &A, x: &[T], g: &[T], out: &mut [T]) {
    #[cfg(feature = "rayon")]
    if crate::parallel::worth_it(x.len()) {
        use rayon::prelude::*;
        let n = crate::parallel::piece(x.len());
        x.par_chunks(n)
            .zip(g.par_chunks(n))
            .zip(out.par_chunks_mut(n))
            .for_each(|((x, g), out)| backward_serial(a, x, g, out));
        return;
    }
    backward_serial(a, x, g, out)
}

/// `y[i] = f(x[i])` and `out[i] = g[i] * f'(x[i])` in one pass.
pub(crate) fn forward_backward<T: Real, A: Activation<T>>(
    a: &A,
    x: &[T],
    g: &[T],
    y: &mut [T],
    out: &mut [T],
) {
    #[cfg(feature = "rayon")]
    if crate::parallel::worth_it(x.len()) {
        use rayon::prelude::*;
        let n = crate::parallel::piece(x.len());
        x.par_chunks(n)
            .zip(g.par_chunks(n))
            .zip(y.par_chunks_mut(n).zip(out.par_chunks_mut(n)))
            .for_each(|((x, g), (y, out))| forward_backward_serial(a, x, g, y, out));
        return;
    }
    forward_backward_serial(a, x, g, y, out)
}

fn forward_serial<T: Real, A: Activation<T>>(a: &A, x: &[T], y: &mut [T]) {
    vectorized(
        #[inline(always)]
        || {
            for (xs, ys) in x.chunks(CHUNK).zip(y.chunks_mut(CHUNK)) {
                let mut nan = false;
                for (xi, yi) in xs.iter().zip(ys.iter_mut()) {
                    let r = a.forward_finite(*xi);
                    nan |= r.is_nan();
                    *yi = r;
                }
                if nan {
                    for (xi, yi) in xs.iter().zip(ys.iter_mut()) {
                        *yi = a.forward(*xi);
                    }
                }
            }
        },
    )
}

fn forward_in_place_serial<T: Real, A: Activation<T>>(a: &A, x: &mut [T]) {
    vectorized(
        #[inline(always)]
        || {
            for xs in x.chunks_mut(CHUNK) {
                let mut saved = [T::default(); CHUNK];
                saved[..xs.len()].copy_from_slice(xs);
                let mut nan = false;
                for xi in xs.iter_mut() {
                    let r = a.forward_finite(*xi);
                    nan |= r.is_nan();
                    *xi = r;
                }
                if nan {
                    for (xi, &orig) in xs.iter_mut().zip(saved.iter()) {
                        *xi = a.forward(orig);
                    }
                }
            }
        },
    )
}

fn backward_serial<T: Real, A: Activation<T>>(a: &A, x: &[T], g: &[T], out: &mut [T]) {
    vectorized(
        #[inline(always)]
        || {
            for ((xs, gs), os) in x
                .chunks(CHUNK)
                .zip(g.chunks(CHUNK))
                .zip(out.chunks_mut(CHUNK))
            {
                let mut nan = false;
                for ((xi, gi), oi) in xs.iter().zip(gs).zip(os.iter_mut()) {
                    let d = a.derivative_finite(*xi);
                    nan |= d.is_nan();
                    *oi = *gi * d;
                }
                if nan {
                    for ((xi, gi), oi) in xs.iter().zip(gs).zip(os.iter_mut()) {
                        *oi = *gi * a.derivative(*xi);
                    }
                }
            }
        },
    )
}

fn forward_backward_serial<T: Real, A: Activation<T>>(
    a: &A,
    x: &[T],
    g: &[T],
    y: &mut [T],
    out: &mut [T],
) {
    vectorized(
        #[inline(always)]
        || {
            let chunks = x
                .chunks(CHUNK)
                .zip(g.chunks(CHUNK))
                .zip(y.chunks_mut(CHUNK).zip(out.chunks_mut(CHUNK)));
            for ((xs, gs), (ys, os)) in chunks {
                let mut nan = false;
                for (((xi, gi), yi), oi) in xs.iter().zip(gs).zip(ys.iter_mut()).zip(os.iter_mut())
                {
                    let (f, d) = a.forward_and_derivative_finite(*xi);
                    nan |= f.is_nan() | d.is_nan();
                    *yi = f;
                    *oi = *gi * d;
                }
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

/// Lanes of independent partial sums: enough for the compiler to keep a full
/// vector of accumulators, which also makes the sum more accurate than a serial one.
pub(crate) const LANES: usize = 16;

/// Elements per block of a parameter-gradient sum. Each block is summed on its own
/// (lanes, then its tail) and the block sums are added left to right, with or without
/// the `rayon` feature and whatever the number of threads: the result depends on the
/// slice only. A multiple of [`CHUNK`] (itself one of [`LANES`]) and of
/// `dynamic::BLOCK`, so that only the last block has a tail.
pub(crate) const SUM_BLOCK: usize = 1 << 14;
// (Written without `is_multiple_of`, which is newer than the crate's minimum Rust.)
const _: () = assert!(
    SUM_BLOCK / CHUNK * CHUNK == SUM_BLOCK
        && CHUNK / LANES * LANES == CHUNK
        && SUM_BLOCK / crate::dynamic::BLOCK * crate::dynamic::BLOCK == SUM_BLOCK
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
/// `backward` and `param_gradient_sum`, in the same blocks, lanes and chunks.
#[inline(always)]
pub fn backward_with_param_gradient<T: Real, A: Activation<T>>(
    a: &A,
    index: usize,
    x: &[T],
    g: &[T],
    out: &mut [T],
    both: impl Fn(T) -> (T, T) + Sync,
) -> T {
    let block = |xb: &[T], gb: &[T], ob: &mut [T]| {
        vectorized(
            #[inline(always)]
            || {
                let mut acc = [T::default(); LANES];
                // The chunk's terms `g·∂f/∂p`, computed in the backward loop and
                // added into the lanes after it: two simple loops that vectorize,
                // where one loop doing both did not.
                let mut terms = [T::default(); CHUNK];
                let chunks = xb
                    .chunks(CHUNK)
                    .zip(gb.chunks(CHUNK))
                    .zip(ob.chunks_mut(CHUNK));
                for ((xs, gs), os) in chunks {
                    let mut nan = false;
                    let elements = xs.iter().zip(gs).zip(os.iter_mut()).zip(terms.iter_mut());
                    for (((xi, gi), oi), ti) in elements {
                        let (d, p) = both(*xi);
                        nan |= d.is_nan();
                        *oi = *gi * d;
                        *ti = *gi * p;
                    }
                    if nan {
                        for ((xi, gi), oi) in xs.iter().zip(gs).zip(os.iter_mut()) {
                            *oi = *gi * a.derivative(*xi);
                        }
                    }
                    for tc in terms[..xs.len()].chunks_exact(LANES) {
                        for k in 0..LANES {
                            acc[k] = acc[k] + tc[k];
                        }
                    }
                }
                // Only the block's last chunk can end in a tail (blocks are whole
                // chunks); it is summed serially with the scalar rule, as in
                // `param_gradient_sum`.
                let whole = xb.len() / LANES * LANES;
                let scalar = |v| a.param_derivative(index, v);
                let tail = serial_sum(&xb[whole..], &gb[whole..], scalar);
                lanes_or_serial(acc, xb, gb, tail, scalar)
            },
        )
    };
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
    use crate::{Activation, Dynamic, Prelu, Real};
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

    /// The documented order, written out: blocks of `SUM_BLOCK` added left to right,
    /// each 16 lanes over its whole chunks plus its tail, or serial after a NaN lane.
    fn reference<T: Real>(x: &[T], g: &[T], d: impl Fn(T) -> T) -> T {
        let mut total = T::default();
        for (xb, gb) in x.chunks(SUM_BLOCK).zip(g.chunks(SUM_BLOCK)) {
            let whole = xb.len() / LANES * LANES;
            let mut acc = [T::default(); LANES];
            for i in 0..whole {
                acc[i % LANES] = acc[i % LANES] + gb[i] * d(xb[i]);
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
        for inf_at in [None, Some(SUM_BLOCK + 5), Some(n - 3)] {
            let x = inputs::<T>(n, inf_at);
            let want = reference(&x, &g, |v| prelu.param_derivative(0, v));
            let got = prelu.param_gradient_sum(0, &x, &g);
            assert_eq!(got, want, "generated, infinity at {inf_at:?}");
            let got = dynamic.param_gradient_sum(0, &x, &g);
            assert_eq!(got, want, "dynamic, infinity at {inf_at:?}");
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
