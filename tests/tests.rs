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

/// The shared data folder; `None` (a printed skip, or a failure in CI) when it is not there.
fn data() -> Option<PathBuf> {
    whosaid::testing::existing(&whosaid::testing::data_path())
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("whosaid runs")
}

/// Runs a command that must succeed: a failed run fails the test with its stderr, rather than
/// being read as an empty output.
fn run_ok(cmd: &mut Command) -> Output {
    let o = run(cmd);
    assert!(o.status.success(), "{:?}: {}", o.status, stderr(&o));
    o
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

/// A folder of the corpus articles plus `extra` files, for runs where one article misbehaves.
fn corpus_copy_with(extra: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(repo().join("corpus")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "txt") {
            std::fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
        }
    }
    for (name, text) in extra {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

/// Regression: this sentence panicked in the lemmatizer (a byte slice inside `₂`) and the
/// panic took the whole run down, writing no CSV at all.
#[test]
fn co2ed_no_longer_panics_the_lemmatizer() {
    let dir = corpus_copy_with(&[("co2.txt", "The plant CO₂ed the valley, officials said.\n")]);
    let o = run(whosaid().args(["run", "--quiet"]).arg(dir.path()));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("co2.txt,0,indirect_quote"),
        "{}",
        stdout(&o)
    );
}

/// One article that makes a stage panic costs that article only: named on stderr with the
/// stage, every other article's rows written in their place, exit 1, whatever the threads.
/// The fault is injected (`WHOSAID_TEST_FAULT`) into the batched model stage, whose whole
/// window fails and is re-run article by article, and into a per-article rule stage.
#[test]
fn one_failing_article_costs_only_itself() {
    let marker = "POISON-7f3a";
    let good = corpus_copy_with(&[]);
    let clean = run(whosaid().args(["run", "--quiet"]).arg(good.path()));
    assert!(clean.status.success(), "{}", stderr(&clean));
    let bad = corpus_copy_with(&[(
        "d_poison.txt",
        &format!("Officials said the {marker} plan was over.\n"),
    )]);
    for stage in ["model", "attribution"] {
        for threads in ["1", "2"] {
            let o = run(whosaid()
                .args(["run", "--quiet", "--threads", threads])
                .arg(bad.path())
                .env("WHOSAID_TEST_FAULT", format!("{stage}:{marker}")));
            assert_eq!(
                o.status.code(),
                Some(1),
                "{stage}/{threads}: {}",
                stderr(&o)
            );
            let err = stderr(&o);
            let lines: Vec<&str> = err.lines().collect();
            assert_eq!(lines.len(), 1, "one line for the one failure: {err}");
            assert!(
                lines[0].contains("d_poison.txt")
                    && lines[0].contains(&format!("{stage} stage panicked"))
                    && lines[0].contains("injected fault"),
                "{err}"
            );
            assert_eq!(
                stdout(&o),
                stdout(&clean),
                "{stage}/{threads}: rows lost or changed"
            );
        }
    }
}

/// `whosaid run -o FILE` killed mid-run (SIGTERM, SIGINT) exits 143 / 130, leaves FILE as it
/// was and no temporary file beside it.
#[test]
fn a_signal_mid_run_leaves_the_output_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let text = std::fs::read_to_string(repo().join("corpus/ceasefire_talks.txt")).unwrap();
    for i in 0..400 {
        std::fs::write(input.join(format!("a{i:03}.txt")), &text).unwrap();
    }
    let outdir = dir.path().join("out");
    std::fs::create_dir(&outdir).unwrap();
    let out = outdir.join("claims.csv");
    for (signal, code) in [(libc::SIGTERM, 143), (libc::SIGINT, 130)] {
        std::fs::write(&out, "old contents\n").unwrap();
        let mut child = whosaid()
            .args(["run", "--quiet", "-o"])
            .arg(&out)
            .arg(&input)
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Wait for the temporary file: the run is then writing.
        let started = std::time::Instant::now();
        while std::fs::read_dir(&outdir).unwrap().count() < 2 {
            assert!(
                started.elapsed().as_secs() < 120,
                "no temporary file appeared"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        std::thread::sleep(std::time::Duration::from_millis(300));
        unsafe { libc::kill(child.id() as i32, signal) };
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(code), "signal {signal}");
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "old contents\n");
        let left: Vec<_> = std::fs::read_dir(&outdir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            left,
            [std::ffi::OsString::from("claims.csv")],
            "signal {signal}"
        );
    }
}

/// `-o` onto a FIFO or a device writes into it and leaves it what it was (renaming a
/// temporary file over `/dev/null` once replaced a machine's null device with a file).
#[test]
fn output_onto_a_fifo_or_device_stays_a_fifo_or_device() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let article = repo().join("corpus/ceasefire_talks.txt");
    let fifo = dir.path().join("fifo");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let o = run(whosaid()
        .args(["run", "--quiet", "-o"])
        .arg(&fifo)
        .arg(&article));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(reader.join().unwrap().starts_with(HEADER));
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());

    if unsafe { libc::geteuid() } != 0 {
        eprintln!("SKIPPED character-device half of this test: mknod needs root");
        return;
    }
    let null = dir.path().join("null");
    let c = std::ffi::CString::new(null.to_str().unwrap()).unwrap();
    let dev = libc::makedev(1, 3);
    assert_eq!(
        unsafe { libc::mknod(c.as_ptr(), libc::S_IFCHR | 0o666, dev) },
        0
    );
    let o = run(whosaid()
        .args(["run", "--quiet", "-o"])
        .arg(&null)
        .arg(&article));
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::metadata(&null)
        .unwrap()
        .file_type()
        .is_char_device());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
}

