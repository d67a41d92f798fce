//! `whosaid show`: HTML pages to look at, built from the same rows as the CSV (no second
//! extraction) plus each article's text.
//!
//! - [`page`]: one article's text with each claim's source, cue and content marked, a legend
//!   and filters, and a table of the claims;
//! - [`index`]: for a folder, every entity across the articles and every article, linked;
//! - [`show`]: runs the pipeline over articles a window at a time (as `pipeline::run` does)
//!   and writes one page, or a folder of pages mirroring the articles' paths plus `index.html`.
//!
//! Pages are self-contained (inline CSS and script, system fonts, no network) and everything
//! taken from an article is escaped ([`html`]).

pub mod html;
pub mod index;
pub mod page;

use crate::document::ClaimKind;
use crate::input::{read_article, Article};
use crate::output::{rows, Row};
use crate::pipeline::{Pipeline, WINDOW};
use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

/// The pages' style sheet (article and index).
pub const STYLE: &str = include_str!("style.css");
/// The article page's script: highlighting, filters, going to a claim.
pub const PAGE_JS: &str = include_str!("page.js");
/// The index page's script: sorting the tables.
pub const INDEX_JS: &str = include_str!("index.js");

/// How a kind of claim is named on the pages; `name` is the CSV `kind`.
pub struct KindInfo {
    pub name: &'static str,
    pub label: &'static str,
    /// For the claims table's narrow kind column.
    pub short: &'static str,
    pub one: &'static str,
    pub many: &'static str,
    pub many_title: &'static str,
}

/// Every kind of the CSV contract, in the order the pages list them. Each has its colours in
/// `style.css` (`ct-NAME`, `cue-NAME`).
pub const KINDS: [KindInfo; 7] = [
    KindInfo {
        name: "direct_quote",
        label: "Direct quote",
        short: "Direct",
        one: "direct quote",
        many: "direct quotes",
        many_title: "Direct quotes",
    },
    KindInfo {
        name: "indirect_quote",
        label: "Indirect quote",
        short: "Indirect",
        one: "indirect quote",
        many: "indirect quotes",
        many_title: "Indirect quotes",
    },
    KindInfo {
        name: "mixed_quote",
        label: "Mixed quote",
        short: "Mixed",
        one: "mixed quote",
        many: "mixed quotes",
        many_title: "Mixed quotes",
    },
    KindInfo {
        name: "belief",
        label: "Belief",
        short: "Belief",
        one: "belief",
        many: "beliefs",
        many_title: "Beliefs",
    },
    KindInfo {
        name: "evidence",
        label: "Evidence",
        short: "Evidence",
        one: "piece of evidence",
        many: "pieces of evidence",
        many_title: "Evidence",
    },
    KindInfo {
        name: "speech_act",
        label: "Speech act",
        short: "Act",
        one: "speech act",
        many: "speech acts",
        many_title: "Speech acts",
    },
    KindInfo {
        name: "action",
        label: "Action",
        short: "Action",
        one: "action",
        many: "actions",
        many_title: "Actions",
    },
];

/// The display label of a CSV kind (the kind itself if it is not one the pages know).
pub fn kind_label(kind: &str) -> &str {
    KINDS
        .iter()
        .find(|k| k.name == kind)
        .map_or(kind, |k| k.label)
}

/// The short label of a CSV kind (the kind itself if it is not one the pages know).
pub fn kind_short(kind: &str) -> &str {
    KINDS
        .iter()
        .find(|k| k.name == kind)
        .map_or(kind, |k| k.short)
}

/// Entity colours: dark enough for underlines and dots (at least 3:1 on white and on every
/// content background), and far apart in hue.
pub const PALETTE: [&str; 12] = [
    "#0b5cad", "#c0392b", "#1e7b34", "#7b2cbf", "#b85c00", "#00767a", "#a3136c", "#5f6f00",
    "#24292f", "#7a4a21", "#4a5a68", "#8a6a00",
];

