//! Word lists compiled into the binary: the `*.txt` files beside the stages that use them
//! (cue verbs, abbreviations, titles, contractions, ...). One format for all of them, read here.
//!
//! Format: one entry per line, trimmed; blank lines and lines starting with `#` are skipped.
//! What an entry holds (one word, or whitespace-separated fields) is up to the list.

/// The entries of a word list: its trimmed lines that are neither blank nor `#` comments.
pub fn entries(list: &str) -> impl Iterator<Item = &str> {
    list.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
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
    }

    #[test]
    fn a_hash_inside_an_entry_is_kept() {
        assert_eq!(entries("c# lang\n").collect::<Vec<_>>(), ["c# lang"]);
    }
}
