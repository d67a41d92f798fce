//! `Document`: one article and everything the stages found in it. Stages fill it in order:
//! segment (paragraphs, sentences), tokenize (tokens), model (tags, entities, tree),
//! attribution + actions + resolve (claims). All spans are byte offsets into `text`.

use crate::model::labels::EntityType;
use crate::span::Span;
use std::ops::Range;

/// A paragraph (blank-line separated); a headline line is a paragraph of its own
/// (`segment::paragraphs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paragraph {
    /// Trimmed of surrounding whitespace, never empty.
    pub span: Span,
    /// A headline, title or heading line (one line, no sentence-final punctuation).
    pub headline: bool,
}

/// A sentence (`segment::sentences`) and the range of its tokens in `Document::tokens`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sentence {
    /// Trimmed of surrounding whitespace, never empty.
    pub span: Span,
    /// Index of its paragraph in `Document::paragraphs`.
    pub paragraph: usize,
    /// Empty until tokenization.
    pub tokens: Range<usize>,
}

/// A word with the model's analysis. `head` is a document-level token index.
#[derive(Clone, Debug)]
pub struct Token {
    pub span: Span,
    pub sentence: usize,
    pub upos: &'static str,
    pub lemma: String,
    /// `None` for the root of its sentence.
    pub head: Option<usize>,
    pub deprel: String,
}

/// A named entity found by the NER head.
#[derive(Clone, Debug)]
pub struct Entity {
    pub span: Span,
    pub tokens: Range<usize>,
    pub ty: EntityType,
}

/// What a CSV row says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ClaimKind {
    DirectQuote,
    IndirectQuote,
    MixedQuote,
    /// Cognition or stance (`X believes/hopes/fears that ...`): the source holds the content.
    Belief,
    /// A document, poll, study or record as source (`polls show ...`, `the report found ...`).
    Evidence,
    /// A report of a communicative act whose content is a noun phrase (`X criticized the plan`,
    /// `X called for an inquiry`): the narrator's report of a speech act.
    SpeechAct,
    Action,
}

impl ClaimKind {
    /// Every kind, in CSV contract order.
    pub const ALL: [ClaimKind; 7] = [
        ClaimKind::DirectQuote,
        ClaimKind::IndirectQuote,
        ClaimKind::MixedQuote,
        ClaimKind::Belief,
        ClaimKind::Evidence,
        ClaimKind::SpeechAct,
        ClaimKind::Action,
    ];

    /// The name written in the `kind` column.
    pub fn as_str(&self) -> &'static str {
        match self {
            ClaimKind::DirectQuote => "direct_quote",
            ClaimKind::IndirectQuote => "indirect_quote",
            ClaimKind::MixedQuote => "mixed_quote",
            ClaimKind::Belief => "belief",
            ClaimKind::Evidence => "evidence",
            ClaimKind::SpeechAct => "speech_act",
            ClaimKind::Action => "action",
        }
    }

    /// The kind named by a `kind` column value; `None` for anything else.
    pub fn parse(s: &str) -> Option<ClaimKind> {
        ClaimKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Reported speech: direct, indirect and mixed quotes (not beliefs or evidence).
    pub fn is_quote(&self) -> bool {
        matches!(
            self,
            ClaimKind::DirectQuote | ClaimKind::IndirectQuote | ClaimKind::MixedQuote
        )
    }

    /// Any attributed content (speech, belief, evidence, speech act): every kind but `action`.
    pub fn is_claim(&self) -> bool {
        *self != ClaimKind::Action
    }
}

/// One attributed claim or action: a CSV row before offsets become characters.
#[derive(Clone, Debug, PartialEq)]
pub struct Claim {
    pub sentence: usize,
    pub kind: ClaimKind,
    /// The speaker or agent mention as written.
    pub who: Option<Span>,
    /// Canonical name after resolution.
    pub entity: Option<String>,
    pub entity_type: Option<EntityType>,
    /// Cue or action words as written (may cover a few words: `has rejected`, `according to`).
    pub verb: Option<Span>,
    /// Quote content or action object.
    pub what: Option<Span>,
    /// Head token of the `who` mention, for resolution.
    pub who_head: Option<usize>,
    /// Head tokens of the verb and the object, for evaluation against gold trees.
    pub verb_head: Option<usize>,
    pub what_head: Option<usize>,
}

impl Claim {
    /// Position used to order rows in text order.
    pub fn anchor(&self) -> usize {
        [self.what, self.verb, self.who]
            .iter()
            .flatten()
            .map(|s| s.start)
            .min()
            .unwrap_or(0)
    }
}

/// An article and its analyses.
#[derive(Clone, Debug, Default)]
pub struct Document {
    pub text: String,
    pub paragraphs: Vec<Paragraph>,
    pub sentences: Vec<Sentence>,
    pub tokens: Vec<Token>,
    pub entities: Vec<Entity>,
    /// Dependents of each token, in text order (filled with the tree).
    pub children: Vec<Vec<usize>>,
    /// Content spans of the quotations in the text (filled by attribution, read by actions).
    pub quoted: Vec<Span>,
    pub claims: Vec<Claim>,
}

