//! Evaluation against the gold data in `../shared/data` (dev splits).

pub mod model;
