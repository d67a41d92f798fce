//! Beliefs and evidence: the rules of [`super::STANCE_RULES`], each reading one token as a
//! cognition, stance or evidence cue and returning what is held ([`Held`]), and [`claims`],
//! which runs them after the speech rules and classes the speech claims whose source is a
//! document as evidence.
//!
//! **Kind by source** (corpus/README.md, conventions of the news set): a cognition or stance
//! with a holder is a `belief`; a document, poll, study or record as source (`documents.txt`) is
//! `evidence`, whatever the cue. So `the report said that ...` and `according to the report, ...`
//! are evidence: the speech rules find them as reported speech and [`claims`] reclasses them,
//! leaving speech with any other source as it was. A direct quotation stays a direct quote even
//! from a document (its words are quoted, not summarised). `acknowledged that ...` (listed as
//! `belief` in `stance.txt`) is a belief whoever holds it.
//!
//! Guards, for precision: no belief without a holder (`It is widely believed that ...`, `the bill
//! is expected to pass` are passives: nobody holds them), none negated (`does not think`, `nobody
//! knows`), none in a question (`Does he think ...?`, `... knows how many died`) or a conditional
//! (`if you want to ...`), none held by `you`, none from a first-person filler (`, I think,`) or a
//! first-person want or stance (`I want the purpose`), a verb's object is held only for the verbs
//! of `stance.txt` (`knows the city`, `found the body` are not beliefs), `see` is a cognition only
//! with `that` (not `the finals saw X face off`), and a stance inside another claim's content is that claim's
//! (`a poll found that 62 percent support the ban`). `wants a pay rise` and `wants Congress to
//! act` are beliefs (the news set labels what someone wants of the world as held, like `supports
//! the plan`); `wants to leave` is not (an intention about one's own act).

use super::lexicon::{CueClass, Lexicon, WordClass};
use super::marks::Quotation;
use super::speaker::{content_span, mention, subject};
use super::{new_claim, STANCE_RULES};
use crate::document::{run_around, Claim, ClaimKind, Document};
use crate::function_words::{
    is, CONDITIONS, DOCUMENT_PRONOUNS, FIRST_PERSON, FOCUS_ADVERBS, MEANS, NEGATORS, NO_ONE,
    QUESTION_WORDS,
};
use crate::span::Span;
use std::collections::HashSet;

/// What a belief or evidence rule found for one cue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Held {
    /// `Belief`, or `Evidence` when the holder is a document.
    pub kind: ClaimKind,
    /// Head token of the holder (the believer, or the document).
    pub holder: usize,
    /// The cue words as written (`believes`, `is certain`, `point to`).
    pub cue: Span,
    /// The content tokens, sorted (trimmed to a span by `content_span`).
    pub content: Vec<usize>,
    /// Whether the claim may stand inside another claim's content. A stance object does not:
    /// in `a poll found that 62 percent support the ban`, `support` is what the poll found.
    pub nests: bool,
}

/// A cognition verb: the `think` class of the cue lexicon or a `cognition` verb of `stance.txt`
/// (a `that-only` verb when its clause has `that`), or a `belief` cue of `stance.txt`.
fn is_cognition(doc: &Document, lex: &Lexicon, v: usize) -> bool {
    if doc.tokens[v].upos != "VERB" {
        return false;
    }
    let lemma = doc.tokens[v].lemma.as_str();
    let think = lex.verb(lemma) == Some(CueClass::Think) || lex.has(WordClass::Cognition, lemma);
    let that = doc
        .children_with(v, "ccomp")
        .any(|c| doc.children_with(c, "mark").any(|m| doc.lower(m) == "that"));
    think && (that || !lex.has(WordClass::ThatOnly, lemma)) || lex.has(WordClass::Belief, lemma)
}

/// An evidence verb of `stance.txt`, with its preposition (`point to`) if it has one.
fn evidence_verb<'l>(doc: &Document, lex: &'l Lexicon, v: usize) -> Option<Option<&'l str>> {
    if doc.tokens[v].upos != "VERB" {
        return None;
    }
    lex.evidence(&doc.tokens[v].lemma)
}

