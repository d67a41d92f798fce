//! Finding articles (files and folders, walked recursively, sorted) and reading them with
//! clear, per-file errors: empty, binary, not UTF-8, too large, unreadable; or reading them as
//! records of a JSON Lines stream ([`jsonl`]). Either way `run` works on a sequence of [`Unit`]s.

pub mod jsonl;

use std::fmt;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One article to process.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Article {
    /// Path relative to the input folder it was found in (or as given, for a file input).
    pub name: String,
    pub path: PathBuf,
}

/// Why an article could not be read.
#[derive(Debug)]
pub enum ReadError {
    Io(std::io::Error),
    Empty,
    Binary,
    NotUtf8 { byte: usize },
    TooLarge { bytes: u64, limit: u64 },
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "cannot read: {e}"),
            ReadError::Empty => write!(f, "empty file (no text)"),
            ReadError::Binary => write!(f, "binary file (contains NUL bytes), skipped"),
            ReadError::NotUtf8 { byte } => {
                write!(f, "not valid UTF-8 (first bad byte at offset {byte})")
            }
            ReadError::TooLarge { bytes, limit } => write!(
                f,
                "too large: {:.1} MB, over the {:.1} MB limit (--max-mb)",
                *bytes as f64 / 1e6,
                *limit as f64 / 1e6
            ),
        }
    }
}

impl std::error::Error for ReadError {}

/// Finds articles under `inputs`: files as given, folders walked recursively keeping files whose
/// extension is in `exts`. Sorted by name within each input, inputs in the order given.
/// Inputs that don't exist are returned as errors.
pub fn discover(
    inputs: &[PathBuf],
    exts: &[String],
) -> (Vec<Article>, Vec<(String, std::io::Error)>) {
    let mut articles = Vec::new();
    let mut errors = Vec::new();
    for input in inputs {
        match std::fs::metadata(input) {
            Err(e) => errors.push((input.display().to_string(), e)),
            Ok(m) if m.is_file() => articles.push(Article {
                name: input.display().to_string(),
                path: input.clone(),
            }),
            Ok(_) => {
                let mut found = Vec::new();
                for entry in walkdir::WalkDir::new(input).follow_links(true) {
                    match entry {
                        Err(e) => {
                            let p = e
                                .path()
                                .map(|p| p.display().to_string())
                                .unwrap_or_default();
                            errors.push((p, std::io::Error::other(e.to_string())));
                        }
                        Ok(e) if e.file_type().is_file() => {
                            let keep =
                                e.path()
                                    .extension()
                                    .and_then(|x| x.to_str())
                                    .is_some_and(|x| {
                                        exts.iter().any(|want| want.eq_ignore_ascii_case(x))
                                    });
                            if keep {
                                let rel = e.path().strip_prefix(input).unwrap_or(e.path());
                                found.push(Article {
                                    name: rel.to_string_lossy().replace('\\', "/"),
                                    path: e.path().to_path_buf(),
                                });
                            }
                        }
                        Ok(_) => {}
                    }
                }
                found.sort();
                articles.extend(found);
            }
        }
    }
    (articles, errors)
}

/// Reads one article as UTF-8 text, refusing files larger than `limit` bytes.
pub fn read_article(path: &Path, limit: u64) -> Result<String, ReadError> {
    let meta = std::fs::metadata(path).map_err(ReadError::Io)?;
    if meta.len() > limit {
        return Err(ReadError::TooLarge {
            bytes: meta.len(),
            limit,
        });
    }
    let bytes = std::fs::read(path).map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            bytes: bytes.len() as u64,
            limit,
        });
    }
    // NUL before UTF-8: a binary file is named as binary, not as bad UTF-8.
    if bytes.contains(&0) {
        return Err(ReadError::Binary);
    }
    let text = String::from_utf8(bytes).map_err(|e| ReadError::NotUtf8 {
        byte: e.utf8_error().valid_up_to(),
    })?;
    check_text(&text, text.len() as u64, limit)?;
    Ok(text)
}

/// The checks every text gets, from a file or a record: not over `limit` bytes, no NUL, not
/// only whitespace.
pub fn check_text(text: &str, bytes: u64, limit: u64) -> Result<(), ReadError> {
    if bytes > limit {
        return Err(ReadError::TooLarge { bytes, limit });
    }
    if text.contains('\0') {
        return Err(ReadError::Binary);
    }
    if text
        .trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
        .is_empty()
    {
        return Err(ReadError::Empty);
    }
    Ok(())
}

/// How input files are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum InputFormat {
    /// Files and folders of text, one article per file.
    #[default]
    Text,
    /// JSON Lines files (or `-` for stdin) of `{"id": ..., "text": ...}`, one article per line.
    Jsonl,
}

