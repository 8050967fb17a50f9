//! Run-time choice of instruction set: the crate's only `unsafe`.
//!
//! A kernel's loop is written once as a closure. On x86-64 it runs inside a function
//! compiled for the best instruction set the CPU has, AVX-512 (F, VL, DQ, BW) with FMA
//! or else AVX2 with FMA, where the inlined branch-free bodies become 512- or 256-bit
//! vector code; elsewhere it runs as compiled for the target (SSE2 on x86-64, NEON on
//! aarch64). The math's multiply-adds are explicit fused ones (`mul_add`), correctly
//! rounded on every path, and the vector instructions round as the scalar ones do, so
//! every path gives the same bits (`tests/instruction_sets.rs` checks it): one
//! instruction with FMA, a library call without. The `Activation` scalar methods run
//! through here as well, so that they get the instruction too (without it, gelu's f64
//! forward took 250 ns a call instead of 77).
//!
//! The choice is made once, on the first call, and can be capped by the environment
//! variable `ACTDIFF_ISA` (see [`InstructionSet`]), to compare the paths on one machine.
//!
//! The same instruction set writes long outputs with streaming (non-temporal) stores
//! ([`Streamer`]): a line written that way goes to memory without first being read
//! into the cache, so an output larger than the caches costs one transfer a line
//! instead of two, as in `memcpy`. The loops that stream also ask for the next
//! block of their inputs ahead of its use ([`prefetch`]).

use std::sync::atomic::{AtomicU8, Ordering};

/// The instruction set the slice kernels and scalar methods run with, chosen once at
/// run time from what the CPU supports.
///
/// The environment variable `ACTDIFF_ISA`, read on the first kernel call, caps the
/// choice: `avx512`, `avx2` or `portable` (x86-64; a cap above what the CPU has gives
/// the best it has; any other value is ignored). Every choice gives the same bits;
/// only the speed differs.
///
/// ```
/// let isa = actdiff::instruction_set();
/// println!("kernels run with {isa}");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum InstructionSet {
    /// Compiled for the target only: SSE2 on x86-64 (fused multiply-adds are library
    /// calls), NEON on aarch64, whatever the target has elsewhere.
    Portable,
    /// x86-64 with AVX2 and FMA: 256-bit vectors.
    Avx2Fma,
    /// x86-64 with AVX-512 F, VL, DQ and BW, and FMA: 512-bit vectors.
    Avx512,
}

impl InstructionSet {
    /// Every choice, from the least to the best.
    pub const ALL: [InstructionSet; 3] = [
        InstructionSet::Portable,
        InstructionSet::Avx2Fma,
        InstructionSet::Avx512,
    ];

    /// The name `ACTDIFF_ISA` takes for this choice: `portable`, `avx2`, `avx512`.
    pub fn name(self) -> &'static str {
        match self {
            InstructionSet::Portable => "portable",
            InstructionSet::Avx2Fma => "avx2",
            InstructionSet::Avx512 => "avx512",
        }
    }

    /// The choice `ACTDIFF_ISA` names, if it names one.
    fn from_name(name: &str) -> Option<InstructionSet> {
        let name = name.trim().to_ascii_lowercase();
        InstructionSet::ALL
            .into_iter()
            .find(|isa| isa.name() == name)
    }

    /// The best this CPU supports.
    fn detect() -> InstructionSet {
        #[cfg(target_arch = "x86_64")]
        {
            let fma = std::is_x86_feature_detected!("fma");
            if fma
                && std::is_x86_feature_detected!("avx512f")
                && std::is_x86_feature_detected!("avx512vl")
                && std::is_x86_feature_detected!("avx512dq")
                && std::is_x86_feature_detected!("avx512bw")
            {
                return InstructionSet::Avx512;
            }
            if fma && std::is_x86_feature_detected!("avx2") {
                return InstructionSet::Avx2Fma;
            }
        }
        InstructionSet::Portable
    }
}

