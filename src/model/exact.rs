//! The default inference path: the encoder (embeddings, 6 BERT layers) and our heads (NER, UPOS,
//! biaffine arcs, relations) computed by our own kernels (`kernels/`) instead of libtorch, so
//! a sentence gets the same analysis, bit for bit, on every x86-64 CPU (libtorch's f32, int8 and
//! bf16 kernels each follow the instruction set, and so did our CSV rows).
//!
//! The encoder's linear layers are int8 with exact integer sums; attention, layer norms, gelu,
//! the heads and the log-softmaxes feeding the decoders are f32 in a fixed order. Sentences of a
//! batch are laid end to end with no padding and attend only to themselves; quantization ranges
//! are the calibrated ones, fixed per layer. So a sentence's result does not depend on its
//! batch-mates, on the thread count, or on the CPU. The weights are read from the safetensors
//! files (`weights.rs`) once at load, in both builds (with and without libtorch).

use super::decode::{self, argmax};
use super::kernels::{self, dot, Activations, Isa, QuantLinear, RowQuantLinear};
use super::labels::{self, NER_TAGS, SHAPES, UPOS};
use super::load::{HeadsConfig, LINEARS};
use super::pieces::SentencePieces;
use super::weights::{WeightError, Weights};
use super::Analysis;
use crate::profile::time;
use rayon::prelude::*;
use std::sync::OnceLock;

/// The layer-norm epsilon of rust-bert's BERT.
const EPS: f32 = 1e-12;

/// Words per task of the relation scores.
const RELATION_WORDS: usize = 64;

/// Slope of `leaky_relu` below 0 (libtorch's default, which the heads were trained with).
const LEAKY: f32 = 0.01;

struct Norm {
    w: Vec<f32>,
    b: Vec<f32>,
}

struct Layer {
    qkv: QuantLinear,
    attention_out: QuantLinear,
    attention_norm: Norm,
    intermediate: QuantLinear,
    output: QuantLinear,
    output_norm: Norm,
}

/// The activations of each encoder linear layer: query/key/value, attention output,
/// intermediate, output (the order of `LINEARS`). 12 bits everywhere: see models/README.md
/// ("Inference") for the 8-bit product's measured speed and scores.
const ACTIVATIONS: [Activations; LINEARS] = [Activations::Bits12; LINEARS];

/// The encoder and heads for the deterministic path. The heads' products are integer too
/// (`RowQuantLinear`): in f32 they took a fifth of the run, the relation scores most of it.
pub struct ExactModel {
    word: Vec<f32>,
    position: Vec<f32>,
    token_type: Vec<f32>,
    embedding_norm: Norm,
    layers: Vec<Layer>,
    dim: usize,
    attention_heads: usize,
    shape_emb: Vec<f32>,
    shape_dim: usize,
    ner: RowQuantLinear,
    upos: RowQuantLinear,
    arc_dep: RowQuantLinear,
    arc_head: RowQuantLinear,
    /// `arc_w` transposed: `dep W` as a layer.
    arc_wt: RowQuantLinear,
    arc_u: Vec<f32>,
    lab_dep: RowQuantLinear,
    lab_head: RowQuantLinear,
    /// `lab_w[r][a][b]` as rows `(r, b)` over `a`: `z[r, b] = sum_a dep[a] lab_w[r][a][b]`.
    lab_z: RowQuantLinear,
    lab_lin: RowQuantLinear,
    root: Vec<f32>,
    label_dim: usize,
    n_deprels: usize,
    /// The threads of this pass's parallel loops (see `analyze`).
    pool: OnceLock<Option<rayon::ThreadPool>>,
}