/// Without `--threads` the pool follows the cores the process may use; with more cores than
/// articles, or one core only, the rows are the same.
#[test]
fn thread_count_never_changes_the_rows() {
    let article = repo().join("corpus/ceasefire_talks.txt");
    let default = run(whosaid().args(["run", "--quiet"]).arg(&article));
    let many = run(whosaid()
        .args(["run", "--quiet", "--threads", "16"])
        .arg(&article));
    let mut one_core = whosaid();
    one_core.args(["run", "--quiet"]).arg(&article);
    // SAFETY: sched_setaffinity on the child between fork and exec, no allocation.
    unsafe {
        use std::os::unix::process::CommandExt;
        one_core.pre_exec(|| {
            let mut set: libc::cpu_set_t = std::mem::zeroed();
            libc::CPU_SET(0, &mut set);
            libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set);
            Ok(())
        });
    }
    let one = run(&mut one_core);
    for o in [&default, &many, &one] {
        assert!(o.status.success(), "{}", stderr(o));
    }
    assert_eq!(default.stdout, many.stdout);
    assert_eq!(default.stdout, one.stdout);
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

/// Beliefs and evidence come out of the rules (issue 17), in CSV and JSON Lines alike.
#[test]
fn beliefs_and_evidence_are_written_in_csv_and_jsonl() {
    let path = repo().join("corpus/gum_warming.txt");
    let args = ["run", "--quiet", "--kinds", "beliefs,evidence"];
    let csv = records(&stdout(&run_ok(whosaid().args(args).arg(&path))));
    let kinds: Vec<&str> = csv[1..].iter().map(|r| r[2].as_str()).collect();
    assert!(
        kinds.contains(&"belief") && kinds.contains(&"evidence"),
        "{kinds:?}"
    );
    let evidence = csv[1..].iter().find(|r| r[2] == "evidence").unwrap();
    assert_eq!(
        (
            evidence[3].as_str(),
            evidence[4].as_str(),
            evidence[6].as_str()
        ),
        ("Results of NCLAN studies", "", "show"),
        "a document's rows have no entity"
    );
    let jsonl = stdout(&run_ok(
        whosaid().args(args).args(["--format", "jsonl"]).arg(&path),
    ));
    let from_jsonl: Vec<(String, String)> = jsonl
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v["kind"].as_str().unwrap().into(),
                v["what"].as_str().unwrap().into(),
            )
        })
        .collect();
    let from_csv: Vec<(String, String)> = csv[1..]
        .iter()
        .map(|r| (r[2].clone(), r[7].clone()))
        .collect();
    assert_eq!(from_jsonl, from_csv);
}

#[test]
fn kinds_option_selects_rows() {
    let path = repo().join("corpus/ceasefire_talks.txt");
    let o = run_ok(
        whosaid()
            .args(["run", "--quiet", "--kinds", "quotes"])
            .arg(&path),
    );
    let recs = records(&stdout(&o));
    assert!(recs.len() > 1);
    assert!(recs[1..].iter().all(|r| r[2].ends_with("_quote")));
    let o = run_ok(
        whosaid()
            .args(["run", "--quiet", "--kinds", "actions"])
            .arg(&path),
    );
    let recs = records(&stdout(&o));
    assert!(recs.len() > 1);
    assert!(recs[1..].iter().all(|r| r[2] == "action"));
}

