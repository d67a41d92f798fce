//! The task heads on top of the shared encoder, as libtorch modules (trained here; `exact.rs`
//! computes the same heads with our kernels): NER (BIO), UPOS, and a biaffine dependency
//! parser (arc scores over heads incl. a learned root, and bilinear relation scores).
//! One encoder pass feeds all of them.

use crate::model::labels::{CHAR_IDS, NER_TAGS, SHAPES, UPOS};
use crate::model::load::{HeadsConfig, NerHeadConfig};
use tch::nn::{self, Module};
use tch::{Kind, Tensor};

/// NER over the encoder's word vectors plus what the uncased encoder cannot see: each word's
/// shape and a character convolution over its cased spelling, mixed across neighbouring words
/// by width-3 convolutions (so `Mr. smith` and `Smith said` can look at each other's casing).
/// Convolutions, unlike a recurrent layer, give the same result however a sentence is padded.
pub struct NerHead {
    shape_emb: nn::Embedding,
    char_emb: nn::Embedding,
    char_conv: nn::Conv1D,
    input: nn::Linear,
    convs: Vec<nn::Conv1D>,
    out: nn::Linear,
    dropout: f64,
}

impl NerHead {
    pub fn new(p: &nn::Path, encoder_dim: i64, c: &NerHeadConfig) -> NerHead {
        let conv = |name: String, i: i64, o: i64| {
            nn::conv1d(
                p / name,
                i,
                o,
                3,
                nn::ConvConfig {
                    padding: 1,
                    ..Default::default()
                },
            )
        };
        NerHead {
            shape_emb: nn::embedding(p / "shape", SHAPES as i64, 16, Default::default()),
            char_emb: nn::embedding(p / "char", CHAR_IDS as i64, c.char_dim, Default::default()),
            char_conv: conv("char_conv".into(), c.char_dim, c.char_filters),
            input: nn::linear(
                p / "input",
                encoder_dim + 16 + c.char_filters,
                c.hidden,
                Default::default(),
            ),
            convs: (0..c.layers)
                .map(|i| conv(format!("conv{i}"), c.hidden, c.hidden))
                .collect(),
            out: nn::linear(
                p / "out",
                c.hidden,
                NER_TAGS.len() as i64,
                Default::default(),
            ),
            dropout: c.dropout,
        }
    }

    /// `words` `[B, W, D]`, `shapes` `[B, W]`, `chars` `[B, W, C]`, `mask` `[B, W]` to BIO
    /// scores `[B, W, tags]`.
    pub fn forward(
        &self,
        words: &Tensor,
        shapes: &Tensor,
        chars: &Tensor,
        mask: &Tensor,
        train: bool,
    ) -> Tensor {
        let (b, w, c) = chars.size3().unwrap();
        let ch = self
            .char_emb
            .forward(&chars.view([b * w, c]))
            .transpose(1, 2);
        let char_mask = chars.view([b * w, 1, c]).gt(0);
        // Max over the word's real characters (padding scores -inf; empty words give 0).
        let ch = self
            .char_conv
            .forward(&ch)
            .masked_fill(&char_mask.logical_not(), f64::NEG_INFINITY)
            .amax([2], false)
            .clamp_min(-1e4)
            .view([b, w, -1]);
        let x = Tensor::cat(
            &[
                words,
                &self.shape_emb.forward(shapes),
                &ch.to_kind(words.kind()),
            ],
            -1,
        )
        .dropout(self.dropout, train);
        let m = mask.unsqueeze(-1).to_kind(words.kind());
        let mut h = self.input.forward(&x).gelu("none") * &m;
        for conv in &self.convs {
            let y = conv
                .forward(&h.dropout(self.dropout, train).transpose(1, 2))
                .transpose(1, 2)
                .gelu("none");
            h = (h + y) * &m;
        }
        self.out.forward(&h.dropout(self.dropout, train))
    }
}

pub struct Heads {
    shape_emb: nn::Embedding,
    ner: nn::Linear,
    upos: nn::Linear,
    arc_dep: nn::Linear,
    arc_head: nn::Linear,
    arc_w: Tensor,
    arc_u: Tensor,
    lab_dep: nn::Linear,
    lab_head: nn::Linear,
    lab_w: Tensor,
    lab_lin: nn::Linear,
    root: Tensor,
    dropout: f64,
}

/// Scores for a batch `[B, W]` of words.
pub struct HeadScores {
    pub ner: Tensor,
    pub upos: Tensor,
    /// `[B, W, W + 1]`: score of head `j` (0 = root, `j` = word `j`) for dependent word `i`.
    pub arcs: Tensor,
    /// Relation features of dependents `[B, W, L]` and heads `[B, W + 1, L]`.
    pub lab_dep: Tensor,
    pub lab_head: Tensor,
}

