//! Support for whosaid's own tests (unit tests and `tests/tests.rs`): what a test does when an
//! input it needs is not on the machine (the shared data sets, the encoder).
//!
//! In CI (`CI` set to anything but empty, `false` or `0`) a missing input fails the test: the
//! CI machine must have everything, so a skip there would hide a broken setup. Elsewhere the
//! test is skipped and says so with `SKIPPED <test>: <why>` on stderr, written past the test
//! harness's output capture so it shows in the summary. An input that is there but broken is
//! never a skip: [`loaded`] fails on any error but a missing file.

use crate::files::Missing;
use std::fmt::Display;
use std::io::Write;
use std::path::{Path, PathBuf};

/// True under CI: `CI` is set to a non-empty value other than `false` or `0`.
pub fn in_ci() -> bool {
    is_ci_value(std::env::var("CI").ok().as_deref())
}

fn is_ci_value(ci: Option<&str>) -> bool {
    ci.is_some_and(|v| !matches!(v.trim(), "" | "false" | "0"))
}

/// An input of the running test is missing: panics in CI, else prints `SKIPPED <test>: <why>`
/// and returns `None` (so a test reads `let Some(x) = ... else { return };`).
pub fn missing<T>(why: impl Display) -> Option<T> {
    missing_under(in_ci(), why)
}

fn missing_under<T>(ci: bool, why: impl Display) -> Option<T> {
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("test");
    if ci {
        panic!("{test}: input missing, and CI must not skip: {why}");
    }
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {why}");
    None
}

/// `path` when it exists, else [`missing`].
pub fn existing(path: &Path) -> Option<PathBuf> {
    if path.exists() {
        Some(path.to_path_buf())
    } else {
        missing(format!("{} not found", path.display()))
    }
}

/// The shared data folder the tests read: `$WHOSAID_DATA`, else `../shared/data` beside the
/// repository. Not checked: loading from it reports what is missing.
pub fn data_path() -> PathBuf {
    std::env::var_os("WHOSAID_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data"))
}

/// The value of a load from test input: a missing file is [`missing`], any other error (a
/// malformed or unreadable file) fails the test.
pub fn loaded<T, E: Missing + Display>(result: Result<T, E>) -> Option<T> {
    match result {
        Ok(v) => Some(v),
        Err(e) if e.is_missing() => missing(e),
        Err(e) => panic!("test input is broken: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::files::read_to_string;

    #[test]
    fn ci_is_any_value_but_empty_false_or_0() {
        for (v, ci) in [(None, false), (Some(""), false), (Some("false"), false)] {
            assert_eq!(is_ci_value(v), ci, "{v:?}");
        }
        for (v, ci) in [(Some("0"), false), (Some("true"), true), (Some("1"), true)] {
            assert_eq!(is_ci_value(v), ci, "{v:?}");
        }
    }

    #[test]
    fn missing_input_skips_outside_ci_and_fails_in_ci() {
        assert_eq!(
            missing_under::<()>(false, "expected skip, this test checks it"),
            None
        );
        let in_ci = std::panic::catch_unwind(|| missing_under::<()>(true, "no data"));
        let message = in_ci.unwrap_err();
        assert!(message
            .downcast_ref::<String>()
            .unwrap()
            .contains("no data"));
    }

    #[test]
    fn present_input_is_used() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("there.txt");
        std::fs::write(&file, "x").unwrap();
        assert_eq!(existing(&file), Some(file.clone()));
        assert_eq!(loaded(read_to_string(&file)).as_deref(), Some("x"));
    }

    #[test]
    fn broken_input_fails_even_outside_ci() {
        let dir = tempfile::tempdir().unwrap();
        let bad = dir.path().join("bad.conllu");
        std::fs::write(&bad, b"\xff not utf-8").unwrap();
        assert!(std::panic::catch_unwind(|| loaded(read_to_string(&bad))).is_err());
    }
}
