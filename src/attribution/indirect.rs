//! Indirect and mixed quotes from the parse: the rules of [`super::INDIRECT_RULES`], each
//! reading one token as a cue and returning what it reports ([`Reported`]), and [`claims`],
//! which runs them and makes a claim mixed when its content holds part of a quotation.

use super::cues::CueVerb;
use super::lexicon::{CueClass, Lexicon, WordClass};
use super::marks::Quotation;
use super::speaker::{content_span, mention, subject};
use super::{inside_any, new_claim, INDIRECT_RULES};
use crate::document::{run_around, Claim, ClaimKind, Document};
use crate::function_words::{is, CONDITIONS, FIRST_AND_SECOND_PERSON, THING_PRONOUNS};
use crate::span::Span;

/// What an indirect rule found for one cue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reported {
    /// Head token of the speaker, when the rule found one.
    pub speaker: Option<usize>,
    /// The cue words as written (`said`, `called on`, `according to`, `statement`); none for a
    /// headline's colon (`Merkel: Europe must ...`).
    pub cue: Option<Span>,
    /// The content tokens, sorted (trimmed to a span later by `content_span`).
    pub content: Vec<usize>,
}

/// Indirect and mixed quotes from the parse. Marks quotations taken into mixed quotes as used.
pub fn claims(
    doc: &Document,
    lex: &Lexicon,
    quotes: &[Quotation],
    used: &mut [bool],
) -> Vec<Claim> {
    let mut out = Vec::new();
    for v in 0..doc.tokens.len() {
        // Reported speech inside a direct quotation belongs to that quotation's speaker.
        if inside_any(quotes, doc.tokens[v].span).is_some() {
            continue;
        }
        let Some(found) = INDIRECT_RULES.iter().find_map(|rule| rule(doc, lex, v)) else {
            continue;
        };
        // A rule may report that nothing was said (`declined to comment`).
        if found.content.is_empty() {
            let mut c = new_claim(doc, ClaimKind::IndirectQuote, v);
            c.who = found.speaker.map(|h| mention(doc, h));
            c.who_head = found.speaker;
            c.verb = found.cue;
            out.push(c);
            continue;
        }
        let Some(what) = content_span(doc, &found.content) else {
            continue;
        };
        // Inside one quotation, or opening with one (`X said: "..."`): a direct quote,
        // attributed there. A quotation that starts inside the clause makes it mixed.
        let outer = |q: &Quotation| q.open.cover(q.close.unwrap_or(q.content));
        let runs_on = super::mixed::runs_on_after_quotation(
            &doc.text,
            quotes,
            what,
            found.cue,
            found.speaker.map(|h| mention(doc, h)),
        );
        if !runs_on
            && quotes.iter().any(|q| {
                let o = outer(q);
                o.contains(what)
                    || (what.start >= o.start && what.start <= q.content.start)
                    || (o.start < what.start && what.start < o.end)
            })
        {
            continue;
        }
        let mut kind = ClaimKind::IndirectQuote;
        for (qi, q) in quotes.iter().enumerate() {
            if what.contains(outer(q)) || what.overlaps(q.content) {
                kind = ClaimKind::MixedQuote;
                used[qi] = true;
            }
        }
        let mut c = new_claim(doc, kind, v);
        c.who = found.speaker.map(|h| before(doc, mention(doc, h), what));
        c.who_head = found.speaker;
        c.verb = found.cue;
        c.what = Some(extend_to_quote(quotes, what));
        out.push(c);
    }
    out
}

/// A speaker's mention without the content and the punctuation before it: a headline's name
/// may head the whole line (`Merkel: Europe must ...`).
fn before(doc: &Document, who: Span, what: Span) -> Span {
    if !(who.overlaps(what) && who.start < what.start) {
        return who;
    }
    let end = doc
        .tokens
        .iter()
        .filter(|t| t.span.start >= who.start && t.span.end <= what.start && t.upos != "PUNCT")
        .map(|t| t.span.end)
        .max()
        .unwrap_or(who.end);
    Span::new(who.start, end)
}