/// Why the weights cannot make this path.
#[derive(Debug, thiserror::Error)]
pub enum ExactError {
    #[error(transparent)]
    Weight(#[from] WeightError),
    #[error("weight {name}: {message}")]
    Shape { name: String, message: String },
    #[error("the int8 path needs {want} calibrated ranges, the model has {have} (run `whosaid calibrate`)")]
    Ranges { want: usize, have: usize },
}

impl ExactModel {
    /// The pass over `weights` (rust-bert `BertModel` names at the root, our heads under
    /// `heads`), quantizing the encoder's linear layers over `ranges` (`LINEARS` per layer).
    pub fn new(
        weights: &Weights,
        layers: usize,
        attention_heads: usize,
        heads: &HeadsConfig,
        ranges: &[(f64, f64)],
    ) -> Result<ExactModel, ExactError> {
        let want = layers * LINEARS;
        if ranges.len() < want {
            return Err(ExactError::Ranges {
                want,
                have: ranges.len(),
            });
        }
        let take = |name: &str| weights.get(name);
        let get = |name: &str| take(name).map(|t| t.0);
        let norm = |prefix: &str| -> Result<Norm, ExactError> {
            Ok(Norm {
                w: get(&format!("{prefix}.LayerNorm.weight"))?,
                b: get(&format!("{prefix}.LayerNorm.bias"))?,
            })
        };
        let mut out = Vec::with_capacity(layers);
        for i in 0..layers {
            let p = format!("encoder.layer.{i}");
            let quant = |w: Vec<f32>, b: Vec<f32>, j: usize| {
                QuantLinear::new(&w, &b, b.len(), ranges[i * LINEARS + j], ACTIVATIONS[j])
            };
            let (mut qkv_w, mut qkv_b) = (Vec::new(), Vec::new());
            for part in ["query", "key", "value"] {
                qkv_w.extend(get(&format!("{p}.attention.self.{part}.weight"))?);
                qkv_b.extend(get(&format!("{p}.attention.self.{part}.bias"))?);
            }
            let lin = |name: &str, j: usize| -> Result<QuantLinear, ExactError> {
                Ok(quant(
                    get(&format!("{p}.{name}.weight"))?,
                    get(&format!("{p}.{name}.bias"))?,
                    j,
                ))
            };
            out.push(Layer {
                qkv: quant(qkv_w, qkv_b, 0),
                attention_out: lin("attention.output.dense", 1)?,
                attention_norm: norm(&format!("{p}.attention.output"))?,
                intermediate: lin("intermediate.dense", 2)?,
                output: lin("output.dense", 3)?,
                output_norm: norm(&format!("{p}.output"))?,
            });
        }
        let dense = |name: &str| -> Result<RowQuantLinear, ExactError> {
            let (w, size) = take(&format!("heads.{name}.weight"))?;
            let b = get(&format!("heads.{name}.bias"))?;
            Ok(RowQuantLinear::new(&w, Some(&b), size[0]))
        };
        let (arc_w, arc_size) = take("heads.arc_w")?;
        let a = arc_size[0];
        let mut arc_wt = vec![0f32; a * a];
        for r in 0..a {
            for c in 0..a {
                arc_wt[c * a + r] = arc_w[r * a + c];
            }
        }
        let (lab_w, lab_size) = take("heads.lab_w")?;
        let (n_deprels, l) = (lab_size[0], lab_size[1]);
        let mut lab_z = vec![0f32; n_deprels * l * l];
        for r in 0..n_deprels {
            for a in 0..l {
                for b in 0..l {
                    lab_z[(r * l + b) * l + a] = lab_w[(r * l + a) * l + b];
                }
            }
        }
        let dim = heads.encoder_dim as usize;
        if !dim.is_multiple_of(attention_heads) {
            return Err(ExactError::Shape {
                name: "attention heads".into(),
                message: format!("{dim} is not a multiple of {attention_heads}"),
            });
        }
        Ok(ExactModel {
            word: get("embeddings.word_embeddings.weight")?,
            position: get("embeddings.position_embeddings.weight")?,
            token_type: get("embeddings.token_type_embeddings.weight")?,
            embedding_norm: norm("embeddings")?,
            layers: out,
            dim,
            attention_heads,
            shape_emb: get("heads.shape.weight")?,
            shape_dim: heads.shape_dim as usize,
            ner: dense("ner")?,
            upos: dense("upos")?,
            arc_dep: dense("arc_dep")?,
            arc_head: dense("arc_head")?,
            arc_wt: RowQuantLinear::new(&arc_wt, None, a),
            arc_u: get("heads.arc_u")?,
            lab_dep: dense("lab_dep")?,
            lab_head: dense("lab_head")?,
            lab_z: RowQuantLinear::new(&lab_z, None, n_deprels * l),
            lab_lin: dense("lab_lin")?,
            root: get("heads.root")?,
            label_dim: l,
            n_deprels,
            pool: OnceLock::new(),
        })
    }

