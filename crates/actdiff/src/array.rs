//! Activations on `ndarray` arrays of any dimension.
//!
//! When an array is contiguous, in standard order or any other memory order
//! (`as_slice_memory_order`), the methods run the activation's slice kernels over its
//! memory; when several arrays meet (`x`, `grad_out`, `grad_in`), they must also lay out
//! their elements in the same order. Otherwise (a slice with steps, a transposed view
//! next to a standard one) they fall back to an elementwise `Zip` with the scalar
//! methods, which give the same values.

use crate::{Activation, Real};
use ndarray::{Array, ArrayRef, Dimension, Zip};
use std::fmt;

/// Elements of the derivative computed at a time through the backward kernel, with a
/// gradient of ones.
const CHUNK: usize = 512;

/// Arrays given to one call have different shapes.
///
/// ```
/// use actdiff::{ArrayActivationExt, Relu};
/// use ndarray::{Array1, Array2};
///
/// let x = Array2::<f32>::zeros((2, 3));
/// let g = Array2::<f32>::zeros((3, 2));
/// let e = x.activation_backward(&Relu, &g).unwrap_err();
/// assert_eq!(
///     e.to_string(),
///     "actdiff: activation_backward: shapes differ: x has [2, 3], grad_out has [3, 2]"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShapeMismatch {
    method: &'static str,
    shapes: Vec<(&'static str, Vec<usize>)>,
}

