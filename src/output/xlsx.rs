//! The Excel workbook writer (`--format xlsx`): a `claims` sheet with the CSV's rows, an
//! `entities` sheet (per resolved entity: counts per kind and of articles, by total) and an
//! `articles` sheet (per article: counts per kind and its error, if it failed).
//!
//! Every text cell is written with `write_string`, so content from the articles (untrusted
//! web text) is never a formula, whatever it starts with. Memory stays bounded: `claims` and
//! `articles` are constant-memory worksheets (one row in memory, the rest in a temporary
//! file) streamed in article order; only the per-entity counters are held until the end.

use super::{Row, HEADER};
use crate::document::ClaimKind;
use rust_xlsxwriter::{ColNum, Format, RowNum, Workbook, Worksheet, XlsxError};
use std::collections::HashMap;
use std::io::{Seek, Write};

/// Kinds in column order of the summary sheets.
const KINDS: [ClaimKind; ClaimKind::ALL.len()] = ClaimKind::ALL;

/// The `articles` sheet's error column, after the counts.
const ERROR_COLUMN: ColNum = 2 + KINDS.len() as ColNum;

/// The `entities` sheet's articles column, after the counts.
const ARTICLES_COLUMN: ColNum = 3 + KINDS.len() as ColNum;

/// Rows of one worksheet, the header included (Excel's limit).
const SHEET_ROWS: RowNum = 1_048_576;

/// Longest text of a cell, in UTF-16 units (Excel's limit).
const CELL_CHARS: usize = 32_767;

/// Rows of one article per kind, in `KINDS` order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KindCounts([usize; KINDS.len()]);

impl KindCounts {
    fn add(&mut self, kind: ClaimKind) {
        self.0[kind_index(kind)] += 1;
    }

    fn total(&self) -> usize {
        self.0.iter().sum()
    }
}

fn kind_index(kind: ClaimKind) -> usize {
    KINDS.iter().position(|k| *k == kind).expect("every kind")
}

/// Writes the workbook; rows and article outcomes come in article order.
pub struct XlsxWriter<W: Write> {
    out: W,
    book: Workbook,
    claims: SheetStream,
    articles: SheetStream,
    /// Rows per kind of the article being written.
    current: KindCounts,
    /// Articles done so far: the index of the article being written.
    done: usize,
    entities: HashMap<(String, String), EntityCounts>,
    wrap: Format,
}

/// What the `entities` sheet says about one (entity, type).
#[derive(Debug, Default)]
struct EntityCounts {
    kinds: KindCounts,
    articles: usize,
    /// The last article (index) counted in `articles`: rows come in article order, so
    /// distinct articles are counted without keeping a set of them.
    last_article: Option<usize>,
}

impl<W: Write> XlsxWriter<W> {
    pub fn new(out: W) -> std::io::Result<XlsxWriter<W>> {
        Self::with_sheet_rows(out, SHEET_ROWS)
    }

    /// `sheet_rows` below Excel's limit lets the tests see a sheet overflow into the next.
    fn with_sheet_rows(out: W, sheet_rows: RowNum) -> std::io::Result<XlsxWriter<W>> {
        let mut book = Workbook::new();
        let claims = SheetStream::new(
            &mut book,
            "claims",
            &HEADER,
            &[
                (0, 24.0),
                (3, 24.0),
                (4, 22.0),
                (5, 11.0),
                (6, 14.0),
                (7, 70.0),
            ],
            sheet_rows,
        )
        .map_err(io)?;
        let articles = SheetStream::new(
            &mut book,
            "articles",
            &ARTICLE_HEADER,
            &[(0, 30.0), (ERROR_COLUMN, 60.0)],
            sheet_rows,
        )
        .map_err(io)?;
        Ok(XlsxWriter {
            out,
            book,
            claims,
            articles,
            current: KindCounts::default(),
            done: 0,
            entities: HashMap::new(),
            wrap: Format::new().set_text_wrap(),
        })
    }