/// Why a cue at `v` with holder `h` holds nothing: negated (`does not think`, `nobody knows`),
/// a question (`Does he think ...?`), a conditional (`if you want to ...`), or held by `you`.
fn guarded(doc: &Document, v: usize, h: usize) -> bool {
    let negated = doc
        .children_with(v, "advmod")
        .any(|a| is(NEGATORS, &doc.lower(a)));
    let no_one =
        is(NO_ONE, &doc.lower(h)) || doc.children_with(h, "det").any(|d| doc.lower(d) == "no");
    let sentence = doc.tokens[v].sentence;
    let last = (v..doc.tokens.len())
        .take_while(|&t| doc.tokens[t].sentence == sentence)
        .last()
        .unwrap_or(v);
    let question = doc.word(last) == "?" && doc.tokens[last].head == Some(v);
    let conditional = doc.tokens[v].deprel.starts_with("advcl")
        && doc
            .children_with(v, "mark")
            .any(|m| is(CONDITIONS, &doc.lower(m)) || doc.lower(m) == "whether");
    let you = doc.lower(h) == "you";
    negated || no_one || question || conditional || you
}

/// The holder of cue verb `v`: its subject, unless `v` is passive (`It is widely believed`, `the
/// bill is expected to pass`: nobody holds it), the `to` clause of an object (`wants X to know`)
/// or a guard says it holds nothing.
fn holder(doc: &Document, v: usize) -> Option<usize> {
    let passive = doc.children_with(v, "nsubj:pass").next().is_some()
        || doc.children_with(v, "aux:pass").next().is_some();
    // `wants citizens to know ...`: the one who would know is the object, not the subject
    let object_control = doc.tokens[v].deprel == "xcomp"
        && doc.tokens[v].head.is_some_and(|h| {
            doc.children[h]
                .iter()
                .any(|&o| matches!(doc.tokens[o].deprel.as_str(), "obj" | "iobj"))
        });
    if object_control {
        return None;
    }
    let h = subject(doc, v)?.head;
    (!passive && !guarded(doc, v, h)).then_some(h)
}

/// True for `I` and `we`. In conversation a first-person want or stance (`I want the purpose`,
/// `I want our citizens to know`) and a parenthetical `I think` are talk, not a reported view;
/// only a first-person cognition with its clause (`I think it will rain`) is a belief.
fn first_person(doc: &Document, h: usize) -> bool {
    is(FIRST_PERSON, &doc.lower(h))
}

/// `Evidence` when `h` is a document, or `it`/`they` after a sentence whose subject is one
/// (`The report found ... It also found ...`), else `Belief`.
fn kind_of(doc: &Document, lex: &Lexicon, h: usize) -> ClaimKind {
    if lex.is_document(doc, h) || refers_to_document(doc, lex, h) {
        ClaimKind::Evidence
    } else {
        ClaimKind::Belief
    }
}

/// True when `h` is `it` or `they` and the last main-clause subject before it, in its sentence or
/// the one before, is a document.
fn refers_to_document(doc: &Document, lex: &Lexicon, h: usize) -> bool {
    if !is(DOCUMENT_PRONOUNS, &doc.lower(h)) {
        return false;
    }
    let sentence = doc.tokens[h].sentence;
    (0..h)
        .rev()
        .take_while(|&t| doc.tokens[t].sentence + 1 >= sentence)
        .find(|&t| {
            doc.tokens[t].deprel.starts_with("nsubj")
                && doc.tokens[t]
                    .head
                    .is_some_and(|v| doc.tokens[v].deprel == "root")
        })
        .is_some_and(|t| lex.is_document(doc, t))
}

/// True when clause `c` is an embedded question (`how many people died`).
fn is_question_clause(doc: &Document, c: usize) -> bool {
    let first = doc.subtree(c)[0];
    is(QUESTION_WORDS, &doc.lower(first))
}