/// A mixed quote's content keeps the closing mark of a quotation it ends inside (the mark the
/// parser left outside the clause). A content starting inside a quotation never gets here: it
/// is a direct quote's.
fn extend_to_quote(quotes: &[Quotation], what: Span) -> Span {
    for q in quotes {
        if let Some(close) = q.close {
            if what.overlaps(q.content) && what.end >= q.content.end && what.end < close.end {
                return Span::new(what.start, close.end);
            }
        }
    }
    what
}

/// A cue verb's speaker, unless it is a participle or relative clause with no subject of its
/// own (`the report, published ...`): such a verb reports nothing by itself.
pub(super) fn speaking(doc: &Document, lex: &Lexicon, cue: &CueVerb) -> Option<Option<usize>> {
    let v = cue.token;
    let who = subject(doc, v).map(|s| s.head);
    let rel = doc.tokens[v].deprel.as_str();
    if who.is_none() && rel.starts_with("acl") {
        // `The Kremlin issued a statement saying ...`: the statement's issuer speaks.
        if let Some(noun) = doc.tokens[v].head.filter(|&n| said_in(doc, lex, n)) {
            if let Some(s) = doc.tokens[noun].head.and_then(|h| subject(doc, h)) {
                return Some(Some(s.head));
            }
        }
    }
    if who.is_none() && (rel.starts_with("advcl") || rel.starts_with("acl")) {
        return None;
    }
    Some(who)
}

/// A noun that carries what was said (`statement`, `letter`, `post`).
fn said_in(doc: &Document, lex: &Lexicon, n: usize) -> bool {
    doc.tokens[n].upos == "NOUN" && lex.has(WordClass::SaidIn, &doc.tokens[n].lemma)
}

/// Rule 1. `..., as stated by X` / `As Heald told the Post, CLAUSE`: an `as` cue in an adverbial
/// clause speaks for the clause it hangs from; the speaker is the `by` agent, else the subject.
pub fn as_clause(doc: &Document, lex: &Lexicon, v: usize) -> Option<Reported> {
    let cue = CueVerb::at(doc, lex, v)?;
    let agent = doc.children_with(v, "obl").find(|&o| {
        doc.tokens[o].deprel == "obl:agent"
            || doc.children_with(o, "case").any(|c| doc.lower(c) == "by")
    });
    if !doc.children_with(v, "mark").any(|m| doc.lower(m) == "as")
        || !doc.tokens[v].deprel.starts_with("advcl")
    {
        return None;
    }
    let speaker = agent.or_else(|| subject(doc, v).map(|s| s.head))?;
    let mut head = doc.tokens[v].head?;
    // climb from a predicate complement to its clause (`remains committed`)
    while doc.tokens[head].deprel == "xcomp" {
        match doc.tokens[head].head {
            Some(h) => head = h,
            None => break,
        }
    }
    Some(Reported {
        speaker: Some(speaker),
        cue: Some(cue.span),
        content: clause_without(doc, head, v),
    })
}

