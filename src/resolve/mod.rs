//! Stage 5, speaker resolution: pronouns and partial names to the fullest name in the article.

use std::collections::HashSet;
use std::sync::OnceLock;

fn titles() -> &'static HashSet<&'static str> {
    static T: OnceLock<HashSet<&'static str>> = OnceLock::new();
    T.get_or_init(|| {
        include_str!("titles.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    })
}

/// True for a lowercase title word (`president`, `dr`), without its period.
pub fn is_title(word: &str) -> bool {
    titles().contains(word)
}