/// Rule 1. `X believes (that) ...`, `the report found that ...`, `polls show (that) ...`: a
/// cognition verb, or an evidence verb with a document subject, and its clausal complement
/// (from a noun object before it: `footage shows the officer kicking the man`).
pub fn complement(doc: &Document, lex: &Lexicon, v: usize) -> Option<Held> {
    let cognition = is_cognition(doc, lex, v);
    if !cognition && evidence_verb(doc, lex, v).is_none() {
        return None;
    }
    let c = doc.children_with(v, "ccomp").next()?;
    if is_question_clause(doc, c) {
        return None;
    }
    let h = holder(doc, v)?;
    let kind = kind_of(doc, lex, h);
    if !cognition && kind != ClaimKind::Evidence {
        return None;
    }
    let mut content = doc.subtree(c);
    if let Some(o) = doc
        .children
        .get(v)?
        .iter()
        .copied()
        .find(|&o| o > v && o < c && matches!(doc.tokens[o].deprel.as_str(), "obj" | "iobj"))
    {
        content = (doc.subtree(o)[0]..=*content.last()?).collect();
    }
    // `know how much you did`: the question word is the object before the clause
    if is(QUESTION_WORDS, &doc.lower(content[0])) {
        return None;
    }
    Some(Held {
        kind,
        holder: h,
        cue: doc.tokens[v].span,
        content,
        nests: true,
    })
}

/// Rule 2. `Ukraine hopes to join ...`, `the bank expects inflation to fall ...`, `wants
/// Congress to approve ...`: a verb of `infinitive` with a `to` clause, or of `object-infinitive`
/// with an object and a `to` clause (content from the object on).
pub fn infinitive(doc: &Document, lex: &Lexicon, v: usize) -> Option<Held> {
    let lemma = doc.tokens[v].lemma.as_str();
    let (bare, with_object) = (
        lex.has(WordClass::Infinitive, lemma),
        lex.has(WordClass::ObjectInfinitive, lemma),
    );
    if doc.tokens[v].upos != "VERB" || !(bare || with_object) {
        return None;
    }
    let x = doc
        .children_with(v, "xcomp")
        .find(|&x| x > v && doc.children_with(x, "mark").any(|m| doc.lower(m) == "to"))?;
    let object = doc.children[v]
        .iter()
        .copied()
        .find(|&o| o > v && o < x && matches!(doc.tokens[o].deprel.as_str(), "obj" | "iobj"));
    if !(bare || with_object && object.is_some()) {
        return None;
    }
    let h = holder(doc, v)?;
    if object.is_some() && first_person(doc, h) {
        return None;
    }
    let first = doc.subtree(object.unwrap_or(x))[0];
    let last = *doc.subtree(x).last()?;
    Some(Held {
        kind: kind_of(doc, lex, h),
        holder: h,
        cue: doc.tokens[v].span,
        content: (first..=last).collect(),
        nests: true,
    })
}

/// Rule 3. `The prosecutor is certain that ...`, `Scientists are convinced ...`, `The family
/// remains sure that ...`: a cognition adjective (or participle) of `stance.txt` with a clause;
/// the cue keeps its copula or linking verb.
pub fn adjective(doc: &Document, lex: &Lexicon, a: usize) -> Option<Held> {
    if !matches!(doc.tokens[a].upos, "ADJ" | "VERB")
        || !lex.has(WordClass::StanceAdjective, &doc.lower(a))
    {
        return None;
    }
    let c = doc.children_with(a, "ccomp").next()?;
    if c < a || is_question_clause(doc, c) {
        return None;
    }
    let own = doc
        .children_with(a, "nsubj")
        .next()
        .filter(|&s| doc.tokens[s].deprel != "expl");
    let linking = doc.tokens[a]
        .head
        .filter(|_| own.is_none() && doc.tokens[a].deprel == "xcomp");
    let (h, start) = match (own, linking) {
        (Some(s), _) => {
            let cop = doc.children[a]
                .iter()
                .copied()
                .find(|&k| matches!(doc.tokens[k].deprel.as_str(), "cop" | "aux:pass") && k < a);
            (s, cop.unwrap_or(a))
        }
        (None, Some(l)) => (subject(doc, l)?.head, l),
        _ => return None,
    };
    // a participle's passive auxiliary is its copula here, so only the other guards apply
    if guarded(doc, a, h) || linking.is_some_and(|l| guarded(doc, l, h)) {
        return None;
    }
    Some(Held {
        kind: ClaimKind::Belief,
        holder: h,
        cue: doc.tokens[start].span.cover(doc.tokens[a].span),
        content: doc.subtree(c),
        nests: true,
    })
}

