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
//! knows`), none in a question (`Does he think ...?`, `... knows how many died`), none held by
//! `you` or a first-person filler (`, I think,`), and a verb's object is held only for the verbs
//! of `stance.txt` (`knows the city`, `found the body` are not beliefs). `wants a pay rise` is a
//! belief: the news set labels what someone wants as held, like `supports the plan`.

use super::lexicon::{CueClass, Lexicon};
use super::marks::Quotation;
use super::speaker::{content_span, mention, subject};
use super::{new_claim, STANCE_RULES};
use crate::document::{run_around, Claim, ClaimKind, Document};
use crate::span::Span;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

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

/// The word lists of `stance.txt` and `documents.txt`.
pub struct StanceWords {
    adjectives: HashSet<String>,
    object: HashSet<String>,
    infinitive: HashSet<String>,
    belief: HashSet<String>,
    /// Evidence verbs, with the preposition that belongs to the cue (`point to`).
    evidence: HashMap<String, Option<String>>,
    documents: HashSet<String>,
}

impl StanceWords {
    /// The built-in lists.
    pub fn get() -> &'static StanceWords {
        static W: OnceLock<StanceWords> = OnceLock::new();
        W.get_or_init(|| {
            StanceWords::parse(include_str!("stance.txt"), include_str!("documents.txt"))
        })
    }

    pub fn parse(stance: &str, documents: &str) -> StanceWords {
        let mut w = StanceWords {
            adjectives: HashSet::new(),
            object: HashSet::new(),
            infinitive: HashSet::new(),
            belief: HashSet::new(),
            evidence: HashMap::new(),
            documents: crate::wordlist::entries(documents)
                .map(str::to_lowercase)
                .collect(),
        };
        for line in crate::wordlist::entries(stance) {
            let f: Vec<&str> = line.split_whitespace().collect();
            let word = f.get(1).map(|s| s.to_lowercase()).unwrap_or_default();
            match f[0] {
                "adjective" => {
                    w.adjectives.insert(word);
                }
                "object" => {
                    w.object.insert(word);
                }
                "infinitive" => {
                    w.infinitive.insert(word);
                }
                "belief" => {
                    w.belief.insert(word);
                }
                "evidence" => {
                    w.evidence.insert(word, f.get(2).map(|p| p.to_lowercase()));
                }
                _ => {}
            }
        }
        w
    }

    /// True when token `h` heads a document-like noun phrase (`the report`, `Exit polls`).
    pub fn is_document(&self, doc: &Document, h: usize) -> bool {
        let t = &doc.tokens[h];
        t.upos == "NOUN" && (self.documents.contains(&t.lemma) || self.documents.contains(&doc.lower(h)))
    }
}

/// `set` holds `lemma`, or `lemma` with the final `e` the rule lemmatizer leaves off some `-ed`
/// forms (`acknowledged` -> `acknowledg`).
fn has_lemma(set: &HashSet<String>, lemma: &str) -> bool {
    set.contains(lemma) || set.contains(&format!("{lemma}e"))
}

/// A cognition verb: the `think` class of the cue lexicon, or a `belief` cue of `stance.txt`.
fn is_cognition(doc: &Document, lex: &Lexicon, words: &StanceWords, v: usize) -> bool {
    if doc.tokens[v].upos != "VERB" {
        return false;
    }
    let lemma = &doc.tokens[v].lemma;
    let think = |l: &str| lex.verb(l) == Some(CueClass::Think);
    think(lemma) || think(&format!("{lemma}e")) || has_lemma(&words.belief, lemma)
}

/// An evidence verb of `stance.txt`, with its preposition (`point to`) if it has one.
fn evidence_verb<'w>(doc: &Document, words: &'w StanceWords, v: usize) -> Option<&'w Option<String>> {
    if doc.tokens[v].upos != "VERB" {
        return None;
    }
    let lemma = &doc.tokens[v].lemma;
    words
        .evidence
        .get(lemma)
        .or_else(|| words.evidence.get(&format!("{lemma}e")))
}

/// Words opening an embedded question, which states no content (`knows how many died`).
const QUESTION_WORDS: &[&str] = &[
    "how", "what", "why", "whether", "if", "who", "whom", "whose", "when", "where", "which",
];

/// Holders that deny the content rather than hold it.
const NO_ONE: &[&str] = &["nobody", "none", "noone", "nothing"];

