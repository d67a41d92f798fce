//! The training loop and calibration, on libtorch.

use super::data::{self, Example};
use super::{dev_scores, print_scores, DevSets};
use crate::files::FileError;
use crate::model::libtorch::heads::{masked_ce, masked_soft_ce};
use crate::model::load::{HeadsConfig, NerHeadConfig};
use crate::model::{Model, ModelConfig, ModelError, ModelMeta, Precision, WORD_EMBEDDINGS};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;
use tch::nn::OptimizerConfig;
use tch::{Kind, Tensor};

/// Why training (or calibration) stopped.
#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    /// Training or dev data is missing or unreadable.
    #[error(transparent)]
    File(#[from] FileError),
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error(transparent)]
    Torch(#[from] tch::TchError),
    #[error("recipe JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("writing {}: {err}", path.display())]
    Write { path: PathBuf, err: std::io::Error },
}

/// A training result.
pub type Result<T, E = TrainError> = std::result::Result<T, E>;

/// Settings of one training run (also the `whosaid train` options).
#[derive(Clone, Debug, serde::Serialize, clap::Args)]
pub struct TrainConfig {
    #[arg(long, default_value = "../shared/data")]
    pub data: PathBuf,
    /// The base encoder's folder (from the model configuration, not an option).
    #[arg(skip)]
    pub encoder_dir: PathBuf,
    #[arg(long, default_value = "models/whosaid.safetensors")]
    pub out: PathBuf,
    #[arg(long, default_value_t = 6)]
    pub epochs: usize,
    #[arg(long, default_value_t = 32)]
    pub batch_size: usize,
    #[arg(long, default_value_t = 1e-4)]
    pub encoder_lr: f64,
    #[arg(long, default_value_t = 2e-3)]
    pub head_lr: f64,
    #[arg(long, default_value_t = 0.05)]
    pub warmup: f64,
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Train on at most this many sentences (0 = all), for quick trials.
    #[arg(long, default_value_t = 0)]
    pub limit: usize,
    #[arg(long, default_value_t = 2)]
    pub threads: i32,
    /// Weight of the NER loss (the three syntax losses weigh 1 each).
    #[arg(long, default_value_t = 1.0)]
    pub ner_weight: f64,
    /// Train the character-aware NER head (see train-ner) jointly instead of the linear layer.
    #[arg(long)]
    pub ner_head: bool,
    /// Distil: start from this trained model (its first `--layers` encoder layers and its heads)
    /// and learn its outputs for every head as well as the gold labels.
    #[arg(long)]
    pub teacher: Option<PathBuf>,
    /// Encoder layers of the student (with `--teacher`); the base encoder's count without it.
    #[arg(long)]
    pub layers: Option<usize>,
    /// Start the student from these weights instead of its teacher's (a student saved earlier,
    /// to go on training it).
    #[arg(long)]
    pub init: Option<PathBuf>,
    /// Weight of the teacher's outputs against the gold labels (with `--teacher`).
    #[arg(long, default_value_t = 1.0)]
    pub distil_weight: f64,
}

pub(super) fn tensor_2d(rows: &[&Vec<i64>], width: usize, pad: i64) -> Tensor {
    let mut flat = vec![pad; rows.len() * width];
    for (i, r) in rows.iter().enumerate() {
        flat[i * width..i * width + r.len()].copy_from_slice(r);
    }
    Tensor::from_slice(&flat).view([rows.len() as i64, width as i64])
}

/// The heads' sizes and the relation labels of the training data, most frequent first.
fn new_heads(examples: &[Example], cfg: &TrainConfig) -> (HeadsConfig, Vec<String>) {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for e in examples {
        for r in &e.deprels {
            *counts.entry(r.as_str()).or_default() += 1;
        }
    }
    let mut deprels: Vec<String> = counts.keys().map(|s| s.to_string()).collect();
    deprels.sort_by(|a, b| counts[b.as_str()].cmp(&counts[a.as_str()]).then(a.cmp(b)));
    let heads = HeadsConfig {
        encoder_dim: 384,
        shape_dim: 16,
        arc_dim: 384,
        label_dim: 128,
        n_deprels: deprels.len() as i64,
        dropout: 0.2,
        ner_head: cfg.ner_head.then(NerHeadConfig::default),
    };
    (heads, deprels)
}

