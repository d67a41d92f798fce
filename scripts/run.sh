#!/usr/bin/env bash
# One command from a fresh checkout to claims.csv: sets up the encoder if missing (no libtorch:
# this is the lean build, `--no-default-features`, whose default int8 pass gives the full
# build's rows), builds, and processes corpus/ (or the folders/files given) into claims.csv
# (or $OUT).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --lean
cargo build --release --quiet --no-default-features
OUT="${OUT:-claims.csv}"
if [ "$#" -eq 0 ]; then set -- corpus; fi
"${CARGO_TARGET_DIR:-target}/release/whosaid" run "$@" -o "$OUT"
echo "wrote $OUT" >&2
