//! Characters every stage must agree on: the quote marks. Segmentation keeps a closing mark
//! with the sentence it closes, tokenization splits marks off words, attribution pairs them
//! into quotations and skips them around speakers; one set here keeps those decisions in step.
//!
//! Only the pairing (which mark closes which) lives in `attribution::marks`.

/// Marks that open a quotation: straight `"` `'` (which also close), curly `“` `‘`, low-9
/// `„` `‚` (German, Polish) and guillemets `«` `‹`.
pub const OPENING_QUOTES: [char; 8] = ['"', '\'', '“', '‘', '„', '‚', '«', '‹'];

/// Marks that close a quotation: straight `"` `'`, curly `”` `’` and guillemets `»` `›`.
pub const CLOSING_QUOTES: [char; 6] = ['"', '\'', '”', '’', '»', '›'];

/// True for a mark that opens a quotation (see [`OPENING_QUOTES`]).
pub fn is_opening_quote(c: char) -> bool {
    OPENING_QUOTES.contains(&c)
}

/// True for a mark that closes a quotation (see [`CLOSING_QUOTES`]).
pub fn is_closing_quote(c: char) -> bool {
    CLOSING_QUOTES.contains(&c)
}

/// True for any quote mark, opening or closing.
pub fn is_quote_mark(c: char) -> bool {
    is_opening_quote(c) || is_closing_quote(c)
}

/// The character of a one-character word (a token), else `None`.
fn only_char(word: &str) -> Option<char> {
    let mut cs = word.chars();
    cs.next().filter(|_| cs.next().is_none())
}

/// True for a token that is a single quote mark.
pub fn is_quote_word(word: &str) -> bool {
    only_char(word).is_some_and(is_quote_mark)
}

/// True for a token that is a single opening quote mark.
pub fn is_opening_quote_word(word: &str) -> bool {
    only_char(word).is_some_and(is_opening_quote)
}

/// True for a token that is a single closing quote mark.
pub fn is_closing_quote_word(word: &str) -> bool {
    only_char(word).is_some_and(is_closing_quote)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn straight_marks_open_and_close() {
        for c in ['"', '\''] {
            assert!(is_opening_quote(c) && is_closing_quote(c));
        }
    }

    #[test]
    fn curly_low_and_guillemet_marks_have_one_role() {
        for c in ['“', '‘', '„', '‚', '«', '‹'] {
            assert!(is_opening_quote(c) && !is_closing_quote(c), "{c}");
        }
        for c in ['”', '’', '»', '›'] {
            assert!(is_closing_quote(c) && !is_opening_quote(c), "{c}");
        }
    }

    #[test]
    fn words_are_marks_only_when_one_char() {
        assert!(is_quote_word("“") && is_opening_quote_word("«") && is_closing_quote_word("’"));
        assert!(!is_quote_word("''") && !is_quote_word("") && !is_quote_word("a"));
        assert!(!is_opening_quote_word("»") && !is_closing_quote_word("„"));
        assert!(!is_quote_mark('(') && !is_quote_mark('`'));
    }
}
