//! Direct quotes: each quotation not taken by a mixed quote, seen in its context
//! ([`QuoteSite`]), is attributed by the first rule of [`super::DIRECT_RULES`] that applies
//! ([`Attribution`]); a quotation no rule takes is not a claim.

use super::cues::{cue_in, NearCue, Side};
use super::lexicon::Lexicon;
use super::marks::Quotation;
use super::speaker::{mention, name_head, subject};
use super::{cue_of, new_claim, DIRECT_RULES};
use crate::document::{Claim, ClaimKind, Document};
use crate::function_words::{is, CONTINUING, PERSON_SUBJECTS};
use crate::model::labels::EntityType;
use crate::span::Span;

/// Cue words looked at after a quotation: `"...," the college's president, Dr. X, told ...`
/// fits, a following clause does not.
const AFTER_WINDOW: usize = 14;

/// Words looked at before a quotation for its cue (`X said on Friday: "..."`).
const BEFORE_WINDOW: usize = 12;

/// A quotation in its context, as the direct rules see it.
pub struct QuoteSite<'a> {
    pub doc: &'a Document,
    pub lex: &'a Lexicon,
    pub quote: &'a Quotation,
    /// The sentence the quotation opens in.
    pub sentence: usize,
    /// Tokens of that sentence before the opening mark.
    pub before: Vec<usize>,
    /// Tokens of the sentence it closes in after the closing mark, up to the next quotation
    /// (none for an unclosed quotation).
    pub after: Vec<usize>,
    /// The words that may introduce it: `before` without quote marks, or the previous sentence
    /// when it ends with a colon and only punctuation is before the mark.
    pub lead: Vec<usize>,
    /// The content ends like a sentence, or like the first part of a split quotation.
    pub ends_like_sentence: bool,
    /// Whitespace-separated words of the content.
    pub words: usize,
    /// Direct claims found for the quotations before this one.
    pub earlier: &'a [Claim],
    /// The indirect and mixed claims of the document.
    pub indirect: &'a [Claim],
}

impl<'a> QuoteSite<'a> {
    /// The site of quotation `qi`; `None` when it is outside every sentence.
    fn new(
        doc: &'a Document,
        lex: &'a Lexicon,
        quotes: &'a [Quotation],
        qi: usize,
        earlier: &'a [Claim],
        indirect: &'a [Claim],
    ) -> Option<QuoteSite<'a>> {
        let q = &quotes[qi];
        let s_open = doc.sentence_at(q.open.start)?;
        // An unclosed quotation closes in the sentence of its last character.
        let last_char = doc
            .slice(q.content)
            .chars()
            .next_back()
            .map_or(0, char::len_utf8);
        let close_at = q.close.map_or(q.content.end - last_char, |c| c.start);
        let s_close = doc.sentence_at(close_at).unwrap_or(s_open);
        let before: Vec<usize> = doc.sentences[s_open]
            .tokens
            .clone()
            .filter(|&t| doc.tokens[t].span.end <= q.open.start)
            .collect();
        let next_open = quotes
            .get(qi + 1)
            .map(|n| n.open.start)
            .unwrap_or(usize::MAX);
        let after: Vec<usize> = doc.sentences[s_close]
            .tokens
            .clone()
            .filter(|&t| {
                q.close.is_some_and(|c| doc.tokens[t].span.start >= c.end)
                    && doc.tokens[t].span.start < next_open
            })
            .collect();
        let mut lead: Vec<usize> = before
            .iter()
            .copied()
            .filter(|&t| !is_quote_token(doc, t))
            .collect();
        if lead.iter().all(|&t| doc.tokens[t].upos == "PUNCT") && s_open > 0 {
            let prev = doc.sentences[s_open - 1].tokens.clone();
            if prev.clone().last().is_some_and(|t| doc.word(t) == ":") {
                lead = prev.collect();
            }
        }
        let content_text = doc.slice(q.content);
        Some(QuoteSite {
            doc,
            lex,
            quote: q,
            sentence: s_open,
            before,
            after,
            lead,
            ends_like_sentence: content_text
                .ends_with([',', '.', '?', '!', '…', '-', '—', ';', ':']),
            words: content_text.split_whitespace().count(),
            earlier,
            indirect,
        })
    }

    /// The lead ends with a colon, a comma or a cue verb: it may introduce the quotation.
    fn introduced(&self) -> bool {
        self.lead.last().is_some_and(|&t| {
            matches!(self.doc.word(t), ":" | ",") || cue_of(self.doc, self.lex, t).is_some()
        })
    }

    /// Nothing but punctuation, `and` or `but` before it in its sentence.
    fn standalone(&self) -> bool {
        self.before
            .iter()
            .all(|&t| self.doc.tokens[t].upos == "PUNCT" || is(CONTINUING, &self.doc.lower(t)))
    }
}

