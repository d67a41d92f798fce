//! Word lists compiled into the binary: the `*.txt` files beside the stages that use them
//! (cue verbs, abbreviations, titles, contractions, ...). One format for all of them, read here.
//!
//! Format: one entry per line, trimmed; blank lines and lines starting with `#` are skipped.
//! What an entry holds (one word, or whitespace-separated fields) is up to the list. A list's
//! parser rejects a line it cannot read with a [`ListError`] naming the file and line, never
//! skips it: the lists are compiled in, so the test that parses every one of them
//! (`every_compiled_in_list_parses`) fails on a bad line.

use std::fmt;

/// The entries of a word list: its trimmed lines that are neither blank nor `#` comments.
pub fn entries(list: &str) -> impl Iterator<Item = &str> {
    lines("", list).map(|l| l.text)
}

/// One entry of a list, with where it is, for error messages.
#[derive(Clone, Copy, Debug)]
pub struct Line<'a> {
    /// The list's file name (`cues.txt`).
    pub file: &'static str,
    /// 1-based line number in that file.
    pub number: usize,
    /// The trimmed entry.
    pub text: &'a str,
}

impl<'a> Line<'a> {
    /// The entry's whitespace-separated fields.
    pub fn fields(&self) -> Vec<&'a str> {
        self.text.split_whitespace().collect()
    }

    /// An error at this line.
    pub fn error(&self, message: impl Into<String>) -> ListError {
        ListError {
            file: self.file,
            line: self.number,
            message: format!("{}: {:?}", message.into(), self.text),
        }
    }

    /// The entry as one word; an error when it holds more than one.
    pub fn word(&self) -> Result<&'a str, ListError> {
        match self.fields()[..] {
            [w] => Ok(w),
            _ => Err(self.error("expected one word")),
        }
    }
}

/// A line a list's parser cannot read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListError {
    pub file: &'static str,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for ListError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

impl std::error::Error for ListError {}

/// The entries of list `file`, each with its line number.
pub fn lines<'a>(file: &'static str, list: &'a str) -> impl Iterator<Item = Line<'a>> {
    list.lines()
        .enumerate()
        .map(move |(i, l)| Line {
            file,
            number: i + 1,
            text: l.trim(),
        })
        .filter(|l| !l.text.is_empty() && !l.text.starts_with('#'))
}

/// The one-word entries of list `file`; an error at the first line with more than one word.
pub fn words<'a>(file: &'static str, list: &'a str) -> Result<Vec<&'a str>, ListError> {
    lines(file, list).map(|l| l.word()).collect()
}

/// A compiled-in list's parse, or a panic naming the bad line: a bad built-in list is a bug of
/// this build, caught by `every_compiled_in_list_parses`.
pub fn built_in<T>(parsed: Result<T, ListError>) -> T {
    parsed.unwrap_or_else(|e| panic!("bad built-in word list: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_comments_and_blank_lines_and_trims() {
        let list = "# header\n\nsay speech\n  \t\n  tell  \n#note\r\nask\r\n";
        assert_eq!(
            entries(list).collect::<Vec<_>>(),
            ["say speech", "tell", "ask"]
        );
        let numbers: Vec<usize> = lines("l.txt", list).map(|l| l.number).collect();
        assert_eq!(numbers, [3, 5, 7]);
    }

    #[test]
    fn a_hash_inside_an_entry_is_kept() {
        assert_eq!(entries("c# lang\n").collect::<Vec<_>>(), ["c# lang"]);
    }

    /// The lists are compiled in: a bad line in any of them fails here, with its file and line.
    #[test]
    fn every_compiled_in_list_parses() {
        let checks: [(&str, Result<(), ListError>); 7] = [
            (
                "rule lexicon",
                crate::attribution::lexicon::Lexicon::built_in().map(drop),
            ),
            (
                "irregular verbs",
                crate::model::lemma::Irregular::built_in().map(drop),
            ),
            (
                "contractions",
                crate::tokenize::parse_contractions().map(drop),
            ),
            (
                "hyphen prefixes",
                crate::tokenize::parse_hyphen_prefixes().map(drop),
            ),
            (
                "abbreviations",
                crate::segment::Lexicon::built_in().map(drop),
            ),
            ("titles", crate::resolve::parse_titles().map(drop)),
            (
                "organizations",
                crate::resolve::parse_organization_words().map(drop),
            ),
        ];
        for (name, parsed) in checks {
            if let Err(e) = parsed {
                panic!("{name}: {e}");
            }
        }
    }

    #[test]
    fn an_entry_of_two_words_in_a_word_list_is_an_error_with_its_line() {
        let e = words("w.txt", "# words\none\ntwo words\n").unwrap_err();
        assert_eq!((e.file, e.line), ("w.txt", 3));
        assert!(
            e.to_string().starts_with("w.txt:3: expected one word"),
            "{e}"
        );
    }
}
