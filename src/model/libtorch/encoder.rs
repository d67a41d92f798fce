//! libtorch's inference pass of the BERT encoder (`--precision f32|bf16|fbgemm`), over the very
//! weights rust-bert's `BertModel` loads and trains. It exists for speed: rust-bert's linear layers cannot be swapped for int8
//! ones and its gelu is spelled out in five element-wise passes. Here query/key/value are one
//! matrix product, gelu is one op, and the linear layers may be int8 (fbgemm; weights quantized
//! per row once at load, activations over ranges calibrated on training text). In f32 it gives
//! rust-bert's results (tested). Training keeps rust-bert's forward (autograd, dropout).

use crate::model::load::LINEARS;
use tch::{nn, Kind, Tensor};

/// How the encoder's linear layers compute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinearKind {
    F32,
    /// int8 weights and activations (fbgemm, x86), given calibrated input ranges.
    Fbgemm,
}

/// A linear layer `x W^T + b`, in f32 or int8.
enum Linear {
    F32 {
        weight: Tensor,
        bias: Tensor,
    },
    Int8 {
        weight: Quantized,
        /// Per-output-row scale the rows were divided by before quantizing.
        row_scale: Tensor,
        /// `bias / row_scale`: the op adds its bias before the row scale is applied.
        scaled_bias: Tensor,
        /// `[2, in]`: rows of the calibrated input minimum and maximum (see `forward`).
        bounds: Tensor,
        range: (f64, f64),
    },
}

impl Linear {
    /// `range` is the calibrated input range; int8 without one stays f32.
    fn new(weight: Tensor, bias: Tensor, kind: LinearKind, range: Option<(f64, f64)>) -> Linear {
        let weight = weight.to_kind(Kind::Float).contiguous();
        let bias = bias.to_kind(Kind::Float);
        match (kind, range) {
            (LinearKind::F32, _) | (LinearKind::Fbgemm, None) => Linear::F32 { weight, bias },
            (LinearKind::Fbgemm, Some(range)) => {
                spend_deprecation_warnings();
                // fbgemm's legacy op quantizes the whole matrix with one scale; rows of very
                // different ranges lose precision, so each row is first brought to [-1, 1] and
                // its scale applied to the output (per-channel quantization in effect).
                let row_scale = weight
                    .abs()
                    .amax([1], false)
                    .clamp_min(f64::from(f32::EPSILON));
                let k = weight.size()[1];
                Linear::Int8 {
                    weight: Quantized::new(&(&weight / row_scale.unsqueeze(1))),
                    scaled_bias: &bias / &row_scale,
                    row_scale,
                    bounds: Tensor::from_slice(&[range.0 as f32, range.1 as f32])
                        .view([2, 1])
                        .expand([2, k], true)
                        .contiguous(),
                    range,
                }
            }
        }
    }

    fn forward(&self, x: &Tensor) -> Tensor {
        match self {
            Linear::F32 { weight, bias } => x.linear(weight, Some(bias)),
            Linear::Int8 {
                weight,
                row_scale,
                scaled_bias,
                bounds,
                range,
            } => {
                // The op quantizes its input with the input's own min and max. Clamped to the
                // calibrated range and given one row at each end of it, every batch gets the
                // same quantization, so a sentence's result never depends on its batch-mates.
                let sizes = x.size();
                let k = sizes[sizes.len() - 1];
                let rows = x.numel() as i64 / k;
                let x = Tensor::cat(
                    &[
                        x.reshape([rows, k]).clamp(range.0, range.1),
                        bounds.shallow_clone(),
                    ],
                    0,
                );
                let mut out_sizes = sizes.clone();
                *out_sizes.last_mut().unwrap() = row_scale.size()[0];
                (weight.linear(&x, scaled_bias).narrow(0, 0, rows) * row_scale)
                    .view(out_sizes.as_slice())
            }
        }
    }
}

/// libtorch prints a deprecation warning, once per process, the first time each of the two
/// fbgemm ops runs. They are the only int8 linear ops libtorch exposes to tch, so both run here
/// once on a tiny matrix with stderr pointed at /dev/null. This happens while the model loads,
/// before any worker thread could have something of its own to say on stderr.
fn spend_deprecation_warnings() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: plain fd duplication; stderr is restored before returning.
        unsafe {
            let saved = libc::dup(2);
            let null = libc::open(c"/dev/null".as_ptr(), libc::O_WRONLY);
            if saved < 0 || null < 0 {
                return;
            }
            libc::dup2(null, 2);
            let w = Tensor::ones([2, 2], (Kind::Float, tch::Device::Cpu));
            let _ =
                Quantized::new(&w).linear(&w, &Tensor::zeros([2], (Kind::Float, tch::Device::Cpu)));
            libc::dup2(saved, 2);
            libc::close(saved);
            libc::close(null);
        }
    });
}

