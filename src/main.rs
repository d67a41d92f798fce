//! The `whosaid` command line: parses arguments, then calls the library.

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use whosaid::document::ClaimKind;
use whosaid::model::{ModelConfig, Precision};
use whosaid::output::Format;
use whosaid::pipeline::{Pipeline, RuleOptions, RunOptions};

#[derive(Parser)]
#[command(
    name = "whosaid",
    version,
    about = "Who said what and who did what in news articles, as one CSV"
)]
struct Cli {
    /// Model weights (.safetensors; its .json beside it).
    #[arg(long, global = true, env = "WHOSAID_MODEL")]
    model: Option<PathBuf>,
    /// How the model computes. int8 (default): our own kernels, int8 encoder linear layers
    /// with exact integer sums and f32 in a fixed order elsewhere: the same rows on every CPU.
    /// f32: libtorch f32. bf16: libtorch bf16 (fast only with avx512_bf16). fbgemm: libtorch's
    /// int8 linear layers. The three libtorch ones may give other rows on other CPUs.
    #[arg(long, global = true, value_enum, default_value = "int8")]
    precision: PrecisionArg,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq)]
enum PrecisionArg {
    Int8,
    F32,
    Bf16,
    Fbgemm,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq)]
enum Kinds {
    All,
    Quotes,
    Actions,
    Direct,
    Indirect,
    Mixed,
}