impl Document {
    pub fn new(text: String) -> Document {
        Document {
            text,
            ..Default::default()
        }
    }

    pub fn slice(&self, span: Span) -> &str {
        span.slice(&self.text)
    }

    /// The text of token `i`.
    pub fn word(&self, i: usize) -> &str {
        self.tokens[i].span.slice(&self.text)
    }

    /// Lowercased text of token `i`.
    pub fn lower(&self, i: usize) -> String {
        self.word(i).to_lowercase()
    }

    /// Recomputes `children` from the tokens' heads.
    pub fn index_tree(&mut self) {
        self.children = vec![Vec::new(); self.tokens.len()];
        for (i, t) in self.tokens.iter().enumerate() {
            if let Some(h) = t.head {
                self.children[h].push(i);
            }
        }
    }

    /// Token indices of the subtree rooted at `i` (including `i`), sorted.
    pub fn subtree(&self, i: usize) -> Vec<usize> {
        let mut out = vec![i];
        let mut k = 0;
        while k < out.len() {
            out.extend(self.children[out[k]].iter().copied());
            k += 1;
        }
        out.sort_unstable();
        out
    }

    /// Tokens reachable from `h` through the children `follow(parent, child)` accepts, sorted.
    pub fn subtree_where(&self, h: usize, follow: impl Fn(usize, usize) -> bool) -> Vec<usize> {
        let mut keep = vec![h];
        let mut k = 0;
        while k < keep.len() {
            let t = keep[k];
            keep.extend(self.children[t].iter().copied().filter(|&c| follow(t, c)));
            k += 1;
        }
        keep.sort_unstable();
        keep
    }

    /// Span from the first to the last of `tokens` (which must not be empty).
    pub fn cover(&self, tokens: &[usize]) -> Span {
        let first = tokens.iter().min().copied().unwrap_or(0);
        let last = tokens.iter().max().copied().unwrap_or(0);
        self.tokens[first].span.cover(self.tokens[last].span)
    }

    /// Children of `i` with relation `rel` (exact, or its subtypes when `rel` has no colon).
    pub fn children_with<'a>(&'a self, i: usize, rel: &'a str) -> impl Iterator<Item = usize> + 'a {
        self.children[i].iter().copied().filter(move |&c| {
            let r = self.tokens[c].deprel.as_str();
            r == rel || (r.starts_with(rel) && r.as_bytes().get(rel.len()) == Some(&b':'))
        })
    }

    /// The entity whose tokens include `i`.
    pub fn entity_at(&self, i: usize) -> Option<&Entity> {
        self.entities.iter().find(|e| e.tokens.contains(&i))
    }

    /// The sentence containing byte offset `pos`.
    pub fn sentence_at(&self, pos: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.span.end <= pos);
        (i < self.sentences.len() && self.sentences[i].span.start <= pos).then_some(i)
    }
}

/// The run of consecutive indices of sorted `set` that contains `anchor` (all of `set` when
/// `anchor` is not in it).
pub fn run_around(set: &[usize], anchor: usize) -> &[usize] {
    let Ok(pos) = set.binary_search(&anchor) else {
        return set;
    };
    let (mut l, mut r) = (pos, pos);
    while l > 0 && set[l - 1] + 1 == set[l] {
        l -= 1;
    }
    while r + 1 < set.len() && set[r + 1] == set[r] + 1 {
        r += 1;
    }
    &set[l..=r]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claim_kind_names_round_trip() {
        let names: Vec<&str> = ClaimKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(
            names,
            [
                "direct_quote",
                "indirect_quote",
                "mixed_quote",
                "belief",
                "evidence",
                "speech_act",
                "action"
            ]
        );
        for k in ClaimKind::ALL {
            assert_eq!(ClaimKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(ClaimKind::parse("beliefs"), None);
        assert_eq!(ClaimKind::parse("Belief"), None);
        assert_eq!(ClaimKind::parse(""), None);
    }

    #[test]
    fn quotes_are_speech_and_claims_are_all_but_actions() {
        let quotes: Vec<ClaimKind> = ClaimKind::ALL
            .into_iter()
            .filter(|k| k.is_quote())
            .collect();
        assert_eq!(
            quotes,
            [
                ClaimKind::DirectQuote,
                ClaimKind::IndirectQuote,
                ClaimKind::MixedQuote
            ]
        );
        let claims: Vec<ClaimKind> = ClaimKind::ALL
            .into_iter()
            .filter(|k| k.is_claim())
            .collect();
        assert_eq!(claims.len(), 6);
        assert!(claims.contains(&ClaimKind::SpeechAct));
        assert!(!claims.contains(&ClaimKind::Action));
    }
}
