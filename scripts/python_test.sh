#!/usr/bin/env bash
# The Python package's tests (python/tests), run as a user would: builds the wheel
# (scripts/wheel.sh), installs it into a fresh virtualenv with pandas, pyarrow and pytest from
# PyPI, and runs pytest from outside the repo with no Rust on PATH, so that what is tested is
# the installed wheel. The CLI built from the same tree gives the rows the package must match.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WHEEL=$ROOT/$(bash scripts/wheel.sh)
cargo build --release --quiet
CLI="${CARGO_TARGET_DIR:-$ROOT/target}/release/whosaid"
case "$CLI" in /*) ;; *) CLI=$ROOT/$CLI ;; esac

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install --quiet "$WHEEL" pytest pandas pyarrow
if ldd "$WORK"/venv/lib/python*/site-packages/whosaid/_whosaid*.so | grep -E "torch|c10"; then
  echo "python_test: the extension links libtorch" >&2
  exit 1
fi
cp -r python/tests "$WORK/tests"
# From / with no Rust on the PATH: the package must need neither the repo nor a toolchain
cd /
env -i HOME="$HOME" PATH="$WORK/venv/bin:/usr/bin:/bin" WHOSAID_CLI="$CLI" WHOSAID_CORPUS="$ROOT/corpus" \
  "$WORK/venv/bin/python" -m pytest -q -p no:cacheprovider "$WORK/tests"
