//! `whosaid._whosaid`: the compiled half of the Python package. It holds a loaded pipeline and
//! runs it over batches of texts or files with the GIL released; `whosaid/__init__.py` builds
//! the Python API (rows as `Claim` tuples, generators, DataFrames) on these few calls.
//!
//! Every row comes from the library's own `output::rows`, and files are read with the CLI's own
//! checks (`input::Unit::open`), so the rows are the CLI's. Offsets are Unicode scalar values,
//! which are Python `str` indices.

use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyString, PyTuple};
use pyo3::IntoPyObjectExt;
use std::path::PathBuf;
use std::sync::Mutex;
use whosaid::document::ClaimKind;
use whosaid::input::{Article, Unit};
use whosaid::model::{ModelConfig, Precision};
use whosaid::output::{Format, Row, RowFormat};
use whosaid::pipeline::{Pipeline, RunOptions};
use whosaid::stage::RuleOptions;

/// One article's outcome as Python sees it: its rows as tuples, or why it has none.
type Outcome = (String, Option<Vec<Py<PyTuple>>>, Option<String>);

/// A loaded pipeline with its own thread pool. Shared by Python threads: every call takes
/// `&self` and runs with the GIL released.
#[pyclass(frozen, module = "whosaid._whosaid")]
struct Core {
    pipeline: Pipeline,
    pool: rayon::ThreadPool,
    /// One batch in the pipeline at a time. The model stage holds its lock while it runs
    /// parallel work on this pool; a second batch entering the pool meanwhile could be picked up
    /// by a worker waiting inside the first and block on that lock for good. A batch already
    /// uses every thread of the pool, so waiting costs no throughput.
    running: Mutex<()>,
    threads: usize,
    kinds: Vec<ClaimKind>,
    max_bytes: u64,
}

