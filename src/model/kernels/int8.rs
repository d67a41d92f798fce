//! Integer products: the encoder's linear layers (`QuantLinear`) as int8 weights times
//! activations quantized over fixed calibrated ranges, both widened to i16 and summed in i32.
//! Invariant: the sums are exact (no saturation anywhere, no i32 overflow up to `MAX_K`), so
//! any order of adding and every build gives the same integers, and the float steps around them
//! (quantizing, scaling) are the same operations on every build: the same bits everywhere.

use super::isa::{with_isa, Isa};
use super::math::round_even;
#[cfg(target_arch = "x86_64")]
use super::x86::{avx2, avx512};
use rayon::prelude::*;

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
    pub(super) m: usize,
    pub(super) tiles: usize,
    pub(super) kp: usize,
    pub(super) data: Vec<i16>,
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
    pub(super) fn padded_m(&self) -> usize {
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

/// Activations to integer steps: clamp to the range, divide by the step, round half to
/// even, clamp to the integer range. The clamps are `min` then `max` written as the vector
/// instructions compute them (`a < b ? a : b`, `a > b ? a : b`), so the portable and the
/// vector builds agree on every input, NaN included (it becomes the top of the range).
pub(super) struct Quantizer {
    pub(super) lo: f32,
    pub(super) hi: f32,
    pub(super) inv_step: f32,
    pub(super) lo_q: f32,
    pub(super) hi_q: f32,
}

impl Quantizer {
    #[inline(always)]
    pub(super) fn one(&self, v: f32) -> i16 {
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
            i if i.avx2() => unsafe { avx2::quantize(self, x, q) },
            _ => q.iter_mut().zip(x).for_each(|(q, &v)| *q = self.one(v)),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::kernels::floats::linear_f32;
    use crate::model::kernels::Rng;

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
}
