//! Stage 4, attribution: who said what. **The quote rules live here.**
//!
//! - `marks`: quote marks paired into quotations (straight, curly, guillemets, across
//!   paragraphs);
//! - `lexicon` + `cues.txt`: the cue words (data, not code);
//! - `speaker`: subjects (inherited through conjoined, participial and relative clauses) and
//!   mention spans;
//! - this file: the rules that turn quotations and cue verbs into claims:
//!   1. indirect: a cue verb's clausal complement (`X announced that ...`), the clause a passive
//!      cue hangs from (`..., as stated by X`), the clause of `according to X`, a claim noun's
//!      clause (`X's statement that ...`); a complement holding part of a quotation is mixed;
//!   2. direct: each quotation attributed by the cue after it (`"...," X said` / `said X`),
//!      before it (`X said: "..."`, also at the end of the previous sentence), a dash
//!      (`"..." -Commissioner X`), a colon introduction without a verb (`And from Y: "..."`),
//!      or, for a quotation standing as its own sentence, the speaker of the sentence before.
//!      A split quotation (`"A," she said, "B."`) gives two rows with the same speaker.
//!      Short quotations inside a clause with no cue (scare quotes, nicknames, titles) are
//!      not claims.
//!
//! Speaker resolution (`entity`) happens later, in `resolve`.

pub mod lexicon;
pub mod marks;
pub mod speaker;

use crate::document::{Claim, ClaimKind, Document};
use crate::span::Span;
use crate::stage::{Layer, RuleOptions, Stage, StageError};
use lexicon::{CueClass, Lexicon};
use marks::Quotation;
use speaker::{content_span, mention, subject};

/// The attribution stage.
pub struct QuoteFinder {
    lexicon: &'static Lexicon,
}

impl QuoteFinder {
    pub fn new(_rules: RuleOptions) -> QuoteFinder {
        QuoteFinder {
            lexicon: Lexicon::get(),
        }
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
        let mut claims = indirect(doc, self.lexicon, &quotes, &mut used);
        let direct = direct(doc, self.lexicon, &quotes, &used, &claims);
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

/// The cue class of token `v`, with its particle token for phrasal cues.
pub fn cue_of(doc: &Document, lex: &Lexicon, v: usize) -> Option<(CueClass, Option<usize>)> {
    let t = &doc.tokens[v];
    if t.upos != "VERB" {
        return None;
    }
    let particle = doc.children_with(v, "compound:prt").next().or_else(|| {
        // `called on Trump`: parsers often attach `on` as the case of the object
        (v + 1 < doc.tokens.len() && doc.tokens[v + 1].deprel == "case").then_some(v + 1)
    });
    if let Some(p) = particle {
        if let Some(c) = lex.phrasal(&t.lemma, doc.word(p)) {
            return Some((c, Some(p)));
        }
    }
    lex.verb(&t.lemma).map(|c| (c, None))
}

fn inside_any(quotes: &[Quotation], span: Span) -> Option<usize> {
    quotes.iter().position(|q| q.content.contains(span))
}

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
        antecedent: None,
        verb_head: Some(at),
        what_head: None,
    }
}

