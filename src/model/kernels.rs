//! The arithmetic of the default inference path, written so that its results are the same bits
//! on every x86-64 CPU (and any other), whatever instructions compute them. libtorch's kernels
//! pick code by instruction set (AVX2, AVX-512, VNNI, bf16) and their summation order with it,
//! so its outputs (and our CSV rows) moved with the CPU. Here:
//!
//! - matrix products of the encoder are integer: int8 weights (per output row) times
//!   activations quantized over fixed calibrated ranges, both widened to i16 and summed in i32
//!   with no saturation anywhere, so the sums are exact and any order of adding gives the same;
//! - every float sum (dot products, layer-norm moments, softmax denominators) runs in one order
//!   written here: 8 lane accumulators, then a fixed tree. Rust never fuses `a * b + c` into an
//!   FMA by itself and nothing here asks for one, and `+ - * / sqrt` are exactly rounded, so
//!   the AVX2 and the portable builds of the same code agree bit for bit;
//! - `exp`, `erf` and `ln` are our own, from those operations, instead of libm's (glibc picks
//!   FMA variants by CPU).
//!
//! The best build the CPU has runs (`Isa`): AVX-512 with VNNI, AVX-512 BW, AVX2 or portable.
//! The integer products read weights packed once at load into 16-column tiles and keep their
//! sums in registers; the float loops are register-blocked with each element's operations
//! unchanged. `WHOSAID_KERNELS=portable|avx2|avx512` (or `WHOSAID_PORTABLE_KERNELS=1`) caps
//! the build, which is how the tests prove that every build gives the same rows.

use rayon::prelude::*;
use std::sync::OnceLock;

/// Environment variable that forces the portable kernels (any value but empty or `0`).
pub const PORTABLE_ENV: &str = "WHOSAID_PORTABLE_KERNELS";

/// Environment variable that caps the build used: `portable`, `avx2`, `avx512` or `vnni`
/// (never above what the CPU has), for the tests that prove every build gives the same rows.
pub const KERNELS_ENV: &str = "WHOSAID_KERNELS";

/// Which build of the kernels runs, in order of preference.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Isa {
    /// Plain Rust, for any CPU.
    Portable,
    /// `std::arch` AVX2 intrinsics (integer products) and AVX2 code generation (float loops).
    Avx2,
    /// AVX2 as above, the integer products on AVX-512 BW (`vpmaddwd` on zmm) and the float
    /// dot products on zmm (F, DQ).
    Avx512,
    /// AVX-512 with VNNI (`vpdpwssd`) for the integer products.
    Avx512Vnni,
}

impl Isa {
    /// The best build this CPU runs, capped by `WHOSAID_KERNELS` or `WHOSAID_PORTABLE_KERNELS`.
    /// Decided once per process.
    pub fn current() -> Isa {
        static ISA: OnceLock<Isa> = OnceLock::new();
        *ISA.get_or_init(|| {
            let forced = std::env::var_os(PORTABLE_ENV).is_some_and(|v| !v.is_empty() && v != "0");
            let cap = match std::env::var(KERNELS_ENV).as_deref() {
                _ if forced => Isa::Portable,
                Ok("portable") => Isa::Portable,
                Ok("avx2") => Isa::Avx2,
                Ok("avx512") => Isa::Avx512,
                _ => Isa::Avx512Vnni,
            };
            Isa::detect().min(cap)
        })
    }

    /// The best build this CPU runs.
    pub fn detect() -> Isa {
        #[cfg(target_arch = "x86_64")]
        {
            use std::arch::is_x86_feature_detected as has;
            if has!("avx512f") && has!("avx512bw") && has!("avx512dq") && has!("avx2") {
                return if has!("avx512vnni") {
                    Isa::Avx512Vnni
                } else {
                    Isa::Avx512
                };
            }
            if has!("avx2") {
                return Isa::Avx2;
            }
        }
        Isa::Portable
    }

    /// Every build this CPU runs, the portable one first.
    pub fn available() -> Vec<Isa> {
        [Isa::Portable, Isa::Avx2, Isa::Avx512, Isa::Avx512Vnni]
            .into_iter()
            .filter(|&i| i <= Isa::detect())
            .collect()
    }

    /// Whether the float loops run their AVX2 build (every build but the portable one).
    #[inline(always)]
    pub fn avx2(self) -> bool {
        self >= Isa::Avx2
    }
}

/// The integer reduction runs over `K` padded to a multiple of this (one AVX2 step, 16 i16).
const K_STEP: usize = 16;

/// Activations are quantized to this many steps over their layer's range (12 bits). The kernel
/// multiplies i16 by i16 whatever the width, so finer steps than 8 bits cost nothing; they
/// are bounded only by exactness (`MAX_K`).
pub const ACT_LEVELS: i32 = 4095;

/// Largest weight magnitude (int8, symmetric).
pub const W_LEVELS: i32 = 127;

/// Longest reduction allowed: |activation| <= `ACT_LEVELS` and |weight| <= `W_LEVELS`, so a
/// sum of `MAX_K` products stays below 2^31 and i32 never overflows (4,128 >= the encoder's
/// widest input, 1,536).
pub const MAX_K: usize = (i32::MAX / (ACT_LEVELS * W_LEVELS)) as usize / K_STEP * K_STEP;

/// `k` rounded up to the kernels' step.
pub fn padded(k: usize) -> usize {
    k.div_ceil(K_STEP) * K_STEP
}

/// Rows of `x` per parallel task: each output element is computed by one task, in one order.
const ROWS_PER_TASK: usize = 16;

/// Output columns per packed weight tile: one zmm of i32 sums (two ymm).
pub const TILE: usize = 16;

/// Rows of `x` per task of a quantized layer: the task quantizes them, multiplies them by the
/// whole weight matrix (streamed once per task) and scales the sums.
const QUANT_ROWS_PER_TASK: usize = 48;

/// An `[m, kp]` i16 weight matrix in the kernels' layout: tiles of `TILE` output rows, and in
/// a tile, for each pair of `k`, the 16 rows' two values side by side (32 i16, what one
/// `vpmaddwd`/`vpdpwssd` multiplies by a broadcast pair of activations). `m` is padded with zero
/// rows to whole tiles. Packed once at load.
pub struct PackedWeights {
    m: usize,
    tiles: usize,
    kp: usize,
    data: Vec<i16>,
}

impl PackedWeights {
    /// `w` is `[m, kp]` row-major, `kp` a multiple of 16 and at most `MAX_K`.
    pub fn new(w: &[i16], m: usize, kp: usize) -> PackedWeights {
        assert!(
            kp.is_multiple_of(K_STEP) && kp <= MAX_K,
            "reduction length {kp}"
        );
        assert!(w.len() >= m * kp);
        let tiles = m.div_ceil(TILE);
        let mut data = vec![0i16; tiles * TILE * kp];
        for j in 0..m {
            let (t, c) = (j / TILE, j % TILE);
            for p in 0..kp / 2 {
                let at = (t * (kp / 2) + p) * 2 * TILE + 2 * c;
                data[at] = w[j * kp + 2 * p];
                data[at + 1] = w[j * kp + 2 * p + 1];
            }
        }
        PackedWeights { m, tiles, kp, data }
    }

    /// Output columns of the padded tiles.
    fn padded_m(&self) -> usize {
        self.tiles * TILE
    }
}

