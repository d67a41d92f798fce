//! Stage 5, who did what: agent, action, object from the dependency parse.
//!
//! For every verb that is not a speech or cognition cue: `who` = its subject (inherited by
//! conjoined and participial clauses: `Zelensky criticized X and called on Trump`, `with
//! Russia rejecting ...`), or the `by` agent of a passive (`a process initiated by the U.S.`);
//! `verb` = the verb group as written (auxiliaries, negation, particles: `has rejected`,
//! `did not accept`, `called on`); `what` = the direct object, else the object of a particle,
//! else the object of a conjoined verb (`arrested and questioned X`), else a clausal
//! complement, else a prepositional object (`led to prisoner exchanges`); for a passive, the
//! passive subject. Copulas and linking verbs (`linking` in `attribution/rule_words.txt`) are
//! not actions.
//! Agentless passives and actions inside quoted or reported content are skipped unless asked
//! (runs after `attribution`, whose quotations and quote claims it reads, and before `resolve`,
//! which names the agents).

use crate::attribution::cue_of;
use crate::attribution::lexicon::{CueClass, Lexicon, WordClass};
use crate::attribution::speaker::{content_span, mention, subject};
use crate::document::{Claim, ClaimKind, Document};
use crate::function_words::{is, NEGATORS};
use crate::span::Span;
use crate::stage::{Layer, RuleOptions, Stage, StageError};

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
        // Content of quotes, beliefs and evidence found so far: actions there are the source's,
        // not the narrator's.
        let reported: Vec<Span> = doc
            .claims
            .iter()
            .filter(|c| c.kind.is_claim())
            .filter_map(|c| c.what)
            .collect();
        // The cue of a belief or evidence (`supports the plan`, `polls show ...`) is a stance or
        // a report, not an act; a speech act of a document (`the report describes X as Y`) is
        // still one, like a speaker's. A report of no content (`declined to comment`) is speech.
        let held: Vec<usize> = doc
            .claims
            .iter()
            .filter(|c| {
                matches!(c.kind, ClaimKind::Belief | ClaimKind::Evidence)
                    || (c.kind.is_quote() && c.what.is_none())
            })
            .filter_map(|c| c.verb_head)
            .filter(|&v| !matches!(cue_of(doc, self.lexicon, v), Some((CueClass::Act, _))))
            // A speech act (`criticized the plan`) is reported as one, not as an action.
            .chain(
                doc.claims
                    .iter()
                    .filter(|c| c.kind == ClaimKind::SpeechAct)
                    .filter_map(|c| c.verb_head),
            )
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
            if held.contains(&v) {
                continue;
            }
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

/// An action verb with what the rules read off it.
struct ActionVerb {
    token: usize,
    /// Its particle (`called on`), from the tree or from a phrasal cue.
    particle: Option<usize>,
    /// The `by` phrase of a passive (`initiated by the U.S.`).
    agent: Option<usize>,
}

/// Who and what an action rule found: head tokens, and the object's tokens.
struct Found {
    who_head: Option<usize>,
    what_head: Option<usize>,
    what_tokens: Option<Vec<usize>>,
}

/// An object rule: the head of an active verb's object, if it has one of that form.
type ObjectRule = fn(&Document, &ActionVerb) -> Option<usize>;

/// The object rules, in the order they are tried; the first that finds one gives `what`.
const OBJECT_RULES: &[ObjectRule] = &[
    direct_object,
    particle_object,
    shared_object,
    clausal_complement,
    verbal_complement,
    prepositional_object,
];

