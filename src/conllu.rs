//! A CoNLL-U reader for the training and evaluation data (UD EWT, GUM), and the rebuild of a
//! document's running text from its `# text` lines, with each word's offsets in that text.
//!
//! Multiword-token ranges (`1-2`) and empty nodes (`8.1`) are skipped: the syntactic words are
//! what the parser is trained and scored on.

use crate::document::{Document, Entity, Paragraph, Sentence as DocSentence, Token};
use crate::model::labels::{EntityType, UPOS};
use crate::model::lemma::lemmatize;
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

/// How paragraphs are laid over the sentences of a rebuilt document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Paragraphs {
    /// Each sentence a paragraph of its own (what `eval actions` has always scored).
    PerSentence,
    /// From the `# newpar` marks (the blank lines of the rebuilt text).
    Marked,
}

/// A [`Document`] over the words of `rebuilt` with the syntax of `sents` (its sentences: gold
/// trees, or a parse put in their place), as the rule stages see one from the model: tokens
/// with the pipeline's lemmas, sentences, paragraphs, and entities from `NER=B-PER`-style BIO
/// marks in MISC (absent in the gold data). A word whose form was not found in the text gets
/// an empty span where the previous word ended.
pub fn document(rebuilt: &RebuiltDoc, sents: &[Sentence], paragraphs: Paragraphs) -> Document {
    let mut doc = Document::new(rebuilt.text.clone());
    for (si, (s, spans)) in sents.iter().zip(&rebuilt.words).enumerate() {
        let start = doc.tokens.len();
        let mut last = rebuilt.sentences[si].start;
        for (w, sp) in s.words.iter().zip(spans) {
            let span = sp.unwrap_or(Span::new(last, last));
            last = span.end;
            let upos = UPOS.iter().copied().find(|u| *u == w.upos).unwrap_or("X");
            doc.tokens.push(Token {
                span,
                sentence: si,
                upos,
                lemma: lemmatize(&w.form, upos),
                head: (w.head > 0).then(|| start + w.head - 1),
                deprel: w.deprel.clone(),
            });
        }
        let span = rebuilt.sentences[si];
        let new_paragraph = paragraphs == Paragraphs::PerSentence || s.newpar || si == 0;
        match doc.paragraphs.last_mut() {
            Some(p) if !new_paragraph => p.span = p.span.cover(span),
            _ => doc.paragraphs.push(Paragraph {
                span,
                headline: false,
            }),
        }
        doc.sentences.push(DocSentence {
            span,
            paragraph: doc.paragraphs.len() - 1,
            tokens: start..doc.tokens.len(),
        });
        add_marked_entities(&mut doc, s, start);
    }
    doc.index_tree();
    doc
}

/// Entities from the `NER=` BIO tags of the words of `s`, whose first token is `start`.
fn add_marked_entities(doc: &mut Document, s: &Sentence, start: usize) {
    let mut open: Option<(usize, EntityType)> = None;
    let tags: Vec<Option<&str>> = s.words.iter().map(|w| w.misc_value("NER")).collect();
    for k in 0..=tags.len() {
        let tag = tags.get(k).copied().flatten().unwrap_or("O");
        let (bio, ty) = tag.split_once('-').unwrap_or((tag, ""));
        let ty = EntityType::parse(ty);
        let continues = bio == "I" && open.is_some_and(|(_, t)| Some(t) == ty);
        if let (Some((first, t)), false) = (open, continues) {
            let tokens = start + first..start + k;
            let span = doc.tokens[tokens.start]
                .span
                .cover(doc.tokens[tokens.end - 1].span);
            doc.entities.push(Entity {
                span,
                tokens,
                ty: t,
            });
            open = None;
        }
        if !continues {
            open = ty.filter(|_| matches!(bio, "B" | "I")).map(|t| (k, t));
        }
    }
}

/// Hand-written documents for the rule stages' unit tests, through the same path as
/// `eval actions` ([`parse`], [`rebuild_documents`], [`document`]) and without the model.
#[cfg(test)]
pub mod testing {
    use super::*;
    use crate::stage::Stage;

    /// A document from sentences separated by blank lines. Each sentence is an optional
    /// `# newpar` line, its text, then one line per word: `FORM UPOS HEAD DEPREL [NER-TAG]`
    /// (whitespace-separated, HEAD 1-based, 0 for the root), written out as CoNLL-U.
    pub fn doc(src: &str) -> Document {
        let mut conllu = String::new();
        let mut blocks: Vec<Vec<&str>> = vec![Vec::new()];
        for line in src.lines().map(str::trim) {
            if !line.is_empty() {
                blocks.last_mut().expect("one block").push(line);
            } else if blocks.last().is_some_and(|b| !b.is_empty()) {
                blocks.push(Vec::new());
            }
        }
        for block in blocks.iter().filter(|b| !b.is_empty()) {
            let mut lines = block.iter().copied();
            let mut text = lines.next().expect("a sentence text");
            if text == "# newpar" {
                conllu.push_str("# newpar\n");
                text = lines.next().expect("a sentence text");
            }
            conllu.push_str(&format!("# text = {text}\n"));
            for (i, line) in lines.enumerate() {
                let f: Vec<&str> = line.split_whitespace().collect();
                assert!(matches!(f.len(), 4 | 5), "bad word line {line:?}");
                let misc = f.get(4).map_or("_".to_string(), |t| format!("NER={t}"));
                conllu.push_str(&format!(
                    "{}\t{}\t_\t{}\t_\t_\t{}\t{}\t_\t{misc}\n",
                    i + 1,
                    f[0],
                    f[1],
                    f[2],
                    f[3]
                ));
            }
            conllu.push('\n');
        }
        let sents = parse(&conllu);
        let rebuilt = rebuild_documents(&sents).remove(0);
        for (words, s) in rebuilt.words.iter().zip(&sents) {
            for (span, w) in words.iter().zip(&s.words) {
                assert!(span.is_some(), "{:?} not found in {:?}", w.form, s.text);
            }
        }
        document(&rebuilt, &sents, Paragraphs::Marked)
    }

