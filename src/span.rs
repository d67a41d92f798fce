//! `Span`: a half-open byte range `[start, end)` into an article's original text.
//!
//! Every stage keeps offsets into the text exactly as read; spans are byte offsets internally
//! (cheap slicing) and become Unicode-scalar offsets once, at output (`CharIndex`).

use serde::Serialize;

/// A half-open byte range into the original text. `start <= end` always holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`; panics if `start > end` (a bug in the caller, never input).
    pub fn new(start: usize, end: usize) -> Span {
        assert!(start <= end, "span start {start} > end {end}");
        Span { start, end }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The text this span covers.
    pub fn slice<'t>(&self, text: &'t str) -> &'t str {
        &text[self.start..self.end]
    }

    /// The smallest span covering both.
    pub fn cover(&self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// This span with surrounding whitespace removed.
    pub fn trim(&self, text: &str) -> Span {
        let s = self.slice(text);
        let lead = s.len() - s.trim_start().len();
        let trail = s.len() - s.trim_end().len();
        if lead == s.len() {
            return Span::new(self.start, self.start);
        }
        Span::new(self.start + lead, self.end - trail)
    }
}

/// Converts byte offsets of one text to Unicode-scalar offsets (what Python's `str` indexes).
pub struct CharIndex {
    /// `chars_before[b]` for every byte offset `b` on a char boundary (others hold the count of
    /// the char they fall in, never used).
    chars_before: Vec<u32>,
}

impl CharIndex {
    pub fn new(text: &str) -> CharIndex {
        let mut chars_before = Vec::with_capacity(text.len() + 1);
        let mut n = 0u32;
        for (i, c) in text.char_indices() {
            debug_assert_eq!(i, chars_before.len());
            for _ in 0..c.len_utf8() {
                chars_before.push(n);
            }
            n += 1;
        }
        chars_before.push(n);
        CharIndex { chars_before }
    }

    /// The Unicode-scalar offset of byte offset `byte`.
    pub fn chars(&self, byte: usize) -> usize {
        self.chars_before[byte] as usize
    }

    /// `span` in Unicode-scalar offsets, as a `(start, end)` pair.
    pub fn span(&self, span: Span) -> (usize, usize) {
        (self.chars(span.start), self.chars(span.end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_offsets_count_scalars_not_bytes() {
        let text = "Ukraine’s Zelensky «said»";
        let idx = CharIndex::new(text);
        let start = text.find("Zelensky").unwrap();
        let span = Span::new(start, start + "Zelensky".len());
        let (s, e) = idx.span(span);
        let chars: Vec<char> = text.chars().collect();
        assert_eq!(chars[s..e].iter().collect::<String>(), "Zelensky");
        assert_eq!(idx.chars(text.len()), text.chars().count());
    }

    #[test]
    fn trim_drops_outer_whitespace() {
        let text = "  a b \n";
        assert_eq!(Span::new(0, text.len()).trim(text).slice(text), "a b");
        assert!(Span::new(0, 2).trim(text).is_empty());
    }
}
