//! Temporary reference implementation on std (replaced by the branch-free kernels).
/// exp
#[inline]
pub fn exp(x: f64) -> f64 {
    x.exp()
}
/// expm1
#[inline]
pub fn expm1(x: f64) -> f64 {
    x.exp_m1()
}
/// ln
#[inline]
pub fn ln(x: f64) -> f64 {
    x.ln()
}
/// log1p
#[inline]
pub fn log1p(x: f64) -> f64 {
    x.ln_1p()
}
/// tanh
#[inline]
pub fn tanh(x: f64) -> f64 {
    x.tanh()
}
/// sigmoid
#[inline]
pub fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}
/// softplus
#[inline]
pub fn softplus(x: f64) -> f64 {
    x.max(0.0) + (-x.abs()).exp().ln_1p()
}
/// erf
#[inline]
pub fn erf(x: f64) -> f64 {
    libm::erf(x)
}
/// erfc
#[inline]
pub fn erfc(x: f64) -> f64 {
    libm::erfc(x)
}
/// sin
#[inline]
pub fn sin(x: f64) -> f64 {
    x.sin()
}
/// cos
#[inline]
pub fn cos(x: f64) -> f64 {
    x.cos()
}
/// pow
#[inline]
pub fn pow(x: f64, y: f64) -> f64 {
    x.powf(y)
}
/// powi
#[inline]
pub fn powi(x: f64, n: i32) -> f64 {
    x.powi(n)
}