#[pymethods]
impl Core {
    // One argument per keyword of `whosaid.Pipeline`, which passes them through.
    #[allow(clippy::too_many_arguments)]
    #[new]
    #[pyo3(signature = (weights, encoder_dir, threads, kinds, include_agentless, actions_in_quotes, max_mb))]
    fn new(
        py: Python<'_>,
        weights: PathBuf,
        encoder_dir: PathBuf,
        threads: Option<usize>,
        kinds: &str,
        include_agentless: bool,
        actions_in_quotes: bool,
        max_mb: f64,
    ) -> PyResult<Core> {
        let kinds = parse_kinds(kinds)?;
        if max_mb.is_nan() || max_mb <= 0.0 {
            return Err(PyValueError::new_err(format!(
                "max_mb must be positive, not {max_mb}"
            )));
        }
        let threads = resolve_threads(threads)?;
        let rules = RuleOptions {
            include_agentless,
            actions_in_quotes,
        };
        let config = ModelConfig::new(encoder_dir, Some(weights), Precision::Int8);
        let pipeline = py
            .allow_threads(|| Pipeline::new(config, rules))
            .map_err(|e| PyOSError::new_err(format!("loading the whosaid model: {e}")))?;
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| PyOSError::new_err(e.to_string()))?;
        Ok(Core {
            pipeline,
            pool,
            running: Mutex::new(()),
            threads,
            kinds,
            max_bytes: (max_mb * 1e6) as u64,
        })
    }

    /// Threads the pipeline runs on.
    #[getter]
    fn threads(&self) -> usize {
        self.threads
    }

    /// Rows of each `(article, text)`, in order. A text that is not a `str`, is empty, holds NUL
    /// characters or is over the size limit gets an error naming why; the others go on.
    fn process_texts(
        &self,
        py: Python<'_>,
        items: Vec<(String, Bound<'_, PyAny>)>,
    ) -> PyResult<Vec<Outcome>> {
        let texts: Vec<(String, Result<String, String>)> = items
            .into_iter()
            .map(|(article, obj)| {
                let text = match obj.downcast::<PyString>() {
                    Ok(s) => s.extract::<String>().map_err(|e| e.to_string()),
                    Err(_) => Err(format!(
                        "not text: a {} (give a str)",
                        obj.get_type()
                            .name()
                            .map(|n| n.to_string())
                            .unwrap_or_default()
                    )),
                };
                let text = text.and_then(|t| {
                    whosaid::input::check_text(&t, t.len() as u64, self.max_bytes)
                        .map(|()| t)
                        .map_err(|e| e.to_string())
                });
                (article, text)
            })
            .collect();
        let done = py.allow_threads(|| self.run(texts));
        outcomes(py, done)
    }

    /// Rows of each `(article, path)` file, read with the CLI's checks, in order.
    fn process_files(
        &self,
        py: Python<'_>,
        items: Vec<(String, PathBuf)>,
    ) -> PyResult<Vec<Outcome>> {
        let max = self.max_bytes;
        let done = py.allow_threads(|| {
            let texts = self.pool.install(|| {
                use rayon::prelude::*;
                items
                    .into_par_iter()
                    .map(|(name, path)| {
                        let (_, text) = Unit::File(Article {
                            name: name.clone(),
                            path,
                        })
                        .open(max);
                        (name, text.map_err(|e| e.to_string()))
                    })
                    .collect()
            });
            self.run(texts)
        });
        outcomes(py, done)
    }

    /// `whosaid run`: the articles under `inputs` written to `output` as the CLI writes them.
    /// Returns (articles, failed, rows); each failure and each missing input is named on stderr.
    fn run_to_file(
        &self,
        py: Python<'_>,
        inputs: Vec<PathBuf>,
        output: PathBuf,
        format: &str,
        ext: Vec<String>,
    ) -> PyResult<(usize, usize, usize)> {
        let format = match format {
            "csv" => Format::Csv,
            "jsonl" => Format::Jsonl,
            "xlsx" => Format::Xlsx,
            other => {
                return Err(PyValueError::new_err(format!(
                    "format must be \"csv\", \"jsonl\" or \"xlsx\", not {other:?}"
                )))
            }
        };
        let format = RowFormat::new(format, false).expect("no --excel-csv here");
        let opts = RunOptions {
            threads: self.threads,
            format,
            progress: false,
            max_bytes: self.max_bytes,
            kinds: self.kinds.clone(),
            window: whosaid::pipeline::WINDOW,
        };
        py.allow_threads(|| {
            let (articles, missing) = whosaid::input::discover(&inputs, &ext);
            for (p, e) in &missing {
                eprintln!("whosaid: {p}: {e}");
            }
            let file =
                std::fs::File::create(&output).map_err(|e| format!("{}: {e}", output.display()))?;
            let out = std::io::BufWriter::new(file);
            let (stats, mut out) = {
                let _one = self.running.lock().unwrap_or_else(|p| p.into_inner());
                whosaid::pipeline::run(&self.pipeline, &articles, out, &opts)
            }
            .map_err(|e| format!("{}: {e}", output.display()))?;
            std::io::Write::flush(&mut out).map_err(|e| format!("{}: {e}", output.display()))?;
            Ok((
                stats.articles + missing.len(),
                stats.failed + missing.len(),
                stats.rows,
            ))
        })
        .map_err(|e: String| PyOSError::new_err(e))
    }
}

impl Core {
    /// The pipeline over the readable texts (the model batching them together); the rows of
    /// each article, or its error, in input order.
    fn run(
        &self,
        texts: Vec<(String, Result<String, String>)>,
    ) -> Vec<(String, Result<Vec<Row>, String>)> {
        let (names, texts): (Vec<String>, Vec<Result<String, String>>) = texts.into_iter().unzip();
        let failed: Vec<Option<String>> = texts.iter().map(|t| t.clone().err()).collect();
        let read: Vec<String> = texts.into_iter().flatten().collect();
        let mut docs = {
            let _one = self.running.lock().unwrap_or_else(|p| p.into_inner());
            self.pool.install(|| self.pipeline.process_many(read))
        }
        .into_iter();
        names
            .into_iter()
            .zip(failed)
            .map(|(name, failed)| {
                let rows = match failed {
                    Some(e) => Err(e),
                    None => docs
                        .next()
                        .expect("one document per readable text")
                        .map(|doc| {
                            let mut rows = whosaid::output::rows(&name, &doc);
                            if !self.kinds.is_empty() {
                                rows.retain(|r| self.kinds.iter().any(|k| k.as_str() == r.kind));
                            }
                            rows
                        })
                        .map_err(|e| e.to_string()),
                };
                (name, rows)
            })
            .collect()
    }
}

