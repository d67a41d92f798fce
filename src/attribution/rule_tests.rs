//! The harness of the rule tests in the new rule files: every row of a hand-written document
//! (`conllu::testing::doc`) after attribution and actions, as `kind who | verb | what | entity`.

use crate::actions::ActionFinder;
use crate::attribution::QuoteFinder;
use crate::conllu::testing::{doc, rows};
use crate::stage::{RuleOptions, Stage};

/// Every row of a hand-written document after attribution and actions.
pub fn claims(src: &str) -> Vec<String> {
    let mut d = doc(src);
    QuoteFinder::new().process(&mut d).unwrap();
    ActionFinder::new(RuleOptions::default())
        .process(&mut d)
        .unwrap();
    rows(&d)
}

/// Each case's rows, named in the failure.
pub fn check(cases: &[(&str, &str, &[&str])]) {
    for (name, src, want) in cases {
        assert_eq!(claims(src), *want, "{name}");
    }
}
