//! The `whosaid` command line: parses arguments into one struct per subcommand, calls the
//! library, and turns the outcome into an exit code.

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use whosaid::document::{ClaimKind, Document};
use whosaid::input::{InputFormat, Unit};
use whosaid::model::{ModelConfig, Precision, FAST_WEIGHTS};
use whosaid::output::target::Output;
use whosaid::output::{Format, RowFormat};
use whosaid::pipeline::{Pipeline, RunOptions, RunStats};
use whosaid::stage::RuleOptions;

const EXIT_CODES: &str = "\
Exit codes:
  0    every article (or label) went through
  1    some article could not be read or processed (each named on stderr; the others are
       written), or `check` found a failed label
  2    usage or set-up error (bad option, model not set up, output not writable): nothing run
  130  interrupted (SIGINT); 143 terminated (SIGTERM): `-o FILE` is left as it was";

#[derive(Parser)]
#[command(
    name = "whosaid",
    version,
    about = "Who said what and who did what in news articles, as one CSV",
    after_help = EXIT_CODES
)]
struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

/// Options of every subcommand.
#[derive(Args)]
struct GlobalArgs {
    /// The model: `accurate` (the default, 6 encoder layers), `fast` (the distilled 3-layer
    /// student beside it: more words a second, a little less accurate; the README gives both
    /// models' figures), or the path of trained weights (.safetensors, its .json beside it).
    #[arg(long, global = true, env = "WHOSAID_MODEL")]
    model: Option<PathBuf>,
    /// How the model computes. int8 (default): our own kernels, int8 encoder linear layers
    /// with exact integer sums and f32 in a fixed order elsewhere: the same rows on every CPU.
    /// f32: libtorch f32. bf16: libtorch bf16 (fast only with avx512_bf16). fbgemm: libtorch's
    /// int8 linear layers. The three libtorch ones may give other rows on other CPUs.
    #[arg(long, global = true, value_enum, default_value = "int8")]
    precision: PrecisionArg,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq)]
enum PrecisionArg {
    Int8,
    F32,
    Bf16,
    Fbgemm,
}

#[derive(Subcommand)]
enum Command {
    /// Process articles (files and folders) into one CSV of claims and actions.
    #[command(after_help = EXIT_CODES)]
    Run(RunArgs),
    /// HTML pages of the claims: one article to `-o page.html`, or a folder of pages (paths
    /// mirrored) and `index.html` with `-o DIR`.
    #[command(after_help = EXIT_CODES)]
    Show(ShowArgs),
    /// Print sentences: start<TAB>end<TAB>text (Unicode scalar offsets).
    Sentences(FileArgs),
    /// Print tokens: start<TAB>end<TAB>text.
    Tokens(FileArgs),
    /// Print named entities: start<TAB>end<TAB>type<TAB>text.
    Entities(FileArgs),
    /// Print the dependency parse as CoNLL-U.
    Parse(ParseArgs),
    /// Check labelled sentences (CSV files or folders of them) against the pipeline.
    Check(CheckArgs),
    /// Evaluate on the dev splits of ../shared/data.
    Eval(EvalArgs),
    /// Throughput (whitespace words/s) and peak memory of the whole pipeline on a folder
    /// (scripts/bench.sh puts it next to spaCy at equal cores).
    Bench(BenchArgs),
    /// Train the model heads (and fine-tune the encoder) from ../shared/data.
    #[cfg(feature = "torch")]
    Train(whosaid::train::TrainConfig),
    /// Train a NER head on the frozen encoder of a jointly trained model (second phase).
    #[cfg(feature = "torch")]
    TrainNer(whosaid::train::ner::NerTrainConfig),
    /// Measure the int8 calibration (input ranges of the encoder's linear layers) of the model
    /// on training text and write it into the model's JSON (`train` does this at its end).
    #[cfg(feature = "torch")]
    Calibrate(DataArgs),
    /// Train the model heads: needs the full build (libtorch), not this lean one.
    #[cfg(not(feature = "torch"))]
    Train(FullBuildOnly),
    /// Train a NER head: needs the full build (libtorch), not this lean one.
    #[cfg(not(feature = "torch"))]
    TrainNer(FullBuildOnly),
    /// Measure the int8 calibration: needs the full build (libtorch), not this lean one.
    #[cfg(not(feature = "torch"))]
    Calibrate(FullBuildOnly),
}

