//! Sentences as padded tensors for the libtorch paths: piece ids, masks, each word's first
//! piece, and the word features the heads read.

use crate::model::labels::{char_ids, shape, WORD_CHARS};
use crate::model::pieces::{sentence_pieces, SentencePieces};
use tch::{Device, Kind, Tensor};
use tokenizers::Tokenizer;

/// A padded batch of sentences ready for the encoder and the heads.
pub struct PieceBatch {
    /// `[B, P]` piece ids, padded with 0.
    pub input_ids: Tensor,
    /// `[B, P]` 1 for real pieces.
    pub attention_mask: Tensor,
    /// `[B, W]` index of each word's first piece (0 for padding).
    pub first_piece: Tensor,
    /// `[B, W]` word-shape class of each word.
    pub shapes: Tensor,
    /// `[B, W, WORD_CHARS]` character classes of each word (the NER head reads casing here).
    pub chars: Tensor,
    /// `[B, W]` true for real words.
    pub word_mask: Tensor,
    /// Number of words of each sentence.
    pub lengths: Vec<usize>,
}

/// Encodes sentences (each a list of words) into one padded batch.
pub fn encode_batch(
    tokenizer: &Tokenizer,
    sentences: &[Vec<&str>],
    device: Device,
) -> tokenizers::Result<PieceBatch> {
    let pieces = sentences
        .iter()
        .map(|words| sentence_pieces(tokenizer, words))
        .collect::<tokenizers::Result<Vec<_>>>()?;
    let refs: Vec<(&SentencePieces, &[&str])> = pieces
        .iter()
        .zip(sentences)
        .map(|(p, w)| (p, w.as_slice()))
        .collect();
    Ok(PieceBatch::new(&refs, device))
}

/// The word-level inputs of the heads for padded sentences (`[B, W]`, chars `[B, W, C]`).
pub struct WordFeatures {
    pub shapes: Tensor,
    pub chars: Tensor,
    pub mask: Tensor,
}

impl WordFeatures {
    /// Shapes, characters and the mask of `sentences`, padded to `width` words.
    pub fn new(sentences: &[&[&str]], width: usize, device: Device) -> WordFeatures {
        let (b, w) = (sentences.len(), width);
        let mut shapes = vec![0i64; b * w];
        let mut chars = vec![0i64; b * w * WORD_CHARS];
        let mut mask = vec![false; b * w];
        for (i, words) in sentences.iter().enumerate() {
            for (j, word) in words.iter().enumerate() {
                shapes[i * w + j] = shape(word) as i64;
                let at = (i * w + j) * WORD_CHARS;
                chars[at..at + WORD_CHARS].copy_from_slice(&char_ids(word));
                mask[i * w + j] = true;
            }
        }
        let (b, w) = (b as i64, w as i64);
        WordFeatures {
            shapes: Tensor::from_slice(&shapes).view([b, w]).to_device(device),
            chars: Tensor::from_slice(&chars)
                .view([b, w, WORD_CHARS as i64])
                .to_device(device),
            mask: Tensor::from_slice(&mask)
                .view([b, w])
                .to_kind(Kind::Bool)
                .to_device(device),
        }
    }
}

impl PieceBatch {
    /// Pads already tokenized sentences into one batch.
    pub fn new(sentences: &[(&SentencePieces, &[&str])], device: Device) -> PieceBatch {
        let b = sentences.len();
        let p = sentences.iter().map(|s| s.0.ids.len()).max().unwrap_or(0);
        let w = sentences
            .iter()
            .map(|s| s.1.len())
            .max()
            .unwrap_or(0)
            .max(1);
        let mut flat_ids = vec![0i64; b * p];
        let mut flat_mask = vec![0i64; b * p];
        let mut flat_first = vec![0i64; b * w];
        for (i, (pieces, _)) in sentences.iter().enumerate() {
            for (j, &id) in pieces.ids.iter().enumerate() {
                flat_ids[i * p + j] = id;
                flat_mask[i * p + j] = 1;
            }
            flat_first[i * w..i * w + pieces.first.len()].copy_from_slice(&pieces.first);
        }
        let to = |v: &[i64], cols: usize| {
            Tensor::from_slice(v)
                .view([b as i64, cols as i64])
                .to_device(device)
        };
        let words: Vec<&[&str]> = sentences.iter().map(|s| s.1).collect();
        let features = WordFeatures::new(&words, w, device);
        PieceBatch {
            input_ids: to(&flat_ids, p),
            attention_mask: to(&flat_mask, p),
            first_piece: to(&flat_first, w),
            shapes: features.shapes,
            chars: features.chars,
            word_mask: features.mask,
            lengths: sentences.iter().map(|s| s.1.len()).collect(),
        }
    }
}
