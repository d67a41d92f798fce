//! Closed-class words the rule stages test for (pronouns, negators, question words,
//! subordinators), in one place so that copies cannot drift apart. Open-class words (cues,
//! stance words, times, ...) are data: `attribution/*.txt`, read by
//! [`crate::attribution::lexicon::Lexicon`]. Every list is lowercase: compare `Document::lower`.

/// Negators of a verb (`does not think`, `doesn’t think`, `never said`), both apostrophes.
pub const NEGATORS: &[&str] = &["not", "n't", "n’t", "never"];

/// Holders that deny the content rather than hold it (`nobody knows`).
pub const NO_ONE: &[&str] = &["nobody", "none", "noone", "nothing"];

/// Words opening an embedded question, which states no content (`knows how many died`).
pub const QUESTION_WORDS: &[&str] = &[
    "how", "what", "why", "whether", "if", "who", "whom", "whose", "when", "where", "which",
];

/// Subordinators of a condition (`warned that X could change if Y ...`, `if you want to ...`).
pub const CONDITIONS: &[&str] = &["if", "unless"];

/// Relative pronouns that stand for the noun their clause modifies.
pub const RELATIVE_PRONOUNS: &[&str] = &["who", "which", "that", "whom"];

/// Pronouns that refer to a person.
pub const PERSON_PRONOUNS: &[&str] = &["he", "she", "him", "her", "his"];

/// Pronouns that refer to a group, an organisation or a place (or a person, as `they`).
pub const GROUP_PRONOUNS: &[&str] = &["they", "them", "it", "its", "their"];

/// Subject pronouns of people (`He said ...`): a speaker from the sentence before.
pub const PERSON_SUBJECTS: &[&str] = &["he", "she", "they"];

/// Subjects that are things, not speakers: `It promises to shatter lives` is a risk, no promise.
pub const THING_PRONOUNS: &[&str] = &["it", "this", "that"];

/// Pronouns that may stand for a document named before (`The report found ... It also found`).
pub const DOCUMENT_PRONOUNS: &[&str] = &["it", "they"];

/// The writer and reader (`I`, `we`, `you`): naming by them is the text's own, not a report.
pub const FIRST_AND_SECOND_PERSON: &[&str] = &["i", "we", "you"];

/// The first person (`I think`, `we want`).
pub const FIRST_PERSON: &[&str] = &["i", "we"];

/// The first person in any case (`I`, `me`, `we`, `us`): an act the writer performs (`we condemn`).
pub const FIRST_PERSON_ANY_CASE: &[&str] = &["i", "me", "we", "us"];

/// Prepositions and marks that carry a speech act's content after its object (`blamed X for Y`,
/// `accused X of Y`, `criticized X as Y`).
pub const CONTENT_MARKS: &[&str] = &["for", "of", "as"];

/// Pronouns that stand for people as an object (`criticized him`): a person, not a thing.
pub const OBJECT_PRONOUNS: &[&str] = &[
    "him",
    "her",
    "them",
    "me",
    "us",
    "you",
    "himself",
    "herself",
    "themselves",
];

/// Focus adverbs that may open a noun phrase (`Even his allies`).
pub const FOCUS_ADVERBS: &[&str] = &["even", "only", "also", "just"];

/// Prepositions of means (`supports farmers with loans`).
pub const MEANS: &[&str] = &["with", "through"];

/// Conjunctions that may open a sentence that continues the one before (`And "..."`).
pub const CONTINUING: &[&str] = &["and", "but"];

/// True when lowercase `word` is in `list`.
pub fn is(list: &[&str], word: &str) -> bool {
    list.contains(&word)
}
