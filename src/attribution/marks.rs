//! Quote marks paired into quotations: straight `"` and `'`, curly `“ ”` and `‘ ’`, `« »`, `„`,
//! and the doubled marks of wire and archive texts (`` `` `` ... `''`, `''` ... `''`).
//!
//! Rules: a `’` or `'` between letters is an apostrophe (`Ukraine’s`, `don't`); a quotation
//! still open at the end of a paragraph continues when the next paragraph opens with a quote
//! mark (the newspaper convention for multi-paragraph quotes), else it ends with the paragraph
//! and is marked `unclosed`. Stray closing marks are ignored. Single quotes inside a double
//! quotation belong to its content. Never panics, whatever the marks.

use crate::span::Span;
use crate::text::is_quote_mark;

/// A quotation: the text between its marks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quotation {
    /// The opening mark.
    pub open: Span,
    /// The closing mark; `None` when the paragraph ended first.
    pub close: Option<Span>,
    /// Between the marks (across paragraphs for a continued quotation), trimmed.
    pub content: Span,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Family {
    Double,
    Single,
    Guillemet,
}

fn opening(c: char) -> Option<Family> {
    match c {
        '“' | '„' => Some(Family::Double),
        '‘' | '‚' => Some(Family::Single),
        '«' => Some(Family::Guillemet),
        _ => None,
    }
}

/// Finds quotations in `text`, given its paragraphs in order.
pub fn quotations(text: &str, paragraphs: &[Span]) -> Vec<Quotation> {
    let mut out = Vec::new();
    // An outer quotation carried over a paragraph break: (open mark, content start).
    let mut carried: Option<(Span, usize)> = None;
    for (pi, para) in paragraphs.iter().enumerate() {
        let chars: Vec<(usize, char)> = para
            .slice(text)
            .char_indices()
            .map(|(i, c)| (para.start + i, c))
            .collect();
        // The open outer quotation of this paragraph: family, open mark, content start.
        let mut outer: Option<(Family, Span, usize)> = None;
        let mut inner_single_open = false;
        let mut k = 0;
        if let Some((open, content_start)) = carried.take() {
            // The paragraph opens with a mark that continues the quotation.
            let fam = chars.first().and_then(|&(_, c)| {
                opening(c).or(if c == '"' {
                    Some(Family::Double)
                } else if c == '«' {
                    Some(Family::Guillemet)
                } else {
                    None
                })
            });
            if let Some(fam) = fam {
                outer = Some((fam, open, content_start));
                k = 1;
            }
        }
        while k < chars.len() {
            let (pos, c) = chars[k];
            let prev = if k > 0 { Some(chars[k - 1].1) } else { None };
            let next = chars.get(k + 1).map(|&(_, c)| c);
            let mark = Span::new(pos, pos + c.len_utf8());
            let prev_space =
                prev.is_none_or(|p| p.is_whitespace() || "([{—–-/".contains(p) || is_quote_mark(p));
            let next_space = next.is_none_or(|n| {
                n.is_whitespace() || ",.;:!?)]}—–-".contains(n) || is_quote_mark(n)
            });
            let letter_before = prev.is_some_and(|p| p.is_alphanumeric());
            let letter_after = next.is_some_and(|n| n.is_alphanumeric());
            if let Some(step) = doubled_mark(&chars, k, &mut outer, &mut out, text) {
                k += step;
                continue;
            }
            match outer {
                None => {
                    let fam = if let Some(f) = opening(c) {
                        // `‘` between letters is a typo'd apostrophe, not a quotation.
                        (!(f == Family::Single && letter_before)).then_some(f)
                    } else if c == '"' && !next.is_none_or(char::is_whitespace) {
                        Some(Family::Double)
                    } else if c == '\'' && prev_space && letter_after {
                        Some(Family::Single)
                    } else {
                        None
                    };
                    if let Some(f) = fam {
                        outer = Some((f, mark, mark.end));
                        inner_single_open = false;
                    }
                }
                Some((fam, open, start)) => {
                    let closes = match fam {
                        Family::Double => c == '”' || (c == '"' && (!prev_space || next_space)),
                        Family::Guillemet => c == '»',
                        Family::Single => {
                            (c == '’' || c == '\'')
                                && !(letter_before && letter_after)
                                && !prev.is_none_or(char::is_whitespace)
                        }
                    };
                    if fam != Family::Single
                        && (c == '‘' || (c == '\'' && prev_space && letter_after))
                    {
                        inner_single_open = true;
                    } else if fam != Family::Single
                        && inner_single_open
                        && (c == '’' || c == '\'')
                        && !(letter_before && letter_after)
                    {
                        inner_single_open = false;
                    } else if closes {
                        let content = Span::new(start, pos).trim(text);
                        if !content.is_empty() {
                            out.push(Quotation {
                                open,
                                close: Some(mark),
                                content: Span::new(content.start.min(pos), content.end),
                            });
                        }
                        outer = None;
                    } else if fam == Family::Double && (c == '“') {
                        // A new opening mark while open: the previous one was never closed.
                        outer = Some((fam, mark, mark.end));
                    }
                }
            }
            k += 1;
        }
        if let Some((fam, open, start)) = outer {
            let next_opens = paragraphs.get(pi + 1).is_some_and(|np| {
                np.slice(text)
                    .chars()
                    .next()
                    .is_some_and(|c| opening(c) == Some(Family::Double) || c == '"' || c == '«')
            });
            if fam != Family::Single && next_opens {
                carried = Some((open, start));
            } else if fam != Family::Single {
                let content = Span::new(start.min(para.end), para.end).trim(text);
                if !content.is_empty() {
                    out.push(Quotation {
                        open,
                        close: None,
                        content,
                    });
                }
            }
        }
    }
    out
}

