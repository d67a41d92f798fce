//! Segmentation: an article's text into paragraphs, and paragraphs into sentences.
//!
//! Invariants:
//! - every span is a byte range into the original text, on char boundaries, trimmed of
//!   surrounding whitespace and never empty;
//! - paragraphs and sentences are returned in text order and do not overlap;
//! - every sentence lies inside one paragraph (a paragraph break is always a sentence break);
//! - a headline paragraph is exactly one sentence;
//! - no input makes these functions panic, and they run in linear time.
//!
//! Paragraphs break at blank lines. A single line break inside a block of lines is not a break,
//! except after a headline-like line (short or title-cased, without final punctuation), which
//! becomes its own headline paragraph. Sentences break after `.`, `!`, `?`, `…` (plus any
//! closing quotes/brackets) followed by whitespace and a capital letter, a digit or an opening
//! quote/bracket, unless the period belongs to an abbreviation (see `abbreviations.txt`).

use crate::document::{Paragraph, Sentence};
use crate::span::Span;
use crate::text::{is_closing_quote, is_opening_quote};
use std::collections::HashMap;
use std::collections::HashSet;
use std::sync::OnceLock;

/// How an abbreviation's period interacts with sentence ends (sections of `abbreviations.txt`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AbbrevClass {
    /// Precedes a name or continues the clause ("Mr.", "e.g."): never ends a sentence.
    Title,
    /// May end a sentence ("U.S.", "Inc.", "Jan."): ends one only before a sentence starter.
    Ambiguous,
    /// An abbreviation only before a number ("No. 5", "pp. 12").
    Numeric,
}

pub(crate) struct Lexicon {
    abbrevs: HashMap<&'static str, AbbrevClass>,
    starters: HashSet<&'static str>,
}

fn lexicon() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(|| crate::wordlist::built_in(Lexicon::built_in()))
}

impl Lexicon {
    /// `abbreviations.txt` (words under `[title]`, `[ambiguous]` and `[numeric]` headers; an
    /// unknown header is an error) and `sentence_starters.txt`.
    pub(crate) fn built_in() -> Result<Lexicon, crate::wordlist::ListError> {
        let mut abbrevs = HashMap::new();
        let mut class = AbbrevClass::Ambiguous;
        for line in crate::wordlist::lines("abbreviations.txt", include_str!("abbreviations.txt")) {
            match line.text {
                "[title]" => class = AbbrevClass::Title,
                "[ambiguous]" => class = AbbrevClass::Ambiguous,
                "[numeric]" => class = AbbrevClass::Numeric,
                w if w.starts_with('[') => return Err(line.error("unknown section")),
                // The first listing wins, so a word in two sections keeps its first class.
                _ => {
                    abbrevs.entry(line.word()?).or_insert(class);
                }
            }
        }
        let starters = crate::wordlist::words(
            "sentence_starters.txt",
            include_str!("sentence_starters.txt"),
        )?
        .into_iter()
        .collect();
        Ok(Lexicon { abbrevs, starters })
    }
}

/// The class of `word` (without its final period) if it is an abbreviation.
///
/// Listed words match exactly or with the first letter upper-cased; unlisted words with
/// internal periods ("U.S", "Ph.D") and single capital initials ("J") are `Ambiguous`.
pub fn abbreviation_class(word: &str) -> Option<AbbrevClass> {
    let lex = lexicon();
    if let Some(c) = lex.abbrevs.get(word) {
        return Some(*c);
    }
    let mut chars = word.chars();
    if let Some(first) = chars.next() {
        if first.is_uppercase() {
            // "Etc" matches the listed "etc"; "Mass" does not match "mass" (not listed).
            let lowered: String = first.to_lowercase().chain(chars).collect();
            if let Some(c) = lex.abbrevs.get(lowered.as_str()) {
                if lowered.chars().next().is_some_and(char::is_lowercase) {
                    return Some(*c);
                }
            }
        }
    }
    // "GEN." and "NO." in all-caps text match "Gen" and "No".
    if word.chars().count() > 1 && word.chars().all(|c| c.is_uppercase()) {
        let mut cs = word.chars();
        let capitalized: String = cs
            .next()
            .into_iter()
            .chain(cs.flat_map(char::to_lowercase))
            .collect();
        if let Some(c) = lex.abbrevs.get(capitalized.as_str()) {
            return Some(*c);
        }
    }
    if is_initial(word) || has_internal_periods(word) {
        return Some(AbbrevClass::Ambiguous);
    }
    None
}