impl std::fmt::Display for InstructionSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            InstructionSet::Portable => "portable (compiled for the target)",
            InstructionSet::Avx2Fma => "AVX2+FMA",
            InstructionSet::Avx512 => "AVX-512+FMA",
        })
    }
}

/// The choice, once made: 0 before the first call, else 1 + its index in
/// [`InstructionSet::ALL`].
static CHOSEN: AtomicU8 = AtomicU8::new(0);

/// The instruction set the kernels run with on this machine (see [`InstructionSet`]).
pub fn instruction_set() -> InstructionSet {
    let chosen = usize::from(CHOSEN.load(Ordering::Relaxed));
    if let Some(&isa) = chosen
        .checked_sub(1)
        .and_then(|i| InstructionSet::ALL.get(i))
    {
        return isa;
    }
    let best = InstructionSet::detect();
    let isa = std::env::var("ACTDIFF_ISA")
        .ok()
        .and_then(|name| InstructionSet::from_name(&name))
        .map_or(best, |cap| cap.min(best));
    // Two threads that race here store the same value.
    CHOSEN.store(1 + isa as u8, Ordering::Relaxed);
    isa
}

/// Whether the CPU is AMD's (its `cpuid` vendor string is "AuthenticAMD"), read once:
/// one loop shape is tuned per vendor, where the two measured differently (see
/// `kernels::ONE_LOOP_BYTES`). False off x86-64.
pub(crate) fn amd() -> bool {
    // 0 before the first call, 1 not AMD, 2 AMD.
    static VENDOR: AtomicU8 = AtomicU8::new(0);
    match VENDOR.load(Ordering::Relaxed) {
        0 => {
            let amd = vendor_is_amd();
            // Two threads that race here store the same value.
            VENDOR.store(1 + u8::from(amd), Ordering::Relaxed);
            amd
        }
        v => v == 2,
    }
}

/// Reads the vendor string of `cpuid` leaf 0.
fn vendor_is_amd() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: `cpuid` exists on every x86-64 CPU and leaf 0 on every one of them;
        // it reads no memory. (`unsafe` for the Rust versions in which the
        // intrinsic is an unsafe function; newer ones made it safe.)
        #[allow(unused_unsafe)]
        let leaf = unsafe { core::arch::x86_64::__cpuid(0) };
        // The vendor string is EBX, EDX, ECX, four bytes each, little-endian.
        let mut vendor = [0u8; 12];
        for (bytes, reg) in vendor
            .chunks_exact_mut(4)
            .zip([leaf.ebx, leaf.edx, leaf.ecx])
        {
            bytes.copy_from_slice(&reg.to_le_bytes());
        }
        &vendor == b"AuthenticAMD"
    }
    #[cfg(not(target_arch = "x86_64"))]
    false
}

/// Runs `f`, compiled for the instruction set [`instruction_set`] chose.
#[inline(always)]
pub(crate) fn vectorized<R>(f: impl FnOnce() -> R) -> R {
    vectorized_streaming(
        #[inline(always)]
        |_| f(),
    )
}

