//! Gold attributions (who said / thought what) from GUM's eRST discourse annotation, for
//! evaluating the quote extractor.
//!
//! # Where the gold comes from
//!
//! GUM's `dep/<doc>.conllu` files carry the eRST discourse graph in the MISC column. Every
//! elementary discourse unit (EDU) starts at a word whose MISC has `Discourse=`; the EDU runs up
//! to the word before the next such word. EDUs are numbered 1, 2, 3, … in document order
//! (checked on every file). The value is one or more relations separated by `;`:
//!
//! * `REL:SRC->TGT:DIST:SIGNALS` — the primary (tree) edge of EDU `SRC` (the EDU starting at this
//!   word) to its parent EDU `TGT`. `DIST` is the attachment order among the children of `TGT`
//!   (GUM's `dep2rst.py`: children of a head are attached to its growing span in `(DIST, start)`
//!   order, so a child with a smaller `DIST` sits *inside* the span a larger-`DIST` child attaches
//!   to). Relations ending in `_m` are multinuclear (e.g. `joint-list_m`, `same-unit_m`).
//! * `ROOT:N:0` — EDU `N` is the document root.
//! * `REL:SRC->TGT:DSRC:DTGT:SIGNALS` — a secondary (tree-breaking) eRST edge; `DTGT` plays the
//!   role of `DIST` on the target side.
//!
//! `SIGNALS` is `_` or `+`-joined `class-subtype-TOKENS-source`, where `TOKENS` is `_` or a
//! comma-separated list of token numbers or `a-b` ranges (e.g. `sem-atsrc-31-41-_`,
//! `sem-rpt-207-208,222-224-_`). Token numbers are **1-based over the syntactic words of the whole
//! document**: multiword-token ranges and empty nodes are not counted, which is exactly the
//! numbering `crate::conllu` produces once its sentences' words are concatenated (verified: with
//! this numbering the `lex-indwd` cue of attribution relations is a verb in ~90% of cases, while
//! counting surface tokens lands on unrelated words after the first multiword token).
//!
//! For `attribution-positive` / `attribution-negative`, `SRC` is the *attributing* unit ("researchers
//! say") and `TGT` the *attributed content* (the nucleus). Signals used here:
//!
//! * `sem-atsrc-…` — the attribution source (speaker) words → [`GoldClaim::source`];
//! * `lex-indwd-…` / `lex-indph-…` — cue word / phrase (`say`, `according to`) → [`GoldClaim::cue`];
//! * `grf-qt-…` — quotation marks signal the relation → [`GoldClaim::quoted`];
//! * `syn-rpr-…` (reported-speech syntax) and `sem-ngt-…` (negation) are not used;
//!   `attribution-negative` sets [`GoldClaim::negative`].
//!
//! # Choices
//!
//! * **Content extent.** The attribution edge names one EDU, but the content is the *span* the
//!   relation attaches to, which `DIST` recovers: the target EDU, plus the full subtree of every
//!   other primary child of the target that is attached before the attribution (smaller
//!   `(DIST, start)`), plus `same-unit_m` children (the other half of an EDU split by the
//!   attribution, "The plan, he said, will fail") whatever their order. The attributing unit and its
//!   subtree are never content. This follows the tree faithfully, so a multi-sentence quote
//!   annotated as one span stays whole. When the target EDU is itself an attributing unit
//!   ("According to ABC, | Basya believes | X"), the content it introduces (X) is added.
//! * **Content span.** [`GoldClaim::content_words`] lists exactly the content words;
//!   [`GoldClaim::content`] is the byte span from the first to the last of them, so it may cover an
//!   interrupting "he said" (an extractor's single span would too). Words are trimmed at both ends:
//!   punctuation (incl. quote marks, dashes, brackets) and a leading complementizer `that`.
//! * **Source / cue.** The words of all `sem-atsrc` (resp. `lex-indwd`/`lex-indph`) signals are
//!   split into runs of consecutive words (sources are often discontinuous: "Smith … and Jones");
//!   runs inside the attributing unit (with its subtree) win over others; the span covers the
//!   chosen runs when they are in one sentence, else only the first run. `lex-indwd` also marks
//!   reporting nouns ("the *report*'s authors *say*"), so the cue is then reduced to one run:
//!   not inside the source, containing a verb, nearest the source. Absent signals give `None`
//!   (no fallback to syntax).
//! * **Quoted.** A `grf-qt` signal, or at least half of the content words inside quotation marks
//!   (PTB XPOS ``` `` ``` opens and `''` closes; the state resets at each paragraph).
//! * **Cognition.** Any cue word's lemma in [`COGNITION_LEMMAS`].
//! * Claims are sorted by content start; duplicates (same content, source and cue) are dropped.

