//! The pipeline: stages run in order over a `Document`, articles run in parallel (rayon), rows
//! come out in article order then text order whatever the thread count, and memory stays
//! bounded (articles are read, processed and written a window at a time).

use crate::document::{ClaimKind, Document};
use crate::input::{read_article, Article};
use crate::model::{ModelConfig, ModelError};
use crate::output::{rows, Format, Row, RowWriter};
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A step of the pipeline: reads what earlier stages put in the document and adds its part.
pub trait Stage: Send + Sync {
    fn name(&self) -> &'static str;
    fn process(&self, doc: &mut Document) -> Result<(), StageError>;
}

/// A stage failed on one document.
#[derive(Debug, thiserror::Error)]
pub enum StageError {
    #[error("model: {0}")]
    Model(#[from] ModelError),
    #[error("{0}")]
    Other(String),
}

/// Options that change what the rule stages emit.
#[derive(Clone, Debug, Default)]
pub struct RuleOptions {
    /// Emit agentless passives as actions with an empty `who`.
    pub include_agentless: bool,
    /// Emit actions found inside quoted or reported content.
    pub actions_in_quotes: bool,
}

/// All stages, built once and shared by the worker threads.
pub struct Pipeline {
    stages: Vec<Box<dyn Stage>>,
}

impl Pipeline {
    /// The full pipeline: text stages, the model, then the claim stages.
    pub fn new(model: ModelConfig, rules: RuleOptions) -> Result<Pipeline, ModelError> {
        let tagger = crate::model::Tagger::new(model)?;
        Ok(Pipeline {
            stages: vec![
                Box::new(crate::segment::Segmenter),
                Box::new(crate::tokenize::WordTokenizer),
                Box::new(tagger),
                Box::new(crate::attribution::QuoteFinder::new(rules.clone())),
                Box::new(crate::actions::ActionFinder::new(rules)),
                Box::new(crate::resolve::Resolver),
            ],
        })
    }

    /// Only the text stages (sentences and tokens), no model.
    pub fn text_only() -> Pipeline {
        Pipeline {
            stages: vec![
                Box::new(crate::segment::Segmenter),
                Box::new(crate::tokenize::WordTokenizer),
            ],
        }
    }

    /// Runs every stage on one text.
    pub fn process(&self, text: String) -> Result<Document, StageError> {
        let mut doc = Document::new(text);
        for stage in &self.stages {
            stage
                .process(&mut doc)
                .map_err(|e| StageError::Other(format!("{} stage: {e}", stage.name())))?;
        }
        doc.claims
            .sort_by_key(|c| (c.sentence, c.anchor(), c.kind, c.what.map(|s| s.end)));
        Ok(doc)
    }
}

/// How `run` writes and reports.
#[derive(Clone, Debug)]
pub struct RunOptions {
    pub threads: usize,
    pub format: Format,
    pub progress: bool,
    pub max_bytes: u64,
    /// Kinds written; all when empty.
    pub kinds: Vec<ClaimKind>,
}

/// What a run did.
#[derive(Clone, Debug, Default)]
pub struct RunStats {
    pub articles: usize,
    pub failed: usize,
    pub rows: usize,
    pub bytes: u64,
    pub words: usize,
}

/// Processes `articles` in parallel and writes their rows to `out` in article order.
/// A failing article prints one line naming it on stderr and the run goes on.
pub fn run<W: Write>(
    pipeline: &Pipeline,
    articles: &[Article],
    out: W,
    opts: &RunOptions,
) -> std::io::Result<(RunStats, W)> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads.max(1))
        .build()
        .map_err(std::io::Error::other)?;
    let mut writer = RowWriter::new(out, opts.format)?;
    let bar = if opts.progress {
        let b = indicatif::ProgressBar::new(articles.len() as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} articles  {per_sec}  eta {eta}",
            )
            .unwrap(),
        );
        Some(b)
    } else {
        None
    };
    let mut stats = RunStats::default();
    let words = AtomicUsize::new(0);
    // A window of articles in flight bounds memory however many articles there are.
    let window = (opts.threads.max(1) * 8).max(16);
    for chunk in articles.chunks(window) {
        let results: Vec<Result<(Vec<Row>, u64), String>> = pool.install(|| {
            use rayon::prelude::*;
            chunk
                .par_iter()
                .map(|a| {
                    let text = read_article(&a.path, opts.max_bytes).map_err(|e| e.to_string())?;
                    let bytes = text.len() as u64;
                    let doc = pipeline.process(text).map_err(|e| e.to_string())?;
                    words.fetch_add(doc.tokens.len(), Ordering::Relaxed);
                    let mut r = rows(&a.name, &doc);
                    if !opts.kinds.is_empty() {
                        r.retain(|row| opts.kinds.iter().any(|k| k.as_str() == row.kind));
                    }
                    Ok((r, bytes))
                })
                .collect()
        });
        for (a, res) in chunk.iter().zip(results) {
            stats.articles += 1;
            match res {
                Ok((rs, bytes)) => {
                    stats.bytes += bytes;
                    for r in &rs {
                        writer.write(r)?;
                    }
                    stats.rows += rs.len();
                }
                Err(e) => {
                    stats.failed += 1;
                    let msg = format!("whosaid: {}: {e}", a.path.display());
                    match &bar {
                        Some(b) => b.println(msg),
                        None => eprintln!("{msg}"),
                    }
                }
            }
            if let Some(b) = &bar {
                b.inc(1);
            }
        }
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    stats.words = words.into_inner();
    Ok((stats, writer.finish()?))
}
