//! Cues in the parse: which tokens are cue verbs ([`cue_of`], also read by `actions`), a cue
//! verb with its words as written ([`CueVerb`]), and the cue nearest a quotation with its
//! speaker ([`cue_in`]).

use super::lexicon::{CueClass, Lexicon, WordClass};
use super::speaker::{np_head, subject};
use crate::document::Document;
use crate::span::Span;

/// The cue class of token `v`, with its particle token for phrasal cues.
pub fn cue_of(doc: &Document, lex: &Lexicon, v: usize) -> Option<(CueClass, Option<usize>)> {
    let t = &doc.tokens[v];
    if t.upos != "VERB" {
        return None;
    }
    let particle = doc.children_with(v, "compound:prt").next().or_else(|| {
        // `called on Trump`: parsers often attach `on` as the case of the object
        (v + 1 < doc.tokens.len() && doc.tokens[v + 1].deprel == "case").then_some(v + 1)
    });
    if let Some(p) = particle {
        if let Some(c) = lex.phrasal(&t.lemma, doc.word(p)) {
            return Some((c, Some(p)));
        }
    }
    lex.verb(&t.lemma).map(|c| (c, None))
}

/// A naming verb (`call`, `dub`, `label`: `naming` in `rule_words.txt`) says something only of
/// an object it names (`called the bill "a gift"`); a quotation beside it is a name (`a film
/// called "Dunes"`).
pub fn naming(doc: &Document, lex: &Lexicon, v: usize) -> bool {
    lex.has(WordClass::Naming, &doc.tokens[v].lemma)
}

/// A speech or act cue verb (cognition cues do not report speech), as the indirect rules see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CueVerb {
    /// The verb token.
    pub token: usize,
    pub class: CueClass,
    /// The particle of a phrasal cue (`called on`).
    pub particle: Option<usize>,
    /// The verb and its particle as written.
    pub span: Span,
}

impl CueVerb {
    /// Token `v` as a speech or act cue.
    pub fn at(doc: &Document, lex: &Lexicon, v: usize) -> Option<CueVerb> {
        let (class, particle) = cue_of(doc, lex, v)?;
        if class == CueClass::Think {
            return None;
        }
        let span = match particle {
            Some(p) => doc.tokens[v].span.cover(doc.tokens[p].span),
            None => doc.tokens[v].span,
        };
        Some(CueVerb {
            token: v,
            class,
            particle,
            span,
        })
    }
}

/// Which side of a quotation a cue is looked for on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// Before the opening mark (`X said: "..."`): the nearest cue is the last one.
    Before,
    /// After the closing mark (`"...," X said`): the nearest cue is the first one.
    After,
}

/// A cue found next to a quotation: the cue verb and its speaker's head token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NearCue {
    pub verb: usize,
    pub speaker: Option<usize>,
}

/// The speech cue among `region` nearest the quotation on `side`, with its speaker: the cue's
/// subject inside `region`, else the noun phrase between quotation and cue (`," the college's
/// president, Dr. X, told ...`), else the first noun phrase after the cue (`said the minister`).
pub fn cue_in(doc: &Document, lex: &Lexicon, region: &[usize], side: Side) -> Option<NearCue> {
    let mut cues = region
        .iter()
        .copied()
        .filter(|&t| match cue_of(doc, lex, t) {
            Some((CueClass::Speech | CueClass::Act, particle)) => {
                particle.is_some() || !naming(doc, lex, t)
            }
            _ => false,
        });
    let v = match side {
        Side::Before => cues.next_back()?,
        Side::After => cues.next()?,
    };
    let nominal = |t: usize| matches!(doc.tokens[t].upos, "PROPN" | "NOUN" | "PRON");
    let speaker = subject(doc, v)
        .map(|s| s.head)
        .filter(|h| region.contains(h))
        .or_else(|| {
            region
                .iter()
                .copied()
                .filter(|&t| t < v)
                .find(|&t| nominal(t))
                .map(|t| np_head(doc, t, region))
        })
        .or_else(|| {
            region
                .iter()
                .copied()
                .filter(|&t| t > v)
                .find(|&t| nominal(t))
                .map(|t| np_head(doc, t, region))
        });
    Some(NearCue { verb: v, speaker })
}
