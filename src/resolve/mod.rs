//! Stage 6, speaker resolution: pronouns and partial names to the fullest name in the article.
//! It runs last of the rule stages, after `attribution` and `actions`, so quote speakers and
//! action agents are resolved alike (from each claim's `who_head`); a belief's holder too, but
//! not the document of an evidence row, which is no entity.

use std::collections::HashSet;
use std::sync::OnceLock;

/// A word list from a data file: one lowercase word per line.
fn word_set(
    file: &'static str,
    text: &'static str,
) -> Result<HashSet<&'static str>, crate::wordlist::ListError> {
    Ok(crate::wordlist::words(file, text)?.into_iter().collect())
}

pub(crate) fn parse_titles() -> Result<HashSet<&'static str>, crate::wordlist::ListError> {
    word_set("titles.txt", include_str!("titles.txt"))
}

pub(crate) fn parse_organization_words() -> Result<HashSet<&'static str>, crate::wordlist::ListError>
{
    word_set(
        "organization_words.txt",
        include_str!("organization_words.txt"),
    )
}

fn titles() -> &'static HashSet<&'static str> {
    static T: OnceLock<HashSet<&'static str>> = OnceLock::new();
    T.get_or_init(|| crate::wordlist::built_in(parse_titles()))
}

fn organization_words() -> &'static HashSet<&'static str> {
    static T: OnceLock<HashSet<&'static str>> = OnceLock::new();
    T.get_or_init(|| crate::wordlist::built_in(parse_organization_words()))
}

/// True for a lowercase title word (`president`, `dr`), without its period.
pub fn is_title(word: &str) -> bool {
    titles().contains(word)
}

use crate::document::{ClaimKind, Document, Entity};
use crate::function_words::{GROUP_PRONOUNS, PERSON_PRONOUNS};
use crate::model::labels::EntityType;
use crate::stage::{Layer, Stage, StageError};

/// The resolution stage: fills `entity` and `entity_type` of every claim with a speaker/agent.
pub struct Resolver;

impl Stage for Resolver {
    fn name(&self) -> &'static str {
        "resolve"
    }
    fn requires(&self) -> &'static [Layer] {
        &[Layer::Entities, Layer::Quotes, Layer::Actions]
    }
    fn provides(&self) -> &'static [Layer] {
        &[Layer::Resolved]
    }

    fn process(&self, doc: &mut Document) -> Result<(), StageError> {
        let names = Names::new(doc);
        let resolved: Vec<Option<(String, EntityType)>> = doc
            .claims
            .iter()
            // A document is no entity (`a survey by the Pew Research Center`, `It also found`).
            .map(|c| match c.kind {
                ClaimKind::Evidence => None,
                _ => resolve(doc, &names, c.who_head?),
            })
            .collect();
        for (c, r) in doc.claims.iter_mut().zip(resolved) {
            if let Some((name, ty)) = r {
                c.entity = Some(name);
                c.entity_type = Some(ty);
            }
        }
        Ok(())
    }
}

/// Every entity's canonical words, for matching partial names to full ones.
struct Names {
    /// (entity index, canonical words)
    words: Vec<Vec<String>>,
}

impl Names {
    fn new(doc: &Document) -> Names {
        Names {
            words: doc
                .entities
                .iter()
                .map(|e| canonical_words(doc, e))
                .collect(),
        }
    }

    /// The fullest name in the article containing all of `words` (same type).
    fn fullest(&self, doc: &Document, words: &[String], ty: EntityType) -> Vec<String> {
        let mut best = words.to_vec();
        for (i, w) in self.words.iter().enumerate() {
            if doc.entities[i].ty != ty || w.len() <= best.len() {
                continue;
            }
            if words.iter().all(|x| w.contains(x)) {
                best = w.clone();
            }
        }
        best
    }
}

/// An entity's words without titles, determiners, possessive endings or quoted nicknames.
fn canonical_words(doc: &Document, e: &Entity) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_quote = false;
    for i in e.tokens.clone() {
        let w = doc.word(i);
        if crate::text::is_quote_word(w) {
            in_quote = !in_quote;
            continue;
        }
        if in_quote || matches!(w, "’s" | "'s" | "’" | "'") {
            continue;
        }
        out.push(w.to_string());
    }
    while out.len() > 1 {
        let first = out[0].trim_end_matches('.').to_lowercase();
        // a lowercase word before a name is a role (`coauthor Colette Heald`), not the name
        let role = e.ty == EntityType::Per && out[0].chars().next().is_some_and(char::is_lowercase);
        if first == "the" || (e.ty == EntityType::Per && is_title(&first)) || role {
            out.remove(0);
        } else {
            break;
        }
    }
    out
}