use crate::conllu::{self, RebuiltDoc, Word};
use crate::span::Span;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Cue lemmas that mark thought, belief, knowledge or attitude rather than speech.
pub const COGNITION_LEMMAS: &[&str] = &[
    "think",
    "believe",
    "know",
    "feel",
    "hope",
    "want",
    "wish",
    "wonder",
    "remember",
    "recall",
    "realize",
    "realise",
    "suspect",
    "guess",
    "suppose",
    "assume",
    "presume",
    "expect",
    "imagine",
    "understand",
    "doubt",
    "fear",
    "worry",
    "consider",
    "reckon",
    "bet",
    "forget",
    "decide",
    "notice",
    "recognize",
    "recognise",
    "trust",
    "sure",
    "aware",
    "convinced",
    "certain",
    "afraid",
    "glad",
    "consciousness",
    "opinion",
    "belief",
    "thought",
    "view",
];

/// One gold attribution: who (source) said or thought (cue) what (content).
#[derive(Clone, Debug, PartialEq)]
pub struct GoldClaim {
    /// Document id, e.g. `GUM_news_afghan`.
    pub doc: String,
    /// Byte span in `RebuiltDoc.text` of the attributed content, trimmed of end punctuation,
    /// enclosing quote marks and a leading `that`.
    pub content: Span,
    /// Doc-level 0-based indices of the content words (see [`GoldDoc::word_span`]).
    pub content_words: Vec<usize>,
    /// The speaker words (`sem-atsrc` signal), `None` when not annotated.
    pub source: Option<Span>,
    /// The cue word or phrase (`lex-indwd` / `lex-indph`), `None` when not annotated.
    pub cue: Option<Span>,
    /// The content is (mostly) inside quotation marks, or the relation has a `grf-qt` signal.
    pub quoted: bool,
    /// `attribution-negative` ("he denied that …", "nobody said …").
    pub negative: bool,
    /// The cue is a cognition verb/adjective ([`COGNITION_LEMMAS`]) rather than speech.
    pub cognition: bool,
    /// Lowercased lemmas of the cue words (empty when not annotated).
    pub cue_lemmas: Vec<String>,
    /// Lowercased lemmas of the source words (empty when not annotated).
    pub source_lemmas: Vec<String>,
}

/// One GUM document with its text rebuilt and its attribution gold.
#[derive(Clone, Debug)]
pub struct GoldDoc {
    /// The rebuilt running text with sentence and word offsets.
    pub doc: RebuiltDoc,
    /// The GUM genre (`news`, `interview`, …).
    pub genre: String,
    /// Gold claims, sorted by content start.
    pub claims: Vec<GoldClaim>,
}

impl GoldDoc {
    /// The span of doc-level word `index` (concatenation of all sentences' words), if aligned.
    pub fn word_span(&self, index: usize) -> Option<Span> {
        let mut i = index;
        for sent in &self.doc.words {
            if i < sent.len() {
                return sent[i];
            }
            i -= sent.len();
        }
        None
    }
}

/// Reads GUM docs of `partition` ("dev"/"train") whose genre is in `genres` (all genres when
/// empty), rebuilds their text with [`conllu::rebuild_documents`] (one document per file), and
/// extracts the attribution gold.
///
/// `data_dir` is either the GUM folder itself (holding `splits.tsv` and `dep/`) or its parent
/// (holding `gum/`). Documents listed in `splits.tsv` but missing from `dep/` are skipped.
pub fn load(
    data_dir: &Path,
    partition: &str,
    genres: &[&str],
) -> Result<Vec<GoldDoc>, super::EvalError> {
    let gum = gum_dir(data_dir);
    let splits = crate::files::read_to_string(&gum.join("splits.tsv"))?;
    let mut out = Vec::new();
    for line in splits.lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 3 || cols[2].trim() != partition {
            continue;
        }
        let (id, genre) = (cols[0].trim(), cols[1].trim());
        if !genres.is_empty() && !genres.contains(&genre) {
            continue;
        }
        let path = gum.join("dep").join(format!("{id}.conllu"));
        if !path.exists() {
            continue;
        }
        let sentences = conllu::read_file(&path)?;
        out.push(
            gold_doc(id, genre, &sentences)
                .map_err(|message| super::EvalError::Gold { path, message })?,
        );
    }
    Ok(out)
}