/// Rule 4. `Germany supports the proposal`, `The union wants a pay rise`, `Exit polls indicated a
/// narrow win`, `Early results point to a landslide`: a stance verb's object (or gerund), or an
/// evidence verb's object (or its prepositional object, `point to`) with a document subject.
pub fn object(doc: &Document, lex: &Lexicon, v: usize) -> Option<Held> {
    if doc.tokens[v].upos != "VERB" || doc.children_with(v, "compound:prt").next().is_some() {
        return None;
    }
    let stance = lex.has(WordClass::StanceObject, &doc.tokens[v].lemma);
    let evidence = evidence_verb(doc, lex, v);
    if !stance && evidence.is_none() {
        return None;
    }
    // `supports farmers with subsidies`: support given by some means is an act, not a view
    let means = doc.children_with(v, "obl").any(|o| {
        doc.children_with(o, "case")
            .any(|c| is(MEANS, &doc.lower(c)))
    });
    if stance && evidence.is_none() && means {
        return None;
    }
    let h = holder(doc, v)?;
    let kind = kind_of(doc, lex, h);
    if !stance && kind != ClaimKind::Evidence || first_person(doc, h) {
        return None;
    }
    let held = |cue: Span, content: Vec<usize>| Held {
        kind,
        holder: h,
        cue,
        content,
        nests: kind == ClaimKind::Evidence,
    };
    let objects: Vec<usize> = doc.children[v]
        .iter()
        .copied()
        .filter(|&o| o > v && matches!(doc.tokens[o].deprel.as_str(), "obj" | "iobj"))
        .collect();
    if let (Some(&first), Some(&last)) = (objects.first(), objects.last()) {
        // `supports it`, `wants that`: a pronoun names no content
        if objects.iter().any(|&o| doc.tokens[o].upos == "PRON") {
            return None;
        }
        // and what completes the object after it (`showed the ruling party ten points ahead`)
        let last = doc.children[v]
            .iter()
            .copied()
            .filter(|&k| k > last && matches!(doc.tokens[k].deprel.as_str(), "xcomp" | "advmod"))
            .max()
            .unwrap_or(last);
        let end = *doc.subtree(last).last()?;
        let start = doc.subtree(first)[0];
        return Some(held(doc.tokens[v].span, (start..=end).collect()));
    }
    if stance {
        // `supports raising the minimum wage`
        let x = doc.children_with(v, "xcomp").find(|&x| {
            x > v && doc.lower(x).ends_with("ing") && doc.children_with(x, "mark").next().is_none()
        })?;
        return Some(held(doc.tokens[v].span, doc.subtree(x)));
    }
    let prep = evidence.flatten()?;
    let (o, case) = doc.children_with(v, "obl").find_map(|o| {
        let case = doc
            .children_with(o, "case")
            .find(|&c| doc.lower(c) == prep)?;
        (o > v).then_some((o, case))
    })?;
    let mut content = doc.subtree(o);
    content.retain(|&t| t != case);
    Some(held(
        doc.tokens[v].span.cover(doc.tokens[case].span),
        content,
    ))
}

/// Rule 5. `..., analysts believe.` / `..., a new poll shows.`: a cognition or evidence cue in
/// parataxis holds the clause it hangs from. A first-person or `you` filler (`, I think,`, `you
/// know`) holds nothing, and evidence needs a document.
pub fn reporting_clause(doc: &Document, lex: &Lexicon, v: usize) -> Option<Held> {
    if doc.tokens[v].deprel != "parataxis" {
        return None;
    }
    let cognition = is_cognition(doc, lex, v);
    if !cognition && evidence_verb(doc, lex, v).is_none() {
        return None;
    }
    let h = holder(doc, v)?;
    if first_person(doc, h) {
        return None;
    }
    let kind = kind_of(doc, lex, h);
    if !cognition && kind != ClaimKind::Evidence {
        return None;
    }
    let head = doc.tokens[v].head?;
    let skip = doc.subtree(v);
    let clause: Vec<usize> = doc
        .subtree(head)
        .into_iter()
        .filter(|t| skip.binary_search(t).is_err())
        .collect();
    Some(Held {
        kind,
        holder: h,
        cue: doc.tokens[v].span,
        content: run_around(&clause, head).to_vec(),
        nests: true,
    })
}