    /// One row of the `claims` sheet; counted for its article and its entity.
    pub fn write(&mut self, row: &Row) -> std::io::Result<()> {
        let kind = ClaimKind::parse(row.kind).expect("rows carry a known kind");
        self.current.add(kind);
        if !row.entity.is_empty() {
            let e = self
                .entities
                .entry((row.entity.clone(), row.entity_type.clone()))
                .or_default();
            e.kinds.add(kind);
            if e.last_article != Some(self.done) {
                e.last_article = Some(self.done);
                e.articles += 1;
            }
        }
        let (sheet, r) = self.claims.next_row(&mut self.book).map_err(io)?;
        let texts = [
            (0, &row.article),
            (3, &row.who),
            (4, &row.entity),
            (5, &row.entity_type),
            (6, &row.verb),
        ];
        for (c, t) in texts {
            text(sheet, r, c, t, None).map_err(io)?;
        }
        text(sheet, r, 2, row.kind, None).map_err(io)?;
        text(sheet, r, 7, &row.what, Some(&self.wrap)).map_err(io)?;
        sheet.write_number(r, 1, row.sentence as f64).map_err(io)?;
        let offsets = [
            row.who_start,
            row.who_end,
            row.verb_start,
            row.verb_end,
            row.what_start,
            row.what_end,
        ];
        for (c, o) in (8..).zip(offsets) {
            if let Some(o) = o {
                sheet.write_number(r, c, o as f64).map_err(io)?;
            }
        }
        Ok(())
    }

    /// Ends an article: one row of the `articles` sheet with the counts of the rows written
    /// since the last call, and the error that stopped it, if any.
    pub fn article_done(&mut self, name: &str, error: Option<&str>) -> std::io::Result<()> {
        let counts = std::mem::take(&mut self.current);
        self.done += 1;
        let (sheet, r) = self.articles.next_row(&mut self.book).map_err(io)?;
        text(sheet, r, 0, name, None).map_err(io)?;
        sheet
            .write_number(r, 1, counts.total() as f64)
            .map_err(io)?;
        for (c, n) in (2..).zip(counts.0) {
            sheet.write_number(r, c, n as f64).map_err(io)?;
        }
        if let Some(e) = error {
            text(sheet, r, ERROR_COLUMN, e, None).map_err(io)?;
        }
        Ok(())
    }

    /// Writes the `entities` sheet, saves the workbook to the output and returns it.
    pub fn finish(mut self) -> std::io::Result<W> {
        let mut entities = SheetStream::new(
            &mut self.book,
            "entities",
            &ENTITY_HEADER,
            &[(0, 30.0), (1, 11.0)],
            self.claims.sheet_rows,
        )
        .map_err(io)?;
        let mut sorted: Vec<_> = self.entities.into_iter().collect();
        sorted.sort_by(|(ka, a), (kb, b)| {
            b.kinds
                .total()
                .cmp(&a.kinds.total())
                .then_with(|| ka.cmp(kb))
        });
        for ((name, kind), counts) in sorted {
            let (sheet, r) = entities.next_row(&mut self.book).map_err(io)?;
            text(sheet, r, 0, &name, None).map_err(io)?;
            text(sheet, r, 1, &kind, None).map_err(io)?;
            sheet
                .write_number(r, 2, counts.kinds.total() as f64)
                .map_err(io)?;
            for (c, n) in (3..).zip(counts.kinds.0) {
                sheet.write_number(r, c, n as f64).map_err(io)?;
            }
            sheet
                .write_number(r, ARTICLES_COLUMN, counts.articles as f64)
                .map_err(io)?;
        }
        for stream in [self.claims, entities, self.articles] {
            for sheet in stream.finish().map_err(io)? {
                self.book.push_worksheet(sheet);
            }
        }
        // The zip is streamed to a temporary file, then copied: `save_to_writer` needs a
        // `Send` writer, which a locked stdout is not.
        let mut tmp = tempfile::tempfile()?;
        self.book.save_to_writer(&mut tmp).map_err(io)?;
        tmp.rewind()?;
        std::io::copy(&mut tmp, &mut self.out)?;
        self.out.flush()?;
        Ok(self.out)
    }
}

const ARTICLE_HEADER: [&str; 10] = [
    "article",
    "rows",
    "direct_quote",
    "indirect_quote",
    "mixed_quote",
    "belief",
    "evidence",
    "speech_act",
    "action",
    "error",
];