/// One thing `run` processes, in input order: a file found by [`discover`], or one record of a
/// JSONL input (which may be a bad line, reported in its place).
#[derive(Debug)]
pub enum Unit {
    File(Article),
    Record {
        /// The JSONL input, as errors name it (`stdin` for `-`).
        input: Arc<str>,
        record: jsonl::Record,
    },
}

/// Who an article is once its text has gone to the pipeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArticleId {
    /// The `article` column: the file's name, or the record's id (`None` when unreadable).
    pub name: Option<String>,
    /// The file's path, or the JSONL input's name.
    pub input: String,
    /// The record's line in its JSONL input; `None` for a file.
    pub line: Option<usize>,
}

impl ArticleId {
    /// How messages name it: the file's path, or `input:line (id ID)`.
    pub fn label(&self) -> String {
        match (self.line, &self.name) {
            (None, _) => self.input.clone(),
            (Some(l), Some(id)) => format!("{}:{l} (id {id})", self.input),
            (Some(l), None) => format!("{}:{l}", self.input),
        }
    }
}

/// One failed article as `run --errors FILE` writes it, a JSON line.
#[derive(Debug, serde::Serialize)]
pub struct Failure<'a> {
    pub article: Option<&'a str>,
    pub input: &'a str,
    pub line: Option<usize>,
    pub reason: &'a str,
}

/// Why a unit has no text.
#[derive(Debug, thiserror::Error)]
pub enum UnitError {
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error(transparent)]
    Record(#[from] jsonl::RecordError),
}

impl Unit {
    /// Who it is, and its text: the file read (refusing more than `limit` bytes), or the
    /// record's text (checked against the limit when it was read).
    pub fn open(self, limit: u64) -> (ArticleId, Result<String, UnitError>) {
        match self {
            Unit::File(a) => {
                let text = read_article(&a.path, limit).map_err(UnitError::from);
                let id = ArticleId {
                    name: Some(a.name),
                    input: a.path.display().to_string(),
                    line: None,
                };
                (id, text)
            }
            Unit::Record { input, record } => {
                let id = ArticleId {
                    name: record.id,
                    input: input.to_string(),
                    line: Some(record.line),
                };
                (id, record.text.map_err(UnitError::from))
            }
        }
    }
}

/// The records of JSONL `inputs` in order (`-` reads stdin), texts over `limit` bytes refused.
/// Inputs that cannot be opened (missing, a folder) are returned as errors, as by [`discover`];
/// the others are read lazily, a line at a time, as the iterator is pulled.
pub fn jsonl_units(
    inputs: &[PathBuf],
    limit: u64,
) -> (
    Box<dyn Iterator<Item = Unit>>,
    Vec<(String, std::io::Error)>,
) {
    let mut errors = Vec::new();
    let mut readers: Vec<(Arc<str>, Box<dyn BufRead>)> = Vec::new();
    for input in inputs {
        if input == Path::new("-") {
            readers.push(("stdin".into(), Box::new(std::io::stdin().lock())));
            continue;
        }
        let name = input.display().to_string();
        match std::fs::metadata(input) {
            Err(e) => errors.push((name, e)),
            Ok(m) if m.is_dir() => errors.push((
                name,
                std::io::Error::other("a folder: --input-format jsonl reads files or -"),
            )),
            Ok(_) => match std::fs::File::open(input) {
                Err(e) => errors.push((name, e)),
                Ok(f) => readers.push((
                    name.into(),
                    Box::new(std::io::BufReader::with_capacity(1 << 16, f)),
                )),
            },
        }
    }
    let units = readers.into_iter().flat_map(move |(input, reader)| {
        jsonl::Records::new(reader, limit).map(move |record| Unit::Record {
            input: input.clone(),
            record,
        })
    });
    (Box::new(units), errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_errors_name_the_reason() {
        let dir = tempfile::tempdir().unwrap();
        let cases: [(&str, &[u8], &str); 4] = [
            ("empty.txt", b"  \n", "empty"),
            ("bin.txt", b"ab\0cd", "binary"),
            ("latin1.txt", b"caf\xe9", "UTF-8"),
            ("big.txt", &[b'a'; 2000], "too large"),
        ];
        for (name, bytes, want) in cases {
            let p = dir.path().join(name);
            std::fs::write(&p, bytes).unwrap();
            let err = read_article(&p, 1000).unwrap_err().to_string();
            assert!(err.contains(want), "{name}: {err}");
        }
        let err = read_article(&dir.path().join("missing.txt"), 1000).unwrap_err();
        assert!(err.to_string().contains("cannot read"));
    }

    #[test]
    fn discover_walks_sorted_and_filters() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        for f in ["b.txt", "a.txt", "sub/c.txt", "x.md"] {
            std::fs::write(dir.path().join(f), "x").unwrap();
        }
        let (arts, errs) = discover(&[dir.path().to_path_buf()], &["txt".into()]);
        assert!(errs.is_empty());
        let names: Vec<_> = arts.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["a.txt", "b.txt", "sub/c.txt"]);
    }
}