/// Rule 2. `X announced that ...`, `..., stating that ...`, `who stressed that ...`: the cue's
/// clausal complement, joined with a second complement the parser split off, with a condition
/// after it (`warned that X could change if Y ...`), and without a conjoined verb that is the
/// speaker's next act (`said X was "..." and called on Y`).
pub fn complement(doc: &Document, lex: &Lexicon, v: usize) -> Option<Reported> {
    let cue = CueVerb::at(doc, lex, v)?;
    let who = speaking(doc, lex, &cue)?;
    let c = doc
        .children_with(v, "ccomp")
        .next()
        .or_else(|| promised(doc, lex, v))?;
    let mut content = doc.subtree(c);
    // `said Wednesday it would ...`: a time word between the cue and its clause dates the cue.
    while content.len() > 1 && content[0] == v + 1 && is_time_word(doc, lex, content[0]) {
        content.remove(0);
    }
    // `told reporters the border ...`: an addressee the parser put in the clause is not said.
    if doc.tokens[v].lemma == "tell" && content[0] == v + 1 {
        // the clause's own subject is the last (the parser may take the addressee for another)
        if let Some(s) = doc.children_with(c, "nsubj").last() {
            let start = doc.subtree(s)[0];
            if start > content[0] && doc.tokens[content[0]].upos == "NOUN" {
                content.retain(|&t| t >= start);
            }
        }
    }
    // A complement the parser split into two clausal children is one content.
    for c2 in doc.children_with(v, "ccomp").skip(1).collect::<Vec<_>>() {
        if c2 > c && doc.cover(&content).end <= doc.tokens[c2].span.start {
            let last = *doc.subtree(c2).last().unwrap_or(&c2);
            content = (content[0]..=last).collect();
        }
    }
    for k in doc.children_with(c, "conj").collect::<Vec<_>>() {
        let speakers_act =
            super::cue_of(doc, lex, k).is_some() || verb_form(doc, k) != verb_form(doc, c);
        if speakers_act
            && doc.tokens[k].upos == "VERB"
            && doc.children_with(k, "nsubj").next().is_none()
        {
            let cut = doc.subtree(k);
            let first = cut[0].saturating_sub(1);
            content.retain(|t| *t < first || (*t == first && doc.tokens[first].deprel != "cc"));
            content.retain(|t| cut.binary_search(t).is_err());
        }
    }
    for a in doc.children_with(v, "advcl").collect::<Vec<_>>() {
        let cond = doc
            .children_with(a, "mark")
            .any(|m| is(CONDITIONS, &doc.lower(m)));
        if cond && a > c && content.last().is_some_and(|&l| l < a) {
            content.extend(doc.subtree(a));
        }
    }
    Some(Reported {
        speaker: who,
        cue: Some(cue.span),
        content,
    })
}

/// `vowed to rebuild ...`, `denied taking ...`: the `says-its-complement` verbs (`rule_words.txt`),
/// whose infinitive or gerund complement is what was said (a promise, a report), when they have no object (`urged X to` is
/// [`act_on_object`]'s).
fn promised(doc: &Document, lex: &Lexicon, v: usize) -> Option<usize> {
    let lemma = doc.tokens[v].lemma.as_str();
    // `It threatens to shatter ...` is a risk, not a threat made; `until X promised to ...`
    // narrates a condition.
    let thing = subject(doc, v).is_some_and(|s| is(THING_PRONOUNS, &doc.lower(s.head)));
    if !lex.has(WordClass::SaysItsComplement, lemma)
        || doc.children_with(v, "obj").next().is_some()
        || thing
        || doc.tokens[v].deprel.starts_with("advcl")
    {
        return None;
    }
    doc.children_with(v, "xcomp")
        .find(|&x| doc.tokens[x].upos == "VERB")
}

/// A day or a relative time (`Wednesday`, `today`, `yesterday`, `tonight`).
fn is_time_word(doc: &Document, lex: &Lexicon, t: usize) -> bool {
    lex.has(WordClass::Time, &doc.lower(t))
}

/// The form of a verb as written: `-ing`, `-ed` or other. Conjoined verbs of one complement
/// share it; a change of form marks another clause.
#[derive(PartialEq, Eq)]
enum VerbForm {
    Ing,
    Ed,
    Other,
}

fn verb_form(doc: &Document, t: usize) -> VerbForm {
    let w = doc.lower(t);
    if w.ends_with("ing") {
        VerbForm::Ing
    } else if w.ends_with("ed") {
        VerbForm::Ed
    } else {
        VerbForm::Other
    }
}

/// Rule 3. A reporting clause after or inside its content: `..., the ministry said on Friday.`
/// (a cue in parataxis, with a speaker, reports the clause it hangs from).
pub fn reporting_clause(doc: &Document, lex: &Lexicon, v: usize) -> Option<Reported> {
    let cue = CueVerb::at(doc, lex, v)?;
    let who = speaking(doc, lex, &cue)?;
    if doc.tokens[v].deprel != "parataxis" || who.is_none() {
        return None;
    }
    let head = doc.tokens[v].head?;
    Some(Reported {
        speaker: who,
        cue: Some(cue.span),
        content: clause_without(doc, head, v),
    })
}

