#!/usr/bin/env bash
# Builds the Python wheel (python/: PyO3 abi3 for CPython >= 3.9, built by maturin) into dist/.
# The wheel carries the compiled lean pipeline (no libtorch) and every file the default path
# reads, copied into the git-ignored python/whosaid/data/: our weights and their JSON, the
# encoder's config, tokenizer and vocabulary, and of the encoder's model.safetensors only the
# word-piece table, the one tensor the default pass reads from it (scripts/trim_encoder.py).
# maturin comes from PyPI into a virtualenv in $WHOSAID_CACHE.
#   scripts/wheel.sh            prints the wheel's path and size; fails over 100 MB
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE="${WHOSAID_CACHE:-$HOME/.cache/whosaid}"
bash scripts/setup.sh --lean >&2

DATA=python/whosaid/data
rm -rf "$DATA"
mkdir -p "$DATA/models" "$DATA/encoder"
cp models/whosaid*.safetensors models/whosaid*.json "$DATA/models/"
cp .deps/encoder/config.json .deps/encoder/vocab.txt .deps/encoder/tokenizer.json "$DATA/encoder/"
python3 scripts/trim_encoder.py .deps/encoder/model.safetensors "$DATA/encoder/model.safetensors" \
  embeddings.word_embeddings.weight

VENV="$CACHE/maturin-venv"
if [ ! -x "$VENV/bin/maturin" ]; then
  echo "wheel: installing maturin into $VENV" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet "maturin>=1.5,<2"
fi
rm -f dist/whosaid-*.whl
"$VENV/bin/maturin" build --release --quiet -m python/Cargo.toml -o dist >&2
WHEEL=$(ls dist/whosaid-*.whl)
SIZE=$(stat -c %s "$WHEEL")
echo "wheel: $WHEEL, $((SIZE / 1024 / 1024)) MiB ($SIZE bytes)" >&2
if [ "$SIZE" -gt 100000000 ]; then
  echo "wheel: over 100 MB" >&2
  exit 1
fi
echo "$WHEEL"
