//! Evaluation of sentence splitting (and of tokenization) against UD treebanks.
//!
//! Documents are rebuilt from CoNLL-U `# text` lines (`conllu::rebuild_documents`: sentences of
//! a paragraph joined by one space, paragraphs by a blank line), `segment::sentences` is run on
//! each text, and the predicted sentence boundaries (start offset of every sentence but the
//! first) are compared with the gold ones. Scores are micro-averaged over documents.
//! Tokenization is scored the same way on the gold sentences: exact token spans vs the gold word
//! spans.

use super::Prf;
use crate::conllu::{read_file, rebuild_documents, RebuiltDoc};
use crate::files::{read_to_string, FileError};
use crate::segment::sentences;
use crate::span::Span;
use crate::tokenize::{tokenize_with, Options};
use std::collections::HashSet;
use std::path::Path;

/// Gold and predicted sentence boundaries of one document.
fn boundaries(doc: &RebuiltDoc) -> (HashSet<usize>, HashSet<usize>) {
    let gold = doc.sentences.iter().skip(1).map(|s| s.start).collect();
    let pred = sentences(&doc.text)
        .iter()
        .skip(1)
        .map(|s| s.span.start)
        .collect();
    (gold, pred)
}

/// Boundary P/R/F1 of `segment::sentences` on the documents' texts.
pub fn boundary_prf(docs: &[RebuiltDoc]) -> Prf {
    let (mut g, mut p, mut c) = (0, 0, 0);
    for doc in docs {
        let (gold, pred) = boundaries(doc);
        g += gold.len();
        p += pred.len();
        c += gold.intersection(&pred).count();
    }
    Prf::from_counts(g, p, c)
}

/// Human-readable boundary errors (missed and spurious), with some context, for error study.
pub fn boundary_errors(docs: &[RebuiltDoc]) -> Vec<String> {
    let mut out = Vec::new();
    for doc in docs {
        let (gold, pred) = boundaries(doc);
        let mut errs: Vec<(usize, &str)> = gold
            .difference(&pred)
            .map(|&b| (b, "MISSED"))
            .chain(pred.difference(&gold).map(|&b| (b, "SPURIOUS")))
            .collect();
        errs.sort();
        for (b, kind) in errs {
            let t = &doc.text;
            let mut lo = b.saturating_sub(60);
            while !t.is_char_boundary(lo) {
                lo -= 1;
            }
            let mut hi = (b + 40).min(t.len());
            while !t.is_char_boundary(hi) {
                hi += 1;
            }
            out.push(format!(
                "{kind:8} {}: {:?} | {:?}",
                doc.id,
                &t[lo..b].replace('\n', "¶"),
                &t[b..hi].replace('\n', "¶")
            ));
        }
    }
    out
}

/// Token agreement of `tokenize::tokenize` with the gold words, over gold sentences whose words
/// all align to the sentence text: exact-span P/R/F1.
pub fn token_prf(docs: &[RebuiltDoc]) -> Prf {
    token_prf_with(docs, Options::default())
}

/// `token_prf` with the given tokenizer options.
pub fn token_prf_with(docs: &[RebuiltDoc], opts: Options) -> Prf {
    let (mut g, mut p, mut c) = (0, 0, 0);
    for doc in docs {
        for (sent, words) in doc.sentences.iter().zip(&doc.words) {
            let Some(gold) = words.iter().copied().collect::<Option<HashSet<Span>>>() else {
                continue;
            };
            let pred: HashSet<Span> = tokenize_with(&doc.text, *sent, opts).into_iter().collect();
            g += gold.len();
            p += pred.len();
            c += gold.intersection(&pred).count();
        }
    }
    Prf::from_counts(g, p, c)
}