    /// The encoder's output `[sum of pieces, dim]` for sentences laid end to end.
    fn encode(&self, isa: Isa, sentences: &[&SentencePieces]) -> Vec<f32> {
        let d = self.dim;
        let total: usize = sentences.iter().map(|s| s.ids.len()).sum();
        let mut x = vec![0f32; total * d];
        time("model.embeddings", || {
            let mut row = 0;
            for s in sentences {
                for (p, &id) in s.ids.iter().enumerate() {
                    let id = id as usize;
                    let out = &mut x[row * d..(row + 1) * d];
                    let word = &self.word[id * d..(id + 1) * d];
                    let pos = &self.position[p * d..(p + 1) * d];
                    for k in 0..d {
                        out[k] = (word[k] + pos[k]) + self.token_type[k];
                    }
                    row += 1;
                }
            }
            let en = &self.embedding_norm;
            kernels::layer_norm(isa, &mut x, &en.w, &en.b, EPS);
        });
        let starts: Vec<(usize, usize)> = sentences
            .iter()
            .scan(0, |at, s| {
                let r = (*at, s.ids.len());
                *at += s.ids.len();
                Some(r)
            })
            .collect();
        for layer in &self.layers {
            let qkv = time("model.qkv", || layer.qkv.forward(isa, &x));
            let ctx = time("model.attention", || self.attention(isa, &qkv, &starts));
            let mut y = time("model.attention_out", || {
                layer.attention_out.forward(isa, &ctx)
            });
            time("model.add_norm", || {
                add(&mut y, &x);
                let n = &layer.attention_norm;
                kernels::layer_norm(isa, &mut y, &n.w, &n.b, EPS);
            });
            x = y;
            let mut h = time("model.ffn_in", || layer.intermediate.forward(isa, &x));
            time("model.gelu", || {
                h.par_chunks_mut(4096)
                    .for_each(|c| kernels::gelu_in_place(isa, c))
            });
            let mut y = time("model.ffn_out", || layer.output.forward(isa, &h));
            time("model.add_norm", || {
                add(&mut y, &x);
                let n = &layer.output_norm;
                kernels::layer_norm(isa, &mut y, &n.w, &n.b, EPS);
            });
            x = y;
        }
        x
    }

