//! The folder's `index.html`: every resolved entity across the articles (its quotes, beliefs,
//! evidence, speech acts, actions and the articles it appears in, linked) and every article (its counts
//! and a link, or the error that stopped it). Both tables sort by any column.

use super::html::component;
use super::html::{escape, href};
use super::KINDS;
use crate::output::Row;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// Counts of one article or entity, grouped as the index's columns.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub quotes: usize,
    pub beliefs: usize,
    pub evidence: usize,
    pub speech_acts: usize,
    pub actions: usize,
}

impl Counts {
    fn add(&mut self, kind: &str) {
        match kind {
            "direct_quote" | "indirect_quote" | "mixed_quote" => self.quotes += 1,
            "belief" => self.beliefs += 1,
            "evidence" => self.evidence += 1,
            "speech_act" => self.speech_acts += 1,
            "action" => self.actions += 1,
            _ => {}
        }
    }

    fn total(&self) -> usize {
        self.quotes + self.beliefs + self.evidence + self.speech_acts + self.actions
    }
}

struct ArticleEntry {
    name: String,
    /// Path of its page inside the folder; `None` when it failed.
    page: Option<String>,
    counts: Counts,
    error: Option<String>,
}

#[derive(Default)]
struct EntityEntry {
    types: BTreeSet<String>,
    counts: Counts,
    /// Indexes into `Index::articles`.
    articles: BTreeSet<usize>,
}

/// What the index lists, gathered article by article.
#[derive(Default)]
pub struct Index {
    articles: Vec<ArticleEntry>,
    entities: BTreeMap<String, EntityEntry>,
}

impl Index {
    /// An article whose page is at `page` (relative to the folder), with its rows.
    pub fn add(&mut self, name: &str, page: &str, rows: &[Row]) {
        let i = self.articles.len();
        let mut counts = Counts::default();
        for r in rows {
            counts.add(r.kind);
            if r.entity.is_empty() {
                continue;
            }
            let e = self.entities.entry(r.entity.clone()).or_default();
            e.counts.add(r.kind);
            if !r.entity_type.is_empty() {
                e.types.insert(r.entity_type.clone());
            }
            e.articles.insert(i);
        }
        self.articles.push(ArticleEntry {
            name: name.to_string(),
            page: Some(page.to_string()),
            counts,
            error: None,
        });
    }

    /// An article (or input) that failed, with its error.
    pub fn add_failed(&mut self, name: &str, error: &str) {
        self.articles.push(ArticleEntry {
            name: name.to_string(),
            page: None,
            counts: Counts::default(),
            error: Some(error.to_string()),
        });
    }