/// The mention of holder `h` without a focus adverb opening it (`Even his allies` -> `his
/// allies`).
fn holder_mention(doc: &Document, h: usize) -> Span {
    let m = mention(doc, h);
    let focus = doc
        .children_with(h, "advmod")
        .find(|&a| doc.tokens[a].span.start == m.start && is(FOCUS_ADVERBS, &doc.lower(a)));
    match focus {
        Some(a) => {
            let next = (a + 1..=h)
                .find(|&t| doc.tokens[t].upos != "PUNCT")
                .unwrap_or(h);
            Span::new(doc.tokens[next].span.start, m.end)
        }
        None => m,
    }
}

/// Classes the speech claims of a document source as evidence and those of a `belief` cue as
/// beliefs, then adds the beliefs and evidence of [`STANCE_RULES`] for every token outside a
/// quotation that no claim has as its cue. Quotations inside a belief's content are marked used.
pub fn claims(
    doc: &Document,
    lex: &Lexicon,
    quotes: &[Quotation],
    used: &mut [bool],
    claims: &mut Vec<Claim>,
) {
    for c in claims.iter_mut() {
        if !matches!(c.kind, ClaimKind::IndirectQuote | ClaimKind::MixedQuote) {
            continue;
        }
        let belief_cue = c.verb_head.is_some_and(|v| {
            doc.tokens[v].upos == "VERB" && lex.has(WordClass::Belief, &doc.tokens[v].lemma)
        });
        match c.who_head {
            Some(h) if lex.is_document(doc, h) => c.kind = ClaimKind::Evidence,
            Some(_) if belief_cue => c.kind = ClaimKind::Belief,
            _ => continue,
        }
        c.who = c.who_head.map(|h| holder_mention(doc, h));
    }
    let taken: HashSet<usize> = claims.iter().filter_map(|c| c.verb_head).collect();
    let outer = |q: &Quotation| q.open.cover(q.close.unwrap_or(q.content));
    let mut found: Vec<(usize, Held, Span)> = Vec::new();
    for v in 0..doc.tokens.len() {
        let span = doc.tokens[v].span;
        if taken.contains(&v) || quotes.iter().any(|q| q.content.contains(span)) {
            continue;
        }
        let Some(held) = STANCE_RULES.iter().find_map(|rule| rule(doc, lex, v)) else {
            continue;
        };
        let Some(what) = content_span(doc, &held.content) else {
            continue;
        };
        // Inside a quotation, or opening with one: the quotation's, attributed as direct.
        if quotes.iter().any(|q| {
            let o = outer(q);
            o.contains(what) || (what.start >= o.start && what.start <= q.content.start)
        }) {
            continue;
        }
        found.push((v, held, what));
    }
    let contents: Vec<Span> = claims
        .iter()
        .filter_map(|c| c.what)
        .chain(found.iter().map(|f| f.2))
        .collect();
    for (v, held, what) in found {
        let span = doc.tokens[v].span;
        if !held.nests && contents.iter().any(|c| c.contains(span)) {
            continue;
        }
        for (qi, q) in quotes.iter().enumerate() {
            if what.contains(outer(q)) {
                used[qi] = true;
            }
        }
        let found = held;
        let mut c = new_claim(doc, found.kind, v);
        c.who = Some(holder_mention(doc, found.holder));
        c.who_head = Some(found.holder);
        c.verb = Some(found.cue);
        c.what = Some(what);
        claims.push(c);
    }
}

#[cfg(test)]
mod tests {
    use crate::attribution::QuoteFinder;
    use crate::conllu::testing::Case;

    /// The attribution stage's rows (beliefs and evidence are found there) for each case.
    fn check(cases: &[Case]) {
        crate::conllu::testing::check(&[], &QuoteFinder::new(), cases);
    }

