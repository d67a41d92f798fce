//! One article's page: its text as written, paragraphs kept, each claim's parts marked, with a
//! legend that doubles as the kind filter, an entity filter and a table of the claims.
//!
//! Parts overlap (an action's object inside a quote's content, one speaker for several
//! claims), so the text is cut at every part boundary into segments and each segment lists
//! the parts covering it (`data-parts="c3-what c5-who"`): no element ever has to nest inside
//! another, and the HTML stays well formed whatever the overlaps. Each marked segment carries
//! its own `[data-start, data-end)`, in the same Unicode-scalar offsets as the CSV.

use super::html::{escape, json_for_script};
use super::{entity_colour_css, kind_label, EntityColours, KINDS};
use crate::output::Row;
use std::collections::BTreeSet;
use std::fmt::Write;

/// An article to render: its name, its text exactly as read, and its rows (as in the CSV).
pub struct ArticleView<'a> {
    pub name: &'a str,
    pub text: &'a str,
    pub rows: &'a [Row],
}

/// Which part of a claim a span is, named as in the CSV columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Part {
    Who,
    Verb,
    What,
}

impl Part {
    pub fn as_str(self) -> &'static str {
        match self {
            Part::Who => "who",
            Part::Verb => "verb",
            Part::What => "what",
        }
    }
}

/// One part of one claim, in byte offsets into the text (for slicing) and its length in
/// characters (what "innermost" compares, as the page's script does).
#[derive(Clone, Copy, Debug)]
struct PartSpan {
    claim: usize,
    part: Part,
    start: usize,
    end: usize,
    chars: usize,
}

/// The parts of `rows` that lie inside `text` and are not empty, sorted by start. Offsets past
/// the text (never produced by the pipeline) are left out rather than sliced.
fn part_spans(text: &str, rows: &[Row]) -> Vec<PartSpan> {
    let byte_of: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect();
    let mut out = Vec::new();
    for (claim, r) in rows.iter().enumerate() {
        for (part, s, e) in [
            (Part::Who, r.who_start, r.who_end),
            (Part::Verb, r.verb_start, r.verb_end),
            (Part::What, r.what_start, r.what_end),
        ] {
            if let (Some(s), Some(e)) = (s, e) {
                if s < e && e < byte_of.len() {
                    out.push(PartSpan {
                        claim,
                        part,
                        start: byte_of[s],
                        end: byte_of[e],
                        chars: e - s,
                    });
                }
            }
        }
    }
    out.sort_by_key(|p| (p.start, p.claim, p.part));
    out
}

/// How a segment looks, decided by the innermost (shortest) covering parts: the background by
/// the innermost content, the underline by the innermost source, the cue style by the
/// innermost cue. `page.js` repaints with the same rule when filters change.
fn classes(parts: &[PartSpan], rows: &[Row], colours: &EntityColours) -> String {
    let key = |p: &&PartSpan| (p.chars, p.claim, p.part);
    let mut cls = Vec::new();
    if let Some(p) = parts
        .iter()
        .filter(|p| p.part == Part::What)
        .min_by_key(key)
    {
        cls.push(format!("ct ct-{}", rows[p.claim].kind));
    }
    if let Some(p) = parts.iter().filter(|p| p.part == Part::Who).min_by_key(key) {
        cls.push(format!("src {}", colours.class(&rows[p.claim].entity)));
    }
    if let Some(p) = parts
        .iter()
        .filter(|p| p.part == Part::Verb)
        .min_by_key(key)
    {
        cls.push(format!("cue cue-{}", rows[p.claim].kind));
    }
    cls.join(" ")
}

/// The claims a segment stands for when hovered or focused: those of its shortest parts.
fn highlight(parts: &[PartSpan]) -> BTreeSet<usize> {
    let shortest = parts.iter().map(|p| p.chars).min().unwrap_or(0);
    parts
        .iter()
        .filter(|p| p.chars == shortest)
        .map(|p| p.claim)
        .collect()
}

