//! Stage 6, who did what: agent, action, object from the dependency parse.
//!
//! For every verb that is not a speech or cognition cue: `who` = its subject (inherited by
//! conjoined and participial clauses: `Zelensky criticized X and called on Trump`, `with
//! Russia rejecting ...`), or the `by` agent of a passive (`a process initiated by the U.S.`);
//! `verb` = the verb group as written (auxiliaries, negation, particles: `has rejected`,
//! `did not accept`, `called on`); `what` = the direct object, else the object of a particle
//! or preposition verb, else a clausal complement. Copulas and linking verbs are not actions.
//! Agentless passives and actions inside quoted or reported content are skipped unless asked
//! (runs after `attribution`, whose quotations and quote claims it reads).

use crate::attribution::cue_of;
use crate::attribution::lexicon::{CueClass, Lexicon};
use crate::attribution::speaker::{content_span, mention, subject};
use crate::document::{Claim, ClaimKind, Document};
use crate::span::Span;
use crate::stage::{Layer, RuleOptions, Stage, StageError};

/// Verbs that link a subject to a description rather than act (`remains unresolved`).
const LINKING: &[&str] = &[
    "be", "remain", "seem", "appear", "become", "look", "sound", "stay", "get",
];

/// The actions stage.
pub struct ActionFinder {
    rules: RuleOptions,
    lexicon: &'static Lexicon,
}

impl ActionFinder {
    pub fn new(rules: RuleOptions) -> ActionFinder {
        ActionFinder {
            rules,
            lexicon: Lexicon::get(),
        }
    }
}

impl Stage for ActionFinder {
    fn name(&self) -> &'static str {
        "actions"
    }
    fn requires(&self) -> &'static [Layer] {
        &[Layer::Syntax, Layer::Quotes]
    }
    fn provides(&self) -> &'static [Layer] {
        &[Layer::Actions]
    }

    fn process(&self, doc: &mut Document) -> Result<(), StageError> {
        // Content of quotes found so far: actions there are the speaker's, not the narrator's.
        let reported: Vec<Span> = doc
            .claims
            .iter()
            .filter(|c| c.kind.is_quote())
            .filter_map(|c| c.what)
            .collect();
        // Complements of cognition verbs (`Investors fear that the bank will fail`) are
        // thoughts, not narrated events.
        let thought: Vec<Span> = (0..doc.tokens.len())
            .filter(|&v| matches!(cue_of(doc, self.lexicon, v), Some((CueClass::Think, _))))
            .flat_map(|v| doc.children_with(v, "ccomp").collect::<Vec<_>>())
            .map(|c| doc.cover(&doc.subtree(c)))
            .collect();
        let mut out = Vec::new();
        for v in 0..doc.tokens.len() {
            if let Some(c) = self.action(doc, v) {
                let span = doc.tokens[v].span;
                let in_reported = reported
                    .iter()
                    .chain(&doc.quoted)
                    .chain(&thought)
                    .any(|r| r.contains(span));
                if in_reported && !self.rules.actions_in_quotes {
                    continue;
                }
                out.push(c);
            }
        }
        doc.claims.extend(out);
        Ok(())
    }
}