/// `out[i * m + j] = sum_k x[i * kp + k] * w[j][k]` over `n` rows of `x` (`[n, kp]`), exactly
/// (i32). Values are at most `ACT_LEVELS` in magnitude in `x` and `W_LEVELS` in `w` (what the
/// quantizers give), so no sum overflows; every build gives the same integers.
pub fn gemm_i16(isa: Isa, x: &[i16], n: usize, w: &PackedWeights, out: &mut [i32]) {
    let (m, mp, kp) = (w.m, w.padded_m(), w.kp);
    assert!(x.len() >= n * kp && out.len() >= n * m);
    if n == 0 || m == 0 {
        return;
    }
    out[..n * m]
        .par_chunks_mut(QUANT_ROWS_PER_TASK * m)
        .enumerate()
        .for_each(|(t, out)| {
            let i0 = t * QUANT_ROWS_PER_TASK;
            let rows = out.len() / m;
            let mut acc = vec![0i32; rows * mp];
            gemm_rows(isa, &x[i0 * kp..(i0 + rows) * kp], rows, w, &mut acc);
            for (o, a) in out.chunks_exact_mut(m).zip(acc.chunks_exact(mp)) {
                o.copy_from_slice(&a[..m]);
            }
        });
}

/// `gemm_i16` on one thread, into `out` `[n, padded m]`.
fn gemm_rows(isa: Isa, x: &[i16], n: usize, w: &PackedWeights, out: &mut [i32]) {
    assert!(x.len() >= n * w.kp && out.len() >= n * w.padded_m());
    match isa {
        Isa::Portable => gemm_portable(x, n, w, out),
        #[cfg(target_arch = "x86_64")]
        // SAFETY: each build is only chosen when the CPU has its features; sizes asserted.
        Isa::Avx2 => unsafe { avx2::gemm(x, n, w, out) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: as above.
        Isa::Avx512 => unsafe { avx512::gemm_bw(x, n, w, out) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: as above.
        Isa::Avx512Vnni => unsafe { avx512::gemm_vnni(x, n, w, out) },
        #[cfg(not(target_arch = "x86_64"))]
        _ => gemm_portable(x, n, w, out),
    }
}

/// The portable integer product: one plain i32 sum per output element, read from the tiles.
fn gemm_portable(x: &[i16], n: usize, w: &PackedWeights, out: &mut [i32]) {
    let (kp, mp) = (w.kp, w.padded_m());
    for i in 0..n {
        let xr = &x[i * kp..(i + 1) * kp];
        for t in 0..w.tiles {
            let panel = &w.data[t * TILE * kp..(t + 1) * TILE * kp];
            let mut acc = [0i32; TILE];
            for (p, pair) in xr.chunks_exact(2).enumerate() {
                let row = &panel[p * 2 * TILE..(p + 1) * 2 * TILE];
                for (c, a) in acc.iter_mut().enumerate() {
                    *a += i32::from(pair[0]) * i32::from(row[2 * c])
                        + i32::from(pair[1]) * i32::from(row[2 * c + 1]);
                }
            }
            out[i * mp + t * TILE..][..TILE].copy_from_slice(&acc);
        }
    }
}

/// Calls `$f::<R>` for a run-time row count `$r` in `1..=$max` (the kernels' row blocks are
/// const-generic so that their accumulators live in registers).
#[cfg(target_arch = "x86_64")]
macro_rules! rows_dispatch {
    ($r:expr, $f:ident, $($arg:expr),*) => {
        match $r {
            1 => $f::<1>($($arg),*),
            2 => $f::<2>($($arg),*),
            3 => $f::<3>($($arg),*),
            4 => $f::<4>($($arg),*),
            5 => $f::<5>($($arg),*),
            _ => $f::<6>($($arg),*),
        }
    };
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use super::{PackedWeights, TILE};
    use std::arch::x86_64::*;

    /// Rows per register block.
    const R: usize = 6;

    /// As `gemm_portable`: blocks of up to 6 rows times one tile (two ymm of 8 sums, 12
    /// accumulators) per pass over `k`; `madd` multiplies i16 pairs and adds each pair into an i32 exactly
    /// (|2 * 4095 * 127| fits), and the i32 sums cannot overflow (see `MAX_K`).
    ///
    /// # Safety
    /// The CPU must have AVX2; `x` holds `n * kp`, `out` `n * padded m` values.
    #[target_feature(enable = "avx2")]
    pub unsafe fn gemm(x: &[i16], n: usize, w: &PackedWeights, out: &mut [i32]) {
        for t in 0..w.tiles {
            let mut i = 0;
            while i < n {
                let r = (n - i).min(R);
                rows_dispatch!(r, block, x, i, w, t, out);
                i += r;
            }
        }
    }

    #[target_feature(enable = "avx2")]
    #[inline]
    unsafe fn block<const B: usize>(
        x: &[i16],
        i: usize,
        w: &PackedWeights,
        t: usize,
        out: &mut [i32],
    ) {
        let kp = w.kp;
        let mp = w.padded_m();
        let mut acc = [[_mm256_setzero_si256(); 2]; B];
        let xp = x.as_ptr().add(i * kp);
        let wp = w.data.as_ptr().add(t * TILE * kp);
        for p in 0..kp / 2 {
            let w0 = _mm256_loadu_si256(wp.add(p * 2 * TILE) as *const __m256i);
            let w1 = _mm256_loadu_si256(wp.add(p * 2 * TILE + TILE) as *const __m256i);
            for (r, a) in acc.iter_mut().enumerate() {
                let pair = (xp.add(r * kp + 2 * p) as *const i32).read_unaligned();
                let xv = _mm256_set1_epi32(pair);
                a[0] = _mm256_add_epi32(a[0], _mm256_madd_epi16(xv, w0));
                a[1] = _mm256_add_epi32(a[1], _mm256_madd_epi16(xv, w1));
            }
        }
        let op = out.as_mut_ptr();
        for (r, a) in acc.iter().enumerate() {
            let o = op.add((i + r) * mp + t * TILE);
            _mm256_storeu_si256(o as *mut __m256i, a[0]);
            _mm256_storeu_si256(o.add(8) as *mut __m256i, a[1]);
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod avx512 {
    use super::{PackedWeights, TILE};
    use std::arch::x86_64::*;

    /// Rows and tiles per register block: 24 zmm accumulators of the 32.
    const R: usize = 6;
    const C: usize = 4;

    /// As `gemm_portable`, by blocks of up to 6 rows times 4 tiles (64 columns): `vpmaddwd`
    /// then `vpaddd`, which adds the same exact pair sums without saturation as the other
    /// builds, so the same integers.
    ///
    /// # Safety
    /// The CPU must have AVX-512 F and BW; sizes as `gemm_rows` asserts.
    #[target_feature(enable = "avx512f,avx512bw")]
    pub unsafe fn gemm_bw(x: &[i16], n: usize, w: &PackedWeights, out: &mut [i32]) {
        gemm::<false>(x, n, w, out)
    }

    /// As `gemm_bw` with VNNI's fused `vpdpwssd` (multiply pairs, add to the sums, no
    /// saturation): the same exact integers.
    ///
    /// # Safety
    /// The CPU must have AVX-512 F, BW and VNNI; sizes as `gemm_rows` asserts.
    #[target_feature(enable = "avx512f,avx512bw,avx512vnni")]
    pub unsafe fn gemm_vnni(x: &[i16], n: usize, w: &PackedWeights, out: &mut [i32]) {
        gemm::<true>(x, n, w, out)
    }

    /// The body of both, inlined into each so it is compiled with its features.
    #[inline(always)]
    unsafe fn gemm<const VNNI: bool>(x: &[i16], n: usize, w: &PackedWeights, out: &mut [i32]) {
        let mut t = 0;
        while t < w.tiles {
            let c = (w.tiles - t).min(C);
            let mut i = 0;
            while i < n {
                let r = (n - i).min(R);
                if c == C {
                    rows_dispatch!(r, block4, x, i, w, t, out, VNNI);
                } else {
                    for u in t..t + c {
                        rows_dispatch!(r, block1, x, i, w, u, out, VNNI);
                    }
                }
                i += r;
            }
            t += c;
        }
    }

    #[inline(always)]
    unsafe fn step(acc: __m512i, x: __m512i, w: __m512i, vnni: bool) -> __m512i {
        if vnni {
            _mm512_dpwssd_epi32(acc, x, w)
        } else {
            _mm512_add_epi32(acc, _mm512_madd_epi16(x, w))
        }
    }

    #[inline(always)]
    unsafe fn block4<const B: usize>(
        x: &[i16],
        i: usize,
        w: &PackedWeights,
        t: usize,
        out: &mut [i32],
        vnni: bool,
    ) {
        let kp = w.kp;
        let mp = w.padded_m();
        let mut acc = [[_mm512_setzero_si512(); C]; B];
        let xp = x.as_ptr().add(i * kp);
        let panel = TILE * kp;
        let wp = w.data.as_ptr().add(t * panel);
        for p in 0..kp / 2 {
            let mut wv = [_mm512_setzero_si512(); C];
            for (c, v) in wv.iter_mut().enumerate() {
                *v = _mm512_loadu_si512(wp.add(c * panel + p * 2 * TILE) as *const __m512i);
            }
            for (r, a) in acc.iter_mut().enumerate() {
                let pair = (xp.add(r * kp + 2 * p) as *const i32).read_unaligned();
                let xv = _mm512_set1_epi32(pair);
                for (c, a) in a.iter_mut().enumerate() {
                    *a = step(*a, xv, wv[c], vnni);
                }
            }
        }
        let op = out.as_mut_ptr();
        for (r, a) in acc.iter().enumerate() {
            for (c, &v) in a.iter().enumerate() {
                let o = op.add((i + r) * mp + (t + c) * TILE);
                _mm512_storeu_si512(o as *mut __m512i, v);
            }
        }
    }

    #[inline(always)]
    unsafe fn block1<const B: usize>(
        x: &[i16],
        i: usize,
        w: &PackedWeights,
        t: usize,
        out: &mut [i32],
        vnni: bool,
    ) {
        let kp = w.kp;
        let mp = w.padded_m();
        let mut acc = [_mm512_setzero_si512(); B];
        let xp = x.as_ptr().add(i * kp);
        let wp = w.data.as_ptr().add(t * TILE * kp);
        for p in 0..kp / 2 {
            let wv = _mm512_loadu_si512(wp.add(p * 2 * TILE) as *const __m512i);
            for (r, a) in acc.iter_mut().enumerate() {
                let pair = (xp.add(r * kp + 2 * p) as *const i32).read_unaligned();
                *a = step(*a, _mm512_set1_epi32(pair), wv, vnni);
            }
        }
        for (r, &v) in acc.iter().enumerate() {
            let o = out.as_mut_ptr().add((i + r) * mp + t * TILE);
            _mm512_storeu_si512(o as *mut __m512i, v);
        }
    }
}

/// Rounds to the nearest integer, ties to even, for |v| < 2^22: adding 1.5 * 2^23 leaves no
/// fraction bits, and both operations are exactly rounded, so every CPU gives the same.
#[inline(always)]
pub fn round_even(v: f32) -> f32 {
    const MAGIC: f32 = 12_582_912.0;
    (v + MAGIC) - MAGIC
}

/// Activations to integer steps: clamp to the range, divide by the step, round half to
/// even, clamp to the integer range. The clamps are `min` then `max` written as the vector
/// instructions compute them (`a < b ? a : b`, `a > b ? a : b`), so the portable and the
/// vector builds agree on every input, NaN included (it becomes the top of the range).
struct Quantizer {
    lo: f32,
    hi: f32,
    inv_step: f32,
    lo_q: f32,
    hi_q: f32,
}

impl Quantizer {
    #[inline(always)]
    fn one(&self, v: f32) -> i16 {
        let v = if v < self.hi { v } else { self.hi };
        let v = if v > self.lo { v } else { self.lo };
        let v = round_even(v * self.inv_step);
        let v = if v < self.hi_q { v } else { self.hi_q };
        let v = if v > self.lo_q { v } else { self.lo_q };
        v as i16
    }

    fn run(&self, isa: Isa, x: &[f32], q: &mut [i16]) {
        assert_eq!(x.len(), q.len());
        match isa {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: chosen only when the CPU has AVX2; lengths asserted.
            i if i.avx2() => unsafe { self.run_avx2(x, q) },
            _ => q.iter_mut().zip(x).for_each(|(q, &v)| *q = self.one(v)),
        }
    }

    /// `one` on 8 lanes at a time: the same operations (`minps`/`maxps` are the compares
    /// `one` writes; the value converted is a whole number in range, so truncation is exact).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn run_avx2(&self, x: &[f32], q: &mut [i16]) {
        use std::arch::x86_64::*;
        const MAGIC: f32 = 12_582_912.0;
        let (hi, lo) = (_mm256_set1_ps(self.hi), _mm256_set1_ps(self.lo));
        let (hi_q, lo_q) = (_mm256_set1_ps(self.hi_q), _mm256_set1_ps(self.lo_q));
        let (inv, magic) = (_mm256_set1_ps(self.inv_step), _mm256_set1_ps(MAGIC));
        let full = x.len() / 8 * 8;
        for k in (0..full).step_by(8) {
            let v = _mm256_loadu_ps(x.as_ptr().add(k));
            let v = _mm256_max_ps(_mm256_min_ps(v, hi), lo);
            let v = _mm256_mul_ps(v, inv);
            let v = _mm256_sub_ps(_mm256_add_ps(v, magic), magic);
            let v = _mm256_max_ps(_mm256_min_ps(v, hi_q), lo_q);
            let i = _mm256_cvttps_epi32(v);
            // Pack to i16 (in range, no saturation) and gather the two lanes' halves.
            let p = _mm256_permute4x64_epi64(_mm256_packs_epi32(i, i), 0b1000);
            _mm_storeu_si128(
                q.as_mut_ptr().add(k) as *mut __m128i,
                _mm256_castsi256_si128(p),
            );
        }
        for k in full..x.len() {
            q[k] = self.one(x[k]);
        }
    }
}

/// A linear layer `x W^T + b` on int8 weights (symmetric, one scale per output row) and
/// activations quantized to `ACT_LEVELS` steps over a fixed input range (asymmetric, with a
/// zero point, as libtorch's int8 ops do, but 12 bits instead of 8). The range is the layer's
/// calibrated one, never the batch's, so a row's result depends on that row alone.
pub struct QuantLinear {
    inputs: usize,
    outputs: usize,
    kp: usize,
    /// `[outputs, kp]` weights in -127..=127, widened to i16 and packed once, zero-padded.
    weight: PackedWeights,
    /// Per output row: activation step times the row's weight scale.
    scale: Vec<f32>,
    bias: Vec<f32>,
    lo: f32,
    hi: f32,
    inv_step: f32,
    /// Zero point: the quantized activation is `round(x / step)` in `-zero..=ACT_LEVELS - zero`.
    zero: f32,
}

impl QuantLinear {
    /// `weight` is `[outputs, inputs]` row-major; `range` the calibrated input range.
    pub fn new(weight: &[f32], bias: &[f32], outputs: usize, range: (f64, f64)) -> QuantLinear {
        assert!(outputs > 0 && weight.len().is_multiple_of(outputs) && bias.len() == outputs);
        let inputs = weight.len() / outputs;
        let kp = padded(inputs);
        assert!(kp <= MAX_K, "{inputs} inputs");
        // The range holds 0, so zero (padding, exact zeros) quantizes exactly.
        let (lo, hi) = (range.0.min(0.0) as f32, range.1.max(0.0) as f32);
        let levels = ACT_LEVELS as f32;
        let step = ((hi - lo) / levels).max(f32::MIN_POSITIVE);
        let zero = round_even(-lo / step).clamp(0.0, levels);
        let mut q = vec![0i16; outputs * kp];
        let mut scale = Vec::with_capacity(outputs);
        for (j, row) in weight.chunks_exact(inputs).enumerate() {
            let max = row.iter().fold(0f32, |m, v| m.max(v.abs()));
            let wl = W_LEVELS as f32;
            let w_scale = (max / wl).max(f32::MIN_POSITIVE);
            for (k, &v) in row.iter().enumerate() {
                q[j * kp + k] = round_even(v / w_scale).clamp(-wl, wl) as i16;
            }
            scale.push(step * w_scale);
        }
        QuantLinear {
            inputs,
            outputs,
            kp,
            weight: PackedWeights::new(&q, outputs, kp),
            scale,
            bias: bias.to_vec(),
            lo,
            hi,
            inv_step: 1.0 / step,
            zero,
        }
    }

    /// Output width.
    pub fn outputs(&self) -> usize {
        self.outputs
    }

    /// `x` is `[n, inputs]`; returns `[n, outputs]`. Each task quantizes its rows, multiplies
    /// and scales them; the element-wise steps are the same operations on every build.
    pub fn forward(&self, isa: Isa, x: &[f32]) -> Vec<f32> {
        let (m, kp) = (self.outputs, self.kp);
        let mp = self.weight.padded_m();
        let n = x.len() / self.inputs;
        let mut out = vec![0f32; n * m];
        let (lo_q, hi_q) = (-self.zero, ACT_LEVELS as f32 - self.zero);
        out.par_chunks_mut(QUANT_ROWS_PER_TASK * m)
            .enumerate()
            .for_each(|(t, out)| {
                let rows = out.len() / m;
                let x = &x[t * QUANT_ROWS_PER_TASK * self.inputs..][..rows * self.inputs];
                let mut q = vec![0i16; rows * kp];
                let qz = Quantizer {
                    lo: self.lo,
                    hi: self.hi,
                    inv_step: self.inv_step,
                    lo_q,
                    hi_q,
                };
                for (q, x) in q.chunks_exact_mut(kp).zip(x.chunks_exact(self.inputs)) {
                    qz.run(isa, x, &mut q[..self.inputs]);
                }
                let mut acc = vec![0i32; rows * mp];
                gemm_rows(isa, &q, rows, &self.weight, &mut acc);
                with_isa(isa, || {
                    for (o, a) in out.chunks_exact_mut(m).zip(acc.chunks_exact(mp)) {
                        for (((o, &a), &s), &b) in
                            o.iter_mut().zip(a).zip(&self.scale).zip(&self.bias)
                        {
                            *o = a as f32 * s + b;
                        }
                    }
                });
            });
        out
    }
}

/// Sums 8 lanes in one fixed tree.
#[inline(always)]
fn tree(l: [f32; 8]) -> f32 {
    let a = [l[0] + l[4], l[1] + l[5], l[2] + l[6], l[3] + l[7]];
    (a[0] + a[2]) + (a[1] + a[3])
}

/// `a . b` in a fixed order: element `k` goes to lane `k % 8`, lanes added in order, then a
/// fixed tree. Lengths must match.
#[inline(always)]
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    debug_assert_eq!(a.len(), b.len());
    let mut l = [0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for i in 0..8 {
            l[i] += x[i] * y[i];
        }
    }
    for i in 0..ra.len() {
        l[i] += ra[i] * rb[i];
    }
    tree(l)
}

/// The sum of `a` in the order `dot` uses.
#[inline(always)]
pub fn sum(a: &[f32]) -> f32 {
    let mut l = [0f32; 8];
    let c = a.chunks_exact(8);
    let r = c.remainder();
    for x in c {
        for i in 0..8 {
            l[i] += x[i];
        }
    }
    for i in 0..r.len() {
        l[i] += r[i];
    }
    tree(l)
}

/// `out[i * m + j] = x_i . w_j + bias_j` for `x` `[n, k]`, `w` `[m, k]`, in f32, each element
/// one `dot`. The AVX2 build is the same code compiled for wider registers: same operations
/// per element in the same order, so the same bits.
pub fn linear_f32(isa: Isa, x: &[f32], w: &[f32], bias: Option<&[f32]>, m: usize) -> Vec<f32> {
    let k = w.len() / m.max(1);
    let n = x.len().checked_div(k).unwrap_or(0);
    let mut out = vec![0f32; n * m];
    if n == 0 || m == 0 {
        return out;
    }
    out.par_chunks_mut(ROWS_PER_TASK * m)
        .enumerate()
        .for_each(|(t, out)| {
            let i0 = t * ROWS_PER_TASK;
            let rows = out.len() / m;
            let x = &x[i0 * k..(i0 + rows) * k];
            match isa {
                #[cfg(target_arch = "x86_64")]
                // SAFETY: chosen only when the CPU has AVX2; sizes as `linear_rows` needs.
                i if i.avx2() => unsafe {
                    linear_rows_avx2(i >= Isa::Avx512, x, w, bias, k, m, out)
                },
                _ => linear_rows(x, w, bias, k, m, out),
            }
        });
    out
}

#[inline(always)]
fn linear_rows(x: &[f32], w: &[f32], bias: Option<&[f32]>, k: usize, m: usize, out: &mut [f32]) {
    for (xr, o) in x.chunks_exact(k).zip(out.chunks_exact_mut(m)) {
        for (j, (o, wr)) in o.iter_mut().zip(w.chunks_exact(k)).enumerate() {
            *o = dot(xr, wr) + bias.map_or(0.0, |b| b[j]);
        }
    }
}

/// `linear_rows` by `dots`' register blocks.
///
/// # Safety
/// The CPU must have AVX2 (and AVX-512 F and DQ when `avx512`).
#[cfg(target_arch = "x86_64")]
unsafe fn linear_rows_avx2(
    avx512: bool,
    x: &[f32],
    w: &[f32],
    bias: Option<&[f32]>,
    k: usize,
    m: usize,
    out: &mut [f32],
) {
    let n = x.len() / k;
    let rows = Rows {
        x,
        xs: k,
        w,
        ws: k,
        k,
    };
    if avx512 {
        avx512_f32::dots(&rows, n, m, out, m);
    } else {
        avx2_f32::dots(&rows, n, m, out, m);
    }
    // `linear_rows` adds 0 without a bias, which turns -0 into +0: so here too.
    for o in out.chunks_exact_mut(m) {
        for (j, o) in o.iter_mut().enumerate() {
            *o += bias.map_or(0.0, |b| b[j]);
        }
    }
}

/// Two sets of `k`-long rows, `x_i = x[i * xs..][..k]` and `w_j = w[j * ws..][..k]`, for
/// `dots`.
pub struct Rows<'a> {
    pub x: &'a [f32],
    pub xs: usize,
    pub w: &'a [f32],
    pub ws: usize,
    pub k: usize,
}

impl Rows<'_> {
    /// Element `(a, b)` from its 8 lane sums over the first `k / 8 * 8` columns: the tail
    /// goes to the first lanes, then `tree`, as `dot` does. Every SIMD build ends this way.
    #[inline(always)]
    fn finish(&self, mut lanes: [f32; 8], a: usize, b: usize) -> f32 {
        let full = self.k / 8 * 8;
        let xr = &self.x[a * self.xs + full..a * self.xs + self.k];
        let wr = &self.w[b * self.ws + full..b * self.ws + self.k];
        for (t, (&p, &w)) in xr.iter().zip(wr).enumerate() {
            lanes[t] += p * w;
        }
        tree(lanes)
    }
}

/// `out[i * os + j] = dot(x_i, w_j)` for `i < n`, `j < m`: every element the same operations
/// in the same order as `dot` (so the same bits), the AVX2 build by register blocks.
pub fn dots(isa: Isa, rows: &Rows, n: usize, m: usize, out: &mut [f32], os: usize) {
    match isa {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: chosen only when the CPU has AVX-512 F and DQ; `dots` checks the sizes.
        i if i >= Isa::Avx512 => unsafe { avx512_f32::dots(rows, n, m, out, os) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: chosen only when the CPU has AVX2; `dots` checks the sizes.
        i if i.avx2() => unsafe { avx2_f32::dots(rows, n, m, out, os) },
        _ => {
            for i in 0..n {
                let xr = &rows.x[i * rows.xs..][..rows.k];
                for j in 0..m {
                    out[i * os + j] = dot(xr, &rows.w[j * rows.ws..][..rows.k]);
                }
            }
        }
    }
}

/// `out[i * d + e] = sum_j p[i * pn + j] * v[j * vs + e]` for `i < n`, `j < pn`, `e < d`: each
/// element from 0, adding `p * v` in the order of `j` (attention's weighted values).
#[allow(clippy::too_many_arguments)] // the two operands' shapes, as `dots`' `Rows` would be
pub fn weighted_sums(
    isa: Isa,
    p: &[f32],
    n: usize,
    pn: usize,
    v: &[f32],
    vs: usize,
    d: usize,
    out: &mut [f32],
) {
    assert!(p.len() >= n * pn && out.len() >= n * d);
    assert!(pn == 0 || v.len() >= (pn - 1) * vs + d);
    match isa {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: chosen only when the CPU has AVX2; sizes asserted above.
        i if i.avx2() => unsafe { avx2_f32::weighted_sums(p, n, pn, v, vs, d, out) },
        _ => weighted_sums_portable(p, n, pn, v, vs, d, out),
    }
}

fn weighted_sums_portable(
    p: &[f32],
    n: usize,
    pn: usize,
    v: &[f32],
    vs: usize,
    d: usize,
    out: &mut [f32],
) {
    for i in 0..n {
        let c = &mut out[i * d..(i + 1) * d];
        c.fill(0.0);
        for j in 0..pn {
            let pj = p[i * pn + j];
            for (c, &vj) in c.iter_mut().zip(&v[j * vs..j * vs + d]) {
                *c += pj * vj;
            }
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod avx512_f32 {
    use super::{avx2_f32, Rows};
    use std::arch::x86_64::*;

    /// Pairs of `x` rows per register block, and `w` rows.
    const P: usize = 4;
    const C: usize = 6;

    /// As the portable `dots`, two elements per zmm: the low 8 lanes are element `(a, b)`'s
    /// lane accumulators, the high 8 those of `(a + 1, b)`, each lane the same products added
    /// in the same order as `dot` (lane-wise, so the register width changes nothing), then
    /// each half goes through `tree`. Blocks of 8 rows times 6; an odd last row runs the AVX2
    /// code.
    ///
    /// # Safety
    /// The CPU must have AVX-512 F and DQ (and AVX2).
    #[target_feature(enable = "avx2,avx512f,avx512dq")]
    pub unsafe fn dots(r: &Rows, n: usize, m: usize, out: &mut [f32], os: usize) {
        if n == 0 || m == 0 {
            return;
        }
        assert!(r.x.len() >= (n - 1) * r.xs + r.k && r.w.len() >= (m - 1) * r.ws + r.k);
        assert!(out.len() >= (n - 1) * os + m);
        let mut i = 0;
        while i + 2 <= n {
            let pairs = ((n - i) / 2).min(P);
            match pairs {
                1 => cols::<1>(r, i, m, out, os),
                2 => cols::<2>(r, i, m, out, os),
                3 => cols::<3>(r, i, m, out, os),
                _ => cols::<4>(r, i, m, out, os),
            }
            i += 2 * pairs;
        }
        if i < n {
            avx2_f32::cols::<1>(r, i, m, out, os);
        }
    }

    #[target_feature(enable = "avx2,avx512f,avx512dq")]
    #[inline]
    unsafe fn cols<const Q: usize>(r: &Rows, i: usize, m: usize, out: &mut [f32], os: usize) {
        let mut j = 0;
        while j + C <= m {
            block::<Q, C>(r, i, j, out, os);
            j += C;
        }
        while j < m {
            block::<Q, 1>(r, i, j, out, os);
            j += 1;
        }
    }

    #[target_feature(enable = "avx2,avx512f,avx512dq")]
    #[inline]
    unsafe fn block<const Q: usize, const B: usize>(
        r: &Rows,
        i: usize,
        j: usize,
        out: &mut [f32],
        os: usize,
    ) {
        let mut acc = [[_mm512_setzero_ps(); B]; Q];
        let (xp, wp) = (r.x.as_ptr(), r.w.as_ptr());
        let full = r.k / 8 * 8;
        let mut k = 0;
        while k < full {
            let mut xv = [_mm512_setzero_ps(); Q];
            for (q, v) in xv.iter_mut().enumerate() {
                let lo = _mm256_loadu_ps(xp.add((i + 2 * q) * r.xs + k));
                let hi = _mm256_loadu_ps(xp.add((i + 2 * q + 1) * r.xs + k));
                *v = _mm512_insertf32x8(_mm512_castps256_ps512(lo), hi, 1);
            }
            #[allow(clippy::needless_range_loop)]
            for b in 0..B {
                let wv = _mm512_broadcast_f32x8(_mm256_loadu_ps(wp.add((j + b) * r.ws + k)));
                for q in 0..Q {
                    acc[q][b] = _mm512_add_ps(acc[q][b], _mm512_mul_ps(xv[q], wv));
                }
            }
            k += 8;
        }
        for (q, row) in acc.iter().enumerate() {
            for (b, &v) in row.iter().enumerate() {
                let mut l = [0f32; 16];
                _mm512_storeu_ps(l.as_mut_ptr(), v);
                for h in 0..2 {
                    let a = i + 2 * q + h;
                    let mut lanes = [0f32; 8];
                    lanes.copy_from_slice(&l[8 * h..8 * h + 8]);
                    out[a * os + j + b] = r.finish(lanes, a, j + b);
                }
            }
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod avx2_f32 {
    use super::Rows;
    use std::arch::x86_64::*;

    /// As the portable `dots`: blocks of 4 rows of `x` times 3 of `w`, 12 independent lane
    /// accumulators in registers (one chain per element, as `dot` has, but 12 in flight).
    ///
    /// # Safety
    /// The CPU must have AVX2.
    #[target_feature(enable = "avx2")]
    pub unsafe fn dots(r: &Rows, n: usize, m: usize, out: &mut [f32], os: usize) {
        if n == 0 || m == 0 {
            return;
        }
        assert!(r.x.len() >= (n - 1) * r.xs + r.k && r.w.len() >= (m - 1) * r.ws + r.k);
        assert!(out.len() >= (n - 1) * os + m);
        let mut i = 0;
        while i + 4 <= n {
            cols::<4>(r, i, m, out, os);
            i += 4;
        }
        while i < n {
            cols::<1>(r, i, m, out, os);
            i += 1;
        }
    }

    #[target_feature(enable = "avx2")]
    #[inline]
    pub(super) unsafe fn cols<const R: usize>(
        r: &Rows,
        i: usize,
        m: usize,
        out: &mut [f32],
        os: usize,
    ) {
        let mut j = 0;
        while j + 3 <= m {
            block::<R, 3>(r, i, j, out, os);
            j += 3;
        }
        while j < m {
            block::<R, 1>(r, i, j, out, os);
            j += 1;
        }
    }

    /// Rows `i..i + R` of `x` times rows `j..j + C` of `w`: lane `l` of element `(a, b)` adds
    /// `x * w` at `k = l, l + 8, ...` in order from 0, the tail goes to the first lanes, then
    /// `tree`, exactly `dot`'s sequence. Multiply then add (no FMA).
    #[target_feature(enable = "avx2")]
    #[inline]
    unsafe fn block<const R: usize, const C: usize>(
        r: &Rows,
        i: usize,
        j: usize,
        out: &mut [f32],
        os: usize,
    ) {
        let mut acc = [[_mm256_setzero_ps(); C]; R];
        let (xp, wp) = (r.x.as_ptr(), r.w.as_ptr());
        let full = r.k / 8 * 8;
        let mut k = 0;
        while k < full {
            let mut xv = [_mm256_setzero_ps(); R];
            for (a, v) in xv.iter_mut().enumerate() {
                *v = _mm256_loadu_ps(xp.add((i + a) * r.xs + k));
            }
            #[allow(clippy::needless_range_loop)]
            for b in 0..C {
                let wv = _mm256_loadu_ps(wp.add((j + b) * r.ws + k));
                for a in 0..R {
                    acc[a][b] = _mm256_add_ps(acc[a][b], _mm256_mul_ps(xv[a], wv));
                }
            }
            k += 8;
        }
        for (a, row) in acc.iter().enumerate() {
            for (b, &v) in row.iter().enumerate() {
                let mut l = [0f32; 8];
                _mm256_storeu_ps(l.as_mut_ptr(), v);
                out[(i + a) * os + j + b] = r.finish(l, i + a, j + b);
            }
        }
    }

    /// As `weighted_sums_portable`, by blocks of 3 rows times 32 columns in registers.
    ///
    /// # Safety
    /// The CPU must have AVX2; sizes as `weighted_sums` asserts.
    #[target_feature(enable = "avx2")]
    pub unsafe fn weighted_sums(
        p: &[f32],
        n: usize,
        pn: usize,
        v: &[f32],
        vs: usize,
        d: usize,
        out: &mut [f32],
    ) {
        let full = d / 8 * 8;
        let mut i = 0;
        while i < n {
            let r = (n - i).min(3);
            let mut e = 0;
            while e < full {
                match (r, (full - e) / 8) {
                    (3, 4..) => ws_block::<3, 4>(p, i, pn, v, vs, d, e, out),
                    (3, c) => {
                        for t in 0..c {
                            ws_block::<3, 1>(p, i, pn, v, vs, d, e + 8 * t, out)
                        }
                    }
                    (_, 4..) => {
                        for a in 0..r {
                            ws_block::<1, 4>(p, i + a, pn, v, vs, d, e, out)
                        }
                    }
                    (_, c) => {
                        for a in 0..r {
                            for t in 0..c {
                                ws_block::<1, 1>(p, i + a, pn, v, vs, d, e + 8 * t, out)
                            }
                        }
                    }
                }
                e += ((full - e) / 8).min(4) * 8;
            }
            // Columns past the last 8: plain, in the same order.
            for a in i..i + r {
                for e in full..d {
                    let mut c = 0f32;
                    for j in 0..pn {
                        c += p[a * pn + j] * v[j * vs + e];
                    }
                    out[a * d + e] = c;
                }
            }
            i += r;
        }
    }

    #[target_feature(enable = "avx2")]
    #[inline]
    #[allow(clippy::too_many_arguments)]
    unsafe fn ws_block<const R: usize, const C: usize>(
        p: &[f32],
        i: usize,
        pn: usize,
        v: &[f32],
        vs: usize,
        d: usize,
        e: usize,
        out: &mut [f32],
    ) {
        let mut acc = [[_mm256_setzero_ps(); C]; R];
        let (pp, vp) = (p.as_ptr(), v.as_ptr());
        for j in 0..pn {
            let mut vv = [_mm256_setzero_ps(); C];
            for (c, x) in vv.iter_mut().enumerate() {
                *x = _mm256_loadu_ps(vp.add(j * vs + e + 8 * c));
            }
            for (a, row) in acc.iter_mut().enumerate() {
                let pa = _mm256_set1_ps(*pp.add((i + a) * pn + j));
                for (c, x) in row.iter_mut().enumerate() {
                    *x = _mm256_add_ps(*x, _mm256_mul_ps(pa, vv[c]));
                }
            }
        }
        for (a, row) in acc.iter().enumerate() {
            for (c, &x) in row.iter().enumerate() {
                _mm256_storeu_ps(out.as_mut_ptr().add((i + a) * d + e + 8 * c), x);
            }
        }
    }
}

/// Runs `f` compiled for AVX2 when `isa` says so, else as is: for float loops whose results do
/// not depend on the code generation (no FMA, fixed order), only their speed does.
#[inline(always)]
pub fn with_isa<T>(isa: Isa, f: impl FnOnce() -> T) -> T {
    #[cfg(target_arch = "x86_64")]
    if isa.avx2() {
        #[target_feature(enable = "avx2")]
        unsafe fn run<T>(f: impl FnOnce() -> T) -> T {
            f()
        }
        // SAFETY: chosen only when the CPU has AVX2.
        return unsafe { run(f) };
    }
    let _ = isa;
    f()
}

/// `e^x` from `+ - *` only: `x = n ln2 + r` (Cody-Waite split of ln 2, so `n * LN2_HI` is
/// exact), a degree-7 Taylor polynomial on |r| <= ln2 / 2 (relative error below 1e-8), times
/// 2^n built from bits. 0 below -87.3 (where f32 would go subnormal), capped at e^88.
#[inline(always)]
pub fn exp(x: f32) -> f32 {
    const LOG2E: f32 = std::f32::consts::LOG2_E;
    const LN2_HI: f32 = 0.693_359_4;
    const LN2_LO: f32 = -2.121_944_4e-4;
    let under = x < -87.3;
    let x = x.clamp(-87.3, 88.0);
    let n = round_even(x * LOG2E);
    let r = (x - n * LN2_HI) - n * LN2_LO;
    let p = 1.0
        + r * (1.0
            + r * (0.5
                + r * (1.0 / 6.0
                    + r * (1.0 / 24.0
                        + r * (1.0 / 120.0 + r * (1.0 / 720.0 + r * (1.0 / 5040.0)))))));
    let two_n = f32::from_bits(((n as i32 + 127) as u32) << 23);
    if under {
        0.0
    } else {
        p * two_n
    }
}

/// The error function, Abramowitz and Stegun 7.1.26 (absolute error below 1e-6 in f32, under
/// the step the next layer quantizes to), on our `exp`.
#[inline(always)]
pub fn erf(x: f32) -> f32 {
    let a = x.abs();
    let t = 1.0 / (1.0 + 0.327_591_1 * a);
    let poly = t
        * (0.254_829_6
            + t * (-0.284_496_74 + t * (1.421_413_8 + t * (-1.453_152 + t * 1.061_405_4))));
    let y = 1.0 - poly * exp(-a * a);
    if x < 0.0 {
        -y
    } else {
        y
    }
}

/// The exact gelu, `x/2 (1 + erf(x / sqrt 2))` (rust-bert's `gelu("none")`).
#[inline(always)]
pub fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + erf(x * std::f32::consts::FRAC_1_SQRT_2))
}

/// Natural log of a positive finite `v`, in f64 from `+ - * /`: `v = 2^e m` with m in
/// [sqrt(1/2), sqrt(2)), `ln m = 2 atanh((m-1)/(m+1))` by its series to s^19 (|s| < 0.172,
/// error below 1e-15).
pub fn ln(v: f64) -> f64 {
    debug_assert!(v > 0.0 && v.is_finite());
    let bits = v.to_bits();
    let mut e = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mut m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    if m > std::f64::consts::SQRT_2 {
        m *= 0.5;
        e += 1;
    }
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    let mut series = 0.0;
    for k in (0..10).rev() {
        series = series * s2 + 1.0 / (2 * k + 1) as f64;
    }
    e as f64 * std::f64::consts::LN_2 + 2.0 * s * series
}

/// `log_softmax` of `x` in place: `x - max - ln(sum e^(x - max))`.
pub fn log_softmax(x: &mut [f32]) {
    if x.is_empty() {
        return;
    }
    let max = x.iter().fold(f32::NEG_INFINITY, |m, &v| m.max(v));
    let mut e: Vec<f32> = x.iter().map(|&v| exp(v - max)).collect();
    let lse = max + ln(f64::from(sum(&e))) as f32;
    e.clear();
    for v in x.iter_mut() {
        *v -= lse;
    }
}

/// `softmax` of `x` in place.
#[inline(always)]
pub fn softmax(x: &mut [f32]) {
    let max = x.iter().fold(f32::NEG_INFINITY, |m, &v| m.max(v));
    for v in x.iter_mut() {
        *v = exp(*v - max);
    }
    let inv = 1.0 / sum(x);
    for v in x.iter_mut() {
        *v *= inv;
    }
}

/// Layer norm of each `d`-wide row of `x` in place: mean and variance by `sum`, then
/// `(x - mean) / sqrt(var + eps) * w + b`.
pub fn layer_norm(isa: Isa, x: &mut [f32], w: &[f32], b: &[f32], eps: f32) {
    let d = w.len();
    x.par_chunks_mut(d * ROWS_PER_TASK).for_each(|rows| {
        with_isa(isa, || {
            let mut centred = vec![0f32; d];
            for row in rows.chunks_exact_mut(d) {
                let mean = sum(row) / d as f32;
                for (c, &v) in centred.iter_mut().zip(row.iter()) {
                    *c = v - mean;
                }
                let var = dot(&centred, &centred) / d as f32;
                let inv = 1.0 / (var + eps).sqrt();
                for (k, v) in row.iter_mut().enumerate() {
                    *v = centred[k] * inv * w[k] + b[k];
                }
            }
        })
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (xorshift), so the tests need no crate.
    struct Rng(u64);
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

    fn naive(x: &[i16], n: usize, w: &[i16], m: usize, kp: usize) -> Vec<i32> {
        let mut out = vec![0i32; n * m];
        for i in 0..n {
            for j in 0..m {
                let mut s = 0i64;
                for k in 0..kp {
                    s += i64::from(x[i * kp + k]) * i64::from(w[j * kp + k]);
                }
                out[i * m + j] = i32::try_from(s).unwrap();
            }
        }
        out
    }

    #[test]
    fn integer_products_are_exact_on_every_build() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let builds = Isa::available();
        // Odd sizes, tails of every block, one row, more rows than one task, extreme values.
        for &(n, m, k) in &[
            (1, 1, 1),
            (3, 5, 17),
            (2, 4, 16),
            (17, 33, 384),
            (7, 13, 1536),
            (40, 3, 100),
            (1, 70, 31),
            (13, 80, 48),
            (100, 64, 32),
            (7, 17, 16),
        ] {
            let kp = padded(k);
            let mut x = vec![0i16; n * kp];
            let mut w = vec![0i16; m * kp];
            for i in 0..n {
                for c in 0..k {
                    x[i * kp + c] = rng.range(-ACT_LEVELS, ACT_LEVELS) as i16;
                }
            }
            for j in 0..m {
                for c in 0..k {
                    w[j * kp + c] = rng.range(-W_LEVELS, W_LEVELS) as i16;
                }
            }
            // The worst case for overflow: every product at its largest.
            if n == 1 && m == 1 {
                x.iter_mut().for_each(|v| *v = -ACT_LEVELS as i16);
                w.iter_mut().for_each(|v| *v = -W_LEVELS as i16);
            }
            let want = naive(&x, n, &w, m, kp);
            let packed = PackedWeights::new(&w, m, kp);
            for &isa in &builds {
                let mut got = vec![0i32; n * m];
                gemm_i16(isa, &x, n, &packed, &mut got);
                assert_eq!(got, want, "{isa:?} {n}x{m}x{k}");
            }
        }
    }

    #[test]
    fn largest_reduction_does_not_overflow() {
        let kp = MAX_K;
        let x = vec![-ACT_LEVELS as i16; kp];
        let w = vec![-W_LEVELS as i16; kp];
        let packed = PackedWeights::new(&w, 1, kp);
        for isa in Isa::available() {
            let mut got = [0i32; 1];
            gemm_i16(isa, &x, 1, &packed, &mut got);
            let want = i64::from(ACT_LEVELS * W_LEVELS) * kp as i64;
            assert_eq!(i64::from(got[0]), want, "{isa:?}");
        }
    }

    #[test]
    fn float_products_are_the_same_bits_on_every_build() {
        let mut rng = Rng(42);
        for &(n, m, k) in &[(1, 1, 1), (5, 7, 13), (33, 9, 400), (2, 51, 256)] {
            let x: Vec<f32> = (0..n * k).map(|_| rng.f32() * 3.0).collect();
            let w: Vec<f32> = (0..m * k).map(|_| rng.f32()).collect();
            let b: Vec<f32> = (0..m).map(|_| rng.f32()).collect();
            let portable = linear_f32(Isa::Portable, &x, &w, Some(&b), m);
            let native = linear_f32(Isa::detect(), &x, &w, Some(&b), m);
            let bits = |v: &[f32]| v.iter().map(|f| f.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&portable), bits(&native));
            // and it is a dot product: close to the f64 one
            for i in 0..n {
                for j in 0..m {
                    let r: f64 = (0..k)
                        .map(|c| f64::from(x[i * k + c]) * f64::from(w[j * k + c]))
                        .sum::<f64>()
                        + f64::from(b[j]);
                    assert!((f64::from(portable[i * m + j]) - r).abs() < 1e-4, "{i} {j}");
                }
            }
        }
    }

    #[test]
    fn quantized_linear_is_close_to_f32_and_the_same_on_every_build() {
        let mut rng = Rng(7);
        let (n, m, k) = (9, 21, 45);
        let w: Vec<f32> = (0..m * k).map(|_| rng.f32() * 0.1).collect();
        let b: Vec<f32> = (0..m).map(|_| rng.f32()).collect();
        let x: Vec<f32> = (0..n * k).map(|_| rng.f32() * 2.0).collect();
        let lin = QuantLinear::new(&w, &b, m, (-2.0, 2.0));
        let a = lin.forward(Isa::Portable, &x);
        for isa in Isa::available() {
            let c = lin.forward(isa, &x);
            assert_eq!(
                a.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
                c.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
                "{isa:?}"
            );
        }
        let f = linear_f32(Isa::Portable, &x, &w, Some(&b), m);
        let worst = a
            .iter()
            .zip(&f)
            .map(|(p, q)| (p - q).abs())
            .fold(0.0, f32::max);
        assert!(worst < 0.05, "worst error {worst}");
    }

    #[test]
    fn attention_products_are_the_same_bits_on_every_build() {
        let mut rng = Rng(99);
        let bits = |v: &[f32]| v.iter().map(|f| f.to_bits()).collect::<Vec<_>>();
        // Strided rows as attention reads them; lengths around every block edge.
        for &(n, k, stride) in &[
            (1, 32, 96),
            (7, 32, 96),
            (13, 20, 40),
            (30, 8, 8),
            (9, 33, 70),
        ] {
            let x: Vec<f32> = (0..n * stride).map(|_| rng.f32()).collect();
            let y: Vec<f32> = (0..n * stride).map(|_| rng.f32()).collect();
            let rows = Rows {
                x: &x,
                xs: stride,
                w: &y,
                ws: stride,
                k,
            };
            let mut want = vec![0f32; n * n];
            dots(Isa::Portable, &rows, n, n, &mut want, n);
            let mut ws_want = vec![0f32; n * k];
            weighted_sums(Isa::Portable, &want, n, n, &y, stride, k, &mut ws_want);
            for isa in Isa::available() {
                let mut got = vec![0f32; n * n];
                dots(isa, &rows, n, n, &mut got, n);
                assert_eq!(bits(&want), bits(&got), "dots {isa:?} {n} {k}");
                let mut ws = vec![0f32; n * k];
                weighted_sums(isa, &want, n, n, &y, stride, k, &mut ws);
                assert_eq!(bits(&ws_want), bits(&ws), "weighted sums {isa:?} {n} {k}");
            }
            for i in 0..n {
                for j in 0..n {
                    let d = dot(&x[i * stride..][..k], &y[j * stride..][..k]);
                    assert_eq!(want[i * n + j].to_bits(), d.to_bits());
                }
            }
        }
    }

    #[test]
    fn quantization_is_the_same_on_every_build_even_at_the_edges() {
        let qz = Quantizer {
            lo: -1.5,
            hi: 2.0,
            inv_step: 4095.0 / 3.5,
            lo_q: -1755.0,
            hi_q: 2340.0,
        };
        let mut x = vec![
            f32::NAN,
            f32::INFINITY,
            f32::NEG_INFINITY,
            -0.0,
            0.0,
            -1.5,
            2.0,
            1e30,
            -1e30,
            0.5 / qz.inv_step,
            1.5 / qz.inv_step,
        ];
        let mut rng = Rng(5);
        x.extend((0..45).map(|_| rng.f32() * 3.0));
        let mut want = vec![0i16; x.len()];
        qz.run(Isa::Portable, &x, &mut want);
        assert_eq!(
            &want[..9],
            &[2340, 2340, -1755, 0, 0, -1755, 2340, 2340, -1755]
        );
        // ties to even: 0.5 -> 0, 1.5 -> 2
        assert_eq!(&want[9..11], &[0, 2]);
        for isa in Isa::available() {
            let mut got = vec![0i16; x.len()];
            qz.run(isa, &x, &mut got);
            assert_eq!(want, got, "{isa:?}");
        }
    }

    #[test]
    fn math_functions_are_accurate() {
        for i in -870..=880 {
            let x = i as f32 / 10.0;
            let e = f64::from(exp(x));
            let want = f64::from(x).exp();
            assert!(
                (e - want).abs() <= want * 2e-7,
                "exp({x}) = {e}, want {want}"
            );
        }
        for i in -3000..=3000 {
            let x = i as f32 / 1000.0;
            let g = f64::from(erf(x));
            let want = series_erf(f64::from(x));
            // 1.5e-7 for the formula, plus f32 rounding.
            assert!((g - want).abs() < 1e-6, "erf({x}) = {g}, want {want}");
        }
        assert!((erf(6.0) - 1.0).abs() < 1e-7 && (erf(-6.0) + 1.0).abs() < 1e-7);
        assert_eq!(exp(-100.0), 0.0);
        assert_eq!(exp(0.0), 1.0);
        for v in [1e-30, 0.3, 1.0, 2.0, 7.5, 513.0, 1e30] {
            assert!(
                (ln(v) - v.ln()).abs() < 1e-14 * (1.0 + v.ln().abs()),
                "ln({v})"
            );
        }
    }

    /// erf by its Taylor series in f64 (for |x| <= 3 the cancellation costs under 5 digits),
    /// a reference independent of the function under test.
    fn series_erf(x: f64) -> f64 {
        let mut term = x;
        let mut s = x;
        for n in 1..200 {
            term *= -x * x / n as f64;
            s += term / (2 * n + 1) as f64;
        }
        s * 2.0 / std::f64::consts::PI.sqrt()
    }

    #[test]
    fn softmaxes_normalise() {
        let mut x = vec![1.0f32, 2.0, 3.0, -50.0, 0.5];
        let mut y = x.clone();
        softmax(&mut x);
        assert!((sum(&x) - 1.0).abs() < 1e-6);
        log_softmax(&mut y);
        for (p, l) in x.iter().zip(&y) {
            assert!((p.ln() - l).abs() < 1e-5);
        }
    }
}
