//! Label sets of the model heads: fixed ones (UPOS, NER tags, word shapes) live here; the
//! dependency relations are collected from the training data and saved with the weights.

use serde::{Deserialize, Serialize};

/// Universal POS tags, in a fixed order (the UPOS head's output index).
pub const UPOS: [&str; 17] = [
    "ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON", "PROPN",
    "PUNCT", "SCONJ", "SYM", "VERB", "X",
];

/// BIO tags of the NER head.
pub const NER_TAGS: [&str; 7] = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"];

/// Named-entity types of the CSV's `entity_type` column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
pub enum EntityType {
    #[serde(rename = "PER")]
    Per,
    #[serde(rename = "ORG")]
    Org,
    #[serde(rename = "LOC")]
    Loc,
    #[serde(rename = "MISC")]
    Misc,
}

impl EntityType {
    pub fn as_str(&self) -> &'static str {
        match self {
            EntityType::Per => "PER",
            EntityType::Org => "ORG",
            EntityType::Loc => "LOC",
            EntityType::Misc => "MISC",
        }
    }

    pub fn parse(s: &str) -> Option<EntityType> {
        match s {
            "PER" => Some(EntityType::Per),
            "ORG" => Some(EntityType::Org),
            "LOC" => Some(EntityType::Loc),
            "MISC" => Some(EntityType::Misc),
            _ => None,
        }
    }
}

/// Index of a UPOS tag.
pub fn upos_index(tag: &str) -> Option<usize> {
    UPOS.iter().position(|t| *t == tag)
}

/// Index of a BIO tag; unknown or other-typed tags map to `O`.
pub fn ner_index(tag: &str) -> usize {
    NER_TAGS.iter().position(|t| *t == tag).unwrap_or(0)
}

/// The entity type and whether the tag begins a span, for a BIO tag index.
pub fn ner_decode(index: usize) -> Option<(EntityType, bool)> {
    let tag = NER_TAGS.get(index)?;
    let (bio, ty) = tag.split_once('-')?;
    Some((EntityType::parse(ty)?, bio == "B"))
}

/// Number of word-shape classes fed to the heads (the encoder is uncased: this brings casing back).
pub const SHAPES: usize = 7;

/// Word-shape class: lower, Title, UPPER, mIxed, has-digit, punctuation/symbol, other.
pub fn shape(word: &str) -> usize {
    let mut upper = 0;
    let mut lower = 0;
    let mut digit = 0;
    let mut alpha_first_upper = false;
    for (i, c) in word.chars().enumerate() {
        if c.is_uppercase() {
            upper += 1;
            if i == 0 {
                alpha_first_upper = true;
            }
        } else if c.is_lowercase() {
            lower += 1;
        } else if c.is_numeric() {
            digit += 1;
        }
    }
    if digit > 0 {
        4
    } else if upper == 0 && lower == 0 {
        5
    } else if upper == 0 {
        0
    } else if lower == 0 {
        2
    } else if alpha_first_upper && upper == 1 {
        1
    } else if upper + lower > 0 {
        3
    } else {
        6
    }
}

/// Characters of a word the NER head reads (the first ones: where casing and most affixes are).
pub const WORD_CHARS: usize = 16;
/// Character classes: 0 = padding, 1..=95 printable ASCII, 96 anything else.
pub const CHAR_IDS: usize = 97;

/// The word's first `WORD_CHARS` characters as character classes, padded with 0.
pub fn char_ids(word: &str) -> [i64; WORD_CHARS] {
    let mut out = [0i64; WORD_CHARS];
    for (slot, c) in out.iter_mut().zip(word.chars()) {
        *slot = match c {
            ' '..='~' => c as i64 - ' ' as i64 + 1,
            _ => 96,
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        for (w, s) in [
            ("the", 0),
            ("Umerov", 1),
            ("U.S.", 2),
            ("McDonald", 3),
            ("1,000", 4),
            (",", 5),
            ("’s", 0),
        ] {
            assert_eq!(shape(w), s, "{w}");
        }
    }

    #[test]
    fn char_ids_keep_case_and_pad() {
        let ids = char_ids("Ré");
        assert_eq!(ids[0], ('R' as i64) - 31);
        assert_eq!(ids[1], 96);
        assert!(ids[2..].iter().all(|&i| i == 0));
        assert_ne!(char_ids("a")[0], char_ids("A")[0]);
        assert_eq!(char_ids(&"x".repeat(40)).len(), WORD_CHARS);
    }

    #[test]
    fn ner_tags_round_trip() {
        assert_eq!(
            ner_decode(ner_index("B-ORG")),
            Some((EntityType::Org, true))
        );
        assert_eq!(
            ner_decode(ner_index("I-LOC")),
            Some((EntityType::Loc, false))
        );
        assert_eq!(ner_decode(ner_index("B-OTH")), None);
    }
}