/// Human-readable token disagreements per sentence (gold words vs predicted tokens).
pub fn token_errors(docs: &[RebuiltDoc], opts: Options) -> Vec<String> {
    let mut out = Vec::new();
    for doc in docs {
        for (sent, words) in doc.sentences.iter().zip(&doc.words) {
            let Some(gold) = words.iter().copied().collect::<Option<Vec<Span>>>() else {
                continue;
            };
            let pred = tokenize_with(&doc.text, *sent, opts);
            if pred != gold {
                let show = |v: &[Span]| {
                    v.iter()
                        .map(|s| s.slice(&doc.text))
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                let gs: HashSet<Span> = gold.iter().copied().collect();
                let ps: HashSet<Span> = pred.iter().copied().collect();
                let gold_only: Vec<Span> =
                    gold.iter().copied().filter(|s| !ps.contains(s)).collect();
                let pred_only: Vec<Span> =
                    pred.iter().copied().filter(|s| !gs.contains(s)).collect();
                out.push(format!(
                    "gold [{}] pred [{}]",
                    show(&gold_only),
                    show(&pred_only)
                ));
            }
        }
    }
    out
}

/// GUM dev documents (per `gum/splits.tsv`, partition "dev"), rebuilt.
pub fn gum_dev_docs(data_dir: &Path) -> Result<Vec<RebuiltDoc>, FileError> {
    let gum = data_dir.join("gum");
    let splits = read_to_string(&gum.join("splits.tsv"))?;
    let mut docs = Vec::new();
    for line in splits.lines() {
        let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
        if cols.len() >= 3 && cols[2] == "dev" {
            let sents = read_file(&gum.join("dep").join(format!("{}.conllu", cols[0])))?;
            docs.extend(rebuild_documents(&sents));
        }
    }
    Ok(docs)
}

/// UD EWT dev documents, rebuilt.
pub fn ewt_dev_docs(data_dir: &Path) -> Result<Vec<RebuiltDoc>, FileError> {
    let sents = read_file(&data_dir.join("ud_english_ewt/en_ewt-ud-dev.conllu"))?;
    Ok(rebuild_documents(&sents))
}

/// Sentence-boundary scores on GUM dev; `data_dir` is the shared data folder.
pub fn eval_gum_dev(data_dir: &Path) -> Result<Prf, FileError> {
    Ok(boundary_prf(&gum_dev_docs(data_dir)?))
}

/// Sentence-boundary scores on UD EWT dev; `data_dir` is the shared data folder.
pub fn eval_ewt_dev(data_dir: &Path) -> Result<Prf, FileError> {
    Ok(boundary_prf(&ewt_dev_docs(data_dir)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conllu::parse;
    use crate::testing::{data_path, loaded};

    /// Prints errors when `WHOSAID_SHOW_ERRORS` is set (for studying them).
    fn maybe_show(lines: Vec<String>) {
        if std::env::var_os("WHOSAID_SHOW_ERRORS").is_some() {
            for l in lines {
                println!("{l}");
            }
        }
    }

    #[test]
    fn boundaries_on_a_tiny_treebank() {
        let conllu = "# newdoc id = d\n# newpar\n# text = Hi there.\n1\tHi\thi\tINTJ\tUH\t_\t0\troot\t_\t_\n\
2\tthere\tthere\tADV\tRB\t_\t1\tadvmod\t_\tSpaceAfter=No\n3\t.\t.\tPUNCT\t.\t_\t1\tpunct\t_\t_\n\n\
# text = Don't.\n1\tDo\tdo\tAUX\tVBP\t_\t0\troot\t_\t_\n2\tn't\tnot\tPART\tRB\t_\t1\tadvmod\t_\tSpaceAfter=No\n\
3\t.\t.\tPUNCT\t.\t_\t1\tpunct\t_\t_\n\n";
        let docs = rebuild_documents(&parse(conllu));
        let prf = boundary_prf(&docs);
        assert_eq!(prf, Prf::from_counts(1, 1, 1));
        let tok = token_prf(&docs);
        assert_eq!(
            tok.f1(),
            1.0,
            "{:?}",
            token_errors(&docs, Options::default())
        );
    }

    #[test]
    fn gum_dev_sentence_f1_at_least_097() {
        let Some(docs) = loaded(gum_dev_docs(&data_path())) else {
            return;
        };
        let prf = boundary_prf(&docs);
        println!("GUM dev sentence boundaries: {prf}");
        let split = Options {
            split_hyphens: true,
        };
        println!("GUM dev tokens: {}", token_prf(&docs));
        println!(
            "GUM dev tokens, split_hyphens: {}",
            token_prf_with(&docs, split)
        );
        maybe_show(boundary_errors(&docs));
        maybe_show(token_errors(&docs, split));
        assert!(prf.f1() >= 0.97, "GUM dev boundary F1 {prf}");
    }

    #[test]
    fn ewt_dev_scores() {
        let Some(docs) = loaded(ewt_dev_docs(&data_path())) else {
            return;
        };
        let prf = boundary_prf(&docs);
        let tok = token_prf(&docs);
        println!("EWT dev sentence boundaries: {prf}");
        let split = Options {
            split_hyphens: true,
        };
        println!("EWT dev tokens: {tok}");
        println!(
            "EWT dev tokens, split_hyphens: {}",
            token_prf_with(&docs, split)
        );
        maybe_show(boundary_errors(&docs));
        maybe_show(token_errors(&docs, split));
        assert!(prf.f1() >= 0.85, "EWT dev boundary F1 {prf}");
        assert!(tok.f1() >= 0.98, "EWT dev token F1 {tok}");
    }
}
