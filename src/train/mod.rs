//! Training of the model heads (and fine-tuning of the encoder) from `../shared/data` train
//! splits: UD EWT + UNER EWT and GUM. Dev scores are printed after every epoch and the best
//! epoch's weights are kept. The recipe is stored in the model's JSON for `models/README.md`.
//! Training itself needs libtorch (the `torch` feature); reading the data and the dev scores
//! do not (`whosaid eval model`).

pub mod data;
#[cfg(feature = "torch")]
mod fit;
pub mod gum_entities;
#[cfg(feature = "torch")]
pub mod ner;

#[cfg(feature = "torch")]
pub use fit::{calibrate, train, Result, TrainConfig, TrainError};

use crate::eval::model::{score, ModelScores};
use crate::files::FileError;
use crate::model::{Model, ModelError};
use data::Example;
use std::path::Path;

/// All dev sets scored after each epoch.
pub struct DevSets {
    pub ewt: Vec<Example>,
    pub gum: Vec<Example>,
}

impl DevSets {
    pub fn load(data: &Path) -> Result<DevSets, FileError> {
        Ok(DevSets {
            ewt: data::ewt(data, "dev")?,
            gum: data::gum(data, "dev")?,
        })
    }
}

/// Scores on both dev sets.
pub fn dev_scores(model: &Model, dev: &DevSets) -> Result<(ModelScores, ModelScores), ModelError> {
    Ok((score(model, &dev.ewt)?, score(model, &dev.gum)?))
}

pub fn print_scores(name: &str, s: &ModelScores) {
    eprintln!(
        "  {name:<8} sents {:>5} words {:>6}  UPOS {:.4}  UAS {:.4}  LAS {:.4} (full {:.4})  NER P {:.4} R {:.4} F1 {:.4} (gold {})",
        s.sentences, s.words, s.upos, s.uas, s.las, s.las_full, s.ner_precision, s.ner_recall, s.ner_f1, s.ner_gold
    );
}
