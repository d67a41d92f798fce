//! `whosaid eval quotes`: claims found by the pipeline on GUM dev news, interview and speech
//! documents against GUM's attribution relations (see `quotes_gold`). A predicted quote matches
//! a gold claim when their contents' token-overlap F1 is at least 0.5; on matched claims the
//! speaker is right when the `who` span overlaps the gold source, the cue when the `verb` span
//! overlaps the gold cue. Every claim kind but `action` is scored. Reported overall, for quoted
//! and unquoted gold content, without the cognition attributions (`I think ...`), and for the
//! quote kinds alone against the gold without cognition ("quotes only": what whosaid reported
//! before it had beliefs and evidence); then the precision of each predicted kind (against all
//! gold) and the recall of each gold cue class ([`GoldCue`]).

use super::quotes_gold::{load, overlap_f1, GoldClaim};
use super::Prf;
use crate::attribution::lexicon::{CueClass, Lexicon, WordClass};
use crate::document::{Claim, ClaimKind};
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

/// The class of a gold attribution, from its cue's lemmas and its source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GoldCue {
    /// A speech or act cue of `cues.txt`, a claim noun or a cue phrase (`according to`).
    Speech,
    /// A cognition cue ([`GoldClaim::cognition`]).
    Cognition,
    /// A document-like source (`documents.txt`), whatever the cue (`the report found`).
    EvidenceLike,
    /// Anything else: no cue annotated, or a cue outside the lexicon (`was like`, `swear`).
    Other,
}

impl GoldCue {
    pub const ALL: [GoldCue; 4] = [
        GoldCue::Speech,
        GoldCue::Cognition,
        GoldCue::EvidenceLike,
        GoldCue::Other,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            GoldCue::Speech => "speech",
            GoldCue::Cognition => "cognition",
            GoldCue::EvidenceLike => "evidence-like",
            GoldCue::Other => "other",
        }
    }

    /// The class of `g`: a document source first, then a cognition cue, then a speech cue.
    pub fn of(g: &GoldClaim, lex: &Lexicon) -> GoldCue {
        let speech = |l: &String| {
            matches!(lex.verb(l), Some(CueClass::Speech | CueClass::Act))
                || lex.is_claim_noun(l)
                || lex.phrases().iter().any(|p| p[0] == *l)
        };
        if g.source_lemmas
            .iter()
            .any(|l| lex.has(WordClass::Document, l))
        {
            GoldCue::EvidenceLike
        } else if g.cognition {
            GoldCue::Cognition
        } else if g.cue_lemmas.iter().any(speech) {
            GoldCue::Speech
        } else {
            GoldCue::Other
        }
    }
}

/// Scores overall, by quotedness, without cognition, quotes only, by predicted kind and by
/// gold cue class.
#[derive(Clone, Debug)]
pub struct QuoteReport {
    pub docs: usize,
    pub all: Tally,
    pub quoted: Tally,
    pub unquoted: Tally,
    pub speech_only: Tally,
    /// Quote kinds only, against the gold without cognition.
    pub quotes_only: Tally,
    /// Each claim kind's predictions against all gold (read the precision).
    pub by_kind: Vec<(ClaimKind, Tally)>,
    /// All predictions against each gold cue class (read the recall).
    pub by_cue: Vec<(GoldCue, Tally)>,
}

impl Default for QuoteReport {
    fn default() -> QuoteReport {
        QuoteReport {
            docs: 0,
            all: Tally::default(),
            quoted: Tally::default(),
            unquoted: Tally::default(),
            speech_only: Tally::default(),
            quotes_only: Tally::default(),
            by_kind: ClaimKind::ALL
                .into_iter()
                .filter(|k| k.is_claim())
                .map(|k| (k, Tally::default()))
                .collect(),
            by_cue: GoldCue::ALL
                .into_iter()
                .map(|c| (c, Tally::default()))
                .collect(),
        }
    }
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
            ("quotes only", &self.quotes_only),
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
        writeln!(
            f,
            "{:<22} {:>5} {:>5} {:>6} {:>8} {:>6}",
            "by predicted kind", "pred", "right", "P", "speaker", "cue"
        )?;
        for (k, t) in &self.by_kind {
            writeln!(
                f,
                "{:<22} {:>5} {:>5} {:>6.3} {:>8.3} {:>6.3}",
                k.as_str(),
                t.claims.predicted,
                t.claims.matched_predicted,
                t.claims.precision(),
                t.speaker_accuracy(),
                t.cue_accuracy()
            )?;
        }
        writeln!(
            f,
            "{:<22} {:>5} {:>5} {:>6} {:>8} {:>6}",
            "by gold cue class", "gold", "found", "R", "speaker", "cue"
        )?;
        for (c, t) in &self.by_cue {
            writeln!(
                f,
                "{:<22} {:>5} {:>5} {:>6.3} {:>8.3} {:>6.3}",
                c.as_str(),
                t.claims.gold,
                t.claims.matched_gold,
                t.claims.recall(),
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
    let lex = Lexicon::get();
    for gd in &docs {
        let doc = pipeline.process(gd.doc.text.clone())?;
        let pred: Vec<&Claim> = doc.claims.iter().filter(|c| c.kind.is_claim()).collect();
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
        let quotes: Vec<&Claim> = pred.iter().copied().filter(|c| c.kind.is_quote()).collect();
        tally(
            text,
            &gd.claims,
            &quotes,
            |g| !g.cognition,
            &mut r.quotes_only,
        );
        for (k, t) in r.by_kind.iter_mut() {
            let of_kind: Vec<&Claim> = pred.iter().copied().filter(|c| c.kind == *k).collect();
            tally(text, &gd.claims, &of_kind, |_| true, t);
        }
        for (c, t) in r.by_cue.iter_mut() {
            tally(text, &gd.claims, &pred, |g| GoldCue::of(g, lex) == *c, t);
        }
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
