//! `whosaid eval actions`: (subject head, verb, object head) triples extracted by the actions
//! rules from gold GUM dev trees and from the model's parse of the same gold words; precision,
//! recall and F1 of predicted against gold-tree triples isolate the parser's effect on actions.

use crate::actions::ActionFinder;
use crate::attribution::QuoteFinder;
use crate::conllu::{self, RebuiltDoc};
use crate::document::{ClaimKind, Document, Paragraph, Sentence, Token};
use crate::model::labels::UPOS;
use crate::model::lemma::lemmatize;
use crate::model::Model;
use crate::stage::{RuleOptions, Stage};
use crate::train::data::gum_docs;
use std::collections::HashSet;
use std::fmt;
use std::path::Path;

#[derive(Clone, Debug, Default)]
pub struct ActionReport {
    pub docs: usize,
    pub gold: usize,
    pub predicted: usize,
    pub correct: usize,
}

impl fmt::Display for ActionReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = self.correct as f64 / self.predicted.max(1) as f64;
        let r = self.correct as f64 / self.gold.max(1) as f64;
        let f1 = super::f1(p, r);
        writeln!(
            f,
            "GUM dev {} documents: (agent, verb, object) triples, predicted parse vs gold trees",
            self.docs
        )?;
        writeln!(
            f,
            "gold {}  predicted {}  correct {}",
            self.gold, self.predicted, self.correct
        )?;
        writeln!(f, "P {p:.3}  R {r:.3}  F1 {f1:.3}")
    }
}

/// A document over the gold words of `rebuilt`, with gold (or given) syntax.
fn document(rebuilt: &RebuiltDoc, sents: &[conllu::Sentence]) -> Document {
    let mut doc = Document::new(rebuilt.text.clone());
    for (si, (s, spans)) in sents.iter().zip(&rebuilt.words).enumerate() {
        let start = doc.tokens.len();
        let mut last = rebuilt.sentences[si].start;
        for (w, sp) in s.words.iter().zip(spans) {
            let span = sp.unwrap_or(crate::span::Span::new(last, last));
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
        doc.paragraphs.push(Paragraph {
            span: rebuilt.sentences[si],
            headline: false,
        });
        doc.sentences.push(Sentence {
            span: rebuilt.sentences[si],
            paragraph: si,
            tokens: start..doc.tokens.len(),
        });
    }
    doc.index_tree();
    doc
}

fn triples(mut doc: Document) -> anyhow::Result<HashSet<(usize, usize, usize)>> {
    QuoteFinder::new(RuleOptions::default()).process(&mut doc)?;
    ActionFinder::new(RuleOptions::default()).process(&mut doc)?;
    Ok(doc
        .claims
        .iter()
        .filter(|c| c.kind == ClaimKind::Action)
        .filter_map(|c| Some((c.who_head?, c.verb_head?, c.what_head?)))
        .collect())
}

/// Runs the comparison over GUM dev.
pub fn evaluate(model: &Model, data: &Path) -> anyhow::Result<ActionReport> {
    let mut r = ActionReport::default();
    for id in gum_docs(data, "dev")? {
        let sents = conllu::read_file(&data.join(format!("gum/dep/{id}.conllu")))?;
        let rebuilt = conllu::rebuild_documents(&sents)
            .into_iter()
            .next()
            .unwrap();
        let gold = triples(document(&rebuilt, &sents))?;
        let words: Vec<Vec<&str>> = sents
            .iter()
            .map(|s| s.words.iter().map(|w| w.form.as_str()).collect())
            .collect();
        let analyses = model.analyze(&words)?;
        let mut predicted_sents = sents.clone();
        for (s, a) in predicted_sents.iter_mut().zip(&analyses) {
            for (i, w) in s.words.iter_mut().enumerate() {
                w.upos = UPOS[a.upos[i] as usize].to_string();
                w.head = a.heads[i];
                w.deprel = model.deprel(a.deprels[i]).to_string();
            }
        }
        let pred = triples(document(&rebuilt, &predicted_sents))?;
        r.docs += 1;
        r.gold += gold.len();
        r.predicted += pred.len();
        r.correct += gold.intersection(&pred).count();
    }
    Ok(r)
}