const ENTITY_HEADER: [&str; 11] = [
    "entity",
    "entity_type",
    "total",
    "direct_quote",
    "indirect_quote",
    "mixed_quote",
    "belief",
    "evidence",
    "speech_act",
    "action",
    "articles",
];

/// A sheet written row by row in constant memory; when it is full, it goes on in a new sheet
/// named `name 2`, `name 3`, … with the same header.
struct SheetStream {
    name: &'static str,
    header: &'static [&'static str],
    widths: &'static [(ColNum, f64)],
    sheet_rows: RowNum,
    sheets: Vec<Worksheet>,
    /// The next row of the last sheet.
    row: RowNum,
}

impl SheetStream {
    fn new(
        book: &mut Workbook,
        name: &'static str,
        header: &'static [&'static str],
        widths: &'static [(ColNum, f64)],
        sheet_rows: RowNum,
    ) -> Result<SheetStream, XlsxError> {
        let mut s = SheetStream {
            name,
            header,
            widths,
            sheet_rows,
            sheets: Vec::new(),
            row: 0,
        };
        s.add_sheet(book)?;
        Ok(s)
    }

    fn add_sheet(&mut self, book: &mut Workbook) -> Result<(), XlsxError> {
        let mut sheet = book.new_worksheet_with_constant_memory()?;
        let name = match self.sheets.len() {
            0 => self.name.to_string(),
            n => format!("{} {}", self.name, n + 1),
        };
        sheet.set_name(name)?;
        for &(c, w) in self.widths {
            sheet.set_column_width(c, w)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        let bold = Format::new().set_bold();
        for (c, h) in (0..).zip(self.header) {
            sheet.write_string_with_format(0, c, *h, &bold)?;
        }
        self.sheets.push(sheet);
        self.row = 1;
        Ok(())
    }

    /// The sheet and row to write the next row at.
    fn next_row(&mut self, book: &mut Workbook) -> Result<(&mut Worksheet, RowNum), XlsxError> {
        if self.row == self.sheet_rows {
            self.add_sheet(book)?;
        }
        let r = self.row;
        self.row += 1;
        Ok((self.sheets.last_mut().expect("a sheet"), r))
    }

    /// The sheets, each with an autofilter over its rows.
    fn finish(mut self) -> Result<Vec<Worksheet>, XlsxError> {
        let last_col = self.header.len() as ColNum - 1;
        let n = self.sheets.len();
        for (i, sheet) in self.sheets.iter_mut().enumerate() {
            let rows = if i + 1 == n {
                self.row
            } else {
                self.sheet_rows
            };
            sheet.autofilter(0, 0, rows - 1, last_col)?;
        }
        Ok(self.sheets)
    }
}

/// A text cell, always a string (never a formula); empty text leaves the cell blank, and text
/// over Excel's cell limit is cut there (the CSV keeps it whole).
fn text(
    sheet: &mut Worksheet,
    row: RowNum,
    col: ColNum,
    s: &str,
    format: Option<&Format>,
) -> Result<(), XlsxError> {
    if s.is_empty() {
        return Ok(());
    }
    let s = truncate_utf16(s, CELL_CHARS);
    match format {
        Some(f) => sheet.write_string_with_format(row, col, s, f)?,
        None => sheet.write_string(row, col, s)?,
    };
    Ok(())
}

/// The longest prefix of `s` of at most `max` UTF-16 units.
fn truncate_utf16(s: &str, max: usize) -> &str {
    let mut units = 0;
    for (i, ch) in s.char_indices() {
        units += ch.len_utf16();
        if units > max {
            return &s[..i];
        }
    }
    s
}