    /// The index page.
    pub fn page(&self) -> String {
        let mut out = String::with_capacity(16_000 + self.entities.len() * 400);
        let failed = self.articles.iter().filter(|a| a.error.is_some()).count();
        let claims: usize = self.articles.iter().map(|a| a.counts.total()).sum();
        write!(
            out,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta name=\"generator\" content=\"whosaid show\">\n\
             <title>Who said what · whosaid</title>\n<style>\n{}</style>\n</head>\n<body class=\"index-page\">\n\
             <header class=\"top\"><h1>Who said what</h1>\n<p class=\"summary\">{} article{}{}, {claims} claims, {} entities · <a href=\"#ent-h\">Entities</a> · <a href=\"#art-h\">Articles</a></p></header>\n<main>\n",
            super::STYLE,
            self.articles.len(),
            if self.articles.len() == 1 { "" } else { "s" },
            if failed > 0 {
                format!(" (<strong class=\"bad\">{failed} failed</strong>)")
            } else {
                String::new()
            },
            self.entities.len(),
        )
        .unwrap();

        // Numbers sort as numbers; count columns are right-aligned like their cells.
        let sort_th = |label: &str, ty: &str| {
            let align = if ty == "num" && label != "Articles" {
                "right"
            } else {
                "left"
            };
            format!(
                "<th scope=\"col\" class=\"{align}\" aria-sort=\"none\"><button type=\"button\" class=\"sort\" data-type=\"{ty}\">{label}<span class=\"arrow\" aria-hidden=\"true\"></span></button></th>"
            )
        };
        let num_cells = |c: &Counts| {
            [c.quotes, c.beliefs, c.evidence, c.speech_acts, c.actions]
                .iter()
                .map(|&n| num_cell(n))
                .collect::<String>()
        };

        out.push_str("<section aria-labelledby=\"ent-h\">\n<h2 id=\"ent-h\">Entities</h2>\n");
        if self.entities.is_empty() {
            out.push_str("<p>No resolved entities.</p>\n");
        } else {
            write!(
                out,
                "<table class=\"sortable\" id=\"entities\">\n<caption>Resolved names across all articles; choose a column heading to sort.</caption>\n<thead><tr>{}{}{}{}{}{}{}{}</tr></thead>\n<tbody>\n",
                sort_th("Entity", "text"),
                sort_th("Type", "text"),
                sort_th("Quotes", "num"),
                sort_th("Beliefs", "num"),
                sort_th("Evidence", "num"),
                sort_th("Speech acts", "num"),
                sort_th("Actions", "num"),
                sort_th("Articles", "num"),
            )
            .unwrap();
            for (name, e) in &self.entities {
                let types: Vec<&str> = e.types.iter().map(String::as_str).collect();
                let links: Vec<String> = e
                    .articles
                    .iter()
                    .map(|&i| {
                        let a = &self.articles[i];
                        // Opens the page filtered to this entity.
                        format!(
                            "<a href=\"{}?entity={}\">{}</a>",
                            escape(&href(a.page.as_deref().unwrap_or_default())),
                            escape(&component(name)),
                            escape(&a.name)
                        )
                    })
                    .collect();
                writeln!(
                    out,
                    "<tr><th scope=\"row\" data-sort=\"{}\">{}</th>\
                     <td data-sort=\"{}\">{}</td>{}<td data-sort=\"{}\"><span class=\"n\">{}</span> <span class=\"links\">{}</span></td></tr>",
                    escape(name),
                    escape(name),
                    escape(&types.join(" ")),
                    escape(&types.join(", ")),
                    num_cells(&e.counts),
                    e.articles.len(),
                    e.articles.len(),
                    links.join(", "),
                )
                .unwrap();
            }
            out.push_str("</tbody>\n</table>\n");
        }
        out.push_str("</section>\n");

        write!(
            out,
            "<section aria-labelledby=\"art-h\">\n<h2 id=\"art-h\">Articles</h2>\n\
             <table class=\"sortable\" id=\"articles\">\n<caption>Each article's claims; failed articles show their error.</caption>\n<thead><tr>{}{}{}{}{}{}{}</tr></thead>\n<tbody>\n",
            sort_th("Article", "text"),
            sort_th("Quotes", "num"),
            sort_th("Beliefs", "num"),
            sort_th("Evidence", "num"),
            sort_th("Speech acts", "num"),
            sort_th("Actions", "num"),
            sort_th("Claims", "num"),
        )
        .unwrap();
        for a in &self.articles {
            match (&a.page, &a.error) {
                (Some(page), _) => writeln!(
                    out,
                    "<tr><th scope=\"row\" data-sort=\"{}\"><a href=\"{}\">{}</a></th>{}{}</tr>",
                    escape(&a.name),
                    escape(&href(page)),
                    escape(&a.name),
                    num_cells(&a.counts),
                    num_cell(a.counts.total()),
                )
                .unwrap(),
                (None, error) => writeln!(
                    out,
                    "<tr class=\"failed\"><th scope=\"row\" data-sort=\"{}\">{}</th><td colspan=\"6\" data-sort=\"-1\"><strong class=\"bad\">failed:</strong> {}</td></tr>",
                    escape(&a.name),
                    escape(&a.name),
                    escape(error.as_deref().unwrap_or_default()),
                )
                .unwrap(),
            }
        }
        out.push_str("</tbody>\n</table>\n</section>\n");
        let kinds: Vec<&str> = KINDS.iter().map(|k| k.many).collect();
        write!(
            out,
            "</main>\n<footer class=\"foot\">Made by <code>whosaid show</code>. Quotes are direct, indirect and mixed quotes; the kinds are {}.</footer>\n<script>\n{}</script>\n</body>\n</html>\n",
            kinds.join(", "),
            super::INDEX_JS
        )
        .unwrap();
        out
    }
}

/// A count cell: sorts as a number, zero greyed so the counts that matter stand out.
fn num_cell(n: usize) -> String {
    let zero = if n == 0 { " zero" } else { "" };
    format!("<td class=\"num{zero}\" data-sort=\"{n}\">{n}</td>")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(kind: &'static str, entity: &str) -> Row {
        Row {
            article: String::new(),
            sentence: 0,
            kind,
            who: String::new(),
            entity: entity.into(),
            entity_type: "PER".into(),
            verb: String::new(),
            what: String::new(),
            who_start: None,
            who_end: None,
            verb_start: None,
            verb_end: None,
            what_start: None,
            what_end: None,
        }
    }

    #[test]
    fn entities_count_across_articles_and_link_to_them() {
        let mut idx = Index::default();
        idx.add(
            "a b.txt",
            "a b.html",
            &[
                row("direct_quote", "Ann"),
                row("action", "Ann"),
                row("belief", "<Bo>"),
            ],
        );
        idx.add("sub/c.txt", "sub/c.html", &[row("indirect_quote", "Ann")]);
        idx.add_failed("bad.txt", "not valid UTF-8 <x>");
        let html = idx.page();
        let ann = html
            .lines()
            .find(|l| l.contains("data-sort=\"Ann\""))
            .unwrap();
        assert!(
            ann.contains("<td class=\"num\" data-sort=\"2\">2</td>"),
            "{ann}"
        );
        assert!(ann.contains("href=\"a%20b.html?entity=Ann\""), "{ann}");
        assert!(ann.contains("href=\"sub/c.html?entity=Ann\""));
        assert!(html.contains("&lt;Bo&gt;") && !html.contains("<Bo>"));
        assert!(html.contains("not valid UTF-8 &lt;x&gt;"));
        assert!(html.contains("(<strong class=\"bad\">1 failed</strong>)"));
    }
}