/// Rule 4. `called on Trump to follow through ...`, `criticized X as Y`, `urged X to ...`: an act
/// cue's object and, after it, its complement (`xcomp`, a `to` clause or an `as` phrase).
pub fn act_on_object(doc: &Document, lex: &Lexicon, v: usize) -> Option<Reported> {
    let cue = CueVerb::at(doc, lex, v)?;
    if cue.class != CueClass::Act {
        return None;
    }
    let who = speaking(doc, lex, &cue)?;
    // A parataxis cue with its speaker belongs to `reporting_clause`, even in a tree whose
    // root was labelled parataxis (gold-word evaluation parses), where that rule finds no head.
    if doc.tokens[v].deprel == "parataxis" && who.is_some() {
        return None;
    }
    let object = doc.children_with(v, "obj").next().or_else(|| {
        cue.particle
            .and_then(|p| doc.tokens[p].head)
            .filter(|&h| h != v)
    });
    // a child of `v` by `rel` that has a `by_rel` child `word`
    let marked = |rel: &str, by_rel: &str, word: &str| {
        doc.children_with(v, rel)
            .find(|&o| doc.children_with(o, by_rel).any(|c| doc.lower(c) == word))
    };
    let complement = doc
        .children_with(v, "xcomp")
        .next()
        .or_else(|| marked("advcl", "mark", "to"))
        .or_else(|| marked("obl", "case", "as"))
        .or_else(|| marked("advcl", "mark", "as"));
    let (o, x) = (object?, complement?);
    // Naming (`called the bill "a gift"`, `dubbed X Y`) takes a name, not a verb: `called her
    // mother to ask` is a phone call.
    let naming = super::cues::naming(doc, lex, v) && cue.particle.is_none();
    // `I call them Senator X`, `we called it Y`: the writer's own naming, not a report.
    if naming && who.is_some_and(|s| is(FIRST_AND_SECOND_PERSON, &doc.lower(s))) {
        return None;
    }
    if o >= x || (naming && !matches!(doc.tokens[x].upos, "NOUN" | "PROPN" | "ADJ")) {
        return None;
    }
    let mut content = doc.subtree(o);
    content.extend(doc.subtree(x));
    content.sort_unstable();
    content.dedup();
    // the particle is the cue's, not the content's
    let first = content[0].max(cue.particle.map(|p| p + 1).unwrap_or(0));
    let content: Vec<usize> = (first..=*content.last().unwrap()).collect();
    Some(Reported {
        speaker: who,
        cue: Some(cue.span),
        content,
    })
}

/// The tokens of `clause` without those of `part` (a reporting phrase inside it), kept
/// contiguous around the clause's head.
fn clause_without(doc: &Document, clause: usize, part: usize) -> Vec<usize> {
    let skip = doc.subtree(part);
    let content: Vec<usize> = doc
        .subtree(clause)
        .into_iter()
        .filter(|t| skip.binary_search(t).is_err())
        .collect();
    run_around(&content, clause).to_vec()
}

/// Rule 5. `according to X, CLAUSE` / `CLAUSE, according to X`: a cue phrase of the lexicon
/// starting at `v`; X is the noun it is the case marker of, the content X's clause without X.
pub fn according_to(doc: &Document, lex: &Lexicon, v: usize) -> Option<Reported> {
    let phrase = lex.phrases().iter().find(|p| {
        p.iter()
            .enumerate()
            .all(|(k, w)| v + k < doc.tokens.len() && doc.lower(v + k) == *w)
    })?;
    let last = v + phrase.len() - 1;
    let x = doc.tokens[v]
        .head
        .filter(|&h| h > last)
        .or_else(|| doc.tokens[last].head.filter(|&h| h > last))?;
    let clause = doc.tokens[x].head?;
    Some(Reported {
        speaker: Some(x),
        cue: Some(doc.tokens[v].span.cover(doc.tokens[last].span)),
        content: clause_without(doc, clause, x),
    })
}

