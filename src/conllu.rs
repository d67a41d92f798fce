//! A CoNLL-U reader for the training and evaluation data (UD EWT, GUM), and the rebuild of a
//! document's running text from its `# text` lines, with each word's offsets in that text.
//!
//! Multiword-token ranges (`1-2`) and empty nodes (`8.1`) are skipped: the syntactic words are
//! what the parser is trained and scored on.

use crate::span::Span;
use std::path::Path;

/// One syntactic word of a CoNLL-U sentence.
#[derive(Clone, Debug)]
pub struct Word {
    pub form: String,
    pub lemma: String,
    pub upos: String,
    pub xpos: String,
    /// 0 for the root, else the 1-based index of the head word.
    pub head: usize,
    pub deprel: String,
    pub misc: String,
}

impl Word {
    /// The value of `key=` in the MISC column, if present.
    pub fn misc_value(&self, key: &str) -> Option<&str> {
        self.misc
            .split('|')
            .find_map(|kv| kv.strip_prefix(key).and_then(|v| v.strip_prefix('=')))
    }

    pub fn space_after(&self) -> bool {
        self.misc_value("SpaceAfter") != Some("No")
    }
}

/// One sentence with its comment metadata.
#[derive(Clone, Debug, Default)]
pub struct Sentence {
    pub sent_id: String,
    pub text: String,
    /// `# newdoc` seen before this sentence: its id (possibly empty).
    pub newdoc: Option<String>,
    /// `# newpar` seen before this sentence (GUM, EWT mark paragraph starts this way).
    pub newpar: bool,
    /// GUM marks headings with `# newpar_block = head ...`.
    pub heading: bool,
    pub words: Vec<Word>,
}

/// Parses a whole CoNLL-U file.
pub fn read_file(path: &Path) -> Result<Vec<Sentence>, crate::files::FileError> {
    Ok(parse(&crate::files::read_to_string(path)?))
}

/// Parses CoNLL-U text.
pub fn parse(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut cur = Sentence::default();
    let mut started = false;
    for line in text.lines() {
        if line.trim().is_empty() {
            if started {
                out.push(std::mem::take(&mut cur));
                started = false;
            }
            continue;
        }
        started = true;
        if let Some(c) = line.strip_prefix('#') {
            let c = c.trim();
            let (key, val) = match c.split_once('=') {
                Some((k, v)) => (k.trim(), v.trim()),
                None => (c, ""),
            };
            match key {
                "sent_id" => cur.sent_id = val.to_string(),
                "text" => cur.text = val.to_string(),
                "newdoc" | "newdoc id" => cur.newdoc = Some(val.to_string()),
                "newpar" | "newpar id" => cur.newpar = true,
                "newpar_block" => {
                    cur.newpar = true;
                    if val.starts_with("head") {
                        cur.heading = true;
                    }
                }
                _ => {}
            }
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 10 || cols[0].contains('-') || cols[0].contains('.') {
            continue;
        }
        cur.words.push(Word {
            form: cols[1].to_string(),
            lemma: cols[2].to_string(),
            upos: cols[3].to_string(),
            xpos: cols[4].to_string(),
            head: cols[6].parse().unwrap_or(0),
            deprel: cols[7].to_string(),
            misc: cols[9].to_string(),
        });
    }
    if started {
        out.push(cur);
    }
    out
}

/// A document rebuilt as running text: sentences of a paragraph joined with one space,
/// paragraphs with a blank line (the measure used for sentence-splitting evaluation).
#[derive(Clone, Debug)]
pub struct RebuiltDoc {
    pub id: String,
    pub text: String,
    /// Span of each sentence in `text`.
    pub sentences: Vec<Span>,
    /// Span of each word of each sentence in `text` (found by aligning forms to `# text`).
    /// `None` for a word whose form could not be found in the sentence text.
    pub words: Vec<Vec<Option<Span>>>,
    /// Index into the input slice of each sentence.
    pub source: Vec<usize>,
}

/// Splits sentences into documents at `# newdoc` and rebuilds each document's text.
pub fn rebuild_documents(sentences: &[Sentence]) -> Vec<RebuiltDoc> {
    let mut docs: Vec<RebuiltDoc> = Vec::new();
    for (i, s) in sentences.iter().enumerate() {
        if s.newdoc.is_some() || docs.is_empty() {
            docs.push(RebuiltDoc {
                id: s.newdoc.clone().unwrap_or_default(),
                text: String::new(),
                sentences: Vec::new(),
                words: Vec::new(),
                source: Vec::new(),
            });
        }
        let doc = docs.last_mut().unwrap();
        if !doc.text.is_empty() {
            doc.text.push_str(if s.newpar { "\n\n" } else { " " });
        }
        let start = doc.text.len();
        doc.text.push_str(&s.text);
        doc.sentences.push(Span::new(start, doc.text.len()));
        doc.words.push(align_words(&s.text, &s.words, start));
        doc.source.push(i);
    }
    docs
}

/// Finds each word's form in the sentence text, left to right.
fn align_words(text: &str, words: &[Word], offset: usize) -> Vec<Option<Span>> {
    let mut pos = 0;
    words
        .iter()
        .map(|w| {
            let rest = &text[pos..];
            let skip = rest.len() - rest.trim_start().len();
            if rest[skip..].starts_with(&w.form) {
                let start = pos + skip;
                pos = start + w.form.len();
                Some(Span::new(offset + start, offset + pos))
            } else {
                None
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# newdoc id = d1\n# newpar\n# sent_id = s1\n# text = Hi there.\n\
1\tHi\thi\tINTJ\tUH\t_\t0\troot\t_\t_\n2\tthere\tthere\tADV\tRB\t_\t1\tadvmod\t_\tSpaceAfter=No\n\
3\t.\t.\tPUNCT\t.\t_\t1\tpunct\t_\t_\n\n# sent_id = s2\n# text = Don't.\n\
1-2\tDon't\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No\n1\tDo\tdo\tAUX\tVBP\t_\t0\troot\t_\t_\n\
2\tn't\tnot\tPART\tRB\t_\t1\tadvmod\t_\t_\n3\t.\t.\tPUNCT\t.\t_\t1\tpunct\t_\t_\n\n";

    #[test]
    fn reads_words_and_skips_ranges() {
        let s = parse(SAMPLE);
        assert_eq!(s.len(), 2);
        assert_eq!(s[1].words.len(), 3);
        assert_eq!(s[0].words[1].head, 1);
        assert!(!s[0].words[1].space_after());
    }

    #[test]
    fn rebuild_keeps_word_offsets() {
        let s = parse(SAMPLE);
        let docs = rebuild_documents(&s);
        assert_eq!(docs.len(), 1);
        let d = &docs[0];
        assert_eq!(d.text, "Hi there. Don't.");
        assert_eq!(d.words[1][1].unwrap().slice(&d.text), "n't");
        assert_eq!(d.sentences[1].slice(&d.text), "Don't.");
    }
}