#[test]
fn kinds_claims_keeps_every_non_action_row() {
    let path = repo().join("corpus/ceasefire_talks.txt");
    let all = records(&stdout(&run_ok(
        whosaid().args(["run", "--quiet"]).arg(&path),
    )));
    let claims = records(&stdout(&run_ok(
        whosaid()
            .args(["run", "--quiet", "--kinds", "claims"])
            .arg(&path),
    )));
    assert_eq!(claims[0], all[0], "header");
    let expected: Vec<_> = all[1..]
        .iter()
        .filter(|r| r[2] != "action")
        .cloned()
        .collect();
    assert!(!expected.is_empty());
    assert!(
        expected.len() < all.len() - 1,
        "the article has actions too"
    );
    assert_eq!(claims[1..].to_vec(), expected);
    // beliefs and evidence select exactly their own kinds, whatever the rules emit.
    let o = run_ok(
        whosaid()
            .args(["run", "--quiet", "--kinds", "beliefs,evidence"])
            .arg(&path),
    );
    let recs = records(&stdout(&o));
    assert_eq!(recs[0], all[0]);
    let be: Vec<_> = all[1..]
        .iter()
        .filter(|r| r[2] == "belief" || r[2] == "evidence")
        .cloned()
        .collect();
    assert_eq!(recs[1..].to_vec(), be);
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
    let o = run_ok(
        whosaid()
            .args(["run", "--quiet", "--kinds", "quotes"])
            .arg(repo().join("corpus/ceasefire_talks.txt")),
    );
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
    let o = run_ok(
        whosaid()
            .args(["run", "--quiet", "--kinds", "actions"])
            .arg(repo().join("corpus/ceasefire_talks.txt")),
    );
    let recs = records(&stdout(&o));
    let rows: Vec<(String, String, String, String)> = recs[1..]
        .iter()
        .map(|r| (r[3].clone(), r[4].clone(), r[6].clone(), r[7].clone()))
        .collect();
    let expect = [
        ("Ukraine", "has accepted", "a U.S.-proposed full ceasefire"),
        ("Russia", "has rejected", "the proposal"),
        ("Zelensky", "called on", "Trump"),
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
    // Criticizing is a speech act, reported as one (below), not as an action.
    assert!(
        !rows.iter().any(|r| r.2.contains("criticized")),
        "{rows:#?}"
    );
    let zel = rows
        .iter()
        .find(|r| r.0 == "Zelensky")
        .expect("a Zelensky row");
    assert_eq!(zel.1, "Volodymyr Zelensky");
}

#[test]
fn ceasefire_criticisms_are_speech_acts_with_canonical_speakers() {
    let rows_of = |kinds: &str| -> Vec<(String, String, String, String)> {
        let o = run(whosaid()
            .args(["run", "--quiet", "--kinds", kinds])
            .arg(repo().join("corpus/ceasefire_talks.txt")));
        records(&stdout(&o))[1..]
            .iter()
            .map(|r| (r[2].clone(), r[4].clone(), r[6].clone(), r[7].clone()))
            .collect()
    };
    let expect = [
        (
            "Rustem Umerov",
            "Russia’s limited ceasefire proposals as insufficient",
        ),
        ("Volodymyr Zelensky", "Moscow’s limited ceasefire offers"),
    ];
    let acts = rows_of("speech_acts");
    assert!(acts.iter().all(|r| r.0 == "speech_act"), "{acts:#?}");
    for (who, what) in expect {
        assert!(
            acts.iter()
                .any(|r| r.1 == who && r.2 == "criticized" && r.3 == what),
            "no speech act of {who}: {what}\nin {acts:#?}"
        );
    }
    // `claims` holds them; `quotes` (reported speech) does not.
    let claims = rows_of("claims");
    assert!(claims.iter().filter(|r| r.0 == "speech_act").count() >= 2);
    assert!(rows_of("quotes").iter().all(|r| r.0 != "speech_act"));
    // Decisions and consequences stay actions.
    let actions = rows_of("actions");
    for verb in ["has accepted", "has rejected", "rejecting", "have led"] {
        assert!(actions.iter().any(|r| r.2 == verb), "no action {verb}");
        assert!(!acts.iter().any(|r| r.2 == verb), "{verb} is no speech act");
    }
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
    let list = std::fs::read_to_string(repo().join("corpus/labelled/known_failures.list"))
        .unwrap_or_default();
    let known: Vec<String> = whosaid::wordlist::entries(&list)
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect();
    let failing: Vec<String> = out
        .lines()
        .filter(|l| !l.starts_with(' ') && l.contains(" (") && l.contains(".csv:"))
        .map(|l| l.split(' ').next().unwrap().to_string())
        .collect();
    let want_code = if failing.is_empty() { 0 } else { 1 };
    assert_eq!(
        o.status.code(),
        Some(want_code),
        "check exits 1 exactly when a label fails: {}",
        stderr(&o)
    );
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
    whosaid::testing::existing(&cfg.encoder_dir.join("config.json"))?;
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

#[cfg(feature = "torch")]
#[test]
fn inference_pass_matches_rust_bert() {
    use whosaid::model::Precision;
    let Some(model) = model_with(Precision::F32) else {
        return;
    };
    let fast = model.analyze(&words()).unwrap();
    let reference = model.for_training().unwrap().analyze(&words()).unwrap();
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
    // and stay close to libtorch's f32: same heads for nearly every word
    #[cfg(feature = "torch")]
    {
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
}

// --- `whosaid show`: the pages, rendered by headless Chromium -------------------------------

/// Headless Chromium (`scripts/browser.sh` installs Debian's), or `None` with the reason
/// printed. Under CI a missing browser fails the test instead (`whosaid::testing`).
fn chromium() -> Option<PathBuf> {
    let p = std::env::var_os("WHOSAID_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    if p.exists() {
        return Some(p);
    }
    whosaid::testing::missing(format!(
        "no browser at {} (scripts/browser.sh installs it)",
        p.display()
    ))
}

/// Chromium on `url` with the given extra arguments, headless with a fresh profile and no
/// network services; returns its stdout.
fn chromium_on(chrome: &std::path::Path, url: &str, extra: &[String]) -> String {
    let profile = tempfile::tempdir().unwrap();
    let o = Command::new(chrome)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(url)
        .output()
        .expect("chromium runs");
    assert!(o.status.success(), "chromium failed: {}", stderr(&o));
    stdout(&o)
}

fn file_url(p: &std::path::Path) -> String {
    format!("file://{}", p.canonicalize().unwrap().display())
}

/// The DOM after the page's scripts ran, as Chromium serializes it.
fn dump_dom(chrome: &std::path::Path, url: &str) -> String {
    chromium_on(chrome, url, &["--dump-dom".to_string()])
}

/// Text of serialized HTML with tags removed and the serializer's escapes undone.
fn html_text(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        rest = &rest[i + rest[i..].find('>').unwrap() + 1..];
    }
    out.push_str(rest);
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "\u{a0}")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// The value of attribute `name` in the start tag `tag`.
fn attr<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
    let key = format!(" {name}=\"");
    let s = tag.find(&key)? + key.len();
    tag[s..].split('"').next()
}

/// A marked segment of an article page: `[start, end)`, its part ids, its class, its text.
#[derive(Debug, PartialEq)]
struct Mark {
    start: usize,
    end: usize,
    parts: Vec<String>,
    class: String,
    text: String,
}

/// Every `<mark>` in a serialized DOM (the pages never nest elements inside a mark).
fn marks(dom: &str) -> Vec<Mark> {
    let mut out = Vec::new();
    let mut rest = dom;
    while let Some(i) = rest.find("<mark ") {
        rest = &rest[i..];
        let tag = &rest[..rest.find('>').unwrap()];
        let close = rest.find("</mark>").unwrap();
        out.push(Mark {
            start: attr(tag, "data-start").unwrap().parse().unwrap(),
            end: attr(tag, "data-end").unwrap().parse().unwrap(),
            parts: attr(tag, "data-parts")
                .unwrap()
                .split(' ')
                .map(String::from)
                .collect(),
            class: attr(tag, "class").unwrap_or_default().to_string(),
            text: html_text(&rest[tag.len() + 1..close]),
        });
        rest = &rest[close..];
    }
    out
}

/// The inner HTML of the first element opened by `open` (no same-name element inside it).
fn element<'d>(dom: &'d str, open: &str, close: &str) -> &'d str {
    let s = dom.find(open).unwrap_or_else(|| panic!("no {open}"));
    let body = &dom[s..];
    let gt = body.find('>').unwrap() + 1;
    &body[gt..body.find(close).unwrap()]
}

fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\u{a0}', "&nbsp;")
}

#[test]
fn show_page_in_chromium_holds_every_csv_row_at_its_offsets() {
    let Some(chrome) = chromium() else {
        return;
    };
    let article = repo().join("corpus/ceasefire_talks.txt");
    let text = std::fs::read_to_string(&article).unwrap();
    let chars: Vec<char> = text.chars().collect();
    let o = run(whosaid().args(["run", "--quiet"]).arg(&article));
    assert!(o.status.success(), "{}", stderr(&o));
    let recs = records(&stdout(&o));
    let rows = &recs[1..];
    assert!(rows.len() > 5, "expected claims, got {}", rows.len());

    let out = repo().join("target/show");
    std::fs::create_dir_all(&out).unwrap();
    let page = out.join("seed.html");
    let o = run(whosaid()
        .args(["show", "--quiet", "-o"])
        .arg(&page)
        .arg(&article));
    assert!(o.status.success(), "{}", stderr(&o));
    let dom = dump_dom(&chrome, &file_url(&page));
    assert!(
        dom.contains(&format!("All {} claims shown", rows.len())),
        "the page's script ran"
    );

    // The article element's text is the file's text, exactly.
    assert_eq!(html_text(element(&dom, "<article", "</article>")), text);

    let marks = marks(&dom);
    for (i, r) in rows.iter().enumerate() {
        for (part, field, s, e) in [("who", 3, 8, 9), ("verb", 6, 10, 11), ("what", 7, 12, 13)] {
            let id = format!("c{i}-{part}");
            let segs: Vec<&Mark> = marks.iter().filter(|m| m.parts.contains(&id)).collect();
            if r[s].is_empty() {
                assert!(segs.is_empty(), "{id} has no offsets but is marked");
                continue;
            }
            let (s, e): (usize, usize) = (r[s].parse().unwrap(), r[e].parse().unwrap());
            assert!(!segs.is_empty(), "{id} ({}) is not marked", r[field]);
            assert_eq!(segs[0].start, s, "{id} starts at the CSV offset");
            assert_eq!(segs[segs.len() - 1].end, e, "{id} ends at the CSV offset");
            for w in segs.windows(2) {
                assert_eq!(w[0].end, w[1].start, "{id}: segments are contiguous");
            }
            for m in &segs {
                let at: String = chars[m.start..m.end].iter().collect();
                assert_eq!(
                    m.text, at,
                    "{id}: a segment's text is the text at its offsets"
                );
            }
            let joined: String = segs.iter().map(|m| m.text.as_str()).collect();
            assert_eq!(joined, r[field], "{id}: marked text is the CSV field");
        }
        // The claims table lists the row: who, canonical entity, verb, what.
        let tr = element(&dom, &format!("<tr data-c=\"{i}\""), "</tr>");
        for field in [3, 4, 6, 7] {
            assert!(
                tr.contains(&escape_html(&r[field])),
                "table row {i} lacks {:?}",
                r[field]
            );
        }
    }
    for speaker in ["Rustem Umerov", "Volodymyr Zelensky", "Trump"] {
        assert!(
            rows.iter().any(|r| r[4] == speaker) && dom.contains(&format!(">{speaker} (")),
            "{speaker} is a speaker in the entity filter"
        );
    }

    // The script repaints with the builder's rule: all filters on gives the same marks, and
    // one entity hides the other claims' rows and marks.
    let same = dump_dom(&chrome, &format!("{}?entity=", file_url(&page)));
    assert_eq!(self::marks(&same), marks);
    let umerov = dump_dom(
        &chrome,
        &format!("{}?entity=Rustem%20Umerov", file_url(&page)),
    );
    let others = rows.iter().filter(|r| r[4] != "Rustem Umerov").count();
    assert_eq!(
        umerov.matches(" hidden=\"\"").count(),
        others,
        "rows of other entities hidden"
    );
    for (m, before) in self::marks(&umerov).iter().zip(&marks) {
        let shown = m.parts.iter().any(|p| {
            let c: usize = p[1..p.find('-').unwrap()].parse().unwrap();
            rows[c][4] == "Rustem Umerov"
        });
        assert_eq!(m.class.is_empty(), !shown, "{m:?} (was {before:?})");
    }

    // The screenshot: not blank, and the kinds' content colours are in it.
    let png = out.join("seed.png");
    let _ = std::fs::remove_file(&png);
    chromium_on(
        &chrome,
        &file_url(&page),
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=1400,1800".to_string(),
        ],
    );
    let (w, h, rgb) = decode_png(&png);
    assert_eq!((w, h), (1400, 1800));
    let lum: Vec<f64> = rgb
        .chunks(3)
        .map(|p| 0.2126 * p[0] as f64 + 0.7152 * p[1] as f64 + 0.0722 * p[2] as f64)
        .collect();
    let mean = lum.iter().sum::<f64>() / lum.len() as f64;
    let var = lum.iter().map(|l| (l - mean).powi(2)).sum::<f64>() / lum.len() as f64;
    assert!(
        var > 100.0,
        "screenshot looks blank (luminance variance {var:.1})"
    );
    let has = |c: [u8; 3]| rgb.chunks(3).filter(|p| *p == c).count() > 500;
    assert!(
        has([0xd7, 0xf5, 0xe0]),
        "indirect-quote content colour in the screenshot"
    );
    assert!(
        has([0xff, 0xe1, 0xe4]),
        "action content colour in the screenshot"
    );
}

