#!/usr/bin/env bash
# One command from a fresh checkout to claims.csv: sets up libtorch and the encoder if missing,
# builds, and processes corpus/ (or the folders/files given) into claims.csv (or $OUT).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo build --release --quiet
OUT="${OUT:-claims.csv}"
if [ "$#" -eq 0 ]; then set -- corpus; fi
./target/release/whosaid run "$@" -o "$OUT"
echo "wrote $OUT" >&2