/// A short description of a claim, for tooltips and button labels.
fn describe(r: &Row) -> String {
    let who = if !r.entity.is_empty() {
        r.entity.as_str()
    } else if !r.who.is_empty() {
        r.who.as_str()
    } else {
        "no source"
    };
    let mut s = format!("{}: {who}", kind_label(r.kind));
    if !r.verb.is_empty() {
        write!(s, ", {}", r.verb).unwrap();
    }
    s
}

/// The article's text as HTML: paragraphs (`segment::paragraphs`, headlines as headings) with
/// marked segments. The whitespace between paragraphs is written too, outside them (where
/// CSS collapses it), so the article element's text is exactly the file's text.
fn render_text(view: &ArticleView, colours: &EntityColours, out: &mut String) {
    let text = view.text;
    let rows = view.rows;
    let parts = part_spans(text, rows);
    let paragraphs = crate::segment::paragraphs(text);
    let chars = crate::span::CharIndex::new(text);

    let mut first_start = vec![usize::MAX; rows.len()];
    for p in &parts {
        first_start[p.claim] = first_start[p.claim].min(p.start);
    }
    let mut cuts: BTreeSet<usize> = BTreeSet::from([0, text.len()]);
    for p in &parts {
        cuts.insert(p.start);
        cuts.insert(p.end);
    }
    for para in &paragraphs {
        cuts.insert(para.span.start);
        cuts.insert(para.span.end);
    }

    let cuts: Vec<usize> = cuts.into_iter().collect();
    let mut next_part = 0;
    let mut active: Vec<PartSpan> = Vec::new();
    let mut para = 0;
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        if let Some(p) = paragraphs.get(para) {
            if p.span.start == a {
                out.push_str(if p.headline {
                    "<h2 class=\"para headline\">"
                } else {
                    "<p class=\"para\">"
                });
            }
        }
        active.retain(|p| p.end > a);
        while next_part < parts.len() && parts[next_part].start <= a {
            if parts[next_part].end > a {
                active.push(parts[next_part]);
            }
            next_part += 1;
        }
        let piece = escape(&text[a..b]);
        if active.is_empty() {
            out.push_str(&piece);
        } else {
            active.sort_by_key(|p| (p.claim, p.part));
            let ids: Vec<String> = active
                .iter()
                .map(|p| format!("c{}-{}", p.claim, p.part.as_str()))
                .collect();
            let hl = highlight(&active);
            let hl_ids: Vec<String> = hl.iter().map(|c| c.to_string()).collect();
            let title: Vec<String> = hl.iter().map(|&c| describe(&rows[c])).collect();
            let anchor = active
                .iter()
                .any(|p| p.start == a && first_start[p.claim] == a);
            write!(
                out,
                "<mark class=\"{}\" data-start=\"{}\" data-end=\"{}\" data-parts=\"{}\" data-hl=\"{}\" title=\"{}\"{}>{piece}</mark>",
                classes(&active, rows, colours),
                chars.chars(a),
                chars.chars(b),
                ids.join(" "),
                hl_ids.join(" "),
                escape(&title.join("; ")),
                if anchor { " tabindex=\"0\"" } else { "" },
            )
            .unwrap();
        }
        if let Some(p) = paragraphs.get(para) {
            if p.span.end == b {
                out.push_str(if p.headline { "</h2>" } else { "</p>" });
                para += 1;
            }
        }
    }
}

/// What the page's script needs about each claim: its kind, entity class and part lengths.
#[derive(serde::Serialize)]
struct ClaimData<'a> {
    kind: &'a str,
    entity: &'a str,
    colour: String,
    label: String,
    who: usize,
    verb: usize,
    what: usize,
}

fn len(s: Option<usize>, e: Option<usize>) -> usize {
    match (s, e) {
        (Some(s), Some(e)) if s < e => e - s,
        _ => 0,
    }
}

