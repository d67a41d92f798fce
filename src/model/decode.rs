//! Decoding head scores into structures: a well-formed dependency tree (Eisner's projective
//! algorithm with exactly one word attached to the root), valid BIO entity sequences, and the
//! best UPOS tag and relation. Both inference paths (our kernels and libtorch) decode here.

use super::labels::{self, NER_TAGS, UPOS};
use super::Analysis;

/// A sentence of `n` words decoded from its head scores, relations left empty (they are scored
/// at the chosen heads, then picked by [`argmax`]):
/// - `arcs`: log-probabilities of heads `0..=n` (0 = root) of dependent `d` (1-based) at
///   `arcs[(d - 1) * stride + h]`;
/// - `ner`: BIO log-probabilities, `NER_TAGS.len()` per word;
/// - `upos`: UPOS scores, `UPOS.len()` per word.
pub fn sentence(n: usize, arcs: &[f32], stride: usize, ner: &[f32], upos: &[f32]) -> Analysis {
    let heads = eisner(n, |h, d| arcs[(d - 1) * stride + h]);
    let ner_scores: Vec<Vec<f32>> = ner
        .chunks_exact(NER_TAGS.len())
        .take(n)
        .map(<[f32]>::to_vec)
        .collect();
    let ner = viterbi_bio(&ner_scores, labels::ner_decode);
    Analysis {
        upos: upos
            .chunks_exact(UPOS.len())
            .take(n)
            .map(|s| argmax(s) as u8)
            .collect(),
        heads,
        deprels: Vec::new(),
        ner: ner.into_iter().map(|t| t as u8).collect(),
    }
}

/// Index of the first largest value.
pub fn argmax(v: &[f32]) -> usize {
    let mut best = 0;
    for (i, &x) in v.iter().enumerate() {
        if x > v[best] {
            best = i;
        }
    }
    best
}

/// Best projective tree for `n` words given `score(head, dep)`, heads in `0..=n` (0 = root),
/// dependents in `1..=n`. Returns the head of each word (index 0 is word 1). Exactly one word
/// has head 0, there are no cycles, and every word has one head.
pub fn eisner(n: usize, score: impl Fn(usize, usize) -> f32) -> Vec<usize> {
    if n == 0 {
        return Vec::new();
    }
    if n == 1 {
        return vec![0];
    }
    // Tables over words 1..=n, stored at [i * (n + 1) + j].
    let w = n + 1;
    let idx = |i: usize, j: usize| i * w + j;
    let neg = f32::NEG_INFINITY;
    let mut cl = vec![neg; w * w]; // complete, head j, span i..j
    let mut cr = vec![neg; w * w]; // complete, head i
    let mut il = vec![neg; w * w]; // incomplete, arc j -> i
    let mut ir = vec![neg; w * w]; // incomplete, arc i -> j
    let mut bcl = vec![0usize; w * w];
    let mut bcr = vec![0usize; w * w];
    let mut bi = vec![0usize; w * w];
    for i in 1..=n {
        cl[idx(i, i)] = 0.0;
        cr[idx(i, i)] = 0.0;
    }
    for m in 1..n {
        for i in 1..=(n - m) {
            let j = i + m;
            let (mut best, mut arg) = (neg, i);
            for k in i..j {
                let v = cr[idx(i, k)] + cl[idx(k + 1, j)];
                if v > best {
                    best = v;
                    arg = k;
                }
            }
            il[idx(i, j)] = best + score(j, i);
            ir[idx(i, j)] = best + score(i, j);
            bi[idx(i, j)] = arg;
            let (mut best, mut arg) = (neg, i);
            for k in i..j {
                let v = cl[idx(i, k)] + il[idx(k, j)];
                if v > best {
                    best = v;
                    arg = k;
                }
            }
            cl[idx(i, j)] = best;
            bcl[idx(i, j)] = arg;
            let (mut best, mut arg) = (neg, j);
            for k in (i + 1)..=j {
                let v = ir[idx(i, k)] + cr[idx(k, j)];
                if v > best {
                    best = v;
                    arg = k;
                }
            }
            cr[idx(i, j)] = best;
            bcr[idx(i, j)] = arg;
        }
    }
    let (mut best, mut root) = (neg, 1);
    for r in 1..=n {
        let v = score(0, r) + cl[idx(1, r)] + cr[idx(r, n)];
        if v > best {
            best = v;
            root = r;
        }
    }
    let mut heads = vec![0usize; n + 1];
    heads[root] = 0;
    // Explicit stack instead of recursion: (kind, i, j), kind 0 = CL, 1 = CR, 2 = IL, 3 = IR.
    let mut stack = vec![(0u8, 1, root), (1u8, root, n)];
    while let Some((kind, i, j)) = stack.pop() {
        if i == j {
            continue;
        }
        match kind {
            0 => {
                let k = bcl[idx(i, j)];
                stack.push((0, i, k));
                stack.push((2, k, j));
            }
            1 => {
                let k = bcr[idx(i, j)];
                stack.push((3, i, k));
                stack.push((1, k, j));
            }
            2 => {
                heads[i] = j;
                let k = bi[idx(i, j)];
                stack.push((1, i, k));
                stack.push((0, k + 1, j));
            }
            _ => {
                heads[j] = i;
                let k = bi[idx(i, j)];
                stack.push((1, i, k));
                stack.push((0, k + 1, j));
            }
        }
    }
    heads[1..].to_vec()
}

