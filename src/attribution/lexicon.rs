//! The one lexicon of the rule stages: every open-class word a rule looks up, read from the data
//! files beside this one, and looked up by class ([`Lexicon::verb`] for cue verbs,
//! [`Lexicon::has`] with a [`WordClass`] for the other lists).
//!
//! - `cues.txt`: speech, act and cognition cue verbs, phrasal cues, claim nouns, cue phrases;
//! - `stance.txt`: the words of the belief and evidence rules;
//! - `documents.txt`: document-like nouns (a source that makes a claim `evidence`);
//! - `rule_words.txt`: the other words the quote and action rules test for.
//!
//! Closed-class words (pronouns, negators, question words) are in [`crate::function_words`].
//! Every line of these files is read or rejected with its file and line ([`ListError`]).

use super::speech_act::SpeechActs;
use crate::document::Document;
use crate::wordlist::{self, Line, ListError};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// What a cue verb does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CueClass {
    /// Introduces reported speech only.
    Speech,
    /// A speech act that also acts on its object (`criticize`, `call on`): quote and action.
    Act,
    /// Cognition (`think`): not reported speech here.
    Think,
}

impl CueClass {
    fn from_tag(tag: &str) -> Option<CueClass> {
        match tag {
            "speech" => Some(CueClass::Speech),
            "act" => Some(CueClass::Act),
            "think" => Some(CueClass::Think),
            _ => None,
        }
    }
}

/// A list of words a rule tests for, by its tag in `stance.txt` or `rule_words.txt` (the
/// comments at the top of those files say what each holds).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WordClass {
    /// `cognition`: cognition verbs missing from the `think` cues (`notice`, `suppose`).
    Cognition,
    /// `adjective`: cognition adjectives with a clause (`certain`, `worried`).
    StanceAdjective,
    /// `object`: verbs whose object is the content held (`support`, `want`).
    StanceObject,
    /// `infinitive`: verbs whose `to` clause is held (`hope`, `expect`).
    Infinitive,
    /// `object-infinitive`: verbs whose object and `to` clause are held (`want X to`).
    ObjectInfinitive,
    /// `belief`: speech cues that report a held belief (`acknowledge`).
    Belief,
    /// `that-only`: `think` cues that hold a clause only with `that` (`see`).
    ThatOnly,
    /// `documents.txt`: document-like nouns (`report`, `poll`).
    Document,
    /// `said-in`: nouns that carry what was said (`issued a statement saying ...`).
    SaidIn,
    /// `says-its-complement`: verbs whose infinitive or gerund is what was said (`vowed to`).
    SaysItsComplement,
    /// `time`: days and relative times that date a cue (`said Wednesday it would ...`).
    Time,
    /// `not-source`: labels before a headline's colon that are no source (`Update:`).
    NotSource,
    /// `refuse`: verbs of `declined to comment`.
    Refuse,
    /// `no-comment`: what is declined in `declined to comment` (`comment`, `speak`).
    NoComment,
    /// `naming`: verbs that name their object (`called the bill "a gift"`).
    Naming,
    /// `linking`: verbs that link a subject to a description, not actions (`remain`).
    Linking,
}

impl WordClass {
    /// The classes whose words are verb lemmas (the lemmatizer knows them).
    const VERBS: [WordClass; 11] = [
        WordClass::Cognition,
        WordClass::StanceObject,
        WordClass::Infinitive,
        WordClass::ObjectInfinitive,
        WordClass::Belief,
        WordClass::ThatOnly,
        WordClass::SaysItsComplement,
        WordClass::Refuse,
        WordClass::NoComment,
        WordClass::Naming,
        WordClass::Linking,
    ];

