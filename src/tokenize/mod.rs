//! Word tokenization in the style of Penn Treebank / UD English (EWT, GUM), the word forms the
//! parser is trained on.
//!
//! Invariants:
//! - tokens are byte spans into the original text, in order, non-overlapping, non-empty, on
//!   char boundaries, inside the requested span, and never contain whitespace;
//! - every non-whitespace char of the span is in exactly one token;
//! - no input panics; time is linear in the span length.
//!
//! Rules: punctuation is split off words; clitics `'s 're 've 'll 'd 'm n't` (straight or curly
//! apostrophe) are split (`don't` → `do n't`, `can't` → `ca n't`); abbreviations keep their
//! period (`U.S.`, `Mr.`, from `segment/abbreviations.txt`); hyphenated compounds, numbers with
//! `,` `.` `:` `/`, URLs and e-mail addresses stay one token; `...`, `--` and emoticons are one
//! token each; quotes, dashes, `$` and `%` are tokens of their own.

use crate::segment::{abbreviation_class, AbbrevClass};
use crate::span::Span;
use crate::text::{is_closing_quote, is_opening_quote};
use crate::wordlist::{self, ListError};
use std::sync::OnceLock;

/// Tokenizer options.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Split hyphenated compounds at the hyphen (`grass - roots`) as current UD EWT and GUM do,
    /// except after lexical prefixes (`non-avian`, `e-mail`, `re-elected`, from
    /// `tokenize/hyphen_prefixes.txt`) and between digits (`713-853-3989`). Off by default:
    /// compounds stay one token (`U.S.-proposed`, `1,000-for-1,000`).
    pub split_hyphens: bool,
}

/// The tokens of `text[span]`, as absolute byte spans, with default `Options`.
/// An invalid span (out of range, or not on char boundaries) yields no tokens.
pub fn tokenize(text: &str, span: Span) -> Vec<Span> {
    tokenize_with(text, span, Options::default())
}