/// Trains and writes the best epoch's weights to `cfg.out` (and its JSON beside it).
pub fn train(cfg: &TrainConfig) -> Result<()> {
    tch::set_num_threads(cfg.threads);
    tch::manual_seed(cfg.seed as i64);
    let started = Instant::now();
    let (mut examples, n_ewt) = data::train_split(&cfg.data)?;
    let n_gum = examples.len() - n_ewt;
    let mut rng = rand::rngs::StdRng::seed_from_u64(cfg.seed);
    if cfg.limit > 0 && examples.len() > cfg.limit {
        examples.shuffle(&mut rng);
        examples.truncate(cfg.limit);
    }
    examples.retain(Example::trainable);
    let dev = DevSets::load(&cfg.data)?;
    eprintln!(
        "train: {} sentences ({} EWT, {} GUM before limits), dev {} EWT + {} GUM",
        examples.len(),
        n_ewt,
        n_gum,
        dev.ewt.len(),
        dev.gum.len()
    );

    let teacher = match &cfg.teacher {
        Some(path) => Some(Model::load(
            ModelConfig::new(cfg.encoder_dir.clone(), Some(path.clone()), Precision::F32),
            None,
        )?),
        None => None,
    };
    // A student keeps its teacher's heads and label order: its first layers' weights and its
    // heads load from the teacher's file by name.
    let (heads, deprels) = match &teacher {
        Some(t) => (t.meta.heads.clone(), t.meta.deprels.clone()),
        None => new_heads(&examples, cfg),
    };
    let meta = ModelMeta {
        int8_ranges: Vec::new(),
        encoder_layers: cfg.layers,
        heads,
        deprels,
        recipe: serde_json::to_value(cfg)?,
    };
    let rel_index: HashMap<String, i64> = meta
        .deprels
        .iter()
        .enumerate()
        .map(|(i, r)| (r.clone(), i as i64))
        .collect();
    let model = Model::load(
        ModelConfig::new(
            cfg.encoder_dir.clone(),
            cfg.init.clone().or(cfg.teacher.clone()),
            Precision::F32,
        ),
        Some(meta),
    )?
    .for_training()?;
    if let Some(t) = model.torch()?.vs.variables().get(WORD_EMBEDDINGS) {
        let _ = t.set_requires_grad(false);
    }
    let mut opt = tch::nn::AdamW {
        wd: 0.01,
        ..Default::default()
    }
    .build(&model.torch()?.vs, cfg.encoder_lr)?;

    // Length-sorted batches (little padding), visited in a shuffled order each epoch.
    let mut order: Vec<usize> = (0..examples.len()).collect();
    order.sort_by_key(|&i| examples[i].words.len());
    let batches: Vec<Vec<usize>> = order.chunks(cfg.batch_size).map(|c| c.to_vec()).collect();
    let total_steps = (batches.len() * cfg.epochs) as f64;
    let warmup = (total_steps * cfg.warmup).max(1.0);
    let mut step = 0usize;
    let mut best = f64::NEG_INFINITY;
    let mut history = Vec::new();
    for epoch in 1..=cfg.epochs {
        let mut epoch_batches = batches.clone();
        epoch_batches.shuffle(&mut rng);
        let (mut loss_sum, mut loss_n) = (0.0, 0usize);
        for batch in &epoch_batches {
            step += 1;
            let s = step as f64;
            let factor = if s < warmup {
                s / warmup
            } else {
                ((total_steps - s) / (total_steps - warmup)).max(0.0)
            };
            opt.set_lr_group(0, cfg.encoder_lr * factor);
            opt.set_lr_group(1, cfg.head_lr * factor);
            let exs: Vec<&Example> = batch.iter().map(|&i| &examples[i]).collect();
            let words: Vec<Vec<&str>> = exs
                .iter()
                .map(|e| e.words.iter().map(String::as_str).collect())
                .collect();
            let pb = model.encode(&words)?;
            let w = pb.lengths.iter().copied().max().unwrap_or(1);
            let scores = model.forward(&pb, true)?;
            let upos = tensor_2d(&exs.iter().map(|e| &e.upos).collect::<Vec<_>>(), w, 0);
            let heads = tensor_2d(&exs.iter().map(|e| &e.heads).collect::<Vec<_>>(), w, 0);
            let rels_v: Vec<Vec<i64>> = exs
                .iter()
                .map(|e| e.deprels.iter().map(|r| rel_index[r]).collect())
                .collect();
            let rels = tensor_2d(&rels_v.iter().collect::<Vec<_>>(), w, 0);
            let no_ner: Vec<i64> = Vec::new();
            let ner_v: Vec<&Vec<i64>> = exs
                .iter()
                .map(|e| e.ner.as_ref().unwrap_or(&no_ner))
                .collect();
            let ner = tensor_2d(&ner_v, w, 0);
            let has_ner =
                Tensor::from_slice(&exs.iter().map(|e| e.ner.is_some()).collect::<Vec<_>>())
                    .unsqueeze(1);
            let mask = &pb.word_mask;
            let ner_mask = mask.logical_and(&has_ner);
            let rel_scores = model.torch()?.heads.relation_scores(&scores, &heads);
            let mut loss = masked_ce(&scores.upos, &upos, mask)
                + masked_ce(&scores.ner, &ner, &ner_mask) * cfg.ner_weight
                + masked_ce(&scores.arcs, &heads, mask)
                + masked_ce(&rel_scores, &rels, mask);
            if let Some(t) = &teacher {
                // The teacher's outputs on every word, NER included where the gold has none.
                let (ts, t_rels) = tch::no_grad(|| -> Result<_, ModelError> {
                    let ts = t.forward(&pb, false)?;
                    let r = t.torch()?.heads.relation_scores(&ts, &heads);
                    Ok((ts, r))
                })?;
                loss += (masked_soft_ce(&scores.upos, &ts.upos, mask)
                    + masked_soft_ce(&scores.ner, &ts.ner, mask) * cfg.ner_weight
                    + masked_soft_ce(&scores.arcs, &ts.arcs, mask)
                    + masked_soft_ce(&rel_scores, &t_rels, mask))
                    * cfg.distil_weight;
            }
            opt.zero_grad();
            loss.backward();
            opt.clip_grad_norm(5.0);
            opt.step();
            loss_sum += f64::try_from(&loss.to_kind(Kind::Double))?;
            loss_n += 1;
            if step.is_multiple_of(50) {
                eprintln!(
                    "epoch {epoch} step {step}/{} loss {:.4} lr {:.2e} elapsed {:.0}s",
                    total_steps as usize,
                    loss_sum / loss_n as f64,
                    cfg.encoder_lr * factor,
                    started.elapsed().as_secs_f64()
                );
                loss_sum = 0.0;
                loss_n = 0;
            }
        }
        let (ewt, gum) = dev_scores(&model, &dev)?;
        eprintln!(
            "epoch {epoch} dev ({:.0}s):",
            started.elapsed().as_secs_f64()
        );
        print_scores("EWT dev", &ewt);
        print_scores("GUM dev", &gum);
        // One figure to pick the best epoch: parsing and NER on both sets count equally.
        let combined = (ewt.las + gum.las + ewt.ner_f1 + gum.ner_f1) / 4.0;
        history.push(
            serde_json::json!({"epoch": epoch, "ewt_dev": ewt, "gum_dev": gum,
            "seconds": started.elapsed().as_secs_f64()}),
        );
        if combined > best {
            best = combined;
            let mut m = model.meta.clone();
            m.recipe = serde_json::json!({"config": cfg, "best_epoch": epoch, "history": history});
            save_with_meta(&model, &m, cfg)?;
            eprintln!("  saved {} (combined {:.4})", cfg.out.display(), combined);
        }
    }
    calibrate(&cfg.data, &cfg.encoder_dir, &cfg.out)?;
    eprintln!("done in {:.0}s", started.elapsed().as_secs_f64());
    Ok(())
}

