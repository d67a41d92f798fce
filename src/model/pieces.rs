//! Words to word pieces: runs the encoder's `tokenizers` WordPiece tokenizer on already-split
//! words and keeps, for every word, the index of its first piece (the word's vector).

use tokenizers::Tokenizer;

/// Longest piece sequence the encoder takes (512 positions, 2 of them [CLS] and [SEP]).
pub const MAX_PIECES: usize = 512;

/// One sentence's word pieces ([CLS] ... [SEP]) and each word's first piece.
pub struct SentencePieces {
    pub ids: Vec<i64>,
    pub first: Vec<i64>,
}

/// Runs the word-piece tokenizer on one sentence given as words.
pub fn sentence_pieces(
    tokenizer: &Tokenizer,
    words: &[&str],
) -> tokenizers::Result<SentencePieces> {
    let enc = tokenizer.encode(words.to_vec(), true)?;
    let mut ids: Vec<i64> = enc.get_ids().iter().map(|&i| i as i64).collect();
    let mut first = vec![-1i64; words.len()];
    for (p, w) in enc.get_word_ids().iter().enumerate() {
        if let Some(w) = w {
            let w = *w as usize;
            if w < first.len() && first[w] < 0 && p < MAX_PIECES - 1 {
                first[w] = p as i64;
            }
        }
    }
    if ids.len() > MAX_PIECES {
        // Over-long sentences are split by the caller; this only guards the encoder.
        let sep = *ids.last().unwrap();
        ids.truncate(MAX_PIECES - 1);
        ids.push(sep);
    }
    // A word that yields no piece (e.g. a lone control character) borrows its left neighbour's.
    let mut last = 0i64;
    for f in first.iter_mut() {
        if *f < 0 {
            *f = last.max(0);
        }
        last = *f;
    }
    Ok(SentencePieces { ids, first })
}
