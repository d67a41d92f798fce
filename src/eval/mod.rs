//! Evaluation against the gold data in `../shared/data` (dev splits only).

pub mod actions;
pub mod model;
pub mod parse_output;
pub mod quotes;
pub mod quotes_gold;
pub mod sentences;

/// The harmonic mean of precision and recall (0 when both are 0).
pub fn f1(precision: f64, recall: f64) -> f64 {
    if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    }
}
