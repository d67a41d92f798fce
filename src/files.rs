//! Reading the data files of `eval`, `train` and `check` (treebanks, splits, labels): every
//! error names the file, and a missing file can be told from a broken one (tests skip on the
//! first outside CI and always fail on the second).

use std::io;
use std::path::{Path, PathBuf};

/// A data file that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{}: {err}", path.display())]
pub struct FileError {
    pub path: PathBuf,
    pub err: io::Error,
}

impl FileError {
    /// The file (or a folder on its path) does not exist.
    pub fn is_missing(&self) -> bool {
        self.err.kind() == io::ErrorKind::NotFound
    }
}

/// An error that may mean an input is simply not there (the shared data not installed), as
/// opposed to there and broken: tests skip on the first outside CI (`testing::loaded`).
pub trait Missing {
    fn is_missing(&self) -> bool;
}

impl Missing for FileError {
    fn is_missing(&self) -> bool {
        FileError::is_missing(self)
    }
}

/// The whole file as UTF-8 text.
pub fn read_to_string(path: &Path) -> Result<String, FileError> {
    std::fs::read_to_string(path).map_err(|err| FileError {
        path: path.to_path_buf(),
        err,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_and_unreadable_files_are_told_apart() {
        let dir = tempfile::tempdir().unwrap();
        let missing = read_to_string(&dir.path().join("nope.conllu")).unwrap_err();
        assert!(missing.is_missing());
        assert!(missing.to_string().contains("nope.conllu"), "{missing}");
        let bad = dir.path().join("bad.conllu");
        std::fs::write(&bad, b"\xff\xfe not utf-8").unwrap();
        let broken = read_to_string(&bad).unwrap_err();
        assert!(!broken.is_missing());
        assert!(broken.to_string().starts_with(&bad.display().to_string()));
    }
}