/// The tokens of `text[span]`, as absolute byte spans, with the given options.
pub fn tokenize_with(text: &str, span: Span, opts: Options) -> Vec<Span> {
    let Some(s) = text.get(span.start..span.end) else {
        return Vec::new();
    };
    let cs: Vec<(usize, char)> = s.char_indices().map(|(i, c)| (i + span.start, c)).collect();
    let n = cs.len();
    let mut toks: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < n {
        if cs[i].1.is_whitespace() {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < n && !cs[j].1.is_whitespace() {
            j += 1;
        }
        let mut k = j;
        while k < n && cs[k].1.is_whitespace() {
            k += 1;
        }
        let next = cs.get(k).map(|c| c.1);
        chunk(text, &cs, (i, j), next, opts, &mut toks);
        i = j;
    }
    let off = |k: usize| if k < n { cs[k].0 } else { span.end };
    toks.into_iter()
        .filter(|(a, b)| a < b)
        .map(|(a, b)| Span::new(off(a), off(b)))
        .collect()
}

/// Word-forming chars: letters, digits, combining marks, `_`.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || ('\u{0300}'..='\u{036f}').contains(&c)
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

/// Tokenizes the whitespace-free chunk `cs[a..b]`; `next` is the first char after it.
fn chunk(
    text: &str,
    cs: &[(usize, char)],
    (a, b): (usize, usize),
    next: Option<char>,
    opts: Options,
    out: &mut Vec<(usize, usize)>,
) {
    let mut u = a;
    while u < b && (is_opening_quote(cs[u].1) || matches!(cs[u].1, '(' | '[' | '{' | '<')) {
        u += 1;
    }
    if u < b && is_url_like(text, cs, u, b) {
        for k in a..u {
            out.push((k, k + 1));
        }
        let mut e = b;
        while e > u + 1 && (is_closing_quote(cs[e - 1].1) || ".,;:!?)]}>".contains(cs[e - 1].1)) {
            e -= 1;
        }
        out.push((u, e));
        general(text, cs, (e, b), next, opts, out);
        return;
    }
    general(text, cs, (a, b), next, opts, out);
}

/// `http://…`, `www.…`, `…://…`, or an e-mail address `x@y.z`.
fn is_url_like(text: &str, cs: &[(usize, char)], u: usize, b: usize) -> bool {
    let end = if b < cs.len() {
        cs[b].0
    } else {
        cs[b - 1].0 + cs[b - 1].1.len_utf8()
    };
    let s = &text[cs[u].0..end];
    let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    if lower.starts_with("www.") || s.contains("://") {
        return true;
    }
    if let Some(at) = s.find('@') {
        let (user, host) = (&s[..at], &s[at + 1..]);
        return user.chars().any(is_word_char)
            && host.split_once('.').is_some_and(|(h, tld)| {
                !h.is_empty() && tld.starts_with(|c: char| c.is_alphabetic())
            });
    }
    false
}

/// Whether the non-word char at `q` joins the word chars around it into one token.
/// Returns how many chars it spans (0 = no join).
fn joiner_len(
    text: &str,
    cs: &[(usize, char)],
    (p, q, b): (usize, usize, usize),
    opts: Options,
) -> usize {
    let prev = cs[q - 1].1;
    if opts.split_hyphens && cs[q].1 == '-' && !hyphen_joins(text, cs, p, q, b) {
        return 0;
    }
    let at = |k: usize| if k < b { Some(cs[k].1) } else { None };
    let next_word = at(q + 1).is_some_and(is_word_char);
    let digits = prev.is_numeric() && at(q + 1).is_some_and(char::is_numeric);
    match cs[q].1 {
        '-' | '@' if next_word => 1,
        // "U.S.-proposed": the abbreviation's period, then the hyphen.
        '.' if next_word => 1,
        '.' if at(q + 1) == Some('-') && at(q + 2).is_some_and(is_word_char) => 2,
        '\'' | '’' if prev.is_alphabetic() && at(q + 1).is_some_and(char::is_alphabetic) => 1,
        ',' | ':' | '/' if digits => 1,
        '&' if prev.is_uppercase() && at(q + 1).is_some_and(char::is_uppercase) => 1,
        _ => 0,
    }
}

/// With `split_hyphens`: whether the hyphen at `q` (inside the word starting at `p`) still
/// joins, i.e. follows a lexical prefix or sits between digits.
fn hyphen_joins(text: &str, cs: &[(usize, char)], p: usize, q: usize, b: usize) -> bool {
    if cs[q - 1].1.is_numeric() && q + 1 < b && cs[q + 1].1.is_numeric() {
        return true;
    }
    // The part before the hyphen: back to the previous hyphen or the word start.
    let mut s = q;
    while s > p && cs[s - 1].1 != '-' {
        s -= 1;
    }
    let left = text[cs[s].0..cs[q].0].to_lowercase();
    hyphen_prefixes().iter().any(|x| *x == left)
}

/// Prefixes after which UD English keeps the hyphen inside the word (`hyphen_prefixes.txt`).
fn hyphen_prefixes() -> &'static [&'static str] {
    static P: OnceLock<Vec<&'static str>> = OnceLock::new();
    P.get_or_init(|| wordlist::built_in(parse_hyphen_prefixes()))
}

pub(crate) fn parse_hyphen_prefixes() -> Result<Vec<&'static str>, ListError> {
    wordlist::words("hyphen_prefixes.txt", include_str!("hyphen_prefixes.txt"))
}

/// Split words from `tokenize/contractions.txt`: lowercase word and length of its first part.
fn contractions() -> &'static [(String, usize)] {
    static C: OnceLock<Vec<(String, usize)>> = OnceLock::new();
    C.get_or_init(|| wordlist::built_in(parse_contractions()))
}

/// `contractions.txt`, a line that is not `word length` (a length inside the word) an error.
pub(crate) fn parse_contractions() -> Result<Vec<(String, usize)>, ListError> {
    wordlist::lines("contractions.txt", include_str!("contractions.txt"))
        .map(|l| match l.fields()[..] {
            [w, n] => match n.parse::<usize>() {
                Ok(n) if n > 0 && n < w.len() => Ok((w.to_string(), n)),
                _ => Err(l.error("expected a length inside the word")),
            },
            _ => Err(l.error("expected a word and the length of its first part")),
        })
        .collect()
}

