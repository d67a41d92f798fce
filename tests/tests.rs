//! Integration tests: the `whosaid` binary on crafted inputs, the corpus, the labelled
//! sentences and the dev sets. They use the committed model (never train).

use std::path::PathBuf;
use std::process::{Command, Output};

fn whosaid() -> Command {
    Command::new(env!("CARGO_BIN_EXE_whosaid"))
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn data() -> Option<PathBuf> {
    let d = std::env::var_os("WHOSAID_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("../shared/data"));
    if d.exists() {
        Some(d)
    } else {
        eprintln!("skipping: no data at {}", d.display());
        None
    }
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("whosaid runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// Reads a CSV output into records (header first).
fn records(csv_text: &str) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv_text.as_bytes());
    r.records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

const HEADER: &str = "article,sentence,kind,who,entity,entity_type,verb,what,who_start,who_end,verb_start,verb_end,what_start,what_end";

#[test]
fn header_is_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("claims.csv");
    let o = run(whosaid()
        .args(["run", "--quiet", "-o"])
        .arg(&out)
        .arg(repo().join("corpus/ceasefire_talks.txt")));
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(text.lines().next().unwrap().trim_end(), HEADER);
}

#[test]
fn offsets_slice_the_original_text_in_unicode_scalars() {
    let path = repo().join("corpus/ceasefire_talks.txt");
    let text: Vec<char> = std::fs::read_to_string(&path).unwrap().chars().collect();
    let o = run(whosaid().args(["run", "--quiet"]).arg(&path));
    assert!(o.status.success(), "{}", stderr(&o));
    let recs = records(&stdout(&o));
    assert!(recs.len() > 5, "expected claims, got {}", recs.len());
    for r in &recs[1..] {
        for (field, (s, e)) in [(3, (8, 9)), (6, (10, 11)), (7, (12, 13))] {
            if r[s].is_empty() {
                assert!(r[field].is_empty());
                continue;
            }
            let (s, e): (usize, usize) = (r[s].parse().unwrap(), r[e].parse().unwrap());
            assert_eq!(text[s..e].iter().collect::<String>(), r[field], "row {r:?}");
        }
    }
}

#[test]
fn bad_inputs_are_reported_and_the_rest_goes_through() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("a_good.txt"), "“We will win,” Maria Lopez said.\n").unwrap();
    std::fs::write(d.join("b_empty.txt"), "").unwrap();
    std::fs::write(d.join("c_binary.txt"), b"\x7fELF\x00\x01\x02").unwrap();
    std::fs::write(d.join("d_latin1.txt"), b"caf\xe9 au lait").unwrap();
    let big = std::fs::File::create(d.join("e_huge.txt")).unwrap();
    big.set_len(50_000_000).unwrap();
    std::fs::write(
        d.join("f_unbalanced.txt"),
        "He said \"this never ends.\n\nAnd \u{201c}neither “does this.\n",
    )
    .unwrap();
    std::fs::write(
        d.join("g_good.txt"),
        "Tom Hanks said that the film was over.\n",
    )
    .unwrap();
    let out = d.join("out.csv");
    let o = run(whosaid().args(["run", "--quiet", "-o"]).arg(&out).arg(d));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    for (name, reason) in [
        ("b_empty.txt", "empty"),
        ("c_binary.txt", "binary"),
        ("d_latin1.txt", "UTF-8"),
        ("e_huge.txt", "too large"),
    ] {
        assert!(
            err.lines().any(|l| l.contains(name) && l.contains(reason)),
            "no error for {name}: {err}"
        );
    }
    assert!(!err.contains("f_unbalanced"), "{err}");
    let csv = std::fs::read_to_string(&out).unwrap();
    assert!(csv.contains("a_good.txt"), "{csv}");
    assert!(csv.contains("g_good.txt"), "{csv}");
    // missing input: named, still exit 1, still output
    let o = run(whosaid()
        .args(["run", "--quiet"])
        .arg(d.join("a_good.txt"))
        .arg(d.join("nope.txt")));
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("nope.txt"));
    assert!(stdout(&o).contains("a_good.txt"));
}