/// The arguments of a command the lean build lacks, taken as they come (it exits 2 anyway).
#[cfg(not(feature = "torch"))]
#[derive(Args)]
struct FullBuildOnly {
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
    _args: Vec<String>,
}

/// Which articles, and how many at once: shared by the commands that process folders.
#[derive(Args)]
struct InputArgs {
    /// Files and folders (walked recursively).
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// File extensions taken from folders, comma-separated.
    #[arg(long, default_value = "txt", value_delimiter = ',')]
    ext: Vec<String>,
    /// Worker threads (default: all cores). Output never depends on it.
    #[arg(long)]
    threads: Option<usize>,
    /// Largest article read, in MB.
    #[arg(long, default_value_t = 10.0)]
    max_mb: f64,
}

/// What the rule stages emit and which rows are written.
#[derive(Args)]
struct RuleArgs {
    /// Which kinds of rows to write, comma-separated.
    #[arg(long, value_enum, default_value = "all", value_delimiter = ',')]
    kinds: Vec<Kinds>,
    /// Also emit agentless passives (`sanctions have been imposed`) with an empty who.
    #[arg(long)]
    include_agentless: bool,
    /// Also emit actions inside quoted or reported content.
    #[arg(long)]
    actions_in_quotes: bool,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq)]
enum Kinds {
    All,
    /// Reported speech: direct, indirect and mixed quotes.
    Quotes,
    /// Every kind but actions: speech, beliefs, evidence and speech acts.
    Claims,
    Beliefs,
    Evidence,
    /// Reports of a speech act with a noun-phrase content (`X criticized the plan`).
    #[value(name = "speech_acts")]
    SpeechActs,
    Actions,
    Direct,
    Indirect,
    Mixed,
}

#[derive(Args)]
struct RunArgs {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    rules: RuleArgs,
    /// Output file; `-` or absent for stdout (not for xlsx). A regular file is written under a
    /// temporary name and renamed at the end; a device or FIFO is written in place.
    #[arg(short, long, required_if_eq("format", "xlsx"))]
    output: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "csv")]
    format: Format,
    /// How inputs are read: text files and folders, or JSON Lines files (`-` for stdin) of
    /// `{"id": ..., "text": ...}` records, streamed (`article` = id).
    #[arg(long, value_enum, default_value = "text")]
    input_format: InputFormat,
    /// Also write each failed article as a JSON line (article, input, line, reason) to FILE.
    #[arg(long, value_name = "FILE")]
    errors: Option<PathBuf>,
    /// Articles read and batched together (memory grows with it). The model's batches, and so
    /// in rare cases its rounding, depend on which articles share a window: keep the default
    /// to compare runs.
    #[arg(long, default_value_t = whosaid::pipeline::WINDOW)]
    window: usize,
    /// CSV for Excel: a UTF-8 byte-order mark before the header (the rest unchanged).
    #[arg(long)]
    excel_csv: bool,
    /// No progress bar and no summary line.
    #[arg(short, long)]
    quiet: bool,
}

#[derive(Args)]
struct ShowArgs {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    rules: RuleArgs,
    /// A file ending in .html (one page, for one article) or a folder (a page per article
    /// and index.html).
    #[arg(short, long)]
    output: PathBuf,
    /// No summary line.
    #[arg(short, long)]
    quiet: bool,
}

#[derive(Args)]
struct FileArgs {
    file: PathBuf,
}

#[derive(Args)]
struct ParseArgs {
    file: PathBuf,
    /// One sentence per line, tokens separated by single spaces.
    #[arg(long)]
    pretokenized: bool,
}

#[derive(Args)]
struct CheckArgs {
    #[arg(required = true)]
    labels: Vec<PathBuf>,
    /// Pass when overall F1 reaches this, instead of requiring every label to hold.
    #[arg(long)]
    min_f1: Option<f64>,
    /// Print only the summary.
    #[arg(short, long)]
    quiet: bool,
}