impl fmt::Display for ShapeMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "actdiff: {}: shapes differ: ", self.method)?;
        for (i, (name, shape)) in self.shapes.iter().enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            write!(f, "{sep}{name} has {shape:?}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ShapeMismatch {}

/// `Ok` when every array has the shape of the first.
fn same_shape(
    method: &'static str,
    shapes: &[(&'static str, &[usize])],
) -> Result<(), ShapeMismatch> {
    if shapes.iter().all(|(_, s)| *s == shapes[0].1) {
        return Ok(());
    }
    Err(ShapeMismatch {
        method,
        shapes: shapes.iter().map(|&(n, s)| (n, s.to_vec())).collect(),
    })
}

/// Whether two arrays of the same shape keep their elements in the same memory order,
/// so that their memory-order slices pair element with element. Axes of length one
/// do not move through memory, whatever their stride.
fn same_order(shape: &[usize], a: &[isize], b: &[isize]) -> bool {
    shape
        .iter()
        .zip(a.iter().zip(b))
        .all(|(&n, (sa, sb))| n <= 1 || sa == sb)
}

/// `x[i] = f'(x[i])`, through the backward kernel with a gradient of ones (an exact
/// product), so that it vectorizes as the other kernels do.
fn derivative_in_place<T: Real, F: Activation<T>>(f: &F, x: &mut [T]) {
    let ones = [T::from_f64(1.0); CHUNK];
    let mut saved = [T::default(); CHUNK];
    for xs in x.chunks_mut(CHUNK) {
        let n = xs.len();
        saved[..n].copy_from_slice(xs);
        f.backward_slice(&saved[..n], &ones[..n], xs);
    }
}

/// Applies an activation, its derivative or its backward pass to `ndarray` arrays of any
/// dimension, in place or into a new array. Implemented for [`ArrayRef`], so every
/// `Array`, view and `ArcArray` has the methods.
///
/// ```
/// use actdiff::{ArrayActivationExt, Mish, Relu};
/// use ndarray::array;
///
/// let x = array![[-1.0f32, 0.0], [1.0, 2.0]];
/// assert_eq!(x.activate(&Relu), array![[0.0, 0.0], [1.0, 2.0]]);
/// assert_eq!(x.activation_derivative(&Relu), array![[0.0, 0.0], [1.0, 1.0]]);
/// let g = x.activation_backward(&Mish, &array![[1.0, 1.0], [1.0, 1.0]])?;
/// assert_eq!(g, x.activation_derivative(&Mish));
/// # Ok::<(), actdiff::ShapeMismatch>(())
/// ```
pub trait ArrayActivationExt<T: Real, D: Dimension> {
    /// A new array of `f(x)`, in the memory order of `self` when it is contiguous.
    ///
    /// ```
    /// use actdiff::{ArrayActivationExt, Relu};
    /// use ndarray::array;
    ///
    /// assert_eq!(array![-1.0f64, 3.0].activate(&Relu), array![0.0, 3.0]);
    /// ```
    fn activate<F: Activation<T>>(&self, f: &F) -> Array<T, D>;

    /// `x = f(x)` for every element.
    ///
    /// ```
    /// use actdiff::{ArrayActivationExt, Relu};
    /// use ndarray::{array, s};
    ///
    /// let mut x = array![[-1.0f32, 2.0, -3.0], [4.0, -5.0, 6.0]];
    /// x.slice_mut(s![.., ..;2]).activate_inplace(&Relu);
    /// assert_eq!(x, array![[0.0, 2.0, 0.0], [4.0, -5.0, 6.0]]);
    /// ```
    fn activate_inplace<F: Activation<T>>(&mut self, f: &F);

    /// `out = f(self)`, elementwise.
    ///
    /// # Errors
    /// If `out` has another shape.
    ///
    /// ```
    /// use actdiff::{ArrayActivationExt, Relu};
    /// use ndarray::{array, Array1};
    ///
    /// let mut out = Array1::zeros(2);
    /// array![-1.0f32, 3.0].activate_into(&Relu, &mut out)?;
    /// assert_eq!(out, array![0.0, 3.0]);
    /// # Ok::<(), actdiff::ShapeMismatch>(())
    /// ```
    fn activate_into<F: Activation<T>>(
        &self,
        f: &F,
        out: &mut ArrayRef<T, D>,
    ) -> Result<(), ShapeMismatch>;

    /// A new array of `f'(x)`.
    ///
    /// ```
    /// use actdiff::{ArrayActivationExt, Relu};
    /// use ndarray::array;
    ///
    /// assert_eq!(array![-1.0f32, 3.0].activation_derivative(&Relu), array![0.0, 1.0]);
    /// ```
    fn activation_derivative<F: Activation<T>>(&self, f: &F) -> Array<T, D>;

    /// `x = f'(x)` for every element.
    ///
    /// ```
    /// use actdiff::{ArrayActivationExt, Relu};
    /// use ndarray::array;
    ///
    /// let mut x = array![[-1.0f32], [3.0]];
    /// x.view_mut().reversed_axes().activation_derivative_inplace(&Relu);
    /// assert_eq!(x, array![[0.0], [1.0]]);
    /// ```
    fn activation_derivative_inplace<F: Activation<T>>(&mut self, f: &F);

    /// The backward pass into a new array: `grad_in = grad_out * f'(self)`.
    ///
    /// # Errors
    /// If `grad_out` has another shape.
    ///
    /// ```
    /// use actdiff::{ArrayActivationExt, Relu};
    /// use ndarray::array;
    ///
    /// let g = array![-1.0f32, 3.0].activation_backward(&Relu, &array![5.0, 5.0])?;
    /// assert_eq!(g, array![0.0, 5.0]);
    /// # Ok::<(), actdiff::ShapeMismatch>(())
    /// ```
    fn activation_backward<F: Activation<T>>(
        &self,
        f: &F,
        grad_out: &ArrayRef<T, D>,
    ) -> Result<Array<T, D>, ShapeMismatch>;

    /// The backward pass into `grad_in`: `grad_in = grad_out * f'(self)`.
    ///
    /// # Errors
    /// If `grad_out` or `grad_in` has another shape.
    ///
    /// ```
    /// use actdiff::{ArrayActivationExt, Relu};
    /// use ndarray::{array, Array1};
    ///
    /// let mut grad_in = Array1::zeros(2);
    /// array![-1.0f32, 3.0].activation_backward_into(&Relu, &array![5.0, 5.0], &mut grad_in)?;
    /// assert_eq!(grad_in, array![0.0, 5.0]);
    /// # Ok::<(), actdiff::ShapeMismatch>(())
    /// ```
    fn activation_backward_into<F: Activation<T>>(
        &self,
        f: &F,
        grad_out: &ArrayRef<T, D>,
        grad_in: &mut ArrayRef<T, D>,
    ) -> Result<(), ShapeMismatch>;
}

impl<T: Real, D: Dimension> ArrayActivationExt<T, D> for ArrayRef<T, D> {
    fn activate<F: Activation<T>>(&self, f: &F) -> Array<T, D> {
        // `to_owned` keeps a contiguous array's memory order, and is contiguous itself.
        let mut out = self.to_owned();
        out.activate_inplace(f);
        out
    }

    fn activate_inplace<F: Activation<T>>(&mut self, f: &F) {
        match self.as_slice_memory_order_mut() {
            Some(xs) => f.forward_in_place(xs),
            None => self.map_inplace(|v| *v = f.forward(*v)),
        }
    }

    fn activate_into<F: Activation<T>>(
        &self,
        f: &F,
        out: &mut ArrayRef<T, D>,
    ) -> Result<(), ShapeMismatch> {
        same_shape(
            "activate_into",
            &[("x", self.shape()), ("out", out.shape())],
        )?;
        if same_order(self.shape(), self.strides(), out.strides()) {
            if let (Some(xs), Some(ys)) = (
                self.as_slice_memory_order(),
                out.as_slice_memory_order_mut(),
            ) {
                f.forward_slice(xs, ys);
                return Ok(());
            }
        }
        Zip::from(out).and(self).for_each(|y, &x| *y = f.forward(x));
        Ok(())
    }

    fn activation_derivative<F: Activation<T>>(&self, f: &F) -> Array<T, D> {
        let mut out = self.to_owned();
        out.activation_derivative_inplace(f);
        out
    }

    fn activation_derivative_inplace<F: Activation<T>>(&mut self, f: &F) {
        match self.as_slice_memory_order_mut() {
            Some(xs) => derivative_in_place(f, xs),
            None => self.map_inplace(|v| *v = f.derivative(*v)),
        }
    }

    fn activation_backward<F: Activation<T>>(
        &self,
        f: &F,
        grad_out: &ArrayRef<T, D>,
    ) -> Result<Array<T, D>, ShapeMismatch> {
        same_shape(
            "activation_backward",
            &[("x", self.shape()), ("grad_out", grad_out.shape())],
        )?;
        // A buffer in the memory order of `grad_out`, so that two of the three arrays
        // always match and a contiguous `x` of the same order takes the kernel.
        let mut grad_in = grad_out.to_owned();
        self.activation_backward_into(f, grad_out, &mut grad_in)?;
        Ok(grad_in)
    }

    fn activation_backward_into<F: Activation<T>>(
        &self,
        f: &F,
        grad_out: &ArrayRef<T, D>,
        grad_in: &mut ArrayRef<T, D>,
    ) -> Result<(), ShapeMismatch> {
        same_shape(
            "activation_backward_into",
            &[
                ("x", self.shape()),
                ("grad_out", grad_out.shape()),
                ("grad_in", grad_in.shape()),
            ],
        )?;
        let shape = self.shape();
        if same_order(shape, self.strides(), grad_out.strides())
            && same_order(shape, self.strides(), grad_in.strides())
        {
            let slices = (
                self.as_slice_memory_order(),
                grad_out.as_slice_memory_order(),
                grad_in.as_slice_memory_order_mut(),
            );
            if let (Some(xs), Some(gs), Some(os)) = slices {
                f.backward_slice(xs, gs, os);
                return Ok(());
            }
        }
        Zip::from(grad_in)
            .and(self)
            .and(grad_out)
            .for_each(|o, &x, &g| *o = g * f.derivative(x));
        Ok(())
    }
}