/// The speaker of a direct quote as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Speaker {
    pub mention: Span,
    /// Its head token, for resolution.
    pub head: Option<usize>,
}

impl Speaker {
    fn headed(doc: &Document, h: usize) -> Speaker {
        Speaker {
            mention: mention(doc, h),
            head: Some(h),
        }
    }
}

/// How a direct rule attributed a quotation: its cue verb and speaker, either possibly absent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Attribution {
    pub cue: Option<usize>,
    pub speaker: Option<Speaker>,
}

impl Attribution {
    fn by_cue(doc: &Document, cue: NearCue) -> Attribution {
        Attribution {
            cue: Some(cue.verb),
            speaker: cue.speaker.map(|h| Speaker::headed(doc, h)),
        }
    }

    fn by_name(doc: &Document, h: usize) -> Attribution {
        Attribution {
            cue: None,
            speaker: Some(Speaker::headed(doc, h)),
        }
    }
}

/// Direct quotes: each quotation not used by a mixed quote, attributed by the direct rules.
pub fn claims(
    doc: &Document,
    lex: &Lexicon,
    quotes: &[Quotation],
    used: &[bool],
    indirect: &[Claim],
) -> Vec<Claim> {
    let mut out: Vec<Claim> = Vec::new();
    for (qi, q) in quotes.iter().enumerate() {
        if used[qi] || doc.tokens.is_empty() {
            continue;
        }
        let what = trim_quote_content(doc, q.content);
        let Some(site) = QuoteSite::new(doc, lex, quotes, qi, &out, indirect) else {
            continue;
        };
        if what.is_empty() {
            continue;
        }
        let Some(found) = DIRECT_RULES.iter().find_map(|rule| rule(&site)) else {
            continue;
        };
        let first = doc.sentences[site.sentence].tokens.start;
        let mut claim = new_claim(
            doc,
            ClaimKind::DirectQuote,
            first.max(first_token_at(doc, q.content.start)),
        );
        claim.sentence = site.sentence;
        claim.what = Some(what);
        claim.verb = found.cue.map(|v| doc.tokens[v].span);
        if let Some(s) = found.speaker {
            claim.who = Some(s.mention);
            claim.who_head = s.head;
        }
        out.push(claim);
    }
    out
}

/// Rule 1. Cue after: `"...," X said.` / `"...," said X.`, when the content ends like a
/// sentence or a comma or dash follows it; the cue is looked for in the words up to the first
/// verb that is not a cue.
pub fn cue_after(site: &QuoteSite) -> Option<Attribution> {
    let doc = site.doc;
    let after = &site.after;
    let after_ok = site.ends_like_sentence
        || after
            .first()
            .is_some_and(|&t| matches!(doc.word(t), "," | "—" | "–"));
    if !after_ok {
        return None;
    }
    let window: Vec<usize> = after
        .iter()
        .copied()
        .take_while(|&t| doc.tokens[t].upos != "VERB" || cue_of(doc, site.lex, t).is_some())
        .chain(
            after
                .iter()
                .copied()
                .find(|&t| doc.tokens[t].upos == "VERB"),
        )
        .take(AFTER_WINDOW)
        .collect();
    let cue = cue_in(doc, site.lex, &window, Side::After)?;
    Some(Attribution::by_cue(doc, cue))
}