    /// Self-attention of each sentence (`(first row, rows)` in `starts`) over itself, one task
    /// per sentence and head.
    fn attention(&self, isa: Isa, qkv: &[f32], starts: &[(usize, usize)]) -> Vec<f32> {
        let d = self.dim;
        let nh = self.attention_heads;
        let dh = d / nh;
        let scale = 1.0 / (dh as f32).sqrt();
        let tasks: Vec<(usize, usize)> = (0..starts.len())
            .flat_map(|s| (0..nh).map(move |h| (s, h)))
            .collect();
        let parts: Vec<Vec<f32>> = tasks
            .par_iter()
            .map(|&(s, h)| {
                kernels::with_isa(isa, || {
                    let (start, len) = starts[s];
                    let rows = &qkv[start * 3 * d..];
                    // Scores `q_i . k_j`, each one `dot`, scaled; softmax by row; then the
                    // values weighted, each element summed over j in order.
                    let mut p = vec![0f32; len * len];
                    let qk = kernels::Rows {
                        x: &rows[h * dh..],
                        xs: 3 * d,
                        w: &rows[d + h * dh..],
                        ws: 3 * d,
                        k: dh,
                    };
                    kernels::dots(isa, &qk, len, len, &mut p, len);
                    for row in p.chunks_exact_mut(len.max(1)) {
                        row.iter_mut().for_each(|v| *v *= scale);
                        kernels::softmax(isa, row);
                    }
                    let mut ctx = vec![0f32; len * dh];
                    let v = &rows[2 * d + h * dh..];
                    let weighted = kernels::WeightedRows {
                        p: &p,
                        n: len,
                        pn: len,
                        v,
                        vs: 3 * d,
                        d: dh,
                    };
                    kernels::weighted_sums(isa, &weighted, &mut ctx);
                    ctx
                })
            })
            .collect();
        let total: usize = starts.iter().map(|s| s.1).sum();
        let mut out = vec![0f32; total * d];
        for (&(s, h), part) in tasks.iter().zip(&parts) {
            let (start, len) = starts[s];
            for i in 0..len {
                out[(start + i) * d + h * dh..][..dh].copy_from_slice(&part[i * dh..(i + 1) * dh]);
            }
        }
        out
    }

    /// UPOS, tree, relations and BIO tags of each sentence, given with its words.
    ///
    /// Runs in a pool of its own, as many threads as the caller's pool has: the pipeline's
    /// other workers wait on the model's lock rather than steal work, so in their pool the
    /// matrix products would get one core. Each output element is one fixed sequence of
    /// operations in one task, so the thread count changes only the speed.
    pub fn analyze(&self, sentences: &[(&SentencePieces, &[&str])]) -> Vec<Analysis> {
        self.install(|| self.analyze_in_pool(sentences))
    }

    /// Runs `f` in this pass's pool (see `analyze`).
    pub fn install<R: Send>(&self, f: impl FnOnce() -> R + Send) -> R {
        let pool = self.pool.get_or_init(|| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(rayon::current_num_threads())
                .thread_name(|i| format!("whosaid-model-{i}"))
                .build()
                .ok()
        });
        match pool {
            Some(pool) => pool.install(f),
            None => f(),
        }
    }