/// An entity's own palette slot: FNV-1a of its name, the same on every page and machine.
pub fn entity_slot(name: &str) -> usize {
    let mut h: u32 = 0x811c_9dc5;
    for b in name.bytes() {
        h ^= b as u32;
        h = h.wrapping_mul(0x0100_0193);
    }
    h as usize % PALETTE.len()
}

/// The resolved entities of a page, each with a CSS class (`e0`, `e1`, … in name order) and a
/// colour chosen from the names alone: entities, most named first (then by name), take their
/// own slot ([`entity_slot`]) or, if an earlier one holds it, the next free one, so that a
/// page's entities differ while it has no more than the palette holds.
pub struct EntityColours {
    counts: BTreeMap<String, usize>,
    /// Class number and palette slot of each entity.
    index: BTreeMap<String, (usize, usize)>,
}

impl EntityColours {
    pub fn new<'a>(entities: impl IntoIterator<Item = &'a str>) -> EntityColours {
        let mut counts = BTreeMap::new();
        for e in entities.into_iter().filter(|e| !e.is_empty()) {
            *counts.entry(e.to_string()).or_insert(0) += 1;
        }
        let mut by_weight: Vec<(&String, &usize)> = counts.iter().collect();
        by_weight.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let mut taken = [false; PALETTE.len()];
        let mut slots = BTreeMap::new();
        for (e, _) in by_weight {
            let own = entity_slot(e);
            let slot = (0..PALETTE.len())
                .map(|k| (own + k) % PALETTE.len())
                .find(|&s| !taken[s])
                .unwrap_or(own);
            taken[slot] = true;
            if taken.iter().all(|&t| t) {
                taken = [false; PALETTE.len()];
            }
            slots.insert(e.clone(), slot);
        }
        let index = counts
            .keys()
            .enumerate()
            .map(|(i, e)| (e.clone(), (i, slots[e])))
            .collect();
        EntityColours { counts, index }
    }

    /// The class of `entity`; `e-none` for a source with no resolved entity.
    pub fn class(&self, entity: &str) -> String {
        match self.index.get(entity) {
            Some((i, _)) => format!("e{i}"),
            None => "e-none".to_string(),
        }
    }

    /// Entities in name order with the number of rows naming each.
    pub fn counts(&self) -> impl Iterator<Item = (&str, usize)> {
        self.counts.iter().map(|(e, &n)| (e.as_str(), n))
    }
}

/// One rule per entity class, setting `--e` to its colour.
pub fn entity_colour_css(colours: &EntityColours) -> String {
    let mut css = String::new();
    for (i, slot) in colours.index.values() {
        writeln!(css, ".e{i}{{--e:{}}}", PALETTE[*slot]).unwrap();
    }
    css
}

/// Where `show` writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// One page for one article (`-o page.html`).
    Page(PathBuf),
    /// A folder: one page per article, paths mirrored, and `index.html`.
    Folder(PathBuf),
}

impl Target {
    /// A path ending in `.html` or `.htm` is one page; anything else is a folder.
    pub fn for_path(path: &Path) -> Target {
        let page = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"));
        if page {
            Target::Page(path.to_path_buf())
        } else {
            Target::Folder(path.to_path_buf())
        }
    }
}

/// What `show` needs besides the articles: the options `run` has.
#[derive(Clone, Debug)]
pub struct ShowOptions {
    pub threads: usize,
    pub max_bytes: u64,
    /// Kinds shown; all when empty.
    pub kinds: Vec<ClaimKind>,
}

/// What a `show` did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShowStats {
    pub articles: usize,
    pub failed: usize,
    pub rows: usize,
    pub pages: usize,
}

/// Why `show` stopped (an article that fails does not stop it: it is counted and listed).
#[derive(Debug, thiserror::Error)]
pub enum ShowError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is one page, for one article, but {articles} articles were given (give a folder name to get a page per article and an index)")]
    OnePage { path: PathBuf, articles: usize },
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> ShowError + '_ {
    move |source| ShowError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The page path of each article inside the output folder, `/`-separated: its name's path