fn gum_dir(data_dir: &Path) -> PathBuf {
    if data_dir.join("splits.tsv").exists() {
        data_dir.to_path_buf()
    } else {
        data_dir.join("gum")
    }
}

/// Builds one [`GoldDoc`] from the parsed sentences of one document.
pub fn gold_doc(id: &str, genre: &str, sentences: &[conllu::Sentence]) -> Result<GoldDoc, String> {
    let mut docs = conllu::rebuild_documents(sentences);
    if docs.len() != 1 {
        return Err(format!("expected one document, found {}", docs.len()));
    }
    let doc = docs.pop().unwrap();
    let claims = extract_claims(id, &doc, sentences)?;
    Ok(GoldDoc {
        doc,
        genre: genre.to_string(),
        claims,
    })
}

/// A doc-level word with its sentence, paragraph state and offsets.
struct DocWord<'a> {
    word: &'a Word,
    sent: usize,
    span: Option<Span>,
    in_quote: bool,
}

/// A parsed relation of the `Discourse=` field.
#[derive(Debug)]
struct Relation {
    name: String,
    src: usize,
    /// 0 for ROOT.
    tgt: usize,
    /// Attachment order on the target side.
    dist: usize,
    primary: bool,
    signals: Vec<Signal>,
}

#[derive(Debug)]
struct Signal {
    class: String,
    subtype: String,
    /// 0-based doc-level word indices.
    words: Vec<usize>,
}

/// Parses one `;`-separated item of a `Discourse=` value.
fn parse_relation(item: &str) -> Option<Relation> {
    let mut parts = item.splitn(5, ':');
    let name = parts.next()?.to_string();
    let edge = parts.next()?;
    let rest: Vec<&str> = parts.collect();
    if name == "ROOT" {
        return Some(Relation {
            name,
            src: edge.parse().ok()?,
            tgt: 0,
            dist: 0,
            primary: true,
            signals: Vec::new(),
        });
    }
    let (src, tgt) = edge.split_once("->")?;
    let (src, tgt) = (src.parse().ok()?, tgt.parse().ok()?);
    // 4 fields: REL:EDGE:DIST:SIGNALS; 5 fields: REL:EDGE:DSRC:DTGT:SIGNALS (secondary edge).
    let (dist, primary, signals) = match rest.as_slice() {
        [d] => (d.parse().ok()?, true, ""),
        [d, s] => (d.parse().ok()?, true, *s),
        [_, d, s] if d.parse::<usize>().is_ok() => (d.parse().ok()?, false, *s),
        _ => return None,
    };
    Some(Relation {
        name,
        src,
        tgt,
        dist,
        primary,
        signals: parse_signals(signals),
    })
}

/// Parses `+`-joined signals; only `class-subtype-TOKENS-source` with numeric tokens yield words.
fn parse_signals(s: &str) -> Vec<Signal> {
    let mut out = Vec::new();
    if s == "_" || s.is_empty() {
        return out;
    }
    for sig in s.split('+') {
        let Some((class, rest)) = sig.split_once('-') else {
            continue;
        };
        let Some((subtype, rest)) = rest.split_once('-') else {
            continue;
        };
        // Strip the trailing `-source` field (`_`, `gold`, …).
        let tokens = rest.rsplit_once('-').map_or(rest, |(t, _)| t);
        let mut words = Vec::new();
        for part in tokens.split(',') {
            let (a, b) = part.split_once('-').unwrap_or((part, part));
            if let (Ok(a), Ok(b)) = (a.parse::<usize>(), b.parse::<usize>()) {
                if a >= 1 && a <= b {
                    words.extend(a - 1..b);
                }
            }
        }
        out.push(Signal {
            class: class.to_string(),
            subtype: subtype.to_string(),
            words,
        });
    }
    out
}

fn is_punct(w: &Word) -> bool {
    w.upos == "PUNCT" || (!w.form.is_empty() && w.form.chars().all(|c| !c.is_alphanumeric()))
}

/// The gold claims of one document: one per attribution relation with content words, without
/// duplicates, sorted by content.
fn extract_claims(
    id: &str,
    doc: &RebuiltDoc,
    sentences: &[conllu::Sentence],
) -> Result<Vec<GoldClaim>, String> {
    let graph = Discourse::read(doc, sentences)?;
    let mut claims: Vec<GoldClaim> = Vec::new();
    for r in graph
        .rels
        .iter()
        .filter(|r| r.name.starts_with("attribution"))
    {
        let Some(claim) = graph.claim(id, r) else {
            continue;
        };
        if !claims
            .iter()
            .any(|c| c.content == claim.content && c.source == claim.source && c.cue == claim.cue)
        {
            claims.push(claim);
        }
    }
    claims.sort_by_key(|c| (c.content.start, c.content.end));
    Ok(claims)
}