#[derive(Subcommand)]
enum Command {
    /// Process articles (files and folders) into one CSV of claims and actions.
    Run {
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Output file; `-` or absent for stdout.
        #[arg(short, long)]
        output: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "csv")]
        format: Format,
        /// File extensions taken from folders, comma-separated.
        #[arg(long, default_value = "txt", value_delimiter = ',')]
        ext: Vec<String>,
        /// Worker threads (default: all cores).
        #[arg(long)]
        threads: Option<usize>,
        /// Which kinds of rows to write, comma-separated.
        #[arg(long, value_enum, default_value = "all", value_delimiter = ',')]
        kinds: Vec<Kinds>,
        /// Also emit agentless passives (`sanctions have been imposed`) with an empty who.
        #[arg(long)]
        include_agentless: bool,
        /// Also emit actions inside quoted or reported content.
        #[arg(long)]
        actions_in_quotes: bool,
        /// Largest article read, in MB.
        #[arg(long, default_value_t = 10.0)]
        max_mb: f64,
        /// No progress bar.
        #[arg(short, long)]
        quiet: bool,
    },
    /// Print sentences: start<TAB>end<TAB>text (Unicode scalar offsets).
    Sentences { file: PathBuf },
    /// Print tokens: start<TAB>end<TAB>text.
    Tokens { file: PathBuf },
    /// Print named entities: start<TAB>end<TAB>type<TAB>text.
    Entities { file: PathBuf },
    /// Print the dependency parse as CoNLL-U.
    Parse {
        file: PathBuf,
        /// One sentence per line, tokens separated by single spaces.
        #[arg(long)]
        pretokenized: bool,
    },
    /// Check labelled sentences (CSV files or folders of them) against the pipeline.
    Check {
        #[arg(required = true)]
        labels: Vec<PathBuf>,
        /// Pass when overall F1 reaches this, instead of requiring every label to hold.
        #[arg(long)]
        min_f1: Option<f64>,
        /// Print only the summary.
        #[arg(short, long)]
        quiet: bool,
    },
    /// Evaluate on the dev splits of ../shared/data.
    Eval {
        #[arg(value_enum)]
        what: EvalWhat,
        #[arg(long, default_value = "../shared/data")]
        data: PathBuf,
    },
    /// Throughput (words/s) and peak memory of the whole pipeline on a folder.
    Bench {
        inputs: Vec<PathBuf>,
        #[arg(long)]
        threads: Option<usize>,
        /// Process the inputs this many times.
        #[arg(long, default_value_t = 1)]
        repeat: usize,
    },
    /// Train the model heads (and fine-tune the encoder) from ../shared/data.
    Train {
        #[arg(long, default_value = "../shared/data")]
        data: PathBuf,
        #[arg(long, default_value = "models/whosaid.safetensors")]
        out: PathBuf,
        #[arg(long, default_value_t = 6)]
        epochs: usize,
        #[arg(long, default_value_t = 32)]
        batch_size: usize,
        #[arg(long, default_value_t = 1e-4)]
        encoder_lr: f64,
        #[arg(long, default_value_t = 2e-3)]
        head_lr: f64,
        #[arg(long, default_value_t = 0.05)]
        warmup: f64,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Train on at most this many sentences (0 = all).
        #[arg(long, default_value_t = 0)]
        limit: usize,
        #[arg(long, default_value_t = 2)]
        threads: i32,
        /// Weight of the NER loss (the syntax losses weigh 1 each).
        #[arg(long, default_value_t = 1.0)]
        ner_weight: f64,
        /// Train the character-aware NER head (see train-ner) jointly with the encoder.
        #[arg(long)]
        ner_head: bool,
    },
    /// Train a NER head on the frozen encoder of a jointly trained model (second phase).
    TrainNer {
        #[arg(long, default_value = "../shared/data")]
        data: PathBuf,
        #[arg(long, default_value = "models/whosaid.safetensors")]
        out: PathBuf,
        #[arg(long, default_value_t = 12)]
        epochs: usize,
        #[arg(long, default_value_t = 32)]
        batch_size: usize,
        #[arg(long, default_value_t = 1e-3)]
        lr: f64,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        #[arg(long, default_value_t = 2)]
        threads: i32,
        #[arg(long, default_value_t = 256)]
        hidden: i64,
        #[arg(long, default_value_t = 2)]
        layers: i64,
        #[arg(long, default_value_t = 0.3)]
        dropout: f64,
    },
    /// Measure the int8 calibration (input ranges of the encoder's linear layers) of the model
    /// on training text and write it into the model's JSON (`train` does this at its end).
    Calibrate {
        #[arg(long, default_value = "../shared/data")]
        data: PathBuf,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum EvalWhat {
    Sentences,
    Model,
    Quotes,
    Actions,
}

/// Where the repo's models and set-up dependencies are: `WHOSAID_HOME`, else the source tree.
fn home() -> PathBuf {
    std::env::var_os("WHOSAID_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

fn model_config(cli_model: &Option<PathBuf>, precision: PrecisionArg) -> ModelConfig {
    let mut cfg = ModelConfig::default_paths(&home());
    if let Some(m) = cli_model {
        cfg.weights = Some(m.clone());
    }
    match precision {
        PrecisionArg::Int8 => cfg.precision = Precision::Int8,
        PrecisionArg::F32 => cfg.precision = Precision::F32,
        PrecisionArg::Bf16 => cfg.precision = Precision::Bf16,
        PrecisionArg::Fbgemm => cfg.precision = Precision::Fbgemm,
    }
    cfg
}

fn default_ner_head() -> whosaid::model::heads::NerHeadConfig {
    whosaid::model::heads::NerHeadConfig {
        char_dim: 32,
        char_filters: 64,
        hidden: 256,
        layers: 2,
        dropout: 0.3,
    }
}

fn threads(n: Option<usize>) -> usize {
    n.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    })
}

fn read_text(path: &Path) -> Result<String> {
    whosaid::input::read_article(path, u64::MAX).with_context(|| format!("{}", path.display()))
}

fn kinds(k: &[Kinds]) -> Vec<ClaimKind> {
    use ClaimKind::*;
    let mut out = Vec::new();
    for k in k {
        out.extend(match k {
            Kinds::All => vec![],
            Kinds::Quotes => vec![DirectQuote, IndirectQuote, MixedQuote],
            Kinds::Actions => vec![Action],
            Kinds::Direct => vec![DirectQuote],
            Kinds::Indirect => vec![IndirectQuote],
            Kinds::Mixed => vec![MixedQuote],
        });
    }
    if k.contains(&Kinds::All) {
        out.clear();
    }
    out
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match real_main(cli) {
        Ok(code) => code,
        Err(e) => {
            // A closed pipe (`| head`) is not an error worth a message.
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("whosaid: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn real_main(cli: Cli) -> Result<ExitCode> {
    let mcfg = model_config(&cli.model, cli.precision);
    // libtorch's own pool, capped so it never oversubscribes the cores (run sets it per --threads)
    tch::set_num_threads(threads(None) as i32);
    match cli.command {
        Command::Run {
            inputs,
            output,
            format,
            ext,
            threads: n,
            kinds: k,
            include_agentless,
            actions_in_quotes,
            max_mb,
            quiet,
        } => {
            let n = threads(n);
            tch::set_num_threads(n as i32);
            let (articles, missing) = whosaid::input::discover(&inputs, &ext);
            for (p, e) in &missing {
                eprintln!("whosaid: {p}: {e}");
            }
            let pipeline = Pipeline::new(
                mcfg,
                RuleOptions {
                    include_agentless,
                    actions_in_quotes,
                },
            )
            .context("loading the model (run scripts/setup.sh if it is not set up)")?;
            let opts = RunOptions {
                threads: n,
                format,
                progress: !quiet && std::io::stderr().is_terminal(),
                max_bytes: (max_mb * 1e6) as u64,
                kinds: kinds(&k),
            };
            let stats = match output.as_deref() {
                None => run_to(&pipeline, &articles, std::io::stdout().lock(), &opts)?,
                Some(p) if p == Path::new("-") => {
                    run_to(&pipeline, &articles, std::io::stdout().lock(), &opts)?
                }
                Some(p) => {
                    // Written beside the target and renamed at the end: never a half-written CSV.
                    let dir = p
                        .parent()
                        .filter(|d| !d.as_os_str().is_empty())
                        .unwrap_or(Path::new("."));
                    let tmp = tempfile::NamedTempFile::new_in(dir)
                        .with_context(|| format!("creating a file in {}", dir.display()))?;
                    let (stats, w) = whosaid::pipeline::run(
                        &pipeline,
                        &articles,
                        std::io::BufWriter::new(tmp),
                        &opts,
                    )?;
                    let tmp = w.into_inner().map_err(|e| e.into_error())?;
                    tmp.persist(p)
                        .with_context(|| format!("writing {}", p.display()))?;
                    stats
                }
            };
            let failed = stats.failed + missing.len();
            if !quiet {
                eprintln!(
                    "whosaid: {} articles, {} rows{}",
                    stats.articles,
                    stats.rows,
                    if failed > 0 {
                        format!(", {failed} failed")
                    } else {
                        String::new()
                    }
                );
            }
            Ok(if failed > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Sentences { file } => {
            let doc = Pipeline::text_only().process(read_text(&file)?)?;
            let spans: Vec<_> = doc.sentences.iter().map(|s| s.span).collect();
            print_spans(&doc, &spans)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Tokens { file } => {
            let doc = Pipeline::text_only().process(read_text(&file)?)?;
            let spans: Vec<_> = doc.tokens.iter().map(|t| t.span).collect();
            print_spans(&doc, &spans)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Entities { file } => {
            let text = read_text(&file)?;
            let doc = Pipeline::new(mcfg, RuleOptions::default())?.process(text)?;
            let idx = whosaid::span::CharIndex::new(&doc.text);
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            for e in &doc.entities {
                let (a, b) = idx.span(e.span);
                writeln!(
                    out,
                    "{a}\t{b}\t{}\t{}",
                    e.ty.as_str(),
                    flat(doc.slice(e.span))
                )?;
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Parse { file, pretokenized } => {
            let text = read_text(&file)?;
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            whosaid::eval::parse_output::write_conllu(&mcfg, &text, pretokenized, &mut out)?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Check {
            labels,
            min_f1,
            quiet,
        } => {
            let files = whosaid::check::label_files(&labels);
            if files.is_empty() {
                bail!("no label files found in {:?}", labels);
            }
            let mut cases = Vec::new();
            for f in &files {
                cases.extend(whosaid::check::read_labels(f)?);
            }
            let pipeline = Pipeline::new(mcfg, RuleOptions::default())?;
            let report = whosaid::check::check(&pipeline, &cases);
            if !quiet {
                for d in &report.diffs {
                    println!("{d}");
                }
            }
            print!("{}", report.summary());
            let ok = match min_f1 {
                Some(x) => report.total().f1() >= x,
                None => report.failed_cases == 0,
            };
            Ok(if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Eval { what, data } => {
            match what {
                EvalWhat::Sentences => {
                    println!(
                        "GUM dev  sentence boundaries: {}",
                        whosaid::eval::sentences::eval_gum_dev(&data)?
                    );
                    println!(
                        "EWT dev  sentence boundaries: {}",
                        whosaid::eval::sentences::eval_ewt_dev(&data)?
                    );
                }
                EvalWhat::Model => {
                    let model = whosaid::model::Model::load(mcfg, None)?;
                    tch::set_num_threads(threads(None) as i32);
                    let dev = whosaid::train::DevSets::load(&data)?;
                    let (ewt, gum) = whosaid::train::dev_scores(&model, &dev)?;
                    whosaid::train::print_scores("EWT dev", &ewt);
                    whosaid::train::print_scores("GUM dev", &gum);
                }
                EvalWhat::Quotes => {
                    let pipeline = Pipeline::new(mcfg, RuleOptions::default())?;
                    let r = whosaid::eval::quotes::evaluate(&pipeline, &data)?;
                    print!("{r}");
                }
                EvalWhat::Actions => {
                    let model = whosaid::model::Model::load(mcfg, None)?;
                    let r = whosaid::eval::actions::evaluate(&model, &data)?;
                    print!("{r}");
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench {
            inputs,
            threads: n,
            repeat,
        } => {
            let n = threads(n);
            tch::set_num_threads(n as i32);
            let (articles, _) = whosaid::input::discover(&inputs, &["txt".to_string()]);
            let t0 = std::time::Instant::now();
            let precision = mcfg.precision;
            let pipeline = Pipeline::new(mcfg, RuleOptions::default())?;
            let load = t0.elapsed().as_secs_f64();
            let opts = RunOptions {
                threads: n,
                format: Format::Csv,
                progress: false,
                max_bytes: 50_000_000,
                kinds: vec![],
            };
            let t1 = std::time::Instant::now();
            // One run over the folder repeated, as one run over a folder that size would go.
            let repeated: Vec<_> = (0..repeat.max(1)).flat_map(|_| articles.clone()).collect();
            let (stats, _) = whosaid::pipeline::run(&pipeline, &repeated, std::io::sink(), &opts)?;
            let (words, rows, arts) = (stats.words, stats.rows, stats.articles);
            let secs = t1.elapsed().as_secs_f64();
            println!("articles        {arts}");
            println!("words           {words}");
            println!("rows            {rows}");
            println!("threads         {n}");
            println!("precision       {precision:?}");
            println!("model load      {load:.2} s");
            println!("processing      {secs:.2} s");
            println!("words/second    {:.0}", words as f64 / secs);
            println!("peak RSS        {:.0} MiB", peak_rss_mib());
            Ok(ExitCode::SUCCESS)
        }
        Command::Train {
            data,
            out,
            epochs,
            batch_size,
            encoder_lr,
            head_lr,
            warmup,
            seed,
            limit,
            threads,
            ner_weight,
            ner_head,
        } => {
            whosaid::train::train(&whosaid::train::TrainConfig {
                ner_weight,
                ner_head: ner_head.then(default_ner_head),
                data,
                encoder_dir: mcfg.encoder_dir,
                out,
                epochs,
                batch_size,
                encoder_lr,
                head_lr,
                warmup,
                seed,
                limit,
                threads,
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::TrainNer {
            data,
            out,
            epochs,
            batch_size,
            lr,
            seed,
            threads,
            hidden,
            layers,
            dropout,
        } => {
            whosaid::train::ner::train_ner(&whosaid::train::ner::NerTrainConfig {
                data,
                model: mcfg.weights.context("no model weights given")?,
                out,
                encoder_dir: mcfg.encoder_dir,
                epochs,
                batch_size,
                lr,
                seed,
                threads,
                head: whosaid::model::heads::NerHeadConfig {
                    hidden,
                    layers,
                    dropout,
                    ..default_ner_head()
                },
            })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Calibrate { data } => {
            let weights = mcfg.weights.context("no model weights given")?;
            whosaid::train::calibrate(&data, &mcfg.encoder_dir, &weights)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `start<TAB>end<TAB>text` per span, offsets in Unicode scalar values.
fn print_spans(doc: &whosaid::document::Document, spans: &[whosaid::span::Span]) -> Result<()> {
    let idx = whosaid::span::CharIndex::new(&doc.text);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for &s in spans {
        let (a, b) = idx.span(s);
        writeln!(out, "{a}\t{b}\t{}", flat(doc.slice(s)))?;
    }
    out.flush()?;
    Ok(())
}

/// Tabs and newlines inside a text printed as spaces, for one-line-per-item output.
fn flat(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

/// Peak resident set size of this process (Linux `VmHWM`).
fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

fn run_to<W: Write>(
    pipeline: &Pipeline,
    articles: &[whosaid::input::Article],
    out: W,
    opts: &RunOptions,
) -> Result<whosaid::pipeline::RunStats> {
    let (stats, mut w) = whosaid::pipeline::run(pipeline, articles, out, opts)?;
    w.flush()?;
    Ok(stats)
}
