//! Stage 3, the model: one pass of the BERT encoder (all-MiniLM-L6-v2 through rust-bert) per
//! batch of sentences, feeding our own heads for named entities, UPOS tags and a dependency
//! parse. Words are the pipeline's own tokens; each word is represented by its first piece.
//!
//! Weights: the encoder package gives the architecture, the vocabulary and the word-piece
//! embeddings (frozen in training, so never stored by us); `models/whosaid.safetensors` holds
//! every other weight, fine-tuned, in f16; `models/whosaid.json` holds the label sets and sizes.

pub mod decode;
pub mod heads;
pub mod labels;
pub mod lemma;
pub mod pieces;
pub mod tagger;

pub use tagger::Tagger;

use heads::{HeadScores, Heads, HeadsConfig};
use labels::NER_TAGS;
use pieces::{encode_batch, PieceBatch};
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

/// Numeric precision of inference. bf16 roughly doubles CPU speed on CPUs with avx512_bf16,
/// and is many times slower than f32 on CPUs without it (measured: 31 vs 654 words/s on an
/// AVX2-only EPYC), so the default picks it only where the CPU has it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Precision {
    F32,
    Bf16,
}

impl Precision {
    /// bf16 where the CPU computes it natively, else f32.
    pub fn best_for_cpu() -> Precision {
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx512bf16") {
                return Precision::Bf16;
            }
        }
        Precision::F32
    }
}

/// Where the model comes from and how it runs.
#[derive(Clone, Debug)]
pub struct ModelConfig {
    /// Folder of the encoder package: `config.json`, `tokenizer.json`, `model.safetensors`.
    pub encoder_dir: PathBuf,
    /// Our weights (`.safetensors`); `None` starts untrained heads (training only).
    pub weights: Option<PathBuf>,
    pub precision: Precision,
    /// Most words (padded) in one encoder batch.
    pub max_batch_words: usize,
}

impl ModelConfig {
    /// The committed model at `models/` and the encoder set up by `scripts/setup.sh`.
    pub fn default_paths(repo: &Path) -> ModelConfig {
        let encoder_dir = std::env::var_os("WHOSAID_ENCODER_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| repo.join(".deps/encoder"));
        ModelConfig {
            encoder_dir,
            weights: Some(repo.join("models/whosaid.safetensors")),
            precision: Precision::best_for_cpu(),
            max_batch_words: 3000,
        }
    }
}

/// Label sets and head sizes, saved beside the weights.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ModelMeta {
    pub heads: HeadsConfig,
    pub deprels: Vec<String>,
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
    tokenizer: Tokenizer,
    pub meta: ModelMeta,
    config: ModelConfig,
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
        match config.precision {
            Precision::F32 => vs.float(),
            Precision::Bf16 => vs.bfloat16(),
        }
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
            tokenizer,
            meta,
            config,
        })
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
        let meta = serde_json::to_string_pretty(&self.meta).expect("meta serializes");
        let mp = ModelMeta::meta_path(path);
        std::fs::write(&mp, meta + "\n").map_err(io_err(&mp))?;
        Ok(())
    }

    pub fn encode(&self, sentences: &[Vec<&str>]) -> Result<PieceBatch, ModelError> {
        encode_batch(&self.tokenizer, sentences, Device::Cpu)
            .map_err(|e| ModelError::Tokenizer(e.to_string()))
    }

    /// One encoder pass and all heads.
    pub fn forward(&self, batch: &PieceBatch, train: bool) -> Result<HeadScores, ModelError> {
        let out = self.encoder.forward_t(
            Some(&batch.input_ids),
            Some(&batch.attention_mask),
            None,
            None,
            None,
            None,
            None,
            train,
        )?;
        let hidden = out.hidden_state;
        let d = hidden.size()[2];
        let idx = batch.first_piece.unsqueeze(-1).expand([-1, -1, d], true);
        let words = hidden.gather(1, &idx, false);
        Ok(self.heads.forward(&words, &batch.shapes, train))
    }

    /// Analyses sentences given as words: UPOS, a well-formed tree with relations, BIO tags.
    /// Sentences are batched by length so padding stays small; output order = input order.
    pub fn analyze(&self, sentences: &[Vec<&str>]) -> Result<Vec<Analysis>, ModelError> {
        let mut order: Vec<usize> = (0..sentences.len()).collect();
        order.sort_by_key(|&i| sentences[i].len());
        let mut out = vec![Analysis::default(); sentences.len()];
        let mut start = 0;
        while start < order.len() {
            // Sorted ascending, so the last sentence of a batch sets its padded width.
            let mut end = start + 1;
            while end < order.len()
                && (end + 1 - start) * sentences[order[end]].len().max(1)
                    <= self.config.max_batch_words
                && end - start < 128
            {
                end += 1;
            }
            let batch_idx = &order[start..end];
            let batch: Vec<Vec<&str>> = batch_idx.iter().map(|&i| sentences[i].clone()).collect();
            let results = tch::no_grad(|| self.analyze_batch(&batch))?;
            for (k, r) in batch_idx.iter().zip(results) {
                out[*k] = r;
            }
            start = end;
        }
        Ok(out)
    }

    fn analyze_batch(&self, sentences: &[Vec<&str>]) -> Result<Vec<Analysis>, ModelError> {
        if sentences.iter().all(|s| s.is_empty()) {
            return Ok(vec![Analysis::default(); sentences.len()]);
        }
        let batch = self.encode(sentences)?;
        let scores = self.forward(&batch, false)?;
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
