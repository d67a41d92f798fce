//! Model-free tests of report forms that the existing rules read once the parse is right:
//! coordinated reporting verbs inheriting their subject ([`super::speaker::subject`] for
//! [`super::indirect::complement`]), headline reports without `that` (the same complement), and
//! evidence verbs in every tense ([`super::stance::complement`], [`super::stance::object`]).

use crate::conllu::testing::{
    attribution_and_actions as claims, check_attribution_and_actions as check,
};

#[test]
fn coordinated_reporting_verbs_inherit_the_subject() {
    check(&[
        (
            "an act, then a report",
            "The governor toured the site and said repairs would take months.
             The DET 2 det
             governor NOUN 3 nsubj
             toured VERB 0 root
             the DET 5 det
             site NOUN 3 obj
             and CCONJ 7 cc
             said VERB 3 conj
             repairs NOUN 10 nsubj
             would AUX 10 aux
             take VERB 7 ccomp
             months NOUN 10 obj
             . PUNCT 3 punct",
            &[
                "indirect_quote The governor | said | repairs would take months | -",
                "action The governor | toured | the site | -",
            ],
        ),
        (
            "a conjoined cue with its own subject keeps it",
            "The governor toured the site and aides said repairs would take months.
             The DET 2 det
             governor NOUN 3 nsubj
             toured VERB 0 root
             the DET 5 det
             site NOUN 3 obj
             and CCONJ 8 cc
             aides NOUN 8 nsubj
             said VERB 3 conj
             repairs NOUN 11 nsubj
             would AUX 11 aux
             take VERB 8 ccomp
             months NOUN 11 obj
             . PUNCT 3 punct",
            &[
                "indirect_quote aides | said | repairs would take months | -",
                "action The governor | toured | the site | -",
            ],
        ),
    ]);
}

#[test]
fn headline_reports_without_that() {
    check(&[
        (
            "a bare clause after says",
            "Mayor says cuts will hit schools
             Mayor NOUN 2 nsubj
             says VERB 0 root
             cuts NOUN 5 nsubj
             will AUX 5 aux
             hit VERB 2 ccomp
             schools NOUN 5 obj",
            &["indirect_quote Mayor | says | cuts will hit schools | -"],
        ),
        (
            "says with a noun object is no report",
            "Mayor says goodbye
             Mayor NOUN 2 nsubj
             says VERB 0 root
             goodbye NOUN 2 obj",
            &[],
        ),
    ]);
}

#[test]
fn evidence_in_every_tense() {
    for (verb, aux) in [
        ("show", None),
        ("showed", None),
        ("shown", Some("have")),
        ("showing", Some("are")),
        ("found", None),
        ("suggested", None),
        ("indicate", None),
    ] {
        let (text, lines) = match aux {
            Some(a) => (
                format!("Polls {a} {verb} prices rose."),
                format!(
                    "Polls NOUN 3 nsubj\n{a} AUX 3 aux\n{verb} VERB 0 root\nprices NOUN 5 nsubj\nrose VERB 3 ccomp\n. PUNCT 3 punct"
                ),
            ),
            None => (
                format!("Polls {verb} prices rose."),
                format!(
                    "Polls NOUN 2 nsubj\n{verb} VERB 0 root\nprices NOUN 4 nsubj\nrose VERB 2 ccomp\n. PUNCT 2 punct"
                ),
            ),
        };
        assert_eq!(
            claims(&format!("{text}\n{lines}")),
            [format!("evidence Polls | {verb} | prices rose | -")],
            "{text}"
        );
    }
}
