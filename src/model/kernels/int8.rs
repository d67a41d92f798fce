//! Integer products: the encoder's linear layers (`QuantLinear`) as int8 weights times
//! activations quantized over fixed calibrated ranges, summed in i32. Two products, chosen per
//! layer (`Activations`): 12-bit activations times the weights widened to i16 (`vpmaddwd`,
//! `vpdpwssd`), or unsigned 7- or 8-bit activations times the weights as bytes (`vpmaddubsw`,
//! `vpdpbusd`), whose bit widths keep `vpmaddubsw`'s pair sums below i16's saturation.
//! Invariant: the sums are exact (no saturation anywhere, no i32 overflow up to `MAX_K`; where
//! a kernel lets partial sums wrap, it works modulo 2^32 and its result is still the exact
//! sum), so any order of adding and every build gives the same integers, and the float steps
//! around them (quantizing, scaling) are the same operations on every build: the same bits
//! everywhere.

use super::isa::{with_isa, Isa};
use super::math::round_even;
#[cfg(target_arch = "x86_64")]
use super::x86::{avx2, avx512};
use rayon::prelude::*;

/// The integer reduction runs over `K` padded to a multiple of this (one AVX2 step, 16 i16).
const K_STEP: usize = 16;

/// Activations of the i16 product are quantized to this many steps over their layer's range
/// (12 bits). The kernel multiplies i16 by i16 whatever the width, so finer steps than 8 bits
/// cost nothing there; they are bounded only by exactness (`MAX_K`).
pub const ACT_LEVELS: i32 = 4095;

/// Largest weight magnitude (int8, symmetric).
pub const W_LEVELS: i32 = 127;

/// Longest reduction allowed: |activation| <= `ACT_LEVELS` and |weight| <= `W_LEVELS`, so a
/// sum of `MAX_K` products stays below 2^31 and i32 never overflows (4,128 >= the encoder's
/// widest input, 1,536). The byte product's terms are smaller (at most 255 x 127).
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

/// How a layer's activations are quantized, and so which integer product it runs. Each is
/// exact on every build; they differ in precision and speed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activations {
    /// 12 bits (4,095 steps) times int8 weights (-127..=127), both as i16.
    Bits12,
    /// 7 bits unsigned (0..=127) times int8 weights (-127..=127), both as bytes: a
    /// `vpmaddubsw` pair is at most 2 x 127 x 127 = 32,258, below i16's 32,767.
    U7,
    /// 8 bits unsigned (0..=255) times 7-bit weights (-63..=63), both as bytes: a pair is at
    /// most 2 x 255 x 63 = 32,130.
    U8,
}

impl Activations {
    /// Steps of the activation range (the largest quantized activation).
    pub fn levels(self) -> i32 {
        match self {
            Activations::Bits12 => ACT_LEVELS,
            Activations::U7 => 127,
            Activations::U8 => 255,
        }
    }

    /// Largest weight magnitude.
    pub fn weight_levels(self) -> i32 {
        match self {
            Activations::Bits12 | Activations::U7 => W_LEVELS,
            Activations::U8 => 63,
        }
    }
}

/// A weight type of the integer products and the activation type it multiplies: i16 (int8
/// values widened) times signed 12-bit i16, or i8 times u8 (the activation shifted by its zero
/// point). One step of the kernels reads 4 bytes of an activation row, `PER_STEP` values.
pub trait Weight: Copy + Default + Into<i32> + Send + Sync {
    type Act: Copy + Default + Into<i32> + Send + Sync;
    /// Values of `k` per 4 bytes.
    const PER_STEP: usize = 4 / std::mem::size_of::<Self>();
}

impl Weight for i16 {
    type Act = i16;
}

impl Weight for i8 {
    type Act = u8;
}

/// How each product's activations are quantized.
trait Quantize: Weight {
    /// One activation (`Quantizer::one` or `Quantizer::byte`).
    fn one(qz: &Quantizer, v: f32) -> Self::Act;