/// Whether `word` typically starts a sentence (`sentence_starters.txt`).
pub fn is_sentence_starter(word: &str) -> bool {
    lexicon().starters.contains(word)
}

/// A single capital letter ("J" of "J. R. R. Tolkien").
fn is_initial(word: &str) -> bool {
    let mut cs = word.chars();
    matches!((cs.next(), cs.next()), (Some(c), None) if c.is_uppercase())
}

/// Short letter groups joined by periods: "U.S", "e.g", "Ph.D", "a.m" (not "google.com").
fn has_internal_periods(word: &str) -> bool {
    word.contains('.')
        && word.split('.').all(|p| {
            let n = p.chars().count();
            (1..=2).contains(&n) && p.chars().all(char::is_alphabetic)
        })
}

/// Sentence-final punctuation.
fn is_terminal(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…' | '‽')
}

/// Closing quotes and brackets (CJK corner brackets among them) that stay with the sentence
/// they close.
fn is_closer(c: char) -> bool {
    is_closing_quote(c) || matches!(c, ')' | ']' | '}' | '」' | '』')
}

/// Opening quotes, brackets and inverted marks that may start a sentence.
fn is_opener(c: char) -> bool {
    is_opening_quote(c) || matches!(c, '(' | '[' | '{' | '¿' | '¡' | '「' | '『')
}

/// Splits `text` into paragraphs: at blank lines, and around headline lines.
pub fn paragraphs(text: &str) -> Vec<Paragraph> {
    let mut out = Vec::new();
    let mut block: Vec<Span> = Vec::new();
    let mut pos = 0;
    for line in text.split('\n') {
        let span = Span::new(pos, pos + line.len());
        pos += line.len() + 1;
        let trimmed = span.trim(text);
        if trimmed.is_empty() {
            flush_block(text, &block, &mut out);
            block.clear();
        } else {
            block.push(trimmed);
        }
    }
    flush_block(text, &block, &mut out);
    out
}

/// Turns a block of consecutive non-blank lines into paragraphs.
fn flush_block(text: &str, block: &[Span], out: &mut Vec<Paragraph>) {
    let longest = block
        .iter()
        .map(|l| l.slice(text).chars().count())
        .max()
        .unwrap_or(0);
    let mut cur: Option<(Span, usize)> = None; // (covering span, number of lines)
    let push_cur = |cur: &mut Option<(Span, usize)>, out: &mut Vec<Paragraph>| {
        if let Some((span, lines)) = cur.take() {
            let s = span.slice(text);
            out.push(Paragraph {
                span,
                headline: lines == 1 && !ends_with_final_punct(s) && looks_like_title(s),
            });
        }
    };
    for (i, &line) in block.iter().enumerate() {
        let next = block.get(i + 1).map(|n| n.slice(text));
        if let Some(next) = next {
            if is_headline_line(line.slice(text), next, longest) {
                push_cur(&mut cur, out);
                out.push(Paragraph {
                    span: line,
                    headline: true,
                });
                continue;
            }
        }
        cur = Some(match cur {
            Some((span, n)) => (span.cover(line), n + 1),
            None => (line, 1),
        });
    }
    push_cur(&mut cur, out);
}

/// A line followed by a line break that is a headline rather than part of running text: no
/// final punctuation, the next line does not continue it in lowercase, and it is title-cased or
/// clearly shorter than the block's other lines (so hard-wrapped prose is not cut).
fn is_headline_line(line: &str, next: &str, longest: usize) -> bool {
    if ends_with_final_punct(line) || next.chars().next().is_some_and(char::is_lowercase) {
        return false;
    }
    let n = line.chars().count();
    looks_like_title(line) || (n <= 80 && n * 10 < longest * 7)
}

fn ends_with_final_punct(s: &str) -> bool {
    s.trim_end()
        .ends_with(|c| matches!(c, '.' | '!' | '?' | ':' | ';' | '…' | ',') || is_closing_quote(c))
}

/// Words that stay lowercase in title case.
const TITLE_SMALL_WORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "but", "nor", "as", "at", "by", "for", "from", "in", "into",
    "of", "off", "on", "onto", "over", "per", "to", "up", "upon", "via", "vs", "with", "amid",
    "after", "about", "than", "is", "be", "are", "was", "out",
];

