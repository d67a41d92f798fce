//! Labelled sentences: a spreadsheet-editable CSV of texts and the claims expected from them,
//! run through the pipeline and compared, for users' regression tests and our own.
//!
//! Format: header `id,text,kind,who,entity,verb,what` plus an optional `context` column; one
//! row per expected claim; rows sharing `id` and `text` are one text; an empty `kind` says the
//! text has no claim. The pipeline runs on `context + "\n\n" + text`; only claims inside `text`
//! count. A claim matches a label of the same kind when `who`, `entity` and `verb` are equal
//! after trimming and case-folding (an empty label field matches anything) and `what` is equal,
//! or starts with the label's `what` when that ends with `...`.

use crate::document::ClaimKind;
use crate::eval::Prf;
use crate::output::Row;
use crate::pipeline::Pipeline;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// A malformed label file, with the line at fault.
#[derive(Debug, thiserror::Error)]
#[error("{path}:{line}: {message}")]
pub struct LabelError {
    pub path: PathBuf,
    pub line: u64,
    pub message: String,
}

/// One expected claim (or, with `kind: None`, the statement that the text has none).
#[derive(Clone, Debug)]
pub struct Label {
    pub line: u64,
    pub kind: Option<ClaimKind>,
    pub who: String,
    pub entity: String,
    pub verb: String,
    pub what: String,
}

/// One labelled text and its expected claims.
#[derive(Clone, Debug)]
pub struct Case {
    pub file: PathBuf,
    pub id: String,
    pub text: String,
    pub context: String,
    pub labels: Vec<Label>,
}

const REQUIRED: [&str; 7] = ["id", "text", "kind", "who", "entity", "verb", "what"];

/// Reads a label file into cases, in file order.
pub fn read_labels(path: &Path) -> Result<Vec<Case>, LabelError> {
    let err = |line: u64, message: String| LabelError {
        path: path.to_path_buf(),
        line,
        message,
    };
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(false)
        .from_path(path)
        .map_err(|e| err(0, e.to_string()))?;
    let headers = rdr.headers().map_err(|e| err(1, e.to_string()))?.clone();
    let col = |name: &str| headers.iter().position(|h| h.trim() == name);
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|c| col(c).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(err(1, format!("missing column(s): {}", missing.join(", "))));
    }
    let idx: Vec<usize> = REQUIRED.iter().map(|c| col(c).unwrap()).collect();
    let ctx = col("context");
    let mut cases: Vec<Case> = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            err(line, format!("bad CSV: {e}"))
        })?;
        let line = rec.position().map(|p| p.line()).unwrap_or(0);
        let f = |k: usize| rec.get(idx[k]).unwrap_or("").to_string();
        let (id, text, kind) = (f(0), f(1), f(2));
        if id.trim().is_empty() {
            return Err(err(line, "empty id".into()));
        }
        if text.trim().is_empty() {
            return Err(err(line, format!("empty text for id {id}")));
        }
        let kind = match kind.trim() {
            "" => None,
            k => Some(ClaimKind::parse(k).ok_or_else(|| {
                err(line, format!("unknown kind {k:?} (direct_quote, indirect_quote, mixed_quote, belief, evidence, action or empty)"))
            })?),
        };
        let label = Label {
            line,
            kind,
            who: f(3),
            entity: f(4),
            verb: f(5),
            what: f(6),
        };
        let context = ctx.and_then(|c| rec.get(c)).unwrap_or("").to_string();
        match cases.iter_mut().find(|c| c.id == id) {
            Some(c) if c.text == text => c.labels.push(label),
            Some(_) => return Err(err(line, format!("id {id} reused with a different text"))),
            None => cases.push(Case {
                file: path.to_path_buf(),
                id,
                text,
                context,
                labels: vec![label],
            }),
        }
    }
    Ok(cases)
}

fn norm(s: &str) -> String {
    s.trim().to_lowercase()
}

fn field_ok(label: &str, got: &str) -> bool {
    label.trim().is_empty() || norm(label) == norm(got)
}

fn what_ok(label: &str, got: &str) -> bool {
    let l = label.trim();
    if l.is_empty() {
        return true;
    }
    match l.strip_suffix("...") {
        Some(prefix) => norm(got).starts_with(&norm(prefix)),
        None => norm(l) == norm(got),
    }
}

/// True when a predicted row satisfies a label.
pub fn matches(label: &Label, row: &Row) -> bool {
    label.kind.is_some_and(|k| k.as_str() == row.kind)
        && field_ok(&label.who, &row.who)
        && field_ok(&label.entity, &row.entity)
        && field_ok(&label.verb, &row.verb)
        && what_ok(&label.what, &row.what)
}

/// The outcome of checking cases.
#[derive(Debug, Default)]
pub struct Report {
    pub cases: usize,
    pub failed_cases: usize,
    /// Labels matched, missed and extra rows, per kind.
    pub per_kind: BTreeMap<&'static str, Prf>,
    /// Readable diffs of failing cases.
    pub diffs: Vec<String>,
}

impl Report {
    pub fn total(&self) -> Prf {
        self.per_kind.values().fold(Prf::default(), |a, c| a + *c)
    }

