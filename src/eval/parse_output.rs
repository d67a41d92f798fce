//! `whosaid parse`: the dependency parse as CoNLL-U, from raw text or pre-tokenized lines.

use crate::document::{Document, Sentence, Token};
use crate::model::tagger::Tagger;
use crate::model::ModelConfig;
use crate::pipeline::Pipeline;
use crate::span::{CharIndex, Span};
use crate::stage::Stage;
use std::io::Write;

/// A document of pre-tokenized text: one sentence per line, tokens separated by single spaces.
pub fn pretokenized_document(text: &str) -> Document {
    let mut doc = Document::new(text.to_string());
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let start_tok = doc.tokens.len();
        let mut off = pos;
        for tok in body.split(' ') {
            if !tok.is_empty() {
                doc.tokens.push(Token {
                    span: Span::new(off, off + tok.len()),
                    sentence: doc.sentences.len(),
                    upos: "X",
                    lemma: String::new(),
                    head: None,
                    deprel: String::new(),
                });
            }
            off += tok.len() + 1;
        }
        if doc.tokens.len() > start_tok {
            let span = doc.tokens[start_tok]
                .span
                .cover(doc.tokens.last().unwrap().span);
            doc.sentences.push(Sentence {
                span,
                paragraph: doc.sentences.len(),
                tokens: start_tok..doc.tokens.len(),
            });
        }
        pos += line.len();
    }
    doc.index_tree();
    doc
}

/// Parses `text` and writes CoNLL-U with `Offsets=start:end` (Unicode scalars) in MISC.
pub fn write_conllu(
    cfg: &ModelConfig,
    text: &str,
    pretokenized: bool,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let mut doc = if pretokenized {
        pretokenized_document(text)
    } else {
        Pipeline::text_only().process(text.to_string())?
    };
    Tagger::new(cfg.clone())?.process(&mut doc)?;
    let idx = CharIndex::new(&doc.text);
    for (si, s) in doc.sentences.iter().enumerate() {
        writeln!(out, "# sent_id = {}", si + 1)?;
        writeln!(
            out,
            "# text = {}",
            doc.slice(s.span).replace(['\n', '\r', '\t'], " ")
        )?;
        for i in s.tokens.clone() {
            let t = &doc.tokens[i];
            let head = t.head.map(|h| h - s.tokens.start + 1).unwrap_or(0);
            let (a, b) = idx.span(t.span);
            writeln!(
                out,
                "{}\t{}\t{}\t{}\t_\t_\t{}\t{}\t_\tOffsets={a}:{b}",
                i - s.tokens.start + 1,
                doc.word(i),
                if t.lemma.is_empty() { "_" } else { &t.lemma },
                t.upos,
                head,
                t.deprel
            )?;
        }
        writeln!(out)?;
    }
    Ok(())
}