fn join(words: &[String]) -> String {
    let mut s = String::new();
    for w in words {
        if !s.is_empty() && w != "-" && !s.ends_with('-') {
            s.push(' ');
        }
        s.push_str(w);
    }
    s
}

/// The canonical name and type for the mention headed by token `h`.
fn resolve(doc: &Document, names: &Names, h: usize) -> Option<(String, EntityType)> {
    let word = doc.lower(h);
    if PERSON_PRONOUNS.contains(&word.as_str()) {
        return antecedent(doc, names, h, |t| t == EntityType::Per);
    }
    if GROUP_PRONOUNS.contains(&word.as_str()) {
        return antecedent(doc, names, h, |t| {
            t == EntityType::Org || t == EntityType::Loc
        });
    }
    if doc.tokens[h].upos == "PRON" {
        return None;
    }
    let span = crate::attribution::speaker::mention(doc, h);
    let inside: Vec<usize> = (0..doc.entities.len())
        .filter(|&i| span.contains(doc.entities[i].span))
        .collect();
    let pick = inside
        .iter()
        .copied()
        .find(|&i| doc.entities[i].tokens.contains(&h))
        .or_else(|| {
            inside
                .iter()
                .copied()
                .find(|&i| doc.entities[i].ty == EntityType::Per)
        })
        .or_else(|| {
            inside
                .iter()
                .copied()
                .find(|&i| doc.entities[i].ty == EntityType::Org)
        })
        .or_else(|| inside.first().copied());
    let chain = proper_name(doc, h);
    if let Some(i) = pick {
        let e = &doc.entities[i];
        let mut words = names.words[i].clone();
        // The parse's proper-noun chain can be longer than the tagger's span
        // (`Nordlys Lines`, `U.S. Department of Agriculture`): take the longer.
        if let Some(c) = chain
            .as_ref()
            .filter(|c| c.len() > words.len() && words.iter().all(|w| c.contains(w)))
        {
            words = c.clone();
        }
        let full = names.fullest(doc, &words, e.ty);
        return Some((join(&full), e.ty));
    }
    if let Some(c) = chain {
        // Named, but the tagger missed it: the type comes from an entity of the same name.
        let ty = (0..doc.entities.len())
            .find(|&i| names.words[i].iter().any(|w| c.contains(w)))
            .map(|i| doc.entities[i].ty);
        let ty = ty.or_else(|| {
            let last = c.last()?.trim_end_matches('.').to_lowercase();
            organization_words()
                .contains(last.as_str())
                .then_some(EntityType::Org)
        });
        if let Some(ty) = ty {
            return Some((join(&names.fullest(doc, &c, ty)), ty));
        }
    }
    // `the ministry` after `the Ministry of Health`: the latest organization named with it.
    if doc.tokens[h].upos == "NOUN" {
        let w = doc.lower(h);
        return (0..doc.entities.len())
            .rev()
            .filter(|&i| doc.entities[i].span.end <= doc.tokens[h].span.start)
            .find(|&i| {
                doc.entities[i].ty == EntityType::Org
                    && names.words[i].iter().any(|x| x.to_lowercase() == w)
            })
            .map(|i| {
                (
                    join(&names.fullest(doc, &names.words[i], EntityType::Org)),
                    EntityType::Org,
                )
            });
    }
    None
}

/// The proper-noun name headed by `h` from the parse: the head with its proper-noun
/// `compound`/`flat` dependents and `of`-phrases, without titles; `None` unless `h` is a PROPN.
fn proper_name(doc: &Document, h: usize) -> Option<Vec<String>> {
    if doc.tokens[h].upos != "PROPN" {
        return None;
    }
    let keep = doc.subtree_where(h, |t, c| {
        let rel = doc.tokens[c].deprel.as_str();
        let propn = doc.tokens[c].upos == "PROPN";
        let of_phrase =
            rel == "nmod" && propn && doc.children_with(c, "case").any(|x| doc.lower(x) == "of");
        (propn && matches!(rel, "compound" | "flat" | "flat:name"))
            || of_phrase
            || (t != h && rel == "case" && doc.lower(c) == "of")
    });
    let run = crate::document::run_around(&keep, h);
    let mut words: Vec<String> = run.iter().map(|&t| doc.word(t).to_string()).collect();
    while words.len() > 1 && is_title(&words[0].trim_end_matches('.').to_lowercase()) {
        words.remove(0);
    }
    Some(words)
}