    fn analyze_in_pool(&self, sentences: &[(&SentencePieces, &[&str])]) -> Vec<Analysis> {
        let isa = Isa::current();
        let pieces: Vec<&SentencePieces> = sentences.iter().map(|s| s.0).collect();
        let hidden = time("model.encoder", || self.encode(isa, &pieces));
        let (d, sd) = (self.dim, self.shape_dim);
        let wd = d + sd;
        // Word rows (first piece + shape), and head candidates: the root then the words.
        let mut words = Vec::new();
        let mut cands = Vec::new();
        let mut piece_at = 0;
        for (sp, ws) in sentences {
            cands.extend_from_slice(&self.root);
            for (w, word) in ws.iter().enumerate() {
                let first = sp.first.get(w).copied().unwrap_or(0) as usize;
                let row = &hidden[(piece_at + first) * d..][..d];
                let shape = labels::shape(word).min(SHAPES - 1);
                let se = &self.shape_emb[shape * sd..(shape + 1) * sd];
                for v in [&mut words, &mut cands] {
                    v.extend_from_slice(row);
                    v.extend_from_slice(se);
                }
            }
            piece_at += sp.ids.len();
        }
        debug_assert_eq!(words.len() % wd, 0);
        let leaky = |mut v: Vec<f32>| {
            v.iter_mut().for_each(|x| {
                if *x <= 0.0 {
                    *x *= LEAKY
                }
            });
            v
        };
        let heads_scores = time("model.heads", || {
            let ner = self.ner.forward(isa, &words);
            let upos = self.upos.forward(isa, &words);
            let dep = leaky(self.arc_dep.forward(isa, &words));
            let head = leaky(self.arc_head.forward(isa, &cands));
            let dep_w = self.arc_wt.forward(isa, &dep);
            let a = self.arc_u.len();
            let head_u: Vec<f32> = head.chunks_exact(a).map(|h| dot(h, &self.arc_u)).collect();
            let lab_dep = leaky(self.lab_dep.forward(isa, &words));
            let lab_head = leaky(self.lab_head.forward(isa, &cands));
            (ner, upos, dep_w, head, head_u, lab_dep, lab_head)
        });
        let (ner, upos, dep_w, head, head_u, lab_dep, lab_head) = heads_scores;
        let a = self.arc_u.len();
        let (nt, nu, l) = (NER_TAGS.len(), UPOS.len(), self.label_dim);

        // Trees and tags, one sentence per task.
        let mut offsets = Vec::with_capacity(sentences.len());
        let mut at = 0;
        for (_, ws) in sentences {
            offsets.push(at);
            at += ws.len();
        }
        let mut out: Vec<Analysis> = time("model.decode", || {
            sentences
                .par_iter()
                .zip(&offsets)
                .enumerate()
                .map(|(s, ((_, ws), &w0))| {
                    let n = ws.len();
                    let c0 = w0 + s; // candidate rows: one root per sentence before it
                    let mut arcs = vec![0f32; n * (n + 1)];
                    for i in 0..n {
                        let row = &mut arcs[i * (n + 1)..(i + 1) * (n + 1)];
                        let t = &dep_w[(w0 + i) * a..][..a];
                        for (j, r) in row.iter_mut().enumerate() {
                            *r = dot(t, &head[(c0 + j) * a..][..a]) + head_u[c0 + j];
                        }
                        kernels::log_softmax(row);
                    }
                    let mut ner_lp = ner[w0 * nt..(w0 + n) * nt].to_vec();
                    ner_lp.chunks_exact_mut(nt).for_each(kernels::log_softmax);
                    decode::sentence(n, &arcs, n + 1, &ner_lp, &upos[w0 * nu..(w0 + n) * nu])
                })
                .collect()
        });

        // Relations at the chosen heads: bilinear plus linear terms.
        time("model.relations", || {
            let mut pair = Vec::with_capacity(words.len() / wd * 2 * l);
            for (s, a_s) in out.iter().enumerate() {
                let (w0, c0) = (offsets[s], offsets[s] + s);
                for (i, &h) in a_s.heads.iter().enumerate() {
                    pair.extend_from_slice(&lab_dep[(w0 + i) * l..][..l]);
                    pair.extend_from_slice(&lab_head[(c0 + h) * l..][..l]);
                }
            }
            // In chunks of words, so each chunk's `z` (50 x 128 floats a word) stays in cache.
            let r = self.n_deprels;
            let mut labels = vec![0u16; lab_dep.len() / l];
            labels
                .par_chunks_mut(RELATION_WORDS)
                .zip(lab_dep.par_chunks(RELATION_WORDS * l))
                .zip(pair.par_chunks(RELATION_WORDS * 2 * l))
                .for_each(|((labels, dep), pair)| {
                    let z = self.lab_z.forward(isa, dep);
                    let lin = self.lab_lin.forward(isa, pair);
                    for (i, label) in labels.iter_mut().enumerate() {
                        let h = &pair[(i * 2 + 1) * l..][..l];
                        let scores: Vec<f32> = (0..r)
                            .map(|k| dot(&z[(i * r + k) * l..][..l], h) + lin[i * r + k])
                            .collect();
                        *label = argmax(&scores) as u16;
                    }
                });
            for (s, a_s) in out.iter_mut().enumerate() {
                let w0 = offsets[s];
                a_s.deprels = labels[w0..w0 + a_s.heads.len()].to_vec();
            }
        });
        out
    }
}

fn add(y: &mut [f32], x: &[f32]) {
    for (a, b) in y.iter_mut().zip(x) {
        *a += b;
    }
}