/// The full HTML page for one article. `index_href` links back to the index when there is one.
pub fn article_page(view: &ArticleView, index_href: Option<&str>) -> String {
    let rows = view.rows;
    let colours = EntityColours::new(rows.iter().map(|r| r.entity.as_str()));
    let mut out = String::with_capacity(view.text.len() * 3 + 16_000);
    let name = escape(view.name);
    write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"whosaid show\">\n\
         <title>{name} · whosaid</title>\n<style>\n{}{}</style>\n</head>\n<body class=\"article-page\">\n",
        super::STYLE,
        entity_colour_css(&colours),
    )
    .unwrap();

    out.push_str("<header class=\"top\">\n");
    if let Some(h) = index_href {
        writeln!(
            out,
            "<nav><a href=\"{}\">← All articles</a></nav>",
            escape(h)
        )
        .unwrap();
    }
    writeln!(out, "<h1>{name}</h1>").unwrap();
    let mut counts = vec![0usize; KINDS.len()];
    for r in rows {
        if let Some(i) = KINDS.iter().position(|k| k.name == r.kind) {
            counts[i] += 1;
        }
    }
    let summary: Vec<String> = KINDS
        .iter()
        .zip(&counts)
        .filter(|(_, &n)| n > 0)
        .map(|(k, &n)| format!("{n} {}", if n == 1 { k.one } else { k.many }))
        .collect();
    writeln!(
        out,
        "<p class=\"summary\">{} claim{}{}{}</p>",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" },
        if summary.is_empty() { "" } else { ": " },
        summary.join(", ")
    )
    .unwrap();
    out.push_str("</header>\n");

    // The legend is the kind filter: each kind's swatch next to its checkbox.
    out.push_str(
        "<section class=\"controls\" aria-label=\"Legend and filters\">\n\
         <fieldset class=\"kinds\"><legend>Kinds</legend>\n",
    );
    for (k, &n) in KINDS.iter().zip(&counts) {
        writeln!(
            out,
            "<label class=\"kind{}\"><input type=\"checkbox\" name=\"kind\" value=\"{}\"{}> \
             <span class=\"sw ct ct-{}\" aria-hidden=\"true\"></span> {} <span class=\"n\">{n}</span></label>",
            if n == 0 { " empty" } else { "" },
            k.name,
            if n == 0 { " disabled" } else { " checked" },
            k.name,
            k.many_title,
        )
        .unwrap();
    }
    out.push_str("</fieldset>\n<div class=\"side-controls\">\n");
    out.push_str(
        "<div class=\"entity-filter\"><label for=\"entity\">Entity</label> \
         <select id=\"entity\"><option value=\"\">All entities</option>",
    );
    for (e, n) in colours.counts() {
        write!(
            out,
            "<option value=\"{}\">{} ({n})</option>",
            escape(e),
            escape(e)
        )
        .unwrap();
    }
    out.push_str("</select></div>\n");
    out.push_str(
        "<p class=\"parts\"><span class=\"demo ct ct-indirect_quote\">content</span> \
         <span class=\"demo cue cue-indirect_quote\">cue</span> \
         <span class=\"demo src e-demo\">source</span> \
         <span class=\"hint\">Content has the kind's background, the cue is bold in the kind's colour, \
         the source is underlined in its entity's colour (one colour per resolved name; dotted grey when unresolved).</span></p>\n",
    );
    out.push_str("</div>\n</section>\n");

    out.push_str(
        "<main class=\"layout\">\n<article id=\"text\" class=\"text\" aria-label=\"Article text\">",
    );
    render_text(view, &colours, &mut out);
    out.push_str("</article>\n");

    out.push_str(
        "<section class=\"claims\" aria-labelledby=\"claims-h\">\n<h2 id=\"claims-h\">Claims</h2>\n\
         <p id=\"shown\" class=\"shown\" aria-live=\"polite\"></p>\n",
    );
    if rows.is_empty() {
        out.push_str("<p>No claims found in this article.</p>\n");
    } else {
        out.push_str(
            "<table>\n<colgroup><col class=\"c-n\"><col class=\"c-kind\"><col class=\"c-who\">\
             <col class=\"c-ent\"><col class=\"c-verb\"><col class=\"c-what\"></colgroup>\n<thead><tr><th scope=\"col\">#</th><th scope=\"col\">Kind</th>\
             <th scope=\"col\">Who</th><th scope=\"col\">Entity</th><th scope=\"col\">Verb</th>\
             <th scope=\"col\">What</th></tr></thead>\n<tbody>\n",
        );
        for (i, r) in rows.iter().enumerate() {
            let dash = "<span class=\"none\">—</span>";
            let or_dash = |s: &str| {
                if s.is_empty() {
                    dash.to_string()
                } else {
                    escape(s)
                }
            };
            let entity = if r.entity.is_empty() {
                dash.to_string()
            } else {
                format!(
                    "<span class=\"dot {}\" aria-hidden=\"true\"></span>{}",
                    colours.class(&r.entity),
                    escape(&r.entity)
                )
            };
            writeln!(
                out,
                "<tr data-c=\"{i}\" class=\"row-{}\"><th scope=\"row\"><button type=\"button\" class=\"goto\" \
                 data-goto=\"{i}\" aria-label=\"Show claim {} in the text ({})\">{}</button></th>\
                 <td><span class=\"badge ct ct-{}\">{}</span></td><td>{}</td><td class=\"ent\">{entity}</td>\
                 <td>{}</td><td>{}</td></tr>",
                r.kind,
                i + 1,
                escape(&describe(r)),
                i + 1,
                r.kind,
                escape(super::kind_short(r.kind)),
                or_dash(&r.who),
                or_dash(&r.verb),
                or_dash(&r.what),
            )
            .unwrap();
        }
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str("</section>\n</main>\n");

    let data: Vec<ClaimData> = rows
        .iter()
        .map(|r| ClaimData {
            kind: r.kind,
            entity: &r.entity,
            colour: colours.class(&r.entity),
            label: describe(r),
            who: len(r.who_start, r.who_end),
            verb: len(r.verb_start, r.verb_end),
            what: len(r.what_start, r.what_end),
        })
        .collect();
    write!(
        out,
        "<footer class=\"foot\">Made by <code>whosaid show</code> from the same rows as the CSV; \
         offsets are Unicode scalar values into the article's text.</footer>\n\
         <script type=\"application/json\" id=\"claims-data\">{}</script>\n<script>\n{}</script>\n</body>\n</html>\n",
        json_for_script(&data),
        super::PAGE_JS
    )
    .unwrap();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(
        kind: &'static str,
        who: (usize, usize),
        verb: (usize, usize),
        what: Option<(usize, usize)>,
        entity: &str,
    ) -> Row {
        Row {
            article: "a.txt".into(),
            sentence: 0,
            kind,
            who: String::new(),
            entity: entity.into(),
            entity_type: String::new(),
            verb: String::new(),
            what: String::new(),
            who_start: Some(who.0),
            who_end: Some(who.1),
            verb_start: Some(verb.0),
            verb_end: Some(verb.1),
            what_start: what.map(|w| w.0),
            what_end: what.map(|w| w.1),
        }
    }

    /// Every marked segment of `html` as (start, end, parts, text), text unescaped.
    fn marks(html: &str) -> Vec<(usize, usize, String, String)> {
        let mut out = Vec::new();
        let mut rest = html;
        while let Some(i) = rest.find("<mark ") {
            rest = &rest[i..];
            let tag_end = rest.find('>').unwrap();
            let tag = &rest[..tag_end];
            let attr = |name: &str| {
                let k = format!("{name}=\"");
                let s = tag.find(&k).unwrap() + k.len();
                tag[s..].split('"').next().unwrap().to_string()
            };
            let close = rest.find("</mark>").unwrap();
            let body = rest[tag_end + 1..close]
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&#13;", "\r")
                .replace("&amp;", "&");
            out.push((
                attr("data-start").parse().unwrap(),
                attr("data-end").parse().unwrap(),
                attr("data-parts"),
                body,
            ));
            rest = &rest[close..];
        }
        out
    }

    #[test]
    fn overlapping_parts_become_flat_segments_at_char_offsets() {
        // "é" is two bytes: offsets must stay in characters.
        let text = "Café owner Ann said she would sell the café.\n\nNext.";
        let chars: Vec<char> = text.chars().collect();
        let find = |s: &str| {
            let b = text.find(s).unwrap();
            let c = text[..b].chars().count();
            (c, c + s.chars().count())
        };
        let quote = row(
            "indirect_quote",
            find("Café owner Ann"),
            find("said"),
            Some(find("she would sell the café")),
            "Ann",
        );
        let action = row(
            "action",
            find("she"),
            find("would sell"),
            Some(find("the café")),
            "Ann",
        );
        let rows = vec![quote, action];
        let html = article_page(
            &ArticleView {
                name: "a.txt",
                text,
                rows: &rows,
            },
            None,
        );
        let m = marks(&html);
        for (claim, r) in rows.iter().enumerate() {
            for (part, s, e) in [
                ("who", r.who_start, r.who_end),
                ("verb", r.verb_start, r.verb_end),
                ("what", r.what_start, r.what_end),
            ] {
                let (s, e) = (s.unwrap(), e.unwrap());
                let id = format!("c{claim}-{part}");
                let segs: Vec<_> = m
                    .iter()
                    .filter(|x| x.2.split(' ').any(|t| t == id))
                    .collect();
                assert_eq!(segs.first().unwrap().0, s, "{id}");
                assert_eq!(segs.last().unwrap().1, e, "{id}");
                for w in segs.windows(2) {
                    assert_eq!(w[0].1, w[1].0, "{id} segments are contiguous");
                }
                let joined: String = segs.iter().map(|x| x.3.as_str()).collect();
                assert_eq!(joined, chars[s..e].iter().collect::<String>());
            }
        }
        // "she" is the quote's content and the action's source at once.
        assert!(
            m.iter().any(|x| x.3 == "she" && x.2 == "c0-what c1-who"),
            "{m:?}"
        );
        assert!(
            html.contains("<p class=\"para\">")
                && html.contains("</p>\n\n<p class=\"para\">Next.</p>")
        );
    }

    #[test]
    fn article_markup_stays_text() {
        let text = "<script>alert(1)</script> </html> <img src=x onerror=alert(2)> said Bob.";
        let b = text.find("said").unwrap();
        let rows = vec![row(
            "direct_quote",
            (b + 5, b + 8),
            (b, b + 4),
            Some((0, 25)),
            "</script><b>",
        )];
        let html = article_page(
            &ArticleView {
                name: "<i>x</i>.txt",
                text,
                rows: &rows,
            },
            Some("../index.html"),
        );
        assert!(!html.contains("<script>alert"));
        assert!(!html.contains("<img"));
        assert!(!html.contains("<i>x"));
        assert_eq!(
            html.matches("</script>").count(),
            2,
            "only the page's own two scripts close"
        );
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    }

    #[test]
    fn kinds_without_rows_yet_still_render() {
        let text = "Experts believe it works, the study shows.";
        let rows = vec![
            row("belief", (0, 7), (8, 15), Some((16, 24)), "Experts"),
            row("evidence", (26, 35), (36, 41), Some((0, 24)), ""),
        ];
        let html = article_page(
            &ArticleView {
                name: "a",
                text,
                rows: &rows,
            },
            None,
        );
        assert!(html.contains("ct ct-belief") && html.contains("cue cue-evidence"));
        assert!(html.contains("1 belief, 1 piece of evidence"), "{html}");
    }
}
