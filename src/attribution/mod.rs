//! Stage 4, attribution: who said what. **The quote rules live here.**
//!
//! - [`marks`]: quote marks paired into quotations (straight, curly, guillemets, across
//!   paragraphs);
//! - [`lexicon`]: the one lexicon of the rules, read from data files (not code): `cues.txt`
//!   (cue verbs, claim nouns, `according to`), `stance.txt` and `documents.txt` (beliefs and
//!   evidence), `rule_words.txt` (the other words the rules test for, by tag); closed-class
//!   words are in [`crate::function_words`];
//! - [`cues`]: which tokens are cues ([`cue_of`]) and the nearest cue with its speaker next to
//!   a quotation;
//! - [`speaker`]: subjects (inherited through conjoined, participial and relative clauses),
//!   noun-phrase heads and mention spans.
//!
//! The rules, each one function, run in this order ([`INDIRECT_RULES`] then [`DIRECT_RULES`]):
//!
//! **Indirect and mixed** ([`indirect`]), tried on every token outside a quotation; the first
//! that matches gives the claim. A content that holds part of a quotation makes it mixed, and
//! so does one that opens with a quotation and goes on past it ([`mixed`]: `"We will be ready"
//! before the vote in March, she said.`).
//! 1. [`indirect::as_clause`]: `..., as stated by X` / `As X told the Post, CLAUSE`: a passive
//!    or `as` cue speaks for the clause it hangs from.
//! 2. [`indirect::complement`]: `X announced that ...`: a cue verb's clausal complement (the
//!    commonest form of reported speech).
//! 3. [`parenthetical::parenthetical`]: `The policy, officials said, will cost billions.`,
//!    `The deal, according to two diplomats, was signed`: a reporting clause or cue phrase
//!    between commas reports the sentence around it (the whole sentence is the content).
//! 4. [`indirect::reporting_clause`]: `..., the ministry said on Friday.`: a cue in parataxis
//!    reports the clause around it.
//! 5. [`indirect::act_on_object`]: `called on X to ...`, `criticized X as Y`: a speech act's
//!    object and its complement are what was said.
//! 6. [`request::request`]: `urged residents to conserve water`, `asked parliament to ...`: an
//!    addressee and a `to` infinitive after a speech or act cue.
//! 7. [`indirect::according_to`]: `according to X, CLAUSE`: a cue phrase, not a verb.
//! 8. [`indirect::claim_noun`]: `X's statement that ...`: a claim noun with its clause.
//! 9. [`indirect::declined_to_comment`]: `X declined to comment`: a report of no content.
//! 10. [`indirect::headline_colon`]: `Merkel: Europe must ...`: a headline's source and colon.
//!
//! **Direct** ([`direct`]), tried on each quotation not taken by a mixed quote; the first that
//! matches attributes it. A split quotation (`"A," she said, "B."`) gives two rows with the same
//! speaker.
//! 1. [`direct::cue_after`]: `"...," X said.` / `"...," said X.`: the usual news form.
//! 2. [`direct::dash_name`]: `"..." -Commissioner X`: a name after a dash, no verb.
//! 3. [`direct::cue_before`]: `X said: "..."`, also a previous sentence ending with a colon.
//! 4. [`direct::colon_name`]: `And from Chairwoman Y: "..."`: a name before a colon, no verb.
//! 5. [`direct::previous_speaker`]: a quotation standing as its own sentence continues the
//!    speaker of the text just before it.
//! 6. [`direct::unattributed_sentence`]: a long sentence-like quotation whose cue we could not
//!    read is still a quote, without a speaker.
//!
//! A quotation no rule takes (scare quotes, nicknames, titles inside a clause) is not a claim,
//! and a complement that is exactly a direct quotation is reported once, as direct.
//!
//! **Beliefs and evidence** ([`stance`], words in `stance.txt` and `documents.txt`), after the
//! indirect rules: an indirect or mixed quote whose source is a document (`the report said`,
//! `according to the poll`) becomes `evidence`, one with a `belief` cue (`acknowledged`) a
//! `belief`; then on every token outside a quotation that is no claim's cue, the first that
//! matches gives a `belief`, or `evidence` when the holder is a document:
//! 1. [`stance::complement`]: `X believes that ...`, `the report found that ...`, `polls show
//!    ...`: a cognition or evidence verb's clausal complement.
//! 2. [`stance::infinitive`]: `hopes to join ...`, `expects inflation to fall ...`.
//! 3. [`stance::adjective`]: `is certain that ...`, `are worried that ...`, `remains sure ...`.
//! 4. [`stance::object`]: `supports the plan`, `wants a pay rise`, `polls indicated a narrow win`,
//!    `results point to a landslide`.
//! 5. [`stance::reporting_clause`]: `..., analysts believe.` / `..., a new poll shows.`
//!
//! **Speech acts** ([`speech_act`], verbs and their classes in `speech_acts.txt`), after the
//! stance rules, on every token outside a quotation: a listed verb with an agent and a
//! noun-phrase content (`X criticized the plan as insufficient`, `X called for an inquiry`,
//! `the deal was condemned by unions`) gives a `speech_act`; an indirect quote of exactly that
//! content (`act_on_object`'s `criticized X as Y`) becomes one. Its verb is then no action.
//!
//! Speaker resolution (`entity`) happens later, in `resolve`; `actions` (which runs before
//! `resolve`) reads the quotations stored here.

