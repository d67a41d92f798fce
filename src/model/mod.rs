//! Stage 3, the model: one pass of the BERT encoder (all-MiniLM-L6-v2) per batch of sentences,
//! feeding our own heads for named entities, UPOS tags and a dependency parse. Words are the
//! pipeline's own tokens; each word is represented by its first piece.
//!
//! By default (`Precision::Int8`) the encoder and heads run on our own kernels (`exact.rs`,
//! `kernels`) over weights read straight from the safetensors files (`weights.rs`): the same
//! rows on every CPU, with or without libtorch. The `libtorch` module (the `torch` feature,
//! on by default) holds rust-bert's encoder and the heads as libtorch modules, for training
//! and the libtorch precisions. Both passes decode through `decode.rs`.
//!
//! - [`load`]: where the files are, the label sets and sizes, the encoder's shape and tokenizer;
//!   [`weights`]: the safetensors files as f32 values;
//! - [`pieces`] and [`batch`]: words to word pieces, sentences into batches of near-equal length;
//! - [`exact`]: the default forward pass; [`decode`]: scores to trees, tags and relations;
//! - [`tagger`]: the model as a pipeline stage (and [`lemma`], lemmas from word and tag).
//!
//! Weights: the encoder package gives the architecture, the vocabulary and the word-piece
//! embeddings (frozen in training, so never stored by us); `models/whosaid.safetensors` holds
//! every other weight, fine-tuned, in f16; `models/whosaid.json` holds the label sets and sizes.

pub mod batch;
pub mod decode;
pub mod exact;
pub mod kernels;
pub mod labels;
pub mod lemma;
#[cfg(feature = "torch")]
pub mod libtorch;
pub mod load;
pub mod pieces;
pub mod tagger;
pub mod weights;

pub use load::{ModelConfig, ModelMeta, FAST_WEIGHTS, WORD_EMBEDDINGS};
pub use tagger::Tagger;

use exact::ExactModel;
#[cfg(feature = "torch")]
use libtorch::{padded::PieceBatch, TorchModel};
use pieces::{sentence_pieces, SentencePieces};
use rayon::prelude::*;
use tokenizers::Tokenizer;

/// Errors of the model stage.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("model file {path}: {message}")]
    Format {
        path: std::path::PathBuf,
        message: String,
    },
    #[error(transparent)]
    Weights(#[from] weights::WeightError),
    #[cfg(feature = "torch")]
    #[error("libtorch: {0}")]
    Torch(#[from] tch::TchError),
    #[cfg(feature = "torch")]
    #[error("encoder: {0}")]
    Encoder(#[from] rust_bert::RustBertError),
    #[error("word-piece tokenizer: {0}")]
    Tokenizer(String),
    #[error("training and calibration need a libtorch precision (f32, bf16 or fbgemm), not int8")]
    NoVarStore,
    #[error("--precision {0} needs the full build (libtorch: `cargo build --release` with the default `torch` feature); this build has int8 only")]
    NeedsTorch(Precision),
}

/// How inference computes. The default, `Int8`, is our own kernels (`exact.rs`): the same
/// results, bit for bit, on every CPU. The others run through libtorch (the full build, the
/// `torch` feature), whose kernels (and so whose last bits, and sometimes rows) follow the CPU's
/// instruction set.
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

impl std::fmt::Display for Precision {
    /// The `--precision` value.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Precision::Int8 => "int8",
            Precision::F32 => "f32",
            Precision::Bf16 => "bf16",
            Precision::Fbgemm => "fbgemm",
        })
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
    pub meta: ModelMeta,
    tokenizer: Tokenizer,
    config: ModelConfig,
    pass: Pass,
}

/// The forward pass a model runs.
enum Pass {
    /// Our own kernels (`Precision::Int8`).
    Exact(Box<ExactModel>),
    /// libtorch (the other precisions, and training).
    #[cfg(feature = "torch")]
    Torch(Box<TorchModel>),
}

