//! The cue lexicon (`cues.txt`): speech and cognition verbs, phrasal cues, claim nouns and
//! non-verbal cue phrases, looked up by lemma.

use std::collections::HashMap;
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

/// The parsed lexicon.
pub struct Lexicon {
    verbs: HashMap<String, CueClass>,
    phrasal: HashMap<(String, String), CueClass>,
    nouns: Vec<String>,
    phrases: Vec<Vec<String>>,
}

impl Lexicon {
    /// The built-in lexicon.
    pub fn get() -> &'static Lexicon {
        static L: OnceLock<Lexicon> = OnceLock::new();
        L.get_or_init(|| Lexicon::parse(include_str!("cues.txt")))
    }

    pub fn parse(text: &str) -> Lexicon {
        let mut lex = Lexicon {
            verbs: HashMap::new(),
            phrasal: HashMap::new(),
            nouns: Vec::new(),
            phrases: Vec::new(),
        };
        for line in crate::wordlist::entries(text) {
            let f: Vec<&str> = line.split_whitespace().collect();
            let class = |s: &str| match s {
                "act" => CueClass::Act,
                "think" => CueClass::Think,
                _ => CueClass::Speech,
            };
            match (f[0], f.len()) {
                ("verb", 3) => {
                    lex.verbs.entry(f[1].to_string()).or_insert(class(f[2]));
                }
                ("verb", 4) => {
                    lex.phrasal
                        .insert((f[1].to_string(), f[2].to_string()), class(f[3]));
                }
                ("noun", 2) => lex.nouns.push(f[1].to_string()),
                ("phrase", _) => lex
                    .phrases
                    .push(f[1..].iter().map(|w| w.to_lowercase()).collect()),
                _ => {}
            }
        }
        lex
    }

    /// Class of a verb lemma, if it is a cue.
    pub fn verb(&self, lemma: &str) -> Option<CueClass> {
        // The lemmatizer strips `-ed` from verbs it does not know (`alleged` -> `alleg`):
        // the lemma with its `e` back is the word's.
        self.verbs
            .get(lemma)
            .or_else(|| self.verbs.get(&format!("{lemma}e")))
            .copied()
    }

    /// Class of a phrasal cue (`call` + `on`).
    pub fn phrasal(&self, lemma: &str, particle: &str) -> Option<CueClass> {
        self.phrasal
            .get(&(lemma.to_string(), particle.to_lowercase()))
            .copied()
    }

    pub fn is_claim_noun(&self, lemma: &str) -> bool {
        self.nouns.iter().any(|n| n == lemma)
    }

    /// Non-verbal cue phrases, lowercased words (`according to`).
    pub fn phrases(&self) -> &[Vec<String>] {
        &self.phrases
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexicon_reads_all_sections() {
        let l = Lexicon::get();
        assert_eq!(l.verb("say"), Some(CueClass::Speech));
        assert_eq!(l.verb("think"), Some(CueClass::Think));
        assert_eq!(l.phrasal("call", "On"), Some(CueClass::Act));
        assert!(l.is_claim_noun("statement"));
        assert!(l.phrases().iter().any(|p| p == &["according", "to"]));
        assert_eq!(l.verb("eat"), None);
    }
}
