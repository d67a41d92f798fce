//! Scores of the model heads on gold-tokenized dev data: NER exact-span micro P/R/F1 over
//! PER/ORG/LOC, UPOS accuracy, UAS and LAS (LAS on the universal relation, subtypes stripped,
//! as in the CoNLL 2018 shared task; `las_full` keeps subtypes). Punctuation is scored.

use crate::model::labels::{ner_decode, EntityType};
use crate::model::{Model, ModelError};
use crate::train::data::Example;
use std::collections::HashSet;

#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct ModelScores {
    pub sentences: usize,
    pub words: usize,
    pub upos: f64,
    pub uas: f64,
    pub las: f64,
    pub las_full: f64,
    pub ner_precision: f64,
    pub ner_recall: f64,
    pub ner_f1: f64,
    pub ner_gold: usize,
}

/// Entity spans `(start, end_exclusive, type)` of a BIO tag sequence.
pub fn spans(tags: &[usize]) -> Vec<(usize, usize, EntityType)> {
    let mut out = Vec::new();
    let mut cur: Option<(usize, EntityType)> = None;
    for (i, &t) in tags.iter().enumerate() {
        match ner_decode(t) {
            Some((ty, false)) if cur.is_some_and(|(_, c)| c == ty) => {}
            Some((ty, _)) => {
                if let Some((s, c)) = cur.take() {
                    out.push((s, i, c));
                }
                cur = Some((i, ty));
            }
            None => {
                if let Some((s, c)) = cur.take() {
                    out.push((s, i, c));
                }
            }
        }
    }
    if let Some((s, c)) = cur {
        out.push((s, tags.len(), c));
    }
    out
}

fn universal(rel: &str) -> &str {
    rel.split(':').next().unwrap_or(rel)
}

/// Runs the model on the examples' gold words and scores every layer the examples carry.
pub fn score(model: &Model, examples: &[Example]) -> Result<ModelScores, ModelError> {
    let sents: Vec<Vec<&str>> = examples
        .iter()
        .map(|e| e.words.iter().map(String::as_str).collect())
        .collect();
    let out = model.analyze(&sents)?;
    let (mut words, mut upos, mut uas, mut las, mut las_full) = (0usize, 0, 0, 0, 0);
    let (mut tp, mut n_pred, mut n_gold) = (0usize, 0usize, 0usize);
    for (e, a) in examples.iter().zip(&out) {
        for i in 0..e.words.len() {
            words += 1;
            upos += (a.upos[i] as i64 == e.upos[i]) as usize;
            if a.heads[i] as i64 == e.heads[i] {
                uas += 1;
                let pred = model.deprel(a.deprels[i]);
                las += (universal(pred) == universal(&e.deprels[i])) as usize;
                las_full += (pred == e.deprels[i]) as usize;
            }
        }
        if let Some(gold) = &e.ner {
            let g: HashSet<_> = spans(&gold.iter().map(|&t| t as usize).collect::<Vec<_>>())
                .into_iter()
                .collect();
            let p: HashSet<_> = spans(&a.ner.iter().map(|&t| t as usize).collect::<Vec<_>>())
                .into_iter()
                .collect();
            tp += g.intersection(&p).count();
            n_pred += p.len();
            n_gold += g.len();
        }
    }
    let r = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let ner = super::Prf::from_counts(n_gold, n_pred, tp);
    Ok(ModelScores {
        sentences: examples.len(),
        words,
        upos: r(upos, words),
        uas: r(uas, words),
        las: r(las, words),
        las_full: r(las_full, words),
        ner_precision: ner.precision(),
        ner_recall: ner.recall(),
        ner_f1: ner.f1(),
        ner_gold: n_gold,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::labels::ner_index;

    #[test]
    fn spans_from_bio() {
        let tags: Vec<usize> = ["B-PER", "I-PER", "O", "B-LOC", "B-LOC", "I-ORG"]
            .iter()
            .map(|t| ner_index(t))
            .collect();
        assert_eq!(
            spans(&tags),
            vec![
                (0, 2, EntityType::Per),
                (3, 4, EntityType::Loc),
                (4, 5, EntityType::Loc),
                (5, 6, EntityType::Org)
            ]
        );
    }
}