#[test]
fn output_is_identical_with_one_and_two_threads() {
    let corpus = repo().join("corpus");
    let one = run(whosaid()
        .args(["run", "--quiet", "--threads", "1"])
        .arg(&corpus));
    let two = run(whosaid()
        .args(["run", "--quiet", "--threads", "2"])
        .arg(&corpus));
    assert!(one.status.success() && two.status.success());
    assert_eq!(one.stdout, two.stdout);
    let recs = records(&stdout(&one));
    let articles: Vec<&str> = recs[1..].iter().map(|r| r[0].as_str()).collect();
    let mut sorted = articles.clone();
    sorted.sort();
    assert_eq!(articles, sorted, "rows in article order");
}

#[test]
fn jsonl_has_the_same_fields() {
    let o = run(whosaid()
        .args(["run", "--quiet", "--format", "jsonl"])
        .arg(repo().join("corpus/ceasefire_talks.txt")));
    assert!(o.status.success());
    let first = stdout(&o).lines().next().unwrap().to_string();
    let v: serde_json::Value = serde_json::from_str(&first).unwrap();
    for k in HEADER.split(',') {
        assert!(v.get(k).is_some(), "missing {k} in {first}");
    }
}

#[test]
fn kinds_option_selects_rows() {
    let path = repo().join("corpus/ceasefire_talks.txt");
    let o = run(whosaid()
        .args(["run", "--quiet", "--kinds", "quotes"])
        .arg(&path));
    let recs = records(&stdout(&o));
    assert!(recs.len() > 1);
    assert!(recs[1..].iter().all(|r| r[2].ends_with("_quote")));
    let o = run(whosaid()
        .args(["run", "--quiet", "--kinds", "actions"])
        .arg(&path));
    let recs = records(&stdout(&o));
    assert!(recs.len() > 1);
    assert!(recs[1..].iter().all(|r| r[2] == "action"));
}

#[test]
fn sentences_and_tokens_print_scalar_offsets() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("t.txt");
    let text = "Zelensky’s «plan» was rejected.\tThe U.S. said: “No.”\n\nNew paragraph here.";
    std::fs::write(&p, text).unwrap();
    let chars: Vec<char> = text.chars().collect();
    for sub in ["sentences", "tokens"] {
        let o = run(whosaid().arg(sub).arg(&p));
        assert!(o.status.success());
        let lines: Vec<String> = stdout(&o).lines().map(String::from).collect();
        assert!(lines.len() >= 3);
        for l in lines {
            let f: Vec<&str> = l.splitn(3, '\t').collect();
            let (s, e): (usize, usize) = (f[0].parse().unwrap(), f[1].parse().unwrap());
            let got: String = chars[s..e].iter().collect();
            assert_eq!(got.replace(['\t', '\n'], " "), f[2]);
        }
    }
    let o = run(whosaid().arg("sentences").arg(&p));
    assert_eq!(stdout(&o).lines().count(), 3, "{}", stdout(&o));
}

#[test]
fn entities_map_to_their_text() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("e.txt");
    let text =
        "Ukraine’s Defense Minister, Rustem Umerov, met officials of the United Nations in Geneva.";
    std::fs::write(&p, text).unwrap();
    let o = run(whosaid().arg("entities").arg(&p));
    assert!(o.status.success(), "{}", stderr(&o));
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    for l in stdout(&o).lines() {
        let f: Vec<&str> = l.split('\t').collect();
        let (s, e): (usize, usize) = (f[0].parse().unwrap(), f[1].parse().unwrap());
        assert_eq!(chars[s..e].iter().collect::<String>(), f[3]);
        found.push((f[2].to_string(), f[3].to_string()));
    }
    assert!(
        found.contains(&("PER".into(), "Rustem Umerov".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&("LOC".into(), "Geneva".into())),
        "{found:?}"
    );
    // entity quality is measured by the dev evaluation; here the types come through
    assert!(found.iter().any(|(t, _)| t == "ORG"), "{found:?}");
}

