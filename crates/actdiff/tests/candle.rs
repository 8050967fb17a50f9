//! `ActivationOp` in candle: forward values and gradients through candle's autograd,
//! against candle's own operations (relu, silu) and actdiff's derivative (mish).

use actdiff::candle::ActivationOp;
use actdiff::prelude::*;
use candle_core::{DType, Device, Tensor, Var};

activation! {
    /// ReLU with candle's derivative at the kink: 1 at 0.
    CandleRelu(x) = if x >= 0 { x } else { 0 };
}

/// Inputs over both signs, zero and the tails, as an f32 vector.
fn points() -> Vec<f32> {
    (-60..=60)
        .map(|i| i as f32 * 0.15)
        .chain([0.0, -20.0, 20.0, 1e-3, -1e-3])
        .collect()
}

/// The weight of the `i`-th output in the loss: varied, so that `grad_out` is not all
/// ones.
fn weight(i: usize) -> f32 {
    0.5 + (i % 5) as f32 * 0.25
}

/// `d/dx Σ weight(i)·op(x)[i]` through candle's autograd.
fn gradient(
    x: &[f32],
    op: impl Fn(&Tensor) -> candle_core::Result<Tensor>,
) -> candle_core::Result<Vec<f32>> {
    let dev = Device::Cpu;
    let v = Var::new(x, &dev)?;
    let w: Vec<f32> = (0..x.len()).map(weight).collect();
    let w = Tensor::new(w.as_slice(), &dev)?;
    let loss = op(v.as_tensor())?.mul(&w)?.sum_all()?;
    let grads = loss.backward()?;
    grads
        .get(v.as_tensor())
        .expect("x takes part in the loss")
        .to_vec1()
}

#[test]
fn gradients_equal_candles_own_for_relu_and_silu() -> candle_core::Result<()> {
    let x = points();
    let theirs = gradient(&x, |t| t.relu())?;
    // candle's relu backward is `x >= 0` (derivative 1 at 0); actdiff's Relu follows
    // PyTorch (0 at 0). Away from 0 they agree exactly, and an activation that writes
    // candle's convention agrees everywhere.
    let ours = gradient(&x, |t| t.apply_op1(ActivationOp::new(Relu)))?;
    for ((o, t), xi) in ours.iter().zip(&theirs).zip(&x) {
        if *xi == 0.0 {
            assert_eq!((*o, *t > 0.0), (0.0, true), "x = 0");
        } else {
            assert_eq!(o, t, "x = {xi}");
        }
    }
    let ours = gradient(&x, |t| t.apply_op1(ActivationOp::new(CandleRelu)))?;
    assert_eq!(ours, theirs);

    let ours = gradient(&x, |t| t.apply_op1(ActivationOp::new(Silu)))?;
    let theirs = gradient(&x, |t| t.silu())?;
    for (i, ((o, t), xi)) in ours.iter().zip(&theirs).zip(&x).enumerate() {
        // candle computes silu' as `sigmoid(x) * (1 - silu(x)) + silu(x)`, adding terms
        // as large as |x| in f32: equal up to that rounding, a few f32 epsilons of
        // |x|, scaled by the gradient's weight. (At x = 8.85 candle is 7.7 ULP from the
        // exact value, actdiff 1.3.)
        let w = weight(i);
        let tol = 4.0 * f32::EPSILON * w * (1.0 + xi.abs());
        assert!((o - t).abs() <= tol, "x = {xi}: {o} vs {t}");
    }
    Ok(())
}

#[test]
fn gradient_equals_actdiffs_derivative_for_mish() -> candle_core::Result<()> {
    let x = points();
    let ours = gradient(&x, |t| t.apply_op1(ActivationOp::new(Mish)))?;
    for (i, (g, xi)) in ours.iter().zip(&x).enumerate() {
        assert_eq!(
            g.to_bits(),
            (weight(i) * Mish.derivative(*xi)).to_bits(),
            "x = {xi}"
        );
    }
    Ok(())
}

#[test]
fn forward_equals_candle_and_actdiff() -> candle_core::Result<()> {
    let x = points();
    let t = Tensor::new(x.as_slice(), &Device::Cpu)?;
    assert_eq!(
        t.apply_op1(ActivationOp::new(Relu))?.to_vec1::<f32>()?,
        t.relu()?.to_vec1::<f32>()?
    );
    let mish: Vec<f32> = t.apply_op1(ActivationOp::new(Mish))?.to_vec1()?;
    assert_eq!(mish, x.iter().map(|&v| Mish.forward(v)).collect::<Vec<_>>());
    Ok(())
}

