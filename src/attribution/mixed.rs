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
