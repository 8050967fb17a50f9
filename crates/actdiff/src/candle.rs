//! Any activation as a candle operation with a backward pass.
//!
//! [`ActivationOp`] implements candle's [`CustomOp1`]: its forward runs the activation's
//! slice kernels on CPU tensors of `F32`, `F64`, `F16` and `BF16` (the half types
//! computed in f32, see [`HalfActivation`]), and its backward returns
//! `grad_out * f'(x)` through a second operation that runs the backward kernel, so that
//! `Var`s train through it with candle's autograd. The gradient operation itself has no
//! backward pass: second derivatives through an `ActivationOp` are not supported.
//!
//! ```
//! use actdiff::candle::ActivationOp;
//! use actdiff::Mish;
//! use candle_core::{Device, Var};
//!
//! let x = Var::new(&[-1.0f32, 0.0, 2.0], &Device::Cpu)?;
//! let y = x.apply_op1(ActivationOp::new(Mish))?;
//! let grads = y.sum_all()?.backward()?;
//! let dx = grads.get(&x).expect("x takes part in y").to_vec1::<f32>()?;
//! assert_eq!(dx, [-1.0f32, 0.0, 2.0].map(|v| actdiff::Activation::derivative(&Mish, v)));
//! # Ok::<(), candle_core::Error>(())
//! ```

use crate::{Activation, HalfActivation};
use candle_core::backend::BackendStorage;
use candle_core::{CpuStorage, CustomOp1, CustomOp2, Error, Layout, NdIter, Result, Shape, Tensor};
use std::borrow::Cow;

/// An activation as a candle operation: `tensor.apply_op1(ActivationOp::new(Mish))`.
///
/// `A` computes `F32` tensors (and `F16`, `BF16` through f32), `B` computes `F64`
/// tensors. The two are one value for activations without parameters and for
/// [`Dynamic`](crate::Dynamic) ([`ActivationOp::new`]); an activation with parameters
/// is generic over its float type, so give it once per type ([`ActivationOp::pair`]).
///
/// ```
/// use actdiff::candle::ActivationOp;
/// use actdiff::LeakyRelu;
/// use candle_core::{Device, Tensor};
///
/// let op = ActivationOp::pair(LeakyRelu::new(0.5f32), LeakyRelu::new(0.5f64));
/// let x = Tensor::new(&[-2.0f64, 2.0], &Device::Cpu)?;
/// assert_eq!(x.apply_op1(op)?.to_vec1::<f64>()?, [-1.0, 2.0]);
/// # Ok::<(), candle_core::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct ActivationOp<A, B = A> {
    single: A,
    double: B,
}

impl<A: Activation<f32> + Activation<f64> + Clone> ActivationOp<A, A> {
    /// The operation for an activation that computes in both f32 and f64: one without
    /// parameters (`Mish`, `Relu`) or a [`Dynamic`](crate::Dynamic).
    ///
    /// ```
    /// use actdiff::candle::ActivationOp;
    /// use actdiff::Relu;
    /// use candle_core::{Device, Tensor};
    ///
    /// let x = Tensor::new(&[-2.0f32, 2.0], &Device::Cpu)?;
    /// assert_eq!(x.apply_op1(ActivationOp::new(Relu))?.to_vec1::<f32>()?, [0.0, 2.0]);
    /// # Ok::<(), candle_core::Error>(())
    /// ```
    pub fn new(activation: A) -> Self {
        Self::pair(activation.clone(), activation)
    }
}

impl<A: Activation<f32>, B: Activation<f64>> ActivationOp<A, B> {
    /// The operation from the activation in f32 (for `F32`, `F16` and `BF16` tensors)
    /// and in f64 (for `F64` tensors).
    ///
    /// ```
    /// use actdiff::candle::ActivationOp;
    /// use actdiff::Elu;
    /// use candle_core::{Device, Tensor};
    ///
    /// let op = ActivationOp::pair(Elu::new(2.0f32), Elu::new(2.0f64));
    /// let x = Tensor::new(&[1.0f32], &Device::Cpu)?;
    /// assert_eq!(x.apply_op1(op)?.to_vec1::<f32>()?, [1.0]);
    /// # Ok::<(), candle_core::Error>(())
    /// ```
    pub fn pair(single: A, double: B) -> Self {
        Self { single, double }
    }

    /// The activation's name, as candle's error messages show it; `"actdiff"` for a
    /// name that is not static (a [`Dynamic`](crate::Dynamic) definition).
    fn static_name(&self) -> &'static str {
        match self.single.info().name {
            Cow::Borrowed(name) => name,
            Cow::Owned(_) => "actdiff",
        }
    }
}

