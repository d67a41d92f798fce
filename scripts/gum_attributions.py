#!/usr/bin/env python3
"""List GUM's gold attribution relations as labelling aids for corpus/labelled/news_gum.csv.

GUM's eRST layer (`Discourse=` in the MISC column of dep/<doc>.conllu) marks the first token of
each elementary discourse unit (EDU) with `relation:EDU->PARENT:...`. For an
`attribution-positive` / `attribution-negative` relation the EDU holds the source and cue and its
parent holds the content. This prints, per relation, the sentence(s) involved and both EDU texts,
so that a person can write a label row in the project conventions. It decides nothing itself.

Only **train** documents are read (splits.tsv), so dev and test stay unseen.

Usage: scripts/gum_attributions.py [GUM_DIR] [GENRE ...]
       (defaults: ../shared/data/gum, genres news interview)
"""
import os
import sys


def read_doc(path):
    """Tokens as (sentence index, form, space_after, discourse) and the sentence texts."""
    toks, sents = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("# text = "):
                sents.append(line[len("# text = "):])
            elif line and not line.startswith("#"):
                cols = line.split("\t")
                if "-" in cols[0] or "." in cols[0]:
                    continue
                misc = dict(
                    kv.split("=", 1) for kv in cols[9].split("|") if "=" in kv
                )
                toks.append((len(sents) - 1, cols[1], misc.get("SpaceAfter") != "No", misc.get("Discourse")))
    return toks, sents


def edus(toks):
    """EDU id -> (relation, parent id, text, sentence indices)."""
    out, cur = {}, None
    for sent, form, space, disc in toks:
        if disc:
            # Several relations may be listed with ';': the first names the EDU's own id.
            first = disc.split(";")[0]
            rel, rest = first.split(":", 1)
            ids = rest.split(":", 1)[0]
            if "->" in ids:
                me, parent = ids.split("->")
            else:
                me, parent = ids, None
            cur = int(me)
            out[cur] = [rel, parent and int(parent), "", set()]
        if cur is not None:
            out[cur][2] += form + (" " if space else "")
            out[cur][3].add(sent)
    return out


def main():
    gum = sys.argv[1] if len(sys.argv) > 1 else "../shared/data/gum"
    genres = sys.argv[2:] or ["news", "interview"]
    train = []
    with open(os.path.join(gum, "splits.tsv"), encoding="utf-8") as f:
        for line in f:
            doc, genre, split = line.split()
            if split == "train" and genre in genres:
                train.append(doc)
    for doc in train:
        toks, sents = read_doc(os.path.join(gum, "dep", doc + ".conllu"))
        units = edus(toks)
        for me, (rel, parent, text, ss) in sorted(units.items()):
            if not rel.startswith("attribution") or parent not in units:
                continue
            content = units[parent]
            where = sorted(ss | content[3])
            print(f"== {doc} s{where} {rel}")
            for s in where:
                print(f"   TEXT {sents[s]}")
            print(f"   SRC  {text.strip()}")
            print(f"   CONT {content[2].strip()}")


if __name__ == "__main__":
    main()
