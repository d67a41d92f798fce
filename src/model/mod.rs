//! Stage 3, the model: one pass of the BERT encoder (all-MiniLM-L6-v2 through rust-bert) per
//! batch of sentences, feeding our own heads for named entities, UPOS tags and a dependency
//! parse. Words are the pipeline's own tokens; each word is represented by its first piece.
//!
//! Weights: the encoder package gives the architecture, the vocabulary and the word-piece
//! embeddings (frozen in training, so never stored by us); `models/whosaid.safetensors` holds
//! every other weight, fine-tuned, in f16; `models/whosaid.json` holds the label sets and sizes.

pub mod decode;
pub mod encoder;
pub mod exact;
pub mod heads;
pub mod kernels;
pub mod labels;
pub mod lemma;
pub mod pieces;
pub mod tagger;

pub use tagger::Tagger;

use encoder::{FastEncoder, LinearKind};
use exact::ExactModel;
use heads::{HeadScores, Heads, HeadsConfig, NerHead, NerHeadConfig};
use labels::NER_TAGS;
use pieces::{encode_batch, sentence_pieces, PieceBatch, SentencePieces};
use rust_bert::bert::{BertConfig, BertEmbeddings, BertModel};
use rust_bert::Config;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use tch::{nn, Device, Kind, Tensor};
use tokenizers::Tokenizer;

/// The frozen word-piece embedding table, loaded from the encoder package rather than our file.
pub const WORD_EMBEDDINGS: &str = "embeddings.word_embeddings.weight";

/// Errors of the model stage.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("model file {path}: {message}")]
    Format { path: PathBuf, message: String },
    #[error("libtorch: {0}")]
    Torch(#[from] tch::TchError),
    #[error("encoder: {0}")]
    Encoder(#[from] rust_bert::RustBertError),
    #[error("word-piece tokenizer: {0}")]
    Tokenizer(String),
}

/// How inference computes. The default, `Int8`, is our own kernels (`exact.rs`): the same
/// results, bit for bit, on every CPU. The others run through libtorch, whose kernels (and so
/// whose last bits, and sometimes rows) follow the CPU's instruction set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Precision {
    /// Our own forward pass: int8 encoder linear layers with exact integer sums, f32 in a fixed
    /// order elsewhere (the heads too). CPU-independent.
    Int8,
    /// libtorch f32 (MKL/oneDNN; summation order follows the CPU).
    F32,
    /// libtorch bf16: fast only on CPUs with avx512_bf16, many times slower elsewhere.
    Bf16,
    /// libtorch's fbgemm int8 linear layers in the encoder (AVX2 and AVX-512/VNNI code paths
    /// differ), f32 elsewhere.
    Fbgemm,
}

/// Where the model comes from and how it runs.
#[derive(Clone, Debug)]
pub struct ModelConfig {
    /// Folder of the encoder package: `config.json`, `tokenizer.json`, `model.safetensors`.
    pub encoder_dir: PathBuf,
    /// Our weights (`.safetensors`); `None` starts untrained heads (training only).
    pub weights: Option<PathBuf>,
    pub precision: Precision,
    /// Most word pieces (padded) in one encoder batch. Measured on 2 cores: batches of about
    /// 800 pieces run twice as fast per word as batches of 5,000 (cache-sized activations).
    pub max_batch_pieces: usize,
}

impl ModelConfig {
    /// The encoder at `encoder_dir`, our weights (if any), and the default batch size.
    pub fn new(
        encoder_dir: PathBuf,
        weights: Option<PathBuf>,
        precision: Precision,
    ) -> ModelConfig {
        ModelConfig {
            encoder_dir,
            weights,
            precision,
            max_batch_pieces: 800,
        }
    }

    /// The committed model and the encoder, from the first of: `WHOSAID_HOME` (a source tree:
    /// `models/`, `.deps/encoder/` set up by `scripts/setup.sh`), the unpacked bundle the running
    /// binary sits in ([`bundle_dir`]), `repo` (the source tree it was built from).
    /// `WHOSAID_ENCODER_DIR` overrides the encoder folder of any of them.
    pub fn default_paths(repo: &Path) -> ModelConfig {
        let (weights, encoder) = match (std::env::var_os("WHOSAID_HOME"), bundle_dir()) {
            (Some(home), _) => source_tree(Path::new(&home)),
            (None, Some(bundle)) => (
                bundle.join("models/whosaid.safetensors"),
                bundle.join("encoder"),
            ),
            (None, None) => source_tree(repo),
        };
        let encoder_dir = std::env::var_os("WHOSAID_ENCODER_DIR")
            .map(PathBuf::from)
            .unwrap_or(encoder);
        ModelConfig::new(encoder_dir, Some(weights), Precision::Int8)
    }
}