pub mod cues;
pub mod direct;
pub mod indirect;
pub mod lexicon;
pub mod marks;
pub mod mixed;
pub mod parenthetical;
#[cfg(test)]
mod report_forms_tests;
pub mod request;
pub mod speaker;
pub mod speech_act;
pub mod stance;

pub use cues::cue_of;

use crate::document::{Claim, ClaimKind, Document};
use crate::span::Span;
use crate::stage::{Layer, Stage, StageError};
use lexicon::Lexicon;
use marks::Quotation;

/// An indirect rule: given token `v`, what it reports, if it is a cue of that rule's form.
pub type IndirectRule = fn(&Document, &Lexicon, usize) -> Option<indirect::Reported>;

/// A direct rule: given a quotation in its context, its attribution, if the rule applies.
pub type DirectRule = fn(&direct::QuoteSite) -> Option<direct::Attribution>;

/// A belief or evidence rule: given token `v`, what it holds, if it is a cue of that rule's form.
pub type StanceRule = fn(&Document, &Lexicon, usize) -> Option<stance::Held>;

/// The belief and evidence rules, in the order they are tried (see the module header).
pub const STANCE_RULES: &[StanceRule] = &[
    stance::complement,
    stance::infinitive,
    stance::adjective,
    stance::object,
    stance::reporting_clause,
];

/// The indirect and mixed rules, in the order they are tried (see the module header).
pub const INDIRECT_RULES: &[IndirectRule] = &[
    indirect::as_clause,
    indirect::complement,
    parenthetical::parenthetical,
    indirect::reporting_clause,
    indirect::act_on_object,
    request::request,
    indirect::according_to,
    indirect::claim_noun,
    indirect::declined_to_comment,
    indirect::headline_colon,
];

/// The direct rules, in the order they are tried (see the module header).
pub const DIRECT_RULES: &[DirectRule] = &[
    direct::cue_after,
    direct::dash_name,
    direct::cue_before,
    direct::colon_name,
    direct::previous_speaker,
    direct::unattributed_sentence,
];

/// The attribution stage. No [`crate::stage::RuleOptions`] changes what it finds.
pub struct QuoteFinder {
    lexicon: &'static Lexicon,
}

impl QuoteFinder {
    /// The stage with the built-in lexicon.
    pub fn new() -> QuoteFinder {
        QuoteFinder {
            lexicon: Lexicon::get(),
        }
    }
}

impl Default for QuoteFinder {
    fn default() -> QuoteFinder {
        QuoteFinder::new()
    }
}

impl Stage for QuoteFinder {
    fn name(&self) -> &'static str {
        "attribution"
    }
    fn requires(&self) -> &'static [Layer] {
        &[Layer::Tokens, Layer::Tags, Layer::Syntax, Layer::Entities]
    }
    fn provides(&self) -> &'static [Layer] {
        &[Layer::Quotes]
    }

    fn process(&self, doc: &mut Document) -> Result<(), StageError> {
        let paragraphs: Vec<Span> = doc.paragraphs.iter().map(|p| p.span).collect();
        let quotes = marks::quotations(&doc.text, &paragraphs);
        doc.quoted = quotes.iter().map(|q| q.content).collect();
        let mut used = vec![false; quotes.len()];
        let mut claims = indirect::claims(doc, self.lexicon, &quotes, &mut used);
        stance::claims(doc, self.lexicon, &quotes, &mut used, &mut claims);
        speech_act::claims(doc, self.lexicon.speech_acts(), &quotes, &mut claims);
        let direct = direct::claims(doc, self.lexicon, &quotes, &used, &claims);
        // A complement that is exactly a direct quotation is reported once, as direct.
        claims.retain(|c| {
            !direct.iter().any(|d| {
                d.what
                    .zip(c.what)
                    .is_some_and(|(dw, cw)| dw.overlaps(cw) && dw.len() * 2 >= cw.len())
            })
        });
        claims.extend(direct);
        doc.claims.extend(claims);
        Ok(())
    }
}

/// The index of the quotation whose content contains `span`.
fn inside_any(quotes: &[Quotation], span: Span) -> Option<usize> {
    quotes.iter().position(|q| q.content.contains(span))
}

/// A claim of `kind` in the sentence of token `at`, with `at` as its verb head.
fn new_claim(doc: &Document, kind: ClaimKind, at: usize) -> Claim {
    Claim {
        sentence: doc.tokens[at].sentence,
        kind,
        who: None,
        entity: None,
        entity_type: None,
        verb: None,
        what: None,
        who_head: None,
        verb_head: Some(at),
        what_head: None,
    }
}