/// Scans `cs[p..b]` (no whitespace) into tokens.
fn general(
    text: &str,
    cs: &[(usize, char)],
    (mut p, b): (usize, usize),
    next: Option<char>,
    opts: Options,
    out: &mut Vec<(usize, usize)>,
) {
    let chunk_start = p;
    let at = |k: usize| if k < b { Some(cs[k].1) } else { None };
    while p < b {
        let c = cs[p].1;
        let starts_word = is_word_char(c)
            // "#audiobooks", "@user", "-0.39" at the start of a chunk.
            || (p == chunk_start && matches!(c, '#' | '@' | '-') && at(p + 1).is_some_and(|n| {
                if c == '-' { n.is_ascii_digit() } else { is_word_char(n) }
            }));
        if starts_word {
            let mut q = p + 1;
            while q < b {
                if is_word_char(cs[q].1) {
                    q += 1;
                } else {
                    match joiner_len(text, cs, (p, q, b), opts) {
                        0 => break,
                        j => q += j,
                    }
                }
            }
            // A cut-off word keeps its hyphen ("re-", "kn-") as in transcribed speech.
            if at(q) == Some('-') && q + 1 == b {
                out.push((p, q + 1));
                p = q + 1;
                continue;
            }
            // An abbreviation keeps its period ("U.S.", "Mr.", "No." before a number).
            if at(q) == Some('.') && at(q + 1) != Some('.') {
                let word = &text[cs[p].0..cs[q].0];
                let keep = match abbreviation_class(word) {
                    Some(AbbrevClass::Numeric) => {
                        let after = if q + 1 < b { at(q + 1) } else { next };
                        after.is_some_and(|c| c.is_ascii_digit())
                    }
                    Some(_) => true,
                    None => false,
                };
                if keep {
                    out.push((p, q + 1));
                    p = q + 1;
                    continue;
                }
            }
            push_word(text, cs, p, q, out);
            p = q;
            continue;
        }
        let mut q = p + 1;
        match c {
            // "...", "?!", "..?": one token per run of final punctuation.
            '.' | '!' | '?' => {
                while q < b && matches!(cs[q].1, '.' | '!' | '?') {
                    q += 1;
                }
            }
            // "--", "$$$", "****", "<<", "==": one token per run of the same symbol.
            '-' | '$' | '*' | '+' | '=' | '<' | '>' | '~' | '#' | '_' | '^' | '|' | '&' | '@'
            | '%' | '/' | '\\' => {
                while q < b && cs[q].1 == c {
                    q += 1;
                }
            }
            // Emoticons: ":)", ":-(", ";P".
            ':' | ';' => {
                let mut e = q;
                if at(e) == Some('-') {
                    e += 1;
                }
                if at(e).is_some_and(|x| ")(DPpO/|]".contains(x))
                    && !at(e + 1).is_some_and(is_word_char)
                    && (p == chunk_start || !is_word_char(cs[p - 1].1) || e + 1 == b)
                    && !(c == ':' && at(e) == Some('/') && at(e + 1) == Some('/'))
                {
                    q = e + 1;
                }
            }
            // A clitic after a non-word char ("U.S.'s") or the start of "'s" in speech.
            '\'' | '’' if p > chunk_start => {
                q = p + 1 + clitic_len_after_apostrophe(cs, p + 1, b);
            }
            _ => {}
        }
        out.push((p, q));
        p = q;
    }
}

/// Letters of a clitic (`s`, `m`, `d`, `re`, `ve`, `ll`) starting at `k` and ending the word.
fn clitic_len_after_apostrophe(cs: &[(usize, char)], k: usize, b: usize) -> usize {
    let mut e = k;
    while e < b && cs[e].1.is_alphabetic() && e - k < 3 {
        e += 1;
    }
    if e < b && is_word_char(cs[e].1) {
        return 0;
    }
    let s: String = cs[k..e].iter().map(|c| c.1.to_ascii_lowercase()).collect();
    match s.as_str() {
        "s" | "m" | "d" | "re" | "ve" | "ll" => e - k,
        _ => 0,
    }
}