/// with `.txt` replaced by `.html` (other names get `.html` appended), `..` as `up`, roots
/// dropped; clashes (and `index.html`) get `-2`, `-3`, … before the extension.
pub fn page_paths(articles: &[Article]) -> Vec<String> {
    let mut used: HashSet<String> = HashSet::from(["index.html".to_string()]);
    articles
        .iter()
        .map(|a| {
            let mut segs: Vec<String> = Path::new(&a.name)
                .components()
                .filter_map(|c| match c {
                    Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                    Component::ParentDir => Some("up".to_string()),
                    _ => None,
                })
                .collect();
            let last = segs.pop().unwrap_or_else(|| "article".to_string());
            let stem = match last.rsplit_once('.') {
                Some((s, ext)) if ext.eq_ignore_ascii_case("txt") && !s.is_empty() => s.to_string(),
                _ => last,
            };
            let dir: String = segs.iter().map(|s| format!("{s}/")).collect();
            let mut n = 1;
            loop {
                let candidate = if n == 1 {
                    format!("{dir}{stem}.html")
                } else {
                    format!("{dir}{stem}-{n}.html")
                };
                if used.insert(candidate.to_lowercase()) {
                    break candidate;
                }
                n += 1;
            }
        })
        .collect()
}

/// One article's outcome: its text and rows, or why it failed.
type Processed = Result<(String, Vec<Row>), String>;

/// Runs the pipeline on each window of articles, the windows of `pipeline::run` (the model
/// batches across a window: the same windows give the same rows as `run`), and hands each
/// article's outcome, in order, to `each`.
fn for_each_article(
    pipeline: &Pipeline,
    articles: &[Article],
    opts: &ShowOptions,
    mut each: impl FnMut(usize, &Article, Processed) -> Result<(), ShowError>,
) -> Result<(), ShowError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads.max(1))
        .build()
        .map_err(|e| io_err(Path::new("thread pool"))(std::io::Error::other(e)))?;
    for (w, chunk) in articles.chunks(WINDOW).enumerate() {
        let results: Vec<Processed> = pool.install(|| {
            use rayon::prelude::*;
            let texts: Vec<Result<String, String>> = chunk
                .par_iter()
                .map(|a| read_article(&a.path, opts.max_bytes).map_err(|e| e.to_string()))
                .collect();
            let ok: Vec<bool> = texts.iter().map(Result::is_ok).collect();
            let (read, errors): (Vec<_>, Vec<_>) = texts.into_iter().partition(Result::is_ok);
            let mut docs = pipeline
                .process_many(read.into_iter().flatten().collect())
                .into_iter();
            let mut errors = errors.into_iter().filter_map(Result::err);
            ok.iter()
                .zip(chunk)
                .map(|(&ok, a)| {
                    if !ok {
                        return Err(errors.next().expect("one error per unread article"));
                    }
                    let doc = docs.next().expect("one document per text");
                    let doc = doc.map_err(|e| e.to_string())?;
                    let mut r = rows(&a.name, &doc);
                    if !opts.kinds.is_empty() {
                        r.retain(|row| opts.kinds.iter().any(|k| k.as_str() == row.kind));
                    }
                    Ok((doc.text, r))
                })
                .collect()
        });
        for (i, (a, res)) in chunk.iter().zip(results).enumerate() {
            each(w * WINDOW + i, a, res)?;
        }
    }
    Ok(())
}

/// Writes `contents` to `path` through a temporary file beside it, so that a page is never
/// left half written.
fn write_file(path: &Path, contents: &str) -> Result<(), ShowError> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io_err(dir))?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(io_err(dir))?;
    std::io::Write::write_all(&mut tmp, contents.as_bytes()).map_err(io_err(path))?;
    tmp.persist(path).map_err(|e| io_err(path)(e.error))?;
    Ok(())
}

