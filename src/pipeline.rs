//! The pipeline: stages run in order over a `Document`, articles run in parallel (rayon), rows
//! come out in article order then text order whatever the thread count, and memory stays
//! bounded (articles are read, processed and written a window at a time).

use crate::document::{ClaimKind, Document};
use crate::input::{Article, ArticleId, Failure, Unit};
use crate::model::{ModelConfig, ModelError};
use crate::output::{rows, Row, RowFormat, RowWriter};
use crate::stage::{guarded, FaultInjection, Layer, RuleOptions, Stage, StageError};
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A pipeline whose stages are out of order: each stage listed with the layers it requires
/// that no earlier stage provides.
#[derive(Debug, thiserror::Error)]
#[error("stages out of order: {}", .gaps.iter().map(|(s, l)| format!("{s} needs {}", l.iter().map(|l| l.as_str()).collect::<Vec<_>>().join(", "))).collect::<Vec<_>>().join("; "))]
pub struct OrderError {
    pub gaps: Vec<(&'static str, Vec<Layer>)>,
}

/// Why a pipeline could not be built.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error(transparent)]
    Order(#[from] OrderError),
}

/// All stages, built once and shared by the worker threads.
pub struct Pipeline {
    stages: Vec<Box<dyn Stage>>,
}

impl Pipeline {
    /// The full pipeline: text stages, the model, then the claim stages.
    pub fn new(model: ModelConfig, rules: RuleOptions) -> Result<Pipeline, PipelineError> {
        let tagger = crate::model::Tagger::new(model)?;
        Ok(Pipeline::from_stages(vec![
            Box::new(crate::segment::Segmenter),
            Box::new(crate::tokenize::WordTokenizer),
            Box::new(tagger),
            Box::new(crate::attribution::QuoteFinder::new()),
            Box::new(crate::actions::ActionFinder::new(rules)),
            Box::new(crate::resolve::Resolver),
        ])?)
    }

    /// Only the text stages (sentences and tokens), no model.
    pub fn text_only() -> Pipeline {
        Pipeline::from_stages(vec![
            Box::new(crate::segment::Segmenter),
            Box::new(crate::tokenize::WordTokenizer),
        ])
        .expect("the text stages are in order")
    }

    /// Stages in the order given, checked once: every layer a stage requires must be provided
    /// by an earlier one. All gaps are reported together.
    pub fn from_stages(stages: Vec<Box<dyn Stage>>) -> Result<Pipeline, OrderError> {
        let mut have = vec![Layer::Text];
        let mut gaps = Vec::new();
        for s in &stages {
            let missing: Vec<Layer> = s
                .requires()
                .iter()
                .filter(|l| !have.contains(l))
                .copied()
                .collect();
            if !missing.is_empty() {
                gaps.push((s.name(), missing));
            }
            have.extend_from_slice(s.provides());
        }
        if !gaps.is_empty() {
            return Err(OrderError { gaps });
        }
        Ok(Pipeline {
            stages: stages.into_iter().map(FaultInjection::wrap).collect(),
        })
    }

    /// Runs every stage on one text.
    pub fn process(&self, text: String) -> Result<Document, StageError> {
        self.process_many(vec![text])
            .pop()
            .expect("one result per text")
    }