/// Asks for `v`'s lines in the cache ahead of their use: a hint, which changes no
/// value and never faults (nothing where the target has no prefetch instruction).
#[inline(always)]
pub(crate) fn prefetch<T>(v: &[T]) {
    #[cfg(target_arch = "x86_64")]
    for line in v.chunks((LINE_BYTES / core::mem::size_of::<T>().max(1)).max(1)) {
        // SAFETY: a prefetch (SSE, which every x86-64 CPU has) reads nothing the
        // program sees and does not fault, whatever the address.
        unsafe {
            core::arch::x86_64::_mm_prefetch::<{ core::arch::x86_64::_MM_HINT_T0 }>(
                line.as_ptr().cast::<i8>(),
            );
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = v;
}

/// Elements of one streamed group: a 64-byte line of `f32`, two of `f64`.
pub(crate) const GROUP: usize = 16;

/// Bytes of a cache line: the alignment streaming stores need.
pub(crate) const LINE_BYTES: usize = 64;

/// Where `out`'s streamable groups lie: from its first 64-byte line boundary to its
/// last whole [`GROUP`] after it (empty where it holds none).
pub(crate) fn whole_groups<T>(out: &[T]) -> core::ops::Range<usize> {
    let n = out.len();
    let head = out.as_ptr().align_offset(LINE_BYTES).min(n);
    head..head + (n - head) / GROUP * GROUP
}

/// Streaming stores for the instruction set a kernel runs with. Made only here,
/// by [`vectorized_streaming`], for the choice [`instruction_set`] made, so that its
/// stores use only instructions the CPU has. Its instruction set is a constant in
/// each compiled path, so the choice in [`Streamer::store`] compiles away.
#[derive(Clone, Copy)]
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
pub(crate) struct Streamer(InstructionSet);

/// Fences a [`Streamer`]'s stores when dropped, at the end of a kernel or when
/// it unwinds from a panic in user code: Rust's rules for streaming stores ask for
/// the fence before any other access to the memory, even by the same thread.
pub(crate) struct Fence(Streamer);

impl Drop for Fence {
    fn drop(&mut self) {
        self.0.fence();
    }
}

impl Streamer {
    /// `dst.copy_from_slice(src)`: the whole [`GROUP`]s from `dst`'s first 64-byte
    /// line boundary streamed (see [`Self::store`]), the elements before and after
    /// them copied as usual.
    #[inline(always)]
    pub(crate) fn store_groups<T: Copy + 'static>(self, dst: &mut [T], src: &[T]) {
        let n = dst.len().min(src.len());
        let core::ops::Range { start: head, end } = whole_groups(&dst[..n]);
        dst[..head].copy_from_slice(&src[..head]);
        let groups = dst[head..end].chunks_exact_mut(GROUP);
        for (d, s) in groups.zip(src[head..end].chunks_exact(GROUP)) {
            self.store(d, s);
        }
        dst[end..n].copy_from_slice(&src[end..n]);
    }

    /// `dst.copy_from_slice(group)`, streamed: `dst` goes to memory without being read
    /// into the cache first. Where `dst` is not a whole group starting on a line, or
    /// `T` is not `f32` or `f64`, an ordinary copy (callers split their outputs so
    /// that it is).
    #[inline(always)]
    pub(crate) fn store<T: Copy + 'static>(self, dst: &mut [T], group: &[T]) {
        use core::any::TypeId;
        let bytes = core::mem::size_of::<[T; GROUP]>();
        // Only plain floats move through the `f32` vectors: `Real` is public, and a
        // type with padding or pointers would be read as bytes it may not have.
        // (Compile-time constants: the test compiles away.)
        let float =
            TypeId::of::<T>() == TypeId::of::<f32>() || TypeId::of::<T>() == TypeId::of::<f64>();
        let aligned = (dst.as_ptr() as usize).is_multiple_of(LINE_BYTES);
        let whole = dst.len() == GROUP && group.len() == GROUP;
        if !float || !whole || !aligned || !bytes.is_multiple_of(LINE_BYTES) {
            dst.copy_from_slice(group);
            return;
        }
        let to = dst.as_mut_ptr().cast::<f32>();
        let from = group.as_ptr().cast::<f32>();
        #[cfg(target_arch = "x86_64")]
        {
            use core::arch::x86_64::*;
            // The stores move bits: reading `T`s as `f32` vectors changes nothing.
            let floats = bytes / 4;
            match self.0 {
                // SAFETY: a `Streamer` holds AVX-512 only where `detect` found it; `T`
                // is `f32` or `f64` (every bit pattern a float, no padding); `dst`
                // is `bytes` long, starts on a 64-byte line (checked above), and so
                // every 64-byte store below is inside it and aligned as they require;
                // `group` is `bytes` long, read unaligned.
                InstructionSet::Avx512 => unsafe {
                    for k in (0..floats).step_by(16) {
                        _mm512_stream_ps(to.add(k), _mm512_loadu_ps(from.add(k)));
                    }
                },
                // SAFETY: as above, for AVX (implied by AVX2) and 32-byte stores.
                InstructionSet::Avx2Fma => unsafe {
                    for k in (0..floats).step_by(8) {
                        _mm256_stream_ps(to.add(k), _mm256_loadu_ps(from.add(k)));
                    }
                },
                // SAFETY: as above, for SSE (every x86-64 CPU) and 16-byte stores.
                InstructionSet::Portable => unsafe {
                    for k in (0..floats).step_by(4) {
                        _mm_stream_ps(to.add(k), _mm_loadu_ps(from.add(k)));
                    }
                },
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            let _ = (to, from);
            dst.copy_from_slice(group);
        }
    }

    /// A [`Fence`] for this streamer's stores: to be made before the first.
    #[inline(always)]
    pub(crate) fn fence_on_drop(self) -> Fence {
        Fence(self)
    }

    /// Orders the streaming stores before every later access to memory: after a
    /// kernel, so that a thread that synchronises with this one sees them.
    #[inline(always)]
    pub(crate) fn fence(self) {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: SSE, which every x86-64 CPU has; a fence has no other requirement.
        unsafe {
            core::arch::x86_64::_mm_sfence()
        }
    }
}

/// Whether [`vectorized_streaming`] passes a [`Streamer`]: on x86-64 (every
/// instruction set there has the stores), nowhere else.
pub(crate) const STREAMING_STORES: bool = cfg!(target_arch = "x86_64");

/// Runs `f`, compiled for the instruction set [`instruction_set`] chose, with a
/// [`Streamer`] for that instruction set (x86-64; elsewhere `None`).
#[inline(always)]
pub(crate) fn vectorized_streaming<R>(f: impl FnOnce(Option<Streamer>) -> R) -> R {
    #[cfg(target_arch = "x86_64")]
    {
        match instruction_set() {
            // SAFETY: `detect` found AVX-512 F, VL, DQ, BW and FMA on this CPU, and
            // a cap only lowers the choice; that is the only requirement of calling
            // a function compiled for them (AVX-512F implies AVX2).
            InstructionSet::Avx512 => {
                return unsafe {
                    with_avx512(
                        #[inline(always)]
                        || f(Some(Streamer(InstructionSet::Avx512))),
                    )
                };
            }
            // SAFETY: as above, for AVX2 and FMA.
            InstructionSet::Avx2Fma => {
                return unsafe {
                    with_avx2_fma(
                        #[inline(always)]
                        || f(Some(Streamer(InstructionSet::Avx2Fma))),
                    )
                };
            }
            InstructionSet::Portable => {}
        }
        f(Some(Streamer(InstructionSet::Portable)))
    }
    #[cfg(not(target_arch = "x86_64"))]
    f(None)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512vl,avx512dq,avx512bw,avx2,fma")]
unsafe fn with_avx512<R>(f: impl FnOnce() -> R) -> R {
    f()
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn with_avx2_fma<R>(f: impl FnOnce() -> R) -> R {
    f()
}

#[cfg(test)]
mod tests {
    /// `amd` agrees with the kernel's reading of the vendor, where Linux gives it.
    #[test]
    #[cfg(all(target_os = "linux", target_arch = "x86_64"))]
    fn the_vendor_is_the_kernels() {
        let Ok(info) = std::fs::read_to_string("/proc/cpuinfo") else {
            return;
        };
        let Some(vendor) = info
            .lines()
            .find(|l| l.starts_with("vendor_id"))
            .and_then(|l| l.split(':').nth(1))
        else {
            return;
        };
        assert_eq!(super::amd(), vendor.trim() == "AuthenticAMD", "{vendor}");
        assert_eq!(super::amd(), super::vendor_is_amd());
    }
}