    #[test]
    fn complement() {
        check(&[
            (
                "cognition verb with that-clause",
                "The minister believes that prices will rise.
                 The DET 2 det
                 minister NOUN 3 nsubj
                 believes VERB 0 root
                 that SCONJ 7 mark
                 prices NOUN 7 nsubj
                 will AUX 7 aux
                 rise VERB 3 ccomp
                 . PUNCT 3 punct",
                &["belief The minister | believes | prices will rise | -"],
            ),
            (
                "a document showing a clause is evidence, and no action",
                "Polls show prices rose.
                 Polls NOUN 2 nsubj
                 show VERB 0 root
                 prices NOUN 4 nsubj
                 rose VERB 2 ccomp
                 . PUNCT 2 punct",
                &["evidence Polls | show | prices rose | -"],
            ),
            (
                "a person showing a clause is neither",
                "Lima showed prices rose.
                 Lima PROPN 2 nsubj
                 showed VERB 0 root
                 prices NOUN 4 nsubj
                 rose VERB 2 ccomp
                 . PUNCT 2 punct",
                &[],
            ),
            (
                "a question",
                "Does Lima think prices will rise?
                 Does AUX 3 aux
                 Lima PROPN 3 nsubj
                 think VERB 0 root
                 prices NOUN 6 nsubj
                 will AUX 6 aux
                 rise VERB 3 ccomp
                 ? PUNCT 3 punct",
                &[],
            ),
            (
                "an embedded question",
                "Nobody knows how many died.
                 Nobody PRON 2 nsubj
                 knows VERB 0 root
                 how ADV 4 advmod
                 many ADJ 5 nsubj
                 died VERB 2 ccomp
                 . PUNCT 2 punct",
                &[],
            ),
            (
                "a passive has no holder",
                "It is widely believed that the vote was rigged.
                 It PRON 4 expl
                 is AUX 4 aux:pass
                 widely ADV 4 advmod
                 believed VERB 0 root
                 that SCONJ 9 mark
                 the DET 7 det
                 vote NOUN 9 nsubj:pass
                 was AUX 9 aux:pass
                 rigged VERB 4 csubj:pass
                 . PUNCT 4 punct",
                &[],
            ),
        ]);
    }

    /// Every negator guards, the curly `n’t` too (issue 24: `doesn’t think` gave a belief).
    #[test]
    fn negated() {
        for (written, not) in [("does not", "not"), ("doesn't", "n't"), ("doesn’t", "n’t")] {
            let src = format!(
                "Lima {written} think prices will rise.
                 Lima PROPN 4 nsubj
                 does AUX 4 aux
                 {not} PART 4 advmod
                 think VERB 0 root
                 prices NOUN 7 nsubj
                 will AUX 7 aux
                 rise VERB 4 ccomp
                 . PUNCT 4 punct"
            );
            check(&[(written, &src, &[])]);
        }
    }

    #[test]
    fn infinitive() {
        check(&[
            (
                "hope with a to-clause",
                "Kyiv hopes to join the union.
                 Kyiv PROPN 2 nsubj
                 hopes VERB 0 root
                 to PART 4 mark
                 join VERB 2 xcomp
                 the DET 6 det
                 union NOUN 4 obj
                 . PUNCT 2 punct",
                &["belief Kyiv | hopes | to join the union | -"],
            ),
            (
                "want with an object and a to-clause",
                "Lima wants Congress to act.
                 Lima PROPN 2 nsubj
                 wants VERB 0 root
                 Congress PROPN 2 iobj
                 to PART 5 mark
                 act VERB 2 xcomp
                 . PUNCT 2 punct",
                &["belief Lima | wants | Congress to act | -"],
            ),
            (
                "want to alone is an intention",
                "Lima wants to leave.
                 Lima PROPN 2 nsubj
                 wants VERB 0 root
                 to PART 4 mark
                 leave VERB 2 xcomp
                 . PUNCT 2 punct",
                &[],
            ),
            (
                "raising: expected to has no holder",
                "The bill is expected to pass.
                 The DET 2 det
                 bill NOUN 4 nsubj:pass
                 is AUX 4 aux:pass
                 expected VERB 0 root
                 to PART 6 mark
                 pass VERB 4 xcomp
                 . PUNCT 4 punct",
                &[],
            ),
        ]);
    }