/// Indirect and mixed quotes from the parse. Marks quotations taken into mixed quotes as used.
fn indirect(doc: &Document, lex: &Lexicon, quotes: &[Quotation], used: &mut [bool]) -> Vec<Claim> {
    let mut out = Vec::new();
    for v in 0..doc.tokens.len() {
        // Reported speech inside a direct quotation belongs to that quotation's speaker.
        if inside_any(quotes, doc.tokens[v].span).is_some() {
            continue;
        }
        let found = verb_cue(doc, lex, v)
            .or_else(|| according_to(doc, lex, v))
            .or_else(|| claim_noun(doc, lex, v));
        let Some((who_head, antecedent, verb, content)) = found else {
            continue;
        };
        let Some(what) = content_span(doc, &content) else {
            continue;
        };
        // Inside one quotation, or opening with one (`X said: "..."`): a direct quote,
        // attributed there. A quotation that starts inside the clause makes it mixed.
        let outer = |q: &Quotation| q.open.cover(q.close.unwrap_or(q.content));
        if quotes.iter().any(|q| {
            let o = outer(q);
            o.contains(what)
                || (what.start >= o.start && what.start <= q.content.start)
                || (o.start < what.start && what.start < o.end)
        }) {
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
        c.who = who_head.map(|h| mention(doc, h));
        c.who_head = who_head;
        c.antecedent = antecedent;
        c.verb = Some(verb);
        c.what = Some(extend_to_quote(quotes, what));
        out.push(c);
    }
    out
}

/// A mixed quote's content keeps the closing mark of a quotation it ends inside.
fn extend_to_quote(quotes: &[Quotation], what: Span) -> Span {
    for q in quotes {
        if let Some(close) = q.close {
            if what.overlaps(q.content)
                && what.end >= q.content.end
                && what.end < close.end
                && close.start >= what.end.saturating_sub(1)
            {
                return Span::new(what.start, close.end);
            }
        }
        if what.start > q.open.start
            && what.start <= q.content.start
            && what.start <= q.open.end + 1
            && what.end > q.content.end
        {
            return Span::new(q.open.start, what.end);
        }
    }
    what
}

type Found = (Option<usize>, Option<usize>, Span, Vec<usize>);

/// `X announced that ...`, `..., stating that ...`, `who stressed that ...`, `criticized X as Y`,
/// `called on X to ...`, and passive `as stated by X`.
fn verb_cue(doc: &Document, lex: &Lexicon, v: usize) -> Option<Found> {
    let (class, particle) = cue_of(doc, lex, v)?;
    if class == CueClass::Think {
        return None;
    }
    let verb = match particle {
        Some(p) => doc.tokens[v].span.cover(doc.tokens[p].span),
        None => doc.tokens[v].span,
    };
    // Passive cue hanging from a clause: `..., as stated by X`.
    let agent = doc.children_with(v, "obl").find(|&o| {
        doc.tokens[o].deprel == "obl:agent"
            || doc.children_with(o, "case").any(|c| doc.lower(c) == "by")
    });
    let has_as = doc.children_with(v, "mark").any(|m| doc.lower(m) == "as");
    // `As Heald told the Post, CLAUSE`: the subject speaks when there is no `by` agent.
    let as_speaker = agent.or_else(|| subject(doc, v).map(|s| s.head));
    if let (Some(agent), true, Some(mut head)) = (as_speaker, has_as, doc.tokens[v].head) {
        if doc.tokens[v].deprel.starts_with("advcl") {
            // climb from a predicate complement to its clause (`remains committed`)
            while doc.tokens[head].deprel == "xcomp" {
                match doc.tokens[head].head {
                    Some(h) => head = h,
                    None => break,
                }
            }
            let content = clause_without(doc, head, v);
            return Some((Some(agent), None, verb, content));
        }
    }
    let subj = subject(doc, v);
    let who = subj.map(|s| s.head);
    if who.is_none()
        && (doc.tokens[v].deprel.starts_with("advcl") || doc.tokens[v].deprel.starts_with("acl"))
    {
        return None;
    }
    let antecedent = subj.and_then(|s| s.antecedent);
    if let Some(c) = doc.children_with(v, "ccomp").next() {
        // `said X was "..." and called on Y`: a conjoined verb without its own subject is the
        // speaker's next act, not part of what was said.
        let mut content = doc.subtree(c);
        // A complement the parser split into two clausal children is one content.
        for c2 in doc.children_with(v, "ccomp").skip(1).collect::<Vec<_>>() {
            if c2 > c && doc.cover(&content).end <= doc.tokens[c2].span.start {
                let last = *doc.subtree(c2).last().unwrap_or(&c2);
                content = (content[0]..=last).collect();
            }
        }
        for k in doc.children_with(c, "conj").collect::<Vec<_>>() {
            let form = |t: usize| {
                let w = doc.lower(t);
                if w.ends_with("ing") {
                    1
                } else if w.ends_with("ed") {
                    2
                } else {
                    3
                }
            };
            let speakers_act = cue_of(doc, lex, k).is_some() || form(k) != form(c);
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
        // `warned that X could change if Y ...`: a condition after the complement is part of it
        for a in doc.children_with(v, "advcl").collect::<Vec<_>>() {
            let cond = doc
                .children_with(a, "mark")
                .any(|m| matches!(doc.lower(m).as_str(), "if" | "unless"));
            if cond && a > c && content.last().is_some_and(|&l| l < a) {
                content.extend(doc.subtree(a));
            }
        }
        return Some((who, antecedent, verb, content));
    }
    // A reporting clause after or inside its content: `..., the ministry said on Friday.`
    if doc.tokens[v].deprel == "parataxis" && who.is_some() {
        let head = doc.tokens[v].head?;
        return Some((who, antecedent, verb, clause_without(doc, head, v)));
    }
    if class == CueClass::Act {
        // `called on Trump to follow through ...`, `criticized X as Y`, `urged X to ...`
        let object = doc.children_with(v, "obj").next().or_else(|| {
            particle
                .and_then(|p| doc.tokens[p].head)
                .filter(|&h| h != v)
        });
        let to_clause = doc
            .children_with(v, "advcl")
            .find(|&o| doc.children_with(o, "mark").any(|c| doc.lower(c) == "to"));
        let complement = doc
            .children_with(v, "xcomp")
            .next()
            .or(to_clause)
            .or_else(|| {
                doc.children_with(v, "obl")
                    .find(|&o| doc.children_with(o, "case").any(|c| doc.lower(c) == "as"))
                    .or_else(|| {
                        doc.children_with(v, "advcl")
                            .find(|&o| doc.children_with(o, "mark").any(|c| doc.lower(c) == "as"))
                    })
            });
        if let (Some(o), Some(x)) = (object, complement) {
            if o < x {
                let mut content = doc.subtree(o);
                content.extend(doc.subtree(x));
                content.sort_unstable();
                content.dedup();
                // the particle is the cue's, not the content's
                let first = content[0].max(particle.map(|p| p + 1).unwrap_or(0));
                let content: Vec<usize> = (first..=*content.last().unwrap()).collect();
                return Some((who, antecedent, verb, content));
            }
        }
    }
    None
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
    contiguous_around(&content, clause)
}

/// Tokens of `set` (sorted) contiguous with `anchor`.
fn contiguous_around(set: &[usize], anchor: usize) -> Vec<usize> {
    crate::document::run_around(set, anchor).to_vec()
}

/// `according to X, CLAUSE` / `CLAUSE, according to X`.
fn according_to(doc: &Document, lex: &Lexicon, v: usize) -> Option<Found> {
    let phrase = lex.phrases().iter().find(|p| {
        p.iter()
            .enumerate()
            .all(|(k, w)| v + k < doc.tokens.len() && doc.lower(v + k) == *w)
    })?;
    if phrase.len() < 2 || phrase[0] != "according" {
        return None;
    }
    // X: the noun the phrase is the case marker of.
    let last = v + phrase.len() - 1;
    let x = doc.tokens[v]
        .head
        .filter(|&h| h > last)
        .or_else(|| doc.tokens[last].head.filter(|&h| h > last))?;
    let clause = doc.tokens[x].head?;
    let content = clause_without(doc, clause, x);
    let verb = doc.tokens[v].span.cover(doc.tokens[last].span);
    Some((Some(x), None, verb, content))
}

/// `X's statement that ...`.
fn claim_noun(doc: &Document, lex: &Lexicon, n: usize) -> Option<Found> {
    if doc.tokens[n].upos != "NOUN" || !lex.is_claim_noun(&doc.tokens[n].lemma) {
        return None;
    }
    let clause = doc.children[n].iter().copied().find(|&c| {
        let r = doc.tokens[c].deprel.as_str();
        (r.starts_with("acl") || r == "ccomp")
            && doc.children_with(c, "mark").any(|m| doc.lower(m) == "that")
    })?;
    let who = doc.children_with(n, "nmod:poss").next()?;
    Some((Some(who), None, doc.tokens[n].span, doc.subtree(clause)))
}

/// Direct quotes: each quotation not used by a mixed quote, attributed by position.
fn direct(
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
        let Some(s_open) = doc.sentence_at(q.open.start) else {
            continue;
        };
        let close_at = q
            .close
            .map(|c| c.start)
            .unwrap_or(q.content.end.saturating_sub(1));
        let s_close = doc.sentence_at(close_at).unwrap_or(s_open);
        let toks_open = doc.sentences[s_open].tokens.clone();
        let toks_close = doc.sentences[s_close].tokens.clone();
        let before: Vec<usize> = toks_open
            .clone()
            .filter(|&t| doc.tokens[t].span.end <= q.open.start)
            .collect();
        let next_open = quotes
            .get(qi + 1)
            .map(|n| n.open.start)
            .unwrap_or(usize::MAX);
        let after: Vec<usize> = toks_close
            .clone()
            .filter(|&t| {
                q.close.is_some_and(|c| doc.tokens[t].span.start >= c.end)
                    && doc.tokens[t].span.start < next_open
            })
            .collect();
        let content_text = doc.slice(q.content);
        let ends_like_sentence =
            content_text.ends_with([',', '.', '?', '!', '…', '-', '—', ';', ':']);
        let words = content_text.split_whitespace().count();

        let mut claim = new_claim(
            doc,
            ClaimKind::DirectQuote,
            toks_open.start.max(first_token_at(doc, q.content.start)),
        );
        claim.sentence = s_open;
        let what = trim_quote_content(doc, q.content);
        if what.is_empty() {
            continue;
        }
        claim.what = Some(what);

        // 1. Cue after: `"...," X said.` / `"...," said X.`
        let after_ok = ends_like_sentence
            || after
                .first()
                .is_some_and(|&t| matches!(doc.word(t), "," | "—" | "–"));
        if after_ok {
            let window: Vec<usize> = after
                .iter()
                .copied()
                .take_while(|&t| doc.tokens[t].upos != "VERB" || cue_of(doc, lex, t).is_some())
                .chain(
                    after
                        .iter()
                        .copied()
                        .find(|&t| doc.tokens[t].upos == "VERB"),
                )
                .take(14)
                .collect();
            if let Some((v, who)) = cue_in(doc, lex, &window, 14) {
                set_cue(doc, &mut claim, v, who);
                out.push(claim);
                continue;
            }
        }
        // 2. Dash attribution: `"..." -Commissioner X` / `— X`.
        if let Some(&d) = after.first() {
            if matches!(doc.word(d), "-" | "—" | "–" | "--") {
                if let Some(h) = name_head(doc, &after[1..]) {
                    claim.who = Some(mention(doc, h));
                    claim.who_head = Some(h);
                    out.push(claim);
                    continue;
                }
            }
        }
        // 3. Cue before: `X said: "..."`, `X said, "..."`, `said X: "..."`, or the previous
        //    sentence ending with a colon.
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
        let lead_end = lead.last().copied();
        let introduces = lead_end
            .is_some_and(|t| matches!(doc.word(t), ":" | ",") || cue_of(doc, lex, t).is_some());
        if introduces {
            let search: Vec<usize> = lead.iter().rev().take(12).rev().copied().collect();
            if let Some((v, who)) = cue_in(doc, lex, &search, usize::MAX) {
                // the cue must not already be explained by another direct quote before this one
                set_cue(doc, &mut claim, v, who);
                out.push(claim);
                continue;
            }
            // 4. Colon introduction without a verb: `And from Chairwoman Y:`.
            if lead_end.is_some_and(|t| doc.word(t) == ":") {
                if let Some(h) = name_head(doc, &lead) {
                    claim.who = Some(mention(doc, h));
                    claim.who_head = Some(h);
                    out.push(claim);
                    continue;
                }
            }
        }
        // 5. A quotation standing as its own sentence(s): the speaker from just before.
        let standalone = before.iter().all(|&t| {
            doc.tokens[t].upos == "PUNCT" || matches!(doc.lower(t).as_str(), "and" | "but")
        });
        let rest_empty = after.iter().all(|&t| doc.tokens[t].upos == "PUNCT");
        if standalone && rest_empty && words >= 2 {
            if let Some((who, head)) = context_speaker(doc, &out, indirect, s_open, q) {
                claim.who = Some(who);
                claim.who_head = head;
            }
            out.push(claim);
            continue;
        }
        // Otherwise a scare quote, nickname or title inside a clause: not a claim. A long
        // quotation that is a sentence of its own with text after it (`"..." he added later`)
        // was caught above; one with a cue we could not read is still a quote, unattributed.
        if standalone && words >= 6 && ends_like_sentence {
            out.push(claim);
        }
    }
    out
}

fn first_token_at(doc: &Document, pos: usize) -> usize {
    doc.tokens
        .partition_point(|t| t.span.end <= pos)
        .min(doc.tokens.len() - 1)
}

fn is_quote_token(doc: &Document, t: usize) -> bool {
    matches!(doc.word(t), "\"" | "“" | "”" | "‘" | "’" | "«" | "»" | "'")
}

/// The content without a trailing comma (the split artifact of `"A," she said`).
fn trim_quote_content(doc: &Document, content: Span) -> Span {
    let text = doc.slice(content);
    let trimmed = text.trim_end_matches([',', ' ', '\n']);
    Span::new(content.start, content.start + trimmed.len())
}

/// The first speech cue among `tokens` (within the first `limit` tokens) with its speaker.
fn cue_in(
    doc: &Document,
    lex: &Lexicon,
    tokens: &[usize],
    limit: usize,
) -> Option<(usize, Option<usize>)> {
    let region: Vec<usize> = tokens.iter().copied().take(limit).collect();
    let cues: Vec<usize> = region
        .iter()
        .copied()
        .filter(|&t| {
            matches!(
                cue_of(doc, lex, t),
                Some((CueClass::Speech | CueClass::Act, _))
            )
        })
        .collect();
    // Before the quotation the nearest cue is the last one; after it, the first.
    let v = if limit == usize::MAX {
        *cues.last()?
    } else {
        *cues.first()?
    };
    let in_region = |t: usize| region.contains(&t);
    let nominal = |t: usize| matches!(doc.tokens[t].upos, "PROPN" | "NOUN" | "PRON");
    let before_cue: Vec<usize> = region.iter().copied().filter(|&t| t < v).collect();
    let who = subject(doc, v)
        .map(|s| s.head)
        .filter(|&h| in_region(h))
        .or_else(|| {
            // `," the college's president, Dr. X, told ...`: the phrase between quote and cue
            before_cue
                .iter()
                .copied()
                .find(|&t| nominal(t))
                .map(|t| np_head(doc, t, &region))
        })
        .or_else(|| {
            // inverted `said the minister`: the first nominal after the cue
            region
                .iter()
                .copied()
                .filter(|&t| t > v)
                .find(|&t| nominal(t))
                .map(|t| np_head(doc, t, &region))
        });
    Some((v, who))
}

/// Climbs from `t` to the head of its noun phrase inside `region`.
fn np_head(doc: &Document, t: usize, region: &[usize]) -> usize {
    let mut cur = t;
    while let Some(h) = doc.tokens[cur].head {
        let rel = doc.tokens[cur].deprel.as_str();
        let nominal = matches!(doc.tokens[h].upos, "PROPN" | "NOUN");
        if region.contains(&h)
            && nominal
            && (matches!(
                rel,
                "compound"
                    | "flat"
                    | "amod"
                    | "det"
                    | "nmod:poss"
                    | "flat:name"
                    | "nummod"
                    | "nmod:desc"
            ) || (rel == "nmod" && cur + 1 == h)
                // `the opposition leader, Tomasz Wrona`: the name is the role's appositive
                || (rel == "appos" && h < cur && doc.tokens[h].upos == "NOUN"))
        {
            cur = h;
        } else {
            break;
        }
    }
    cur
}

/// The head of the first name (entity or proper noun) among `tokens`.
fn name_head(doc: &Document, tokens: &[usize]) -> Option<usize> {
    let t = tokens.iter().copied().find(|&t| {
        doc.entity_at(t)
            .is_some_and(|e| e.ty != crate::model::labels::EntityType::Loc)
            || doc.tokens[t].upos == "PROPN"
    })?;
    Some(np_head(doc, t, tokens))
}

fn set_cue(doc: &Document, claim: &mut Claim, v: usize, who: Option<usize>) {
    claim.verb = Some(doc.tokens[v].span);
    if let Some(h) = who {
        let s = subject(doc, v);
        claim.who = Some(mention(doc, h));
        claim.who_head = Some(h);
        claim.antecedent = s.filter(|s| s.head == h).and_then(|s| s.antecedent);
    }
}

/// For a quotation with no cue: the speaker of the previous claim if it is in this or the
/// previous paragraph, else the subject of the previous sentence if it is a person.
fn context_speaker(
    doc: &Document,
    direct: &[Claim],
    indirect: &[Claim],
    s: usize,
    q: &Quotation,
) -> Option<(Span, Option<usize>)> {
    if s == 0 {
        return None;
    }
    if let Some(found) = previous_subject(doc, s) {
        return Some(found);
    }
    let para = doc.sentences[s].paragraph;
    let prev_claim = direct
        .iter()
        .chain(indirect.iter())
        .filter(|c| c.who.is_some() && c.what.is_some_and(|w| w.end <= q.open.start))
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
        || matches!(doc.lower(h).as_str(), "he" | "she" | "they")
        || doc
            .entity_at(h)
            .is_some_and(|e| e.ty == crate::model::labels::EntityType::Per);
    person.then(|| (mention(doc, h), Some(h)))
}