fn io(e: XlsxError) -> std::io::Error {
    std::io::Error::other(e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};

    fn row(article: &str, kind: ClaimKind, entity: &str, what: &str) -> Row {
        Row {
            article: article.into(),
            sentence: 3,
            kind: kind.as_str(),
            who: entity.into(),
            entity: entity.into(),
            entity_type: if entity.is_empty() { "" } else { "PER" }.into(),
            verb: "said".into(),
            what: what.into(),
            who_start: Some(0),
            who_end: Some(5),
            verb_start: None,
            verb_end: None,
            what_start: Some(10),
            what_end: Some(20),
        }
    }

    fn read(bytes: Vec<u8>) -> Xlsx<std::io::Cursor<Vec<u8>>> {
        Xlsx::new(std::io::Cursor::new(bytes)).unwrap()
    }

    #[test]
    fn a_full_sheet_goes_on_in_the_next_with_its_header() {
        let mut w = XlsxWriter::with_sheet_rows(Vec::new(), 3).unwrap();
        for i in 0..5 {
            w.write(&row("a.txt", ClaimKind::DirectQuote, "", &format!("q{i}")))
                .unwrap();
        }
        w.article_done("a.txt", None).unwrap();
        let mut book = read(w.finish().unwrap());
        assert_eq!(
            book.sheet_names(),
            ["claims", "claims 2", "claims 3", "entities", "articles"]
        );
        let mut whats = Vec::new();
        for name in ["claims", "claims 2", "claims 3"] {
            let r = book.worksheet_range(name).unwrap();
            let rows: Vec<_> = r.rows().collect();
            assert_eq!(rows[0][7], Data::String("what".into()), "{name}");
            whats.extend(rows[1..].iter().map(|r| r[7].to_string()));
        }
        assert_eq!(whats, ["q0", "q1", "q2", "q3", "q4"]);
    }

    #[test]
    fn entities_count_rows_and_distinct_articles_sorted_by_total() {
        let mut w = XlsxWriter::new(Vec::new()).unwrap();
        w.write(&row("a", ClaimKind::DirectQuote, "Ann Lee", "x"))
            .unwrap();
        w.write(&row("a", ClaimKind::Action, "Ann Lee", "y"))
            .unwrap();
        w.write(&row("a", ClaimKind::IndirectQuote, "Bo Ray", "z"))
            .unwrap();
        w.article_done("a", None).unwrap();
        w.article_done("b", Some("binary file")).unwrap();
        w.write(&row("c", ClaimKind::Action, "Bo Ray", "y"))
            .unwrap();
        w.write(&row("c", ClaimKind::Action, "Bo Ray", "y"))
            .unwrap();
        w.write(&row("c", ClaimKind::MixedQuote, "", "y")).unwrap();
        w.write(&row("c", ClaimKind::SpeechAct, "Bo Ray", "w"))
            .unwrap();
        w.article_done("c", None).unwrap();
        let mut book = read(w.finish().unwrap());
        let ents: Vec<Vec<String>> = book
            .worksheet_range("entities")
            .unwrap()
            .rows()
            .skip(1)
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect();
        assert_eq!(
            ents,
            [
                ["Bo Ray", "PER", "4", "0", "1", "0", "0", "0", "1", "2", "2"],
                ["Ann Lee", "PER", "2", "1", "0", "0", "0", "0", "0", "1", "1"],
            ]
        );
        let arts: Vec<Vec<String>> = book
            .worksheet_range("articles")
            .unwrap()
            .rows()
            .skip(1)
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect();
        assert_eq!(
            arts,
            [
                ["a", "3", "1", "1", "0", "0", "0", "0", "1", ""],
                ["b", "0", "0", "0", "0", "0", "0", "0", "0", "binary file"],
                ["c", "4", "0", "0", "1", "0", "0", "1", "2", ""],
            ]
        );
    }

    #[test]
    fn text_is_cut_at_excels_cell_limit_in_utf16_units() {
        assert_eq!(truncate_utf16("abc", 2), "ab");
        assert_eq!(truncate_utf16("a😀b", 2), "a");
        assert_eq!(truncate_utf16("a😀b", 3), "a😀");
        assert_eq!(truncate_utf16("", 3), "");
        let long = "x".repeat(CELL_CHARS + 10);
        let mut w = XlsxWriter::new(Vec::new()).unwrap();
        w.write(&row("a", ClaimKind::DirectQuote, "", &long))
            .unwrap();
        w.article_done("a", None).unwrap();
        let mut book = read(w.finish().unwrap());
        let r = book.worksheet_range("claims").unwrap();
        assert_eq!(r.get((1, 7)).unwrap().to_string().len(), CELL_CHARS);
    }
}