    #[test]
    fn adjective() {
        check(&[
            (
                "copula and cognition adjective",
                "The prosecutor is certain that the jury will convict.
                 The DET 2 det
                 prosecutor NOUN 4 nsubj
                 is AUX 4 cop
                 certain ADJ 0 root
                 that SCONJ 9 mark
                 the DET 7 det
                 jury NOUN 9 nsubj
                 will AUX 9 aux
                 convict VERB 4 ccomp
                 . PUNCT 4 punct",
                &["belief The prosecutor | is certain | the jury will convict | -"],
            ),
            (
                "a linking verb and a participle",
                "The family remains convinced he is alive.
                 The DET 2 det
                 family NOUN 3 nsubj
                 remains VERB 0 root
                 convinced ADJ 3 xcomp
                 he PRON 7 nsubj
                 is AUX 7 cop
                 alive ADJ 4 ccomp
                 . PUNCT 3 punct",
                &["belief The family | remains convinced | he is alive | -"],
            ),
            (
                "an expletive subject holds nothing",
                "It is certain that prices will rise.
                 It PRON 3 expl
                 is AUX 3 cop
                 certain ADJ 0 root
                 that SCONJ 7 mark
                 prices NOUN 7 nsubj
                 will AUX 7 aux
                 rise VERB 3 ccomp
                 . PUNCT 3 punct",
                &[],
            ),
        ]);
    }

    #[test]
    fn object() {
        check(&[
            (
                "a stance verb's object is a belief, not an action",
                "Germany supports the plan.
                 Germany PROPN 2 nsubj B-LOC
                 supports VERB 0 root
                 the DET 4 det
                 plan NOUN 2 obj
                 . PUNCT 2 punct",
                &["belief Germany | supports | the plan | -"],
            ),
            (
                "support by some means is an act",
                "Oslo supports farmers with loans.
                 Oslo PROPN 2 nsubj
                 supports VERB 0 root
                 farmers NOUN 2 obj
                 with ADP 5 case
                 loans NOUN 2 obl
                 . PUNCT 2 punct",
                &[],
            ),
            (
                "knowing a place is no belief",
                "She knows the city.
                 She PRON 2 nsubj
                 knows VERB 0 root
                 the DET 4 det
                 city NOUN 2 obj
                 . PUNCT 2 punct",
                &[],
            ),
            (
                "an evidence verb's noun object",
                "Exit polls indicated a narrow win.
                 Exit NOUN 2 compound
                 polls NOUN 3 nsubj
                 indicated VERB 0 root
                 a DET 6 det
                 narrow ADJ 6 amod
                 win NOUN 3 obj
                 . PUNCT 3 punct",
                &["evidence Exit polls | indicated | a narrow win | -"],
            ),
            (
                "an evidence verb with its preposition",
                "Early results point to a landslide.
                 Early ADJ 2 amod
                 results NOUN 3 nsubj
                 point VERB 0 root
                 to ADP 6 case
                 a DET 6 det
                 landslide NOUN 3 obl
                 . PUNCT 3 punct",
                &["evidence Early results | point to | a landslide | -"],
            ),
        ]);
    }

    #[test]
    fn reporting_clause() {
        check(&[
            (
                "cognition in parataxis",
                "Prices will rise, analysts believe.
                 Prices NOUN 3 nsubj
                 will AUX 3 aux
                 rise VERB 0 root
                 , PUNCT 6 punct
                 analysts NOUN 6 nsubj
                 believe VERB 3 parataxis
                 . PUNCT 3 punct",
                &["belief analysts | believe | Prices will rise | -"],
            ),
            (
                "a document in parataxis",
                "Support fell, the poll found.
                 Support NOUN 2 nsubj
                 fell VERB 0 root
                 , PUNCT 6 punct
                 the DET 5 det
                 poll NOUN 6 nsubj
                 found VERB 2 parataxis
                 . PUNCT 2 punct",
                &["evidence the poll | found | Support fell | -"],
            ),
            (
                "a first-person filler",
                "Prices will rise, I think.
                 Prices NOUN 3 nsubj
                 will AUX 3 aux
                 rise VERB 0 root
                 , PUNCT 6 punct
                 I PRON 6 nsubj
                 think VERB 3 parataxis
                 . PUNCT 3 punct",
                &[],
            ),
        ]);
    }