/// Weights and encoder folder of a source tree.
fn source_tree(repo: &Path) -> (PathBuf, PathBuf) {
    (
        repo.join("models/whosaid.safetensors"),
        repo.join(".deps/encoder"),
    )
}

/// The data folder of the bundle (`scripts/bundle.sh`) the running binary was unpacked with:
/// `<exe>/../share/whosaid`, when it holds the model. Lets the bundle run from anywhere, with
/// no environment and no source tree.
pub fn bundle_dir() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let dir = exe.parent()?.parent()?.join("share/whosaid");
    dir.join("models/whosaid.safetensors")
        .is_file()
        .then_some(dir)
}

/// Label sets and head sizes, saved beside the weights.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ModelMeta {
    pub heads: HeadsConfig,
    pub deprels: Vec<String>,
    /// Input range of every encoder linear layer (`encoder::LINEARS` per layer) over
    /// calibration text, measured in f32 by `whosaid calibrate`; the int8 path needs it.
    #[serde(default)]
    pub int8_ranges: Vec<(f64, f64)>,
    /// Free-form record of how the weights were trained.
    #[serde(default)]
    pub recipe: serde_json::Value,
}

impl ModelMeta {
    pub fn meta_path(weights: &Path) -> PathBuf {
        weights.with_extension("json")
    }
}

/// Per-word analysis of one sentence.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Analysis {
    /// Index into `labels::UPOS`.
    pub upos: Vec<u8>,
    /// Head of each word: 0 = root, else 1-based word index.
    pub heads: Vec<usize>,
    /// Index into `ModelMeta::deprels`.
    pub deprels: Vec<u16>,
    /// Index into `labels::NER_TAGS`.
    pub ner: Vec<u8>,
}

/// The encoder and heads, loaded once and shared (behind a lock) by all worker threads.
pub struct Model {
    pub vs: nn::VarStore,
    encoder: BertModel<BertEmbeddings>,
    pub heads: Heads,
    /// Replaces the joint run's NER layer when the model has one.
    pub ner_head: Option<NerHead>,
    tokenizer: Tokenizer,
    pub meta: ModelMeta,
    config: ModelConfig,
    /// The inference forward pass over the same weights (f32 or int8); `None` while training.
    fast: Option<FastEncoder>,
    /// The default, CPU-independent pass (`Precision::Int8`); `None` under libtorch precisions.
    exact: Option<ExactModel>,
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

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> ModelError + '_ {
    move |source| ModelError::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl Model {
    /// Loads the encoder and, if `config.weights` is set, our trained weights and labels.
    /// Without weights, `meta` must be given (training from scratch).
    pub fn load(config: ModelConfig, meta: Option<ModelMeta>) -> Result<Model, ModelError> {
        let meta = match (&config.weights, meta) {
            (_, Some(m)) => m,
            (Some(w), None) => {
                let p = ModelMeta::meta_path(w);
                let text = std::fs::read_to_string(&p).map_err(io_err(&p))?;
                serde_json::from_str(&text).map_err(|e| ModelError::Format {
                    path: p.clone(),
                    message: e.to_string(),
                })?
            }
            (None, None) => {
                return Err(ModelError::Format {
                    path: PathBuf::new(),
                    message: "no weights and no label sets given".into(),
                })
            }
        };
        let cfg_path = config.encoder_dir.join("config.json");
        if !cfg_path.exists() {
            return Err(ModelError::Io {
                path: cfg_path,
                source: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "encoder not set up (run scripts/setup.sh)",
                ),
            });
        }
        let bert_config = BertConfig::from_file(&cfg_path);
        let mut vs = nn::VarStore::new(Device::Cpu);
        let encoder = BertModel::new_with_optional_pooler(vs.root(), &bert_config, false);
        let heads = Heads::new(&(vs.root().set_group(1) / "heads"), &meta.heads);
        let ner_head = meta
            .heads
            .ner_head
            .as_ref()
            .map(|c| new_ner_head(&vs, &meta.heads, c));
        let enc_weights = config.encoder_dir.join("model.safetensors");
        vs.load_partial(&enc_weights)?;
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
        let int8 = matches!(config.precision, Precision::Int8 | Precision::Fbgemm);
        if int8 && meta.int8_ranges.is_empty() {
            return Err(ModelError::Format {
                path: config.weights.clone().unwrap_or_default(),
                message: "no int8 calibration (run `whosaid calibrate`)".into(),
            });
        }
        let linear = match config.precision {
            Precision::Bf16 => {
                vs.bfloat16();
                None
            }
            Precision::F32 => Some(LinearKind::F32),
            Precision::Fbgemm => Some(LinearKind::Int8),
            Precision::Int8 => {
                vs.float();
                None
            }
        };
        if linear.is_some() {
            // The stored weights are f16; loading keeps their kind.
            vs.float();
        }
        let fast = linear.and_then(|kind| {
            FastEncoder::from_var_store(
                &vs,
                bert_config.num_hidden_layers,
                bert_config.num_attention_heads,
                kind,
                &meta.int8_ranges,
            )
        });
        let exact = match config.precision {
            Precision::Int8 => {
                if ner_head.is_some() {
                    return Err(ModelError::Format {
                        path: config.weights.clone().unwrap_or_default(),
                        message: "a model with a NER head (train-ner) runs only with \
                                  --precision f32, bf16 or fbgemm"
                            .into(),
                    });
                }
                Some(
                    ExactModel::from_var_store(
                        &vs,
                        bert_config.num_hidden_layers as usize,
                        bert_config.num_attention_heads as usize,
                        &meta.heads,
                        &meta.int8_ranges,
                    )
                    .map_err(|e| ModelError::Format {
                        path: config.weights.clone().unwrap_or_default(),
                        message: e.to_string(),
                    })?,
                )
            }
            _ => None,
        };
        let tok_path = config.encoder_dir.join("tokenizer.json");
        let mut tokenizer = Tokenizer::from_file(&tok_path)
            .map_err(|e| ModelError::Tokenizer(format!("{}: {e}", tok_path.display())))?;
        tokenizer
            .with_truncation(None)
            .map_err(|e| ModelError::Tokenizer(e.to_string()))?;
        tokenizer.with_padding(None);
        Ok(Model {
            vs,
            encoder,
            heads,
            ner_head,
            tokenizer,
            meta,
            config,
            fast,
            exact,
            layers: bert_config.num_hidden_layers,
            attention_heads: bert_config.num_attention_heads,
        })
    }

