//! Finding who: the subject of a cue or action verb (inherited through conjoined, participial
//! and relative clauses), the head of a noun phrase or name, and the mention span as written.

use crate::document::{run_around, Document};
use crate::function_words::RELATIVE_PRONOUNS;
use crate::model::labels::EntityType;
use crate::span::Span;

/// Relative pronouns that stand for the noun their clause modifies.
pub fn is_relative(word: &str) -> bool {
    crate::function_words::is(RELATIVE_PRONOUNS, &word.to_lowercase())
}

/// A subject found for a verb.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Subject {
    /// Head token of the subject mention (for a relative pronoun, the noun it stands for).
    pub head: usize,
}

/// The subject of verb `v`: its own `nsubj`, else the subject of the clause it is conjoined to
/// or hangs from as a participle (`..., stating that ...`). Passive subjects are not agents.
pub fn subject(doc: &Document, v: usize) -> Option<Subject> {
    let mut cur = v;
    for _ in 0..6 {
        if let Some(s) = doc
            .children_with(cur, "nsubj")
            .find(|&c| doc.tokens[c].deprel != "nsubj:pass")
        {
            // `Umerov, who stressed ...`: the speaker is the noun the pronoun stands for
            let antecedent = is_relative(doc.word(s))
                .then(|| relative_antecedent(doc, s, cur))
                .flatten();
            return Some(Subject {
                head: antecedent.unwrap_or(s),
            });
        }
        if doc.children_with(cur, "nsubj:pass").next().is_some() {
            return None;
        }
        let rel = doc.tokens[cur].deprel.as_str();
        let head = doc.tokens[cur].head?;
        let participle = doc.word(cur).to_lowercase().ends_with("ing");
        match rel {
            // a verb conjoined to a reported clause belongs to the reporting clause
            "conj" if doc.tokens[head].deprel == "ccomp" => {
                cur = doc.tokens[head].head.unwrap_or(head)
            }
            "conj" | "xcomp" => cur = head,
            "advcl" if participle && doc.children_with(cur, "mark").next().is_none() => cur = head,
            _ => return None,
        }
    }
    None
}

/// The noun a relative pronoun `rel` (subject of clause `clause`) stands for: the noun the
/// relative clause modifies, else the noun just before the pronoun (`Umerov, who ...`).
fn relative_antecedent(doc: &Document, rel: usize, clause: usize) -> Option<usize> {
    if doc.tokens[clause].deprel.starts_with("acl") {
        return doc.tokens[clause].head;
    }
    let mut k = rel.checked_sub(1)?;
    while doc.tokens[k].upos == "PUNCT" {
        k = k.checked_sub(1)?;
    }
    matches!(doc.tokens[k].upos, "PROPN" | "NOUN").then_some(k)
}

/// Climbs from `t` to the head of its noun phrase inside `region`.
pub fn np_head(doc: &Document, t: usize, region: &[usize]) -> usize {
    let mut cur = t;
    while let Some(h) = doc.tokens[cur].head {
        let rel = doc.tokens[cur].deprel.as_str();
        let nominal = matches!(doc.tokens[h].upos, "PROPN" | "NOUN");
        if region.contains(&h)
            && nominal
            && (matches!(
                rel,
                "compound"
                    | "flat"
                    | "amod"
                    | "det"
                    | "nmod:poss"
                    | "flat:name"
                    | "nummod"
                    | "nmod:desc"
            ) || (rel == "nmod" && cur + 1 == h)
                // `the opposition leader, Tomasz Wrona`: the name is the role's appositive
                || (rel == "appos" && h < cur && doc.tokens[h].upos == "NOUN"))
        {
            cur = h;
        } else {
            break;
        }
    }
    cur
}

/// The head of the first name (a non-location entity or a proper noun) among `tokens`.
pub fn name_head(doc: &Document, tokens: &[usize]) -> Option<usize> {
    let t = tokens.iter().copied().find(|&t| {
        doc.entity_at(t).is_some_and(|e| e.ty != EntityType::Loc) || doc.tokens[t].upos == "PROPN"
    })?;
    Some(np_head(doc, t, tokens))
}

/// The mention headed by `h` as written: its subtree without relative clauses or other
/// clauses hanging off it, kept contiguous around `h`, trimmed of edge punctuation.
pub fn mention(doc: &Document, h: usize) -> Span {
    let keep = doc.subtree_where(h, |t, c| {
        let rel = doc.tokens[c].deprel.as_str();
        let skip = rel.starts_with("acl")
            || rel == "advcl"
            || rel == "parataxis"
            || rel == "ccomp"
            || rel == "dep"
            || (rel == "conj" && doc.tokens[c].upos == "VERB")
            || (t == h && matches!(rel, "case" | "mark" | "cc"));
        !skip
    });
    let run = run_around(&keep, h);
    let (mut a, mut b) = (run[0], run[run.len() - 1]);
    // `from Chairwoman X`: a preposition or conjunction opening the phrase is not the mention
    while a < h && matches!(doc.tokens[a].deprel.as_str(), "case" | "cc" | "mark") {
        a += 1;
    }
    let edge_punct = |i: usize| doc.tokens[i].upos == "PUNCT" || doc.word(i) == "-";
    while a < b && edge_punct(a) {
        a += 1;
    }
    while b > a && edge_punct(b) {
        b -= 1;
    }
    doc.tokens[a].span.cover(doc.tokens[b].span)
}

/// A token span from `tokens` (sorted) trimmed of edge punctuation, a leading `that`, and
/// closing words. `None` when nothing is left.
pub fn content_span(doc: &Document, tokens: &[usize]) -> Option<Span> {
    let (mut a, mut b) = (*tokens.first()?, *tokens.last()?);
    let droppable_start = |i: usize| {
        let w = doc.lower(i);
        doc.tokens[i].upos == "PUNCT" && !is_open_quote(&w)
            || w == "that" && doc.tokens[i].deprel == "mark"
    };
    while a < b && droppable_start(a) {
        a += 1;
    }
    let droppable_end = |i: usize| {
        let w = doc.word(i);
        doc.tokens[i].upos == "PUNCT" && !is_close_quote(w) && !matches!(w, ")" | "?" | "!" | "%")
    };
    while b > a && droppable_end(b) {
        b -= 1;
    }
    if droppable_start(a) || droppable_end(b) {
        return None;
    }
    Some(doc.tokens[a].span.cover(doc.tokens[b].span))
}

fn is_open_quote(w: &str) -> bool {
    crate::text::is_opening_quote_word(w)
}

fn is_close_quote(w: &str) -> bool {
    crate::text::is_closing_quote_word(w)
}
