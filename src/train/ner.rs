//! Second training phase: the NER head alone on the frozen, jointly fine-tuned encoder. The
//! encoder's word vectors for every training sentence are computed once (libtorch's int8, as
//! a model with this head runs: the default CPU-independent path has no such head), then the
//! small head trains for many epochs in minutes.

use super::data;
use super::fit::{tensor_2d, Result};
use super::{dev_scores, print_scores, DevSets};
use crate::model::libtorch::heads::masked_ce;
use crate::model::libtorch::padded::WordFeatures;
use crate::model::load::NerHeadConfig;
use crate::model::{Model, ModelConfig, Precision};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use std::path::PathBuf;
use std::time::Instant;
use tch::nn::OptimizerConfig;
use tch::{Kind, Tensor};

#[derive(Clone, Debug, serde::Serialize, clap::Args)]
pub struct NerTrainConfig {
    #[arg(long, default_value = "../shared/data")]
    pub data: PathBuf,
    /// The jointly trained model (from the model configuration, not an option).
    #[arg(skip)]
    pub model: PathBuf,
    /// Where the model with its new NER head goes (weights and JSON).
    #[arg(long, default_value = "models/whosaid.safetensors")]
    pub out: PathBuf,
    #[arg(skip)]
    pub encoder_dir: PathBuf,
    #[arg(long, default_value_t = 12)]
    pub epochs: usize,
    #[arg(long, default_value_t = 32)]
    pub batch_size: usize,
    #[arg(long, default_value_t = 1e-3)]
    pub lr: f64,
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    #[arg(long, default_value_t = 2)]
    pub threads: i32,
    #[command(flatten)]
    pub head: NerHeadConfig,
}

pub fn train_ner(cfg: &NerTrainConfig) -> Result<()> {
    tch::set_num_threads(cfg.threads);
    tch::manual_seed(cfg.seed as i64);
    let started = Instant::now();
    let mut model = Model::load(
        ModelConfig::new(
            cfg.encoder_dir.clone(),
            Some(cfg.model.clone()),
            Precision::Fbgemm,
        ),
        None,
    )?;
    let (mut examples, _) = data::train_split(&cfg.data)?;
    examples.retain(|e| e.ner.is_some() && e.trainable());
    examples.sort_by_key(|e| e.words.len());
    let dev = DevSets::load(&cfg.data)?;
    let (ewt, gum) = dev_scores(&model, &dev)?;
    eprintln!("before (joint run's NER layer):");
    print_scores("EWT dev", &ewt);
    print_scores("GUM dev", &gum);
    let mut best = (ewt.ner_f1 + gum.ner_f1) / 2.0;

    // Frozen word vectors, computed once: `vectors[i]` is `examples[i]`'s `[words, D]`.
    let mut vectors: Vec<Tensor> = Vec::with_capacity(examples.len());
    for chunk in examples.chunks(64) {
        let words: Vec<Vec<&str>> = chunk
            .iter()
            .map(|e| e.words.iter().map(String::as_str).collect())
            .collect();
        let pb = model.encode(&words)?;
        let v = tch::no_grad(|| model.word_vectors(&pb, false))?;
        for (i, e) in chunk.iter().enumerate() {
            vectors.push(v.get(i as i64).narrow(0, 0, e.words.len() as i64));
        }
    }
    eprintln!(
        "{} sentences encoded in {:.0}s",
        vectors.len(),
        started.elapsed().as_secs_f64()
    );

    let joint_recipe = model.meta.recipe.clone();
    model.add_ner_head(cfg.head.clone())?;
    let mut opt = tch::nn::AdamW::default().build(&model.torch()?.vs, cfg.lr)?;
    let mut rng = rand::rngs::StdRng::seed_from_u64(cfg.seed);
    // Batches of similar length (sorted above), visited in a new order each epoch.
    let batches: Vec<std::ops::Range<usize>> = (0..examples.len())
        .step_by(cfg.batch_size)
        .map(|s| s..(s + cfg.batch_size).min(examples.len()))
        .collect();
    let mut history = Vec::new();
    for epoch in 1..=cfg.epochs {
        let mut order: Vec<usize> = (0..batches.len()).collect();
        order.shuffle(&mut rng);
        let mut loss_sum = 0.0;
        for &bi in &order {
            let range = batches[bi].clone();
            let items = &examples[range.clone()];
            let w = items.iter().map(|e| e.words.len()).max().unwrap();
            let padded: Vec<Tensor> = vectors[range]
                .iter()
                .zip(items)
                .map(|(v, e)| v.pad([0, 0, 0, (w - e.words.len()) as i64], "constant", 0.0))
                .collect();
            let padded = Tensor::stack(&padded, 0);
            let words: Vec<Vec<&str>> = items
                .iter()
                .map(|e| e.words.iter().map(String::as_str).collect())
                .collect();
            let words: Vec<&[&str]> = words.iter().map(Vec::as_slice).collect();
            let f = WordFeatures::new(&words, w, tch::Device::Cpu);
            let gold: Vec<&Vec<i64>> = items
                .iter()
                .map(|e| e.ner.as_ref().expect("kept only tagged sentences"))
                .collect();
            let gold = tensor_2d(&gold, w, 0);
            let head = model.torch()?.ner_head.as_ref().expect("head added");
            let scores = head.forward(&padded, &f.shapes, &f.chars, &f.mask, true);
            let loss = masked_ce(&scores, &gold, &f.mask);
            opt.zero_grad();
            loss.backward();
            opt.clip_grad_norm(5.0);
            opt.step();
            loss_sum += f64::try_from(&loss.to_kind(Kind::Double))?;
        }
        let (ewt, gum) = dev_scores(&model, &dev)?;
        eprintln!(
            "epoch {epoch} loss {:.4} ({:.0}s)",
            loss_sum / order.len() as f64,
            started.elapsed().as_secs_f64()
        );
        print_scores("EWT dev", &ewt);
        print_scores("GUM dev", &gum);
        let combined = (ewt.ner_f1 + gum.ner_f1) / 2.0;
        history.push(serde_json::json!({"epoch": epoch, "ewt_ner_f1": ewt.ner_f1,
            "gum_ner_f1": gum.ner_f1, "seconds": started.elapsed().as_secs_f64()}));
        if combined > best {
            best = combined;
            model.meta.recipe = serde_json::json!({"joint": joint_recipe,
                "ner_head": {"config": cfg, "best_epoch": epoch, "history": history}});
            model.save(&cfg.out)?;
            eprintln!(
                "  saved {} (mean NER F1 {:.4})",
                cfg.out.display(),
                combined
            );
        }
    }
    eprintln!("done in {:.0}s", started.elapsed().as_secs_f64());
    Ok(())
}