/// Measures the int8 calibration of the model at `weights` on training text (every tenth
/// sentence of EWT train and GUM train) and writes it into the model's JSON.
pub fn calibrate(data: &Path, encoder_dir: &Path, weights: &Path) -> Result<()> {
    let mut model = Model::load(
        ModelConfig::new(
            encoder_dir.to_path_buf(),
            Some(weights.to_path_buf()),
            Precision::F32,
        ),
        None,
    )?;
    let (examples, _) = data::train_split(data)?;
    let sentences: Vec<Vec<&str>> = examples
        .iter()
        .step_by(10)
        .filter(|e| e.trainable())
        .map(|e| e.words.iter().map(String::as_str).collect())
        .collect();
    model.calibrate(&sentences)?;
    model.save_meta(weights)?;
    eprintln!(
        "calibrated int8 ranges on {} sentences into {}",
        sentences.len(),
        ModelMeta::meta_path(weights).display()
    );
    Ok(())
}

fn save_with_meta(model: &Model, meta: &ModelMeta, cfg: &TrainConfig) -> Result<()> {
    // `Model::save` writes `model.meta`; write ours (with the history) over it.
    model.save(&cfg.out)?;
    let mp = ModelMeta::meta_path(&cfg.out);
    std::fs::write(&mp, serde_json::to_string_pretty(meta)? + "\n")
        .map_err(|err| TrainError::Write { path: mp, err })?;
    Ok(())
}