impl ActionFinder {
    fn action(&self, doc: &Document, v: usize) -> Option<Claim> {
        let t = &doc.tokens[v];
        if t.upos != "VERB" || self.lexicon.has(WordClass::Linking, &t.lemma) {
            return None;
        }
        let cue = cue_of(doc, self.lexicon, v);
        if matches!(cue, Some((CueClass::Speech | CueClass::Think, _))) {
            return None;
        }
        let verb = ActionVerb {
            token: v,
            particle: doc
                .children_with(v, "compound:prt")
                .next()
                .or(cue.and_then(|c| c.1)),
            agent: doc.children_with(v, "obl").find(|&o| {
                doc.tokens[o].deprel == "obl:agent"
                    || doc.children_with(o, "case").any(|c| doc.lower(c) == "by")
            }),
        };
        let found = if is_passive(doc, v) {
            let found = passive(doc, &verb);
            if found.who_head.is_none() && !self.rules.include_agentless {
                return None;
            }
            found
        } else {
            active(doc, &verb)?
        };
        let mut c = Claim {
            sentence: t.sentence,
            kind: ClaimKind::Action,
            who: found.who_head.map(|h| mention(doc, h)),
            entity: None,
            entity_type: None,
            verb: Some(verb_group(doc, v, verb.particle)),
            what: found
                .what_tokens
                .as_deref()
                .and_then(contiguous)
                .and_then(|w| content_span(doc, &w)),
            who_head: found.who_head,
            verb_head: Some(v),
            what_head: found.what_head,
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

/// A passive: a passive subject or auxiliary, or a reduced relative (`a process initiated`).
fn is_passive(doc: &Document, v: usize) -> bool {
    doc.children_with(v, "nsubj:pass").next().is_some()
        || doc.children_with(v, "aux:pass").next().is_some()
        || (doc.tokens[v].deprel == "acl"
            && doc.word(v).ends_with("ed")
            && doc.children_with(v, "nsubj").next().is_none())
}

/// A passive verb: the agent acts on the patient (the passive subject, or the noun a reduced
/// relative hangs from, without the relative clause itself).
fn passive(doc: &Document, verb: &ActionVerb) -> Found {
    let v = verb.token;
    let t = &doc.tokens[v];
    let patient = doc
        .children_with(v, "nsubj:pass")
        .next()
        .or_else(|| t.deprel.starts_with("acl").then_some(t.head).flatten());
    let what_tokens = patient.map(|p| {
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
    Found {
        who_head: verb.agent,
        what_head: patient,
        what_tokens,
    }
}

/// An active verb with a subject: the subject acts on the first object [`OBJECT_RULES`] find,
/// without the preposition or particle that belongs to the verb.
fn active(doc: &Document, verb: &ActionVerb) -> Option<Found> {
    let s = subject(doc, verb.token)?;
    let object = OBJECT_RULES.iter().find_map(|rule| rule(doc, verb));
    let what_tokens = object.map(|o| {
        let mut toks = doc.subtree(o);
        toks.retain(|&x| {
            !(doc.tokens[x].head == Some(o)
                && doc.tokens[x].deprel == "case"
                && x < o
                && Some(x) != verb.particle
                || Some(x) == verb.particle)
        });
        toks
    });
    Some(Found {
        who_head: Some(s.head),
        what_head: object,
        what_tokens,
    })
}

/// `arrested the student`.
fn direct_object(doc: &Document, verb: &ActionVerb) -> Option<usize> {
    doc.children_with(verb.token, "obj")
        .next()
        // `urged residents to leave`: the addressee, when the parser made it an indirect object
        .or_else(|| doc.children_with(verb.token, "iobj").next())
}

/// `called on Trump`: the noun the particle attaches to.
fn particle_object(doc: &Document, verb: &ActionVerb) -> Option<usize> {
    verb.particle
        .and_then(|p| doc.tokens[p].head)
        .filter(|&h| h != verb.token)
}

/// `arrested and questioned the student`: the object of a conjoined verb without its own
/// subject.
fn shared_object(doc: &Document, verb: &ActionVerb) -> Option<usize> {
    doc.children_with(verb.token, "conj")
        .find(|&k| doc.tokens[k].upos == "VERB" && doc.children_with(k, "nsubj").next().is_none())
        .and_then(|k| doc.children_with(k, "obj").next())
}

/// `decided that ...`: a clausal complement.
fn clausal_complement(doc: &Document, verb: &ActionVerb) -> Option<usize> {
    doc.children_with(verb.token, "ccomp").next()
}

/// `agreed to meet`: a verbal open complement.
fn verbal_complement(doc: &Document, verb: &ActionVerb) -> Option<usize> {
    doc.children_with(verb.token, "xcomp")
        .next()
        .filter(|&x| doc.tokens[x].upos == "VERB")
}

/// `led to prisoner exchanges`: a prepositional verb's object, within four words after it
/// (not the passive agent).
fn prepositional_object(doc: &Document, verb: &ActionVerb) -> Option<usize> {
    let v = verb.token;
    doc.children_with(v, "obl").find(|&o| {
        o > v
            && o <= v + 4
            && doc.children_with(o, "case").next().is_some()
            && Some(o) != verb.agent
    })
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
        let neg = is(NEGATORS, &doc.lower(c));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attribution::QuoteFinder;
    use crate::conllu::testing::{rows_of, Case};

    /// The rows of the actions stage, run after attribution as in the pipeline.
    fn actions(src: &str, rules: RuleOptions) -> Vec<String> {
        rows_of(&[&QuoteFinder::new()], &ActionFinder::new(rules), src)
    }

    /// The rows of the actions stage with the default options, for each case.
    fn check(cases: &[Case]) {
        let stage = ActionFinder::new(RuleOptions::default());
        crate::conllu::testing::check(&[&QuoteFinder::new()], &stage, cases);
    }

    const REPORTED: &str = "Lima said that police arrested the student.
         Lima PROPN 2 nsubj
         said VERB 0 root
         that SCONJ 5 mark
         police NOUN 5 nsubj
         arrested VERB 2 ccomp
         the DET 7 det
         student NOUN 5 obj
         . PUNCT 2 punct";

    const QUOTED: &str = "“Police arrested him,” Lima said.
         “ PUNCT 3 punct
         Police NOUN 3 nsubj
         arrested VERB 0 root
         him PRON 3 obj
         , PUNCT 3 punct
         ” PUNCT 3 punct
         Lima PROPN 8 nsubj
         said VERB 3 parataxis
         . PUNCT 3 punct";

    const AGENTLESS: &str = "The student was arrested.
         The DET 2 det
         student NOUN 4 nsubj:pass
         was AUX 4 aux:pass
         arrested VERB 0 root
         . PUNCT 4 punct";

    #[test]
    fn subject_verb_object() {
        check(&[(
            "a plain transitive verb",
            "Police arrested the student.
             Police NOUN 2 nsubj
             arrested VERB 0 root
             the DET 4 det
             student NOUN 2 obj
             . PUNCT 2 punct",
            &["action Police | arrested | the student | -"],
        )]);
    }

    /// Issue 24: `hopped` was lemmatized `hop`, then read as `hope` (a cognition cue) by the
    /// lexicon's `e` patch, and dropped.
    #[test]
    fn a_verb_like_a_cue_is_still_an_action() {
        check(&[(
            "hopped is not hoped",
            "The cat hopped the fence.
             The DET 2 det
             cat NOUN 3 nsubj
             hopped VERB 0 root
             the DET 5 det
             fence NOUN 3 obj
             . PUNCT 3 punct",
            &["action The cat | hopped | the fence | -"],
        )]);
    }

    #[test]
    fn linking_and_speech_verbs_are_not_actions() {
        check(&[
            (
                "a linking verb",
                "The plan remains unclear.
                 The DET 2 det
                 plan NOUN 3 nsubj
                 remains VERB 0 root
                 unclear ADJ 3 xcomp
                 . PUNCT 3 punct",
                &[],
            ),
            ("a speech cue, and the action it reports", REPORTED, &[]),
        ]);
    }

    #[test]
    fn actions_in_reported_content_only_when_asked() {
        let asked = RuleOptions {
            actions_in_quotes: true,
            ..RuleOptions::default()
        };
        assert_eq!(
            actions(REPORTED, asked.clone()),
            ["action police | arrested | the student | -"]
        );
        assert_eq!(
            actions(QUOTED, RuleOptions::default()),
            Vec::<String>::new()
        );
        assert_eq!(
            actions(QUOTED, asked),
            ["action Police | arrested | him | -"]
        );
    }

    #[test]
    fn cognition_complements_are_thoughts() {
        check(&[(
            "fear that ...",
            "Investors fear that the bank will fail.
             Investors NOUN 2 nsubj
             fear VERB 0 root
             that SCONJ 7 mark
             the DET 5 det
             bank NOUN 7 nsubj
             will AUX 7 aux
             fail VERB 2 ccomp
             . PUNCT 2 punct",
            &[],
        )]);
    }

    #[test]
    fn passive_with_agent() {
        check(&[(
            "the by-agent acts on the passive subject",
            "The process was initiated by the U.S.
             The DET 2 det
             process NOUN 4 nsubj:pass
             was AUX 4 aux:pass
             initiated VERB 0 root
             by ADP 7 case
             the DET 7 det
             U.S. PROPN 4 obl:agent",
            &["action the U.S. | was initiated | The process | -"],
        )]);
    }

    #[test]
    fn agentless_passive_only_when_asked() {
        assert_eq!(
            actions(AGENTLESS, RuleOptions::default()),
            Vec::<String>::new()
        );
        let asked = RuleOptions {
            include_agentless: true,
            ..RuleOptions::default()
        };
        assert_eq!(
            actions(AGENTLESS, asked),
            ["action - | was arrested | The student | -"]
        );
    }

    #[test]
    fn verb_group_keeps_auxiliaries_negation_and_particle() {
        check(&[
            (
                "auxiliary and negation",
                "The council did not accept the offer.
                 The DET 2 det
                 council NOUN 5 nsubj
                 did AUX 5 aux
                 not PART 5 advmod
                 accept VERB 0 root
                 the DET 7 det
                 offer NOUN 5 obj
                 . PUNCT 5 punct",
                &["action The council | did not accept | the offer | -"],
            ),
            (
                "an act cue is also an action; what it urges is reported",
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
                &["action Zelensky | called on | Trump | -"],
            ),
        ]);
    }

    #[test]
    fn objects_shared_and_prepositional() {
        check(&[
            (
                "conjoined verbs share the object and the subject",
                "Police arrested and questioned the student.
                 Police NOUN 2 nsubj
                 arrested VERB 0 root
                 and CCONJ 4 cc
                 questioned VERB 2 conj
                 the DET 6 det
                 student NOUN 4 obj
                 . PUNCT 2 punct",
                &[
                    "action Police | arrested | the student | -",
                    "action Police | questioned | the student | -",
                ],
            ),
            (
                "a prepositional verb's object without the preposition",
                "The talks led to prisoner exchanges.
                 The DET 2 det
                 talks NOUN 3 nsubj
                 led VERB 0 root
                 to ADP 6 case
                 prisoner NOUN 6 compound
                 exchanges NOUN 3 obl
                 . PUNCT 3 punct",
                &["action The talks | led | prisoner exchanges | -"],
            ),
        ]);
    }

    #[test]
    fn clausal_and_verbal_complements() {
        check(&[
            (
                "a clausal complement, and the action inside it",
                "The court ensured that the law stands.
                 The DET 2 det
                 court NOUN 3 nsubj
                 ensured VERB 0 root
                 that SCONJ 7 mark
                 the DET 6 det
                 law NOUN 7 nsubj
                 stands VERB 3 ccomp
                 . PUNCT 3 punct",
                &[
                    "action The court | ensured | the law stands | -",
                    "action the law | stands | - | -",
                ],
            ),
            (
                "a verbal complement",
                "The council voted to close the bridge.
                 The DET 2 det
                 council NOUN 3 nsubj
                 voted VERB 0 root
                 to PART 5 mark
                 close VERB 3 xcomp
                 the DET 7 det
                 bridge NOUN 5 obj
                 . PUNCT 3 punct",
                &[
                    "action The council | voted | to close the bridge | -",
                    "action The council | close | the bridge | -",
                ],
            ),
        ]);
    }

    #[test]
    fn offsets_hold_in_non_ascii_text() {
        check(&[(
            "names outside ASCII",
            "Zoë Ångström signed the Œuvre deal.
             Zoë PROPN 3 nsubj
             Ångström PROPN 1 flat
             signed VERB 0 root
             the DET 6 det
             Œuvre PROPN 6 compound
             deal NOUN 3 obj
             . PUNCT 3 punct",
            &["action Zoë Ångström | signed | the Œuvre deal | -"],
        )]);
    }
}
