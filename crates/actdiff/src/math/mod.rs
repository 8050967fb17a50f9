//! Branch-free, table-free math for `f32` and `f64`.
//!
//! Every function is pure arithmetic on floats and their bit patterns (magic-bias
//! rounding, polynomial and rational kernels, selects instead of branches), so the
//! same code is the scalar path and vectorizes inside the slice kernels. Each
//! function documents its measured maximum error in ULPs.

pub mod f32;
pub mod f64;
pub mod fused;
