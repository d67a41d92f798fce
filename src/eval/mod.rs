//! Evaluation against the gold data in `../shared/data` (dev splits only).

pub mod actions;
pub mod model;
pub mod parse_output;
pub mod quotes;
pub mod quotes_gold;
pub mod sentences;

use crate::files::FileError;
use crate::model::ModelError;
use crate::stage::StageError;
use std::ops::{Add, AddAssign};
use std::path::PathBuf;

/// Why an evaluation could not run.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// A gold file is missing or unreadable.
    #[error(transparent)]
    File(#[from] FileError),
    /// A gold file was read but its annotation cannot be used.
    #[error("{}: {message}", path.display())]
    Gold { path: PathBuf, message: String },
    #[error(transparent)]
    Model(#[from] ModelError),
    #[error(transparent)]
    Stage(#[from] StageError),
    /// Writing the evaluation's output failed.
    #[error("writing output: {0}")]
    Write(#[from] std::io::Error),
}

impl crate::files::Missing for EvalError {
    fn is_missing(&self) -> bool {
        matches!(self, EvalError::File(f) if f.is_missing())
    }
}

/// Precision, recall and F1 of predictions against gold, kept as the counts they come from.
/// Every score in whosaid (`eval`, `check`, training's dev scores) is one of these.
///
/// Empty sides: precision with nothing predicted is 1 (no prediction was wrong), recall with
/// nothing gold is 1 (nothing was missed), and F1 is 0 when both are 0. So nothing predicted
/// against nothing gold scores 1 / 1 / 1, and nothing predicted against some gold 1 / 0 / 0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Prf {
    pub gold: usize,
    pub predicted: usize,
    /// Gold items some prediction matched: recall's numerator.
    pub matched_gold: usize,
    /// Predictions that matched a gold item: precision's numerator (equal to `matched_gold`
    /// when matching is one-to-one).
    pub matched_predicted: usize,
}

impl Prf {
    /// Counts of a one-to-one matching: `correct` pairs of a gold item and a prediction.
    pub fn from_counts(gold: usize, predicted: usize, correct: usize) -> Prf {
        Prf {
            gold,
            predicted,
            matched_gold: correct,
            matched_predicted: correct,
        }
    }

    /// A gold item matched by one prediction (a true positive).
    pub fn add_match(&mut self) {
        *self += Prf::from_counts(1, 1, 1);
    }

    /// A gold item no prediction matched (a false negative).
    pub fn add_missed(&mut self) {
        self.gold += 1;
    }

    /// A prediction that matched no gold item (a false positive).
    pub fn add_extra(&mut self) {
        self.predicted += 1;
    }

    /// Predictions that matched no gold item.
    pub fn false_positives(&self) -> usize {
        self.predicted - self.matched_predicted
    }

    /// Gold items no prediction matched.
    pub fn false_negatives(&self) -> usize {
        self.gold - self.matched_gold
    }

    pub fn precision(&self) -> f64 {
        ratio_or_one(self.matched_predicted, self.predicted)
    }

    pub fn recall(&self) -> f64 {
        ratio_or_one(self.matched_gold, self.gold)
    }

    /// The harmonic mean of precision and recall (0 when both are 0).
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

/// `a / b`, and 1 for an empty `b` (see [`Prf`]).
fn ratio_or_one(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

impl AddAssign for Prf {
    fn add_assign(&mut self, o: Prf) {
        self.gold += o.gold;
        self.predicted += o.predicted;
        self.matched_gold += o.matched_gold;
        self.matched_predicted += o.matched_predicted;
    }
}

impl Add for Prf {
    type Output = Prf;
    fn add(mut self, o: Prf) -> Prf {
        self += o;
        self
    }
}

impl std::fmt::Display for Prf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "P {:.4} R {:.4} F1 {:.4} (gold {}, predicted {}, correct {})",
            self.precision(),
            self.recall(),
            self.f1(),
            self.gold,
            self.predicted,
            self.matched_gold
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_from_counts() {
        let p = Prf::from_counts(4, 2, 2);
        assert_eq!((p.precision(), p.recall()), (1.0, 0.5));
        assert!((p.f1() - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!((p.false_positives(), p.false_negatives()), (0, 2));
    }

    #[test]
    fn empty_sides() {
        let none = Prf::default();
        assert_eq!(
            (none.precision(), none.recall(), none.f1()),
            (1.0, 1.0, 1.0)
        );
        let nothing_predicted = Prf::from_counts(3, 0, 0);
        assert_eq!(nothing_predicted.precision(), 1.0);
        assert_eq!(
            (nothing_predicted.recall(), nothing_predicted.f1()),
            (0.0, 0.0)
        );
        let nothing_gold = Prf::from_counts(0, 2, 0);
        assert_eq!(
            (nothing_gold.precision(), nothing_gold.recall()),
            (0.0, 1.0)
        );
        assert_eq!(nothing_gold.f1(), 0.0);
    }

    #[test]
    fn adding_up_matches_misses_and_extras() {
        let mut p = Prf::default();
        p.add_match();
        p.add_missed();
        p.add_extra();
        p.add_extra();
        assert_eq!(p, Prf::from_counts(2, 3, 1));
        assert_eq!(p + p, Prf::from_counts(4, 6, 2));
    }

    #[test]
    fn many_to_one_matches_keep_two_numerators() {
        let p = Prf {
            gold: 4,
            predicted: 5,
            matched_gold: 2,
            matched_predicted: 4,
        };
        assert_eq!((p.precision(), p.recall()), (0.8, 0.5));
    }
}
