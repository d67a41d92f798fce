//! Parenthetical reporting clauses inside the reported sentence: `The policy, officials said,
//! will cost billions.`, `The deal, according to two diplomats, was signed on Friday.`, `The
//! vaccine, the study found, cut admissions by half.` The parser often hangs such a clause on
//! the noun before it (a relative clause) or reads it as parataxis; either way the sentence
//! around the commas is what was said.
//!
//! The content is the whole sentence with the parenthetical inside it: a row's content is one
//! span, and a sentence cut at the parenthetical would lose its subject.

use super::cues::CueVerb;
use super::indirect::{speaking, Reported};
use super::lexicon::{CueClass, Lexicon};
use crate::document::Document;

/// Rule `indirect::parenthetical`. A cue verb with its own subject and no content of its own
/// (`officials said`), or a cue phrase with its source (`according to two diplomats`), set off
/// by commas inside a sentence whose predicate comes after it.
pub fn parenthetical(doc: &Document, lex: &Lexicon, v: usize) -> Option<Reported> {
    let (first, last, speaker, cue) =
        reporting_verb(doc, lex, v).or_else(|| source_phrase(doc, lex, v))?;
    let sentence = doc.tokens[v].sentence;
    let in_sentence = |i: usize| doc.tokens[i].sentence == sentence;
    // `, officials said,`: a comma right before and the next comma after, nothing verbal between
    let before = first
        .checked_sub(1)
        .filter(|&i| in_sentence(i) && doc.word(i) == ",")?;
    let after = (last + 1..doc.tokens.len())
        .take_while(|&i| in_sentence(i))
        .find(|&i| doc.word(i) == ",")?;
    if (last + 1..after).any(|i| matches!(doc.tokens[i].upos, "VERB" | "AUX")) {
        return None;
    }
    let start = (0..before).rev().take_while(|&i| in_sentence(i)).last()?;
    let end = (after..doc.tokens.len())
        .take_while(|&i| in_sentence(i))
        .last()?;
    // words of the clause before the commas, and its predicate after them
    if !(start..before).any(|i| doc.tokens[i].upos != "PUNCT")
        || !(after + 1..=end).any(|i| matches!(doc.tokens[i].upos, "VERB" | "AUX"))
    {
        return None;
    }
    Some(Reported {
        speaker: Some(speaker),
        cue: Some(cue),
        content: (start..=end).collect(),
    })
}

/// `officials said`: first and last token of the reporting clause, the speaker and the cue.
fn reporting_verb(
    doc: &Document,
    lex: &Lexicon,
    v: usize,
) -> Option<(usize, usize, usize, crate::span::Span)> {
    let (class, span) = match CueVerb::at(doc, lex, v) {
        Some(cue) => (cue.class, cue.span),
        None => (super::cue_of(doc, lex, v)?.0, doc.tokens[v].span),
    };
    let speaker = match class {
        CueClass::Speech | CueClass::Act => {
            let cue = CueVerb::at(doc, lex, v)?;
            speaking(doc, lex, &cue)??
        }
        // `the study found`: evidence (a belief would need its holder's words; not here)
        CueClass::Think => {
            let s = super::speaker::subject(doc, v)?.head;
            lex.is_document(doc, s).then_some(s)?
        }
    };
    // its own content makes it another form (`officials said the policy ...`)
    if speaker > v
        || doc.children[v]
            .iter()
            .any(|&c| matches!(doc.tokens[c].deprel.as_str(), "ccomp" | "obj" | "xcomp"))
    {
        return None;
    }
    // the speaker's first word (the parser may hang the comma before it on it)
    let first = doc
        .subtree(speaker)
        .into_iter()
        .find(|&t| doc.tokens[t].upos != "PUNCT")?;
    Some((first, v, speaker, span))
}