/// A `[out, in]` weight in affine per-tensor int8, as fbgemm's legacy dynamic linear op expects
/// it: the int8 matrix, its packed form, per-output-row sums of `(q - zero_point)`, scale and
/// zero point (the range always contains 0, so zero stays exact).
struct Quantized {
    int8: Tensor,
    packed: Tensor,
    col_offsets: Tensor,
    scale: f64,
    zero_point: i64,
}

impl Quantized {
    fn new(weight: &Tensor) -> Quantized {
        let min = weight.min().double_value(&[]).min(0.0);
        let max = weight.max().double_value(&[]).max(0.0);
        let (qmin, qmax) = (-128.0, 127.0);
        let scale = ((max - min) / (qmax - qmin)).max(f64::EPSILON);
        let zero_point = (qmin - min / scale).round().clamp(qmin, qmax);
        let q = (weight / scale)
            .round()
            .g_add_scalar(zero_point)
            .clamp(qmin, qmax);
        let k = weight.size()[1];
        let col_offsets =
            (q.sum_dim_intlist(1, false, Kind::Float) - zero_point * k as f64).to_kind(Kind::Int);
        let int8 = q.to_kind(Kind::Int8);
        Quantized {
            packed: int8.fbgemm_pack_quantized_matrix(),
            int8,
            col_offsets,
            scale,
            zero_point: zero_point as i64,
        }
    }

    /// `x W^T + bias`, `x` quantized with its own min and max by the op.
    fn linear(&self, x: &Tensor, bias: &Tensor) -> Tensor {
        x.fbgemm_linear_int8_weight_fp32_activation(
            &self.int8,
            &self.packed,
            &self.col_offsets,
            tch::Scalar::float(self.scale),
            tch::Scalar::int(self.zero_point),
            bias,
        )
    }
}

struct LayerNorm {
    weight: Tensor,
    bias: Tensor,
}

impl LayerNorm {
    fn forward(&self, x: &Tensor) -> Tensor {
        x.layer_norm(
            [x.size()[2]],
            Some(&self.weight),
            Some(&self.bias),
            EPS,
            false,
        )
    }
}

/// The layer-norm epsilon rust-bert's BERT uses (a constant there, as here).
const EPS: f64 = 1e-12;

struct Layer {
    qkv: Linear,
    attention_out: Linear,
    attention_norm: LayerNorm,
    intermediate: Linear,
    output: Linear,
    output_norm: LayerNorm,
}

/// The encoder's weights arranged for inference.
pub struct TorchEncoder {
    word: Tensor,
    position: Tensor,
    token_type: Tensor,
    embedding_norm: LayerNorm,
    layers: Vec<Layer>,
    heads: i64,
}

impl TorchEncoder {
    /// Takes the weights from a var store holding rust-bert `BertModel` names at its root.
    /// `None` if a name is missing (a model this pass does not know).
    pub fn from_var_store(
        vs: &nn::VarStore,
        layers: i64,
        heads: i64,
        kind: LinearKind,
        ranges: &[(f64, f64)],
    ) -> Option<TorchEncoder> {
        let vars = vs.variables();
        let get = |name: &str| vars.get(name).map(|t| t.detach().to_kind(Kind::Float));
        let norm = |prefix: &str| {
            Some(LayerNorm {
                weight: get(&format!("{prefix}.LayerNorm.weight"))?,
                bias: get(&format!("{prefix}.LayerNorm.bias"))?,
            })
        };
        let range = |i: i64, j: usize| ranges.get(i as usize * LINEARS + j).copied();
        let linear = |prefix: &str, range: Option<(f64, f64)>| {
            Some(Linear::new(
                get(&format!("{prefix}.weight"))?,
                get(&format!("{prefix}.bias"))?,
                kind,
                range,
            ))
        };
        let mut out = Vec::new();
        for i in 0..layers {
            let p = format!("encoder.layer.{i}");
            let part = |n: &str, s: &str| get(&format!("{p}.attention.self.{n}.{s}"));
            // One product for query, key and value.
            let qkv_w = Tensor::cat(
                &[
                    part("query", "weight")?,
                    part("key", "weight")?,
                    part("value", "weight")?,
                ],
                0,
            );
            let qkv_b = Tensor::cat(
                &[
                    part("query", "bias")?,
                    part("key", "bias")?,
                    part("value", "bias")?,
                ],
                0,
            );
            out.push(Layer {
                qkv: Linear::new(qkv_w, qkv_b, kind, range(i, 0)),
                attention_out: linear(&format!("{p}.attention.output.dense"), range(i, 1))?,
                attention_norm: norm(&format!("{p}.attention.output"))?,
                intermediate: linear(&format!("{p}.intermediate.dense"), range(i, 2))?,
                output: linear(&format!("{p}.output.dense"), range(i, 3))?,
                output_norm: norm(&format!("{p}.output"))?,
            });
        }
        Some(TorchEncoder {
            word: get("embeddings.word_embeddings.weight")?,
            position: get("embeddings.position_embeddings.weight")?,
            token_type: get("embeddings.token_type_embeddings.weight")?,
            embedding_norm: norm("embeddings")?,
            layers: out,
            heads,
        })
    }