    /// Runs every stage on several texts, stage by stage, so that each stage sees them all at
    /// once (in parallel, or batched by the model). A document that fails, by an error or a
    /// panic, leaves the others: when a stage's call over all of them panics, it is re-run one
    /// document at a time from a copy taken before the call, so only the culprit is lost.
    pub fn process_many(&self, texts: Vec<String>) -> Vec<Result<Document, StageError>> {
        let mut docs: Vec<Result<Document, StageError>> =
            texts.into_iter().map(|t| Ok(Document::new(t))).collect();
        for stage in &self.stages {
            let before: Vec<Document> = docs.iter().flatten().cloned().collect();
            let results = {
                let mut live: Vec<&mut Document> = docs.iter_mut().flatten().collect();
                crate::profile::time(stage.name(), || {
                    guarded(stage.name(), || stage.process_many(&mut live))
                })
            };
            let results = match results {
                Ok(r) => r,
                Err(_) => {
                    let mut before = before.into_iter();
                    docs.iter_mut()
                        .filter(|d| d.is_ok())
                        .map(|d| {
                            let mut copy = before.next().expect("one copy per live document");
                            let r =
                                guarded(stage.name(), || stage.process(&mut copy)).and_then(|r| r);
                            *d = Ok(copy);
                            r
                        })
                        .collect()
                }
            };
            let mut results = results.into_iter();
            for d in docs.iter_mut().filter(|d| d.is_ok()) {
                if let Some(Err(e)) = results.next() {
                    *d = Err(e);
                }
            }
        }
        for doc in docs.iter_mut().flatten() {
            doc.claims
                .sort_by_key(|c| (c.sentence, c.anchor(), c.kind, c.what.map(|s| s.end)));
        }
        docs
    }
}

/// Articles in flight at once, by default (`RunOptions::window`). It bounds memory however many
/// articles there are, and it is fixed (not derived from the thread count) because the model
/// batches sentences across the articles of a window: the same windows give the same batches,
/// so output never depends on the thread count. (The Spark job cuts its partitions at whole
/// windows for the same reason.)
pub const WINDOW: usize = 32;

/// How `run` writes and reports.
#[derive(Clone, Debug)]
pub struct RunOptions {
    pub threads: usize,
    pub format: RowFormat,
    pub progress: bool,
    pub max_bytes: u64,
    /// Kinds written; all when empty.
    pub kinds: Vec<ClaimKind>,
    /// Articles read and batched together ([`WINDOW`] by default).
    pub window: usize,
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
    let units = articles.iter().cloned().map(Unit::File);
    run_units(pipeline, units, Some(articles.len()), out, opts, None)
}

/// Processes `units` (files or JSONL records, `total` of them when known, for the progress bar)
/// a window at a time, pulling the next window only when the last is written, so a stream of
/// any length runs in bounded memory. Rows go to `out` in input order. A failing unit prints
/// one line naming it on stderr, and one JSON line ([`Failure`]) to `errors` when given.
pub fn run_units<W: Write>(
    pipeline: &Pipeline,
    units: impl IntoIterator<Item = Unit>,
    total: Option<usize>,
    out: W,
    opts: &RunOptions,
    mut errors: Option<&mut dyn Write>,
) -> std::io::Result<(RunStats, W)> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads.max(1))
        .build()
        .map_err(std::io::Error::other)?;
    let mut writer = RowWriter::new(out, opts.format)?;
    let bar = if opts.progress {
        let (b, template) = match total {
            Some(n) => (
                indicatif::ProgressBar::new(n as u64),
                "{bar:40} {pos}/{len} articles  {per_sec}  eta {eta}",
            ),
            None => (
                indicatif::ProgressBar::no_length(),
                "{pos} articles  {per_sec}",
            ),
        };
        b.set_style(indicatif::ProgressStyle::with_template(template).unwrap());
        Some(b)
    } else {
        None
    };
    let mut stats = RunStats::default();
    let words = AtomicUsize::new(0);
    let mut units = units.into_iter();
    loop {
        let chunk: Vec<Unit> = units.by_ref().take(opts.window.max(1)).collect();
        if chunk.is_empty() {
            break;
        }
        let (ids, results): (Vec<ArticleId>, Vec<Outcome>) = pool.install(|| {
            use rayon::prelude::*;
            let (ids, texts): (Vec<ArticleId>, Vec<Result<String, String>>) = chunk
                .into_par_iter()
                .map(|u| {
                    let (id, text) = u.open(opts.max_bytes);
                    (id, text.map_err(|e| e.to_string()))
                })
                .unzip();
            let sizes: Vec<Result<u64, String>> = texts
                .iter()
                .map(|t| t.as_ref().map(|s| s.len() as u64).map_err(Clone::clone))
                .collect();
            let read: Vec<String> = texts.into_iter().flatten().collect();
            let mut docs = pipeline.process_many(read).into_iter();
            let results = sizes
                .into_iter()
                .zip(&ids)
                .map(|(size, id)| {
                    let bytes = size?;
                    let doc = docs.next().expect("one document per text");
                    let doc = doc.map_err(|e| e.to_string())?;
                    words.fetch_add(doc.tokens.len(), Ordering::Relaxed);
                    let mut r = rows(id.name.as_deref().unwrap_or_default(), &doc);
                    if !opts.kinds.is_empty() {
                        r.retain(|row| opts.kinds.iter().any(|k| k.as_str() == row.kind));
                    }
                    Ok((r, bytes))
                })
                .collect();
            (ids, results)
        });
        for (id, res) in ids.iter().zip(results) {
            stats.articles += 1;
            match res {
                Ok((rs, bytes)) => {
                    stats.bytes += bytes;
                    for r in &rs {
                        writer.write(r)?;
                    }
                    stats.rows += rs.len();
                    writer.article_done(id.name.as_deref().unwrap_or_default(), None)?;
                }
                Err(e) => {
                    stats.failed += 1;
                    writer.article_done(id.name.as_deref().unwrap_or_default(), Some(&e))?;
                    let msg = format!("whosaid: {}: {e}", id.label());
                    match &bar {
                        Some(b) => b.println(msg),
                        None => eprintln!("{msg}"),
                    }
                    if let Some(log) = errors.as_deref_mut() {
                        write_failure(log, id, &e)?;
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

/// An article's rows and the bytes of its text, or why it failed.
type Outcome = Result<(Vec<Row>, u64), String>;

/// One JSON line for a failed article (`--errors`).
pub fn write_failure(log: &mut dyn Write, id: &ArticleId, reason: &str) -> std::io::Result<()> {
    let f = Failure {
        article: id.name.as_deref(),
        input: &id.input,
        line: id.line,
        reason,
    };
    serde_json::to_writer(&mut *log, &f)?;
    log.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_out_of_order_are_refused_with_every_gap() {
        let err = Pipeline::from_stages(vec![
            Box::new(crate::tokenize::WordTokenizer),
            Box::new(crate::segment::Segmenter),
            Box::new(crate::resolve::Resolver),
        ])
        .err()
        .expect("out of order");
        assert_eq!(err.gaps.len(), 2, "{err}");
        assert_eq!(err.gaps[0], ("tokenize", vec![Layer::Sentences]));
        assert_eq!(err.gaps[1].0, "resolve");
        let text = err.to_string();
        assert!(text.contains("tokenize needs sentences"), "{text}");
    }

    #[test]
    fn the_text_stages_are_in_order() {
        let doc = Pipeline::text_only()
            .process("One. Two words here.".into())
            .unwrap();
        assert_eq!(doc.sentences.len(), 2);
    }
}
