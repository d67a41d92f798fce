#!/usr/bin/env python3
"""Write the benchmark's news folder from GUM's Wikinews documents (deterministic, git-ignored).

GUM has 22 news documents here, too few for a benchmark of at least 100 articles, and its 17
interview documents come from the same source (Wikinews, CC BY 2.5; see ../shared/data/gum/SOURCE.md).
Both genres' documents (every partition present: train and dev) are rebuilt as plain text, one
sentence's `# text =` after another, a blank line at each `# newpar` (as `whosaid` reads an article),
then cut at paragraph boundaries into articles of at least MIN_WORDS whitespace words, a short tail
joining the piece before it. The first piece keeps the headline. The text is only rewritten, never
altered, so each file is a run of the original paragraphs.

Usage: scripts/bench_news.py [OUT_DIR] [GUM_DIR]
       (defaults: runs/bench-news, ../shared/data/gum); prints the article and word counts.
"""
import glob
import os
import sys

GENRES = ("news", "interview")
MIN_WORDS = 220


def paragraphs(path):
    """The document's paragraphs as lists of sentence texts."""
    pars = [[]]
    with open(path, encoding="utf-8") as f:
        for line in f:
            # `# newpar` and `# newpar_block` may both mark one paragraph start
            if line.startswith("# newpar") and pars[-1]:
                pars.append([])
            elif line.startswith("# text = "):
                pars[-1].append(line[len("# text = "):].rstrip("\n"))
    return [" ".join(p) for p in pars if p]


def pieces(pars):
    """Paragraphs grouped into pieces of at least MIN_WORDS words; a short tail joins the last."""
    out, cur, words = [], [], 0
    for p in pars:
        cur.append(p)
        words += len(p.split())
        if words >= MIN_WORDS:
            out.append(cur)
            cur, words = [], 0
    if cur:
        if out and words < MIN_WORDS // 2:
            out[-1].extend(cur)
        else:
            out.append(cur)
    return out


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else "runs/bench-news"
    gum = sys.argv[2] if len(sys.argv) > 2 else "../shared/data/gum"
    docs = sorted(p for g in GENRES for p in glob.glob(os.path.join(gum, "dep", f"GUM_{g}_*.conllu")))
    if not docs:
        sys.exit(f"bench_news: no GUM news or interview documents in {gum}/dep")
    os.makedirs(out_dir, exist_ok=True)
    for old in glob.glob(os.path.join(out_dir, "*.txt")):
        os.remove(old)
    articles = words = 0
    for path in docs:
        name = os.path.basename(path)[: -len(".conllu")]
        for i, piece in enumerate(pieces(paragraphs(path)), 1):
            text = "\n\n".join(piece) + "\n"
            with open(os.path.join(out_dir, f"{name}_{i:02}.txt"), "w", encoding="utf-8") as f:
                f.write(text)
            articles += 1
            words += len(text.split())
    print(f"bench_news: {articles} articles, {words} words from {len(docs)} documents in {out_dir}")


if __name__ == "__main__":
    main()