    /// Switches to rust-bert's forward pass (autograd, dropout) for training: the inference
    /// pass holds copies of the weights and would not see their updates.
    pub fn for_training(mut self) -> Model {
        self.fast = None;
        self.exact = None;
        self
    }

    /// Saves every weight but the frozen word-piece table, in f16, plus the label sets.
    pub fn save(&self, path: &Path) -> Result<(), ModelError> {
        let mut named: Vec<(String, Tensor)> = self
            .vs
            .variables()
            .into_iter()
            .filter(|(n, _)| n != WORD_EMBEDDINGS)
            .map(|(n, t)| (n, t.detach().to_kind(Kind::Half)))
            .collect();
        named.sort_by(|a, b| a.0.cmp(&b.0));
        Tensor::write_safetensors(&named, path)?;
        self.save_meta(path)
    }

    /// Measures the input range of every encoder linear layer over `sentences` (f32), for the
    /// int8 path, and keeps it in `meta`.
    pub fn calibrate(&mut self, sentences: &[Vec<&str>]) -> Result<(), ModelError> {
        let f32_encoder = FastEncoder::from_var_store(
            &self.vs,
            self.layers,
            self.attention_heads,
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

    /// Writes the label sets, sizes and calibration beside `weights`.
    pub fn save_meta(&self, weights: &Path) -> Result<(), ModelError> {
        let meta = serde_json::to_string_pretty(&self.meta).expect("meta serializes");
        let mp = ModelMeta::meta_path(weights);
        std::fs::write(&mp, meta + "\n").map_err(io_err(&mp))
    }

    pub fn encode(&self, sentences: &[Vec<&str>]) -> Result<PieceBatch, ModelError> {
        encode_batch(&self.tokenizer, sentences, Device::Cpu)
            .map_err(|e| ModelError::Tokenizer(e.to_string()))
    }

    /// Adds an untrained NER head (for `train-ner`); every weight already there is frozen.
    pub fn add_ner_head(&mut self, config: NerHeadConfig) {
        self.vs.freeze();
        let head = new_ner_head(&self.vs, &self.meta.heads, &config);
        self.meta.heads.ner_head = Some(config);
        self.ner_head = Some(head);
    }

    /// One encoder pass and all heads.
    pub fn forward(&self, batch: &PieceBatch, train: bool) -> Result<HeadScores, ModelError> {
        let words = self.word_vectors(batch, train)?;
        let mut scores = self.heads.forward(&words, &batch.shapes, train);
        if let Some(ner) = &self.ner_head {
            scores.ner = ner.forward(&words, &batch.shapes, &batch.chars, &batch.word_mask, train);
        }
        Ok(scores)
    }

    /// The encoder's vector for each word (its first piece's): `[B, W, D]`.
    pub fn word_vectors(&self, batch: &PieceBatch, train: bool) -> Result<Tensor, ModelError> {
        let hidden = match (&self.fast, train) {
            (Some(fast), false) => fast.forward(&batch.input_ids, &batch.attention_mask),
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

    /// Analyses sentences given as words: UPOS, a well-formed tree with relations, BIO tags.
    /// Sentences are batched by piece count so padding stays small; output order = input order.
    pub fn analyze(&self, sentences: &[Vec<&str>]) -> Result<Vec<Analysis>, ModelError> {
        let pieces = crate::profile::time("model.pieces", || {
            sentences
                .iter()
                .map(|words| sentence_pieces(&self.tokenizer, words))
                .collect::<tokenizers::Result<Vec<SentencePieces>>>()
        })
        .map_err(|e| ModelError::Tokenizer(e.to_string()))?;
        let mut order: Vec<usize> = (0..sentences.len()).collect();
        order.sort_by_key(|&i| (pieces[i].ids.len(), sentences[i].len()));
        let mut out = vec![Analysis::default(); sentences.len()];
        let mut start = 0;
        while start < order.len() {
            // Sorted ascending, so the last sentence of a batch sets its padded width.
            let mut end = start + 1;
            while end < order.len()
                && (end + 1 - start) * pieces[order[end]].ids.len() <= self.config.max_batch_pieces
                && end - start < 128
            {
                end += 1;
            }
            let batch_idx = &order[start..end];
            let batch: Vec<(&SentencePieces, &[&str])> = batch_idx
                .iter()
                .map(|&i| (&pieces[i], sentences[i].as_slice()))
                .collect();
            let results = match &self.exact {
                Some(exact) => exact.analyze(&batch),
                None => {
                    let batch = PieceBatch::new(&batch, Device::Cpu);
                    tch::no_grad(|| self.analyze_batch(&batch))?
                }
            };
            for (k, r) in batch_idx.iter().zip(results) {
                out[*k] = r;
            }
            start = end;
        }
        Ok(out)
    }

    fn analyze_batch(&self, batch: &PieceBatch) -> Result<Vec<Analysis>, ModelError> {
        if batch.lengths.iter().all(|&n| n == 0) {
            return Ok(vec![Analysis::default(); batch.lengths.len()]);
        }
        let scores = self.forward(batch, false)?;
        let upos: Vec<i64> = scores.upos.argmax(-1, false).reshape([-1]).try_into()?;
        let ner_lp: Vec<f32> = scores
            .ner
            .to_kind(Kind::Float)
            .log_softmax(-1, Kind::Float)
            .reshape([-1])
            .try_into()?;
        let arcs = scores
            .arcs
            .to_kind(Kind::Float)
            .log_softmax(-1, Kind::Float);
        let (b, w, w1) = arcs.size3()?;
        let arcs: Vec<f32> = arcs.reshape([-1]).try_into()?;
        let (b, w, w1) = (b as usize, w as usize, w1 as usize);
        let nt = NER_TAGS.len();
        let mut all_heads = vec![0i64; b * w];
        let mut out = Vec::with_capacity(b);
        for (s, &n) in batch.lengths.iter().enumerate() {
            let arc = |h: usize, d: usize| arcs[(s * w + d - 1) * w1 + h];
            let heads = decode::eisner(n, arc);
            for (i, &h) in heads.iter().enumerate() {
                all_heads[s * w + i] = h as i64;
            }
            let ner_scores: Vec<Vec<f32>> = (0..n)
                .map(|i| ner_lp[(s * w + i) * nt..(s * w + i + 1) * nt].to_vec())
                .collect();
            let ner = decode::viterbi_bio(&ner_scores, labels::ner_decode);
            out.push(Analysis {
                upos: (0..n).map(|i| upos[s * w + i] as u8).collect(),
                heads,
                deprels: Vec::new(),
                ner: ner.into_iter().map(|t| t as u8).collect(),
            });
        }
        let head_t = Tensor::from_slice(&all_heads).view([b as i64, w as i64]);
        let rels: Vec<i64> = self
            .heads
            .relation_scores(&scores, &head_t)
            .argmax(-1, false)
            .reshape([-1])
            .try_into()?;
        for (s, a) in out.iter_mut().enumerate() {
            a.deprels = (0..a.heads.len()).map(|i| rels[s * w + i] as u16).collect();
        }
        Ok(out)
    }

    pub fn deprel(&self, index: u16) -> &str {
        self.meta
            .deprels
            .get(index as usize)
            .map(String::as_str)
            .unwrap_or("dep")
    }
}