/// Short, and most content words capitalized: "Ukraine Proposes Direct Zelensky-Putin Summit".
fn looks_like_title(s: &str) -> bool {
    if s.len() > 250 {
        return false;
    }
    let mut words = 0;
    let mut content = 0;
    let mut caps = 0;
    for w in s.split_whitespace() {
        words += 1;
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        let Some(first) = w.chars().next() else {
            continue;
        };
        if first.is_numeric() || TITLE_SMALL_WORDS.contains(&w.to_lowercase().as_str()) {
            continue;
        }
        content += 1;
        if first.is_uppercase() {
            caps += 1;
        }
    }
    words <= 25 && content > 0 && caps * 10 >= content * 7
}

/// All sentences of `text`, in order, each tagged with its index in `paragraphs(text)`; their
/// token ranges are empty until tokenization fills them.
pub fn sentences(text: &str) -> Vec<Sentence> {
    let mut out = Vec::new();
    for (pi, para) in paragraphs(text).iter().enumerate() {
        if para.headline {
            out.push(Sentence {
                span: para.span,
                paragraph: pi,
                tokens: 0..0,
            });
            continue;
        }
        for span in split_paragraph(text, para.span) {
            out.push(Sentence {
                span,
                paragraph: pi,
                tokens: 0..0,
            });
        }
    }
    out
}

/// The sentences of one paragraph `para` (a trimmed span of `text`).
fn split_paragraph(text: &str, para: Span) -> Vec<Span> {
    let chars: Vec<(usize, char)> = para
        .slice(text)
        .char_indices()
        .map(|(i, c)| (i + para.start, c))
        .collect();
    let n = chars.len();
    let off = |k: usize| if k < n { chars[k].0 } else { para.end };
    let mut out = Vec::new();
    let mut start = para.start;
    let mut i = 0;
    while i < n {
        if let Some((end, next)) = boundary_at(&chars, i, text) {
            let s = Span::new(start, off(end)).trim(text);
            if !s.is_empty() {
                out.push(s);
            }
            start = off(next);
            i = next;
        } else {
            i += 1;
        }
    }
    let s = Span::new(start.min(para.end), para.end).trim(text);
    if !s.is_empty() {
        out.push(s);
    }
    out
}

/// If a sentence ends at char `i` (a terminal mark), the char index where it ends (exclusive)
/// and where the next one starts.
fn boundary_at(chars: &[(usize, char)], i: usize, text: &str) -> Option<(usize, usize)> {
    let n = chars.len();
    let c = chars[i].1;
    if !is_terminal(c) {
        return dash_boundary(chars, i, text);
    }
    // Only the start of a run of terminal marks ("?!", "...") is considered.
    if i > 0 && is_terminal(chars[i - 1].1) {
        return None;
    }
    let mut j = i;
    while j < n && is_terminal(chars[j].1) {
        j += 1;
    }
    let mut end = j;
    while end < n && is_closer(chars[end].1) {
        end += 1;
    }
    if end >= n || !chars[end].1.is_whitespace() {
        return None;
    }
    let mut next = skip_ws(chars, end);
    if next >= n {
        return None;
    }
    // A bracketed citation after the period ("... in 1805. [6] An undistinguished ...")
    // belongs to the sentence it cites.
    // A bare number after an abbreviation is its argument ("No. 10 Downing"), not a footnote.
    let after_abbrev =
        j - i == 1 && c == '.' && abbreviation_class(word_before(chars, i, text)).is_some();
    let footnote = || footnote_end(chars, next).filter(|_| !after_abbrev);
    if let Some(close) = citation_end(chars, next).or_else(footnote) {
        if close >= n {
            return None;
        }
        if chars[close].1.is_whitespace() {
            end = close;
            next = skip_ws(chars, close);
            if next >= n {
                return None;
            }
        }
    }
    let mut f = next;
    while f < n && is_opener(chars[f].1) {
        f += 1;
    }
    if f >= n {
        return None;
    }
    let fc = chars[f].1;
    let opened = f > next;
    let after_opener = opened && !fc.is_lowercase() && !fc.is_whitespace();
    if !(fc.is_uppercase() || fc.is_numeric() || after_opener) {
        // Informal text starts sentences in lowercase ("where did you grow up? india?"); only
        // trust that after a bare "?"/"!" or a period after an ordinary word, never after a
        // closing quote ("'Stop!' she said") or an abbreviation.
        if !(fc.is_lowercase() && !opened && end == j && lowercase_start_ok(chars, i, j, text)) {
            return None;
        }
        return Some((end, next));
    }
    if j - i == 1 && c == '.' {
        let word = word_before(chars, i, text);
        let next_word = word_at(chars, f, text);
        let opened_quote = opened && !matches!(chars[next].1, '(' | '[' | '{');
        if !period_ends_sentence(word, next_word, fc, opened_quote) {
            return None;
        }
    }
    Some((end, next))
}