    /// `[B, P]` piece ids and attention mask to `[B, P, hidden]` vectors.
    pub fn forward(&self, input_ids: &Tensor, attention_mask: &Tensor) -> Tensor {
        self.run(input_ids, attention_mask, None)
    }

    /// Widens `ranges` (one per linear layer, `LINEARS` per encoder layer) to the inputs the
    /// linear layers see on this batch: the calibration of the int8 path.
    pub fn observe(
        &self,
        input_ids: &Tensor,
        attention_mask: &Tensor,
        ranges: &mut Vec<(f64, f64)>,
    ) {
        let n = self.layers.len() * LINEARS;
        ranges.resize(n, (f64::INFINITY, f64::NEG_INFINITY));
        let _ = self.run(input_ids, attention_mask, Some(ranges));
    }

    fn run(
        &self,
        input_ids: &Tensor,
        attention_mask: &Tensor,
        mut ranges: Option<&mut Vec<(f64, f64)>>,
    ) -> Tensor {
        // Only real pieces count towards the calibrated ranges.
        let real = attention_mask.to_kind(Kind::Bool).unsqueeze(-1);
        let mut linear = |index: usize, layer: &Linear, x: &Tensor| {
            if let Some(r) = ranges.as_deref_mut() {
                let seen = x.masked_select(&real);
                let r = &mut r[index];
                r.0 = r.0.min(seen.min().double_value(&[]));
                r.1 = r.1.max(seen.max().double_value(&[]));
            }
            layer.forward(x)
        };
        let (b, p) = input_ids.size2().expect("ids are [B, P]");
        let x = Tensor::embedding(&self.word, input_ids, -1, false, false)
            + self.position.narrow(0, 0, p).unsqueeze(0)
            + self.token_type.get(0).view([1, 1, -1]);
        let mut x = self.embedding_norm.forward(&x);
        let d = x.size()[2];
        let dh = d / self.heads;
        let scale = 1.0 / (dh as f64).sqrt();
        // Additive mask: padding pieces get a large negative score.
        let mask = ((attention_mask.to_kind(Kind::Float) - 1.0) * 10000.0).view([b, 1, 1, p]);
        for (i, layer) in self.layers.iter().enumerate() {
            let at = |j: usize| i * LINEARS + j;
            let qkv = linear(at(0), &layer.qkv, &x)
                .view([b, p, 3, self.heads, dh])
                .permute([2, 0, 3, 1, 4]);
            // Plain attention: on sentence-length sequences it ran faster here than
            // libtorch's fused kernel with a mask.
            let (q, k, v) = (qkv.get(0), qkv.get(1), qkv.get(2));
            let scores = q.matmul(&k.transpose(-1, -2)) * scale + &mask;
            let ctx = scores
                .softmax(-1, Kind::Float)
                .matmul(&v)
                .transpose(1, 2)
                .reshape([b, p, d]);
            x = layer
                .attention_norm
                .forward(&(linear(at(1), &layer.attention_out, &ctx) + &x));
            let h = linear(at(2), &layer.intermediate, &x).gelu("none");
            x = layer
                .output_norm
                .forward(&(linear(at(3), &layer.output, &h) + &x));
        }
        x
    }
}
