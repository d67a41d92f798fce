//! Loading the model: where its files are ([`ModelConfig`]), the label sets and sizes saved
//! beside our weights ([`ModelMeta`]), the encoder's shape (its `config.json`) and its word-piece
//! tokenizer. Reading the weights themselves is the inference path's business (`exact.rs`, or
//! the libtorch var store).

use super::ModelError;
use super::Precision;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use tokenizers::Tokenizer;

/// The frozen word-piece embedding table, loaded from the encoder package rather than our file.
pub const WORD_EMBEDDINGS: &str = "embeddings.word_embeddings.weight";

/// Linear layers per encoder layer, in the order of the calibrated ranges
/// ([`ModelMeta::int8_ranges`]): query/key/value, attention output, intermediate, output.
pub const LINEARS: usize = 4;

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

/// The fast model's weights (`--model fast`), beside the default model's wherever that is.
pub const FAST_WEIGHTS: &str = "whosaid-fast.safetensors";

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
    /// Input range of every encoder linear layer ([`LINEARS`] per layer) over calibration
    /// text, measured in f32 by `whosaid calibrate`; the int8 path needs it.
    #[serde(default)]
    pub int8_ranges: Vec<(f64, f64)>,
    /// Encoder layers the model keeps (the first ones of the base encoder's), when fewer than the
    /// base encoder's: a distilled student (`whosaid train --layers N --teacher ...`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoder_layers: Option<usize>,
    /// Free-form record of how the weights were trained.
    #[serde(default)]
    pub recipe: serde_json::Value,
}

impl ModelMeta {
    pub fn meta_path(weights: &Path) -> PathBuf {
        weights.with_extension("json")
    }

    /// The label sets and sizes saved beside `weights`.
    pub fn read(weights: &Path) -> Result<ModelMeta, ModelError> {
        let p = ModelMeta::meta_path(weights);
        let text = std::fs::read_to_string(&p).map_err(io_err(&p))?;
        serde_json::from_str(&text).map_err(|e| ModelError::Format {
            path: p.clone(),
            message: e.to_string(),
        })
    }

    /// Writes the label sets, sizes and calibration beside `weights`.
    pub fn write(&self, weights: &Path) -> Result<(), ModelError> {
        let meta = serde_json::to_string_pretty(self).expect("meta serializes");
        let mp = ModelMeta::meta_path(weights);
        std::fs::write(&mp, meta + "\n").map_err(io_err(&mp))
    }
}

/// Sizes of the heads (saved with the weights so a model loads with the shape it was trained with).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct HeadsConfig {
    pub encoder_dim: i64,
    pub shape_dim: i64,
    pub arc_dim: i64,
    pub label_dim: i64,
    pub n_deprels: i64,
    pub dropout: f64,
    /// The NER head trained on the frozen encoder after the joint run (`whosaid train-ner`);
    /// without it, NER is the joint run's linear layer.
    #[serde(default)]
    pub ner_head: Option<NerHeadConfig>,
}

/// Sizes of the NER head (the `train-ner` options for the ones worth trying).
#[derive(Clone, Debug, Serialize, Deserialize, clap::Args)]
pub struct NerHeadConfig {
    #[arg(skip = 32)]
    pub char_dim: i64,
    #[arg(skip = 64)]
    pub char_filters: i64,
    #[arg(long, default_value_t = 256)]
    pub hidden: i64,
    /// Word-level convolution layers (width 3 each).
    #[arg(long, default_value_t = 2)]
    pub layers: i64,
    #[arg(long, default_value_t = 0.3)]
    pub dropout: f64,
}

impl Default for NerHeadConfig {
    fn default() -> NerHeadConfig {
        NerHeadConfig {
            char_dim: 32,
            char_filters: 64,
            hidden: 256,
            layers: 2,
            dropout: 0.3,
        }
    }
}

/// The encoder's shape, from the package's `config.json` (BERT's names).
#[derive(Clone, Copy, Debug, Deserialize)]
pub struct EncoderShape {
    pub num_hidden_layers: usize,
    pub num_attention_heads: usize,
}

impl EncoderShape {
    pub fn read(encoder_dir: &Path) -> Result<EncoderShape, ModelError> {
        let path = encoder_config(encoder_dir)?;
        let text = std::fs::read_to_string(&path).map_err(io_err(&path))?;
        serde_json::from_str(&text).map_err(|e| ModelError::Format {
            path,
            message: e.to_string(),
        })
    }
}

/// The encoder's `config.json`, or an error that says how to set it up.
pub fn encoder_config(encoder_dir: &Path) -> Result<PathBuf, ModelError> {
    let path = encoder_dir.join("config.json");
    if path.exists() {
        return Ok(path);
    }
    Err(ModelError::Io {
        path,
        source: std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "encoder not set up (run scripts/setup.sh)",
        ),
    })
}

/// The encoder's word-piece tokenizer, with no truncation and no padding: the model splits and
/// batches sentences itself.
pub fn tokenizer(encoder_dir: &Path) -> Result<Tokenizer, ModelError> {
    let path = encoder_dir.join("tokenizer.json");
    let mut tokenizer = Tokenizer::from_file(&path)
        .map_err(|e| ModelError::Tokenizer(format!("{}: {e}", path.display())))?;
    tokenizer
        .with_truncation(None)
        .map_err(|e| ModelError::Tokenizer(e.to_string()))?;
    tokenizer.with_padding(None);
    Ok(tokenizer)
}

pub(crate) fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> ModelError + '_ {
    move |source| ModelError::Io {
        path: path.to_path_buf(),
        source,
    }
}