/// A dash closing an interrupted utterance ("I know she's — See now ..."): a free-standing dash
/// followed by a word that typically starts a sentence.
fn dash_boundary(chars: &[(usize, char)], i: usize, text: &str) -> Option<(usize, usize)> {
    let n = chars.len();
    if chars[i].1 != '—' || i == 0 || !chars[i - 1].1.is_whitespace() {
        return None;
    }
    let end = i + 1;
    if end >= n || !chars[end].1.is_whitespace() {
        return None;
    }
    let next = skip_ws(chars, end);
    if next >= n {
        return None;
    }
    let w = word_at(chars, next, text);
    (is_dash_restart(w)).then_some((end, next))
}

/// Words that restart speech after an interruption dash; a narrower list than sentence
/// starters because a dash mid-sentence ("Umerov — the lead negotiator —") is far more common.
fn is_dash_restart(w: &str) -> bool {
    matches!(
        w,
        "I" | "I'm"
            | "Yes"
            | "Yeah"
            | "No"
            | "Oh"
            | "Okay"
            | "OK"
            | "So"
            | "Do"
            | "Did"
            | "This"
            | "That's"
            | "See"
            | "Well"
            | "What"
            | "Why"
            | "How"
            | "Is"
            | "Are"
            | "Can"
    ) || (w.len() <= 3 && w.ends_with('-'))
}

fn skip_ws(chars: &[(usize, char)], mut k: usize) -> usize {
    while k < chars.len() && chars[k].1.is_whitespace() {
        k += 1;
    }
    k
}

/// If `[digits]` (or `[3, 4]`, `[5-7]`) starts at `k`, the index just after `]`.
fn citation_end(chars: &[(usize, char)], k: usize) -> Option<usize> {
    if chars.get(k)?.1 != '[' {
        return None;
    }
    let mut m = k + 1;
    let mut digits = 0;
    while m < chars.len() && m - k <= 12 {
        match chars[m].1 {
            d if d.is_ascii_digit() => digits += 1,
            ',' | '-' | '–' | ' ' => {}
            ']' if digits > 0 => return Some(m + 1),
            _ => return None,
        }
        m += 1;
    }
    None
}

/// Whether a sentence may end at the terminal run `chars[i..j]` although the next word is
/// lowercase.
fn lowercase_start_ok(chars: &[(usize, char)], i: usize, j: usize, text: &str) -> bool {
    if chars[i..j].iter().any(|c| matches!(c.1, '?' | '!')) {
        return true;
    }
    if j - i != 1 || chars[i].1 != '.' {
        return false;
    }
    let word = word_before(chars, i, text);
    word.chars().count() >= 2
        && word.chars().all(char::is_alphabetic)
        && abbreviation_class(word).is_none()
}

/// A footnote number after a sentence ("... minority rights. 4 Even though"): one or two
/// digits followed by whitespace and a capital letter; returns the index after the number.
fn footnote_end(chars: &[(usize, char)], k: usize) -> Option<usize> {
    let mut m = k;
    while m < chars.len() && chars[m].1.is_ascii_digit() && m - k < 3 {
        m += 1;
    }
    let digits = m - k;
    let after = skip_ws(chars, m);
    let ok = (1..=2).contains(&digits)
        && after > m
        && chars.get(after).is_some_and(|c| c.1.is_uppercase());
    ok.then_some(m)
}

/// The whitespace-delimited word ending just before char `i`, without leading openers.
fn word_before<'t>(chars: &[(usize, char)], i: usize, text: &'t str) -> &'t str {
    let mut b = i;
    while b > 0 && !chars[b - 1].1.is_whitespace() {
        b -= 1;
    }
    while b < i && (is_opener(chars[b].1) || matches!(chars[b].1, '—' | '–' | '-')) {
        b += 1;
    }
    if b >= i {
        return "";
    }
    &text[chars[b].0..chars[i].0]
}