/// Why a cue at `v` with holder `h` holds nothing: negated (`does not think`, `nobody knows`),
/// a question (`Does he think ...?`), a conditional (`if you want to ...`), or held by `you`.
fn guarded(doc: &Document, v: usize, h: usize) -> bool {
    let negated = doc
        .children_with(v, "advmod")
        .any(|a| matches!(doc.lower(a).as_str(), "not" | "n't" | "never"));
    let no_one = NO_ONE.contains(&doc.lower(h).as_str())
        || doc.children_with(h, "det").any(|d| doc.lower(d) == "no");
    let sentence = doc.tokens[v].sentence;
    let last = (v..doc.tokens.len())
        .take_while(|&t| doc.tokens[t].sentence == sentence)
        .last()
        .unwrap_or(v);
    let question = doc.word(last) == "?" && doc.tokens[last].head == Some(v);
    let conditional = doc.tokens[v].deprel.starts_with("advcl")
        && doc
            .children_with(v, "mark")
            .any(|m| matches!(doc.lower(m).as_str(), "if" | "unless" | "whether"));
    let you = doc.lower(h) == "you";
    negated || no_one || question || conditional || you
}

/// The holder of cue verb `v`: its subject, unless `v` is passive (`It is widely believed`, `the
/// bill is expected to pass`: nobody holds it) or a guard says it holds nothing.
fn holder(doc: &Document, v: usize) -> Option<usize> {
    let passive = doc.children_with(v, "nsubj:pass").next().is_some()
        || doc.children_with(v, "aux:pass").next().is_some();
    let h = subject(doc, v)?.head;
    (!passive && !guarded(doc, v, h)).then_some(h)
}

/// `Evidence` when `h` is a document, or `it`/`they` after a sentence whose subject is one
/// (`The report found ... It also found ...`), else `Belief`.
fn kind_of(doc: &Document, words: &StanceWords, h: usize) -> ClaimKind {
    if words.is_document(doc, h) || refers_to_document(doc, words, h) {
        ClaimKind::Evidence
    } else {
        ClaimKind::Belief
    }
}

/// True when `h` is `it` or `they` and the last main-clause subject before it, in its sentence or
/// the one before, is a document.
fn refers_to_document(doc: &Document, words: &StanceWords, h: usize) -> bool {
    if !matches!(doc.lower(h).as_str(), "it" | "they") {
        return false;
    }
    let sentence = doc.tokens[h].sentence;
    (0..h)
        .rev()
        .take_while(|&t| doc.tokens[t].sentence + 1 >= sentence)
        .find(|&t| {
            doc.tokens[t].deprel.starts_with("nsubj")
                && doc.tokens[t].head.is_some_and(|v| doc.tokens[v].deprel == "root")
        })
        .is_some_and(|t| words.is_document(doc, t))
}

/// True when clause `c` is an embedded question (`how many people died`).
fn is_question_clause(doc: &Document, c: usize) -> bool {
    let first = doc.subtree(c)[0];
    QUESTION_WORDS.contains(&doc.lower(first).as_str())
}

/// Rule 1. `X believes (that) ...`, `the report found that ...`, `polls show (that) ...`: a
/// cognition verb, or an evidence verb with a document subject, and its clausal complement
/// (from a noun object before it: `footage shows the officer kicking the man`).
pub fn complement(doc: &Document, lex: &Lexicon, v: usize) -> Option<Held> {
    let words = StanceWords::get();
    let cognition = is_cognition(doc, lex, words, v);
    if !cognition && evidence_verb(doc, words, v).is_none() {
        return None;
    }
    let c = doc.children_with(v, "ccomp").next()?;
    if is_question_clause(doc, c) {
        return None;
    }
    let h = holder(doc, v)?;
    let kind = kind_of(doc, words, h);
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
    Some(Held {
        kind,
        holder: h,
        cue: doc.tokens[v].span,
        content,
        nests: true,
    })
}