/// Rule 2. Dash attribution: `"..." -Commissioner X` / `— X`: the first name after the dash.
pub fn dash_name(site: &QuoteSite) -> Option<Attribution> {
    let (&d, rest) = site.after.split_first()?;
    if !matches!(site.doc.word(d), "-" | "—" | "–" | "--") {
        return None;
    }
    let h = name_head(site.doc, rest)?;
    Some(Attribution::by_name(site.doc, h))
}

/// Rule 3. Cue before: `X said: "..."`, `X said, "..."`, `said X: "..."`, or the previous
/// sentence ending with a colon: the last cue among the lead's last words.
pub fn cue_before(site: &QuoteSite) -> Option<Attribution> {
    if !site.introduced() {
        return None;
    }
    let lead = &site.lead;
    let search = &lead[lead.len().saturating_sub(BEFORE_WINDOW)..];
    let cue = cue_in(site.doc, site.lex, search, Side::Before)?;
    Some(Attribution::by_cue(site.doc, cue))
}

/// Rule 4. Colon introduction without a verb: `And from Chairwoman Y: "..."`: the first name of
/// the lead.
pub fn colon_name(site: &QuoteSite) -> Option<Attribution> {
    if site.lead.last().is_none_or(|&t| site.doc.word(t) != ":") {
        return None;
    }
    let h = name_head(site.doc, &site.lead)?;
    Some(Attribution::by_name(site.doc, h))
}

/// Rule 5. A quotation of at least two words standing as its own sentence(s), with nothing but
/// punctuation after it: the speaker from just before ([`context_speaker`]), if any.
pub fn previous_speaker(site: &QuoteSite) -> Option<Attribution> {
    let doc = site.doc;
    let rest_empty = site.after.iter().all(|&t| doc.tokens[t].upos == "PUNCT");
    if !(site.standalone() && rest_empty && site.words >= 2) {
        return None;
    }
    Some(Attribution {
        cue: None,
        speaker: context_speaker(doc, site).map(|(mention, head)| Speaker { mention, head }),
    })
}

/// Rule 6. A quotation of six words or more that opens its sentence and ends like one, with text
/// after it that no rule read as a cue (`"..." he added later`): a quote, unattributed.
pub fn unattributed_sentence(site: &QuoteSite) -> Option<Attribution> {
    (site.standalone() && site.words >= 6 && site.ends_like_sentence)
        .then_some(Attribution::default())
}

fn first_token_at(doc: &Document, pos: usize) -> usize {
    doc.tokens
        .partition_point(|t| t.span.end <= pos)
        .min(doc.tokens.len() - 1)
}

fn is_quote_token(doc: &Document, t: usize) -> bool {
    crate::text::is_quote_word(doc.word(t))
}

/// The content without a trailing comma (the split artifact of `"A," she said`).
fn trim_quote_content(doc: &Document, content: Span) -> Span {
    let text = doc.slice(content);
    let trimmed = text.trim_end_matches([',', ' ', '\n']);
    Span::new(content.start, content.start + trimmed.len())
}