/// Rule 6. `X's statement that ...`: a claim noun of the lexicon with a possessor and a `that`
/// clause.
pub fn claim_noun(doc: &Document, lex: &Lexicon, n: usize) -> Option<Reported> {
    if doc.tokens[n].upos != "NOUN" || !lex.is_claim_noun(&doc.tokens[n].lemma) {
        return None;
    }
    let clause = doc.children[n].iter().copied().find(|&c| {
        let r = doc.tokens[c].deprel.as_str();
        (r.starts_with("acl") || r == "ccomp")
            && doc.children_with(c, "mark").any(|m| doc.lower(m) == "that")
    })?;
    let who = doc.children_with(n, "nmod:poss").next()?;
    Some(Reported {
        speaker: Some(who),
        cue: Some(doc.tokens[n].span),
        content: doc.subtree(clause),
    })
}

/// Rule 7. `X declined to comment (on Y)`, `refused to comment`: a report that the source said
/// nothing, with no content.
pub fn declined_to_comment(doc: &Document, lex: &Lexicon, v: usize) -> Option<Reported> {
    let t = &doc.tokens[v];
    if t.upos != "VERB" || !lex.has(WordClass::Refuse, &t.lemma) {
        return None;
    }
    let x = doc
        .children_with(v, "xcomp")
        .find(|&x| lex.has(WordClass::NoComment, &doc.tokens[x].lemma))?;
    let who = subject(doc, v)?.head;
    Some(Reported {
        speaker: Some(who),
        cue: Some(t.span.cover(doc.tokens[x].span)),
        content: Vec::new(),
    })
}

