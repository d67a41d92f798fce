//! The model on libtorch (the `torch` feature): rust-bert's BERT and our heads as `tch` modules
//! in one var store. Training runs here (autograd, dropout), and so do the libtorch precisions
//! (`--precision f32|bf16|fbgemm`, through [`TorchEncoder`]); the default precision runs our own
//! pass (`exact.rs`) instead.

pub mod encoder;
pub mod heads;
pub mod padded;

use super::load::{encoder_config, HeadsConfig, ModelMeta, NerHeadConfig, WORD_EMBEDDINGS};
use super::{decode, Analysis, Model, ModelConfig, ModelError, Pass, Precision};
use encoder::{LinearKind, TorchEncoder};
use heads::{HeadScores, Heads, NerHead};
use padded::{encode_batch, PieceBatch};
use rust_bert::bert::{BertConfig, BertEmbeddings, BertModel};
use rust_bert::Config;
use std::path::Path;
use tch::{nn, Device, Kind, Tensor};

/// The encoder and heads in a libtorch var store.
pub struct TorchModel {
    pub vs: nn::VarStore,
    encoder: BertModel<BertEmbeddings>,
    pub heads: Heads,
    /// Replaces the joint run's NER layer when the model has one.
    pub ner_head: Option<NerHead>,
    /// libtorch's inference pass over the same weights (f32 or fbgemm int8); `None` in bf16 and
    /// while training, where rust-bert's forward runs.
    inference: Option<TorchEncoder>,
    /// The encoder's shape, from its config.
    layers: i64,
    attention_heads: i64,
}

/// The NER head's variables live under `ner_head`, trained at the heads' learning rate.
fn new_ner_head(vs: &nn::VarStore, heads: &HeadsConfig, config: &NerHeadConfig) -> NerHead {
    NerHead::new(
        &(vs.root().set_group(1) / "ner_head"),
        heads.encoder_dim,
        config,
    )
}

impl TorchModel {
    /// rust-bert's encoder with the package's weights, our heads, and our weights over both
    /// (when `config.weights` is set), computing in `config.precision`.
    pub fn load(config: &ModelConfig, meta: &ModelMeta) -> Result<TorchModel, ModelError> {
        let mut bert_config = BertConfig::from_file(encoder_config(&config.encoder_dir)?);
        if let Some(n) = meta.encoder_layers {
            bert_config.num_hidden_layers = n as i64;
        }
        let mut vs = nn::VarStore::new(Device::Cpu);
        let encoder = BertModel::new_with_optional_pooler(vs.root(), &bert_config, false);
        let heads = Heads::new(&(vs.root().set_group(1) / "heads"), &meta.heads);
        let ner_head = meta
            .heads
            .ner_head
            .as_ref()
            .map(|c| new_ner_head(&vs, &meta.heads, c));
        vs.load_partial(config.encoder_dir.join("model.safetensors"))?;
        if let Some(w) = &config.weights {
            if !w.exists() {
                return Err(ModelError::Io {
                    path: w.clone(),
                    source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
                });
            }
            let missing = vs.load_partial(w)?;
            let missing: Vec<_> = missing
                .into_iter()
                .filter(|n| n != WORD_EMBEDDINGS)
                .collect();
            if !missing.is_empty() {
                return Err(ModelError::Format {
                    path: w.clone(),
                    message: format!("missing weights: {}", missing.join(", ")),
                });
            }
        }
        let linear = match config.precision {
            Precision::Bf16 => {
                vs.bfloat16();
                None
            }
            Precision::F32 => Some(LinearKind::F32),
            Precision::Fbgemm => Some(LinearKind::Fbgemm),
            Precision::Int8 => {
                vs.float();
                None
            }
        };
        if linear.is_some() {
            // The stored weights are f16; loading keeps their kind.
            vs.float();
        }
        let inference = linear.and_then(|kind| {
            TorchEncoder::from_var_store(
                &vs,
                bert_config.num_hidden_layers,
                bert_config.num_attention_heads,
                kind,
                &meta.int8_ranges,
            )
        });
        Ok(TorchModel {
            vs,
            encoder,
            heads,
            ner_head,
            inference,
            layers: bert_config.num_hidden_layers,
            attention_heads: bert_config.num_attention_heads,
        })
    }

    /// The encoder's vector for each word (its first piece's): `[B, W, D]`.
    fn word_vectors(&self, batch: &PieceBatch, train: bool) -> Result<Tensor, ModelError> {
        let hidden = match (&self.inference, train) {
            (Some(pass), false) => pass.forward(&batch.input_ids, &batch.attention_mask),
            _ => {
                self.encoder
                    .forward_t(
                        Some(&batch.input_ids),
                        Some(&batch.attention_mask),
                        None,
                        None,
                        None,
                        None,
                        None,
                        train,
                    )?
                    .hidden_state
            }
        };
        let d = hidden.size()[2];
        let idx = batch.first_piece.unsqueeze(-1).expand([-1, -1, d], true);
        Ok(hidden.gather(1, &idx, false))
    }

    /// One encoder pass and all heads.
    fn forward(&self, batch: &PieceBatch, train: bool) -> Result<HeadScores, ModelError> {
        let words = self.word_vectors(batch, train)?;
        let mut scores = self.heads.forward(&words, &batch.shapes, train);
        if let Some(ner) = &self.ner_head {
            scores.ner = ner.forward(&words, &batch.shapes, &batch.chars, &batch.word_mask, train);
        }
        Ok(scores)
    }