    /// `one` of each of `x`, 8 at a time.
    ///
    /// # Safety
    /// The CPU must have AVX2; `q` is as long as `x`.
    #[cfg(target_arch = "x86_64")]
    unsafe fn avx2(qz: &Quantizer, x: &[f32], q: &mut [Self::Act]);

    /// `x` quantized by `qz` into `q` (as long as `x`).
    fn quantize(qz: &Quantizer, isa: Isa, x: &[f32], q: &mut [Self::Act]) {
        assert_eq!(x.len(), q.len());
        match isa {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: chosen only when the CPU has AVX2; lengths asserted.
            i if i.avx2() => unsafe { Self::avx2(qz, x, q) },
            _ => q
                .iter_mut()
                .zip(x)
                .for_each(|(q, &v)| *q = Self::one(qz, v)),
        }
    }
}

impl Quantize for i16 {
    fn one(qz: &Quantizer, v: f32) -> i16 {
        qz.one(v)
    }

    #[cfg(target_arch = "x86_64")]
    unsafe fn avx2(qz: &Quantizer, x: &[f32], q: &mut [i16]) {
        avx2::quantize(qz, x, q)
    }
}

impl Quantize for i8 {
    fn one(qz: &Quantizer, v: f32) -> u8 {
        qz.byte(v)
    }

    #[cfg(target_arch = "x86_64")]
    unsafe fn avx2(qz: &Quantizer, x: &[f32], q: &mut [u8]) {
        avx2::quantize_bytes(qz, x, q)
    }
}

/// An `[m, kp]` weight matrix in the kernels' layout: tiles of `TILE` output rows, and in a
/// tile, for each step of `PER_STEP` values of `k`, the 16 rows' values side by side (64
/// bytes: what one `vpmaddwd`/`vpdpwssd`/`vpdpbusd` on zmm, or two on ymm, multiply by a
/// broadcast step of activations). `m` is padded with zero rows to whole tiles. Packed once
/// at load.
pub struct PackedWeights<W> {
    pub(super) m: usize,
    pub(super) tiles: usize,
    pub(super) kp: usize,
    pub(super) data: Vec<W>,
}