/// Rule 8. A headline `Merkel: Europe must take its fate into its own hands`: a short name or
/// role (`Port chief`) opening a sentence with no final stop, a colon, then a clause with a
/// verb. Labels that are not sources (`Update:`, `Watch:`) are left out.
pub fn headline_colon(doc: &Document, lex: &Lexicon, colon: usize) -> Option<Reported> {
    if doc.word(colon) != ":" {
        return None;
    }
    let sentence = &doc.sentences[doc.tokens[colon].sentence];
    let (first, end) = (sentence.tokens.start, sentence.tokens.end);
    let lead = first..colon;
    let nominal = |t: usize| matches!(doc.tokens[t].upos, "PROPN" | "NOUN");
    if lead.is_empty()
        || lead.len() > 4
        || lex.has(WordClass::NotSource, &doc.lower(first))
        || !doc.word(first).starts_with(char::is_uppercase)
        || !lead
            .clone()
            .all(|t| nominal(t) || matches!(doc.tokens[t].upos, "ADJ" | "DET"))
        || matches!(doc.word(end - 1), "." | "?")
    {
        return None;
    }
    let speaker = lead.clone().rev().find(|&t| nominal(t))?;
    let content: Vec<usize> = (colon + 1..end).collect();
    if content.len() < 3
        || !content
            .iter()
            .any(|&t| matches!(doc.tokens[t].upos, "VERB" | "AUX"))
    {
        return None;
    }
    Some(Reported {
        speaker: Some(speaker),
        cue: None,
        content,
    })
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
    fn speech_with_a_promise_a_date_or_no_content() {
        check(&[
            (
                "a promise's infinitive is what was said",
                "The governor vowed to rebuild every school.
                 The DET 2 det
                 governor NOUN 3 nsubj
                 vowed VERB 0 root
                 to PART 5 mark
                 rebuild VERB 3 xcomp
                 every DET 7 det
                 school NOUN 5 obj
                 . PUNCT 3 punct",
                &["indirect_quote The governor | vowed | to rebuild every school | -"],
            ),
            (
                "a pledge's infinitive: the lemma keeps its e (pledged -> pledge)",
                "The mayor pledged to cut taxes.
                 The DET 2 det
                 mayor NOUN 3 nsubj
                 pledged VERB 0 root
                 to PART 5 mark
                 cut VERB 3 xcomp
                 taxes NOUN 5 obj
                 . PUNCT 3 punct",
                &["indirect_quote The mayor | pledged | to cut taxes | -"],
            ),
            (
                "naming with a doubled consonant (labelled -> label)",
                "The mayor labelled the protest a stunt.
                 The DET 2 det
                 mayor NOUN 3 nsubj
                 labelled VERB 0 root
                 the DET 5 det
                 protest NOUN 3 obj
                 a DET 7 det
                 stunt NOUN 3 xcomp
                 . PUNCT 3 punct",
                &["indirect_quote The mayor | labelled | the protest a stunt | -"],
            ),
            (
                "a thing that promises makes no promise",
                "It promises to shatter lives.
                 It PRON 2 nsubj
                 promises VERB 0 root
                 to PART 4 mark
                 shatter VERB 2 xcomp
                 lives NOUN 4 obj
                 . PUNCT 2 punct",
                &[],
            ),
            (
                "a day after the cue dates the cue",
                "The ministry said Wednesday it would cut taxes.
                 The DET 2 det
                 ministry NOUN 3 nsubj
                 said VERB 0 root
                 Wednesday PROPN 7 obl:tmod
                 it PRON 7 nsubj
                 would AUX 7 aux
                 cut VERB 3 ccomp
                 taxes NOUN 7 obj
                 . PUNCT 3 punct",
                &["indirect_quote The ministry | said | it would cut taxes | -"],
            ),
            (
                "declining to comment is reported, with no content",
                "Police declined to comment.
                 Police NOUN 2 nsubj
                 declined VERB 0 root
                 to PART 4 mark
                 comment VERB 2 xcomp
                 . PUNCT 2 punct",
                &["indirect_quote Police | declined to comment | - | -"],
            ),
            (
                "a headline's source before a colon",
                "Merkel: Europe must act now
                 Merkel PROPN 0 root
                 : PUNCT 5 punct
                 Europe PROPN 5 nsubj
                 must AUX 5 aux
                 act VERB 1 appos
                 now ADV 5 advmod",
                &["indirect_quote Merkel | - | Europe must act now | -"],
            ),
            (
                "naming is said of its object",
                "Critics dubbed the plan a tax.
                 Critics NOUN 2 nsubj
                 dubbed VERB 0 root
                 the DET 4 det
                 plan NOUN 2 obj
                 a DET 6 det
                 tax NOUN 2 xcomp
                 . PUNCT 2 punct",
                &["indirect_quote Critics | dubbed | the plan a tax | -"],
            ),
            (
                "a call with a purpose names nothing",
                "She called her mother to ask.
                 She PRON 2 nsubj
                 called VERB 0 root
                 her PRON 4 nmod:poss
                 mother NOUN 2 obj
                 to PART 6 mark
                 ask VERB 2 xcomp
                 . PUNCT 2 punct",
                &[],
            ),
            (
                "a label before a colon is no source",
                "Update: the road must stay closed
                 Update NOUN 0 root
                 : PUNCT 6 punct
                 the DET 4 det
                 road NOUN 6 nsubj
                 must AUX 6 aux
                 stay VERB 1 appos
                 closed ADJ 6 xcomp",
                &[],
            ),
        ]);
    }

    #[test]
    fn complement() {
        check(&[
            (
                "cue verb with that-clause",
                "The minister said that prices will rise.
                 The DET 2 det
                 minister NOUN 3 nsubj
                 said VERB 0 root
                 that SCONJ 7 mark
                 prices NOUN 7 nsubj
                 will AUX 7 aux
                 rise VERB 3 ccomp
                 . PUNCT 3 punct",
                &["indirect_quote The minister | said | prices will rise | -"],
            ),
            (
                "cognition is not reported speech",
                "The minister thinks that prices will rise.
                 The DET 2 det
                 minister NOUN 3 nsubj
                 thinks VERB 0 root
                 that SCONJ 7 mark
                 prices NOUN 7 nsubj
                 will AUX 7 aux
                 rise VERB 3 ccomp
                 . PUNCT 3 punct",
                &["belief The minister | thinks | prices will rise | -"],
            ),
            (
                "a participle without a subject reports nothing",
                "The report, published today, says nothing.
                 The DET 2 det
                 report NOUN 7 nsubj
                 , PUNCT 4 punct
                 published VERB 2 acl
                 today NOUN 4 obl
                 , PUNCT 4 punct
                 says VERB 0 root
                 nothing PRON 7 obj
                 . PUNCT 7 punct",
                &[],
            ),
            (
                "a conjoined verb of another form is the speaker's next act",
                "Lima said prices rose and called for calm.
                 Lima PROPN 2 nsubj
                 said VERB 0 root
                 prices NOUN 4 nsubj
                 rose VERB 2 ccomp
                 and CCONJ 6 cc
                 called VERB 4 conj
                 for ADP 8 case
                 calm NOUN 6 obl
                 . PUNCT 2 punct",
                &[
                    "indirect_quote Lima | said | prices rose | -",
                    "speech_act Lima | called for | calm | -",
                ],
            ),
        ]);
    }

    #[test]
    fn mixed_when_the_complement_holds_a_quotation() {
        check(&[
            (
                "quotation inside the complement",
                "Lima said prices would “rise sharply” soon.
                 Lima PROPN 2 nsubj
                 said VERB 0 root
                 prices NOUN 6 nsubj
                 would AUX 6 aux
                 “ PUNCT 6 punct
                 rise VERB 2 ccomp
                 sharply ADV 6 advmod
                 ” PUNCT 6 punct
                 soon ADV 6 advmod
                 . PUNCT 2 punct",
                &["mixed_quote Lima | said | prices would “rise sharply” soon | -"],
            ),
            (
                "the closing mark the parser left out, outside ASCII",
                "Lima said prices would “rise in Łódź”.
                 Lima PROPN 2 nsubj
                 said VERB 0 root
                 prices NOUN 6 nsubj
                 would AUX 6 aux
                 “ PUNCT 6 punct
                 rise VERB 2 ccomp
                 in ADP 8 case
                 Łódź PROPN 6 obl
                 ” PUNCT 2 punct
                 . PUNCT 2 punct",
                &["mixed_quote Lima | said | prices would “rise in Łódź” | -"],
            ),
            (
                "a complement that is the quotation is direct",
                "Lima said: “Prices will rise.”
                 Lima PROPN 2 nsubj
                 said VERB 0 root
                 : PUNCT 2 punct
                 “ PUNCT 7 punct
                 Prices NOUN 7 nsubj
                 will AUX 7 aux
                 rise VERB 2 ccomp
                 . PUNCT 7 punct
                 ” PUNCT 7 punct",
                &["direct_quote Lima | said | Prices will rise. | -"],
            ),
        ]);
    }

    #[test]
    fn as_clause() {
        check(&[
            (
                "passive as-cue with a by-agent",
                "Prices will rise, as stated by the minister.
                 Prices NOUN 3 nsubj
                 will AUX 3 aux
                 rise VERB 0 root
                 , PUNCT 6 punct
                 as SCONJ 6 mark
                 stated VERB 3 advcl
                 by ADP 9 case
                 the DET 9 det
                 minister NOUN 6 obl:agent
                 . PUNCT 3 punct",
                &["indirect_quote the minister | stated | Prices will rise | -"],
            ),
            (
                "as-cue with neither agent nor subject",
                "The plan failed, as reported.
                 The DET 2 det
                 plan NOUN 3 nsubj
                 failed VERB 0 root
                 , PUNCT 6 punct
                 as SCONJ 6 mark
                 reported VERB 3 advcl
                 . PUNCT 3 punct",
                &[],
            ),
        ]);
    }

    #[test]
    fn reporting_clause() {
        check(&[
            (
                "parataxis cue with its subject",
                "Prices will rise, the ministry said on Friday.
                 Prices NOUN 3 nsubj
                 will AUX 3 aux
                 rise VERB 0 root
                 , PUNCT 7 punct
                 the DET 6 det
                 ministry NOUN 7 nsubj
                 said VERB 3 parataxis
                 on ADP 9 case
                 Friday PROPN 7 obl
                 . PUNCT 3 punct",
                &["indirect_quote the ministry | said | Prices will rise | -"],
            ),
            (
                "parataxis cue without a speaker",
                "Prices will rise, said on Friday.
                 Prices NOUN 3 nsubj
                 will AUX 3 aux
                 rise VERB 0 root
                 , PUNCT 5 punct
                 said VERB 3 parataxis
                 on ADP 7 case
                 Friday PROPN 5 obl
                 . PUNCT 3 punct",
                &[],
            ),
        ]);
    }

    #[test]
    fn act_on_object() {
        check(&[
            (
                "phrasal act cue with object and to-complement",
                "Zelensky called on Trump to end the war.
                 Zelensky PROPN 2 nsubj
                 called VERB 0 root
                 on ADP 4 case
                 Trump PROPN 2 obl
                 to PART 6 mark
                 end VERB 2 xcomp
                 the DET 8 det
                 war NOUN 6 obj
                 . PUNCT 2 punct",
                &["indirect_quote Zelensky | called on | Trump to end the war | -"],
            ),
            (
                "act cue without a complement: no quote, a speech act",
                "Zelensky criticized Trump.
                 Zelensky PROPN 2 nsubj
                 criticized VERB 0 root
                 Trump PROPN 2 obj
                 . PUNCT 2 punct",
                &["speech_act Zelensky | criticized | Trump | -"],
            ),
        ]);
    }

    #[test]
    fn according_to() {
        check(&[
            (
                "cue phrase before the clause",
                "According to the ministry, prices will rise.
                 According VERB 4 case
                 to ADP 4 case
                 the DET 4 det
                 ministry NOUN 8 obl
                 , PUNCT 4 punct
                 prices NOUN 8 nsubj
                 will AUX 8 aux
                 rise VERB 0 root
                 . PUNCT 8 punct",
                &["indirect_quote the ministry | According to | prices will rise | -"],
            ),
            (
                "cue phrase with no clause",
                "According to the ministry.
                 According VERB 4 case
                 to ADP 4 case
                 the DET 4 det
                 ministry NOUN 0 root
                 . PUNCT 4 punct",
                &[],
            ),
        ]);
    }

    #[test]
    fn claim_noun() {
        check(&[
            (
                "claim noun with possessor and that-clause",
                "The minister's statement that prices will rise surprised nobody.
                 The DET 2 det
                 minister NOUN 4 nmod:poss
                 's PART 2 case
                 statement NOUN 9 nsubj
                 that SCONJ 8 mark
                 prices NOUN 8 nsubj
                 will AUX 8 aux
                 rise VERB 4 acl
                 surprised VERB 0 root
                 nobody PRON 9 obj
                 . PUNCT 9 punct",
                &["indirect_quote The minister | statement | prices will rise | -"],
            ),
            (
                "no possessor names no speaker",
                "The statement that prices will rise surprised nobody.
                 The DET 2 det
                 statement NOUN 7 nsubj
                 that SCONJ 6 mark
                 prices NOUN 6 nsubj
                 will AUX 6 aux
                 rise VERB 2 acl
                 surprised VERB 0 root
                 nobody PRON 7 obj
                 . PUNCT 7 punct",
                &[],
            ),
        ]);
    }

    #[test]
    fn reported_speech_inside_a_quotation_is_the_quotation_speaker() {
        check(&[(
            "cue inside quote marks",
            "“Ana said that it works,” Lima added.
             “ PUNCT 2 punct
             Ana PROPN 3 nsubj
             said VERB 0 root
             that SCONJ 6 mark
             it PRON 6 nsubj
             works VERB 3 ccomp
             , PUNCT 3 punct
             ” PUNCT 3 punct
             Lima PROPN 10 nsubj
             added VERB 3 parataxis
             . PUNCT 3 punct",
            &["direct_quote Lima | added | Ana said that it works | -"],
        )]);
    }

    #[test]
    fn offsets_hold_in_non_ascii_text() {
        check(&[(
            "names and marks outside ASCII",
            "Zoë Ångström said that prices will rise in Łódź.
             Zoë PROPN 3 nsubj
             Ångström PROPN 1 flat
             said VERB 0 root
             that SCONJ 7 mark
             prices NOUN 7 nsubj
             will AUX 7 aux
             rise VERB 3 ccomp
             in ADP 9 case
             Łódź PROPN 7 obl
             . PUNCT 3 punct",
            &["indirect_quote Zoë Ångström | said | prices will rise in Łódź | -"],
        )]);
    }
}