#[test]
fn parse_gives_well_formed_trees_for_every_sentence() {
    let o = run(whosaid()
        .arg("parse")
        .arg(repo().join("corpus/ceasefire_talks.txt")));
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    let mut heads: Vec<usize> = Vec::new();
    let mut n_sent = 0;
    let check = |heads: &[usize]| {
        let n = heads.len();
        assert_eq!(
            heads.iter().filter(|&&h| h == 0).count(),
            1,
            "one root: {heads:?}"
        );
        for start in 1..=n {
            let mut cur = start;
            for _ in 0..=n {
                if cur == 0 {
                    break;
                }
                cur = heads[cur - 1];
            }
            assert_eq!(cur, 0, "cycle in {heads:?}");
        }
    };
    for line in text.lines() {
        if line.is_empty() {
            check(&heads);
            heads.clear();
            n_sent += 1;
        } else if !line.starts_with('#') {
            let f: Vec<&str> = line.split('\t').collect();
            assert_eq!(f.len(), 10);
            assert!(f[9].starts_with("Offsets="));
            heads.push(f[6].parse().unwrap());
        }
    }
    assert!(n_sent >= 14);
    // pre-tokenized input parses exactly the given tokens
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("pre.txt");
    std::fs::write(
        &p,
        "The talks have led to prisoner exchanges .\nHe said that it was n't over .\n",
    )
    .unwrap();
    let o = run(whosaid().args(["parse", "--pretokenized"]).arg(&p));
    let forms: Vec<String> = stdout(&o)
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').nth(1).unwrap().to_string())
        .collect();
    assert_eq!(
        forms.join(" "),
        "The talks have led to prisoner exchanges . He said that it was n't over ."
    );
}

#[test]
fn ceasefire_claims_have_the_right_speakers() {
    let o = run(whosaid()
        .args(["run", "--quiet", "--kinds", "quotes"])
        .arg(repo().join("corpus/ceasefire_talks.txt")));
    let recs = records(&stdout(&o));
    let rows: Vec<(String, String, String)> = recs[1..]
        .iter()
        .map(|r| (r[4].clone(), r[6].clone(), r[7].clone()))
        .collect();
    let expect = [
        (
            "Rustem Umerov",
            "announced",
            "the next phase of negotiations",
        ),
        (
            "Rustem Umerov",
            "emphasized",
            "the next stage must include top-level dialogue",
        ),
        (
            "Rustem Umerov",
            "stating",
            "the Kremlin is avoiding meaningful peace",
        ),
        (
            "Donald Trump",
            "suggested",
            "he is monitoring the peace process closely",
        ),
        ("Donald Trump", "warned", "the U.S. response could change"),
        (
            "Rustem Umerov",
            "stated",
            "Ukraine remains committed to its pursuit of peace",
        ),
        (
            "Rustem Umerov",
            "stressed",
            "Ukraine has always supported the U.S. initiative",
        ),
    ];
    let mut missing = Vec::new();
    for (who, verb, what) in expect {
        let ok = rows.iter().any(|(e, v, w)| {
            (e == who || who == "Donald Trump" && e == "Trump") && v == verb && w.contains(what)
        });
        if !ok {
            missing.push((who, verb, what));
        }
    }
    assert!(missing.is_empty(), "missing {missing:?}\nin {rows:#?}");
}

#[test]
fn ceasefire_actions_have_resolved_agents() {
    let o = run(whosaid()
        .args(["run", "--quiet", "--kinds", "actions"])
        .arg(repo().join("corpus/ceasefire_talks.txt")));
    let recs = records(&stdout(&o));
    let rows: Vec<(String, String, String, String)> = recs[1..]
        .iter()
        .map(|r| (r[3].clone(), r[4].clone(), r[6].clone(), r[7].clone()))
        .collect();
    let expect = [
        ("Ukraine", "has accepted", "a U.S.-proposed full ceasefire"),
        ("Russia", "has rejected", "the proposal"),
        (
            "Zelensky",
            "criticized",
            "Moscow’s limited ceasefire offers",
        ),
        ("The talks", "have led", "prisoner exchanges"),
        ("the U.S.", "initiated", "a multi-stage negotiation process"),
        ("Russia", "rejecting", "U.S.-proposed terms"),
    ];
    let mut missing = Vec::new();
    for (who, verb, what) in expect {
        let ok = rows.iter().any(|(w, _, v, o)| {
            w.ends_with(who)
                && v.contains(verb.split(' ').next_back().unwrap())
                && o.starts_with(what)
        });
        if !ok {
            missing.push((who, verb, what));
        }
    }
    assert!(missing.is_empty(), "missing {missing:?}\nin {rows:#?}");
    let zel = rows
        .iter()
        .find(|r| r.0 == "Zelensky")
        .expect("a Zelensky row");
    assert_eq!(zel.1, "Volodymyr Zelensky");
}