/// For a quotation with no cue: the subject of the previous sentence when it is a person
/// ([`previous_subject`]), else the speaker of the latest claim ending before the quotation
/// when that claim is in the previous sentence, or within three sentences and in this or the
/// previous paragraph.
fn context_speaker(doc: &Document, site: &QuoteSite) -> Option<(Span, Option<usize>)> {
    let s = site.sentence;
    if s == 0 {
        return None;
    }
    if let Some(found) = previous_subject(doc, s) {
        return Some(found);
    }
    let para = doc.sentences[s].paragraph;
    let prev_claim = site
        .earlier
        .iter()
        .chain(site.indirect.iter())
        .filter(|c| c.who.is_some() && c.what.is_some_and(|w| w.end <= site.quote.open.start))
        .max_by_key(|c| c.what.map(|w| w.end));
    if let Some(c) = prev_claim {
        if c.sentence + 1 == s
            || doc.sentences[c.sentence].paragraph + 1 >= para && c.sentence + 3 >= s
        {
            return Some((c.who?, c.who_head));
        }
    }
    None
}

/// The subject of the previous sentence's main verb, when it is a person (a pronoun, a
/// proper noun or a PER entity): `Alice began talking to Bob. "Lorem ipsum."`
fn previous_subject(doc: &Document, s: usize) -> Option<(Span, Option<usize>)> {
    let prev = doc.sentences[s.checked_sub(1)?].tokens.clone();
    let root = prev.clone().find(|&t| doc.tokens[t].head.is_none())?;
    let h = subject(doc, root)?.head;
    let person = matches!(doc.tokens[h].upos, "PROPN")
        || is(PERSON_SUBJECTS, &doc.lower(h))
        || doc.entity_at(h).is_some_and(|e| e.ty == EntityType::Per);
    person.then(|| (mention(doc, h), Some(h)))
}

#[cfg(test)]
mod tests {
    use crate::attribution::QuoteFinder;
    use crate::conllu::testing::Case;

    /// The attribution stage's rows for each case.
    fn check(cases: &[Case]) {
        crate::conllu::testing::check(&[], &QuoteFinder::new(), cases);
    }

    #[test]
    fn cue_after() {
        check(&[
            (
                "cue and speaker after the quotation",
                "\"We will win,\" Smith said.
                 \" PUNCT 4 punct
                 We PRON 4 nsubj
                 will AUX 4 aux
                 win VERB 0 root
                 , PUNCT 4 punct
                 \" PUNCT 4 punct
                 Smith PROPN 8 nsubj
                 said VERB 4 parataxis
                 . PUNCT 4 punct",
                &["direct_quote Smith | said | We will win | -"],
            ),
            (
                "inverted: said the minister",
                "“We will win,” said the minister.
                 “ PUNCT 4 punct
                 We PRON 4 nsubj
                 will AUX 4 aux
                 win VERB 0 root
                 , PUNCT 4 punct
                 ” PUNCT 4 punct
                 said VERB 4 parataxis
                 the DET 9 det
                 minister NOUN 7 nsubj
                 . PUNCT 4 punct",
                &["direct_quote the minister | said | We will win | -"],
            ),
            (
                "a verb after it that is no cue",
                "“We will win,” Smith laughed.
                 “ PUNCT 4 punct
                 We PRON 4 nsubj
                 will AUX 4 aux
                 win VERB 0 root
                 , PUNCT 4 punct
                 ” PUNCT 4 punct
                 Smith PROPN 8 nsubj
                 laughed VERB 4 parataxis
                 . PUNCT 4 punct",
                &[],
            ),
        ]);
    }

    #[test]
    fn split_quotation_gives_two_rows_with_one_speaker() {
        check(&[(
            "\"A,\" she said, \"B.\"",
            "“We are ready,” she said, “and we will act.”
             “ PUNCT 4 punct
             We PRON 4 nsubj
             are AUX 4 cop
             ready ADJ 0 root
             , PUNCT 4 punct
             ” PUNCT 4 punct
             she PRON 8 nsubj
             said VERB 4 parataxis
             , PUNCT 8 punct
             “ PUNCT 14 punct
             and CCONJ 14 cc
             we PRON 14 nsubj
             will AUX 14 aux
             act VERB 4 conj
             . PUNCT 4 punct
             ” PUNCT 4 punct",
            &[
                "direct_quote she | said | We are ready | -",
                "direct_quote she | said | and we will act. | -",
            ],
        )]);
    }