#[test]
fn every_float_dtype_and_non_contiguous_layouts() -> candle_core::Result<()> {
    let dev = Device::Cpu;
    let x: Vec<f32> = (0..24).map(|i| i as f32 * 0.4 - 4.0).collect();
    let t = Tensor::new(x.as_slice(), &dev)?.reshape((4, 6))?;
    // Transposed and narrowed: not contiguous.
    let view = t.t()?.narrow(0, 1, 4)?;
    assert!(!view.is_contiguous());
    let want = view.contiguous()?.apply_op1(ActivationOp::new(Mish))?;
    let got = view.apply_op1(ActivationOp::new(Mish))?;
    assert_eq!(got.to_vec2::<f32>()?, want.to_vec2::<f32>()?);

    let f64_out = t.to_dtype(DType::F64)?.apply_op1(ActivationOp::new(Mish))?;
    let expect: Vec<f64> = x.iter().map(|&v| Mish.forward(f64::from(v))).collect();
    assert_eq!(f64_out.flatten_all()?.to_vec1::<f64>()?, expect);

    for dtype in [DType::F16, DType::BF16] {
        let h = t.to_dtype(dtype)?;
        let got = h.apply_op1(ActivationOp::new(Mish))?.to_dtype(DType::F32)?;
        // One rounding of the f32 result of the (exactly widened) half input.
        let widened = h.to_dtype(DType::F32)?.apply_op1(ActivationOp::new(Mish))?;
        let want = widened.to_dtype(dtype)?.to_dtype(DType::F32)?;
        assert_eq!(got.to_vec2::<f32>()?, want.to_vec2::<f32>()?, "{dtype:?}");
    }
    Ok(())
}

#[test]
fn parameters_come_in_both_precisions_and_train() -> candle_core::Result<()> {
    let op = ActivationOp::pair(LeakyRelu::new(0.2f32), LeakyRelu::new(0.2f64));
    let x = Var::new(&[-1.0f64, 2.0], &Device::Cpu)?;
    let grads = x.apply_op1(op)?.sum_all()?.backward()?;
    let g = grads.get(&x).expect("x takes part").to_vec1::<f64>()?;
    assert_eq!(g, [0.2, 1.0]);
    Ok(())
}

#[test]
fn unsupported_dtypes_are_errors() -> candle_core::Result<()> {
    let t = Tensor::new(&[1u32, 2], &Device::Cpu)?;
    let e = t.apply_op1(ActivationOp::new(Mish)).unwrap_err();
    assert!(e.to_string().contains("Mish"), "{e}");
    Ok(())
}

#[test]
fn dynamic_definitions_work_too() -> candle_core::Result<()> {
    let f = Dynamic::parse("Sq(x) = x * x").expect("valid");
    let x = Var::new(&[3.0f32], &Device::Cpu)?;
    let grads = x.apply_op1(ActivationOp::new(f))?.sum_all()?.backward()?;
    assert_eq!(
        grads.get(&x).expect("x takes part").to_vec1::<f32>()?,
        [6.0]
    );
    Ok(())
}

#[test]
fn half_precision_gradients_are_the_f32_gradient_rounded_once() -> candle_core::Result<()> {
    let x: Vec<f32> = (-40..=40).map(|i| i as f32 * 0.1).collect();
    for dtype in [DType::F16, DType::BF16] {
        let v = Var::from_tensor(&Tensor::new(x.as_slice(), &Device::Cpu)?.to_dtype(dtype)?)?;
        let grads = v
            .apply_op1(ActivationOp::new(Mish))?
            .sum_all()?
            .backward()?;
        let got = grads.get(&v).expect("x takes part").to_dtype(DType::F32)?;
        let widened: Vec<f32> = v.to_dtype(DType::F32)?.to_vec1()?;
        let want: Vec<f32> = widened.iter().map(|&xi| Mish.derivative(xi)).collect();
        let want = Tensor::new(want.as_slice(), &Device::Cpu)?
            .to_dtype(dtype)?
            .to_dtype(DType::F32)?;
        assert_eq!(got.to_vec1::<f32>()?, want.to_vec1::<f32>()?, "{dtype:?}");
    }
    Ok(())
}
