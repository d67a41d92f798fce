//! The arithmetic of the default inference path, written so that its results are the same bits
//! on every x86-64 CPU (and any other), whatever instructions compute them. libtorch's kernels
//! pick code by instruction set (AVX2, AVX-512, VNNI, bf16) and their summation order with it,
//! so its outputs (and our CSV rows) moved with the CPU. Here:
//!
//! - matrix products of the encoder are integer (`int8.rs`): int8 weights (per output row)
//!   times activations quantized over fixed calibrated ranges, both widened to i16 (12-bit
//!   activations) or both bytes (8-bit unsigned activations, 7-bit weights), chosen per layer,
//!   and summed in i32 with no saturation anywhere, so the sums are exact and any order of
//!   adding gives the same;
//! - every float sum (`floats.rs`: dot products, attention, the heads' layers; `math.rs`:
//!   layer-norm moments, softmax denominators) runs in one order written here: 8 lane
//!   accumulators, then a fixed tree. Rust never fuses `a * b + c` into an FMA by itself and
//!   nothing here asks for one, and `+ - * / sqrt` are exactly rounded, so every build of the
//!   same sequence agrees bit for bit;
//! - `exp`, `erf` and `ln` are our own (`math.rs`), from those operations, instead of libm's.
//!
//! The best build the CPU has runs (`isa.rs`, the one place that detects it): AVX-512 with
//! VNNI, AVX-512 BW, AVX2 or portable. The x86 builds (`x86/`) are `std::arch` intrinsics:
//! integer products reading weights packed once at load into 16-column tiles, sums in
//! registers; float products register-blocked, each element's operations unchanged. The other
//! float loops are the portable code compiled for AVX2 (`with_isa`).
//! `WHOSAID_KERNELS=portable|avx2|avx512|vnni` (or `WHOSAID_PORTABLE_KERNELS=1`) caps the build,
//! which is how the tests prove that every build gives the same rows.

mod floats;
mod int8;
mod isa;
mod math;
mod row_quant;
#[cfg(target_arch = "x86_64")]
mod x86;

pub use floats::{dot, dots, linear_f32, sum, weighted_sums, Rows, WeightedRows};
pub use int8::{
    gemm, padded, Activations, PackedWeights, QuantLinear, Weight, ACT_LEVELS, MAX_K, TILE,
    W_LEVELS,
};
pub use isa::{with_isa, Isa, KERNELS_ENV, PORTABLE_ENV};
pub use math::{erf, exp, gelu, gelu_in_place, layer_norm, ln, log_softmax, round_even, softmax};
pub use row_quant::RowQuantLinear;

/// A small deterministic generator (xorshift), so the kernels' tests need no crate.
#[cfg(test)]
struct Rng(u64);

#[cfg(test)]
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn range(&mut self, lo: i32, hi: i32) -> i32 {
        lo + (self.next() % (hi - lo + 1) as u64) as i32
    }
    fn f32(&mut self) -> f32 {
        (self.next() % 2_000_001) as f32 / 1_000_000.0 - 1.0
    }
}
