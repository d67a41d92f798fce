//! Training and evaluation examples from `../shared/data`: UD English-EWT (syntax) joined with
//! UNER English-EWT (PER/ORG/LOC) on `sent_id`, and GUM (syntax + entities derived from its
//! coreference layer, see `gum_entities`).

use crate::conllu::{self, Sentence};
use crate::files::{read_to_string, FileError};
use crate::model::labels::{ner_index, upos_index};
use std::collections::HashMap;
use std::path::Path;

/// One gold-annotated sentence.
#[derive(Clone, Debug)]
pub struct Example {
    pub words: Vec<String>,
    /// UPOS index per word.
    pub upos: Vec<i64>,
    /// Head per word (0 = root).
    pub heads: Vec<i64>,
    pub deprels: Vec<String>,
    /// NER tag index per word, when the sentence has entity annotation.
    pub ner: Option<Vec<i64>>,
}

impl Example {
    fn from_sentence(s: &Sentence, ner: Option<Vec<i64>>) -> Example {
        Example {
            words: s.words.iter().map(|w| w.form.clone()).collect(),
            upos: s
                .words
                .iter()
                .map(|w| upos_index(&w.upos).unwrap_or(16) as i64)
                .collect(),
            heads: s.words.iter().map(|w| w.head as i64).collect(),
            deprels: s.words.iter().map(|w| w.deprel.clone()).collect(),
            ner,
        }
    }
}

/// Tokens and tags of each sentence, by `sent_id`.
pub type TaggedSentences = HashMap<String, (Vec<String>, Vec<String>)>;

/// Reads a UNER IOB2 file into `sent_id -> (tokens, tags)`. Draft-file tags `OTH` and stray `O`
/// types become `O` (see the data's SOURCE.md); an `I-` after a different type starts a span.
pub fn read_iob2(path: &Path) -> Result<TaggedSentences, FileError> {
    let text = read_to_string(path)?;
    let mut out = HashMap::new();
    let mut id = String::new();
    let mut toks = Vec::new();
    let mut tags: Vec<String> = Vec::new();
    let mut flush = |id: &mut String, toks: &mut Vec<String>, tags: &mut Vec<String>| {
        if !id.is_empty() && !toks.is_empty() {
            out.insert(
                std::mem::take(id),
                (std::mem::take(toks), std::mem::take(tags)),
            );
        }
        id.clear();
        toks.clear();
        tags.clear();
    };
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# sent_id = ") {
            flush(&mut id, &mut toks, &mut tags);
            id = rest.trim().to_string();
        } else if line.starts_with('#') {
        } else if line.trim().is_empty() {
            flush(&mut id, &mut toks, &mut tags);
        } else {
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() >= 3 {
                toks.push(cols[1].to_string());
                let tag = match cols[2] {
                    t if t.ends_with("-PER") || t.ends_with("-ORG") || t.ends_with("-LOC") => t,
                    _ => "O",
                };
                let tag = if let Some(ty) = tag.strip_prefix("I-") {
                    // `get`, not `[2..]`: a tag from the file may start with a multi-byte char (`€-PER`).
                    let prev_ok = tags.last().is_some_and(|p| p.get(2..) == Some(ty));
                    if prev_ok {
                        tag.to_string()
                    } else {
                        format!("B-{ty}")
                    }
                } else {
                    tag.to_string()
                };
                tags.push(tag);
            }
        }
    }
    flush(&mut id, &mut toks, &mut tags);
    Ok(out)
}

/// UD EWT sentences of `split` ("train"/"dev"), with UNER tags where the tokens line up.
pub fn ewt(data: &Path, split: &str) -> Result<Vec<Example>, FileError> {
    let sents = conllu::read_file(&data.join(format!("ud_english_ewt/en_ewt-ud-{split}.conllu")))?;
    let iob_name = if split == "train" {
        "en_ewt-ud-train.DRAFT-0c7ce0d.iob2".to_string()
    } else {
        format!("en_ewt-ud-{split}.iob2")
    };
    let ner = read_iob2(&data.join("uner_english_ewt").join(iob_name))?;
    Ok(sents
        .iter()
        .map(|s| {
            let tags = ner.get(&s.sent_id).and_then(|(toks, tags)| {
                let same = toks.len() == s.words.len()
                    && toks.iter().zip(&s.words).all(|(t, w)| *t == w.form);
                same.then(|| tags.iter().map(|t| ner_index(t) as i64).collect())
            });
            Example::from_sentence(s, tags)
        })
        .collect())
}

/// Longest training sentence in words: longer ones would overflow the encoder's window.
pub const MAX_TRAIN_WORDS: usize = 160;

/// The training split, UD EWT train then GUM train, and how many of them are EWT's.
pub fn train_split(data: &Path) -> Result<(Vec<Example>, usize), FileError> {
    let mut examples = ewt(data, "train")?;
    let n_ewt = examples.len();
    examples.extend(gum(data, "train")?);
    Ok((examples, n_ewt))
}

impl Example {
    /// Whether the sentence can be trained on (not empty, within the encoder's window).
    pub fn trainable(&self) -> bool {
        !self.words.is_empty() && self.words.len() <= MAX_TRAIN_WORDS
    }
}

/// GUM document ids of a partition, from `gum/splits.tsv`, present on disk.
pub fn gum_docs(data: &Path, partition: &str) -> Result<Vec<String>, FileError> {
    let text = read_to_string(&data.join("gum/splits.tsv"))?;
    Ok(text
        .lines()
        .filter_map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            (cols.len() >= 3 && cols[2] == partition).then(|| cols[0].to_string())
        })
        .filter(|d| data.join(format!("gum/dep/{d}.conllu")).exists())
        .collect())
}

/// GUM sentences of a partition with derived entity tags.
pub fn gum(data: &Path, partition: &str) -> Result<Vec<Example>, FileError> {
    let mut out = Vec::new();
    for doc in gum_docs(data, partition)? {
        let sents = conllu::read_file(&data.join(format!("gum/dep/{doc}.conllu")))?;
        for s in &sents {
            let tags = super::gum_entities::bio_tags(s);
            out.push(Example::from_sentence(
                s,
                Some(tags.iter().map(|t| ner_index(t) as i64).collect()),
            ));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iob2_tags_with_non_ascii_types_do_not_panic() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.iob2");
        let text =
            "# sent_id = s1\n1\tZoë\tB-PER\n2\tMüller\tI-PER\n3\tin\t€-PER\n4\tGenève\tI-PER\n\n";
        std::fs::write(&path, text).unwrap();
        let (toks, tags) = &read_iob2(&path).unwrap()["s1"];
        assert_eq!(toks, &["Zoë", "Müller", "in", "Genève"]);
        // `€-PER` is kept as written; the `I-PER` after it starts a span of its own
        assert_eq!(tags, &["B-PER", "I-PER", "€-PER", "B-PER"]);
    }

    #[test]
    fn a_missing_file_names_its_path() {
        let err = read_iob2(Path::new("/nonexistent/en.iob2")).unwrap_err();
        assert!(err.is_missing());
        assert!(
            err.to_string().starts_with("/nonexistent/en.iob2: "),
            "{err}"
        );
    }
}
