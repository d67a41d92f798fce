//! Integer products for the heads: int8 weights (one scale per output row) times input rows
//! quantized each over its own largest magnitude. The heads' inputs (the encoder's word vectors,
//! the parser's hidden layers) have no calibrated range, and a row's own scale needs none while
//! keeping a row's result independent of its batch-mates. The sums are exact (`gemm`), and
//! the float steps around them are the same scalar operations on every build.

use super::int8::{gemm, padded, quantize_rows, PackedWeights, MAX_K, W_LEVELS};
use super::isa::Isa;
use super::math::round_even;
use rayon::prelude::*;

/// Input steps each side of 0: 12 bits, as the encoder's activations.
const ROW_LEVELS: f32 = 2047.0;

/// Rows quantized per task.
const ROWS_PER_TASK: usize = 64;

/// `x W^T + b` with int8 weights and per-row quantized inputs.
pub struct RowQuantLinear {
    inputs: usize,
    outputs: usize,
    kp: usize,
    weight: PackedWeights<i16>,
    /// Per output row: its weights' step.
    w_scale: Vec<f32>,
    bias: Option<Vec<f32>>,
}

impl RowQuantLinear {
    /// `weight` is `[outputs, inputs]` row-major.
    pub fn new(weight: &[f32], bias: Option<&[f32]>, outputs: usize) -> RowQuantLinear {
        assert!(outputs > 0 && weight.len().is_multiple_of(outputs));
        let inputs = weight.len() / outputs;
        let kp = padded(inputs);
        assert!(kp <= MAX_K, "{inputs} inputs");
        let (q, w_scale) = quantize_rows(weight, inputs, kp, W_LEVELS);
        RowQuantLinear {
            inputs,
            outputs,
            kp,
            weight: PackedWeights::new(&q, outputs, kp),
            w_scale,
            bias: bias.map(<[f32]>::to_vec),
        }
    }

    /// `x` is `[n, inputs]`; returns `[n, outputs]`.
    pub fn forward(&self, isa: Isa, x: &[f32]) -> Vec<f32> {
        let (k, kp, m) = (self.inputs, self.kp, self.outputs);
        let n = x.len() / k;
        let mut q = vec![0i16; n * kp];
        let mut steps = vec![0f32; n];
        q.par_chunks_mut(ROWS_PER_TASK * kp)
            .zip(steps.par_chunks_mut(ROWS_PER_TASK))
            .zip(x.par_chunks(ROWS_PER_TASK * k))
            .for_each(|((q, steps), x)| {
                for ((q, step), x) in q.chunks_exact_mut(kp).zip(steps).zip(x.chunks_exact(k)) {
                    *step = quantize_row(x, &mut q[..k]);
                }
            });
        let mut acc = vec![0i32; n * m];
        gemm(isa, &q, n, &self.weight, &mut acc);
        let mut out = vec![0f32; n * m];
        out.par_chunks_mut(ROWS_PER_TASK * m)
            .zip(acc.par_chunks(ROWS_PER_TASK * m))
            .zip(steps.par_chunks(ROWS_PER_TASK))
            .for_each(|((out, acc), steps)| {
                for ((o, a), &step) in out.chunks_exact_mut(m).zip(acc.chunks_exact(m)).zip(steps) {
                    for (j, (o, &a)) in o.iter_mut().zip(a).enumerate() {
                        // Adding 0 without a bias turns -0 into +0, as `Dense` does.
                        *o = a as f32 * (step * self.w_scale[j])
                            + self.bias.as_ref().map_or(0.0, |b| b[j]);
                    }
                }
            });
        out
    }
}

/// Quantizes `x` into `q` over its largest magnitude; returns the step. NaN becomes the step's
/// top (`max` skips it; the clamp keeps it in range).
fn quantize_row(x: &[f32], q: &mut [i16]) -> f32 {
    let max = x.iter().fold(0f32, |m, v| m.max(v.abs()));
    let step = (max / ROW_LEVELS).max(f32::MIN_POSITIVE);
    for (q, &v) in q.iter_mut().zip(x) {
        let v = round_even(v / step);
        let v = if v < ROW_LEVELS { v } else { ROW_LEVELS };
        let v = if v > -ROW_LEVELS { v } else { -ROW_LEVELS };
        *q = v as i16;
    }
    step
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::kernels::Rng;

    /// Close to the f32 product, and the same bits on every build the CPU has.
    #[test]
    fn row_quantized_products_are_close_and_the_same_on_every_build() {
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        let (n, k, m) = (37, 131, 45);
        let x: Vec<f32> = (0..n * k).map(|_| rng.f32() * 3.0).collect();
        let w: Vec<f32> = (0..m * k).map(|_| rng.f32() * 0.2).collect();
        let b: Vec<f32> = (0..m).map(|_| rng.f32()).collect();
        let layer = RowQuantLinear::new(&w, Some(&b), m);
        let first = layer.forward(Isa::Portable, &x);
        // Worst case of rounding both sides by half a step each, plus f32 slack.
        let max_abs = |v: &[f32]| v.iter().fold(0f32, |m, x| m.max(x.abs()));
        for i in 0..n {
            let xi = &x[i * k..(i + 1) * k];
            let dx = max_abs(xi) / ROW_LEVELS;
            for j in 0..m {
                let wj = &w[j * k..(j + 1) * k];
                let dw = max_abs(wj) / W_LEVELS as f32;
                let exact: f32 = xi.iter().zip(wj).map(|(a, b)| a * b).sum::<f32>() + b[j];
                let bound: f32 = xi
                    .iter()
                    .zip(wj)
                    .map(|(a, b)| a.abs() * dw / 2.0 + b.abs() * dx / 2.0 + dx * dw / 4.0)
                    .sum::<f32>()
                    + 1e-4;
                let got = first[i * m + j];
                assert!((got - exact).abs() <= bound, "{i},{j}: {got} vs {exact}");
            }
        }
        for isa in Isa::available() {
            let out = layer.forward(isa, &x);
            let same = out
                .iter()
                .zip(&first)
                .all(|(a, b)| a.to_bits() == b.to_bits());
            assert!(same, "{isa:?}");
        }
    }
}