/// Rows as Python tuples in the CSV contract's column order.
fn outcomes(
    py: Python<'_>,
    done: Vec<(String, Result<Vec<Row>, String>)>,
) -> PyResult<Vec<Outcome>> {
    done.into_iter()
        .map(|(name, rows)| match rows {
            Ok(rows) => {
                let rows = rows
                    .into_iter()
                    .map(|r| row_tuple(py, r))
                    .collect::<PyResult<_>>()?;
                Ok((name, Some(rows), None))
            }
            Err(e) => Ok((name, None, Some(e))),
        })
        .collect()
}

fn row_tuple(py: Python<'_>, r: Row) -> PyResult<Py<PyTuple>> {
    let fields = [
        r.article.into_py_any(py)?,
        r.sentence.into_py_any(py)?,
        r.kind.into_py_any(py)?,
        r.who.into_py_any(py)?,
        r.entity.into_py_any(py)?,
        r.entity_type.into_py_any(py)?,
        r.verb.into_py_any(py)?,
        r.what.into_py_any(py)?,
        r.who_start.into_py_any(py)?,
        r.who_end.into_py_any(py)?,
        r.verb_start.into_py_any(py)?,
        r.verb_end.into_py_any(py)?,
        r.what_start.into_py_any(py)?,
        r.what_end.into_py_any(py)?,
    ];
    Ok(PyTuple::new(py, fields)?.unbind())
}

/// `kinds` as the CLI's `--kinds` reads it: comma-separated, empty for all.
fn parse_kinds(kinds: &str) -> PyResult<Vec<ClaimKind>> {
    use ClaimKind::*;
    let mut out = Vec::new();
    for name in kinds.split(',').map(str::trim) {
        let picked: Vec<ClaimKind> = match name {
            "all" => return Ok(Vec::new()),
            "quotes" => ClaimKind::ALL
                .into_iter()
                .filter(|k| k.is_quote())
                .collect(),
            "claims" => ClaimKind::ALL
                .into_iter()
                .filter(|k| k.is_claim())
                .collect(),
            "beliefs" => vec![Belief],
            "evidence" => vec![Evidence],
            "actions" => vec![Action],
            "direct" => vec![DirectQuote],
            "indirect" => vec![IndirectQuote],
            "mixed" => vec![MixedQuote],
            other => {
                return Err(PyValueError::new_err(format!(
                    "unknown kind {other:?}: use all, quotes, claims, beliefs, evidence, actions, \
                     direct, indirect or mixed (comma-separated)"
                )))
            }
        };
        out.extend(picked);
    }
    Ok(out)
}

/// `None` is every core this process may use, as the CLI's default `--threads`.
fn resolve_threads(threads: Option<usize>) -> PyResult<usize> {
    match threads {
        Some(0) => Err(PyValueError::new_err("threads must be at least 1")),
        Some(n) => Ok(n),
        None => Ok(std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)),
    }
}

/// The articles under `inputs` as `(article, path)`, named as the CLI names them, and the
/// inputs that could not be read as `(input, reason)`.
#[pyfunction]
#[allow(clippy::type_complexity)]
fn discover(
    inputs: Vec<PathBuf>,
    ext: Vec<String>,
) -> (Vec<(String, PathBuf)>, Vec<(String, String)>) {
    let (articles, missing) = whosaid::input::discover(&inputs, &ext);
    (
        articles.into_iter().map(|a| (a.name, a.path)).collect(),
        missing
            .into_iter()
            .map(|(p, e)| (p, e.to_string()))
            .collect(),
    )
}

#[pymodule]
fn _whosaid(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Core>()?;
    m.add("COLUMNS", whosaid::output::HEADER.to_vec())?;
    m.add_function(wrap_pyfunction!(discover, m)?)?;
    Ok(())
}