/// Processes `articles` and writes their pages to `target`. `unread` are inputs that could
/// not be found (name, error), listed in the index as failed. An article that fails prints one
/// line naming it on stderr, is listed in the index with its error, and the others go on.
pub fn show(
    pipeline: &Pipeline,
    articles: &[Article],
    unread: &[(String, String)],
    target: &Target,
    opts: &ShowOptions,
) -> Result<ShowStats, ShowError> {
    let mut stats = ShowStats::default();
    let fail = |stats: &mut ShowStats, a: &Article, e: &str| {
        stats.failed += 1;
        eprintln!("whosaid: {}: {e}", a.path.display());
    };
    match target {
        Target::Page(path) => {
            if articles.len() != 1 {
                return Err(ShowError::OnePage {
                    path: path.clone(),
                    articles: articles.len(),
                });
            }
            for_each_article(pipeline, articles, opts, |_, a, res| {
                stats.articles += 1;
                match res {
                    Ok((text, rows)) => {
                        let view = page::ArticleView {
                            name: &a.name,
                            text: &text,
                            rows: &rows,
                        };
                        write_file(path, &page::article_page(&view, None))?;
                        stats.rows += rows.len();
                        stats.pages += 1;
                    }
                    Err(e) => fail(&mut stats, a, &e),
                }
                Ok(())
            })?;
        }
        Target::Folder(dir) => {
            std::fs::create_dir_all(dir).map_err(io_err(dir))?;
            let paths = page_paths(articles);
            let mut idx = index::Index::default();
            for (name, e) in unread {
                idx.add_failed(name, e);
            }
            for_each_article(pipeline, articles, opts, |i, a, res| {
                stats.articles += 1;
                match res {
                    Ok((text, rows)) => {
                        let depth = paths[i].matches('/').count();
                        let back = format!("{}index.html", "../".repeat(depth));
                        let view = page::ArticleView {
                            name: &a.name,
                            text: &text,
                            rows: &rows,
                        };
                        write_file(
                            &dir.join(&paths[i]),
                            &page::article_page(&view, Some(&back)),
                        )?;
                        idx.add(&a.name, &paths[i], &rows);
                        stats.rows += rows.len();
                        stats.pages += 1;
                    }
                    Err(e) => {
                        fail(&mut stats, a, &e);
                        idx.add_failed(&a.name, &e);
                    }
                }
                Ok(())
            })?;
            write_file(&dir.join("index.html"), &idx.page())?;
        }
    }
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn art(name: &str) -> Article {
        Article {
            name: name.into(),
            path: PathBuf::from(name),
        }
    }

    #[test]
    fn page_paths_mirror_names_and_never_clash() {
        let arts = [
            art("a.txt"),
            art("sub/b.TXT"),
            art("notes.md"),
            art("index.txt"),
            art("/abs/../x.txt"),
            art("A.txt"),
        ];
        assert_eq!(
            page_paths(&arts),
            [
                "a.html",
                "sub/b.html",
                "notes.md.html",
                "index-2.html",
                "abs/up/x.html",
                "A-2.html"
            ]
        );
    }

    #[test]
    fn entity_colours_come_from_the_names_and_differ_on_a_page() {
        let a = EntityColours::new(["Putin", "Zelensky", "", "Putin"]);
        let b = EntityColours::new(["Zelensky"]);
        assert_eq!(a.class("Zelensky"), "e1");
        assert_eq!(b.class("Zelensky"), "e0");
        assert_eq!(a.class(""), "e-none");
        let own = PALETTE[entity_slot("Zelensky")];
        assert!(entity_colour_css(&b).contains(&format!(".e0{{--e:{own}}}")));
        assert_eq!(
            a.counts().collect::<Vec<_>>(),
            [("Putin", 2), ("Zelensky", 1)]
        );
        // Twelve names get twelve colours, whatever their own slots.
        let names: Vec<String> = (0..12).map(|i| format!("Person {i}")).collect();
        let many = EntityColours::new(names.iter().map(String::as_str));
        let css = entity_colour_css(&many);
        let used: HashSet<&str> = PALETTE
            .iter()
            .copied()
            .filter(|c| css.contains(c))
            .collect();
        assert_eq!(used.len(), 12);
    }

    #[test]
    fn target_follows_the_extension() {
        assert!(matches!(
            Target::for_path(Path::new("x/p.HTML")),
            Target::Page(_)
        ));
        assert!(matches!(
            Target::for_path(Path::new("out")),
            Target::Folder(_)
        ));
    }
}