/// One document's words and its eRST discourse graph.
struct Discourse<'a> {
    /// Doc-level words, with quotation state.
    words: Vec<DocWord<'a>>,
    /// The first word of each EDU (index = EDU id - 1).
    edu_start: Vec<usize>,
    rels: Vec<Relation>,
    /// Primary children of each EDU: (child, dist, is same-unit).
    children: HashMap<usize, Vec<(usize, usize, bool)>>,
}

impl<'a> Discourse<'a> {
    fn read(doc: &RebuiltDoc, sentences: &'a [conllu::Sentence]) -> Result<Discourse<'a>, String> {
        let words = doc_words(doc, sentences);
        let mut edu_start: Vec<usize> = Vec::new();
        let mut rels: Vec<Relation> = Vec::new();
        for (i, dw) in words.iter().enumerate() {
            let Some(value) = dw.word.misc_value("Discourse") else {
                continue;
            };
            let mut first = true;
            for item in value.split(';') {
                let rel = parse_relation(item)
                    .ok_or_else(|| format!("bad Discourse item {item:?} at word {}", i + 1))?;
                if first {
                    if rel.src != edu_start.len() + 1 {
                        return Err(format!("EDU {} out of order at word {}", rel.src, i + 1));
                    }
                    edu_start.push(i);
                    first = false;
                }
                rels.push(rel);
            }
        }
        let mut children: HashMap<usize, Vec<(usize, usize, bool)>> = HashMap::new();
        for r in rels.iter().filter(|r| r.primary && r.tgt != 0) {
            children.entry(r.tgt).or_default().push((
                r.src,
                r.dist,
                r.name.starts_with("same-unit"),
            ));
        }
        Ok(Discourse {
            words,
            edu_start,
            rels,
            children,
        })
    }

    fn n_edus(&self) -> usize {
        self.edu_start.len()
    }

    /// The words of EDU `e` (1-based): up to the next EDU's first word.
    fn edu_range(&self, e: usize) -> std::ops::Range<usize> {
        let start = self.edu_start[e - 1];
        let end = self.edu_start.get(e).copied().unwrap_or(self.words.len());
        start..end
    }

    /// Adds `root` and the EDUs below it (primary edges) to `out`.
    fn subtree(&self, root: usize, out: &mut Vec<usize>) {
        let mut stack = vec![root];
        while let Some(e) = stack.pop() {
            out.push(e);
            if let Some(ch) = self.children.get(&e) {
                stack.extend(ch.iter().map(|c| c.0));
            }
        }
    }

    /// Adds the content EDUs of attribution `r` to `edus`: its target, and the subtrees of the
    /// target's other children attached before the attribution or forming a same-unit with it.
    fn content_edus(&self, r: &Relation, edus: &mut Vec<usize>) {
        edus.push(r.tgt);
        let key = (r.dist, self.edu_start[r.src - 1]);
        for &(c, d, same_unit) in self.children.get(&r.tgt).into_iter().flatten() {
            if c != r.src && (same_unit || (d, self.edu_start[c - 1]) < key) {
                self.subtree(c, edus);
            }
        }
    }

    /// The aligned words of `r`'s signals that pass `pred`, reduced by [`select_runs`].
    fn signal_words(
        &self,
        r: &Relation,
        src_words: &[usize],
        pred: impl Fn(&Signal) -> bool,
    ) -> Vec<usize> {
        let ws: Vec<usize> = r
            .signals
            .iter()
            .filter(|s| pred(s))
            .flat_map(|s| s.words.iter().copied())
            .filter(|&i| i < self.words.len() && self.words[i].span.is_some())
            .collect();
        select_runs(ws, src_words, &self.words)
    }

    /// The span from the first to the last of `ws`.
    fn cover(&self, ws: &[usize]) -> Option<Span> {
        Some(
            self.words[*ws.first()?]
                .span?
                .cover(self.words[*ws.last()?].span?),
        )
    }

    /// The gold claim of attribution relation `r`; `None` when it points outside the document
    /// or its content has no aligned words.
    fn claim(&self, id: &str, r: &Relation) -> Option<GoldClaim> {
        let n_edus = self.n_edus();
        if r.tgt == 0 || r.tgt > n_edus || r.src > n_edus {
            return None;
        }
        let words = &self.words;
        // When the target is itself an attributing unit ("according to ABC, [Basya believes]
        // [X]"), the content it introduces is added.
        let mut edus = Vec::new();
        self.content_edus(r, &mut edus);
        for inner in self.rels.iter().filter(|i| {
            i.name.starts_with("attribution")
                && i.primary
                && i.src == r.tgt
                && i.tgt != 0
                && i.tgt <= n_edus
        }) {
            self.content_edus(inner, &mut edus);
        }
        let mut content_words: Vec<usize> = edus.iter().flat_map(|&e| self.edu_range(e)).collect();
        content_words.sort_unstable();
        content_words.dedup();
        content_words.retain(|&i| words[i].span.is_some());
        trim_words(&mut content_words, words);
        let content = self.cover(&content_words)?;

        // Words of the attributing unit (with its subtree, e.g. a relative clause on the speaker).
        let mut src_edus = Vec::new();
        self.subtree(r.src, &mut src_edus);
        let src_words: Vec<usize> = src_edus.iter().flat_map(|&e| self.edu_range(e)).collect();
        let source_words =
            self.signal_words(r, &src_words, |s| s.class == "sem" && s.subtype == "atsrc");
        let cue_words = pick_cue_run(
            self.signal_words(r, &src_words, |s| {
                s.class == "lex" && (s.subtype == "indwd" || s.subtype == "indph")
            }),
            &source_words,
            words,
        );
        let lemmas = |ws: &[usize]| -> Vec<String> {
            ws.iter()
                .map(|&i| words[i].word.lemma.to_lowercase())
                .collect()
        };
        let cue_lemmas = lemmas(&cue_words);
        let cognition = cue_lemmas
            .iter()
            .any(|l| COGNITION_LEMMAS.contains(&l.as_str()));
        let has_qt = r
            .signals
            .iter()
            .any(|s| s.class == "grf" && s.subtype == "qt");
        let inside = content_words.iter().filter(|&&i| words[i].in_quote).count();
        Some(GoldClaim {
            doc: id.to_string(),
            content,
            source: self.cover(&source_words),
            cue: self.cover(&cue_words),
            quoted: has_qt || inside * 2 >= content_words.len(),
            negative: r.name == "attribution-negative",
            cognition,
            cue_lemmas,
            source_lemmas: lemmas(&source_words),
            content_words,
        })
    }
}

/// The document's words in order, each with its sentence, span and whether it is inside
/// quotation marks (PTB XPOS ``` `` ``` opens, `''` closes; the state resets at each paragraph).
fn doc_words<'a>(doc: &RebuiltDoc, sentences: &'a [conllu::Sentence]) -> Vec<DocWord<'a>> {
    let mut words: Vec<DocWord> = Vec::new();
    let mut depth = 0usize;
    for (si, &src) in doc.source.iter().enumerate() {
        let sent = &sentences[src];
        if sent.newpar {
            depth = 0;
        }
        for (wi, w) in sent.words.iter().enumerate() {
            let opens = w.xpos == "``";
            let closes = w.xpos == "''";
            if closes {
                depth = depth.saturating_sub(1);
            }
            words.push(DocWord {
                word: w,
                sent: si,
                span: doc.words[si][wi],
                in_quote: depth > 0 && !closes,
            });
            if opens {
                depth += 1;
            }
        }
    }
    words
}