    #[test]
    fn dash_name() {
        check(&[
            (
                "name after a dash",
                "“Prices will fall.” — Commissioner Lima
                 “ PUNCT 4 punct
                 Prices NOUN 4 nsubj
                 will AUX 4 aux
                 fall VERB 0 root
                 . PUNCT 4 punct
                 ” PUNCT 4 punct
                 — PUNCT 9 punct
                 Commissioner PROPN 9 compound
                 Lima PROPN 4 parataxis",
                &["direct_quote Commissioner Lima | - | Prices will fall. | -"],
            ),
            (
                "a name without the dash",
                "“Prices will fall.” Commissioner Lima
                 “ PUNCT 4 punct
                 Prices NOUN 4 nsubj
                 will AUX 4 aux
                 fall VERB 0 root
                 . PUNCT 4 punct
                 ” PUNCT 4 punct
                 Commissioner PROPN 8 compound
                 Lima PROPN 4 parataxis",
                &[],
            ),
        ]);
    }

    #[test]
    fn cue_before() {
        check(&[
            (
                "cue and colon before the quotation",
                "Lima said: “Prices will fall.”
                 Lima PROPN 2 nsubj
                 said VERB 0 root
                 : PUNCT 2 punct
                 “ PUNCT 7 punct
                 Prices NOUN 7 nsubj
                 will AUX 7 aux
                 fall VERB 2 ccomp
                 . PUNCT 7 punct
                 ” PUNCT 7 punct",
                &["direct_quote Lima | said | Prices will fall. | -"],
            ),
            (
                "the previous sentence ends with a colon",
                "Lima told reporters:
                 Lima PROPN 2 nsubj
                 told VERB 0 root
                 reporters NOUN 2 obj
                 : PUNCT 2 punct

                 “Prices will fall.”
                 “ PUNCT 4 punct
                 Prices NOUN 4 nsubj
                 will AUX 4 aux
                 fall VERB 0 root
                 . PUNCT 4 punct
                 ” PUNCT 4 punct",
                &["direct_quote Lima | told | Prices will fall. | -"],
            ),
            (
                "a scare quote inside a clause",
                "The so-called “peace plan” failed.
                 The DET 4 det
                 so-called ADJ 4 amod
                 “ PUNCT 4 punct
                 peace NOUN 4 compound
                 plan NOUN 7 nsubj
                 ” PUNCT 4 punct
                 failed VERB 0 root
                 . PUNCT 7 punct",
                &[],
            ),
        ]);
    }

    #[test]
    fn colon_name() {
        check(&[
            (
                "a name introduces the quotation",
                "And from Chairwoman Lima: “Prices will fall.”
                 And CCONJ 4 cc
                 from ADP 4 case
                 Chairwoman PROPN 4 compound
                 Lima PROPN 0 root
                 : PUNCT 4 punct
                 “ PUNCT 9 punct
                 Prices NOUN 9 nsubj
                 will AUX 9 aux
                 fall VERB 4 parataxis
                 . PUNCT 9 punct
                 ” PUNCT 9 punct",
                &["direct_quote Chairwoman Lima | - | Prices will fall. | -"],
            ),
            (
                "no name before the colon",
                "And from the capital: “Prices will fall.”
                 And CCONJ 4 cc
                 from ADP 4 case
                 the DET 4 det
                 capital NOUN 0 root
                 : PUNCT 4 punct
                 “ PUNCT 9 punct
                 Prices NOUN 9 nsubj
                 will AUX 9 aux
                 fall VERB 4 parataxis
                 . PUNCT 9 punct
                 ” PUNCT 9 punct",
                &[],
            ),
        ]);
    }

    /// `“Prices will fall soon.”` as a sentence of its own.
    const STANDALONE: &str = "“Prices will fall soon.”
         “ PUNCT 4 punct
         Prices NOUN 4 nsubj
         will AUX 4 aux
         fall VERB 0 root
         soon ADV 4 advmod
         . PUNCT 4 punct
         ” PUNCT 4 punct";