/// `according to two diplomats`: first and last token, the source and the cue words.
fn source_phrase(
    doc: &Document,
    lex: &Lexicon,
    v: usize,
) -> Option<(usize, usize, usize, crate::span::Span)> {
    let phrase = lex.phrases().iter().find(|p| {
        p.first().is_some_and(|w| w == "according")
            && p.iter()
                .enumerate()
                .all(|(k, w)| v + k < doc.tokens.len() && doc.lower(v + k) == *w)
    })?;
    let to = v + phrase.len() - 1;
    let source = doc.tokens[v]
        .head
        .filter(|&h| h > to)
        .or_else(|| doc.tokens[to].head.filter(|&h| h > to))?;
    let last = doc
        .subtree(source)
        .into_iter()
        .rev()
        .find(|&t| doc.tokens[t].upos != "PUNCT")?;
    let cue = doc.tokens[v].span.cover(doc.tokens[to].span);
    Some((v, last, source, cue))
}

#[cfg(test)]
mod tests {
    use crate::conllu::testing::check_attribution_and_actions as check;

    #[test]
    fn reporting_clause_between_commas() {
        check(&[
            (
                "parsed as a relative clause of the subject",
                "The policy, officials said, will cost billions.
                 The DET 2 det
                 policy NOUN 8 nsubj
                 , PUNCT 4 punct
                 officials NOUN 5 nsubj
                 said VERB 2 acl:relcl
                 , PUNCT 2 punct
                 will AUX 8 aux
                 cost VERB 0 root
                 billions NOUN 8 obj
                 . PUNCT 8 punct",
                &["indirect_quote officials | said | The policy, officials said, will cost billions | -"],
            ),
            (
                "a cue phrase between commas",
                "The deal, according to diplomats, was signed.
                 The DET 2 det
                 deal NOUN 9 nsubj:pass
                 , PUNCT 6 punct
                 according VERB 6 case
                 to ADP 4 fixed
                 diplomats NOUN 9 obl
                 , PUNCT 6 punct
                 was AUX 9 aux:pass
                 signed VERB 0 root
                 . PUNCT 9 punct",
                &["indirect_quote diplomats | according to | The deal, according to diplomats, was signed | -"],
            ),
            (
                "a document's finding between commas is evidence",
                "The drug, the study found, cut deaths.
                 The DET 2 det
                 drug NOUN 8 nsubj
                 , PUNCT 5 punct
                 the DET 5 det
                 study NOUN 6 nsubj
                 found VERB 2 acl:relcl
                 , PUNCT 2 punct
                 cut VERB 0 root
                 deaths NOUN 8 obj
                 . PUNCT 8 punct",
                &["evidence the study | found | The drug, the study found, cut deaths | -"],
            ),
        ]);
    }

    #[test]
    fn not_a_parenthetical() {
        check(&[
            (
                "a cue with its own clause is a complement",
                "In Paris, officials said talks failed.
                 In ADP 2 case
                 Paris PROPN 5 obl
                 , PUNCT 2 punct
                 officials NOUN 5 nsubj
                 said VERB 0 root
                 talks NOUN 7 nsubj
                 failed VERB 5 ccomp
                 . PUNCT 5 punct",
                &["indirect_quote officials | said | talks failed | -"],
            ),
            (
                "a relative clause with no comma after it",
                "The report, which officials wrote, was leaked.
                 The DET 2 det
                 report NOUN 9 nsubj:pass
                 , PUNCT 6 punct
                 which PRON 6 obj
                 officials NOUN 6 nsubj
                 wrote VERB 2 acl:relcl
                 , PUNCT 6 punct
                 was AUX 9 aux:pass
                 leaked VERB 0 root
                 . PUNCT 9 punct",
                &[],
            ),
            (
                "a person's thought between commas is not reported here",
                "The plan, she thought, would fail.
                 The DET 2 det
                 plan NOUN 7 nsubj
                 , PUNCT 4 punct
                 she PRON 5 nsubj
                 thought VERB 2 acl:relcl
                 , PUNCT 2 punct
                 would AUX 7 aux
                 fail VERB 0 root
                 . PUNCT 7 punct",
                &[],
            ),
        ]);
    }
}