/// Width, height and RGB bytes of a PNG.
fn decode_png(path: &std::path::Path) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let buf = &buf[..info.buffer_size()];
    let rgb = match info.color_type {
        png::ColorType::Rgb => buf.to_vec(),
        png::ColorType::Rgba => buf.chunks(4).flat_map(|p| [p[0], p[1], p[2]]).collect(),
        other => panic!("unexpected PNG colour type {other:?}"),
    };
    (info.width, info.height, rgb)
}

const HOSTILE: &str = "Hostile <b>page</b> test\n\n\
    The mayor said <script>alert(1)</script> was not a threat. \"We are safe </html> here,\" \
    the mayor said.\r\n<img src=x onerror=alert(2)> & <!-- done --> </script></body>\n";

#[test]
fn show_folder_gives_an_index_and_hostile_text_stays_text() {
    let Some(chrome) = chromium() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(input.join("sub dir")).unwrap();
    std::fs::copy(
        repo().join("corpus/ceasefire_talks.txt"),
        input.join("ceasefire_talks.txt"),
    )
    .unwrap();
    std::fs::write(input.join("sub dir/<x> & y.txt"), HOSTILE).unwrap();
    std::fs::write(input.join("broken.txt"), b"ab\0cd").unwrap();
    let site = repo().join("target/show/site");
    let _ = std::fs::remove_dir_all(&site);
    let o = run(whosaid()
        .args(["show", "--quiet", "-o"])
        .arg(&site)
        .arg(&input));
    assert_eq!(
        o.status.code(),
        Some(1),
        "a failed article exits 1: {}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("broken.txt"), "{}", stderr(&o));

    // The hostile page: its markup is text, and its text is all there.
    let hostile = site.join("sub dir/<x> & y.html");
    let dom = dump_dom(&chrome, &file_url(&hostile));
    assert!(
        !dom.contains("<img"),
        "an <img> element came from the article"
    );
    assert!(
        !dom.contains("<b>page"),
        "a <b> element came from the article"
    );
    assert!(
        !dom.contains("<!-- done"),
        "a comment came from the article"
    );
    assert_eq!(
        dom.matches("<script").count(),
        2,
        "only the page's own scripts"
    );
    assert!(dom.contains("<body class=\"article-page\">") && dom.trim_end().ends_with("</html>"));
    let text = html_text(element(&dom, "<article", "</article>"));
    assert!(text.contains("<script>alert(1)</script>") && text.contains("</html>"));
    assert_eq!(text, HOSTILE);
    assert!(dom.contains("<h1>sub dir/&lt;x&gt; &amp; y.txt</h1>"));

    // The index links to every page, and every link leads to a page; the failure is listed.
    let index = site.join("index.html");
    let png = repo().join("target/show/index.png");
    let _ = std::fs::remove_file(&png);
    chromium_on(
        &chrome,
        &file_url(&index),
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=1400,1000".to_string(),
        ],
    );
    assert!(png.exists());
    let dom = dump_dom(&chrome, &file_url(&index));
    let mut linked = std::collections::BTreeSet::new();
    let mut rest = dom.as_str();
    while let Some(i) = rest.find("<a href=\"") {
        rest = &rest[i..];
        let tag = &rest[..rest.find('>').unwrap()];
        let href = attr(tag, "href").unwrap();
        rest = &rest[1..];
        if href.starts_with('#') {
            continue;
        }
        assert!(!href.contains("://"), "relative links only: {href}");
        let (path, query) = href.split_once('?').unwrap_or((href, ""));
        assert!(query.is_empty() || query.starts_with("entity="), "{href}");
        let path = percent_decode(&html_text(path));
        assert!(site.join(&path).is_file(), "{path} linked but missing");
        linked.insert(path);
    }
    let pages: std::collections::BTreeSet<String> = walk(&site)
        .into_iter()
        .filter(|p| p != "index.html")
        .collect();
    assert_eq!(
        pages,
        ["ceasefire_talks.html", "sub dir/<x> & y.html"]
            .map(String::from)
            .into()
    );
    assert_eq!(linked, pages);
    let failed = element(&dom, "<tr class=\"failed\"", "</tr>");
    assert!(
        failed.contains("broken.txt") && failed.contains("binary"),
        "{failed}"
    );
    assert!(
        dom.contains("data-sort=\"Rustem Umerov\""),
        "entities listed"
    );
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// Files under `dir`, as `/`-separated relative paths.
fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if p.is_dir() {
            out.extend(walk(&p).into_iter().map(|s| format!("{name}/{s}")));
        } else {
            out.push(name);
        }
    }
    out
}