impl<W: Weight> PackedWeights<W> {
    /// `w` is `[m, kp]` row-major, `kp` a multiple of 16 and at most `MAX_K`.
    pub fn new(w: &[W], m: usize, kp: usize) -> PackedWeights<W> {
        assert!(
            kp.is_multiple_of(K_STEP) && kp <= MAX_K,
            "reduction length {kp}"
        );
        assert!(w.len() >= m * kp);
        let (tiles, per) = (m.div_ceil(TILE), W::PER_STEP);
        let mut data = vec![W::default(); tiles * TILE * kp];
        for j in 0..m {
            let (t, c) = (j / TILE, j % TILE);
            for s in 0..kp / per {
                let at = ((t * (kp / per) + s) * TILE + c) * per;
                data[at..at + per].copy_from_slice(&w[j * kp + s * per..][..per]);
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
/// (i32). Values are within what the quantizers give (`Activations`), so no sum overflows or
/// saturates; every build gives the same integers.
pub fn gemm<W: Weight>(isa: Isa, x: &[W::Act], n: usize, w: &PackedWeights<W>, out: &mut [i32]) {
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

/// `gemm` on one thread, into `out` `[n, padded m]`.
fn gemm_rows<W: Weight>(isa: Isa, x: &[W::Act], n: usize, w: &PackedWeights<W>, out: &mut [i32]) {
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
fn gemm_portable<W: Weight>(x: &[W::Act], n: usize, w: &PackedWeights<W>, out: &mut [i32]) {
    let (kp, mp, per) = (w.kp, w.padded_m(), W::PER_STEP);
    for i in 0..n {
        let xr = &x[i * kp..(i + 1) * kp];
        for t in 0..w.tiles {
            let panel = &w.data[t * TILE * kp..(t + 1) * TILE * kp];
            let mut acc = [0i32; TILE];
            for (s, step) in xr.chunks_exact(per).enumerate() {
                let row = &panel[s * per * TILE..(s + 1) * per * TILE];
                for (a, wc) in acc.iter_mut().zip(row.chunks_exact(per)) {
                    for (&xv, &wv) in step.iter().zip(wc) {
                        *a += xv.into() * wv.into();
                    }
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
    /// Added to a step to make the byte product's unsigned activation (`-lo_q`).
    pub(super) zero: i32,
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

    /// `one` shifted by the zero point into `0..=levels`, for the byte product.
    #[inline(always)]
    pub(super) fn byte(&self, v: f32) -> u8 {
        (i32::from(self.one(v)) + self.zero) as u8
    }
}

/// A linear layer `x W^T + b` on int8 weights (symmetric, one scale per output row) and
/// activations quantized to `Activations::levels` steps over a fixed input range (asymmetric,
/// with a zero point, as libtorch's int8 ops do). The range is the layer's calibrated one,
/// never the batch's, so a row's result depends on that row alone.
pub struct QuantLinear {
    inputs: usize,
    outputs: usize,
    kp: usize,
    /// `[outputs, kp]` weights, packed once, zero-padded.
    weight: Product,
    /// Per output row: what the byte product's sums hold beyond the signed one's, the zero
    /// point times the row's weight sum (its activations are shifted by the zero point to be
    /// unsigned); 0 for the i16 product. Exact in i32.
    offset: Vec<i32>,
    /// Per output row: activation step times the row's weight scale.
    scale: Vec<f32>,
    bias: Vec<f32>,
    quantizer: Quantizer,
}

/// The packed weights of a layer, by product.
enum Product {
    Wide(PackedWeights<i16>),
    Bytes(PackedWeights<i8>),
}

/// Weights `[outputs, inputs]` to integers in `-levels..=levels`, symmetric, one scale per
/// output row: the rows zero-padded to `kp`, and each row's scale.
pub(super) fn quantize_rows(
    weight: &[f32],
    inputs: usize,
    kp: usize,
    levels: i32,
) -> (Vec<i16>, Vec<f32>) {
    let wl = levels as f32;
    let outputs = weight.len() / inputs;
    let mut q = vec![0i16; outputs * kp];
    let mut scales = Vec::with_capacity(outputs);
    for (j, row) in weight.chunks_exact(inputs).enumerate() {
        let max = row.iter().fold(0f32, |m, v| m.max(v.abs()));
        let s = (max / wl).max(f32::MIN_POSITIVE);
        for (k, &v) in row.iter().enumerate() {
            q[j * kp + k] = round_even(v / s).clamp(-wl, wl) as i16;
        }
        scales.push(s);
    }
    (q, scales)
}

impl QuantLinear {
    /// `weight` is `[outputs, inputs]` row-major; `range` the calibrated input range.
    pub fn new(
        weight: &[f32],
        bias: &[f32],
        outputs: usize,
        range: (f64, f64),
        activations: Activations,
    ) -> QuantLinear {
        assert!(outputs > 0 && weight.len().is_multiple_of(outputs) && bias.len() == outputs);
        let inputs = weight.len() / outputs;
        let kp = padded(inputs);
        assert!(kp <= MAX_K, "{inputs} inputs");
        // The range holds 0, so zero (padding, exact zeros) quantizes exactly.
        let (lo, hi) = (range.0.min(0.0) as f32, range.1.max(0.0) as f32);
        let levels = activations.levels() as f32;
        let step = ((hi - lo) / levels).max(f32::MIN_POSITIVE);
        let zero = round_even(-lo / step).clamp(0.0, levels);
        let (q, w_scales) = quantize_rows(weight, inputs, kp, activations.weight_levels());
        let mut scale = Vec::with_capacity(outputs);
        let mut offset = Vec::with_capacity(outputs);
        for (j, w_scale) in w_scales.into_iter().enumerate() {
            scale.push(step * w_scale);
            let sum: i32 = q[j * kp..(j + 1) * kp].iter().map(|&v| i32::from(v)).sum();
            offset.push(match activations {
                Activations::Bits12 => 0,
                Activations::U7 | Activations::U8 => zero as i32 * sum,
            });
        }
        let weight = match activations {
            Activations::Bits12 => Product::Wide(PackedWeights::new(&q, outputs, kp)),
            Activations::U7 | Activations::U8 => {
                let bytes: Vec<i8> = q.iter().map(|&v| v as i8).collect();
                Product::Bytes(PackedWeights::new(&bytes, outputs, kp))
            }
        };
        QuantLinear {
            inputs,
            outputs,
            kp,
            weight,
            offset,
            scale,
            bias: bias.to_vec(),
            quantizer: Quantizer {
                lo,
                hi,
                inv_step: 1.0 / step,
                lo_q: -zero,
                hi_q: levels - zero,
                zero: zero as i32,
            },
        }
    }

    /// Output width.
    pub fn outputs(&self) -> usize {
        self.outputs
    }

    /// `x` is `[n, inputs]`; returns `[n, outputs]`. Each task quantizes its rows, multiplies
    /// and scales them; the element-wise steps are the same operations on every build.
    pub fn forward(&self, isa: Isa, x: &[f32]) -> Vec<f32> {
        let m = self.outputs;
        let mp = TILE * m.div_ceil(TILE);
        let n = x.len() / self.inputs;
        let mut out = vec![0f32; n * m];
        out.par_chunks_mut(QUANT_ROWS_PER_TASK * m)
            .enumerate()
            .for_each(|(t, out)| {
                let rows = out.len() / m;
                let x = &x[t * QUANT_ROWS_PER_TASK * self.inputs..][..rows * self.inputs];
                let mut acc = vec![0i32; rows * mp];
                match &self.weight {
                    Product::Wide(w) => self.multiply(isa, x, rows, w, &mut acc),
                    Product::Bytes(w) => self.multiply(isa, x, rows, w, &mut acc),
                }
                with_isa(isa, || {
                    for (o, a) in out.chunks_exact_mut(m).zip(acc.chunks_exact(mp)) {
                        for ((((o, &a), &c), &s), &b) in o
                            .iter_mut()
                            .zip(a)
                            .zip(&self.offset)
                            .zip(&self.scale)
                            .zip(&self.bias)
                        {
                            *o = (a - c) as f32 * s + b;
                        }
                    }
                });
            });
        out
    }

    /// `rows` rows of `x` quantized and multiplied by `w` into `acc` (`[rows, padded m]`).
    fn multiply<W: Quantize>(
        &self,
        isa: Isa,
        x: &[f32],
        rows: usize,
        w: &PackedWeights<W>,
        acc: &mut [i32],
    ) {
        let kp = self.kp;
        let mut q = vec![W::Act::default(); rows * kp];
        for (q, x) in q.chunks_exact_mut(kp).zip(x.chunks_exact(self.inputs)) {
            W::quantize(&self.quantizer, isa, x, &mut q[..self.inputs]);
        }
        gemm_rows(isa, &q, rows, w, acc);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::kernels::floats::linear_f32;
    use crate::model::kernels::Rng;

    fn naive<W: Weight>(x: &[W::Act], n: usize, w: &[W], m: usize, kp: usize) -> Vec<i32> {
        let mut out = vec![0i32; n * m];
        for i in 0..n {
            for j in 0..m {
                let mut s = 0i64;
                for k in 0..kp {
                    s += i64::from(x[i * kp + k].into()) * i64::from(w[j * kp + k].into());
                }
                out[i * m + j] = i32::try_from(s).unwrap();
            }
        }
        out
    }

    /// Odd sizes, tails of every block, one row, more rows than one task.
    const SHAPES: &[(usize, usize, usize)] = &[
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
        (5, 65, 20),
    ];

    #[test]
    fn integer_products_are_exact_on_every_build() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let builds = Isa::available();
        for &(n, m, k) in SHAPES {
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
                gemm(isa, &x, n, &packed, &mut got);
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
            gemm(isa, &x, 1, &packed, &mut got);
            let want = i64::from(ACT_LEVELS * W_LEVELS) * kp as i64;
            assert_eq!(i64::from(got[0]), want, "{isa:?}");
        }
    }

    #[test]
    fn byte_products_are_exact_on_every_build_at_both_widths() {
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        let builds = Isa::available();
        for act in [Activations::U7, Activations::U8] {
            let (xl, wl) = (act.levels(), act.weight_levels());
            for &(n, m, k) in SHAPES {
                let kp = padded(k);
                let mut x = vec![0u8; n * kp];
                let mut w = vec![0i8; m * kp];
                for i in 0..n {
                    for c in 0..k {
                        x[i * kp + c] = rng.range(0, xl) as u8;
                    }
                }
                for j in 0..m {
                    for c in 0..k {
                        w[j * kp + c] = rng.range(-wl, wl) as i8;
                    }
                }
                // The worst case for `vpmaddubsw`'s i16 pairs and the longest sums: both
                // products at their largest, of either sign, in alternate rows.
                if n == 1 || m == 1 || k == 1536 {
                    x.iter_mut().for_each(|v| *v = xl as u8);
                    for (j, row) in w.chunks_exact_mut(kp).enumerate() {
                        let v = if j % 2 == 0 { wl } else { -wl };
                        row.iter_mut().for_each(|w| *w = v as i8);
                    }
                }
                let want = naive(&x, n, &w, m, kp);
                let packed = PackedWeights::new(&w, m, kp);
                for &isa in &builds {
                    let mut got = vec![0i32; n * m];
                    gemm(isa, &x, n, &packed, &mut got);
                    assert_eq!(got, want, "{act:?} {isa:?} {n}x{m}x{k}");
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
        let f = linear_f32(Isa::Portable, &x, &w, Some(&b), m);
        // Worst error allowed: a few steps of the coarsest quantization, summed over 45 inputs.
        for (act, bound) in [
            (Activations::Bits12, 0.05),
            (Activations::U8, 0.1),
            (Activations::U7, 0.2),
        ] {
            let lin = QuantLinear::new(&w, &b, m, (-2.0, 2.0), act);
            let a = lin.forward(Isa::Portable, &x);
            for isa in Isa::available() {
                let c = lin.forward(isa, &x);
                assert_eq!(
                    a.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
                    c.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
                    "{act:?} {isa:?}"
                );
            }
            let worst = a
                .iter()
                .zip(&f)
                .map(|(p, q)| (p - q).abs())
                .fold(0.0, f32::max);
            assert!(worst < bound, "{act:?}: worst error {worst}");
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
            zero: 1755,
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
        i16::quantize(&qz, Isa::Portable, &x, &mut want);
        assert_eq!(
            &want[..9],
            &[2340, 2340, -1755, 0, 0, -1755, 2340, 2340, -1755]
        );
        // ties to even: 0.5 -> 0, 1.5 -> 2
        assert_eq!(&want[9..11], &[0, 2]);
        for isa in Isa::available() {
            let mut got = vec![0i16; x.len()];
            i16::quantize(&qz, isa, &x, &mut got);
            assert_eq!(want, got, "{isa:?}");
        }
        // The byte quantizer: the same steps shifted into 0..=255.
        let qz = Quantizer {
            inv_step: 255.0 / 3.5,
            lo_q: -109.0,
            hi_q: 146.0,
            zero: 109,
            ..qz
        };
        let mut want = vec![0u8; x.len()];
        i8::quantize(&qz, Isa::Portable, &x, &mut want);
        assert_eq!(&want[..9], &[255, 255, 0, 109, 109, 0, 255, 255, 0]);
        for isa in Isa::available() {
            let mut got = vec![0u8; x.len()];
            i8::quantize(&qz, isa, &x, &mut got);
            assert_eq!(want, got, "{isa:?}");
        }
    }
}
