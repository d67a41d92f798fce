#!/usr/bin/env bash
# One command that runs every test, of both builds: sets up libtorch and the encoder if missing,
# then formatting and lint checks of both builds, the unit and integration tests of the full
# build (which use the committed model and ../shared/data, and keep training and the libtorch
# paths tested), the labelled-sentence regression corpus, the lean build against the full one
# (scripts/lean_test.sh: no libtorch linked, identical rows, its own tests), the Spark job on the
# lean bundle, and the Python wheel (scripts/python_test.sh). scripts/browser.sh installs
# headless Chromium for the `whosaid show` page tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/browser.sh
cargo fmt --all --check
cargo clippy --release --workspace --all-targets --quiet -- -D warnings
cargo clippy --release --all-targets --no-default-features --quiet -- -D warnings
cargo test --release 2>&1
bash scripts/lean_test.sh
bash scripts/spark_test.sh
bash scripts/python_test.sh