    #[test]
    fn previous_speaker() {
        let after = |first: &str| format!("{first}\n\n{STANDALONE}");
        check(&[
            (
                "the person who is the subject of the sentence before",
                &after(
                    "Lima spoke to reporters.
                     Lima PROPN 2 nsubj PER
                     spoke VERB 0 root
                     to ADP 4 case
                     reporters NOUN 2 obl
                     . PUNCT 2 punct",
                ),
                &["direct_quote Lima | - | Prices will fall soon. | -"],
            ),
            (
                "the speaker of the claim before",
                &after(
                    "“We will win,” Lima said.
                     “ PUNCT 4 punct
                     We PRON 4 nsubj
                     will AUX 4 aux
                     win VERB 0 root
                     , PUNCT 4 punct
                     ” PUNCT 4 punct
                     Lima PROPN 8 nsubj
                     said VERB 4 parataxis
                     . PUNCT 4 punct",
                ),
                &[
                    "direct_quote Lima | said | We will win | -",
                    "direct_quote Lima | - | Prices will fall soon. | -",
                ],
            ),
            (
                "nothing before it: a quote without a speaker",
                STANDALONE,
                &["direct_quote - | - | Prices will fall soon. | -"],
            ),
            (
                "a single word standing alone is not a claim",
                "“Never.”
                 “ PUNCT 2 punct
                 Never ADV 0 root
                 . PUNCT 2 punct
                 ” PUNCT 2 punct",
                &[],
            ),
        ]);
    }

    #[test]
    fn unattributed_sentence() {
        check(&[
            (
                "a long sentence-like quote with an unread cue",
                "“Prices fall for years to come.” Then silence.
                 “ PUNCT 3 punct
                 Prices NOUN 3 nsubj
                 fall VERB 0 root
                 for ADP 5 case
                 years NOUN 3 obl
                 to PART 7 mark
                 come VERB 5 acl
                 . PUNCT 3 punct
                 ” PUNCT 3 punct
                 Then ADV 11 advmod
                 silence NOUN 3 parataxis
                 . PUNCT 3 punct",
                &["direct_quote - | - | Prices fall for years to come. | -"],
            ),
            (
                "a short one is not a claim",
                "“Prices fall.” Then silence.
                 “ PUNCT 3 punct
                 Prices NOUN 3 nsubj
                 fall VERB 0 root
                 . PUNCT 3 punct
                 ” PUNCT 3 punct
                 Then ADV 7 advmod
                 silence NOUN 3 parataxis
                 . PUNCT 3 punct",
                &[],
            ),
        ]);
    }

    #[test]
    fn unclosed_quotation_ending_outside_ascii() {
        check(&[(
            "the paragraph ends before the closing mark",
            "Lima said: “Prices will rise in Łódź
             Lima PROPN 2 nsubj
             said VERB 0 root
             : PUNCT 2 punct
             “ PUNCT 7 punct
             Prices NOUN 7 nsubj
             will AUX 7 aux
             rise VERB 2 ccomp
             in ADP 9 case
             Łódź PROPN 7 obl",
            &["direct_quote Lima | said | Prices will rise in Łódź | -"],
        )]);
    }

    #[test]
    fn offsets_hold_in_non_ascii_text() {
        check(&[(
            "guillemets and names outside ASCII",
            "«We will win», said Zoë Ångström.
             « PUNCT 4 punct
             We PRON 4 nsubj
             will AUX 4 aux
             win VERB 0 root
             » PUNCT 4 punct
             , PUNCT 4 punct
             said VERB 4 parataxis
             Zoë PROPN 7 nsubj
             Ångström PROPN 8 flat
             . PUNCT 4 punct",
            &["direct_quote Zoë Ångström | said | We will win | -"],
        )]);
    }
}