    /// UPOS, tree, relations and BIO tags of each sentence of a padded batch.
    pub(super) fn analyze_batch(&self, batch: &PieceBatch) -> Result<Vec<Analysis>, ModelError> {
        if batch.lengths.iter().all(|&n| n == 0) {
            return Ok(vec![Analysis::default(); batch.lengths.len()]);
        }
        let scores = self.forward(batch, false)?;
        let floats = |t: &Tensor| -> Result<Vec<f32>, ModelError> {
            Ok(t.to_kind(Kind::Float).reshape([-1]).try_into()?)
        };
        let upos = floats(&scores.upos)?;
        let ner_lp = floats(&scores.ner.to_kind(Kind::Float).log_softmax(-1, Kind::Float))?;
        let arcs = scores
            .arcs
            .to_kind(Kind::Float)
            .log_softmax(-1, Kind::Float);
        let (b, w, w1) = arcs.size3()?;
        let arcs = floats(&arcs)?;
        let (b, w, w1) = (b as usize, w as usize, w1 as usize);
        let (nt, nu) = (ner_lp.len() / (b * w), upos.len() / (b * w));
        let mut all_heads = vec![0i64; b * w];
        let mut out = Vec::with_capacity(b);
        for (s, &n) in batch.lengths.iter().enumerate() {
            let at = s * w;
            let a = decode::sentence(
                n,
                &arcs[at * w1..],
                w1,
                &ner_lp[at * nt..],
                &upos[at * nu..],
            );
            for (i, &h) in a.heads.iter().enumerate() {
                all_heads[at + i] = h as i64;
            }
            out.push(a);
        }
        let head_t = Tensor::from_slice(&all_heads).view([b as i64, w as i64]);
        let rels = floats(&self.heads.relation_scores(&scores, &head_t))?;
        let nr = rels.len() / (b * w);
        for (s, a) in out.iter_mut().enumerate() {
            a.deprels = (0..a.heads.len())
                .map(|i| decode::argmax(&rels[(s * w + i) * nr..][..nr]) as u16)
                .collect();
        }
        Ok(out)
    }
}

/// Training and calibration: these need the libtorch var store, so a model loaded with
/// `Precision::Int8` (our own pass, no var store) answers them with [`ModelError::NoVarStore`].
impl Model {
    /// The var store and the libtorch modules.
    pub fn torch(&self) -> Result<&TorchModel, ModelError> {
        match &self.pass {
            Pass::Torch(t) => Ok(t),
            Pass::Exact(_) => Err(ModelError::NoVarStore),
        }
    }

    fn torch_mut(&mut self) -> Result<&mut TorchModel, ModelError> {
        match &mut self.pass {
            Pass::Torch(t) => Ok(t),
            Pass::Exact(_) => Err(ModelError::NoVarStore),
        }
    }

    /// Switches to rust-bert's forward pass (autograd, dropout) for training: the inference
    /// pass holds copies of the weights and would not see their updates.
    pub fn for_training(mut self) -> Result<Model, ModelError> {
        self.torch_mut()?.inference = None;
        Ok(self)
    }

    /// Saves every weight but the frozen word-piece table, in f16, plus the label sets.
    pub fn save(&self, path: &Path) -> Result<(), ModelError> {
        let mut named: Vec<(String, Tensor)> = self
            .torch()?
            .vs
            .variables()
            .into_iter()
            .filter(|(n, _)| n != WORD_EMBEDDINGS)
            .map(|(n, t)| (n, t.detach().to_kind(Kind::Half)))
            .collect();
        named.sort_by(|a, b| a.0.cmp(&b.0));
        Tensor::write_safetensors(&named, path)?;
        self.meta.write(path)
    }

    /// Measures the input range of every encoder linear layer over `sentences` (f32), for the
    /// int8 paths, and keeps it in `meta`.
    pub fn calibrate(&mut self, sentences: &[Vec<&str>]) -> Result<(), ModelError> {
        let torch = self.torch()?;
        let f32_encoder = TorchEncoder::from_var_store(
            &torch.vs,
            torch.layers,
            torch.attention_heads,
            LinearKind::F32,
            &[],
        )
        .ok_or_else(|| ModelError::Format {
            path: self.config.encoder_dir.clone(),
            message: "encoder weights are not BERT's".into(),
        })?;
        let mut ranges = Vec::new();
        for batch in sentences.chunks(32) {
            let pb = self.encode(batch)?;
            tch::no_grad(|| f32_encoder.observe(&pb.input_ids, &pb.attention_mask, &mut ranges));
        }
        self.meta.int8_ranges = ranges;
        Ok(())
    }

    /// Sentences (each a list of words) as one padded batch.
    pub fn encode(&self, sentences: &[Vec<&str>]) -> Result<PieceBatch, ModelError> {
        encode_batch(&self.tokenizer, sentences, Device::Cpu)
            .map_err(|e| ModelError::Tokenizer(e.to_string()))
    }

    /// Adds an untrained NER head (for `train-ner`); every weight already there is frozen.
    pub fn add_ner_head(&mut self, config: NerHeadConfig) -> Result<(), ModelError> {
        let heads = self.meta.heads.clone();
        let torch = self.torch_mut()?;
        torch.vs.freeze();
        torch.ner_head = Some(new_ner_head(&torch.vs, &heads, &config));
        self.meta.heads.ner_head = Some(config);
        Ok(())
    }

    /// One encoder pass and all heads.
    pub fn forward(&self, batch: &PieceBatch, train: bool) -> Result<HeadScores, ModelError> {
        self.torch()?.forward(batch, train)
    }

    /// The encoder's vector for each word (its first piece's): `[B, W, D]`.
    pub fn word_vectors(&self, batch: &PieceBatch, train: bool) -> Result<Tensor, ModelError> {
        self.torch()?.word_vectors(batch, train)
    }
}