#[derive(Args)]
struct DataArgs {
    #[arg(long, default_value = "../shared/data")]
    data: PathBuf,
}

#[derive(Args)]
struct EvalArgs {
    #[arg(value_enum)]
    what: EvalWhat,
    #[command(flatten)]
    data: DataArgs,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum EvalWhat {
    Sentences,
    Model,
    Quotes,
    Actions,
}

#[derive(Args)]
struct BenchArgs {
    inputs: Vec<PathBuf>,
    #[arg(long)]
    threads: Option<usize>,
    /// Process the inputs this many times.
    #[arg(long, default_value_t = 1)]
    repeat: usize,
    /// Also print the wall time of each stage and of the model's parts.
    #[arg(long)]
    profile: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match dispatch(cli) {
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

fn dispatch(cli: Cli) -> Result<ExitCode> {
    let model = cli.global.model_config();
    if cfg!(not(feature = "torch")) && model.precision != Precision::Int8 {
        return full_build_only(&format!("--precision {}", model.precision));
    }
    // libtorch's own pool, capped so it never oversubscribes the cores (run sets it per --threads)
    torch_threads(threads(None));
    match cli.command {
        Command::Run(args) => run(model, args),
        Command::Show(args) => show(model, args),
        Command::Sentences(a) => {
            print_layer(&a.file, |d| d.sentences.iter().map(|s| s.span).collect())
        }
        Command::Tokens(a) => print_layer(&a.file, |d| d.tokens.iter().map(|t| t.span).collect()),
        Command::Entities(a) => entities(model, &a.file),
        Command::Parse(a) => parse(model, a),
        Command::Check(a) => check(model, a),
        Command::Eval(a) => eval(model, a),
        Command::Bench(a) => bench(model, a),
        #[cfg(not(feature = "torch"))]
        Command::Train(_) => full_build_only("train"),
        #[cfg(not(feature = "torch"))]
        Command::TrainNer(_) => full_build_only("train-ner"),
        #[cfg(not(feature = "torch"))]
        Command::Calibrate(_) => full_build_only("calibrate"),
        #[cfg(feature = "torch")]
        Command::Train(mut cfg) => {
            cfg.encoder_dir = model.encoder_dir;
            whosaid::train::train(&cfg)?;
            Ok(ExitCode::SUCCESS)
        }
        #[cfg(feature = "torch")]
        Command::TrainNer(mut cfg) => {
            cfg.model = model.weights.context("no model weights given")?;
            cfg.encoder_dir = model.encoder_dir;
            whosaid::train::ner::train_ner(&cfg)?;
            Ok(ExitCode::SUCCESS)
        }
        #[cfg(feature = "torch")]
        Command::Calibrate(a) => {
            let weights = model.weights.context("no model weights given")?;
            whosaid::train::calibrate(&a.data, &model.encoder_dir, &weights)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// What the lean build (`--no-default-features`, no libtorch) says to what only the full
/// build does: a set-up error, exit 2, nothing run.
fn full_build_only(what: &str) -> Result<ExitCode> {
    eprintln!(
        "whosaid: {what} needs the full build, with libtorch (`cargo build --release`, the \
         default `torch` feature); this is the lean build (--no-default-features): int8 only"
    );
    Ok(ExitCode::from(2))
}

/// Caps libtorch's own thread pool (our kernels size theirs from rayon's).
#[cfg(feature = "torch")]
fn torch_threads(n: usize) {
    tch::set_num_threads(n as i32);
}

/// No libtorch in the lean build: nothing to cap.
#[cfg(not(feature = "torch"))]
fn torch_threads(_: usize) {}

impl GlobalArgs {
    fn model_config(&self) -> ModelConfig {
        let mut cfg = ModelConfig::default_paths(&home());
        match self.model.as_ref().and_then(|m| m.to_str()) {
            Some("accurate") => {}
            Some("fast") => cfg.weights = cfg.weights.map(|w| w.with_file_name(FAST_WEIGHTS)),
            _ => cfg.weights = self.model.clone().or(cfg.weights),
        }
        match self.precision {
            PrecisionArg::Int8 => cfg.precision = Precision::Int8,
            PrecisionArg::F32 => cfg.precision = Precision::F32,
            PrecisionArg::Bf16 => cfg.precision = Precision::Bf16,
            PrecisionArg::Fbgemm => cfg.precision = Precision::Fbgemm,
        }
        cfg
    }
}

impl RuleArgs {
    fn options(&self) -> RuleOptions {
        RuleOptions {
            include_agentless: self.include_agentless,
            actions_in_quotes: self.actions_in_quotes,
        }
    }

    /// The kinds written; empty for all.
    fn kinds(&self) -> Vec<ClaimKind> {
        use ClaimKind::*;
        if self.kinds.contains(&Kinds::All) {
            return Vec::new();
        }
        let mut out = Vec::new();
        for k in &self.kinds {
            out.extend(match k {
                Kinds::All => vec![],
                Kinds::Quotes => ClaimKind::ALL
                    .into_iter()
                    .filter(|k| k.is_quote())
                    .collect(),
                Kinds::Claims => ClaimKind::ALL
                    .into_iter()
                    .filter(|k| k.is_claim())
                    .collect(),
                Kinds::Beliefs => vec![Belief],
                Kinds::Evidence => vec![Evidence],
                Kinds::SpeechActs => vec![SpeechAct],
                Kinds::Actions => vec![Action],
                Kinds::Direct => vec![DirectQuote],
                Kinds::Indirect => vec![IndirectQuote],
                Kinds::Mixed => vec![MixedQuote],
            });
        }
        out
    }
}

/// The source tree this binary was built from; `WHOSAID_HOME` and an unpacked bundle come
/// first (`ModelConfig::default_paths`).
fn home() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn threads(n: Option<usize>) -> usize {
    n.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    })
}

fn load_pipeline(model: ModelConfig, rules: RuleOptions) -> Result<Pipeline> {
    Pipeline::new(model, rules)
        .context("loading the model (run scripts/setup.sh if it is not set up)")
}

/// What `run` processes: the articles under the inputs, or the records of JSONL inputs (read
/// as they are pulled). Inputs that are not there are named on stderr and in `log`, and counted.
fn units(args: &RunArgs, mut log: Option<&mut dyn Write>) -> Result<(Units, Option<usize>, usize)> {
    let input = &args.input;
    let (units, total, missing): (Units, _, _) = match args.input_format {
        InputFormat::Text => {
            let (articles, missing) = whosaid::input::discover(&input.inputs, &input.ext);
            let n = articles.len();
            (
                Box::new(articles.into_iter().map(Unit::File)),
                Some(n),
                missing,
            )
        }
        InputFormat::Jsonl => {
            let (units, missing) = whosaid::input::jsonl_units(&input.inputs, max_bytes(input));
            (units, None, missing)
        }
    };
    for (p, e) in &missing {
        eprintln!("whosaid: {p}: {e}");
        if let Some(log) = log.as_deref_mut() {
            let id = whosaid::input::ArticleId {
                name: None,
                input: p.clone(),
                line: None,
            };
            whosaid::pipeline::write_failure(log, &id, &e.to_string())?;
        }
    }
    Ok((units, total, missing.len()))
}

type Units = Box<dyn Iterator<Item = Unit>>;

fn max_bytes(input: &InputArgs) -> u64 {
    (input.max_mb * 1e6) as u64
}

fn run(model: ModelConfig, args: RunArgs) -> Result<ExitCode> {
    let format = RowFormat::new(args.format, args.excel_csv)?;
    if format == RowFormat::Xlsx && args.output.as_deref() == Some(Path::new("-")) {
        anyhow::bail!("--format xlsx writes a workbook file: give -o FILE.xlsx, not -");
    }
    let n = threads(args.input.threads);
    torch_threads(n);
    let mut log = match &args.errors {
        Some(p) => Some(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?,
        )),
        None => None,
    };
    let (units, total, missing) = units(&args, log.as_mut().map(|w| w as &mut dyn Write))?;
    let pipeline = load_pipeline(model, args.rules.options())?;
    let opts = RunOptions {
        threads: n,
        format,
        progress: !args.quiet && std::io::stderr().is_terminal(),
        max_bytes: max_bytes(&args.input),
        kinds: args.rules.kinds(),
        window: args.window,
    };
    let out = Output::create(args.output.as_deref())?;
    let errors = log.as_mut().map(|w| w as &mut dyn Write);
    let (stats, out) = whosaid::pipeline::run_units(&pipeline, units, total, out, &opts, errors)?;
    out.finish()?;
    if let Some(mut log) = log {
        log.flush()?;
    }
    let failed = stats.failed + missing;
    if !args.quiet {
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
    Ok(exit_code(failed == 0))
}

fn show(model: ModelConfig, args: ShowArgs) -> Result<ExitCode> {
    let n = threads(args.input.threads);
    torch_threads(n);
    let (articles, unread) = whosaid::input::discover(&args.input.inputs, &args.input.ext);
    for (p, e) in &unread {
        eprintln!("whosaid: {p}: {e}");
    }
    let unread: Vec<(String, String)> = unread
        .into_iter()
        .map(|(p, e)| (p, e.to_string()))
        .collect();
    let pipeline = load_pipeline(model, args.rules.options())?;
    let opts = whosaid::show::ShowOptions {
        threads: n,
        max_bytes: (args.input.max_mb * 1e6) as u64,
        kinds: args.rules.kinds(),
    };
    let target = whosaid::show::Target::for_path(&args.output);
    let stats = whosaid::show::show(&pipeline, &articles, &unread, &target, &opts)?;
    let failed = stats.failed + unread.len();
    if !args.quiet {
        eprintln!(
            "whosaid: {} articles, {} claims, {} pages in {}{}",
            stats.articles,
            stats.rows,
            stats.pages,
            args.output.display(),
            if failed > 0 {
                format!(", {failed} failed")
            } else {
                String::new()
            }
        );
    }
    Ok(exit_code(failed == 0))
}

fn exit_code(ok: bool) -> ExitCode {
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn read_text(path: &Path) -> Result<String> {
    whosaid::input::read_article(path, u64::MAX).with_context(|| format!("{}", path.display()))
}

/// `start<TAB>end<TAB>text` per span of a text-stage layer, offsets in Unicode scalar values.
fn print_layer(
    file: &Path,
    layer: impl Fn(&Document) -> Vec<whosaid::span::Span>,
) -> Result<ExitCode> {
    let doc = Pipeline::text_only().process(read_text(file)?)?;
    let idx = whosaid::span::CharIndex::new(&doc.text);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for s in layer(&doc) {
        let (a, b) = idx.span(s);
        writeln!(out, "{a}\t{b}\t{}", flat(doc.slice(s)))?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn entities(model: ModelConfig, file: &Path) -> Result<ExitCode> {
    let text = read_text(file)?;
    let doc = load_pipeline(model, RuleOptions::default())?.process(text)?;
    let idx = whosaid::span::CharIndex::new(&doc.text);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for e in &doc.entities {
        let (a, b) = idx.span(e.span);
        let text = flat(doc.slice(e.span));
        writeln!(out, "{a}\t{b}\t{}\t{text}", e.ty.as_str())?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn parse(model: ModelConfig, args: ParseArgs) -> Result<ExitCode> {
    let text = read_text(&args.file)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    whosaid::eval::parse_output::write_conllu(&model, &text, args.pretokenized, &mut out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn check(model: ModelConfig, args: CheckArgs) -> Result<ExitCode> {
    let files = whosaid::check::label_files(&args.labels);
    if files.is_empty() {
        bail!("no label files found in {:?}", args.labels);
    }
    let mut cases = Vec::new();
    for f in &files {
        cases.extend(whosaid::check::read_labels(f)?);
    }
    let pipeline = load_pipeline(model, RuleOptions::default())?;
    let report = whosaid::check::check(&pipeline, &cases);
    if !args.quiet {
        for d in &report.diffs {
            println!("{d}");
        }
    }
    print!("{}", report.summary());
    Ok(exit_code(match args.min_f1 {
        Some(x) => report.total().f1() >= x,
        None => report.failed_cases == 0,
    }))
}

fn eval(model: ModelConfig, args: EvalArgs) -> Result<ExitCode> {
    let data = &args.data.data;
    match args.what {
        EvalWhat::Sentences => {
            let gum = whosaid::eval::sentences::eval_gum_dev(data)?;
            println!("GUM dev  sentence boundaries: {gum}");
            let ewt = whosaid::eval::sentences::eval_ewt_dev(data)?;
            println!("EWT dev  sentence boundaries: {ewt}");
        }
        EvalWhat::Model => {
            let model = whosaid::model::Model::load(model, None)?;
            let dev = whosaid::train::DevSets::load(data)?;
            let (ewt, gum) = whosaid::train::dev_scores(&model, &dev)?;
            whosaid::train::print_scores("EWT dev", &ewt);
            whosaid::train::print_scores("GUM dev", &gum);
        }
        EvalWhat::Quotes => {
            let pipeline = load_pipeline(model, RuleOptions::default())?;
            print!("{}", whosaid::eval::quotes::evaluate(&pipeline, data)?);
        }
        EvalWhat::Actions => {
            let model = whosaid::model::Model::load(model, None)?;
            print!("{}", whosaid::eval::actions::evaluate(&model, data)?);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn bench(model: ModelConfig, args: BenchArgs) -> Result<ExitCode> {
    let n = threads(args.threads);
    torch_threads(n);
    if args.profile {
        whosaid::profile::enable();
    }
    let (articles, _) = whosaid::input::discover(&args.inputs, &["txt".to_string()]);
    // Words as scripts/bench.sh counts them for every pipeline: whitespace-separated, in the
    // input texts (not our tokens), so that words/s compares across tools.
    let words: usize = articles
        .iter()
        .filter_map(|a| std::fs::read_to_string(&a.path).ok())
        .map(|t| t.split_whitespace().count())
        .sum::<usize>()
        * args.repeat.max(1);
    let t0 = std::time::Instant::now();
    let precision = model.precision;
    let pipeline = load_pipeline(model, RuleOptions::default())?;
    let load = t0.elapsed().as_secs_f64();
    let opts = RunOptions {
        threads: n,
        format: RowFormat::Csv { bom: false },
        progress: false,
        max_bytes: 50_000_000,
        kinds: vec![],
        window: whosaid::pipeline::WINDOW,
    };
    let t1 = std::time::Instant::now();
    // One run over the folder repeated, as one run over a folder that size would go.
    let repeated: Vec<_> = (0..args.repeat.max(1))
        .flat_map(|_| articles.clone())
        .collect();
    let (stats, _) = whosaid::pipeline::run(&pipeline, &repeated, std::io::sink(), &opts)?;
    let secs = t1.elapsed().as_secs_f64();
    print_bench(&stats, words, n, precision, load, secs);
    if args.profile {
        print_profile(secs);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_bench(
    stats: &RunStats,
    words: usize,
    threads: usize,
    precision: Precision,
    load: f64,
    secs: f64,
) {
    println!("articles        {}", stats.articles);
    println!("words           {words} (whitespace-separated)");
    println!("tokens          {}", stats.words);
    println!("rows            {}", stats.rows);
    println!("threads         {threads}");
    println!("precision       {precision:?}");
    if precision == Precision::Int8 {
        println!(
            "kernels         {:?}",
            whosaid::model::kernels::Isa::current()
        );
    }
    println!("model load      {load:.2} s");
    println!("processing      {secs:.2} s");
    println!("words/second    {:.0}", words as f64 / secs);
    println!("articles/second {:.1}", stats.articles as f64 / secs);
    println!("peak RSS        {:.0} MiB", peak_rss_mib());
}

/// Seconds per profiled section and its share of the processing time. Stage names are plain;
/// the model's parts are `model.*` and run inside the `model` stage.
fn print_profile(secs: f64) {
    println!("profile         seconds   share   calls");
    for (name, s, calls) in whosaid::profile::report() {
        println!(
            "  {name:<22} {s:>7.3} {:>6.1}% {calls:>7}",
            100.0 * s / secs
        );
    }
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
