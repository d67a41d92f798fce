//! # whosaid: who said what, and who did what, in news articles
//!
//! An article flows through these stages, each keeping byte offsets into the original text
//! (`span::Span`), converted to Unicode-scalar offsets only at output:
//!
//! 1. [`segment`]: paragraphs (headlines are their own sentence) and sentences;
//! 2. [`tokenize`]: Penn-Treebank-like words with offsets;
//! 3. [`model`]: one BERT encoder pass per batch of sentences, with our heads for named
//!    entities, part-of-speech and a dependency tree;
//! 4. [`attribution`]: direct, indirect and mixed quotes with their cue and speaker (each
//!    rule a function, listed in order in the module's header);
//! 5. [`actions`]: agent, action, object (after attribution, whose quotations it reads);
//! 6. [`resolve`]: speakers and agents, pronouns and partial names, to the fullest name in
//!    the article;
//! 7. [`output`]: claims as CSV or JSON Lines rows; [`show`]: the same rows as HTML pages.
//!
//! [`document::Document`] is what the stages fill in; [`pipeline`] runs the stages over
//! folders of articles in parallel, in a deterministic order. [`check`] runs labelled
//! sentences; [`eval`] scores against the gold data; [`train`] trains the model heads.
//! [`conllu::document`] builds a `Document` from CoNLL-U trees without the model (for
//! `eval actions` and the rule stages' unit tests).
//! [`wordlist`] reads the word lists (`*.txt`) the stages compile in; [`text`] holds the quote
//! marks every stage agrees on; [`eval::Prf`] is every precision/recall/F1. [`files`] reads
//! data files with the path in the error; [`testing`] is what tests do when an input is missing.
//! [`profile`] times the stages and the model's parts (`whosaid bench --profile`).
//!
//! The `torch` feature (on by default) adds libtorch through rust-bert and tch: training
//! (`train::train`), calibration and the libtorch precisions. Without it (the lean build,
//! `default-features = false`) everything else works, with the default precision, on the same
//! weights and giving the same rows.

pub mod actions;
pub mod attribution;
pub mod check;
pub mod conllu;
pub mod document;
pub mod eval;
pub mod files;
pub mod input;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod profile;
#[cfg(test)]
mod properties;
pub mod resolve;
pub mod segment;
pub mod show;
pub mod span;
pub mod stage;
pub mod testing;
pub mod text;
pub mod tokenize;
pub mod train;
pub mod wordlist;
