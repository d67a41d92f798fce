//! The model as a pipeline stage: analyses every sentence of a document in one batched call
//! and writes UPOS, lemmas, the dependency tree and entities into the document.

use super::labels::{ner_decode, UPOS};
use super::lemma::lemmatize;
use super::{Analysis, Model, ModelConfig, ModelError};
use crate::document::{Document, Entity};
use crate::stage::{Layer, Stage, StageError};
use std::sync::Mutex;

/// Longest sentence parsed in one piece; longer ones are parsed in chunks whose roots are
/// attached to the first chunk's root (a run-on list or a table row, not prose).
const MAX_WORDS: usize = 200;

/// The model stage. The model is loaded once; a lock serializes forward passes (each pass
/// spreads over the cores itself: our kernels in their own thread pool, libtorch in its own)
/// while other threads run the rule stages.
pub struct Tagger {
    model: Mutex<Model>,
}

impl Tagger {
    pub fn new(config: ModelConfig) -> Result<Tagger, ModelError> {
        Ok(Tagger {
            model: Mutex::new(Model::load(config, None)?),
        })
    }
}

impl Stage for Tagger {
    fn name(&self) -> &'static str {
        "model"
    }
    fn requires(&self) -> &'static [Layer] {
        &[Layer::Sentences, Layer::Tokens]
    }
    fn provides(&self) -> &'static [Layer] {
        &[Layer::Tags, Layer::Syntax, Layer::Entities]
    }

    fn process(&self, doc: &mut Document) -> Result<(), StageError> {
        self.process_many(&mut [doc]).pop().expect("one result")
    }

    /// One `analyze` call over the sentences of all documents, so the encoder gets batches of
    /// sentences of near-equal length (measured: 20% more words/s than batching per article).
    fn process_many(&self, docs: &mut [&mut Document]) -> Vec<Result<(), StageError>> {
        let chunks: Vec<Vec<Chunk>> = docs.iter().map(|d| chunks(d)).collect();
        let words: Vec<Vec<&str>> = docs
            .iter()
            .zip(&chunks)
            .flat_map(|(d, cs)| {
                cs.iter()
                    .map(|c| (c.start..c.start + c.len).map(|i| d.word(i)).collect())
            })
            .collect();
        let (analyses, rels) = {
            let model = self.model.lock().unwrap_or_else(|p| p.into_inner());
            match model.analyze(&words) {
                Ok(a) => (a, model.meta.deprels.clone()),
                Err(e) => {
                    // One failure of the shared pass fails every document of the call.
                    let msg = e.to_string();
                    return docs
                        .iter()
                        .map(|_| Err(StageError::failed("model", msg.clone())))
                        .collect();
                }
            }
        };
        let mut analyses = analyses.into_iter();
        docs.iter_mut().zip(&chunks).for_each(|(doc, cs)| {
            let mine: Vec<Analysis> = analyses.by_ref().take(cs.len()).collect();
            apply(doc, cs, &mine, &rels);
        });
        docs.iter().map(|_| Ok(())).collect()
    }
}

/// A run of a sentence's tokens parsed as one piece.
struct Chunk {
    sentence: usize,
    start: usize,
    len: usize,
}

fn chunks(doc: &Document) -> Vec<Chunk> {
    let mut out = Vec::new();
    for (si, s) in doc.sentences.iter().enumerate() {
        let mut start = s.tokens.start;
        while start < s.tokens.end {
            let len = (s.tokens.end - start).min(MAX_WORDS);
            out.push(Chunk {
                sentence: si,
                start,
                len,
            });
            start += len;
        }
    }
    out
}

/// Writes tags, the tree, entities and lemmas into the document.
fn apply(doc: &mut Document, chunks: &[Chunk], analyses: &[Analysis], rels: &[String]) {
    let mut sentence_root: Vec<Option<usize>> = vec![None; doc.sentences.len()];
    for (c, a) in chunks.iter().zip(analyses) {
        let (si, start, n) = (c.sentence, c.start, c.len);
        for k in 0..n {
            let i = start + k;
            let upos = UPOS.get(a.upos[k] as usize).copied().unwrap_or("X");
            let head = match a.heads[k] {
                0 => None,
                h => Some(start + h - 1),
            };
            let t = &mut doc.tokens[i];
            t.upos = upos;
            t.head = head;
            t.deprel = rels
                .get(a.deprels[k] as usize)
                .cloned()
                .unwrap_or_else(|| "dep".into());
            if head.is_none() {
                t.deprel = "root".into();
                match sentence_root[si] {
                    None => sentence_root[si] = Some(i),
                    Some(r) => {
                        t.head = Some(r);
                        t.deprel = "parataxis".into();
                    }
                }
            }
        }
        let mut k = 0;
        while k < n {
            match ner_decode(a.ner[k] as usize) {
                Some((ty, _)) => {
                    let mut e = k + 1;
                    while e < n && ner_decode(a.ner[e] as usize) == Some((ty, false)) {
                        e += 1;
                    }
                    let span = doc.tokens[start + k]
                        .span
                        .cover(doc.tokens[start + e - 1].span);
                    doc.entities.push(Entity {
                        span,
                        tokens: start + k..start + e,
                        ty,
                    });
                    k = e;
                }
                None => k += 1,
            }
        }
    }
    for i in 0..doc.tokens.len() {
        let lemma = lemmatize(doc.word(i), doc.tokens[i].upos);
        doc.tokens[i].lemma = lemma;
    }
    doc.index_tree();
}
