//! The contract between the pipeline and its stages, below both: every stage module imports
//! this, none imports the pipeline that orders them.
//!
//! A stage reads the layers of a [`Document`] that earlier stages filled in and adds its own.
//! Each stage says which layers it requires and which it provides (as Stanza's processors do),
//! so [`crate::pipeline::Pipeline`] checks the order once, when it is built, and reports every
//! gap at once. A stage's failure on one document, error or panic, is that document's alone:
//! [`guarded`] turns a panic into a [`StageError`] naming the stage and the panic's place.

use crate::document::Document;
use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// A part of a [`Document`] that a stage fills in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Layer {
    /// The text as read (always there).
    Text,
    Paragraphs,
    Sentences,
    Tokens,
    /// Part of speech and lemmas.
    Tags,
    /// The dependency tree (heads, relations, children).
    Syntax,
    Entities,
    /// Quotations: their claims and `Document::quoted`.
    Quotes,
    Actions,
    /// Claims' canonical entities.
    Resolved,
}

impl Layer {
    pub fn as_str(self) -> &'static str {
        match self {
            Layer::Text => "text",
            Layer::Paragraphs => "paragraphs",
            Layer::Sentences => "sentences",
            Layer::Tokens => "tokens",
            Layer::Tags => "tags",
            Layer::Syntax => "syntax",
            Layer::Entities => "entities",
            Layer::Quotes => "quotes",
            Layer::Actions => "actions",
            Layer::Resolved => "resolved entities",
        }
    }
}

/// A step of the pipeline: reads what earlier stages put in the document and adds its part.
pub trait Stage: Send + Sync {
    fn name(&self) -> &'static str;
    /// Layers that must be filled before this stage runs.
    fn requires(&self) -> &'static [Layer];
    /// Layers this stage fills.
    fn provides(&self) -> &'static [Layer];
    fn process(&self, doc: &mut Document) -> Result<(), StageError>;

    /// Processes several documents, by default each on its own in parallel, each guarded so a
    /// panic costs only its document. A stage that overrides this (the model batches sentences
    /// across documents) may fail the whole call; the pipeline then re-runs it one document at
    /// a time from a copy taken before the call.
    fn process_many(&self, docs: &mut [&mut Document]) -> Vec<Result<(), StageError>> {
        use rayon::prelude::*;
        docs.par_iter_mut()
            .map(|d| guarded(self.name(), || self.process(d)).and_then(|r| r))
            .collect()
    }
}

/// A stage failed on one document.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StageError {
    #[error("{stage} stage: {message}")]
    Failed {
        stage: &'static str,
        message: String,
    },
    #[error("{stage} stage panicked: {message}")]
    Panicked {
        stage: &'static str,
        message: String,
    },
}

impl StageError {
    pub fn failed(stage: &'static str, message: impl Into<String>) -> StageError {
        StageError::Failed {
            stage,
            message: message.into(),
        }
    }
}

/// Options that change what the rule stages emit.
#[derive(Clone, Debug, Default)]
pub struct RuleOptions {
    /// Emit agentless passives as actions with an empty `who`.
    pub include_agentless: bool,
    /// Emit actions found inside quoted or reported content.
    pub actions_in_quotes: bool,
}

thread_local! {
    /// Inside [`guarded`] on this thread: the panic hook records instead of printing.
    static GUARDED: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Runs `f`, turning a panic into `StageError::Panicked` with the panic's message and place.
/// The default panic report (a multi-line message on stderr) is replaced by the one line the
/// caller prints for the document.
pub fn guarded<T>(stage: &'static str, f: impl FnOnce() -> T) -> Result<T, StageError> {
    install_panic_hook();
    let outer = GUARDED.with(|g| g.replace(Some(String::new())));
    let result = catch_unwind(AssertUnwindSafe(f));
    let recorded = GUARDED.with(|g| g.replace(outer));
    result.map_err(|payload| {
        let message = match recorded.filter(|m| !m.is_empty()) {
            Some(m) => m,
            None => payload_message(payload.as_ref()),
        };
        StageError::Panicked { stage, message }
    })
}

fn payload_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}

/// Chains a hook before the process's panic hook: panics inside [`guarded`] are recorded
/// (message and source place) for the stage error; any other panic is reported as before.
fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let recorded = GUARDED.with(|g| {
                let mut g = g.borrow_mut();
                match g.as_mut() {
                    Some(slot) => {
                        let message = payload_message(info.payload());
                        *slot = match info.location() {
                            Some(l) => format!("{message} (at {}:{})", l.file(), l.line()),
                            None => message,
                        };
                        true
                    }
                    None => false,
                }
            });
            if !recorded {
                previous(info);
            }
        }));
    });
}

/// A test-only fault: `WHOSAID_TEST_FAULT=STAGE:MARKER` makes stage `STAGE` panic on every
/// document whose text contains `MARKER` and, when it processes several documents in one
/// call, fail that whole call (as a batched model call would). Lets the tests prove that one
/// bad article costs only itself, through the real pipeline and binary.
pub struct FaultInjection {
    pub inner: Box<dyn Stage>,
    pub marker: String,
}

impl FaultInjection {
    /// Wraps `inner` if the environment asks for a fault in it.
    pub fn wrap(inner: Box<dyn Stage>) -> Box<dyn Stage> {
        let Ok(spec) = std::env::var("WHOSAID_TEST_FAULT") else {
            return inner;
        };
        match spec.split_once(':') {
            Some((stage, marker)) if stage == inner.name() && !marker.is_empty() => {
                Box::new(FaultInjection {
                    inner,
                    marker: marker.to_string(),
                })
            }
            _ => inner,
        }
    }

    fn check(&self, doc: &Document) {
        if doc.text.contains(&self.marker) {
            panic!("injected fault (WHOSAID_TEST_FAULT)");
        }
    }
}

impl Stage for FaultInjection {
    fn name(&self) -> &'static str {
        self.inner.name()
    }
    fn requires(&self) -> &'static [Layer] {
        self.inner.requires()
    }
    fn provides(&self) -> &'static [Layer] {
        self.inner.provides()
    }
    fn process(&self, doc: &mut Document) -> Result<(), StageError> {
        self.check(doc);
        self.inner.process(doc)
    }
    fn process_many(&self, docs: &mut [&mut Document]) -> Vec<Result<(), StageError>> {
        for d in docs.iter() {
            self.check(d);
        }
        self.inner.process_many(docs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guarded_turns_a_panic_into_an_error_with_its_place() {
        let err = guarded("demo", || -> usize { panic!("boom {}", 7) }).unwrap_err();
        match err {
            StageError::Panicked { stage, message } => {
                assert_eq!(stage, "demo");
                assert!(message.starts_with("boom 7 (at src/stage.rs:"), "{message}");
            }
            e => panic!("unexpected {e:?}"),
        }
        assert_eq!(guarded("demo", || 3).unwrap(), 3);
    }

    #[test]
    fn a_char_boundary_panic_is_reported_not_propagated() {
        let s = "CO₂ed".to_string();
        let err = guarded("lemma", || s[..3].len()).unwrap_err();
        assert!(err.to_string().contains("char boundary"), "{err}");
    }
}
