//! Named-entity gold derived from GUM's entity layer (`Entity=` in MISC).
//!
//! GUM marks every mention (named, nominal, pronominal) with one of ten types. We keep mentions
//! of type person -> PER, organization -> ORG, place -> LOC (GPE-like places such as countries
//! and cities are LOC, as in UNER) whose syntactic head is a proper noun, and trim each to the
//! proper-noun run around its head (so `US President Donald Trump` gives `Donald Trump` PER and
//! the nested `US` LOC): leading titles are dropped, `of`/`&`/`-` between proper nouns are kept.

use crate::conllu::Sentence;

/// One mention opened in the entity layer: word range, id, GUM type.
#[derive(Debug, Clone)]
struct Mention {
    start: usize,
    end: usize, // inclusive
    etype: String,
}

fn mentions(s: &Sentence) -> Vec<Mention> {
    let mut open: Vec<(String, usize, String)> = Vec::new();
    let mut out = Vec::new();
    for (i, w) in s.words.iter().enumerate() {
        let Some(ent) = w.misc_value("Entity") else {
            continue;
        };
        let b = ent.as_bytes();
        let mut k = 0;
        while k < b.len() {
            if b[k] == b'(' {
                let st = k + 1;
                let mut e = st;
                while e < b.len() && b[e] != b'(' && b[e] != b')' {
                    e += 1;
                }
                let attrs = &ent[st..e];
                let mut f = attrs.split('-');
                let id = f.next().unwrap_or("").to_string();
                let etype = f.next().unwrap_or("").to_string();
                if e < b.len() && b[e] == b')' {
                    out.push(Mention {
                        start: i,
                        end: i,
                        etype,
                    });
                    k = e + 1;
                } else {
                    open.push((id, i, etype));
                    k = e;
                }
            } else if b[k].is_ascii_digit() {
                let st = k;
                while k < b.len() && b[k] != b')' && b[k] != b'(' {
                    k += 1;
                }
                let id = &ent[st..k];
                if let Some(pos) = open.iter().rposition(|(oid, _, _)| oid == id) {
                    let (_, start, etype) = open.remove(pos);
                    out.push(Mention {
                        start,
                        end: i,
                        etype,
                    });
                }
                if k < b.len() && b[k] == b')' {
                    k += 1;
                }
            } else {
                k += 1;
            }
        }
    }
    out
}

fn is_title(word: &str) -> bool {
    let w = word.trim_end_matches('.').to_lowercase();
    super::super::resolve::is_title(&w)
}

/// BIO tags (`B-PER`, `I-LOC`, `O`, ...) for the words of a GUM sentence.
pub fn bio_tags(s: &Sentence) -> Vec<String> {
    let n = s.words.len();
    let mut tags = vec!["O".to_string(); n];
    let mut spans: Vec<(usize, usize, &'static str)> = Vec::new();
    let ms = mentions(s);
    // Named mentions: (start, end, type, head) with a proper-noun head.
    let heads: Vec<(usize, usize, &'static str, usize)> = ms
        .iter()
        .filter_map(|m| {
            let ty = match m.etype.as_str() {
                "person" => "PER",
                "organization" => "ORG",
                "place" => "LOC",
                _ => return None,
            };
            // head: the word of the mention whose head lies outside it
            let head = (m.start..=m.end).find(|&i| {
                let h = s.words[i].head;
                h == 0 || h - 1 < m.start || h - 1 > m.end
            })?;
            (s.words[head].upos == "PROPN").then_some((m.start, m.end, ty, head))
        })
        .collect();
    let named: Vec<(usize, usize, &'static str)> = heads
        .iter()
        .enumerate()
        .map(|(k, &(a, b, ty, head))| {
            // a word of a smaller named mention nested inside this one is not part of its run
            let nested = |i: usize| {
                heads.iter().enumerate().any(|(o, &(oa, ob, _, _))| {
                    o != k && a <= oa && ob <= b && ob - oa < b - a && oa <= i && i <= ob
                })
            };
            let propn = |i: usize| s.words[i].upos == "PROPN" && !nested(i);
            let joiner = |i: usize| matches!(s.words[i].form.as_str(), "of" | "&" | "-" | "de");
            let mut l = head;
            while l > a && (propn(l - 1) || (joiner(l - 1) && l >= a + 2 && propn(l - 2))) {
                l -= 1;
            }
            let mut r = head;
            while r < b && (propn(r + 1) || (joiner(r + 1) && r + 2 <= b && propn(r + 2))) {
                r += 1;
            }
            if ty == "PER" {
                while l < r && is_title(&s.words[l].form) {
                    l += 1;
                }
            }
            (l, r, ty)
        })
        .collect();
    // Inner mentions first: a nested name cuts the run of the mention around it.
    let mut order: Vec<usize> = (0..named.len()).collect();
    order.sort_by_key(|&i| named[i].1 - named[i].0);
    for i in order {
        let (l, r, ty) = named[i];
        if spans.iter().any(|&(a, b, _)| a <= r && l <= b) {
            continue;
        }
        spans.push((l, r, ty));
    }
    for (l, r, ty) in spans {
        tags[l] = format!("B-{ty}");
        for t in tags.iter_mut().take(r + 1).skip(l + 1) {
            *t = format!("I-{ty}");
        }
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conllu::parse;

    #[test]
    fn nested_names_become_separate_entities() {
        let text = "# text = US President Donald Trump spoke .\n\
1\tUS\tUS\tPROPN\tNNP\t_\t2\tcompound\t_\tEntity=(1-person-new-x-x-x-coref(2-place-new-x-x-x-coref)\n\
2\tPresident\tpresident\tPROPN\tNNP\t_\t4\tcompound\t_\t_\n\
3\tDonald\tDonald\tPROPN\tNNP\t_\t4\tcompound\t_\t_\n\
4\tTrump\tTrump\tPROPN\tNNP\t_\t5\tnsubj\t_\tEntity=1)\n\
5\tspoke\tspeak\tVERB\tVBD\t_\t0\troot\t_\t_\n\
6\t.\t.\tPUNCT\t.\t_\t5\tpunct\t_\t_\n\n";
        let s = &parse(text)[0];
        assert_eq!(bio_tags(s), ["B-LOC", "O", "B-PER", "I-PER", "O", "O"]);
    }
}
