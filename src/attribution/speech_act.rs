//! Speech acts: the narrator's report of a communicative act whose content is a noun phrase, not
//! a clause (`the senator praised the deal`, `X blamed the weather for the delay`, `X called for
//! an inquiry`, `the plan was condemned by unions`). The verbs and their classes are data
//! (`speech_acts.txt`); decisions (`reject`, `accept`, `approve`, `sign`) are not listed: they
//! are deeds, and stay actions.
//!
//! `who` is the agent (the subject, inherited like a speaker's, or the `by` phrase of a passive),
//! `verb` the act as written (with its preposition: `called for`), `what` its object with a
//! `for`/`of`/`as` complement after it that carries the content (`criticized X as insufficient`,
//! `accused Y of fraud`). A verb already taken by a quote, belief or evidence keeps that claim,
//! except an indirect quote whose content is exactly the act's object and complement (what
//! `indirect::act_on_object` reads off `criticized X as Y`): that report becomes a speech act.

use super::marks::Quotation;
use super::new_claim;
use super::speaker::{content_span, mention, subject};
use crate::document::{Claim, ClaimKind, Document};
use crate::function_words::{self, CONTENT_MARKS, FIRST_PERSON_ANY_CASE, OBJECT_PRONOUNS};
use crate::model::labels::EntityType;
use crate::span::Span;
use crate::wordlist::{self, Line, ListError};
use std::collections::{HashMap, HashSet};

/// What kind of act a speech-act verb reports (the README lists them with examples).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActClass {
    /// Praise or blame: `criticized`, `praised`, `accused`, `defended`.
    Judgement,
    /// `called for`, `demanded`, `requested`.
    Request,
    /// `promised`, `pledged`, `vowed`.
    Commitment,
    /// `denied`, `refuted`.
    Denial,
    /// Questioning a claim: `questioned`, `disputed`.
    Challenge,
    /// `proposed`, `recommended`, `suggested`.
    Proposal,
    /// `apologized for`.
    Apology,
    /// `announced`, `confirmed`, `warned of`.
    Announcement,
}

impl ActClass {
    /// The class named in `speech_acts.txt`.
    pub fn parse(s: &str) -> Option<ActClass> {
        Some(match s {
            "judgement" => ActClass::Judgement,
            "request" => ActClass::Request,
            "commitment" => ActClass::Commitment,
            "denial" => ActClass::Denial,
            "challenge" => ActClass::Challenge,
            "proposal" => ActClass::Proposal,
            "apology" => ActClass::Apology,
            "announcement" => ActClass::Announcement,
            _ => return None,
        })
    }
}

/// A listed verb: its class, and whether a person as its object makes it a deed
/// (`questioned the figures` is a challenge, `questioned the suspect` an interrogation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Entry {
    class: ActClass,
    not_of_person: bool,
}

/// The speech-act verbs, by lemma, and by lemma and preposition, and the nouns that name people.
#[derive(Debug)]
pub struct SpeechActs {
    verbs: HashMap<String, Entry>,
    prepositional: HashMap<(String, String), Entry>,
    persons: HashSet<String>,
}

