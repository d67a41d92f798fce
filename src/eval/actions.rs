//! `whosaid eval actions`: (subject head, verb, object head) triples extracted by the actions
//! rules from gold GUM dev trees and from the model's parse of the same gold words; precision,
//! recall and F1 of predicted against gold-tree triples isolate the parser's effect on actions.

use crate::actions::ActionFinder;
use crate::attribution::QuoteFinder;
use crate::conllu::{self, Paragraphs};
use crate::document::{ClaimKind, Document};
use crate::model::labels::UPOS;
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
        let s = super::Prf::from_counts(self.gold, self.predicted, self.correct);
        let (p, r, f1) = (s.precision(), s.recall(), s.f1());
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

fn triples(mut doc: Document) -> Result<HashSet<(usize, usize, usize)>, super::EvalError> {
    QuoteFinder::new().process(&mut doc)?;
    ActionFinder::new(RuleOptions::default()).process(&mut doc)?;
    Ok(doc
        .claims
        .iter()
        .filter(|c| c.kind == ClaimKind::Action)
        .filter_map(|c| Some((c.who_head?, c.verb_head?, c.what_head?)))
        .collect())
}

/// Runs the comparison over GUM dev.
pub fn evaluate(model: &Model, data: &Path) -> Result<ActionReport, super::EvalError> {
    let mut r = ActionReport::default();
    for id in gum_docs(data, "dev")? {
        let sents = conllu::read_file(&data.join(format!("gum/dep/{id}.conllu")))?;
        let rebuilt = conllu::rebuild_documents(&sents)
            .into_iter()
            .next()
            .unwrap();
        let gold = triples(conllu::document(&rebuilt, &sents, Paragraphs::PerSentence))?;
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
        let pred = triples(conllu::document(
            &rebuilt,
            &predicted_sents,
            Paragraphs::PerSentence,
        ))?;
        r.docs += 1;
        r.gold += gold.len();
        r.predicted += pred.len();
        r.correct += gold.intersection(&pred).count();
    }
    Ok(r)
}
