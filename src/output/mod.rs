//! Stage 7, output: claims become rows of the CSV contract (or JSON Lines with the same
//! fields, or an Excel workbook with them and two summary sheets), offsets converted from bytes to Unicode scalar values here and only here.
//!
//! Header: `article,sentence,kind,who,entity,entity_type,verb,what,who_start,who_end,
//! verb_start,verb_end,what_start,what_end`.

pub mod target;

use crate::document::{Claim, Document};
use crate::span::CharIndex;
use serde::Serialize;
use std::io::Write;

pub mod xlsx;

/// The CSV header, in contract order.
pub const HEADER: [&str; 14] = [
    "article",
    "sentence",
    "kind",
    "who",
    "entity",
    "entity_type",
    "verb",
    "what",
    "who_start",
    "who_end",
    "verb_start",
    "verb_end",
    "what_start",
    "what_end",
];

/// One output row; field order is the contract's column order.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Row {
    pub article: String,
    pub sentence: usize,
    pub kind: &'static str,
    pub who: String,
    pub entity: String,
    pub entity_type: String,
    pub verb: String,
    pub what: String,
    pub who_start: Option<usize>,
    pub who_end: Option<usize>,
    pub verb_start: Option<usize>,
    pub verb_end: Option<usize>,
    pub what_start: Option<usize>,
    pub what_end: Option<usize>,
}

impl Row {
    pub fn from_claim(article: &str, doc: &Document, idx: &CharIndex, c: &Claim) -> Row {
        let text =
            |s: Option<crate::span::Span>| s.map(|s| doc.slice(s).to_string()).unwrap_or_default();
        let off = |s: Option<crate::span::Span>| s.map(|s| idx.span(s));
        let (who_start, who_end) = off(c.who).unzip();
        let (verb_start, verb_end) = off(c.verb).unzip();
        let (what_start, what_end) = off(c.what).unzip();
        Row {
            article: article.to_string(),
            sentence: c.sentence,
            kind: c.kind.as_str(),
            who: text(c.who),
            entity: c.entity.clone().unwrap_or_default(),
            entity_type: c
                .entity_type
                .map(|t| t.as_str().to_string())
                .unwrap_or_default(),
            verb: text(c.verb),
            what: text(c.what),
            who_start,
            who_end,
            verb_start,
            verb_end,
            what_start,
            what_end,
        }
    }
}

/// All rows of one document, in text order.
pub fn rows(article: &str, doc: &Document) -> Vec<Row> {
    let idx = CharIndex::new(&doc.text);
    doc.claims
        .iter()
        .map(|c| Row::from_claim(article, doc, &idx, c))
        .collect()
}

/// Output format of `run`, as the command line names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Csv,
    Jsonl,
    Xlsx,
}

/// How `run` writes rows: the format with its options, only the valid combinations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowFormat {
    /// RFC 4180 CSV; `bom` puts a UTF-8 byte-order mark first, which Excel needs to read the
    /// file as UTF-8 (the bytes after it are the plain CSV's).
    Csv {
        bom: bool,
    },
    Jsonl,
    /// An Excel workbook (see [`xlsx`]).
    Xlsx,
}

/// A format and an option that do not go together.
#[derive(Debug, thiserror::Error)]
#[error("--excel-csv applies only to --format csv")]
pub struct FormatError;

impl RowFormat {
    /// The format of `--format` with `--excel-csv`.
    pub fn new(format: Format, excel_csv: bool) -> Result<RowFormat, FormatError> {
        match (format, excel_csv) {
            (Format::Csv, bom) => Ok(RowFormat::Csv { bom }),
            (_, true) => Err(FormatError),
            (Format::Jsonl, false) => Ok(RowFormat::Jsonl),
            (Format::Xlsx, false) => Ok(RowFormat::Xlsx),
        }
    }
}

/// Writes rows as CSV (RFC 4180, header first), JSON Lines or an Excel workbook.
pub enum RowWriter<W: Write> {
    Csv(Box<csv::Writer<W>>),
    Jsonl(W),
    Xlsx(Box<xlsx::XlsxWriter<W>>),
}

impl<W: Write> RowWriter<W> {
    pub fn new(mut out: W, format: RowFormat) -> std::io::Result<RowWriter<W>> {
        Ok(match format {
            RowFormat::Csv { bom } => {
                if bom {
                    out.write_all("\u{feff}".as_bytes())?;
                }
                let mut w = csv::WriterBuilder::new()
                    .has_headers(false)
                    .terminator(csv::Terminator::CRLF)
                    .from_writer(out);
                w.write_record(HEADER)?;
                RowWriter::Csv(Box::new(w))
            }
            RowFormat::Jsonl => RowWriter::Jsonl(out),
            RowFormat::Xlsx => RowWriter::Xlsx(Box::new(xlsx::XlsxWriter::new(out)?)),
        })
    }

    pub fn write(&mut self, row: &Row) -> std::io::Result<()> {
        match self {
            RowWriter::Csv(w) => w.serialize(row).map_err(std::io::Error::other),
            RowWriter::Jsonl(w) => {
                serde_json::to_writer(&mut *w, row)?;
                w.write_all(b"\n")
            }
            RowWriter::Xlsx(w) => w.write(row),
        }
    }

    /// Ends one article (called for every article in order, after its rows): the workbook
    /// lists each article with its counts and its error; CSV and JSON Lines have no place for it.
    pub fn article_done(&mut self, name: &str, error: Option<&str>) -> std::io::Result<()> {
        match self {
            RowWriter::Xlsx(w) => w.article_done(name, error),
            RowWriter::Csv(_) | RowWriter::Jsonl(_) => Ok(()),
        }
    }

    /// Flushes and returns the underlying writer.
    pub fn finish(self) -> std::io::Result<W> {
        match self {
            RowWriter::Csv(w) => w
                .into_inner()
                .map_err(|e| std::io::Error::other(e.to_string())),
            RowWriter::Jsonl(mut w) => {
                w.flush()?;
                Ok(w)
            }
            RowWriter::Xlsx(w) => w.finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_csv_goes_only_with_csv() {
        assert_eq!(
            RowFormat::new(Format::Csv, true).unwrap(),
            RowFormat::Csv { bom: true }
        );
        assert_eq!(
            RowFormat::new(Format::Csv, false).unwrap(),
            RowFormat::Csv { bom: false }
        );
        assert_eq!(
            RowFormat::new(Format::Xlsx, false).unwrap(),
            RowFormat::Xlsx
        );
        assert!(RowFormat::new(Format::Jsonl, true).is_err());
        assert!(RowFormat::new(Format::Xlsx, true).is_err());
    }

    #[test]
    fn the_byte_order_mark_leads_the_unchanged_csv() {
        let write = |bom| {
            let w = RowWriter::new(Vec::new(), RowFormat::Csv { bom }).unwrap();
            w.finish().unwrap()
        };
        let (plain, excel) = (write(false), write(true));
        assert_eq!(plain, format!("{}\r\n", HEADER.join(",")).into_bytes());
        assert_eq!(excel[..3], [0xef, 0xbb, 0xbf]);
        assert_eq!(excel[3..], plain[..]);
    }
}