/// The labelled regression corpus: every label holds except the ids listed, with the reason,
/// in `corpus/labelled/known_failures.list`; a newly failing id fails this test, and so does a
/// listed id that now passes (so the list only shrinks).
#[test]
fn labelled_corpus_has_no_regressions() {
    let o = run(whosaid()
        .args(["check"])
        .arg(repo().join("corpus/labelled")));
    let out = stdout(&o);
    let known: Vec<String> =
        std::fs::read_to_string(repo().join("corpus/labelled/known_failures.list"))
            .unwrap_or_default()
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|l| l.split_whitespace().next().unwrap().to_string())
            .collect();
    let failing: Vec<String> = out
        .lines()
        .filter(|l| !l.starts_with(' ') && l.contains(" (") && l.contains(".csv:"))
        .map(|l| l.split(' ').next().unwrap().to_string())
        .collect();
    let new: Vec<&String> = failing.iter().filter(|f| !known.contains(f)).collect();
    let fixed: Vec<&String> = known.iter().filter(|k| !failing.contains(k)).collect();
    assert!(new.is_empty(), "labels that now fail: {new:?}\n{out}");
    assert!(
        fixed.is_empty(),
        "labels that now pass: remove them from known_failures.list: {fixed:?}"
    );
}

#[test]
fn check_fails_with_a_diff_when_a_label_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("l.csv");
    std::fs::write(&p, "id,text,kind,who,entity,verb,what\nq1,\"“We will win,” Maria Lopez said.\",direct_quote,Maria Lopez,Maria Lopez,said,We will win\n").unwrap();
    let o = run(whosaid().arg("check").arg(&p));
    assert!(o.status.success(), "{}", stdout(&o));
    std::fs::write(&p, "id,text,kind,who,entity,verb,what\nq1,\"“We will win,” Maria Lopez said.\",direct_quote,Maria Lopez,Maria Lopez,said,We will lose\n").unwrap();
    let o = run(whosaid().arg("check").arg(&p));
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.contains("- expected direct_quote") && out.contains("We will lose"),
        "{out}"
    );
    assert!(
        out.contains("+ got      direct_quote") && out.contains("We will win"),
        "{out}"
    );
    std::fs::write(
        &p,
        "id,text,kind,who,entity,verb,what\nq1,text,speech,,,,\n",
    )
    .unwrap();
    let o = run(whosaid().arg("check").arg(&p));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("l.csv:2"), "{}", stderr(&o));
}

/// `whosaid eval WHAT` on ../shared/data, checked to succeed; `None` without the data.
fn eval(what: &str) -> Option<Output> {
    let data = data()?;
    let o = run(whosaid().args(["eval", what, "--data"]).arg(&data));
    assert!(o.status.success(), "{}", stderr(&o));
    Some(o)
}