    fn from_tag(tag: &str) -> Option<WordClass> {
        Some(match tag {
            "cognition" => WordClass::Cognition,
            "adjective" => WordClass::StanceAdjective,
            "object" => WordClass::StanceObject,
            "infinitive" => WordClass::Infinitive,
            "object-infinitive" => WordClass::ObjectInfinitive,
            "belief" => WordClass::Belief,
            "that-only" => WordClass::ThatOnly,
            "said-in" => WordClass::SaidIn,
            "says-its-complement" => WordClass::SaysItsComplement,
            "time" => WordClass::Time,
            "not-source" => WordClass::NotSource,
            "refuse" => WordClass::Refuse,
            "no-comment" => WordClass::NoComment,
            "naming" => WordClass::Naming,
            "linking" => WordClass::Linking,
            _ => return None,
        })
    }
}

/// The parsed lexicon.
pub struct Lexicon {
    verbs: HashMap<String, CueClass>,
    phrasal: HashMap<(String, String), CueClass>,
    nouns: HashSet<String>,
    phrases: Vec<Vec<String>>,
    /// Evidence verbs, with the preposition that belongs to the cue (`point to`).
    evidence: HashMap<String, Option<String>>,
    words: HashMap<WordClass, HashSet<String>>,
    /// Speech-act verbs and their classes (`speech_acts.txt`).
    speech_acts: SpeechActs,
}