/// Emits the word `cs[p..q]`, splitting off clitics and two-part words.
fn push_word(text: &str, cs: &[(usize, char)], p: usize, q: usize, out: &mut Vec<(usize, usize)>) {
    let len = q - p;
    let lower = |k: usize| cs[k].1.to_ascii_lowercase();
    // n't: "don't" -> "do" "n't", "can't" -> "ca" "n't".
    if len > 3 && lower(q - 3) == 'n' && is_apostrophe(cs[q - 2].1) && lower(q - 1) == 't' {
        out.push((p, q - 3));
        out.push((q - 3, q));
        return;
    }
    if len > 2 && is_apostrophe(cs[q - 2].1) && matches!(lower(q - 1), 's' | 'm' | 'd') {
        out.push((p, q - 2));
        out.push((q - 2, q));
        return;
    }
    if len > 3
        && is_apostrophe(cs[q - 3].1)
        && matches!(
            (lower(q - 2), lower(q - 1)),
            ('r', 'e') | ('v', 'e') | ('l', 'l')
        )
    {
        out.push((p, q - 3));
        out.push((q - 3, q));
        return;
    }
    if len <= 6 {
        let end = if q < cs.len() {
            cs[q].0
        } else {
            cs[q - 1].0 + cs[q - 1].1.len_utf8()
        };
        let w = text[cs[p].0..end].to_lowercase();
        if let Some((_, first)) = contractions().iter().find(|(c, _)| *c == w) {
            // Contractions are ASCII, so a byte length is a char count.
            out.push((p, p + first));
            out.push((p + first, q));
            return;
        }
    }
    out.push((p, q));
}

/// The tokenization stage: fills the document's tokens and each sentence's token range.
pub struct WordTokenizer;

