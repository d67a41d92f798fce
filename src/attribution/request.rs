//! Requests reported with an infinitive: `The mayor urged residents to conserve water`, `The
//! minister asked parliament to approve the budget`, `The union invited the company to resume
//! talks`. What was asked is the addressee and the infinitive (`residents to conserve water`),
//! whether the parser made the addressee the cue's object or the infinitive's subject.

use super::cues::{naming, CueVerb};
use super::indirect::{speaking, Reported};
use super::lexicon::Lexicon;
use crate::document::Document;
use crate::function_words::{self, FIRST_AND_SECOND_PERSON};

/// Rule `indirect::request`. A speech or act cue with an addressee after it and a `to`
/// infinitive after the addressee; the cue's subject asks.
pub fn request(doc: &Document, lex: &Lexicon, v: usize) -> Option<Reported> {
    let cue = CueVerb::at(doc, lex, v)?;
    // `called her mother to ask`: a phone call, not a request
    if naming(doc, lex, v) && cue.particle.is_none() {
        return None;
    }
    let who = speaking(doc, lex, &cue)??;
    // `I asked the people of this city to ...`, `you asked him to ...`: the speaker's own or the
    // listener's request, in a speech or an interview, not a report
    if function_words::is(FIRST_AND_SECOND_PERSON, &doc.lower(who)) {
        return None;
    }
    let infinitive = doc.children[v].iter().copied().find(|&x| {
        x > v
            && matches!(doc.tokens[x].deprel.as_str(), "xcomp" | "ccomp" | "advcl")
            && doc.children_with(x, "mark").any(|m| doc.lower(m) == "to")
    })?;
    let addressee = doc.children[v]
        .iter()
        .copied()
        .find(|&o| {
            o > v && o < infinitive && matches!(doc.tokens[o].deprel.as_str(), "obj" | "iobj")
        })
        .or_else(|| {
            doc.children_with(infinitive, "nsubj")
                .find(|&s| s > v && s < infinitive)
        })?;
    let first = doc.subtree(addressee).first().copied()?;
    let last = doc.subtree(infinitive).last().copied()?;
    // the particle of `call on` is the cue's
    let first = first.max(cue.particle.map_or(0, |p| p + 1));
    Some(Reported {
        speaker: Some(who),
        cue: Some(cue.span),
        content: (first..=last).collect(),
    })
}

#[cfg(test)]
mod tests {
    use crate::conllu::testing::check_attribution_and_actions as check;

    #[test]
    fn addressee_and_infinitive() {
        check(&[
            (
                "the addressee as an indirect object of a speech cue",
                "The minister asked parliament to approve the budget.
                 The DET 2 det
                 minister NOUN 3 nsubj
                 asked VERB 0 root
                 parliament PROPN 3 iobj
                 to PART 6 mark
                 approve VERB 3 xcomp
                 the DET 8 det
                 budget NOUN 6 obj
                 . PUNCT 3 punct",
                &["indirect_quote The minister | asked | parliament to approve the budget | -"],
            ),
            (
                "the addressee as the infinitive's subject; an act cue is also an action",
                "Officials urged drivers to avoid the motorway.
                 Officials NOUN 2 nsubj
                 urged VERB 0 root
                 drivers NOUN 5 nsubj
                 to PART 5 mark
                 avoid VERB 2 ccomp
                 the DET 7 det
                 motorway NOUN 5 obj
                 . PUNCT 2 punct",
                &[
                    "indirect_quote Officials | urged | drivers to avoid the motorway | -",
                    "action Officials | urged | drivers to avoid the motorway | -",
                ],
            ),
        ]);
    }

    #[test]
    fn no_request_without_an_addressee_or_from_the_speaker() {
        check(&[
            (
                "asking for a thing is no claim",
                "She asked for the salt.
                 She PRON 2 nsubj
                 asked VERB 0 root
                 for ADP 5 case
                 the DET 5 det
                 salt NOUN 2 obl
                 . PUNCT 2 punct",
                &[],
            ),
            (
                "the speaker's own request",
                "I asked voters to help us.
                 I PRON 2 nsubj
                 asked VERB 0 root
                 voters NOUN 2 iobj
                 to PART 5 mark
                 help VERB 2 xcomp
                 us PRON 5 obj
                 . PUNCT 2 punct",
                // no quote; the infinitive stays the actions stage's (it inherits `I`)
                &["action I | help | us | -"],
            ),
            (
                "a phone call is not a request",
                "He called his mother to ask.
                 He PRON 2 nsubj
                 called VERB 0 root
                 his PRON 4 nmod:poss
                 mother NOUN 2 obj
                 to PART 6 mark
                 ask VERB 2 advcl
                 . PUNCT 2 punct",
                &["action He | called | his mother | -"],
            ),
        ]);
    }
}
