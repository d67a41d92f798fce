//! Sentences into encoder batches: sorted by piece count so that a batch's sentences are of
//! near-equal length (little padding for libtorch, cache-sized activations for our kernels).

use super::pieces::SentencePieces;

/// Most sentences in one batch, however short.
const MAX_SENTENCES: usize = 128;

/// Groups of sentence indices, each one encoder batch: sentences ascending by (pieces, words),
/// a batch growing while its padded size (sentences x the longest's pieces) stays within
/// `max_pieces`. Every index appears once; a sentence longer than `max_pieces` is a batch alone.
pub fn piece_batches(
    pieces: &[SentencePieces],
    words: &[Vec<&str>],
    max_pieces: usize,
) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..pieces.len()).collect();
    order.sort_by_key(|&i| (pieces[i].ids.len(), words[i].len()));
    let mut out = Vec::new();
    let mut start = 0;
    while start < order.len() {
        // Sorted ascending, so the last sentence of a batch sets its padded width.
        let mut end = start + 1;
        while end < order.len()
            && (end + 1 - start) * pieces[order[end]].ids.len() <= max_pieces
            && end - start < MAX_SENTENCES
        {
            end += 1;
        }
        out.push(order[start..end].to_vec());
        start = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentence(n: usize) -> SentencePieces {
        SentencePieces {
            ids: vec![1; n],
            first: Vec::new(),
        }
    }

    #[test]
    fn batches_cover_every_sentence_once_within_the_budget() {
        let lengths = [5, 40, 3, 3, 12, 90, 7];
        let pieces: Vec<SentencePieces> = lengths.iter().map(|&n| sentence(n)).collect();
        let words: Vec<Vec<&str>> = lengths.iter().map(|_| Vec::new()).collect();
        let batches = piece_batches(&pieces, &words, 50);
        let mut seen: Vec<usize> = batches.concat();
        seen.sort();
        assert_eq!(seen, (0..lengths.len()).collect::<Vec<_>>());
        for b in &batches {
            let widest = b.iter().map(|&i| lengths[i]).max().unwrap();
            assert!(b.len() == 1 || b.len() * widest <= 50, "{b:?}");
        }
        // the 90-piece sentence exceeds the budget and goes alone
        assert!(batches.contains(&vec![5]));
    }
}