/// The word (letters, digits, apostrophes, hyphens) starting at char `f`.
fn word_at<'t>(chars: &[(usize, char)], f: usize, text: &'t str) -> &'t str {
    let mut e = f;
    while e < chars.len()
        && (chars[e].1.is_alphanumeric() || matches!(chars[e].1, '\'' | '’' | '-'))
    {
        e += 1;
    }
    let end = chars
        .get(e)
        .map_or_else(|| chars[e - 1].0 + chars[e - 1].1.len_utf8(), |c| c.0);
    if e == f {
        return "";
    }
    &text[chars[f].0..end]
}

/// Whether a single period after `word` ends the sentence, given the next word and its
/// first char (already known to be a capital, digit or after an opening quote).
fn period_ends_sentence(word: &str, next_word: &str, first: char, opened_quote: bool) -> bool {
    if !word.ends_with(|c: char| c.is_alphabetic()) {
        return true;
    }
    match abbreviation_class(word) {
        Some(AbbrevClass::Title) => false,
        Some(AbbrevClass::Numeric) => !first.is_numeric(),
        // A quote may open the next sentence ("the U.S. \"We ..."); a bracket rarely does
        // ("Inc. (713) 235-1972").
        Some(AbbrevClass::Ambiguous) => opened_quote || is_sentence_starter(next_word),
        None => true,
    }
}

/// The segmentation stage: fills the document's paragraphs and sentences.
pub struct Segmenter;