/// A folder with the corpus, an article whose quotes are formulas, a binary file and an
/// article that a stage fails on (with `WHOSAID_TEST_FAULT=attribution:XLSX-FAULT`).
fn hostile_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(repo().join("corpus")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "txt") {
            std::fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
        }
    }
    std::fs::write(dir.path().join("hostile.txt"), FORMULAS).unwrap();
    std::fs::write(dir.path().join("zz_binary.txt"), b"\x7fELF\x00\x01\x02").unwrap();
    std::fs::write(
        dir.path().join("yy_fault.txt"),
        "XLSX-FAULT: “We will win,” Maria Lopez said.\n",
    )
    .unwrap();
    dir
}

/// Quotes that a spreadsheet would run as formulas if they were not written as text.
const FORMULAS: &str = "Council spokesman Peter Grant said the vote was postponed.\n\n\
Maria Lopez said: “=HYPERLINK(\"http://evil.example/x\",\"click here\") is what we saw on the screen.”\n\n\
“=cmd|' /C calc'!A0 was typed into the form,” the engineer Tom Baker told reporters.\n\n\
“+SUM(1,2) was typed there,” said Anna Berg.\n\n\
“@SUM(A1) was typed there,” said Anna Berg.\n\n\
“-2+3 was typed there,” said Anna Berg.\n";

/// Cells of an xlsx sheet as the CSV would hold them, with their types checked: numbers in
/// numeric columns, strings elsewhere, blank where the CSV field is empty.
fn sheet_records(path: &std::path::Path, sheet: &str) -> Vec<Vec<String>> {
    use calamine::{Data, Reader};
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(path).unwrap();
    let range = book.worksheet_range(sheet).unwrap();
    let numeric = |c: usize| sheet == "claims" && (c == 1 || c >= 8);
    range
        .rows()
        .enumerate()
        .map(|(i, r)| {
            r.iter()
                .enumerate()
                .map(|(c, d)| match d {
                    Data::Empty => String::new(),
                    Data::String(s) if i == 0 || !numeric(c) => s.clone(),
                    Data::Float(f) if i > 0 && numeric(c) => format!("{f}"),
                    Data::Float(f) if i > 0 && sheet != "claims" => format!("{f}"),
                    other => panic!("{sheet} row {i} col {c}: unexpected cell {other:?}"),
                })
                .collect()
        })
        .collect()
}

/// Every worksheet's XML in the workbook, by name in the zip.
fn sheet_xml(path: &std::path::Path) -> Vec<(String, String)> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        if name.starts_with("xl/worksheets/") && name.ends_with(".xml") {
            let mut s = String::new();
            std::io::Read::read_to_string(&mut f, &mut s).unwrap();
            out.push((name, s));
        }
    }
    out
}

#[test]
fn xlsx_holds_the_csv_rows_as_typed_cells_and_no_formula() {
    let dir = hostile_folder();
    let out = tempfile::tempdir().unwrap();
    let (csv_path, xlsx_path) = (out.path().join("c.csv"), out.path().join("c.xlsx"));
    for (path, format) in [(&csv_path, "csv"), (&xlsx_path, "xlsx")] {
        let o = run(whosaid()
            .env("WHOSAID_TEST_FAULT", "attribution:XLSX-FAULT")
            .args(["run", "--quiet", "--format", format, "-o"])
            .arg(path)
            .arg(dir.path()));
        // the binary file and the faulty one fail; the rest is written
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    }
    let csv = records(&std::fs::read_to_string(&csv_path).unwrap());
    let claims = sheet_records(&xlsx_path, "claims");
    assert!(csv.len() > 20, "expected rows, got {}", csv.len());
    assert_eq!(claims, csv);

    // the formulas came through as quote content and are text cells
    for start in [
        "=HYPERLINK(",
        "=cmd|' /C calc'!A0",
        "+SUM(",
        "@SUM(",
        "-2+3",
    ] {
        assert!(
            claims.iter().any(|r| r[0] == "hostile.txt"
                && r[2] == "direct_quote"
                && r[7].starts_with(start)),
            "no direct quote starting with {start}: {claims:?}"
        );
    }
    let sheets = sheet_xml(&xlsx_path);
    assert_eq!(
        sheets.len(),
        3,
        "{:?}",
        sheets.iter().map(|s| &s.0).collect::<Vec<_>>()
    );
    for (name, xml) in &sheets {
        assert!(
            !xml.contains("<f>") && !xml.contains("<f "),
            "formula in {name}"
        );
    }

    // entities: counts per (entity, type) over the CSV, in order of total
    type Counts = (usize, [usize; 7], std::collections::BTreeSet<String>);
    let kinds = [
        "direct_quote",
        "indirect_quote",
        "mixed_quote",
        "belief",
        "evidence",
        "speech_act",
        "action",
    ];
    let mut by_entity: std::collections::BTreeMap<(String, String), Counts> = Default::default();
    for r in csv[1..].iter().filter(|r| !r[4].is_empty()) {
        let e = by_entity.entry((r[4].clone(), r[5].clone())).or_default();
        e.0 += 1;
        e.1[kinds.iter().position(|k| *k == r[2]).unwrap()] += 1;
        e.2.insert(r[0].clone());
    }
    let mut expected: Vec<Vec<String>> = by_entity
        .into_iter()
        .map(|((name, ty), (total, k, arts))| {
            let mut row = vec![name, ty, total.to_string()];
            row.extend(k.iter().map(|n| n.to_string()));
            row.push(arts.len().to_string());
            row
        })
        .collect();
    expected.sort_by_key(|r| std::cmp::Reverse(r[2].parse::<usize>().unwrap()));
    let entities = sheet_records(&xlsx_path, "entities");
    assert_eq!(entities[0][..3], ["entity", "entity_type", "total"]);
    assert!(expected.len() > 5, "{expected:?}");
    assert_eq!(entities[1..], expected[..]);

    // articles: every file in order, counts from the CSV, the failed ones with their error
    let articles = sheet_records(&xlsx_path, "articles");
    let names: Vec<&str> = articles[1..].iter().map(|r| r[0].as_str()).collect();
    let mut files: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(names, files);
    for r in &articles[1..] {
        let rows = csv[1..].iter().filter(|c| c[0] == r[0]).count();
        assert_eq!(r[1], rows.to_string(), "{r:?}");
        if r[0] == "zz_binary.txt" {
            assert!(r[9].contains("binary"), "{r:?}");
        } else if r[0] == "yy_fault.txt" {
            assert!(
                r[9].contains("attribution") && r[9].contains("injected fault"),
                "{r:?}"
            );
        } else {
            assert_eq!(r[9], "", "{r:?}");
        }
    }
}