/// `` ``...'' `` and `''...''` (wire and archive texts): two backquotes or two apostrophes as one
/// double mark. Opens (`` `` `` anywhere, `''` before a word) or closes (`''` after a word) the
/// quotation at `chars[k]`; the number of characters taken, or `None` for no doubled mark.
fn doubled_mark(
    chars: &[(usize, char)],
    k: usize,
    outer: &mut Option<(Family, Span, usize)>,
    out: &mut Vec<Quotation>,
    text: &str,
) -> Option<usize> {
    let (pos, c) = chars[k];
    if !matches!(c, '`' | '\'') || chars.get(k + 1).map(|&(_, n)| n) != Some(c) {
        return None;
    }
    let mark = Span::new(pos, pos + 2 * c.len_utf8());
    let before = k.checked_sub(1).map(|i| chars[i].1);
    let after = chars.get(k + 2).map(|&(_, n)| n);
    match *outer {
        None if c == '`'
            || (before.is_none_or(char::is_whitespace)
                && after.is_some_and(char::is_alphanumeric)) =>
        {
            *outer = Some((Family::Double, mark, mark.end));
            Some(2)
        }
        Some((Family::Double, open, start))
            if c == '\'' && before.is_some_and(|b| !b.is_whitespace()) =>
        {
            let content = Span::new(start, pos).trim(text);
            if !content.is_empty() {
                out.push(Quotation {
                    open,
                    close: Some(mark),
                    content,
                });
            }
            *outer = None;
            Some(2)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quotes(text: &str) -> Vec<String> {
        let mut paras = Vec::new();
        let mut start = 0;
        for part in text.split("\n\n") {
            paras.push(Span::new(start, start + part.len()));
            start += part.len() + 2;
        }
        quotations(text, &paras)
            .iter()
            .map(|q| q.content.slice(text).to_string())
            .collect()
    }

    #[test]
    fn pairs_marks() {
        let cases: &[(&str, &[&str])] = &[
            ("\"We will win,\" she said.", &["We will win,"]),
            (
                "“We will win,” she said, “and soon.”",
                &["We will win,", "and soon."],
            ),
            ("He said: ‘It’s over.’", &["It’s over."]),
            ("Ukraine’s minister didn't say.", &[]),
            ("« Bonjour », dit-il.", &["Bonjour"]),
            ("The 'woke' agenda and the players' union.", &["woke"]),
            ("\"Outer 'inner' text,\" he said.", &["Outer 'inner' text,"]),
            ("He said \"no. And a stray ” mark.", &["no. And a stray"]),
            ("Unclosed \"quote runs on", &["quote runs on"]),
            (
                "“First paragraph.\n\n“Second paragraph,” he said.",
                &["First paragraph.\n\n“Second paragraph,"],
            ),
            ("\"", &[]),
            ("”stray close", &[]),
            ("``We will win,'' she said.", &["We will win,"]),
            (
                "''We will win,'' she said, ``and soon.''",
                &["We will win,", "and soon."],
            ),
            ("The players'' union voted; the pipe is 5'' wide.", &[]),
            ("A single `tick` is no quote.", &[]),
        ];
        for (text, want) in cases {
            assert_eq!(quotes(text), *want, "{text}");
        }
    }
}