/// The elements of a tensor in logical order: a borrow when the layout is contiguous,
/// otherwise gathered through candle's strided iterator.
fn logical<'a, T: Copy>(data: &'a [T], layout: &Layout) -> Cow<'a, [T]> {
    if let Some((start, end)) = layout.contiguous_offsets() {
        return Cow::Borrowed(&data[start..end]);
    }
    let mut out = Vec::with_capacity(layout.shape().elem_count());
    let iter = NdIter::new([layout]);
    let (inner, [stride]) = (iter.inner_size, iter.inner_strides);
    for [offset] in iter {
        out.extend((0..inner).map(|i| data[offset + i * stride]));
    }
    Cow::Owned(out)
}

/// `kernel(x, y)` on the logical elements of `x` into a new vector.
fn unary<T: Copy + Default>(
    data: &[T],
    layout: &Layout,
    kernel: impl FnOnce(&[T], &mut [T]),
) -> Vec<T> {
    let x = logical(data, layout);
    let mut y = vec![T::default(); x.len()];
    kernel(&x, &mut y);
    y
}

/// `kernel(x, g, out)` on the logical elements of `x` and `g` into a new vector.
fn binary<T: Copy + Default>(
    (x, xl): (&[T], &Layout),
    (g, gl): (&[T], &Layout),
    kernel: impl FnOnce(&[T], &[T], &mut [T]),
) -> Vec<T> {
    let (x, g) = (logical(x, xl), logical(g, gl));
    let mut out = vec![T::default(); x.len()];
    kernel(&x, &g, &mut out);
    out
}

impl<A, B> CustomOp1 for ActivationOp<A, B>
where
    A: Activation<f32> + Send + Sync + 'static,
    B: Activation<f64> + Send + Sync + 'static,
{
    fn name(&self) -> &'static str {
        self.static_name()
    }

    fn cpu_fwd(&self, storage: &CpuStorage, layout: &Layout) -> Result<(CpuStorage, Shape)> {
        let (a, b) = (&self.single, &self.double);
        let y = match storage {
            CpuStorage::F32(x) => CpuStorage::F32(unary(x, layout, |x, y| a.forward_slice(x, y))),
            CpuStorage::F64(x) => CpuStorage::F64(unary(x, layout, |x, y| b.forward_slice(x, y))),
            CpuStorage::F16(x) => {
                CpuStorage::F16(unary(x, layout, |x, y| a.forward_slice_half(x, y)))
            }
            CpuStorage::BF16(x) => {
                CpuStorage::BF16(unary(x, layout, |x, y| a.forward_slice_half(x, y)))
            }
            other => return Err(Error::UnsupportedDTypeForOp(other.dtype(), self.name()).bt()),
        };
        Ok((y, layout.shape().clone()))
    }

    fn bwd(&self, arg: &Tensor, _res: &Tensor, grad_res: &Tensor) -> Result<Option<Tensor>> {
        arg.apply_op2_no_bwd(grad_res, &Backward(self)).map(Some)
    }
}

/// `grad_in = grad_out * f'(x)` as a candle operation on `(x, grad_out)`.
struct Backward<'a, A, B>(&'a ActivationOp<A, B>);

impl<A: Activation<f32>, B: Activation<f64>> CustomOp2 for Backward<'_, A, B> {
    fn name(&self) -> &'static str {
        self.0.static_name()
    }

    fn cpu_fwd(
        &self,
        x: &CpuStorage,
        xl: &Layout,
        g: &CpuStorage,
        gl: &Layout,
    ) -> Result<(CpuStorage, Shape)> {
        if xl.shape() != gl.shape() {
            return Err(Error::ShapeMismatchBinaryOp {
                lhs: xl.shape().clone(),
                rhs: gl.shape().clone(),
                op: self.name(),
            }
            .bt());
        }
        let (a, b) = (&self.0.single, &self.0.double);
        let grad_in = match (x, g) {
            (CpuStorage::F32(x), CpuStorage::F32(g)) => {
                CpuStorage::F32(binary((x, xl), (g, gl), |x, g, o| {
                    a.backward_slice(x, g, o)
                }))
            }
            (CpuStorage::F64(x), CpuStorage::F64(g)) => {
                CpuStorage::F64(binary((x, xl), (g, gl), |x, g, o| {
                    b.backward_slice(x, g, o)
                }))
            }
            (CpuStorage::F16(x), CpuStorage::F16(g)) => {
                CpuStorage::F16(binary((x, xl), (g, gl), |x, g, o| {
                    a.backward_slice_half(x, g, o)
                }))
            }
            (CpuStorage::BF16(x), CpuStorage::BF16(g)) => {
                CpuStorage::BF16(binary((x, xl), (g, gl), |x, g, o| {
                    a.backward_slice_half(x, g, o)
                }))
            }
            (x, g) if x.dtype() != g.dtype() => {
                return Err(Error::DTypeMismatchBinaryOp {
                    lhs: x.dtype(),
                    rhs: g.dtype(),
                    op: self.name(),
                }
                .bt())
            }
            (x, _) => return Err(Error::UnsupportedDTypeForOp(x.dtype(), self.name()).bt()),
        };
        Ok((grad_in, xl.shape().clone()))
    }
}
