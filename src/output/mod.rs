//! Stage 7, output: claims become rows of the CSV contract (or JSON Lines with the same
//! fields), offsets converted from bytes to Unicode scalar values here and only here.
//!
//! Header: `article,sentence,kind,who,entity,entity_type,verb,what,who_start,who_end,
//! verb_start,verb_end,what_start,what_end`.

pub mod target;

use crate::document::{Claim, Document};
use crate::span::CharIndex;
use serde::Serialize;
use std::io::Write;

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

/// Output format of `run`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Csv,
    Jsonl,
}

/// Writes rows as CSV (RFC 4180, header first) or JSON Lines.
pub struct RowWriter<W: Write> {
    format: Format,
    csv: Option<csv::Writer<W>>,
    raw: Option<W>,
}

impl<W: Write> RowWriter<W> {
    pub fn new(out: W, format: Format) -> std::io::Result<RowWriter<W>> {
        match format {
            Format::Csv => {
                let mut w = csv::WriterBuilder::new()
                    .has_headers(false)
                    .terminator(csv::Terminator::CRLF)
                    .from_writer(out);
                w.write_record(HEADER)?;
                Ok(RowWriter {
                    format,
                    csv: Some(w),
                    raw: None,
                })
            }
            Format::Jsonl => Ok(RowWriter {
                format,
                csv: None,
                raw: Some(out),
            }),
        }
    }

    pub fn write(&mut self, row: &Row) -> std::io::Result<()> {
        match self.format {
            Format::Csv => self
                .csv
                .as_mut()
                .unwrap()
                .serialize(row)
                .map_err(std::io::Error::other),
            Format::Jsonl => {
                let w = self.raw.as_mut().unwrap();
                serde_json::to_writer(&mut *w, row)?;
                w.write_all(b"\n")
            }
        }
    }

    /// Flushes and returns the underlying writer.
    pub fn finish(self) -> std::io::Result<W> {
        match self.format {
            Format::Csv => self
                .csv
                .unwrap()
                .into_inner()
                .map_err(|e| std::io::Error::other(e.to_string())),
            Format::Jsonl => {
                let mut w = self.raw.unwrap();
                w.flush()?;
                Ok(w)
            }
        }
    }
}