/// Best tag sequence under BIO constraints (`I-X` only after `B-X` or `I-X`), given per-word
/// log-probabilities over tags and a function telling each tag's (type, is_begin) or None for O.
pub fn viterbi_bio<T: PartialEq + Copy>(
    scores: &[Vec<f32>],
    tag: impl Fn(usize) -> Option<(T, bool)>,
) -> Vec<usize> {
    let n = scores.len();
    if n == 0 {
        return Vec::new();
    }
    let k = scores[0].len();
    let allowed = |prev: Option<usize>, cur: usize| match tag(cur) {
        Some((ty, false)) => match prev.and_then(&tag) {
            Some((pty, _)) => pty == ty,
            None => false,
        },
        _ => true,
    };
    let mut best = vec![vec![f32::NEG_INFINITY; k]; n];
    let mut back = vec![vec![0usize; k]; n];
    for t in 0..k {
        if allowed(None, t) {
            best[0][t] = scores[0][t];
        }
    }
    for i in 1..n {
        for t in 0..k {
            for p in 0..k {
                if best[i - 1][p] == f32::NEG_INFINITY || !allowed(Some(p), t) {
                    continue;
                }
                let v = best[i - 1][p] + scores[i][t];
                if v > best[i][t] {
                    best[i][t] = v;
                    back[i][t] = p;
                }
            }
        }
    }
    let mut cur = (0..k)
        .max_by(|a, b| best[n - 1][*a].total_cmp(&best[n - 1][*b]))
        .unwrap_or(0);
    let mut out = vec![0; n];
    for i in (0..n).rev() {
        out[i] = cur;
        cur = back[i][cur];
    }
    out
}

/// True when `heads` (1-based heads, 0 = root) form one tree: one root, every word reaches it.
pub fn is_tree(heads: &[usize]) -> bool {
    let n = heads.len();
    if heads.iter().filter(|&&h| h == 0).count() != 1 || heads.iter().any(|&h| h > n) {
        return false;
    }
    (1..=n).all(|start| {
        let mut cur = start;
        for _ in 0..=n {
            if cur == 0 {
                return true;
            }
            cur = heads[cur - 1];
        }
        false
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eisner_recovers_a_clear_tree() {
        // gold: 1 <- 2 (root) -> 3, 3 -> 4
        let gold = [2usize, 0, 2, 3];
        let heads = eisner(4, |h, d| if gold[d - 1] == h { 5.0 } else { 0.0 });
        assert_eq!(heads, gold);
    }

    #[test]
    fn eisner_forces_a_single_root() {
        // every word prefers the root; the result must still be a tree with one root
        let heads = eisner(5, |h, _| if h == 0 { 10.0 } else { 1.0 });
        assert!(is_tree(&heads), "{heads:?}");
    }

    #[test]
    fn eisner_on_random_scores_gives_trees() {
        let mut seed = 7u64;
        let mut rnd = || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
            (seed >> 33) as f32 / (1u64 << 31) as f32
        };
        for n in 1..30 {
            let s: Vec<f32> = (0..(n + 1) * (n + 1)).map(|_| rnd()).collect();
            let heads = eisner(n, |h, d| s[h * (n + 1) + d]);
            assert!(is_tree(&heads), "n={n} {heads:?}");
        }
    }

    #[test]
    fn viterbi_repairs_orphan_inside_tags() {
        // tags: 0 = O, 1 = B-A, 2 = I-A ; word 0 prefers I-A which is not allowed at the start
        let tag = |t: usize| match t {
            1 => Some(('A', true)),
            2 => Some(('A', false)),
            _ => None,
        };
        let scores = vec![vec![-2.0, -1.5, -0.1], vec![-3.0, -3.0, -0.1]];
        assert_eq!(viterbi_bio(&scores, tag), vec![1, 2]);
    }
}
