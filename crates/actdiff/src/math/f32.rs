//! Temporary reference implementation on std (replaced by the branch-free kernels).
/// exp
#[inline]
pub fn exp(x: f32) -> f32 {
    x.exp()
}
/// expm1
#[inline]
pub fn expm1(x: f32) -> f32 {
    x.exp_m1()
}
/// ln
#[inline]
pub fn ln(x: f32) -> f32 {
    x.ln()
}
/// log1p
#[inline]
pub fn log1p(x: f32) -> f32 {
    x.ln_1p()
}
/// tanh
#[inline]
pub fn tanh(x: f32) -> f32 {
    x.tanh()
}
/// sigmoid
#[inline]
pub fn sigmoid(x: f32) -> f32 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}
/// softplus
#[inline]
pub fn softplus(x: f32) -> f32 {
    x.max(0.0) + (-x.abs()).exp().ln_1p()
}
/// erf
#[inline]
pub fn erf(x: f32) -> f32 {
    libm::erf(x as f64) as f32
}
/// erfc
#[inline]
pub fn erfc(x: f32) -> f32 {
    libm::erfc(x as f64) as f32
}
/// sin
#[inline]
pub fn sin(x: f32) -> f32 {
    x.sin()
}
/// cos
#[inline]
pub fn cos(x: f32) -> f32 {
    x.cos()
}
/// pow
#[inline]
pub fn pow(x: f32, y: f32) -> f32 {
    x.powf(y)
}
/// powi
#[inline]
pub fn powi(x: f32, n: i32) -> f32 {
    x.powi(n)
}