#[test]
fn model_dev_scores_hold() {
    let Some(o) = eval("model") else { return };
    let err = stderr(&o);
    let score = |set: &str, key: &str| -> f64 {
        let line = err.lines().find(|l| l.contains(set)).unwrap();
        let i = line.find(key).unwrap() + key.len();
        line[i..]
            .split_whitespace()
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    // floors a little under the scores in models/README.md
    for (set, key, floor) in FLOORS {
        let s = score(set, key);
        assert!(s >= *floor, "{set} {key} {s} < {floor}\n{err}");
    }
}

/// (dev set, score, floor): floors a little under the reported dev scores (models/README.md).
const FLOORS: &[(&str, &str, f64)] = &[
    ("EWT dev", "UPOS ", 0.96),
    ("EWT dev", "UAS ", 0.91),
    ("EWT dev", "LAS ", 0.88),
    ("EWT dev", "F1 ", 0.72),
    ("GUM dev", "UPOS ", 0.97),
    ("GUM dev", "UAS ", 0.90),
    ("GUM dev", "LAS ", 0.88),
    ("GUM dev", "F1 ", 0.66),
];

#[test]
fn quote_eval_runs_and_holds_its_floor() {
    let Some(o) = eval("quotes") else { return };
    let out = stdout(&o);
    let all = out.lines().find(|l| l.starts_with("all")).unwrap();
    let f: Vec<&str> = all.split_whitespace().collect();
    let f1: f64 = f[5].parse().unwrap();
    assert!(f1 >= QUOTE_F1_FLOOR, "{out}");
}

const QUOTE_F1_FLOOR: f64 = 0.64;

#[test]
fn action_eval_holds_its_floor() {
    let Some(o) = eval("actions") else { return };
    let out = stdout(&o);
    let line = out.lines().find(|l| l.starts_with("P ")).unwrap();
    let f1: f64 = line.split("F1 ").nth(1).unwrap().trim().parse().unwrap();
    assert!(f1 >= 0.82, "{out}");
}

fn model_with(precision: whosaid::model::Precision) -> Option<whosaid::model::Model> {
    let mut cfg = whosaid::model::ModelConfig::default_paths(&repo());
    if !cfg.encoder_dir.join("config.json").exists() {
        return None;
    }
    cfg.precision = precision;
    Some(whosaid::model::Model::load(cfg, None).unwrap())
}

const SENTENCES: &[&str] = &[
    "Ukraine 's defence minister Rustem Umerov said on Tuesday that the talks had made progress .",
    "He added that a ceasefire was not yet on the table .",
    "The meeting in Geneva was initiated by the U.S. , according to officials .",
    "Short one .",
];

fn words() -> Vec<Vec<&'static str>> {
    SENTENCES.iter().map(|s| s.split(' ').collect()).collect()
}

#[test]
fn inference_pass_matches_rust_bert() {
    use whosaid::model::Precision;
    let Some(model) = model_with(Precision::F32) else {
        return;
    };
    let fast = model.analyze(&words()).unwrap();
    let reference = model.for_training().analyze(&words()).unwrap();
    assert_eq!(fast, reference);
}

#[test]
fn int8_results_do_not_depend_on_batch_mates() {
    use whosaid::model::Precision;
    let Some(model) = model_with(Precision::Int8) else {
        return;
    };
    let together = model.analyze(&words()).unwrap();
    for (i, w) in words().into_iter().enumerate() {
        let alone = model.analyze(&[w]).unwrap();
        assert_eq!(alone[0], together[i], "sentence {i}");
    }
    // and stay close to f32: same heads for nearly every word
    let f32 = model_with(Precision::F32)
        .unwrap()
        .analyze(&words())
        .unwrap();
    let (same, all) = f32.iter().zip(&together).fold((0, 0), |(s, n), (a, b)| {
        let k = a.heads.iter().zip(&b.heads).filter(|(x, y)| x == y).count();
        (s + k, n + a.heads.len())
    });
    assert!(same * 10 >= all * 9, "{same}/{all} heads agree with f32");
}