impl Model {
    /// Loads the encoder and, if `config.weights` is set, our trained weights and labels.
    /// Without weights, `meta` must be given (training from scratch).
    pub fn load(config: ModelConfig, meta: Option<ModelMeta>) -> Result<Model, ModelError> {
        let meta = match (&config.weights, meta) {
            (_, Some(m)) => m,
            (Some(w), None) => ModelMeta::read(w)?,
            (None, None) => {
                return Err(ModelError::Format {
                    path: Default::default(),
                    message: "no weights and no label sets given".into(),
                })
            }
        };
        let int8 = matches!(config.precision, Precision::Int8 | Precision::Fbgemm);
        if int8 && meta.int8_ranges.is_empty() {
            return Err(ModelError::Format {
                path: config.weights.clone().unwrap_or_default(),
                message: "no int8 calibration (run `whosaid calibrate`)".into(),
            });
        }
        let pass = match config.precision {
            Precision::Int8 => {
                let format = |message: String| ModelError::Format {
                    path: config.weights.clone().unwrap_or_default(),
                    message,
                };
                if meta.heads.ner_head.is_some() {
                    return Err(format(
                        "a model with a NER head (train-ner) runs only with \
                         --precision f32, bf16 or fbgemm"
                            .into(),
                    ));
                }
                let shape = load::EncoderShape::read(&config.encoder_dir)?;
                let ours = config.weights.as_deref().ok_or_else(|| {
                    format("the int8 pass runs trained weights only (none given)".into())
                })?;
                let weights =
                    weights::Weights::read(ours, &config.encoder_dir.join("model.safetensors"))?;
                Pass::Exact(Box::new(
                    ExactModel::new(
                        &weights,
                        meta.encoder_layers.unwrap_or(shape.num_hidden_layers),
                        shape.num_attention_heads,
                        &meta.heads,
                        &meta.int8_ranges,
                    )
                    .map_err(|e| format(e.to_string()))?,
                ))
            }
            #[cfg(feature = "torch")]
            _ => Pass::Torch(Box::new(TorchModel::load(&config, &meta)?)),
            #[cfg(not(feature = "torch"))]
            other => return Err(ModelError::NeedsTorch(other)),
        };
        Ok(Model {
            tokenizer: load::tokenizer(&config.encoder_dir)?,
            meta,
            config,
            pass,
        })
    }

    /// Writes the label sets, sizes and calibration beside `weights`.
    pub fn save_meta(&self, weights: &std::path::Path) -> Result<(), ModelError> {
        self.meta.write(weights)
    }

    /// Analyses sentences given as words: UPOS, a well-formed tree with relations, BIO tags.
    /// Sentences are batched by piece count so padding stays small; output order = input order.
    pub fn analyze(&self, sentences: &[Vec<&str>]) -> Result<Vec<Analysis>, ModelError> {
        let tokenizer = &self.tokenizer;
        let tokenize = || {
            sentences
                .par_iter()
                .map(|words| sentence_pieces(tokenizer, words))
                .collect::<tokenizers::Result<Vec<SentencePieces>>>()
        };
        let pieces = crate::profile::time("model.pieces", || match &self.pass {
            Pass::Exact(exact) => exact.install(tokenize),
            #[cfg(feature = "torch")]
            Pass::Torch(_) => tokenize(),
        })
        .map_err(|e| ModelError::Tokenizer(e.to_string()))?;
        let mut out = vec![Analysis::default(); sentences.len()];
        for batch_idx in batch::piece_batches(&pieces, sentences, self.config.max_batch_pieces) {
            let batch: Vec<(&SentencePieces, &[&str])> = batch_idx
                .iter()
                .map(|&i| (&pieces[i], sentences[i].as_slice()))
                .collect();
            let results = match &self.pass {
                Pass::Exact(exact) => exact.analyze(&batch),
                #[cfg(feature = "torch")]
                Pass::Torch(torch) => {
                    let batch = PieceBatch::new(&batch, tch::Device::Cpu);
                    tch::no_grad(|| torch.analyze_batch(&batch))?
                }
            };
            for (k, r) in batch_idx.iter().zip(results) {
                out[*k] = r;
            }
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
