//! Requests reported with an infinitive: `The mayor urged residents to conserve water`, `The
//! minister asked parliament to approve the budget`, `The union invited the company to resume
//! talks`. What was asked is the addressee and the infinitive (`residents to conserve water`),
//! whether the parser made the addressee the cue's object or the infinitive's subject.

use super::cues::{naming, CueVerb};
use super::indirect::{speaking, Reported};
use super::lexicon::Lexicon;
use crate::document::Document;

/// Rule `indirect::request`. A speech or act cue with an addressee after it and a `to`
/// infinitive after the addressee; the cue's subject asks.
pub fn request(doc: &Document, lex: &Lexicon, v: usize) -> Option<Reported> {
    let cue = CueVerb::at(doc, lex, v)?;
    // `called her mother to ask`: a phone call, not a request
    if naming(doc, v) && cue.particle.is_none() {
        return None;
    }
    let who = speaking(doc, &cue)??;
    let infinitive = doc.children[v].iter().copied().find(|&x| {
        x > v
            && matches!(doc.tokens[x].deprel.as_str(), "xcomp" | "ccomp" | "advcl")
            && doc
                .children_with(x, "mark")
                .any(|m| doc.lower(m) == "to")
    })?;
    let addressee = doc
        .children[v]
        .iter()
        .copied()
        .find(|&o| o > v && o < infinitive && matches!(doc.tokens[o].deprel.as_str(), "obj" | "iobj"))
        .or_else(|| {
            doc.children_with(infinitive, "nsubj")
                .find(|&s| s > v && s < infinitive)
        })?;
    let first = doc.subtree(addressee).first().copied()?;
    let last = doc.subtree(infinitive).last().copied()?;
    // the particle of `call on` is the cue's
    let first = first.max(cue.particle.map_or(0, |p| p + 1));
    Some(Reported {
        speaker: Some(who),
        cue: Some(cue.span),
        content: (first..=last).collect(),
    })
}
