//! Run-time choice of instruction set: the crate's only `unsafe`.
//!
//! A kernel's loop is written once as a closure. On x86-64 with AVX2 and FMA it runs
//! inside a function compiled for those features, where the inlined branch-free
//! bodies become 256-bit vector code; elsewhere it runs as compiled for the target
//! (SSE2 on x86-64, NEON on aarch64). The math's multiply-adds are explicit fused
//! ones (`mul_add`), correctly rounded on every path, so every path gives the same
//! bits: one instruction with FMA, a library call without. The `Activation` scalar
//! methods run through here as well, so that they get the instruction too (without
//! it, gelu's f64 forward took 250 ns a call instead of 77).

/// Runs `f`, compiled for the best instruction set this CPU supports.
#[inline(always)]
pub(crate) fn vectorized<R>(f: impl FnOnce() -> R) -> R {
    #[cfg(target_arch = "x86_64")]
    {
        if std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma") {
            // SAFETY: the CPU supports AVX2 and FMA, checked just above, which is the
            // only requirement of calling a function compiled for them.
            return unsafe { with_avx2_fma(f) };
        }
    }
    f()
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn with_avx2_fma<R>(f: impl FnOnce() -> R) -> R {
    f()
}