/// The most recent entity before token `h` whose type passes `ok`, preferring subjects of the
/// last few sentences (the usual antecedent of a subject pronoun in news prose).
fn antecedent(
    doc: &Document,
    names: &Names,
    h: usize,
    ok: impl Fn(EntityType) -> bool,
) -> Option<(String, EntityType)> {
    let pos = doc.tokens[h].span.start;
    let sentence = doc.tokens[h].sentence;
    let candidates: Vec<usize> = (0..doc.entities.len())
        .filter(|&i| doc.entities[i].span.end <= pos && ok(doc.entities[i].ty))
        .filter(|&i| doc.tokens[doc.entities[i].tokens.start].sentence + 4 >= sentence)
        .collect();
    let is_subject = |i: usize| {
        doc.entities[i].tokens.clone().any(|t| {
            let mut cur = t;
            // climb through the name and appositions to the phrase's relation
            for _ in 0..4 {
                let rel = doc.tokens[cur].deprel.as_str();
                if rel.starts_with("nsubj") {
                    return true;
                }
                match (rel, doc.tokens[cur].head) {
                    ("flat" | "compound" | "appos" | "flat:name", Some(hh)) => cur = hh,
                    _ => return false,
                }
            }
            false
        })
    };
    let pick = candidates
        .iter()
        .rev()
        .copied()
        .find(|&i| is_subject(i))
        .or_else(|| candidates.last().copied())?;
    let e = &doc.entities[pick];
    Some((join(&names.fullest(doc, &names.words[pick], e.ty)), e.ty))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attribution::QuoteFinder;
    use crate::conllu::testing::{doc, rows};

    /// `Ana Lima spoke.`, with `Ana Lima` tagged PER.
    const ANA_LIMA: &str = "Ana Lima spoke.
         Ana PROPN 2 flat B-PER
         Lima PROPN 3 nsubj I-PER
         spoke VERB 0 root
         . PUNCT 3 punct";

    /// `WORD left.` with `WORD` as subject (tagged `tag`, `-` for none).
    fn left(word: &str, upos: &str, tag: &str) -> String {
        let tag = if tag == "-" { "" } else { tag };
        format!("{word} left.\n{word} {upos} 2 nsubj {tag}\nleft VERB 0 root\n. PUNCT 2 punct")
    }

    /// The resolution of the last token written `word` in the document of `sentences`.
    fn resolved(sentences: &[&str], word: &str) -> Option<(String, EntityType)> {
        let d = doc(&sentences.join("\n\n"));
        let h = (0..d.tokens.len()).rev().find(|&i| d.word(i) == word)?;
        resolve(&d, &Names::new(&d), h)
    }

    /// (case, sentences, the word to resolve, the name and type wanted)
    type Case<'a> = (
        &'a str,
        &'a [&'a str],
        &'a str,
        Option<(&'a str, EntityType)>,
    );

    fn check(cases: &[Case]) {
        for (name, sentences, word, want) in cases {
            let got = resolved(sentences, word);
            let want = want.map(|(n, t)| (n.to_string(), t));
            assert_eq!(got, want, "{name}");
        }
    }

    #[test]
    fn partial_names_to_the_fullest() {
        check(&[
            (
                "a tagged surname",
                &[ANA_LIMA, &left("Lima", "PROPN", "B-PER")],
                "Lima",
                Some(("Ana Lima", EntityType::Per)),
            ),
            (
                "an untagged surname takes its type from the same name",
                &[ANA_LIMA, &left("Lima", "PROPN", "-")],
                "Lima",
                Some(("Ana Lima", EntityType::Per)),
            ),
            (
                "a name outside ASCII",
                &[
                    "Zoë Ångström spoke.
                     Zoë PROPN 2 flat B-PER
                     Ångström PROPN 3 nsubj I-PER
                     spoke VERB 0 root
                     . PUNCT 3 punct",
                    &left("Ångström", "PROPN", "B-PER"),
                ],
                "Ångström",
                Some(("Zoë Ångström", EntityType::Per)),
            ),
        ]);
    }

    #[test]
    fn nicknames_are_not_the_name() {
        check(&[(
            "a quoted nickname inside the entity",
            &["Dwayne \"The Rock\" Johnson spoke.
               Dwayne PROPN 6 compound B-PER
               \" PUNCT 4 punct I-PER
               The DET 4 det I-PER
               Rock PROPN 6 appos I-PER
               \" PUNCT 4 punct I-PER
               Johnson PROPN 7 nsubj I-PER
               spoke VERB 0 root
               . PUNCT 7 punct"],
            "Johnson",
            Some(("Dwayne Johnson", EntityType::Per)),
        )]);
    }

    #[test]
    fn titles_and_roles_are_not_the_name() {
        check(&[
            (
                "a title",
                &["President Ana Lima spoke.
                   President PROPN 3 compound B-PER
                   Ana PROPN 3 compound I-PER
                   Lima PROPN 4 nsubj I-PER
                   spoke VERB 0 root
                   . PUNCT 4 punct"],
                "Lima",
                Some(("Ana Lima", EntityType::Per)),
            ),
            (
                "a lowercase role the tagger took in",
                &["coauthor Colette Heald spoke.
                   coauthor NOUN 3 compound B-PER
                   Colette PROPN 3 flat I-PER
                   Heald PROPN 4 nsubj I-PER
                   spoke VERB 0 root
                   . PUNCT 4 punct"],
                "Heald",
                Some(("Colette Heald", EntityType::Per)),
            ),
        ]);
    }

    #[test]
    fn person_pronouns_to_a_recent_person() {
        let met = "Ana Lima met Eva Nowak.
             Ana PROPN 2 flat B-PER
             Lima PROPN 3 nsubj I-PER
             met VERB 0 root
             Eva PROPN 3 obj B-PER
             Nowak PROPN 4 flat I-PER
             . PUNCT 3 punct";
        let rain = "It rained.\nIt PRON 2 expl\nrained VERB 0 root\n. PUNCT 2 punct";
        check(&[
            (
                "the person before",
                &[ANA_LIMA, &left("She", "PRON", "-")],
                "She",
                Some(("Ana Lima", EntityType::Per)),
            ),
            (
                "the subject rather than the latest person",
                &[met, &left("She", "PRON", "-")],
                "She",
                Some(("Ana Lima", EntityType::Per)),
            ),
            ("nobody before", &[&left("She", "PRON", "-")], "She", None),
            (
                "too far back",
                &[ANA_LIMA, rain, rain, rain, rain, &left("She", "PRON", "-")],
                "She",
                None,
            ),
        ]);
    }

    #[test]
    fn group_pronouns_and_nouns_to_an_organization() {
        let ministry = "The Ministry of Health spoke.
             The DET 2 det
             Ministry PROPN 5 nsubj B-ORG
             of ADP 4 case I-ORG
             Health PROPN 2 nmod I-ORG
             spoke VERB 0 root
             . PUNCT 5 punct";
        let the_ministry = "The ministry left.
             The DET 2 det
             ministry NOUN 3 nsubj
             left VERB 0 root
             . PUNCT 3 punct";
        check(&[
            (
                "they",
                &[ministry, &left("They", "PRON", "-")],
                "They",
                Some(("Ministry of Health", EntityType::Org)),
            ),
            (
                "the ministry",
                &[ministry, the_ministry],
                "ministry",
                Some(("Ministry of Health", EntityType::Org)),
            ),
            (
                "the ministry, none named before",
                &[the_ministry],
                "ministry",
                None,
            ),
        ]);
    }

    #[test]
    fn untagged_organization_by_its_head_word() {
        check(&[(
            "an office",
            &["Riverside Planning Office left.
               Riverside PROPN 3 compound
               Planning PROPN 3 compound
               Office PROPN 4 nsubj
               left VERB 0 root
               . PUNCT 4 punct"],
            "Office",
            Some(("Riverside Planning Office", EntityType::Org)),
        )]);
    }

    #[test]
    fn unnamed_mentions_stay_unresolved() {
        check(&[
            (
                "a common noun",
                &[&left("Someone", "NOUN", "-")],
                "Someone",
                None,
            ),
            (
                "another pronoun",
                &[ANA_LIMA, &left("Nobody", "PRON", "-")],
                "Nobody",
                None,
            ),
            (
                "a proper noun of no known type",
                &[&left("Zorblax", "PROPN", "-")],
                "Zorblax",
                None,
            ),
        ]);
    }

    #[test]
    fn the_stage_fills_entity_of_each_claim() {
        let quote = "“We will win,” Lima said.
             “ PUNCT 4 punct
             We PRON 4 nsubj
             will AUX 4 aux
             win VERB 0 root
             , PUNCT 4 punct
             ” PUNCT 4 punct
             Lima PROPN 8 nsubj B-PER
             said VERB 4 parataxis
             . PUNCT 4 punct";
        let mut d = doc(&[ANA_LIMA, quote].join("\n\n"));
        QuoteFinder::new().process(&mut d).unwrap();
        Resolver.process(&mut d).unwrap();
        assert_eq!(
            rows(&d),
            ["direct_quote Lima | said | We will win | Ana Lima"]
        );
        assert_eq!(d.claims[0].entity_type, Some(EntityType::Per));
    }
}