impl ActionFinder {
    fn action(&self, doc: &Document, v: usize) -> Option<Claim> {
        let t = &doc.tokens[v];
        if t.upos != "VERB" || LINKING.contains(&t.lemma.as_str()) {
            return None;
        }
        let cue = cue_of(doc, self.lexicon, v);
        if matches!(cue, Some((CueClass::Speech | CueClass::Think, _))) {
            return None;
        }
        let particle = doc
            .children_with(v, "compound:prt")
            .next()
            .or(cue.and_then(|c| c.1));
        let passive = doc.children_with(v, "nsubj:pass").next().is_some()
            || doc.children_with(v, "aux:pass").next().is_some()
            || (t.deprel == "acl"
                && doc.word(v).ends_with("ed")
                && doc.children_with(v, "nsubj").next().is_none());
        let agent = doc.children_with(v, "obl").find(|&o| {
            doc.tokens[o].deprel == "obl:agent"
                || doc.children_with(o, "case").any(|c| doc.lower(c) == "by")
        });
        let what_head;
        let (who_head, antecedent, what_tokens) = if passive {
            let patient = doc
                .children_with(v, "nsubj:pass")
                .next()
                .or_else(|| t.deprel.starts_with("acl").then_some(t.head).flatten());
            what_head = patient;
            let what = patient.map(|p| {
                // a reduced relative (`a process initiated by X`) hangs inside its patient
                let skip = if t.head == Some(p) {
                    doc.subtree(v)
                } else {
                    Vec::new()
                };
                doc.subtree(p)
                    .into_iter()
                    .filter(|x| skip.binary_search(x).is_err())
                    .collect::<Vec<_>>()
            });
            match agent {
                Some(a) => (Some(a), None, what),
                None if self.rules.include_agentless => (None, None, what),
                None => return None,
            }
        } else {
            let s = subject(doc, v)?;
            let object = doc
                .children_with(v, "obj")
                .next()
                .or_else(|| {
                    particle
                        .and_then(|p| doc.tokens[p].head)
                        .filter(|&h| h != v)
                })
                .or_else(|| {
                    // `arrested and questioned the student`: a shared object
                    doc.children_with(v, "conj")
                        .find(|&k| {
                            doc.tokens[k].upos == "VERB"
                                && doc.children_with(k, "nsubj").next().is_none()
                        })
                        .and_then(|k| doc.children_with(k, "obj").next())
                })
                .or_else(|| doc.children_with(v, "ccomp").next())
                .or_else(|| {
                    doc.children_with(v, "xcomp")
                        .next()
                        .filter(|&x| doc.tokens[x].upos == "VERB")
                })
                .or_else(|| {
                    // a prepositional verb's object: `led to prisoner exchanges`
                    doc.children_with(v, "obl").find(|&o| {
                        o > v
                            && o <= v + 4
                            && doc.children_with(o, "case").next().is_some()
                            && Some(o) != agent
                    })
                });
            what_head = object;
            let what = object.map(|o| {
                let mut toks = doc.subtree(o);
                // the preposition belongs to the verb, not to the object
                toks.retain(|&x| {
                    !(doc.tokens[x].head == Some(o)
                        && doc.tokens[x].deprel == "case"
                        && x < o
                        && Some(x) != particle
                        || Some(x) == particle)
                });
                toks
            });
            (Some(s.head), s.antecedent, what)
        };
        let mut c = Claim {
            sentence: t.sentence,
            kind: ClaimKind::Action,
            who: who_head.map(|h| mention(doc, h)),
            entity: None,
            entity_type: None,
            verb: Some(verb_group(doc, v, particle)),
            what: what_tokens
                .as_deref()
                .and_then(contiguous)
                .and_then(|w| content_span(doc, &w)),
            who_head,
            antecedent,
            verb_head: Some(v),
            what_head,
        };
        if c.who.is_none() && c.what.is_none() {
            return None;
        }
        if c.who == c.what {
            c.what = None;
        }
        Some(c)
    }
}

/// The longest run of consecutive tokens starting at the first one.
fn contiguous(tokens: &[usize]) -> Option<Vec<usize>> {
    let first = *tokens.first()?;
    let mut out = vec![first];
    for &t in &tokens[1..] {
        if t == *out.last().unwrap() + 1 {
            out.push(t);
        } else {
            break;
        }
    }
    Some(out)
}

/// Auxiliaries, negation, the verb and its particle, as one span of the text.
fn verb_group(doc: &Document, v: usize, particle: Option<usize>) -> Span {
    let mut first = v;
    for &c in &doc.children[v] {
        let rel = doc.tokens[c].deprel.as_str();
        let neg = matches!(doc.lower(c).as_str(), "not" | "n't" | "never" | "n’t");
        if c < v && (rel.starts_with("aux") || neg) && v - c <= 4 {
            first = first.min(c);
        }
    }
    let mut span = doc.tokens[first].span.cover(doc.tokens[v].span);
    if let Some(p) = particle {
        if p > v && p <= v + 1 {
            span = span.cover(doc.tokens[p].span);
        }
    }
    span
}