impl crate::stage::Stage for Segmenter {
    fn name(&self) -> &'static str {
        "segment"
    }
    fn requires(&self) -> &'static [crate::stage::Layer] {
        &[crate::stage::Layer::Text]
    }
    fn provides(&self) -> &'static [crate::stage::Layer] {
        &[
            crate::stage::Layer::Paragraphs,
            crate::stage::Layer::Sentences,
        ]
    }

    fn process(&self, doc: &mut crate::document::Document) -> Result<(), crate::stage::StageError> {
        doc.paragraphs = paragraphs(&doc.text);
        doc.sentences = sentences(&doc.text);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentence_texts(text: &str) -> Vec<&str> {
        sentences(text).iter().map(|s| s.span.slice(text)).collect()
    }

    #[test]
    fn sentence_cases() {
        let cases: &[(&str, &[&str])] = &[
            ("", &[]),
            ("   \n \r\n ", &[]),
            ("Hello world.", &["Hello world."]),
            (
                "He left. She stayed! Did they? Yes.",
                &["He left.", "She stayed!", "Did they?", "Yes."],
            ),
            (
                "Talks began in the U.S. and ended in the U.K. last week.",
                &["Talks began in the U.S. and ended in the U.K. last week."],
            ),
            (
                "No further U.S. sanctions were imposed. U.S. officials declined to comment.",
                &[
                    "No further U.S. sanctions were imposed.",
                    "U.S. officials declined to comment.",
                ],
            ),
            (
                "The deal was brokered by the U.S. The talks continue.",
                &["The deal was brokered by the U.S.", "The talks continue."],
            ),
            (
                "Mr. Smith met Dr. Jones and Gov. Abbott on Jan. 5 at No. 10 Downing St. in London.",
                &["Mr. Smith met Dr. Jones and Gov. Abbott on Jan. 5 at No. 10 Downing St. in London."],
            ),
            (
                "J. R. R. Tolkien wrote it. It sold 3.5 million copies.",
                &["J. R. R. Tolkien wrote it.", "It sold 3.5 million copies."],
            ),
            (
                "He bought apples, pears, etc. and left. Then he came back.",
                &["He bought apples, pears, etc. and left.", "Then he came back."],
            ),
            (
                "He said \"no.\" Then he left.",
                &["He said \"no.\"", "Then he left."],
            ),
            (
                "\u{201c}We will not stop.\u{201d} The minister spoke.",
                &["\u{201c}We will not stop.\u{201d}", "The minister spoke."],
            ),
            (
                "\u{201c}First. Second,\u{201d} she said.",
                &["\u{201c}First.", "Second,\u{201d} she said."],
            ),
            (
                "\"Stop!\" she shouted. \"Why?\" he asked.",
                &["\"Stop!\" she shouted.", "\"Why?\" he asked."],
            ),
            (
                "«Nous verrons.» Il est parti. Après — rien.",
                &["«Nous verrons.»", "Il est parti.", "Après — rien."],
            ),
            (
                "Wait... what happened? I don't know…",
                &["Wait... what happened?", "I don't know…"],
            ),
            (
                "He remained until 1805. [6] An undistinguished student, he left.",
                &["He remained until 1805. [6]", "An undistinguished student, he left."],
            ),
            (
                "Headline Without Punctuation\nBody text starts here. It goes on.",
                &[
                    "Headline Without Punctuation",
                    "Body text starts here.",
                    "It goes on.",
                ],
            ),
            (
                "First paragraph.\r\n\r\nSecond paragraph\r\nwrapped onto a line.\r\n",
                &["First paragraph.", "Second paragraph\r\nwrapped onto a line."],
            ),
            ("?!?! ... \"\" ((", &["?!?! ... \"\" (("]),
            ("Unbalanced \"quote. And (bracket.", &["Unbalanced \"quote.", "And (bracket."]),
        ];
        for (input, want) in cases {
            assert_eq!(sentence_texts(input), *want, "input: {input:?}");
        }
    }

    #[test]
    fn paragraphs_and_headlines() {
        let text = "Ukraine Proposes Direct Zelensky-Putin Summit\n\nBody one.\nStill body one.\n \t\nBody two.";
        let ps = paragraphs(text);
        let got: Vec<(&str, bool)> = ps
            .iter()
            .map(|p| (p.span.slice(text), p.headline))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Ukraine Proposes Direct Zelensky-Putin Summit", true),
                ("Body one.\nStill body one.", false),
                ("Body two.", false),
            ]
        );
        let sents = sentences(text);
        assert_eq!(
            sents.iter().map(|s| s.paragraph).collect::<Vec<_>>(),
            vec![0, 1, 1, 2]
        );
    }

    #[test]
    fn ceasefire_example() {
        // In the repository, so never missing: a failed read fails the test.
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/ceasefire_talks.txt");
        let text = std::fs::read_to_string(path).expect(path);
        let ps = paragraphs(&text);
        assert!(ps[0].headline);
        assert!(ps[1..].iter().all(|p| !p.headline));
        let sents = sentences(&text);
        assert_eq!(
            sents[0].span.slice(&text),
            "Ukraine Proposes Direct Zelensky-Putin Summit as Next Step in Ceasefire Talks"
        );
        for s in &sents {
            let t = s.span.slice(&text);
            assert!(!t.starts_with("and involving"), "split after U.S.: {t:?}");
            assert!(!t.ends_with("U.S."), "split after U.S.: {t:?}");
            assert!(
                !t.starts_with("sanctions") && !t.starts_with("response"),
                "{t:?}"
            );
        }
        if text.contains("Umerov, who stressed") {
            assert_eq!(sents.len(), 14, "{:#?}", sentence_texts(&text));
        }
    }

    #[test]
    fn never_panics_and_spans_are_valid() {
        let long = "word ".repeat(20_000) + "end.";
        let inputs = [
            "",
            " ",
            "\n\n\n",
            ".",
            "...",
            "“",
            "”.",
            "a.\u{201d}",
            "\r\n\r\n",
            "U.S.",
            "[1] [",
            "— — —",
            "x —",
            "?\n!",
            "Mr.",
            "No. ",
            "«»",
            "\"\"\"",
            "[12",
            "a\u{301}. B\u{301}.",
            &long,
        ];
        for text in inputs {
            let mut last = 0;
            for s in sentences(text) {
                assert!(!s.span.is_empty() && s.span.start >= last);
                assert_eq!(s.span.slice(text), s.span.slice(text).trim());
                last = s.span.end;
            }
            for p in paragraphs(text) {
                assert!(!p.span.is_empty());
            }
        }
    }

    #[test]
    fn abbreviation_lookup() {
        assert_eq!(abbreviation_class("Mr"), Some(AbbrevClass::Title));
        assert_eq!(abbreviation_class("Etc"), Some(AbbrevClass::Ambiguous));
        assert_eq!(abbreviation_class("U.S"), Some(AbbrevClass::Ambiguous));
        assert_eq!(abbreviation_class("No"), Some(AbbrevClass::Numeric));
        assert_eq!(abbreviation_class("mass"), None);
        assert_eq!(abbreviation_class("google.com"), None);
    }
}