    #[test]
    fn speech_of_a_document_is_evidence() {
        check(&[
            (
                "a document's speech cue",
                "The report said that prices rose.
                 The DET 2 det
                 report NOUN 3 nsubj
                 said VERB 0 root
                 that SCONJ 6 mark
                 prices NOUN 6 nsubj
                 rose VERB 3 ccomp
                 . PUNCT 3 punct",
                &["evidence The report | said | prices rose | -"],
            ),
            (
                "according to a survey naming an organisation: no entity",
                "According to a survey by Pew, prices rose.
                 According VERB 4 case
                 to ADP 1 fixed
                 a DET 4 det
                 survey NOUN 9 obl
                 by ADP 6 case
                 Pew PROPN 4 nmod B-ORG
                 , PUNCT 4 punct
                 prices NOUN 9 nsubj
                 rose VERB 0 root
                 . PUNCT 9 punct",
                &["evidence a survey by Pew | According to | prices rose | -"],
            ),
            (
                "a person's speech stays a quote",
                "The minister said that prices rose.
                 The DET 2 det
                 minister NOUN 3 nsubj
                 said VERB 0 root
                 that SCONJ 6 mark
                 prices NOUN 6 nsubj
                 rose VERB 3 ccomp
                 . PUNCT 3 punct",
                &["indirect_quote The minister | said | prices rose | -"],
            ),
            (
                "acknowledged is a belief, without a focus adverb",
                "Even his allies acknowledged that it stalled.
                 Even ADV 3 advmod
                 his PRON 3 nmod:poss
                 allies NOUN 4 nsubj
                 acknowledged VERB 0 root
                 that SCONJ 7 mark
                 it PRON 7 nsubj
                 stalled VERB 4 ccomp
                 . PUNCT 4 punct",
                &["belief his allies | acknowledged | it stalled | -"],
            ),
        ]);
    }

    #[test]
    fn nesting() {
        check(&[
            (
                "a stance inside evidence is what the document found",
                "A poll found that voters support the ban.
                 A DET 2 det
                 poll NOUN 3 nsubj
                 found VERB 0 root
                 that SCONJ 6 mark
                 voters NOUN 6 nsubj
                 support VERB 3 ccomp
                 the DET 8 det
                 ban NOUN 6 obj
                 . PUNCT 3 punct",
                &["evidence A poll | found | voters support the ban | -"],
            ),
            (
                "a belief inside speech is its own row",
                "Holt said she believed it was rigged.
                 Holt PROPN 2 nsubj
                 said VERB 0 root
                 she PRON 4 nsubj
                 believed VERB 2 ccomp
                 it PRON 7 nsubj:pass
                 was AUX 7 aux:pass
                 rigged VERB 4 ccomp
                 . PUNCT 2 punct",
                &[
                    "indirect_quote Holt | said | she believed it was rigged | -",
                    "belief she | believed | it was rigged | -",
                ],
            ),
            (
                "it after a document subject is the document",
                "The report found that costs rose.
                 The DET 2 det
                 report NOUN 3 nsubj
                 found VERB 0 root
                 that SCONJ 6 mark
                 costs NOUN 6 nsubj
                 rose VERB 3 ccomp
                 . PUNCT 3 punct

                 It also found that staff left.
                 It PRON 3 nsubj
                 also ADV 3 advmod
                 found VERB 0 root
                 that SCONJ 6 mark
                 staff NOUN 6 nsubj
                 left VERB 3 ccomp
                 . PUNCT 3 punct",
                &[
                    "evidence The report | found | costs rose | -",
                    "evidence It | found | staff left | -",
                ],
            ),
        ]);
    }
}