    pub fn summary(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{:<16} {:>5} {:>5} {:>5}  {:>6} {:>6} {:>6}",
            "kind", "tp", "fp", "fn", "P", "R", "F1"
        );
        for (k, c) in self.per_kind.iter().chain([(&"all", &self.total())]) {
            let _ = writeln!(
                s,
                "{:<16} {:>5} {:>5} {:>5}  {:>6.3} {:>6.3} {:>6.3}",
                k,
                c.matched_gold,
                c.false_positives(),
                c.false_negatives(),
                c.precision(),
                c.recall(),
                c.f1()
            );
        }
        let _ = writeln!(
            s,
            "{} of {} labelled texts hold",
            self.cases - self.failed_cases,
            self.cases
        );
        s
    }
}

fn describe(kind: &str, who: &str, entity: &str, verb: &str, what: &str) -> String {
    format!("{kind} who={who:?} entity={entity:?} verb={verb:?} what={what:?}")
}

/// Runs each case through the pipeline and compares.
pub fn check(pipeline: &Pipeline, cases: &[Case]) -> Report {
    let mut report = Report::default();
    for kind in ClaimKind::ALL {
        report.per_kind.insert(kind.as_str(), Prf::default());
    }
    for case in cases {
        report.cases += 1;
        let prefix = if case.context.trim().is_empty() {
            String::new()
        } else {
            format!("{}\n\n", case.context.trim_end())
        };
        let offset = prefix.chars().count();
        let text = format!("{prefix}{}", case.text);
        let rows: Vec<Row> = match pipeline.process(text) {
            Ok(doc) => crate::output::rows(&case.id, &doc)
                .into_iter()
                .filter(|r| {
                    [r.what_start, r.verb_start, r.who_start]
                        .iter()
                        .flatten()
                        .next()
                        .is_some_and(|&s| s >= offset)
                })
                .collect(),
            Err(e) => {
                report.failed_cases += 1;
                report.diffs.push(format!(
                    "{} ({}): pipeline error: {e}",
                    case.id,
                    case.file.display()
                ));
                continue;
            }
        };
        let expected: Vec<&Label> = case.labels.iter().filter(|l| l.kind.is_some()).collect();
        let mut taken = vec![false; rows.len()];
        let mut missing = Vec::new();
        for l in &expected {
            let k = l.kind.unwrap().as_str();
            match (0..rows.len()).find(|&i| !taken[i] && matches(l, &rows[i])) {
                Some(i) => {
                    taken[i] = true;
                    report.per_kind.get_mut(k).unwrap().add_match();
                }
                None => {
                    report.per_kind.get_mut(k).unwrap().add_missed();
                    missing.push(*l);
                }
            }
        }
        let extra: Vec<&Row> = rows
            .iter()
            .zip(&taken)
            .filter(|(_, t)| !**t)
            .map(|(r, _)| r)
            .collect();
        for r in &extra {
            if let Some(c) = report.per_kind.get_mut(r.kind) {
                c.add_extra();
            }
        }
        if !missing.is_empty() || !extra.is_empty() {
            report.failed_cases += 1;
            let mut d = format!(
                "{} ({}:{}): {}\n",
                case.id,
                case.file.display(),
                case.labels[0].line,
                case.text
            );
            for l in &missing {
                let kind = l.kind.map(|k| k.as_str()).unwrap_or("");
                let _ = writeln!(
                    d,
                    "  - expected {}",
                    describe(kind, &l.who, &l.entity, &l.verb, &l.what)
                );
            }
            for r in &extra {
                let _ = writeln!(
                    d,
                    "  + got      {}",
                    describe(r.kind, &r.who, &r.entity, &r.verb, &r.what)
                );
            }
            report.diffs.push(d);
        }
    }
    report
}

/// Label files named by `paths` (folders: every `.csv` inside, sorted).
pub fn label_files(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut v: Vec<PathBuf> = walkdir::WalkDir::new(p)
                .into_iter()
                .flatten()
                .filter(|e| e.path().extension().is_some_and(|x| x == "csv"))
                .map(|e| e.path().to_path_buf())
                .collect();
            v.sort();
            out.extend(v);
        } else {
            out.push(p.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(content: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("l.csv");
        std::fs::write(&p, content).unwrap();
        (dir, p)
    }

    #[test]
    fn malformed_files_name_the_line() {
        let cases = [
            (
                "id,text,kind,who,entity,verb\nx,t,action,,,\n",
                "missing column(s): what",
            ),
            (
                "id,text,kind,who,entity,verb,what\nx,t,quote,,,,\n",
                ":2: unknown kind",
            ),
            (
                "id,text,kind,who,entity,verb,what\nx,,action,,,,\n",
                ":2: empty text",
            ),
            (
                "id,text,kind,who,entity,verb,what\nx,t,action,,,,\ny,\"t,action,,,,\n",
                "bad CSV",
            ),
        ];
        for (content, want) in cases {
            let (_d, p) = write(content);
            let e = read_labels(&p).unwrap_err().to_string();
            assert!(e.contains(want), "{e} should contain {want}");
        }
    }

    #[test]
    fn groups_rows_by_id_and_matches_prefixes() {
        let (_d, p) = write("id,text,kind,who,entity,verb,what,context\na,T,action,X,,did,the thing...,\na,T,direct_quote,,,,Hi,\nb,U,,,,,,\n");
        let cases = read_labels(&p).unwrap();
        assert_eq!(cases.len(), 2);
        assert_eq!(cases[0].labels.len(), 2);
        assert!(cases[1].labels[0].kind.is_none());
        assert!(what_ok("the thing...", "The thing they did"));
        assert!(!what_ok("the thing", "the thing they did"));
    }
}