impl Lexicon {
    /// The built-in lexicon.
    pub fn get() -> &'static Lexicon {
        static L: OnceLock<Lexicon> = OnceLock::new();
        L.get_or_init(|| wordlist::built_in(Lexicon::built_in()))
    }

    /// Parses the built-in data files.
    pub fn built_in() -> Result<Lexicon, ListError> {
        Lexicon::parse(&[
            ("cues.txt", include_str!("cues.txt")),
            ("stance.txt", include_str!("stance.txt")),
            ("rule_words.txt", include_str!("rule_words.txt")),
        ])
        .and_then(|mut lex| {
            for w in wordlist::words("documents.txt", include_str!("documents.txt"))? {
                lex.add(WordClass::Document, w);
            }
            lex.speech_acts =
                SpeechActs::parse(&[("speech_acts.txt", include_str!("speech_acts.txt"))])?;
            Ok(lex)
        })
    }

    /// A lexicon from `(file name, text)` lists of tagged lines (`verb say speech`,
    /// `time monday`); an unknown tag or a line of the wrong shape is an error.
    pub fn parse(files: &[(&'static str, &str)]) -> Result<Lexicon, ListError> {
        let mut lex = Lexicon {
            verbs: HashMap::new(),
            phrasal: HashMap::new(),
            nouns: HashSet::new(),
            phrases: Vec::new(),
            evidence: HashMap::new(),
            words: HashMap::new(),
            speech_acts: SpeechActs::parse(&[])?,
        };
        for &(file, text) in files {
            for line in wordlist::lines(file, text) {
                lex.read(&line)?;
            }
        }
        Ok(lex)
    }

    fn read(&mut self, line: &Line) -> Result<(), ListError> {
        let f = line.fields();
        let lower = |s: &str| s.to_lowercase();
        let class = |s: &str| CueClass::from_tag(s).ok_or_else(|| line.error("unknown cue class"));
        match (f[0], &f[1..]) {
            ("verb", [lemma, c]) => {
                let c = class(c)?;
                self.verbs.entry(lower(lemma)).or_insert(c);
            }
            ("verb", [lemma, particle, c]) => {
                let c = class(c)?;
                self.phrasal.insert((lower(lemma), lower(particle)), c);
            }
            ("noun", [lemma]) => {
                self.nouns.insert(lower(lemma));
            }
            ("phrase", words) if words.len() >= 2 => {
                self.phrases.push(words.iter().map(|w| lower(w)).collect())
            }
            ("evidence", [lemma]) => {
                self.evidence.insert(lower(lemma), None);
            }
            ("evidence", [lemma, prep]) => {
                self.evidence.insert(lower(lemma), Some(lower(prep)));
            }
            (tag, [word]) => {
                let class = WordClass::from_tag(tag).ok_or_else(|| line.error("unknown tag"))?;
                self.add(class, &lower(word));
            }
            _ => return Err(line.error("unknown tag or wrong number of fields")),
        }
        Ok(())
    }

    fn add(&mut self, class: WordClass, word: &str) {
        self.words
            .entry(class)
            .or_default()
            .insert(word.to_lowercase());
    }

    /// Class of a verb lemma, if it is a cue.
    pub fn verb(&self, lemma: &str) -> Option<CueClass> {
        self.verbs.get(lemma).copied()
    }

    /// Class of a phrasal cue (`call` + `on`).
    pub fn phrasal(&self, lemma: &str, particle: &str) -> Option<CueClass> {
        self.phrasal
            .get(&(lemma.to_string(), particle.to_lowercase()))
            .copied()
    }

    pub fn is_claim_noun(&self, lemma: &str) -> bool {
        self.nouns.contains(lemma)
    }

    /// Non-verbal cue phrases before their source, lowercased words (`according to`).
    pub fn phrases(&self) -> &[Vec<String>] {
        &self.phrases
    }

    /// True when lowercase `word` (a lemma for verbs and nouns) is in list `class`.
    pub fn has(&self, class: WordClass, word: &str) -> bool {
        self.words.get(&class).is_some_and(|w| w.contains(word))
    }

    /// An evidence verb of `stance.txt`, with its preposition (`point to`) if it has one.
    pub fn evidence(&self, lemma: &str) -> Option<Option<&str>> {
        self.evidence.get(lemma).map(Option::as_deref)
    }

    /// True when token `h` heads a document-like noun phrase (`the report`, `Exit polls`).
    pub fn is_document(&self, doc: &Document, h: usize) -> bool {
        let t = &doc.tokens[h];
        t.upos == "NOUN"
            && (self.has(WordClass::Document, &t.lemma)
                || self.has(WordClass::Document, &doc.lower(h)))
    }

    /// True when `lemma` is a verb of any list here: a cue (or a phrasal cue's verb), an
    /// evidence verb, or a verb of a [`WordClass`] of verbs. The lemmatizer checks its guesses
    /// against these (`pledged` -> `pledge`, not `pledg`).
    pub fn knows_verb(&self, lemma: &str) -> bool {
        self.verbs.contains_key(lemma)
            || self.phrasal.keys().any(|(v, _)| v == lemma)
            || self.evidence.contains_key(lemma)
            || WordClass::VERBS.iter().any(|&c| self.has(c, lemma))
            || self.speech_acts.knows_verb(lemma)
    }

    /// The speech-act verbs (`criticize`, `call for`) and their classes.
    pub fn speech_acts(&self) -> &SpeechActs {
        &self.speech_acts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexicon_reads_all_files() {
        let l = Lexicon::get();
        assert_eq!(l.verb("say"), Some(CueClass::Speech));
        assert_eq!(l.verb("think"), Some(CueClass::Think));
        assert_eq!(l.phrasal("call", "On"), Some(CueClass::Act));
        assert!(l.is_claim_noun("statement"));
        assert!(l.phrases().iter().any(|p| p == &["according", "to"]));
        assert_eq!(l.verb("eat"), None);
        assert!(l.has(WordClass::StanceAdjective, "certain"));
        assert_eq!(l.evidence("point"), Some(Some("to")));
        assert!(l.has(WordClass::Document, "poll"));
        assert!(l.has(WordClass::Time, "wednesday"));
        assert!(l.has(WordClass::Linking, "remain"));
        assert!(l.knows_verb("pledge") && l.knows_verb("decline") && !l.knows_verb("pledg"));
    }

    #[test]
    fn an_unknown_tag_or_class_is_an_error_with_its_file_and_line() {
        for (text, line) in [
            ("verb say speech\nverb tell speach\n", 2),
            ("# c\nadjectiv sure\n", 2),
            ("time monday tuesday\n", 1),
            ("phrase according\n", 1),
            ("noun\n", 1),
        ] {
            let e = Lexicon::parse(&[("t.txt", text)]).err().expect(text);
            assert_eq!((e.file, e.line), ("t.txt", line), "{text}: {e}");
        }
    }
}
