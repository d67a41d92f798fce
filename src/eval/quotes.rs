//! `whosaid eval quotes`: claims found by the pipeline on GUM dev news, interview and speech
//! documents against GUM's attribution relations (see `quotes_gold`). A predicted quote matches
//! a gold claim when their contents' token-overlap F1 is at least 0.5; on matched claims the
//! speaker is right when the `who` span overlaps the gold source, the cue when the `verb` span
//! overlaps the gold cue. Reported overall, for quoted and unquoted gold content, and without
//! the cognition attributions (`I think ...`) that whosaid deliberately does not report.

use super::quotes_gold::{load, overlap_f1, GoldClaim};
use super::Prf;
use crate::document::Claim;
use crate::pipeline::Pipeline;
use std::fmt;
use std::path::Path;

/// Genres of the quote evaluation.
pub const GENRES: [&str; 3] = ["news", "interview", "speech"];

/// Claim matches, and speakers and cues right on the matched claims.
#[derive(Clone, Debug, Default)]
pub struct Tally {
    pub claims: Prf,
    pub speaker_right: usize,
    pub cue_known: usize,
    pub cue_right: usize,
}

impl Tally {
    pub fn speaker_accuracy(&self) -> f64 {
        ratio(self.speaker_right, self.claims.matched_gold)
    }
    pub fn cue_accuracy(&self) -> f64 {
        ratio(self.cue_right, self.cue_known)
    }
}

/// An accuracy: 0 when there is nothing to be right about.
fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Scores overall, by quotedness, and without cognition.
#[derive(Clone, Debug, Default)]
pub struct QuoteReport {
    pub docs: usize,
    pub all: Tally,
    pub quoted: Tally,
    pub unquoted: Tally,
    pub speech_only: Tally,
}

impl fmt::Display for QuoteReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "GUM dev {} documents ({}), match = content token-overlap F1 >= 0.5",
            self.docs,
            GENRES.join(", ")
        )?;
        writeln!(
            f,
            "{:<22} {:>5} {:>5} {:>6} {:>6} {:>6} {:>8} {:>6}",
            "", "gold", "pred", "P", "R", "F1", "speaker", "cue"
        )?;
        for (name, t) in [
            ("all", &self.all),
            ("quoted gold", &self.quoted),
            ("unquoted gold", &self.unquoted),
            ("without cognition", &self.speech_only),
        ] {
            writeln!(
                f,
                "{:<22} {:>5} {:>5} {:>6.3} {:>6.3} {:>6.3} {:>8.3} {:>6.3}",
                name,
                t.claims.gold,
                t.claims.predicted,
                t.claims.precision(),
                t.claims.recall(),
                t.claims.f1(),
                t.speaker_accuracy(),
                t.cue_accuracy()
            )?;
        }
        Ok(())
    }
}

/// Scores `predicted` against `gold` (one document) into `t`; `keep` selects the gold claims
/// counted (predictions matching an excluded gold claim are not counted either way).
fn tally(
    text: &str,
    gold: &[GoldClaim],
    predicted: &[&Claim],
    keep: impl Fn(&GoldClaim) -> bool,
    t: &mut Tally,
) {
    let mut pred_used = vec![false; predicted.len()];
    let mut pred_excluded = vec![false; predicted.len()];
    for g in gold {
        let best = predicted
            .iter()
            .enumerate()
            .filter(|(i, _)| !pred_used[*i])
            .filter_map(|(i, p)| p.what.map(|w| (i, overlap_f1(text, w, g.content))))
            .filter(|(_, f)| *f >= 0.5)
            .max_by(|a, b| a.1.total_cmp(&b.1));
        if !keep(g) {
            if let Some((i, _)) = best {
                pred_excluded[i] = true;
                pred_used[i] = true;
            }
            continue;
        }
        t.claims.gold += 1;
        if let Some((i, _)) = best {
            pred_used[i] = true;
            t.claims.matched_gold += 1;
            let p = predicted[i];
            if let (Some(w), Some(s)) = (p.who, g.source) {
                if w.overlaps(s) {
                    t.speaker_right += 1;
                }
            }
            if let Some(c) = g.cue {
                t.cue_known += 1;
                if p.verb.is_some_and(|v| v.overlaps(c)) {
                    t.cue_right += 1;
                }
            }
        }
    }
    let counted = pred_excluded.iter().filter(|e| !**e).count();
    t.claims.predicted += counted;
    t.claims.matched_predicted += pred_used
        .iter()
        .zip(&pred_excluded)
        .filter(|(u, e)| **u && !**e)
        .count();
}

/// Runs the evaluation over GUM dev.
pub fn evaluate(pipeline: &Pipeline, data: &Path) -> Result<QuoteReport, super::EvalError> {
    let docs = load(data, "dev", &GENRES)?;
    let mut r = QuoteReport {
        docs: docs.len(),
        ..Default::default()
    };
    for gd in &docs {
        let doc = pipeline.process(gd.doc.text.clone())?;
        let pred: Vec<&Claim> = doc.claims.iter().filter(|c| c.kind.is_quote()).collect();
        let text = &gd.doc.text;
        if std::env::var_os("WHOSAID_DEBUG").is_some() {
            print_misses(text, &gd.claims, &pred);
        }
        tally(text, &gd.claims, &pred, |_| true, &mut r.all);
        tally(text, &gd.claims, &pred, |g| g.quoted, &mut r.quoted);
        tally(text, &gd.claims, &pred, |g| !g.quoted, &mut r.unquoted);
        tally(
            text,
            &gd.claims,
            &pred,
            |g| !g.cognition,
            &mut r.speech_only,
        );
    }
    Ok(r)
}

/// With `WHOSAID_DEBUG` set: gold claims no prediction matches, and unmatched predictions.
fn print_misses(text: &str, gold: &[GoldClaim], predicted: &[&Claim]) {
    let ok = |p: &Claim, g: &GoldClaim| {
        p.what
            .is_some_and(|w| overlap_f1(text, w, g.content) >= 0.5)
    };
    for g in gold {
        if !predicted.iter().any(|p| ok(p, g)) {
            let src = g.source.map(|s| s.slice(text)).unwrap_or("");
            let cue = g.cue.map(|s| s.slice(text)).unwrap_or("");
            eprintln!("MISS [{src} | {cue}] {}", g.content.slice(text));
        }
    }
    for p in predicted {
        if !gold.iter().any(|g| ok(p, g)) {
            let w = |s: Option<crate::span::Span>| s.map(|s| s.slice(text)).unwrap_or("");
            eprintln!(
                "EXTRA {:?} [{} | {}] {}",
                p.kind,
                w(p.who),
                w(p.verb),
                w(p.what)
            );
        }
    }
}