#[test]
fn excel_csv_is_the_csv_after_a_byte_order_mark() {
    let input = repo().join("corpus/ceasefire_talks.txt");
    let plain = run(whosaid().args(["run", "--quiet"]).arg(&input));
    let excel = run(whosaid()
        .args(["run", "--quiet", "--excel-csv"])
        .arg(&input));
    assert!(plain.status.success() && excel.status.success());
    assert!(plain.stdout.starts_with(b"article,"));
    assert_eq!(excel.stdout[..3], [0xef, 0xbb, 0xbf]);
    assert_eq!(excel.stdout[3..], plain.stdout[..]);
}

#[test]
fn xlsx_and_excel_csv_usage_errors_exit_2() {
    let input = repo().join("corpus/ceasefire_talks.txt");
    for (args, says) in [
        (&["--format", "xlsx"][..], "--output"),
        (&["--format", "xlsx", "-o", "-"][..], "-o FILE.xlsx"),
        (&["--format", "jsonl", "--excel-csv"][..], "--excel-csv"),
    ] {
        let o = run(whosaid().args(["run", "--quiet"]).args(args).arg(&input));
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
        assert!(o.stdout.is_empty(), "{args:?}");
    }
}

/// Runs whosaid with `input` on its stdin.
fn run_with_stdin(cmd: &mut Command, input: &[u8]) -> Output {
    use std::io::Write;
    let mut child = cmd
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("whosaid runs");
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    // fed from a thread: whosaid writes rows while it still reads
    let feeder = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap().unwrap();
    out
}

