//! Property tests over arbitrary Unicode text for every function that takes user text: no
//! panic, every span inside the text and on character boundaries, every row's offsets slicing
//! back to its fields. The generators are seeded with what breaks naive byte arithmetic:
//! combining marks, subscripts and superscripts, characters whose case mapping changes length
//! (`İ`, `ẞ`, ligatures), emoji sequences, right-to-left and zero-width characters, lone `\r`.
//!
//! The rule stages run model-free here: a deterministic pseudo-parse (tags, heads, relations,
//! entities drawn from the test's seed) stands in for the model, so attribution, actions and
//! resolution see arbitrary trees over arbitrary text.

use crate::document::{Document, Entity};
use crate::model::labels::{EntityType, UPOS};
use crate::model::lemma::lemmatize;
use crate::pipeline::Pipeline;
use crate::span::{CharIndex, Span};
use crate::stage::{RuleOptions, Stage};
use proptest::prelude::*;

/// Pieces that exercise the rules (cues, quotes, names, abbreviations) and the scripts and
/// code points that break byte arithmetic.
const PIECES: &[&str] = &[
    "said",
    "says",
    "told",
    "announced",
    "according",
    "to",
    "that",
    "He",
    "she",
    "they",
    "Umerov",
    "Rustem",
    "Mr.",
    "Dr.",
    "U.S.",
    "Jan.",
    "Minister",
    "the",
    "ministry",
    "stressed",
    "CO₂ed",
    "H₂O",
    "x²",
    "naïve",
    "e\u{301}",
    "İstanbul",
    "İ",
    "ẞ",
    "ﬁnal",
    "ǅ",
    "Σίσυφος",
    "👩\u{200d}👩\u{200d}👧",
    "🇺🇦",
    "👍🏽",
    "שלום",
    "مرحبا",
    "\u{200f}",
    "\u{200b}",
    "\u{feff}",
    "\u{2028}",
    "\u{a0}",
    "\"",
    "“",
    "”",
    "‘",
    "’",
    "'",
    "«",
    "»",
    "„",
    ",",
    ".",
    ":",
    ";",
    "—",
    "-",
    "?",
    "!",
    "(",
    ")",
    "[1]",
    "…",
    " ",
    "  ",
    "\n",
    "\n\n",
    "\r",
    "\r\n",
    "\t",
];

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => proptest::sample::select(PIECES).prop_map(String::from),
        1 => any::<char>().prop_map(String::from),
        // Suffix rules after any character, doubled as the consonant rule looks for.
        1 => (any::<char>(), proptest::sample::select(&["ed", "ing", "s", "ies", "es"][..]))
            .prop_map(|(c, s)| format!("{c}{c}{s}")),
    ]
}

/// A text of pieces joined by spaces or nothing.
fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec((piece(), any::<bool>()), 0..60).prop_map(|ps| {
        let mut s = String::new();
        for (p, space) in ps {
            s.push_str(&p);
            if space {
                s.push(' ');
            }
        }
        s
    })
}

fn assert_span(text: &str, s: Span, what: &str) {
    assert!(
        s.start <= s.end && s.end <= text.len(),
        "{what} {s:?} outside"
    );
    assert!(
        text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
        "{what} {s:?} not on char boundaries of {text:?}"
    );
}

/// A small deterministic generator, so a failing case reproduces from its seed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

const DEPRELS: &[&str] = &[
    "nsubj",
    "nsubj:pass",
    "obj",
    "ccomp",
    "xcomp",
    "parataxis",
    "advcl",
    "obl",
    "obl:agent",
    "case",
    "mark",
    "punct",
    "conj",
    "cc",
    "appos",
    "compound",
    "flat",
    "det",
    "amod",
    "acl:relcl",
    "aux",
    "aux:pass",
    "advmod",
    "root",
    "nmod",
    "nmod:poss",
    "cop",
    "dep",
];