impl SpeechActs {
    /// Reads lists in the format of `speech_acts.txt` (`lemma [preposition] class [!person]`,
    /// `person noun`); the first bad line is the error, with its file and line.
    pub fn parse(files: &[(&'static str, &str)]) -> Result<SpeechActs, ListError> {
        let mut acts = SpeechActs {
            verbs: HashMap::new(),
            prepositional: HashMap::new(),
            persons: HashSet::new(),
        };
        for &(file, text) in files {
            for line in wordlist::lines(file, text) {
                acts.read(&line)?;
            }
        }
        Ok(acts)
    }

    fn read(&mut self, line: &Line) -> Result<(), ListError> {
        let mut f = line.fields();
        if let ["person", noun] = f[..] {
            self.persons.insert(noun.to_lowercase());
            return Ok(());
        }
        let not_of_person = f.last() == Some(&"!person");
        if not_of_person {
            f.pop();
        }
        let class = f
            .last()
            .and_then(|c| ActClass::parse(c))
            .ok_or_else(|| line.error("no known class"))?;
        let entry = Entry {
            class,
            not_of_person,
        };
        match f[..] {
            [lemma, _] => {
                self.verbs.insert(lemma.to_lowercase(), entry);
            }
            [lemma, preposition, _] => {
                self.prepositional
                    .insert((lemma.to_lowercase(), preposition.to_lowercase()), entry);
            }
            _ => return Err(line.error("not `lemma [preposition] class`")),
        }
        Ok(())
    }

    /// True when `lemma` is a listed verb, alone or with its preposition (the lemmatizer
    /// checks its guesses against these, as against the cue verbs).
    pub fn knows_verb(&self, lemma: &str) -> bool {
        self.verbs.contains_key(lemma) || self.prepositional.keys().any(|(v, _)| v == lemma)
    }

    /// The class of a verb lemma whose object is the content.
    pub fn verb(&self, lemma: &str) -> Option<ActClass> {
        self.entry(lemma).map(|e| e.class)
    }

    fn entry(&self, lemma: &str) -> Option<Entry> {
        self.verbs.get(lemma).copied()
    }

    /// The class of a verb whose content is the object of `preposition` (`call` + `for`).
    pub fn prepositional(&self, lemma: &str, preposition: &str) -> Option<ActClass> {
        self.prepositional
            .get(&(lemma.to_string(), preposition.to_lowercase()))
            .map(|e| e.class)
    }

    /// A person: a personal pronoun, a name tagged as a person, or a listed noun.
    fn is_person(&self, doc: &Document, h: usize) -> bool {
        function_words::is(OBJECT_PRONOUNS, &doc.lower(h))
            || doc.entity_at(h).is_some_and(|e| e.ty == EntityType::Per)
            || self.persons.contains(&doc.tokens[h].lemma.to_lowercase())
            || self.persons.contains(&doc.lower(h))
    }
}

/// A speech act found at one verb.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Act {
    pub class: ActClass,
    /// Head token of the agent.
    pub agent: usize,
    /// The verb, and its preposition for a prepositional act, as written.
    pub cue: Span,
    /// The content tokens, contiguous and sorted.
    pub content: Vec<usize>,
}

/// The speech act at verb `v`, if it is one: a listed verb with an agent and a noun-phrase
/// content (an object, or the object of its listed preposition).
pub fn at(doc: &Document, acts: &SpeechActs, v: usize) -> Option<Act> {
    let t = &doc.tokens[v];
    if t.upos != "VERB" {
        return None;
    }
    if let Some(act) = prepositional(doc, acts, v) {
        return Some(act);
    }
    let entry = acts.entry(&t.lemma)?;
    let passive = doc.children_with(v, "nsubj:pass").next();
    let (agent, object) = match passive {
        Some(patient) => (by_agent(doc, v)?, patient),
        None => (
            subject(doc, v)?.head,
            doc.children_with(v, "obj").find(|&o| o > v)?,
        ),
    };
    if first_person(doc, agent) || (entry.not_of_person && acts.is_person(doc, object)) {
        return None;
    }
    let mut content = doc.subtree(object);
    if let Some(x) = complement(doc, v, object) {
        content.extend(doc.subtree(x));
    }
    Some(Act {
        class: entry.class,
        agent,
        cue: t.span,
        content: contiguous(&content)?,
    })
}

/// `called for an inquiry`, `apologized for the remark`, `warned of a crisis`: the preposition
/// right after the verb (a particle, or the case of the noun it introduces), and that noun.
fn prepositional(doc: &Document, acts: &SpeechActs, v: usize) -> Option<Act> {
    let p = v + 1;
    if p >= doc.tokens.len() || doc.tokens[p].sentence != doc.tokens[v].sentence {
        return None;
    }
    let class = acts.prepositional(&doc.tokens[v].lemma, doc.word(p))?;
    let object = match doc.tokens[p].deprel.as_str() {
        "case" => doc.tokens[p].head.filter(|&h| h > p)?,
        "compound:prt" if doc.tokens[p].head == Some(v) => {
            doc.children_with(v, "obj").find(|&o| o > p)?
        }
        _ => return None,
    };
    let agent = subject(doc, v)?.head;
    if first_person(doc, agent) {
        return None;
    }
    let content: Vec<usize> = doc.subtree(object).into_iter().filter(|&t| t > p).collect();
    Some(Act {
        class,
        agent,
        cue: doc.tokens[v].span.cover(doc.tokens[p].span),
        content: contiguous(&content)?,
    })
}

/// `I thank you for ...`, `we condemn ...`: the writer's or speaker's own act, performed rather
/// than reported (and inside a speech, the speech's, not an attribution).
fn first_person(doc: &Document, agent: usize) -> bool {
    function_words::is(FIRST_PERSON_ANY_CASE, &doc.lower(agent))
}

/// The `by` phrase of a passive (`condemned by unions`).
fn by_agent(doc: &Document, v: usize) -> Option<usize> {
    doc.children_with(v, "obl")
        .find(|&o| {
            doc.tokens[o].deprel == "obl:agent"
                || doc.children_with(o, "case").any(|c| doc.lower(c) == "by")
        })
        .filter(|&o| o > v)
}

/// The content's complement after the object: a `for`/`of`/`as` phrase or clause
/// (`blamed the weather for the delay`, `accused Y of lying`, `criticized X as insufficient`).
fn complement(doc: &Document, v: usize, object: usize) -> Option<usize> {
    doc.children[v].iter().copied().find(|&x| {
        x > object
            && matches!(doc.tokens[x].deprel.as_str(), "obl" | "advcl" | "xcomp")
            && doc.children[x].iter().any(|&m| {
                m < x
                    && matches!(doc.tokens[m].deprel.as_str(), "case" | "mark")
                    && function_words::is(CONTENT_MARKS, &doc.lower(m))
            })
    })
}

/// Sorted tokens without gaps, or nothing when a gap splits them.
fn contiguous(tokens: &[usize]) -> Option<Vec<usize>> {
    let mut t = tokens.to_vec();
    t.sort_unstable();
    t.dedup();
    let (first, last) = (*t.first()?, *t.last()?);
    (last - first + 1 == t.len()).then_some(t)
}

/// Speech-act claims for the verbs outside quotations. Runs after the indirect and stance
/// rules: a verb they took keeps its claim, unless it is an indirect quote of exactly the act's
/// content, which becomes the speech act.
pub fn claims(doc: &Document, acts: &SpeechActs, quotes: &[Quotation], claims: &mut Vec<Claim>) {
    let outer = |q: &Quotation| q.open.cover(q.close.unwrap_or(q.content));
    for v in 0..doc.tokens.len() {
        let span = doc.tokens[v].span;
        if quotes.iter().any(|q| q.content.contains(span)) {
            continue;
        }
        let Some(act) = at(doc, acts, v) else {
            continue;
        };
        let Some(what) = content_span(doc, &act.content) else {
            continue;
        };
        // Quoted words in the content make it a quote's (mixed or direct), not a speech act.
        if quotes.iter().any(|q| outer(q).overlaps(what)) {
            continue;
        }
        if let Some(c) = claims.iter_mut().find(|c| c.verb_head == Some(v)) {
            if c.kind == ClaimKind::IndirectQuote && c.what == Some(what) {
                c.kind = ClaimKind::SpeechAct;
                c.verb = Some(act.cue);
            }
            continue;
        }
        let mut c = new_claim(doc, ClaimKind::SpeechAct, v);
        c.who = Some(mention(doc, act.agent));
        c.who_head = Some(act.agent);
        c.verb = Some(act.cue);
        c.what = Some(what);
        claims.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attribution::lexicon::Lexicon;
    use crate::conllu::testing::check_attribution_and_actions as check;

    #[test]
    fn the_list_parses_and_knows_its_classes() {
        let acts = Lexicon::get().speech_acts();
        assert_eq!(acts.verb("criticize"), Some(ActClass::Judgement));
        assert_eq!(acts.verb("deny"), Some(ActClass::Denial));
        assert_eq!(acts.verb("pledge"), Some(ActClass::Commitment));
        assert_eq!(acts.verb("applaud"), Some(ActClass::Judgement));
        assert_eq!(acts.prepositional("call", "For"), Some(ActClass::Request));
        assert_eq!(
            acts.prepositional("apologize", "for"),
            Some(ActClass::Apology)
        );
        // the lemmatizer knows the listed verbs, so no stem needs patching here
        for (word, lemma) in [
            ("pledged", "pledge"),
            ("applauded", "applaud"),
            ("apologized", "apologize"),
        ] {
            assert_eq!(
                crate::model::lemma::lemmatize(word, "VERB"),
                lemma,
                "{word}"
            );
        }
        // decisions are deeds
        for deed in ["reject", "accept", "approve", "sign"] {
            assert_eq!(acts.verb(deed), None, "{deed}");
        }
        let parse = |text| SpeechActs::parse(&[("test.txt", text)]);
        assert_eq!(parse("praise judgment").unwrap_err().line, 1);
        assert!(parse("praise").is_err());
        assert_eq!(
            parse("# list\npraise judgement\na b c judgement")
                .unwrap_err()
                .line,
            3
        );
        assert!(parse("question challenge !person").is_ok());
    }

    #[test]
    fn object_and_complement() {
        check(&[
            (
                "a judgement of a noun phrase, no action",
                "The senator praised the deal.
                 The DET 2 det
                 senator NOUN 3 nsubj
                 praised VERB 0 root
                 the DET 5 det
                 deal NOUN 3 obj
                 . PUNCT 3 punct",
                &["speech_act The senator | praised | the deal | -"],
            ),
            (
                "an as-complement carries the content",
                "He criticized the offers as insufficient.
                 He PRON 2 nsubj
                 criticized VERB 0 root
                 the DET 4 det
                 offers NOUN 2 obj
                 as ADP 6 case
                 insufficient ADJ 2 obl
                 . PUNCT 2 punct",
                &["speech_act He | criticized | the offers as insufficient | -"],
            ),
            (
                "a for-complement",
                "Lima blamed the weather for the delay.
                 Lima PROPN 2 nsubj
                 blamed VERB 0 root
                 the DET 4 det
                 weather NOUN 2 obj
                 for ADP 7 case
                 the DET 7 det
                 delay NOUN 2 obl
                 . PUNCT 2 punct",
                &["speech_act Lima | blamed | the weather for the delay | -"],
            ),
            (
                "an of-complement",
                "Lima accused Ortiz of fraud.
                 Lima PROPN 2 nsubj
                 accused VERB 0 root
                 Ortiz PROPN 2 obj
                 of ADP 5 case
                 fraud NOUN 2 obl
                 . PUNCT 2 punct",
                &["speech_act Lima | accused | Ortiz of fraud | -"],
            ),
            (
                "a time phrase is no complement",
                "Lima denied the allegations on Friday.
                 Lima PROPN 2 nsubj
                 denied VERB 0 root
                 the DET 4 det
                 allegations NOUN 2 obj
                 on ADP 6 case
                 Friday PROPN 2 obl
                 . PUNCT 2 punct",
                &["speech_act Lima | denied | the allegations | -"],
            ),
            (
                "a conjoined act inherits the subject",
                "Ortiz toured the site and defended the plan.
                 Ortiz PROPN 2 nsubj
                 toured VERB 0 root
                 the DET 4 det
                 site NOUN 2 obj
                 and CCONJ 6 cc
                 defended VERB 2 conj
                 the DET 8 det
                 plan NOUN 6 obj
                 . PUNCT 2 punct",
                &[
                    "speech_act Ortiz | defended | the plan | -",
                    "action Ortiz | toured | the site | -",
                ],
            ),
        ]);
    }

    #[test]
    fn prepositional_and_passive() {
        check(&[
            (
                "called for",
                "Unions called for an inquiry.
                 Unions NOUN 2 nsubj
                 called VERB 0 root
                 for ADP 5 case
                 an DET 5 det
                 inquiry NOUN 2 obl
                 . PUNCT 2 punct",
                &["speech_act Unions | called for | an inquiry | -"],
            ),
            (
                "apologized for",
                "The mayor apologized for the remark.
                 The DET 2 det
                 mayor NOUN 3 nsubj
                 apologized VERB 0 root
                 for ADP 6 case
                 the DET 6 det
                 remark NOUN 3 obl
                 . PUNCT 3 punct",
                &["speech_act The mayor | apologized for | the remark | -"],
            ),
            (
                "a passive with its agent",
                "The plan was condemned by unions.
                 The DET 2 det
                 plan NOUN 4 nsubj:pass
                 was AUX 4 aux:pass
                 condemned VERB 0 root
                 by ADP 6 case
                 unions NOUN 4 obl
                 . PUNCT 4 punct",
                &["speech_act unions | condemned | The plan | -"],
            ),
        ]);
    }

    #[test]
    fn deeds_and_other_forms_are_not_speech_acts() {
        check(&[
            (
                "a decision stays an action",
                "Russia rejected the proposal.
                 Russia PROPN 2 nsubj
                 rejected VERB 0 root
                 the DET 4 det
                 proposal NOUN 2 obj
                 . PUNCT 2 punct",
                &["action Russia | rejected | the proposal | -"],
            ),
            (
                "an agentless passive is none",
                "The plan was condemned.
                 The DET 2 det
                 plan NOUN 4 nsubj:pass
                 was AUX 4 aux:pass
                 condemned VERB 0 root
                 . PUNCT 4 punct",
                &[],
            ),
            (
                "a clause as content is an indirect quote",
                "Lima denied that he lied.
                 Lima PROPN 2 nsubj
                 denied VERB 0 root
                 that SCONJ 5 mark
                 he PRON 5 nsubj
                 lied VERB 2 ccomp
                 . PUNCT 2 punct",
                &["indirect_quote Lima | denied | he lied | -"],
            ),
            (
                "a quoted content is a quote's",
                "Lima called the plan \"reckless\".
                 Lima PROPN 2 nsubj
                 called VERB 0 root
                 the DET 4 det
                 plan NOUN 2 obj
                 \" PUNCT 6 punct
                 reckless ADJ 2 xcomp
                 \" PUNCT 6 punct
                 . PUNCT 2 punct",
                &[
                    "mixed_quote Lima | called | the plan \"reckless\" | -",
                    "action Lima | called | the plan | -",
                ],
            ),
            (
                "the speaker's own act is performed, not reported",
                "I thank you for your help.
                 I PRON 2 nsubj
                 thank VERB 0 root
                 you PRON 2 obj
                 for ADP 6 case
                 your PRON 6 nmod:poss
                 help NOUN 2 obl
                 . PUNCT 2 punct",
                &["action I | thank | you | -"],
            ),
            (
                "questioning a person is an interrogation",
                "Police questioned the suspect.
                 Police NOUN 2 nsubj
                 questioned VERB 0 root
                 the DET 4 det
                 suspect NOUN 2 obj
                 . PUNCT 2 punct",
                &["action Police | questioned | the suspect | -"],
            ),
            (
                "questioning a claim is a challenge",
                "Police questioned the figures.
                 Police NOUN 2 nsubj
                 questioned VERB 0 root
                 the DET 4 det
                 figures NOUN 2 obj
                 . PUNCT 2 punct",
                &["speech_act Police | questioned | the figures | -"],
            ),
        ]);
    }
}