    /// One rule test: its name, a hand-written document (see [`doc`]) and the rows wanted
    /// (see [`rows`]).
    pub type Case<'a> = (&'a str, &'a str, &'a [&'a str]);

    /// The rows `stage` adds to the document of `src`, after the stages it needs (`before`, in
    /// pipeline order): a stage's tests see its own rows only.
    pub fn rows_of(before: &[&dyn Stage], stage: &dyn Stage, src: &str) -> Vec<String> {
        let mut d = doc(src);
        for s in before {
            s.process(&mut d).unwrap();
        }
        let mut earlier = rows(&d);
        stage.process(&mut d).unwrap();
        let mut added = rows(&d);
        added.retain(|r| match earlier.iter().position(|e| e == r) {
            Some(i) => {
                earlier.remove(i);
                false
            }
            None => true,
        });
        added
    }

    /// The one harness of the rule stages' tests: each case's rows from `stage` (run after
    /// `before`) are the rows wanted, or the test fails with the case's name.
    pub fn check(before: &[&dyn Stage], stage: &dyn Stage, cases: &[Case]) {
        for (name, src, want) in cases {
            assert_eq!(rows_of(before, stage, src), *want, "{name}");
        }
    }

    /// For rules where attribution and actions share a verb (a speech act is no action, a
    /// request also has its action): each stage's own rows, attribution's then actions', as
    /// [`rows_of`] gives them, in one list.
    pub fn attribution_and_actions(src: &str) -> Vec<String> {
        use crate::actions::ActionFinder;
        use crate::attribution::QuoteFinder;
        let quotes = QuoteFinder::new();
        let mut rows = rows_of(&[], &quotes, src);
        let actions = ActionFinder::new(crate::stage::RuleOptions::default());
        rows.extend(rows_of(&[&quotes], &actions, src));
        rows
    }

    /// [`check`] for [`attribution_and_actions`].
    pub fn check_attribution_and_actions(cases: &[Case]) {
        for (name, src, want) in cases {
            assert_eq!(attribution_and_actions(src), *want, "{name}");
        }
    }

    /// The claims of `doc` as `kind who | verb | what | entity`, `-` for an absent field, in
    /// the order the stages put them.
    pub fn rows(doc: &Document) -> Vec<String> {
        let show = |s: Option<Span>| s.map_or("-", |s| doc.slice(s));
        doc.claims
            .iter()
            .map(|c| {
                format!(
                    "{} {} | {} | {} | {}",
                    c.kind.as_str(),
                    show(c.who),
                    show(c.verb),
                    show(c.what),
                    c.entity.as_deref().unwrap_or("-")
                )
            })
            .collect()
    }
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
    fn test_documents_have_paragraphs_trees_and_entities() {
        let d = testing::doc(
            "Ana Lima spoke.
             Ana PROPN 3 nsubj B-PER
             Lima PROPN 1 flat I-PER
             spoke VERB 0 root
             . PUNCT 3 punct

             It rained.
             It PRON 2 expl
             rained VERB 0 root
             . PUNCT 2 punct

             # newpar
             Café Zoë rose.
             Café PROPN 3 nsubj B-ORG
             Zoë PROPN 1 flat B-PER
             rose VERB 0 root
             . PUNCT 3 punct",
        );
        assert_eq!(d.text, "Ana Lima spoke. It rained.\n\nCafé Zoë rose.");
        let paras: Vec<usize> = d.sentences.iter().map(|s| s.paragraph).collect();
        assert_eq!(paras, [0, 0, 1]);
        assert_eq!(d.slice(d.paragraphs[0].span), "Ana Lima spoke. It rained.");
        assert_eq!(d.tokens[2].lemma, "speak");
        assert_eq!(d.tokens[0].head, Some(2));
        assert_eq!(d.children[2], [0, 3]);
        let ents: Vec<(&str, EntityType)> =
            d.entities.iter().map(|e| (d.slice(e.span), e.ty)).collect();
        assert_eq!(
            ents,
            [
                ("Ana Lima", EntityType::Per),
                ("Café", EntityType::Org),
                ("Zoë", EntityType::Per)
            ]
        );
        assert_eq!(d.word(8), "Zoë");
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
