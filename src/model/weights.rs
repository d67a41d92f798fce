//! Our weights read straight from the safetensors files, for the default pass (`exact.rs`):
//! every weight from `models/whosaid.safetensors` (f16) but the frozen word-piece table, which
//! comes from the encoder package's `model.safetensors` (f32). Values are widened to f32
//! exactly, so they equal what libtorch's var store holds after loading the same files.

use safetensors::{Dtype, SafeTensors};
use std::path::{Path, PathBuf};

use super::load::WORD_EMBEDDINGS;

/// Why a weight cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum WeightError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Format { path: PathBuf, message: String },
    #[error("{path}: weight {name} missing")]
    Missing { path: PathBuf, name: String },
}

/// One safetensors file, read whole.
struct File {
    path: PathBuf,
    bytes: Vec<u8>,
}

impl File {
    fn read(path: &Path) -> Result<File, WeightError> {
        let bytes = std::fs::read(path).map_err(|source| WeightError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let file = File {
            path: path.to_path_buf(),
            bytes,
        };
        file.tensors()?;
        Ok(file)
    }

    fn tensors(&self) -> Result<SafeTensors<'_>, WeightError> {
        SafeTensors::deserialize(&self.bytes).map_err(|e| WeightError::Format {
            path: self.path.clone(),
            message: format!("{e:?}"),
        })
    }

    /// The tensor `name` as f32 values and its shape.
    fn get(&self, name: &str) -> Result<(Vec<f32>, Vec<usize>), WeightError> {
        let tensors = self.tensors()?;
        let t = tensors.tensor(name).map_err(|_| WeightError::Missing {
            path: self.path.clone(),
            name: name.into(),
        })?;
        let data = t.data();
        let values = match t.dtype() {
            Dtype::F32 => data
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect(),
            Dtype::F16 => data
                .chunks_exact(2)
                .map(|b| half::f16::from_le_bytes([b[0], b[1]]).to_f32())
                .collect(),
            Dtype::BF16 => data
                .chunks_exact(2)
                .map(|b| half::bf16::from_le_bytes([b[0], b[1]]).to_f32())
                .collect(),
            other => {
                return Err(WeightError::Format {
                    path: self.path.clone(),
                    message: format!("{name} is {other:?}, not a float"),
                })
            }
        };
        Ok((values, t.shape().to_vec()))
    }
}

/// Our weights and the encoder's word-piece table.
pub struct Weights {
    ours: File,
    encoder: File,
}

impl Weights {
    /// Reads `weights` (ours) and `encoder` (the package's `model.safetensors`, or any
    /// safetensors file holding its word-piece table).
    pub fn read(weights: &Path, encoder: &Path) -> Result<Weights, WeightError> {
        Ok(Weights {
            ours: File::read(weights)?,
            encoder: File::read(encoder)?,
        })
    }

    /// The weight `name` (rust-bert's `BertModel` names at the root, our heads under `heads.`)
    /// as f32 values and its shape. Only the word-piece table comes from the encoder file: a
    /// weight missing from ours is an error, never the base encoder's untuned one.
    pub fn get(&self, name: &str) -> Result<(Vec<f32>, Vec<usize>), WeightError> {
        match name {
            WORD_EMBEDDINGS => self.encoder.get(name),
            _ => self.ours.get(name),
        }
    }
}
