//! Half precision (`half::f16`, `half::bf16`), computed in f32 with one rounding at the
//! end.
//!
//! Every method of [`HalfActivation`] widens its inputs to f32, runs the activation's
//! f32 code (the same slice kernels as for `f32`), and rounds each result once to the
//! half type. The f32 error is a few f32 ULPs, which is 2⁻¹³ of an f16 ULP and 2⁻¹⁶ of a
//! bf16 ULP, so a result is the correctly rounded value except where the exact value lies
//! that close to a midpoint between two half values; the README gives the measured
//! counts. Slices go through a stack buffer of [`BUFFER`] elements, widened and narrowed
//! with `half`'s slice conversions (F16C instructions on x86-64 CPUs that have them).

use crate::kernels::same_len;
use crate::Activation;
use half::slice::HalfFloatSliceExt;
use half::{bf16, f16};

/// Elements widened to f32 at a time: the buffers of the widest kernel (four of them for
/// [`HalfActivation::forward_backward_slice_half`]) take 8 KiB of stack and stay in L1.
/// Exported as `HALF_BUFFER`; a parameter-gradient sum adds one f32 sum per buffer.
///
/// ```
/// assert_eq!(actdiff::HALF_BUFFER, 512);
/// ```
pub const BUFFER: usize = 512;

mod sealed {
    pub trait Sealed {}
    impl Sealed for half::f16 {}
    impl Sealed for half::bf16 {}
}

/// A 16-bit float type that [`HalfActivation`] computes through f32: `half::f16` or
/// `half::bf16`. Sealed: the conversions must be exact widenings and correctly rounded
/// narrowings, which `half` guarantees for these two types.
///
/// ```
/// use actdiff::HalfFloat;
/// use half::f16;
///
/// let mut wide = [0.0f32; 2];
/// f16::widen(&[f16::from_f32(1.5), f16::MAX], &mut wide);
/// assert_eq!(wide, [1.5, 65504.0]);
/// assert_eq!(f16::narrow(0.1), f16::from_f32(0.1));
/// ```
pub trait HalfFloat: sealed::Sealed + Copy + Default {
    /// Rounds an f32 to the nearest value of this type (ties to even).
    ///
    /// ```
    /// use actdiff::HalfFloat;
    /// use half::bf16;
    ///
    /// assert_eq!(bf16::narrow(1.0 + 1.0 / 256.0), bf16::ONE); // a tie, to even
    /// ```
    fn narrow(x: f32) -> Self;
    /// The exact f32 value.
    ///
    /// ```
    /// use actdiff::HalfFloat;
    /// use half::f16;
    ///
    /// assert_eq!(f16::MIN_POSITIVE_SUBNORMAL.widen_one(), 2f32.powi(-24));
    /// ```
    fn widen_one(self) -> f32;
    /// `dst[i] = src[i]` as f32 (exact), vectorized.
    ///
    /// # Panics
    /// If the slices differ in length.
    ///
    /// ```
    /// use actdiff::HalfFloat;
    /// use half::bf16;
    ///
    /// let mut wide = [0.0f32; 1];
    /// bf16::widen(&[bf16::MAX], &mut wide);
    /// assert_eq!(wide[0], bf16::MAX.to_f32());
    /// ```
    fn widen(src: &[Self], dst: &mut [f32]);
    /// `dst[i] = src[i]` rounded to this type, vectorized.
    ///
    /// # Panics
    /// If the slices differ in length.
    ///
    /// ```
    /// use actdiff::HalfFloat;
    /// use half::f16;
    ///
    /// let mut narrow = [f16::ZERO; 2];
    /// f16::narrow_slice(&[0.5, 1e6], &mut narrow);
    /// assert_eq!(narrow, [f16::from_f32(0.5), f16::INFINITY]);
    /// ```
    fn narrow_slice(src: &[f32], dst: &mut [Self]);
}

macro_rules! half_float {
    ($t:ty) => {
        impl HalfFloat for $t {
            #[inline]
            fn narrow(x: f32) -> Self {
                <$t>::from_f32(x)
            }
            #[inline]
            fn widen_one(self) -> f32 {
                self.to_f32()
            }
            #[inline]
            fn widen(src: &[Self], dst: &mut [f32]) {
                src.convert_to_f32_slice(dst);
            }
            #[inline]
            fn narrow_slice(src: &[f32], dst: &mut [Self]) {
                dst.convert_from_f32_slice(src);
            }
        }
    };
}
half_float!(f16);
half_float!(bf16);