/// Drops punctuation at both ends and a leading complementizer `that`.
fn trim_words(ws: &mut Vec<usize>, words: &[DocWord]) {
    loop {
        let before = ws.len();
        while ws.last().is_some_and(|&i| is_punct(words[i].word)) {
            ws.pop();
        }
        let lead = ws
            .iter()
            .take_while(|&&i| {
                let w = words[i].word;
                is_punct(w)
            })
            .count();
        ws.drain(..lead);
        if let Some(&i) = ws.first() {
            let w = words[i].word;
            if w.lemma.eq_ignore_ascii_case("that") && w.deprel == "mark" {
                ws.remove(0);
            }
        }
        if ws.len() == before {
            return;
        }
    }
}

/// Chooses which of a signal's words to keep: split them into runs of consecutive words; keep
/// the runs touching the attributing unit (`src_words`) if any, else all; keep them all when they
/// are in one sentence (their cover becomes the span), else only the first run.
fn select_runs(mut ws: Vec<usize>, src_words: &[usize], words: &[DocWord]) -> Vec<usize> {
    ws.sort_unstable();
    ws.dedup();
    let mut runs: Vec<Vec<usize>> = Vec::new();
    for i in ws {
        match runs.last_mut() {
            Some(run) if *run.last().unwrap() + 1 == i => run.push(i),
            _ => runs.push(vec![i]),
        }
    }
    if runs
        .iter()
        .any(|run| run.iter().any(|i| src_words.contains(i)))
    {
        runs.retain(|run| run.iter().any(|i| src_words.contains(i)));
    }
    let Some(first) = runs.first() else {
        return Vec::new();
    };
    let sent = words[first[0]].sent;
    if runs.iter().flatten().all(|&i| words[i].sent == sent) {
        runs.concat()
    } else {
        first.clone()
    }
}

