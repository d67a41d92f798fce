//! Words to word pieces: runs the encoder's `tokenizers` WordPiece tokenizer on already-split
//! words and keeps, for every word, the index of its first piece (the word's vector).

use super::labels::shape;
use tch::{Device, Kind, Tensor};
use tokenizers::Tokenizer;

/// Longest piece sequence the encoder takes (512 positions, 2 of them [CLS] and [SEP]).
pub const MAX_PIECES: usize = 512;

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
    let mut ids: Vec<Vec<i64>> = Vec::with_capacity(sentences.len());
    let mut firsts: Vec<Vec<i64>> = Vec::with_capacity(sentences.len());
    for words in sentences {
        let enc = tokenizer.encode(words.clone(), true)?;
        let mut piece_ids: Vec<i64> = enc.get_ids().iter().map(|&i| i as i64).collect();
        let mut first = vec![-1i64; words.len()];
        for (p, w) in enc.get_word_ids().iter().enumerate() {
            if let Some(w) = w {
                let w = *w as usize;
                if w < first.len() && first[w] < 0 && p < MAX_PIECES - 1 {
                    first[w] = p as i64;
                }
            }
        }
        if piece_ids.len() > MAX_PIECES {
            // Over-long sentences are split by the caller; this only guards the encoder.
            let sep = *piece_ids.last().unwrap();
            piece_ids.truncate(MAX_PIECES - 1);
            piece_ids.push(sep);
        }
        // A word that yields no piece (e.g. a lone control character) borrows its left neighbour's.
        let mut last = 0i64;
        for f in first.iter_mut() {
            if *f < 0 {
                *f = last.max(0);
            }
            last = *f;
        }
        ids.push(piece_ids);
        firsts.push(first);
    }
    let b = sentences.len();
    let p = ids.iter().map(Vec::len).max().unwrap_or(0);
    let w = sentences.iter().map(Vec::len).max().unwrap_or(0).max(1);
    let mut flat_ids = vec![0i64; b * p];
    let mut flat_mask = vec![0i64; b * p];
    let mut flat_first = vec![0i64; b * w];
    let mut flat_shape = vec![0i64; b * w];
    let mut flat_wmask = vec![false; b * w];
    for i in 0..b {
        for (j, &id) in ids[i].iter().enumerate() {
            flat_ids[i * p + j] = id;
            flat_mask[i * p + j] = 1;
        }
        for (j, &f) in firsts[i].iter().enumerate() {
            flat_first[i * w + j] = f;
            flat_shape[i * w + j] = shape(sentences[i][j]) as i64;
            flat_wmask[i * w + j] = true;
        }
    }
    let to = |v: &[i64], cols: usize| {
        Tensor::from_slice(v)
            .view([b as i64, cols as i64])
            .to_device(device)
    };
    Ok(PieceBatch {
        input_ids: to(&flat_ids, p),
        attention_mask: to(&flat_mask, p),
        first_piece: to(&flat_first, w),
        shapes: to(&flat_shape, w),
        word_mask: Tensor::from_slice(&flat_wmask)
            .view([b as i64, w as i64])
            .to_kind(Kind::Bool)
            .to_device(device),
        lengths: sentences.iter().map(Vec::len).collect(),
    })
}
