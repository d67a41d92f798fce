//! A quotation followed by unquoted words before its cue: `"We will be ready" before the vote
//! in March, she said.` The clause the cue reports opens with the quotation and goes on past
//! its closing mark: a mixed quote, not a direct one.

use super::marks::Quotation;
use crate::span::Span;

/// True when the content `what` opens with a quotation's opening mark and goes on with a word
/// after that quotation's closing mark, all before its cue (`... March, she said`) and without
/// its speaker, who must be found, or another quotation (a split quotation, `"A," she said,
/// "B."`, is direct).
pub fn runs_on_after_quotation(
    text: &str,
    quotes: &[Quotation],
    what: Span,
    cue: Option<Span>,
    speaker: Option<Span>,
) -> bool {
    let before_cue = cue.is_some_and(|c| c.start >= what.end);
    let without_speaker = speaker.is_some_and(|s| !s.overlaps(what));
    let quotations_in = quotes.iter().filter(|q| what.overlaps(q.open)).count();
    before_cue
        && without_speaker
        && quotations_in == 1
        && quotes.iter().any(|q| {
            q.close.is_some_and(|close| {
                q.open.start == what.start
                    && close.end < what.end
                    && Span::new(close.end, what.end)
                        .slice(text)
                        .chars()
                        .any(char::is_alphanumeric)
            })
        })
}

#[cfg(test)]
mod tests {
    use crate::attribution::QuoteFinder;
    use crate::conllu::testing::{doc, rows};
    use crate::stage::Stage;

    fn claims(src: &str) -> Vec<String> {
        let mut d = doc(src);
        QuoteFinder::new().process(&mut d).unwrap();
        rows(&d)
    }

    #[test]
    fn a_quotation_running_on_before_its_cue_is_mixed() {
        let src = "\"We will be ready\" before the vote, she said.
                   \" PUNCT 5 punct
                   We PRON 5 nsubj
                   will AUX 5 aux
                   be AUX 5 cop
                   ready ADJ 12 ccomp
                   \" PUNCT 5 punct
                   before ADP 9 case
                   the DET 9 det
                   vote NOUN 5 obl
                   , PUNCT 5 punct
                   she PRON 12 nsubj
                   said VERB 0 root
                   . PUNCT 12 punct";
        assert_eq!(
            claims(src),
            ["mixed_quote she | said | \"We will be ready\" before the vote | -"]
        );
    }

    #[test]
    fn a_quotation_alone_before_its_cue_is_direct() {
        let src = "\"We will be ready,\" she said.
                   \" PUNCT 5 punct
                   We PRON 5 nsubj
                   will AUX 5 aux
                   be AUX 5 cop
                   ready ADJ 9 ccomp
                   , PUNCT 5 punct
                   \" PUNCT 5 punct
                   she PRON 9 nsubj
                   said VERB 0 root
                   . PUNCT 9 punct";
        assert_eq!(
            claims(src),
            ["direct_quote she | said | We will be ready | -"]
        );
    }

    #[test]
    fn a_split_quotation_is_direct() {
        let src = "\"The vote,\" she said, \"is final.\"
                   \" PUNCT 3 punct
                   The DET 3 det
                   vote NOUN 10 nsubj
                   , PUNCT 3 punct
                   \" PUNCT 3 punct
                   she PRON 7 nsubj
                   said VERB 3 parataxis
                   , PUNCT 7 punct
                   \" PUNCT 10 punct
                   is AUX 10 cop
                   final ADJ 0 root
                   . PUNCT 10 punct
                   \" PUNCT 10 punct";
        assert_eq!(
            claims(src),
            [
                "direct_quote she | said | The vote | -",
                "direct_quote she | said | is final. | -"
            ]
        );
    }
}