/// Reduces the cue words to one run of consecutive words: `lex-indwd` also marks reporting nouns
/// ("the report's authors say"), so runs outside the source win, then runs with a verb, then the
/// run nearest the source (or the last run when there is no source).
fn pick_cue_run(ws: Vec<usize>, source: &[usize], words: &[DocWord]) -> Vec<usize> {
    let mut runs: Vec<Vec<usize>> = Vec::new();
    for i in ws {
        match runs.last_mut() {
            Some(run) if *run.last().unwrap() + 1 == i => run.push(i),
            _ => runs.push(vec![i]),
        }
    }
    let dist = |run: &[usize]| -> usize {
        source
            .iter()
            .flat_map(|&s| run.iter().map(move |&r| s.abs_diff(r)))
            .min()
            .unwrap_or(usize::MAX - run[0])
    };
    runs.into_iter()
        .enumerate()
        .min_by_key(|(_, run)| {
            let in_source = run.iter().all(|i| source.contains(i));
            let verb = run.iter().any(|&i| words[i].word.upos == "VERB");
            (in_source, !verb, dist(run))
        })
        .map(|(_, run)| run)
        .unwrap_or_default()
}

/// The word tokens (maximal runs of alphanumeric characters) of `span`, as absolute byte ranges.
fn word_tokens(text: &str, span: Span) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in span.slice(text).char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((span.start + s, span.start + i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((span.start + s, span.end));
    }
    out
}