#[test]
fn jsonl_records_from_stdin_give_the_rows_of_the_same_files_in_input_order() {
    let names = ["harbour_strike.txt", "ceasefire_talks.txt", "gum_clock.txt"];
    let ids = ["z-last-by-name", "m/2", "a 1"];
    let mut input = String::from("\n"); // a blank line is skipped, not an error
    for (name, id) in names.iter().zip(ids) {
        let text = std::fs::read_to_string(repo().join("corpus").join(name)).unwrap();
        let rec = serde_json::json!({"url": "https://x", "text": text, "id": id});
        input.push_str(&format!("{rec}\n"));
    }
    let o = run_with_stdin(
        whosaid().args(["run", "--quiet", "--input-format", "jsonl", "-"]),
        input.as_bytes(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let got = records(&stdout(&o));
    assert_eq!(got[0].join(","), HEADER);
    // the rows of each file, run on its own, with article = the record's id, in input order
    let mut want = Vec::new();
    for (name, id) in names.iter().zip(ids) {
        let f = run(whosaid()
            .args(["run", "--quiet"])
            .arg(repo().join("corpus").join(name)));
        assert!(f.status.success());
        let rows = records(&stdout(&f));
        assert!(rows.len() > 1, "{name} has rows");
        for mut r in rows.into_iter().skip(1) {
            r[0] = id.to_string();
            want.push(r);
        }
    }
    assert_eq!(got[1..], want[..]);
    // and JSONL out has the same rows
    let j = run_with_stdin(
        whosaid().args([
            "run",
            "--quiet",
            "--input-format",
            "jsonl",
            "-",
            "--format",
            "jsonl",
        ]),
        input.as_bytes(),
    );
    let articles: Vec<String> = stdout(&j)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["article"].to_string())
        .collect();
    assert_eq!(articles.len(), want.len());
    assert_eq!(articles[0], "\"z-last-by-name\"");
}

#[test]
fn bad_jsonl_records_are_named_by_line_and_id_and_the_rest_go_on() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let big = "word ".repeat(300_000); // 1.5 MB, over --max-mb 1
    let lines = [
        r#"{"id":"good1","text":"“We will win,” Maria Lopez said."}"#.to_string(),
        r#"{"id":"broken","text":"#.to_string(),
        r#"{"id":"notext"}"#.to_string(),
        r#"{"id":5,"text":"Tom Hanks said that the film was over."}"#.to_string(),
        format!(r#"{{"id":"huge","text":"{big}"}}"#),
        r#"{"id":"blank","text":"   "}"#.to_string(),
        r#"{"id":"good2","text":"Tom Hanks said that the film was over."}"#.to_string(),
    ];
    std::fs::write(&input, lines.join("\n")).unwrap();
    let errors = dir.path().join("errors.jsonl");
    let o = run(whosaid()
        .args(["run", "--quiet", "--input-format", "jsonl", "--max-mb", "1"])
        .arg(&input)
        .arg("--errors")
        .arg(&errors));
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    let at = input.display().to_string();
    for want in [
        format!("whosaid: {at}:2: invalid JSON"),
        format!("whosaid: {at}:3 (id notext): no \"text\" field"),
        format!("whosaid: {at}:4: \"id\" is not a string"),
        format!("whosaid: {at}:5 (id huge): text too large"),
        format!("whosaid: {at}:6 (id blank): empty text"),
    ] {
        assert!(
            err.lines().any(|l| l.starts_with(&want)),
            "no `{want}` in {err}"
        );
    }
    assert_eq!(err.lines().count(), 5, "{err}");
    let rows = records(&stdout(&o));
    let articles: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(articles, ["good1", "good2"]);
    // --errors: one JSON line per failure, article (when known), input, line, reason
    let logged: Vec<serde_json::Value> = std::fs::read_to_string(&errors)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let got: Vec<(serde_json::Value, u64)> = logged
        .iter()
        .map(|e| (e["article"].clone(), e["line"].as_u64().unwrap()))
        .collect();
    use serde_json::json;
    assert_eq!(
        got,
        [
            (json!(null), 2),
            (json!("notext"), 3),
            (json!(null), 4),
            (json!("huge"), 5),
            (json!("blank"), 6)
        ]
    );
    assert!(logged.iter().all(|e| e["input"] == json!(at)));
    assert!(logged[3]["reason"].as_str().unwrap().contains("too large"));
}

#[test]
fn errors_file_lists_failed_files_and_missing_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("in");
    std::fs::create_dir(&d).unwrap();
    std::fs::write(
        d.join("a_good.txt"),
        "Tom Hanks said that the film was over.\n",
    )
    .unwrap();
    std::fs::write(d.join("b_empty.txt"), "").unwrap();
    let errors = dir.path().join("errors.jsonl");
    let o = run(whosaid()
        .args(["run", "--quiet"])
        .arg(&d)
        .arg(dir.path().join("nope"))
        .arg("--errors")
        .arg(&errors));
    assert_eq!(o.status.code(), Some(1));
    let log = std::fs::read_to_string(&errors).unwrap();
    let logged: Vec<serde_json::Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(logged.len(), 2, "{log}");
    assert!(
        logged[0]["input"].as_str().unwrap().ends_with("nope"),
        "{log}"
    );
    assert_eq!(logged[1]["article"], "b_empty.txt", "{log}");
    assert!(
        logged[1]["reason"].as_str().unwrap().contains("empty"),
        "{log}"
    );
    assert!(stdout(&o).contains("a_good.txt"));
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

/// The default path's rows and parses are the same with the best kernels this CPU has and with
/// every lesser build forced (`WHOSAID_KERNELS`: AVX-512 without VNNI, AVX2, portable): the CSV
/// of the corpus and of the labelled texts (those also with `--model fast`), and every tag, head
/// and relation of their parse.
/// This is what makes the rows the same on every x86-64 CPU: the only code that differs by CPU
/// is proved not to change a result. The thread count is varied too (2 against 1).
#[test]
fn every_kernel_build_gives_identical_output() {
    use whosaid::model::kernels::Isa;
    let tmp = tempfile::tempdir().unwrap();
    let (labelled, all) = labelled_and_corpus_texts(tmp.path());
    let builds = Isa::available();
    let best = *builds.last().unwrap();
    // `run` takes --threads; `parse` runs in rayon's global pool, sized by RAYON_NUM_THREADS.
    let go = |isa: Isa, threads: &str, args: &[&std::ffi::OsStr]| {
        let mut cmd = whosaid();
        cmd.env_remove("WHOSAID_PORTABLE_KERNELS")
            .env("WHOSAID_KERNELS", isa.name())
            .env("RAYON_NUM_THREADS", threads);
        cmd.args(args);
        if args.contains(&"run".as_ref()) {
            cmd.args(["--threads", threads]);
        }
        let o = run(&mut cmd);
        assert!(o.status.success(), "{}", stderr(&o));
        o.stdout
    };
    let corpus = repo().join("corpus");
    let parse: Vec<&std::ffi::OsStr> = vec!["parse".as_ref(), all.as_os_str()];
    let inputs = [corpus.as_os_str(), labelled.as_os_str()];
    let mut runs: Vec<Vec<&std::ffi::OsStr>> = inputs
        .iter()
        .map(|&input| vec!["run".as_ref(), "--quiet".as_ref(), input])
        .collect();
    // The fast model (`--model fast`) runs the same kernels with fewer layers.
    runs.push(vec![
        "--model".as_ref(),
        "fast".as_ref(),
        "run".as_ref(),
        "--quiet".as_ref(),
        labelled.as_os_str(),
    ]);
    let mut want: Vec<Vec<u8>> = runs.iter().map(|a| go(best, "2", a)).collect();
    want.push(go(best, "2", &parse));
    assert!(records(&String::from_utf8_lossy(&want[0])).len() > 20);
    assert!(want[2] != want[1] && records(&String::from_utf8_lossy(&want[2])).len() > 100);
    assert!(want[3].len() > 10_000);
    for &isa in &builds[..builds.len() - 1] {
        let mut got: Vec<Vec<u8>> = runs.iter().map(|a| go(isa, "1", a)).collect();
        got.push(go(isa, "1", &parse));
        for (w, g) in want.iter().zip(&got) {
            assert!(
                w == g,
                "{isa:?} against {best:?}: {}",
                first_differences(w, g)
            );
        }
    }
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