/// Tags, a tree and entities for every sentence, drawn from `seed` (the model's place).
fn pseudo_parse(doc: &mut Document, seed: u64) {
    let mut r = Lcg(seed);
    for si in 0..doc.sentences.len() {
        let toks = doc.sentences[si].tokens.clone();
        if toks.is_empty() {
            continue;
        }
        let root = toks.start + r.next(toks.len());
        for i in toks.clone() {
            // Skewed towards what the rules look for: a verb at the root, nouns and names
            // around it, subjects before it and objects or clauses after it.
            let upos = match (i == root, r.next(3)) {
                (true, 0 | 1) => "VERB",
                (false, 0) => ["NOUN", "PROPN", "PRON"][r.next(3)],
                _ => UPOS[r.next(UPOS.len())],
            };
            let word = doc.word(i).to_string();
            let t = &mut doc.tokens[i];
            t.upos = upos;
            t.lemma = lemmatize(&word, upos);
            if i == root {
                t.head = None;
                t.deprel = "root".into();
            } else {
                // Heads towards the root keep it a tree: every chain ends there.
                t.head = Some(if i < root {
                    i + 1 + r.next(root - i)
                } else {
                    root + r.next(i - root)
                });
                t.deprel = match (i < root, r.next(3)) {
                    (true, 0) => "nsubj",
                    (false, 0) => ["obj", "ccomp", "obl:agent"][r.next(3)],
                    _ => DEPRELS[r.next(DEPRELS.len())],
                }
                .into();
            }
        }
        let mut i = toks.start;
        while i < toks.end {
            if r.next(4) == 0 {
                let end = (i + 1 + r.next(3)).min(toks.end);
                doc.entities.push(Entity {
                    span: doc.tokens[i].span.cover(doc.tokens[end - 1].span),
                    tokens: i..end,
                    ty: [EntityType::Per, EntityType::Org, EntityType::Loc][r.next(3)],
                });
                i = end;
            } else {
                i += 1;
            }
        }
    }
    doc.index_tree();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn text_stages_keep_spans_on_char_boundaries(text in text()) {
        for p in crate::segment::paragraphs(&text) {
            assert_span(&text, p.span, "paragraph");
        }
        let doc = Pipeline::text_only().process(text.clone()).unwrap();
        let mut last = 0;
        for s in &doc.sentences {
            assert_span(&text, s.span, "sentence");
            prop_assert!(s.span.start >= last, "sentences out of order");
            last = s.span.end;
            for t in &doc.tokens[s.tokens.clone()] {
                assert_span(&text, t.span, "token");
                prop_assert!(!t.span.is_empty());
                prop_assert!(s.span.contains(t.span), "token outside its sentence");
            }
        }
        for t in &doc.tokens {
            for upos in UPOS {
                let _ = lemmatize(doc.slice(t.span), upos);
            }
            let _ = crate::resolve::is_title(doc.slice(t.span));
            let _ = crate::segment::abbreviation_class(doc.slice(t.span));
        }
        let paras: Vec<Span> = doc.paragraphs.iter().map(|p| p.span).collect();
        for q in crate::attribution::marks::quotations(&text, &paras) {
            assert_span(&text, q.open, "quote mark");
            assert_span(&text, q.content, "quote content");
            if let Some(c) = q.close {
                assert_span(&text, c, "closing mark");
            }
        }
    }

    #[test]
    fn rule_stages_give_rows_whose_offsets_slice_back(text in text(), seed in any::<u64>(),
                                                       agentless in any::<bool>()) {
        let mut doc = Pipeline::text_only().process(text.clone()).unwrap();
        pseudo_parse(&mut doc, seed);
        let rules = RuleOptions { include_agentless: agentless, actions_in_quotes: agentless };
        crate::attribution::QuoteFinder::new(rules.clone()).process(&mut doc).unwrap();
        crate::actions::ActionFinder::new(rules).process(&mut doc).unwrap();
        crate::resolve::Resolver.process(&mut doc).unwrap();
        let chars: Vec<char> = text.chars().collect();
        for row in crate::output::rows("a.txt", &doc) {
            for (field, start, end) in [
                (&row.who, row.who_start, row.who_end),
                (&row.verb, row.verb_start, row.verb_end),
                (&row.what, row.what_start, row.what_end),
            ] {
                match (start, end) {
                    (Some(s), Some(e)) => {
                        prop_assert!(s <= e && e <= chars.len());
                        prop_assert_eq!(&chars[s..e].iter().collect::<String>(), field);
                    }
                    (None, None) => prop_assert!(field.is_empty()),
                    _ => prop_assert!(false, "half an offset pair in {:?}", row),
                }
            }
        }
    }

    #[test]
    fn char_offsets_count_scalar_values(text in text()) {
        let idx = CharIndex::new(&text);
        for (b, _) in text.char_indices() {
            let s = Span::new(b, text.len());
            prop_assert_eq!(idx.span(s).0, text[..b].chars().count());
        }
    }
}

/// The row property is only as good as the rows it sees: the pseudo-parse must make the rule
/// stages fire, quotes and actions both.
#[test]
fn pseudo_parses_make_the_rules_fire() {
    let text = "“We will win,” Umerov said. He told the U.S. that the talks had failed.\n\n\
                According to the ministry, the CO₂ed valley was closed by officials.";
    let (mut quotes, mut actions) = (0, 0);
    for seed in 0..300 {
        let mut doc = Pipeline::text_only().process(text.to_string()).unwrap();
        pseudo_parse(&mut doc, seed);
        let rules = RuleOptions::default();
        crate::attribution::QuoteFinder::new(rules.clone())
            .process(&mut doc)
            .unwrap();
        crate::actions::ActionFinder::new(rules)
            .process(&mut doc)
            .unwrap();
        for c in &doc.claims {
            if c.kind.is_quote() {
                quotes += 1;
            } else {
                actions += 1;
            }
        }
    }
    assert!(
        quotes > 50 && actions > 50,
        "{quotes} quotes, {actions} actions"
    );
}
