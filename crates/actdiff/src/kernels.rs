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

pub(crate) fn forward<T: Real, A: Activation<T>>(a: &A, x: &[T], y: &mut [T]) {
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

pub(crate) fn forward_in_place<T: Real, A: Activation<T>>(a: &A, x: &mut [T]) {
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

pub(crate) fn backward<T: Real, A: Activation<T>>(a: &A, x: &[T], g: &[T], out: &mut [T]) {
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

pub(crate) fn forward_backward<T: Real, A: Activation<T>>(
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

pub(crate) fn param_gradient_sum<T: Real, A: Activation<T>>(
    a: &A,
    index: usize,
    x: &[T],
    g: &[T],
) -> T {
    vectorized(
        #[inline(always)]
        || {
            let mut acc = [T::default(); LANES];
            let mut nan = false;
            let xs = x.chunks_exact(LANES);
            let gs = g.chunks_exact(LANES);
            let (x_tail, g_tail) = (xs.remainder(), gs.remainder());
            for (xc, gc) in xs.zip(gs) {
                for k in 0..LANES {
                    let d = a.param_derivative_finite(index, xc[k]);
                    nan |= d.is_nan();
                    acc[k] = acc[k] + gc[k] * d;
                }
            }
            let mut total = T::default();
            if nan {
                // Rare: recompute with the scalar rule at ±inf.
                for (xi, gi) in x.iter().zip(g) {
                    total = total + *gi * a.param_derivative(index, *xi);
                }
                return total;
            }
            for (xi, gi) in x_tail.iter().zip(g_tail) {
                total = total + *gi * a.param_derivative(index, *xi);
            }
            reduce_lanes(acc, total)
        },
    )
}

/// The lanes summed pairwise, then `tail` added: the order every parameter-gradient
/// sum uses, so that run-time definitions give the generated kernels' bits.
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