/// Token-overlap F1 between two spans of the same text, over word tokens (maximal alphanumeric
/// runs, i.e. separated by whitespace/punctuation). Tokens are compared by position, so a word
/// repeated elsewhere does not count. 0.0 when either span has no tokens. A predicted content
/// matches a gold one when this is >= 0.5.
pub fn overlap_f1(text: &str, a: Span, b: Span) -> f64 {
    let ta = word_tokens(text, a);
    let tb = word_tokens(text, b);
    if ta.is_empty() || tb.is_empty() {
        return 0.0;
    }
    let common = ta.iter().filter(|t| tb.binary_search(t).is_ok()).count();
    2.0 * common as f64 / (ta.len() + tb.len()) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sentence 1: "Prices will rise, the minister said." EDU 1 = content, EDU 2 = attribution.
    /// Sentence 2: "“We are ready,” she added, “and we will act.”" EDU 3 = content, 4 = "she added",
    /// 5 = joint-list_m child of 3 with dist 0 (inside the attributed span); 6 = a later
    /// elaboration with dist 2 (outside it). Sentence 3: "Nobody thinks that it works." (negative).
    const SNIPPET: &str = "# newdoc id = d1\n# newpar\n# sent_id = d1-1\n\
# text = Prices will rise, the minister said.\n\
1\tPrices\tprice\tNOUN\tNNS\t_\t3\tnsubj\t_\tDiscourse=ROOT:1:0\n\
2\twill\twill\tAUX\tMD\t_\t3\taux\t_\t_\n\
3\trise\trise\tVERB\tVB\t_\t0\troot\t_\tSpaceAfter=No\n\
4\t,\t,\tPUNCT\t,\t_\t3\tpunct\t_\t_\n\
5\tthe\tthe\tDET\tDT\t_\t6\tdet\t_\tDiscourse=attribution-positive:2->1:1:sem-atsrc-5-6-_+lex-indwd-7-_\n\
6\tminister\tminister\tNOUN\tNN\t_\t7\tnsubj\t_\t_\n\
7\tsaid\tsay\tVERB\tVBD\t_\t3\tparataxis\t_\tSpaceAfter=No\n\
8\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_\n\n\
# newpar\n# sent_id = d1-2\n# text = “We are ready,” she added, “and we will act.” Really.\n\
1\t“\t\"\tPUNCT\t``\t_\t4\tpunct\t_\tDiscourse=elaboration-additional:3->1:3|SpaceAfter=No\n\
2\tWe\twe\tPRON\tPRP\t_\t4\tnsubj\t_\t_\n\
3\tare\tbe\tAUX\tVBP\t_\t4\tcop\t_\t_\n\
4\tready\tready\tADJ\tJJ\t_\t0\troot\t_\tSpaceAfter=No\n\
5\t,\t,\tPUNCT\t,\t_\t4\tpunct\t_\tSpaceAfter=No\n\
6\t”\t\"\tPUNCT\t''\t_\t4\tpunct\t_\t_\n\
7\tshe\tshe\tPRON\tPRP\t_\t8\tnsubj\t_\tDiscourse=attribution-positive:4->3:1:sem-atsrc-15-_+lex-indwd-16-_+grf-qt-9,24-_\n\
8\tadded\tadd\tVERB\tVBD\t_\t4\tparataxis\t_\tSpaceAfter=No\n\
9\t,\t,\tPUNCT\t,\t_\t8\tpunct\t_\t_\n\
10\t“\t\"\tPUNCT\t``\t_\t14\tpunct\t_\tDiscourse=joint-list_m:5->3:0|SpaceAfter=No\n\
11\tand\tand\tCCONJ\tCC\t_\t14\tcc\t_\t_\n\
12\twe\twe\tPRON\tPRP\t_\t14\tnsubj\t_\t_\n\
13\twill\twill\tAUX\tMD\t_\t14\taux\t_\t_\n\
14\tact\tact\tVERB\tVB\t_\t4\tconj\t_\tSpaceAfter=No\n\
15\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\tSpaceAfter=No\n\
16\t”\t\"\tPUNCT\t''\t_\t4\tpunct\t_\t_\n\
17\tReally\treally\tADV\tRB\t_\t0\troot\t_\tDiscourse=evaluation-comment:6->3:2|SpaceAfter=No\n\
18\t.\t.\tPUNCT\t.\t_\t17\tpunct\t_\t_\n\n\
# sent_id = d1-3\n# text = Nobody thinks that it works.\n\
1\tNobody\tnobody\tPRON\tNN\t_\t2\tnsubj\t_\tDiscourse=attribution-negative:7->8:0:sem-atsrc-27-_+lex-indwd-28-_;joint-other:7->1:0:0:_\n\
2\tthinks\tthink\tVERB\tVBZ\t_\t0\troot\t_\t_\n\
3\tthat\tthat\tSCONJ\tIN\t_\t5\tmark\t_\tDiscourse=elaboration-additional:8->1:4\n\
4\tit\tit\tPRON\tPRP\t_\t5\tnsubj\t_\t_\n\
5\tworks\twork\tVERB\tVBZ\t_\t2\tccomp\t_\tSpaceAfter=No\n\
6\t.\t.\tPUNCT\t.\t_\t2\tpunct\t_\t_\n\n";

    fn snippet_doc() -> GoldDoc {
        gold_doc("d1", "news", &conllu::parse(SNIPPET)).unwrap()
    }

    #[test]
    fn parses_relations_and_signals() {
        let r = parse_relation("attribution-positive:3->57:7:sem-atsrc-12-46-gold+lex-indwd-40-_")
            .unwrap();
        assert_eq!((r.src, r.tgt, r.dist, r.primary), (3, 57, 7, true));
        assert_eq!(r.signals[0].words, (11..46).collect::<Vec<_>>());
        assert_eq!(r.signals[1].words, vec![39]);
        let r = parse_relation("joint-list:14->13:1:0:orp-and-120-gold").unwrap();
        assert_eq!((r.tgt, r.dist, r.primary), (13, 0, false));
        let r = parse_relation("ROOT:3:0").unwrap();
        assert_eq!((r.src, r.tgt), (3, 0));
        let cases: &[(&str, Vec<usize>)] = &[
            ("sem-rpt-207-208,222-224-_", vec![206, 207, 221, 222, 223]),
            ("grf-qt-9,14-_", vec![8, 13]),
            ("grf-ly-_-_", vec![]),
            (
                "dm-on the other hand-344-347-gold",
                vec![343, 344, 345, 346],
            ),
        ];
        for (s, want) in cases {
            assert_eq!(&parse_signals(s)[0].words, want, "{s}");
        }
    }

    #[test]
    fn extracts_claims_from_snippet() {
        let d = snippet_doc();
        let t = &d.doc.text;
        let show = |s: Option<Span>| s.map(|s| s.slice(t).to_string());
        // (content, source, cue, quoted, negative, cognition, n content words)
        let want = [
            (
                "Prices will rise",
                "the minister",
                "said",
                false,
                false,
                false,
                3,
            ),
            (
                "We are ready,” she added, “and we will act",
                "she",
                "added",
                true,
                false,
                false,
                10,
            ),
            ("it works", "Nobody", "thinks", false, true, true, 2),
        ];
        assert_eq!(d.claims.len(), want.len(), "{:#?}", d.claims);
        for (c, w) in d.claims.iter().zip(want) {
            assert_eq!(c.content.slice(t), w.0);
            assert_eq!(show(c.source).as_deref(), Some(w.1));
            assert_eq!(show(c.cue).as_deref(), Some(w.2));
            assert_eq!(
                (c.quoted, c.negative, c.cognition),
                (w.3, w.4, w.5),
                "{}",
                w.0
            );
            assert_eq!(c.content_words.len(), w.6, "{}", w.0);
        }
        // Content words skip the interrupting "she added", keep inner punctuation, and map back
        // to their text.
        let words: Vec<String> = d.claims[1]
            .content_words
            .iter()
            .map(|&i| d.word_span(i).unwrap().slice(t).to_string())
            .collect();
        assert_eq!(
            words,
            ["We", "are", "ready", ",", "”", "“", "and", "we", "will", "act"]
        );
    }

    #[test]
    fn overlap_f1_cases() {
        let text = "He said the plan will fail, and the plan will cost money.";
        let sp = |s: &str| {
            let i = text.find(s).unwrap();
            Span::new(i, i + s.len())
        };
        let cases = [
            (sp("the plan will fail"), sp("the plan will fail"), 1.0),
            (
                sp("the plan will fail,"),
                sp("plan will fail"),
                2.0 * 3.0 / 7.0,
            ),
            // Same words at another position do not count.
            (sp("the plan will fail"), sp("the plan will cost"), 0.0),
            (sp("said the plan"), sp("He"), 0.0),
            (sp("the plan"), Span::new(0, 0), 0.0),
        ];
        for (a, b, want) in cases {
            let got = overlap_f1(text, a, b);
            assert!((got - want).abs() < 1e-9, "{a:?} {b:?}: {got} != {want}");
            assert!((overlap_f1(text, b, a) - got).abs() < 1e-12);
        }
    }

    #[test]
    fn dev_news_interview_speech_counts_are_sane() {
        let dir = crate::testing::data_path();
        let Some(docs) =
            crate::testing::loaded(load(&dir, "dev", &["news", "interview", "speech"]))
        else {
            return;
        };
        assert_eq!(docs.len(), 6, "2 dev docs per genre");
        let claims: Vec<&GoldClaim> = docs.iter().flat_map(|d| &d.claims).collect();
        let count = |f: &dyn Fn(&GoldClaim) -> bool| claims.iter().filter(|c| f(c)).count();
        let (quoted, cognition) = (count(&|c| c.quoted), count(&|c| c.cognition));
        let (no_source, no_cue) = (count(&|c| c.source.is_none()), count(&|c| c.cue.is_none()));
        println!(
            "dev claims {} quoted {quoted} cognition {cognition} negative {} \
             no source {no_source} no cue {no_cue}",
            claims.len(),
            count(&|c| c.negative)
        );
        // 58 attribution relations in these 6 docs (GUM 2025-05, checked by grep).
        assert!((40..200).contains(&claims.len()), "{} claims", claims.len());
        assert!(quoted > 5 && quoted < claims.len());
        assert!(cognition > 3 && cognition < claims.len());
        assert_eq!(no_source, 0, "every GUM attribution has a sem-atsrc signal");
        assert!(no_cue * 4 < claims.len());
        for d in &docs {
            assert!(d.doc.id.starts_with("GUM_"));
            assert!(!d.claims.is_empty(), "{} has no claims", d.doc.id);
            for c in &d.claims {
                let s = c.content.slice(&d.doc.text);
                assert!(
                    !s.is_empty() && !s.ends_with('.') && !s.starts_with("that "),
                    "{s:?}"
                );
                for sp in [c.source, c.cue].into_iter().flatten() {
                    assert!(sp.end <= d.doc.text.len() && !sp.is_empty());
                }
            }
        }
    }
}