impl Heads {
    pub fn new(p: &nn::Path, c: &HeadsConfig) -> Heads {
        let d = c.encoder_dim + c.shape_dim;
        let lin = |name: &str, o: i64| nn::linear(p / name, d, o, Default::default());
        Heads {
            shape_emb: nn::embedding(p / "shape", SHAPES as i64, c.shape_dim, Default::default()),
            ner: lin("ner", NER_TAGS.len() as i64),
            upos: lin("upos", UPOS.len() as i64),
            arc_dep: lin("arc_dep", c.arc_dim),
            arc_head: lin("arc_head", c.arc_dim),
            arc_w: p.var("arc_w", &[c.arc_dim, c.arc_dim], nn::Init::Const(0.0)),
            arc_u: p.var("arc_u", &[c.arc_dim], nn::Init::Const(0.0)),
            lab_dep: lin("lab_dep", c.label_dim),
            lab_head: lin("lab_head", c.label_dim),
            lab_w: p.var(
                "lab_w",
                &[c.n_deprels, c.label_dim, c.label_dim],
                nn::Init::Const(0.0),
            ),
            lab_lin: nn::linear(
                p / "lab_lin",
                2 * c.label_dim,
                c.n_deprels,
                Default::default(),
            ),
            root: p.var(
                "root",
                &[d],
                nn::Init::Randn {
                    mean: 0.0,
                    stdev: 0.1,
                },
            ),
            dropout: c.dropout,
        }
    }

    /// `words`: `[B, W, encoder_dim]` first-piece vectors; `shapes`: `[B, W]` shape classes.
    pub fn forward(&self, words: &Tensor, shapes: &Tensor, train: bool) -> HeadScores {
        let x = Tensor::cat(&[words, &self.shape_emb.forward(shapes)], -1);
        let x = x.dropout(self.dropout, train);
        let (b, _, d) = x.size3().unwrap();
        let root = self
            .root
            .to_kind(x.kind())
            .view([1, 1, d])
            .expand([b, 1, d], true);
        let with_root = Tensor::cat(&[&root, &x], 1);
        let act = |t: Tensor| t.leaky_relu().dropout(self.dropout, train);
        let dep = act(self.arc_dep.forward(&x));
        let head = act(self.arc_head.forward(&with_root));
        // s[b,i,j] = dep_i W head_j + u . head_j
        let arcs = dep.matmul(&self.arc_w).matmul(&head.transpose(1, 2))
            + head.matmul(&self.arc_u).unsqueeze(1);
        HeadScores {
            ner: self.ner.forward(&x),
            upos: self.upos.forward(&x),
            arcs,
            lab_dep: act(self.lab_dep.forward(&x)),
            lab_head: act(self.lab_head.forward(&with_root)),
        }
    }

    /// Relation scores `[B, W, R]` for dependents attached to `heads` (`[B, W]`, 0 = root).
    pub fn relation_scores(&self, s: &HeadScores, heads: &Tensor) -> Tensor {
        let (_, _, l) = s.lab_dep.size3().unwrap();
        let idx = heads.unsqueeze(-1).expand([-1, -1, l], true);
        let h = s.lab_head.gather(1, &idx, false);
        let bil = Tensor::einsum(
            "bwi,rij,bwj->bwr",
            &[&s.lab_dep, &self.lab_w, &h],
            None::<i64>,
        );
        bil + self.lab_lin.forward(&Tensor::cat(&[&s.lab_dep, &h], -1))
    }
}

/// The rows of `t` (over its last dimension, as f32) at positions where `mask` holds, and
/// those positions; `None` when there are none.
fn masked_rows(t: &Tensor, mask: &Tensor) -> Option<(Tensor, Tensor)> {
    let n = *t.size().last().unwrap();
    let sel = mask.reshape([-1]).nonzero().squeeze_dim(-1);
    if sel.size()[0] == 0 {
        return None;
    }
    let rows = t
        .reshape([-1, n])
        .to_kind(Kind::Float)
        .index_select(0, &sel);
    Some((rows, sel))
}

/// Cross-entropy over the last dimension of `logits` at positions where `mask` holds.
pub fn masked_ce(logits: &Tensor, targets: &Tensor, mask: &Tensor) -> Tensor {
    match masked_rows(logits, mask) {
        Some((rows, sel)) => {
            rows.cross_entropy_for_logits(&targets.reshape([-1]).index_select(0, &sel))
        }
        None => Tensor::zeros([], (Kind::Float, logits.device())),
    }
}

/// Cross-entropy of `logits` against the distribution of a teacher's `teacher` logits, over
/// the last dimension, at positions where `mask` holds (distillation).
pub fn masked_soft_ce(logits: &Tensor, teacher: &Tensor, mask: &Tensor) -> Tensor {
    match (masked_rows(logits, mask), masked_rows(teacher, mask)) {
        (Some((rows, _)), Some((target, _))) => -(target.softmax(-1, Kind::Float)
            * rows.log_softmax(-1, Kind::Float))
        .sum_dim_intlist(-1, false, Kind::Float)
        .mean(Kind::Float),
        _ => Tensor::zeros([], (Kind::Float, logits.device())),
    }
}