/// Scalar methods and slice kernels for `half::f16` and `half::bf16`, for every
/// `Activation<f32>`: built-ins, `activation!` types, [`Builtin`](crate::Builtin) and
/// [`Dynamic`](crate::Dynamic). Each result is computed in f32 and rounded once.
///
/// ```
/// use actdiff::prelude::*;
/// use actdiff::HalfActivation;
/// use half::f16;
///
/// let x: Vec<f16> = [-2.0f32, 0.0, 1.0].iter().map(|&v| f16::from_f32(v)).collect();
/// let mut y = vec![f16::ZERO; 3];
/// Mish.forward_slice_half(&x, &mut y);
/// assert_eq!(y[2], f16::from_f32(Mish.forward(1.0f32)));
/// assert_eq!(Relu.derivative_half(f16::from_f32(-1.0)), f16::ZERO);
/// ```
pub trait HalfActivation: Activation<f32> + Sized {
    /// `f(x)`, computed in f32 and rounded once.
    ///
    /// ```
    /// use actdiff::{HalfActivation, Silu};
    /// use half::bf16;
    ///
    /// assert_eq!(Silu.forward_half(bf16::from_f32(0.0)), bf16::ZERO);
    /// ```
    #[inline]
    fn forward_half<H: HalfFloat>(&self, x: H) -> H {
        H::narrow(self.forward(x.widen_one()))
    }

    /// `f'(x)`, computed in f32 and rounded once.
    ///
    /// ```
    /// use actdiff::{HalfActivation, Relu};
    /// use half::f16;
    ///
    /// assert_eq!(Relu.derivative_half(f16::from_f32(2.0)), f16::ONE);
    /// ```
    #[inline]
    fn derivative_half<H: HalfFloat>(&self, x: H) -> H {
        H::narrow(self.derivative(x.widen_one()))
    }

    /// `y[i] = f(x[i])`.
    ///
    /// # Panics
    /// If the slices differ in length.
    ///
    /// ```
    /// use actdiff::{HalfActivation, Relu};
    /// use half::f16;
    ///
    /// let mut y = [f16::ONE; 2];
    /// Relu.forward_slice_half(&[f16::NEG_ONE, f16::ONE], &mut y);
    /// assert_eq!(y, [f16::ZERO, f16::ONE]);
    /// ```
    fn forward_slice_half<H: HalfFloat>(&self, x: &[H], y: &mut [H]) {
        same_len("forward_slice_half", &[("x", x.len()), ("y", y.len())]);
        let mut buf = [0.0f32; BUFFER];
        for (xs, ys) in x.chunks(BUFFER).zip(y.chunks_mut(BUFFER)) {
            let b = &mut buf[..xs.len()];
            H::widen(xs, b);
            self.forward_in_place(b);
            H::narrow_slice(b, ys);
        }
    }

    /// `x[i] = f(x[i])`.
    ///
    /// ```
    /// use actdiff::{HalfActivation, Relu};
    /// use half::bf16;
    ///
    /// let mut x = [bf16::NEG_ONE, bf16::ONE];
    /// Relu.forward_in_place_half(&mut x);
    /// assert_eq!(x, [bf16::ZERO, bf16::ONE]);
    /// ```
    fn forward_in_place_half<H: HalfFloat>(&self, x: &mut [H]) {
        let mut buf = [0.0f32; BUFFER];
        for xs in x.chunks_mut(BUFFER) {
            let b = &mut buf[..xs.len()];
            H::widen(xs, b);
            self.forward_in_place(b);
            H::narrow_slice(b, xs);
        }
    }

    /// The backward pass: `grad_in[i] = grad_out[i] * f'(x[i])`, the product taken in
    /// f32 (the `f32` backward kernel) and rounded to the half type: two roundings, so
    /// where the f32 product lands exactly on a midpoint between two half values the
    /// tie may go to the farther one (the first rounding's error is at most 2⁻¹³ of an
    /// f16 ULP, 2⁻¹⁶ of a bf16 ULP). The forward and derivative methods round once.
    ///
    /// # Panics
    /// If the slices differ in length.
    ///
    /// ```
    /// use actdiff::{HalfActivation, Relu};
    /// use half::f16;
    ///
    /// let two = f16::from_f32(2.0);
    /// let mut grad_in = [f16::ZERO; 2];
    /// Relu.backward_slice_half(&[f16::NEG_ONE, f16::ONE], &[two, two], &mut grad_in);
    /// assert_eq!(grad_in, [f16::ZERO, two]);
    /// ```
    fn backward_slice_half<H: HalfFloat>(&self, x: &[H], grad_out: &[H], grad_in: &mut [H]) {
        same_len(
            "backward_slice_half",
            &[
                ("x", x.len()),
                ("grad_out", grad_out.len()),
                ("grad_in", grad_in.len()),
            ],
        );
        let (mut xb, mut gb, mut ob) = ([0.0f32; BUFFER], [0.0f32; BUFFER], [0.0f32; BUFFER]);
        let chunks = x
            .chunks(BUFFER)
            .zip(grad_out.chunks(BUFFER))
            .zip(grad_in.chunks_mut(BUFFER));
        for ((xs, gs), os) in chunks {
            let n = xs.len();
            H::widen(xs, &mut xb[..n]);
            H::widen(gs, &mut gb[..n]);
            self.backward_slice(&xb[..n], &gb[..n], &mut ob[..n]);
            H::narrow_slice(&ob[..n], os);
        }
    }