/// The labelled texts (every `text` of `corpus/labelled/*.csv`) as one `.txt` file each in
/// `dir`, and all of them plus the corpus articles as one file `dir/../all.txt`.
fn labelled_and_corpus_texts(root: &std::path::Path) -> (PathBuf, PathBuf) {
    let dir = root.join("labelled");
    std::fs::create_dir_all(&dir).unwrap();
    let mut all = String::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo().join("corpus/labelled"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    files.sort();
    for f in &files {
        let mut r = csv::Reader::from_path(f).unwrap();
        let text_col = r
            .headers()
            .unwrap()
            .iter()
            .position(|h| h == "text")
            .unwrap();
        for (i, rec) in r.records().enumerate() {
            let text = rec.unwrap()[text_col].to_string();
            let stem = f.file_stem().unwrap().to_string_lossy();
            std::fs::write(dir.join(format!("{stem}-{i:03}.txt")), &text).unwrap();
            all.push_str(&text);
            all.push_str("\n\n");
        }
    }
    let mut articles: Vec<PathBuf> = std::fs::read_dir(repo().join("corpus"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    articles.sort();
    for a in &articles {
        all.push_str(&std::fs::read_to_string(a).unwrap());
        all.push_str("\n\n");
    }
    let all_path = root.join("all.txt");
    std::fs::write(&all_path, all).unwrap();
    (dir, all_path)
}

/// The default (int8) path gives the same bits with the AVX2 kernels (where the CPU has them)
/// and with the portable ones forced: the CSV of the corpus and of the labelled texts, and
/// every tag, head and relation of their parse. This is what makes the rows the same on every
/// x86-64 CPU: the only code that differs by CPU is proved not to change a result. The thread
/// count is varied too (1 against 2).
#[test]
fn portable_and_avx2_kernels_give_identical_output() {
    let tmp = tempfile::tempdir().unwrap();
    let (labelled, all) = labelled_and_corpus_texts(tmp.path());
    // `run` takes --threads; `parse` runs in rayon's global pool, sized by RAYON_NUM_THREADS.
    let go = |portable: bool, threads: &str, args: &[&std::ffi::OsStr]| {
        let mut cmd = whosaid();
        cmd.env_remove("WHOSAID_PORTABLE_KERNELS")
            .env("RAYON_NUM_THREADS", threads);
        if portable {
            cmd.env("WHOSAID_PORTABLE_KERNELS", "1");
        }
        cmd.args(args);
        if args[0] == "run" {
            cmd.args(["--threads", threads]);
        }
        let o = run(&mut cmd);
        assert!(o.status.success(), "{}", stderr(&o));
        o.stdout
    };
    let corpus = repo().join("corpus");
    for input in [corpus.as_os_str(), labelled.as_os_str()] {
        let args = ["run".as_ref(), "--quiet".as_ref(), input];
        let native = go(false, "2", &args);
        assert!(records(&String::from_utf8_lossy(&native)).len() > 20);
        let portable = go(true, "1", &args);
        assert!(
            native == portable,
            "{}",
            first_differences(&native, &portable)
        );
    }
    let args = ["parse".as_ref(), all.as_os_str()];
    let native = go(false, "2", &args);
    let portable = go(true, "1", &args);
    assert!(native.len() > 10_000);
    assert!(
        native == portable,
        "{}",
        first_differences(&native, &portable)
    );
}

/// The first lines where `want` and `got` differ, numbered, for a readable failure.
fn first_differences(want: &[u8], got: &[u8]) -> String {
    let (want, got) = (String::from_utf8_lossy(want), String::from_utf8_lossy(got));
    let (w, g): (Vec<&str>, Vec<&str>) = (want.lines().collect(), got.lines().collect());
    let mut out = format!(
        "{} lines expected, {} got; first differences:\n",
        w.len(),
        g.len()
    );
    let mut shown = 0;
    for i in 0..w.len().max(g.len()) {
        let (a, b) = (w.get(i).copied(), g.get(i).copied());
        if a != b {
            out += &format!(
                "line {}:\n  expected {}\n  got      {}\n",
                i + 1,
                a.unwrap_or("<none>"),
                b.unwrap_or("<none>")
            );
            shown += 1;
            if shown == 5 {
                break;
            }
        }
    }
    out
}

/// The default output of `whosaid run corpus`, committed in `tests/golden/corpus.csv`: fails
/// when it changes, on any machine. After a deliberate change (model, rules), regenerate it with
/// `whosaid run corpus -o tests/golden/corpus.csv` and review the diff.
#[test]
fn corpus_output_matches_the_golden_file() {
    let o = run(whosaid()
        .args(["run", "--quiet"])
        .arg(repo().join("corpus")));
    assert!(o.status.success(), "{}", stderr(&o));
    let golden = std::fs::read(repo().join("tests/golden/corpus.csv")).unwrap();
    assert!(
        o.stdout == golden,
        "the corpus output differs from tests/golden/corpus.csv (regenerate it if the change \
         is deliberate): {}",
        first_differences(&golden, &o.stdout)
    );
}
