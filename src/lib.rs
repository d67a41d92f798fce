//! # whosaid: who said what, and who did what, in news articles
//!
//! An article flows through these stages, each keeping byte offsets into the original text
//! (`span::Span`), converted to Unicode-scalar offsets only at output:
//!
//! 1. [`segment`]: paragraphs (headlines are their own sentence) and sentences;
//! 2. [`tokenize`]: Penn-Treebank-like words with offsets;
//! 3. [`model`]: one BERT encoder pass per batch of sentences, with our heads for named
//!    entities, part-of-speech and a dependency tree;
//! 4. [`attribution`]: direct, indirect and mixed quotes with their cue and speaker;
//! 5. [`resolve`]: pronouns and partial names to the fullest name in the article;
//! 6. [`actions`]: agent, action, object;
//! 7. [`output`]: claims as CSV or JSON Lines rows; [`show`]: the same rows as HTML pages.
//!
//! [`document::Document`] is what the stages fill in; [`pipeline`] runs the stages over
//! folders of articles in parallel, in a deterministic order. [`check`] runs labelled
//! sentences; [`eval`] scores against the gold data; [`train`] trains the model heads.

pub mod actions;
pub mod attribution;
pub mod check;
pub mod conllu;
pub mod document;
pub mod eval;
pub mod input;
pub mod model;
pub mod output;
pub mod pipeline;
#[cfg(test)]
mod properties;
pub mod resolve;
pub mod segment;
pub mod show;
pub mod span;
pub mod stage;
pub mod tokenize;
pub mod train;
