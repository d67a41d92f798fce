#!/usr/bin/env bash
# The lean build (`--no-default-features`: no rust-bert, tch or libtorch) against the full one:
#   - it links no libtorch (ldd),
#   - its rows are the full build's, byte for byte: `run` on corpus/ and on every labelled
#     sentence of corpus/labelled/, `check` on the labelled corpus, `parse` of each article,
#   - train, train-ner, calibrate and --precision f32|bf16|fbgemm exit 2, naming the full build,
#   - its own unit and integration tests pass.
# Both builds share $CARGO_TARGET_DIR (default target/); the full binary is left in place.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bin="${CARGO_TARGET_DIR:-target}/release/whosaid"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cargo build --release --quiet --no-default-features
cp "$bin" "$tmp/lean"
cargo build --release --quiet
cp "$bin" "$tmp/full"

fail() { echo "lean_test: $*" >&2; exit 1; }
if ldd "$tmp/lean" | grep -E 'torch|c10'; then fail "the lean binary links libtorch"; fi
ldd "$tmp/full" | grep -q libtorch_cpu || fail "the full binary does not link libtorch (not the full build?)"

# Every labelled sentence as an article of its own.
mkdir "$tmp/labelled"
python3 - "$tmp/labelled" corpus/labelled/*.csv <<'PY'
import csv, os, sys
out = sys.argv[1]
for path in sys.argv[2:]:
    stem = os.path.splitext(os.path.basename(path))[0]
    with open(path, newline="", encoding="utf-8") as f:
        for i, rec in enumerate(csv.DictReader(f)):
            with open(f"{out}/{stem}-{i:03}.txt", "w", encoding="utf-8") as t:
                t.write(rec["text"])
PY

same() { # same NAME ARGS...: the command's stdout and exit status are the same from both builds
  local name=$1 code_lean code_full
  shift
  set +e
  "$tmp/lean" "$@" >"$tmp/$name.lean" 2>/dev/null; code_lean=$?
  "$tmp/full" "$@" >"$tmp/$name.full" 2>/dev/null; code_full=$?
  set -e
  [ "$code_lean" = "$code_full" ] || fail "$name: the lean build exits $code_lean, the full $code_full"
  cmp -s "$tmp/$name.lean" "$tmp/$name.full" || {
    diff "$tmp/$name.full" "$tmp/$name.lean" | head -20 >&2
    fail "$name: the lean build's output differs from the full build's"
  }
  [ -s "$tmp/$name.lean" ] || fail "$name: no output"
  echo "lean_test: $name: identical ($(wc -l <"$tmp/$name.lean") lines)" >&2
}
same corpus run --quiet corpus
same labelled run --quiet "$tmp/labelled"
same check check corpus/labelled
for f in corpus/*.txt; do
  same "parse-$(basename "$f" .txt)" parse "$f"
done

for args in "train" "train-ner" "calibrate" "--precision f32 run corpus" \
  "--precision bf16 run corpus" "--precision fbgemm run corpus"; do
  set +e
  # shellcheck disable=SC2086
  "$tmp/lean" $args >/dev/null 2>"$tmp/err"
  code=$?
  set -e
  [ "$code" = 2 ] || fail "lean \`whosaid $args\` exited $code, want 2"
  grep -q 'full build' "$tmp/err" || fail "lean \`whosaid $args\`: no word of the full build: $(cat "$tmp/err")"
done
echo "lean_test: train, train-ner, calibrate and the libtorch precisions exit 2 in the lean build" >&2

cargo test --release --no-default-features 2>&1
cargo build --release --quiet