impl crate::stage::Stage for WordTokenizer {
    fn name(&self) -> &'static str {
        "tokenize"
    }
    fn requires(&self) -> &'static [crate::stage::Layer] {
        &[crate::stage::Layer::Sentences]
    }
    fn provides(&self) -> &'static [crate::stage::Layer] {
        &[crate::stage::Layer::Tokens]
    }

    fn process(&self, doc: &mut crate::document::Document) -> Result<(), crate::stage::StageError> {
        let mut tokens = Vec::new();
        for (si, s) in doc.sentences.iter_mut().enumerate() {
            let start = tokens.len();
            for span in tokenize(&doc.text, s.span) {
                tokens.push(crate::document::Token {
                    span,
                    sentence: si,
                    upos: "X",
                    lemma: String::new(),
                    head: None,
                    deprel: String::new(),
                });
            }
            s.tokens = start..tokens.len();
        }
        doc.tokens = tokens;
        doc.index_tree();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<&str> {
        tokenize(text, Span::new(0, text.len()))
            .iter()
            .map(|s| s.slice(text))
            .collect()
    }

    #[test]
    fn token_cases() {
        let cases: &[(&str, &[&str])] = &[
            ("", &[]),
            ("   ", &[]),
            (
                "Ukraine’s Defense Minister, Rustem Umerov, has announced that...",
                &[
                    "Ukraine",
                    "’s",
                    "Defense",
                    "Minister",
                    ",",
                    "Rustem",
                    "Umerov",
                    ",",
                    "has",
                    "announced",
                    "that",
                    "...",
                ],
            ),
            (
                "I don't know, can't say, won't go.",
                &[
                    "I", "do", "n't", "know", ",", "ca", "n't", "say", ",", "wo", "n't", "go", ".",
                ],
            ),
            (
                "They’re here; we'll see, I'm sure he'd've",
                &[
                    "They", "’re", "here", ";", "we", "'ll", "see", ",", "I", "'m", "sure", "he'd",
                    "'ve",
                ],
            ),
            (
                "a 1,000-for-1,000 swap, U.S.-proposed terms",
                &[
                    "a",
                    "1,000-for-1,000",
                    "swap",
                    ",",
                    "U.S.-proposed",
                    "terms",
                ],
            ),
            (
                "Send an e-mail to the U.S. embassy.",
                &["Send", "an", "e-mail", "to", "the", "U.S.", "embassy", "."],
            ),
            (
                "It costs $100, up 10% from 3.5.",
                &[
                    "It", "costs", "$", "100", ",", "up", "10", "%", "from", "3.5", ".",
                ],
            ),
            (
                "See https://example.com/a?b=1&c=2. Or mail john.doe@example.org!",
                &[
                    "See",
                    "https://example.com/a?b=1&c=2",
                    ".",
                    "Or",
                    "mail",
                    "john.doe@example.org",
                    "!",
                ],
            ),
            (
                "He said \"no\" -- and “yes” — then ‘maybe’.",
                &[
                    "He", "said", "\"", "no", "\"", "--", "and", "“", "yes", "”", "—", "then", "‘",
                    "maybe", "’", ".",
                ],
            ),
            ("«Non», dit-il…", &["«", "Non", "»", ",", "dit-il", "…"]),
            (
                "Mr. Smith met Dr. Jones at No. 10 on Jan. 5",
                &[
                    "Mr.", "Smith", "met", "Dr.", "Jones", "at", "No.", "10", "on", "Jan.", "5",
                ],
            ),
            ("No. I said no.", &["No", ".", "I", "said", "no", "."]),
            (
                "I cannot, gonna try (really)!?",
                &[
                    "I", "can", "not", ",", "gon", "na", "try", "(", "really", ")", "!?",
                ],
            ),
            (
                "Great :) see you at 10:30 on 08/16/2000",
                &[
                    "Great",
                    ":)",
                    "see",
                    "you",
                    "at",
                    "10:30",
                    "on",
                    "08/16/2000",
                ],
            ),
            (
                "the Americans' plan and AT&T's",
                &["the", "Americans", "'", "plan", "and", "AT&T", "'s"],
            ),
            ("[1]–[11]", &["[", "1", "]", "–", "[", "11", "]"]),
            ("café naïve", &["café", "naïve"]),
            ("'''", &["'", "'", "'"]),
        ];
        for (input, want) in cases {
            assert_eq!(toks(input), *want, "input: {input:?}");
        }
    }

    #[test]
    fn respects_span_and_offsets() {
        let text = "Intro. Ukraine’s “talks” end.";
        let start = text.find("Ukraine").unwrap();
        let span = Span::new(start, text.len());
        let got: Vec<&str> = tokenize(text, span).iter().map(|s| s.slice(text)).collect();
        assert_eq!(got, ["Ukraine", "’s", "“", "talks", "”", "end", "."]);
        assert!(tokenize(text, Span::new(0, text.len() + 5)).is_empty());
        // A span that cuts a multibyte char is rejected, not a panic.
        let q = text.find('“').unwrap();
        assert!(tokenize(text, Span::new(q + 1, text.len())).is_empty());
    }

    #[test]
    fn never_panics_and_covers_all_non_whitespace() {
        let long = "a".repeat(50_000) + "'s";
        let inputs = [
            "'",
            "’s",
            "n't",
            "...",
            "-",
            "--5",
            "-5",
            "@",
            "#",
            "a@b",
            "x@y.",
            "http://",
            "www.",
            ":",
            ":-",
            "$$$",
            "U.S.'s",
            "\r\n",
            "a\u{301}b",
            "1,",
            ",1",
            "e.g.,",
            &long,
        ];
        for text in inputs {
            let toks = tokenize(text, Span::new(0, text.len()));
            let mut covered = 0;
            let mut last = 0;
            for t in &toks {
                assert!(!t.is_empty() && t.start >= last, "{text:?} {toks:?}");
                assert!(!t.slice(text).contains(char::is_whitespace));
                covered += t.len();
                last = t.end;
            }
            let non_ws: usize = text
                .chars()
                .filter(|c| !c.is_whitespace())
                .map(char::len_utf8)
                .sum();
            assert_eq!(covered, non_ws, "{text:?}");
        }
    }
}
