//! Evaluation against the gold data in `../shared/data` (dev splits only).

pub mod actions;
pub mod model;
pub mod parse_output;
pub mod quotes;
pub mod quotes_gold;
pub mod sentences;
