#!/usr/bin/env bash
# One command that runs every test: sets up libtorch and the encoder if missing, then the unit
# and integration tests (which use the committed model and ../shared/data), formatting and
# lint checks, the labelled-sentence regression corpus, and the Python wheel's tests
# (scripts/python_test.sh). scripts/browser.sh installs headless Chromium for the `whosaid show`
# page tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/browser.sh
cargo fmt --all --check
cargo clippy --release --workspace --all-targets --quiet -- -D warnings
cargo test --release 2>&1
bash scripts/spark_test.sh
bash scripts/python_test.sh
