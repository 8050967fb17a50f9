//! `ArrayActivationExt`: every method on contiguous arrays (standard and Fortran order)
//! and on views the slice kernels cannot take (steps, transposes next to standard
//! arrays, reversed axes), against the scalar methods element by element.

use actdiff::prelude::*;
use actdiff::{ArrayActivationExt, ShapeMismatch};
use ndarray::{s, Array, Array2, Array3, ArrayRef, Dimension, IxDyn, ShapeBuilder, Zip};

/// 3-d inputs covering both signs, zero, the ±inf rule and NaN.
fn input() -> Array3<f32> {
    let mut x = Array3::from_shape_fn((4, 5, 6), |(i, j, k)| {
        (i as f32 - 1.5) * 1.7 + (j as f32 - 2.0) * 0.31 + k as f32 * 0.05
    });
    x[[0, 0, 0]] = f32::NEG_INFINITY;
    x[[1, 1, 1]] = f32::INFINITY;
    x[[2, 2, 2]] = f32::NAN;
    x[[3, 3, 3]] = 0.0;
    x
}

/// Equal bits, so that NaN compares equal to NaN.
fn assert_bits<D: Dimension>(got: &ArrayRef<f32, D>, want: &ArrayRef<f32, D>) {
    assert_eq!(got.shape(), want.shape());
    for (g, w) in got.iter().zip(want.iter()) {
        assert_eq!(g.to_bits(), w.to_bits(), "{g} != {w}");
    }
}

/// Runs every method on `x` (any layout) against elementwise scalar results.
fn check_all<D: Dimension>(x: &ArrayRef<f32, D>, grad: &ArrayRef<f32, D>) {
    let f = Mish;
    let fwd = x.map(|&v| f.forward(v));
    let der = x.map(|&v| f.derivative(v));
    let bwd = Zip::from(x)
        .and(grad)
        .map_collect(|&v, &g| g * f.derivative(v));

    assert_bits(&x.activate(&f), &fwd);
    assert_bits(&x.activation_derivative(&f), &der);
    assert_bits(&x.activation_backward(&f, grad).expect("same shape"), &bwd);

    let mut inplace = x.to_owned();
    inplace.activate_inplace(&f);
    assert_bits(&inplace, &fwd);
    let mut inplace = x.to_owned();
    inplace.activation_derivative_inplace(&f);
    assert_bits(&inplace, &der);

    // Into outputs of both memory orders.
    for fortran in [false, true] {
        let mut out = Array::<f32, D>::zeros(x.raw_dim().set_f(fortran));
        x.activate_into(&f, &mut out).expect("same shape");
        assert_bits(&out, &fwd);
        let mut out = Array::<f32, D>::zeros(x.raw_dim().set_f(fortran));
        x.activation_backward_into(&f, grad, &mut out)
            .expect("same shape");
        assert_bits(&out, &bwd);
    }
}

fn gradient(shape: &[usize]) -> Array<f32, IxDyn> {
    Array::from_shape_fn(IxDyn(shape), |i| {
        0.5 + i.slice().iter().sum::<usize>() as f32 * 0.25
    })
}

#[test]
fn standard_layout() {
    let x = input();
    let g = gradient(x.shape()).into_dimensionality().expect("3-d");
    check_all(&x, &g);
}

#[test]
fn fortran_layout_takes_the_kernels_in_memory_order() {
    let x = input();
    let mut xf = Array3::zeros(x.raw_dim().f());
    xf.assign(&x);
    let mut gf = Array3::zeros(x.raw_dim().f());
    gf.assign(
        &gradient(x.shape())
            .into_dimensionality::<ndarray::Ix3>()
            .expect("3-d"),
    );
    assert!(xf.as_slice_memory_order().is_some() && xf.as_slice().is_none());
    check_all(&xf, &gf);
}

#[test]
fn strided_views() {
    let x = input();
    let stepped = x.slice(s![.., ..;2, 1..;3]);
    let g = gradient(stepped.shape())
        .into_dimensionality()
        .expect("3-d");
    assert!(stepped.as_slice_memory_order().is_none());
    check_all(&stepped, &g);
}

#[test]
fn transposed_and_reversed_views() {
    let x = input();
    let t = x.t();
    // A transposed array is contiguous in memory order; its gradient is standard, so
    // the pair takes the elementwise path.
    let g = gradient(t.shape()).into_dimensionality().expect("3-d");
    check_all(&t, &g);
    // Both transposed: the same memory order, the kernel path.
    let gt = gradient(x.shape())
        .into_dimensionality::<ndarray::Ix3>()
        .expect("3-d");
    check_all(&t, &gt.t());
    let reversed = x.slice(s![..;-1, .., ..;-1]);
    let g = gradient(reversed.shape())
        .into_dimensionality()
        .expect("3-d");
    check_all(&reversed, &g);
}

#[test]
fn inplace_on_a_strided_view_touches_only_the_view() {
    let mut x = Array2::from_shape_fn((3, 4), |(i, j)| i as f64 - j as f64);
    let orig = x.clone();
    x.slice_mut(s![..;2, ..]).activate_inplace(&Relu);
    for ((i, j), v) in x.indexed_iter() {
        let want = if i % 2 == 0 {
            orig[[i, j]].max(0.0)
        } else {
            orig[[i, j]]
        };
        assert_eq!(*v, want);
    }
    x.slice_mut(s![1..2, ..])
        .activation_derivative_inplace(&Relu);
    assert_eq!(x.row(1).to_vec(), [1.0, 0.0, 0.0, 0.0]);
}

#[test]
fn dynamic_dimension_and_any_activation() {
    let x = input().into_dyn();
    let g = gradient(x.shape());
    check_all(&x, &g);
    let f: Builtin = "leaky_relu(negative_slope=0.2)".parse().expect("built-in");
    assert_eq!(x.activate(&f)[[1, 0, 0]], f.forward(x[[1, 0, 0]]));
}

#[test]
fn shape_mismatches_are_errors() {
    let x = Array2::<f32>::zeros((2, 3));
    let g = Array2::<f32>::zeros((3, 2));
    let e: ShapeMismatch = x.activation_backward(&Mish, &g).unwrap_err();
    assert_eq!(
        e.to_string(),
        "actdiff: activation_backward: shapes differ: x has [2, 3], grad_out has [3, 2]"
    );
    let mut out = Array2::<f32>::zeros((2, 2));
    let e = x.activate_into(&Mish, &mut out).unwrap_err();
    assert_eq!(
        e.to_string(),
        "actdiff: activate_into: shapes differ: x has [2, 3], out has [2, 2]"
    );
    let e = x.activation_backward_into(&Mish, &x, &mut out).unwrap_err();
    assert_eq!(
        e.to_string(),
        "actdiff: activation_backward_into: shapes differ: x has [2, 3], grad_out has [2, 3], grad_in has [2, 2]"
    );
    // The output was not touched.
    assert!(out.iter().all(|&v| v == 0.0));
}