    /// Forward and backward in one pass: `y[i] = f(x[i])`,
    /// `grad_in[i] = grad_out[i] * f'(x[i])`.
    ///
    /// # Panics
    /// If the slices differ in length.
    ///
    /// ```
    /// use actdiff::{HalfActivation, Relu};
    /// use half::f16;
    ///
    /// let (mut y, mut g) = ([f16::ZERO; 1], [f16::ZERO; 1]);
    /// Relu.forward_backward_slice_half(&[f16::ONE], &[f16::ONE], &mut y, &mut g);
    /// assert_eq!((y[0], g[0]), (f16::ONE, f16::ONE));
    /// ```
    fn forward_backward_slice_half<H: HalfFloat>(
        &self,
        x: &[H],
        grad_out: &[H],
        y: &mut [H],
        grad_in: &mut [H],
    ) {
        same_len(
            "forward_backward_slice_half",
            &[
                ("x", x.len()),
                ("grad_out", grad_out.len()),
                ("y", y.len()),
                ("grad_in", grad_in.len()),
            ],
        );
        let (mut xb, mut gb) = ([0.0f32; BUFFER], [0.0f32; BUFFER]);
        let (mut yb, mut ob) = ([0.0f32; BUFFER], [0.0f32; BUFFER]);
        let chunks = x
            .chunks(BUFFER)
            .zip(grad_out.chunks(BUFFER))
            .zip(y.chunks_mut(BUFFER).zip(grad_in.chunks_mut(BUFFER)));
        for ((xs, gs), (ys, os)) in chunks {
            let n = xs.len();
            H::widen(xs, &mut xb[..n]);
            H::widen(gs, &mut gb[..n]);
            self.forward_backward_slice(&xb[..n], &gb[..n], &mut yb[..n], &mut ob[..n]);
            H::narrow_slice(&yb[..n], ys);
            H::narrow_slice(&ob[..n], os);
        }
    }

    /// The gradient of a parameter over a slice, `Σ grad_out[i] * ∂f/∂p(x[i])`,
    /// returned in f32: a sum over many half-precision terms is better kept wide, and
    /// optimizers hold their parameters in f32 anyway.
    ///
    /// # Panics
    /// If the slices differ in length or `index` is not a parameter index.
    ///
    /// ```
    /// use actdiff::{HalfActivation, Prelu};
    /// use half::f16;
    ///
    /// let x = [f16::from_f32(-2.0), f16::ONE];
    /// let g = [f16::ONE, f16::ONE];
    /// assert_eq!(Prelu::<f32>::default().param_gradient_sum_half(0, &x, &g), -2.0);
    /// ```
    fn param_gradient_sum_half<H: HalfFloat>(&self, index: usize, x: &[H], grad_out: &[H]) -> f32 {
        same_len(
            "param_gradient_sum_half",
            &[("x", x.len()), ("grad_out", grad_out.len())],
        );
        // An empty slice runs no chunk, so check the index here as the f32 method does.
        let n = self.info().params.len();
        if index >= n {
            crate::__private::parameter_out_of_range(&self.info().name, n, index);
        }
        let (mut xb, mut gb) = ([0.0f32; BUFFER], [0.0f32; BUFFER]);
        let mut total = 0.0f32;
        for (xs, gs) in x.chunks(BUFFER).zip(grad_out.chunks(BUFFER)) {
            let n = xs.len();
            H::widen(xs, &mut xb[..n]);
            H::widen(gs, &mut gb[..n]);
            total += self.param_gradient_sum(index, &xb[..n], &gb[..n]);
        }
        total
    }
}

impl<A: Activation<f32>> HalfActivation for A {}