/// Rule 2. `Ukraine hopes to join ...`, `the bank expects inflation to fall ...`, `wants
/// Congress to approve ...`: a verb of `infinitive` with a `to` clause, and the object before it.
pub fn infinitive(doc: &Document, _lex: &Lexicon, v: usize) -> Option<Held> {
    let words = StanceWords::get();
    if doc.tokens[v].upos != "VERB" || !has_lemma(&words.infinitive, &doc.tokens[v].lemma) {
        return None;
    }
    let x = doc
        .children_with(v, "xcomp")
        .find(|&x| x > v && doc.children_with(x, "mark").any(|m| doc.lower(m) == "to"))?;
    let h = holder(doc, v)?;
    let first = doc.children[v]
        .iter()
        .copied()
        .find(|&o| o > v && o < x && matches!(doc.tokens[o].deprel.as_str(), "obj" | "iobj"))
        .unwrap_or(x);
    let first = doc.subtree(first)[0];
    let last = *doc.subtree(x).last()?;
    Some(Held {
        kind: kind_of(doc, words, h),
        holder: h,
        cue: doc.tokens[v].span,
        content: (first..=last).collect(),
        nests: true,
    })
}

/// Rule 3. `The prosecutor is certain that ...`, `Scientists are convinced ...`, `The family
/// remains sure that ...`: a cognition adjective (or participle) of `stance.txt` with a clause;
/// the cue keeps its copula or linking verb.
pub fn adjective(doc: &Document, _lex: &Lexicon, a: usize) -> Option<Held> {
    let words = StanceWords::get();
    if !matches!(doc.tokens[a].upos, "ADJ" | "VERB")
        || !words.adjectives.contains(&doc.lower(a))
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
            let cop = doc.children[a].iter().copied().find(|&k| {
                matches!(doc.tokens[k].deprel.as_str(), "cop" | "aux:pass") && k < a
            });
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
pub fn object(doc: &Document, _lex: &Lexicon, v: usize) -> Option<Held> {
    let words = StanceWords::get();
    if doc.tokens[v].upos != "VERB" || doc.children_with(v, "compound:prt").next().is_some() {
        return None;
    }
    let stance = has_lemma(&words.object, &doc.tokens[v].lemma);
    let evidence = evidence_verb(doc, words, v);
    if !stance && evidence.is_none() {
        return None;
    }
    let h = holder(doc, v)?;
    let kind = kind_of(doc, words, h);
    if !stance && kind != ClaimKind::Evidence {
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
        let x = doc
            .children_with(v, "xcomp")
            .find(|&x| x > v && doc.lower(x).ends_with("ing"))?;
        return Some(held(doc.tokens[v].span, doc.subtree(x)));
    }
    let prep = evidence.and_then(|p| p.as_deref())?;
    let (o, case) = doc.children_with(v, "obl").find_map(|o| {
        let case = doc.children_with(o, "case").find(|&c| doc.lower(c) == prep)?;
        (o > v).then_some((o, case))
    })?;
    let mut content = doc.subtree(o);
    content.retain(|&t| t != case);
    Some(held(doc.tokens[v].span.cover(doc.tokens[case].span), content))
}

/// Rule 5. `..., analysts believe.` / `..., a new poll shows.`: a cognition or evidence cue in
/// parataxis holds the clause it hangs from. A first-person or `you` filler (`, I think,`, `you
/// know`) holds nothing, and evidence needs a document.
pub fn reporting_clause(doc: &Document, lex: &Lexicon, v: usize) -> Option<Held> {
    let words = StanceWords::get();
    if doc.tokens[v].deprel != "parataxis" {
        return None;
    }
    let cognition = is_cognition(doc, lex, words, v);
    if !cognition && evidence_verb(doc, words, v).is_none() {
        return None;
    }
    let h = holder(doc, v)?;
    if matches!(doc.lower(h).as_str(), "i" | "we") {
        return None;
    }
    let kind = kind_of(doc, words, h);
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
    let focus = doc.children_with(h, "advmod").find(|&a| {
        doc.tokens[a].span.start == m.start
            && matches!(doc.lower(a).as_str(), "even" | "only" | "also" | "just")
    });
    match focus {
        Some(a) => {
            let next = (a + 1..=h).find(|&t| doc.tokens[t].upos != "PUNCT").unwrap_or(h);
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
    let words = StanceWords::get();
    for c in claims.iter_mut() {
        if !matches!(c.kind, ClaimKind::IndirectQuote | ClaimKind::MixedQuote) {
            continue;
        }
        let belief_cue = c.verb_head.is_some_and(|v| {
            doc.tokens[v].upos == "VERB" && has_lemma(&words.belief, &doc.tokens[v].lemma)
        });
        match c.who_head {
            Some(h) if words.is_document(doc, h) => c.kind = ClaimKind::Evidence,
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
