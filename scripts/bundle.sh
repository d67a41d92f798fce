#!/usr/bin/env bash
# Builds the lean binary (no libtorch: `--no-default-features`) and packs a relocatable bundle,
# dist/whosaid-<version>-linux-x86_64.tar.gz:
#   bin/whosaid                     needs only the system's C runtime (libc, libm, libgcc_s)
#   share/whosaid/models/           the committed models (whosaid and whosaid-fast: .safetensors + .json)
#   share/whosaid/encoder/          the encoder's config.json and tokenizer.json, and a
#                                   model.safetensors holding only its word-piece table (the one
#                                   encoder weight the model reads; the others are ours), the
#                                   same f32 bytes, so the rows are the full build's
# The binary looks for share/whosaid next to itself when WHOSAID_HOME is not set, so the unpacked
# folder runs with no repo, no Rust and no environment (`env -i dir/bin/whosaid run ...`).
# Builds into $CARGO_TARGET_DIR (default target/), where the release binary is then the lean one
# (`cargo build --release` brings the full one back without recompiling). Prints the tarball path.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --lean
cargo build --release --quiet --no-default-features
bin="${CARGO_TARGET_DIR:-target}/release/whosaid"
ENCODER="$(readlink -f .deps/encoder)"
version=$("$bin" --version | awk '{print $2}')
name="whosaid-$version-linux-x86_64"

if readelf -d "$bin" | grep -E 'NEEDED.*(torch|c10)' >&2; then
  echo "bundle: $bin links libtorch; the bundle takes the lean build" >&2
  exit 1
fi

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/bin" "$stage/share/whosaid/models" "$stage/share/whosaid/encoder"
cp "$bin" "$stage/bin/whosaid"
cp models/whosaid*.safetensors models/whosaid*.json "$stage/share/whosaid/models/"
cp "$ENCODER/config.json" "$ENCODER/tokenizer.json" "$stage/share/whosaid/encoder/"
python3 - "$ENCODER/model.safetensors" "$stage/share/whosaid/encoder/model.safetensors" <<'PY'
# A safetensors file holding one tensor of another, its bytes copied unchanged.
import json, struct, sys
src, dst = sys.argv[1:]
NAME = "embeddings.word_embeddings.weight"
with open(src, "rb") as f:
    (n,) = struct.unpack("<Q", f.read(8))
    header = json.loads(f.read(n))
    t = header[NAME]
    start, end = t["data_offsets"]
    f.seek(8 + n + start)
    data = f.read(end - start)
assert len(data) == end - start, f"{src}: {NAME} truncated"
out = json.dumps({NAME: {"dtype": t["dtype"], "shape": t["shape"], "data_offsets": [0, len(data)]}},
                 separators=(",", ":")).encode()
out += b" " * (-len(out) % 8)  # the data starts 8-byte aligned
with open(dst, "wb") as f:
    f.write(struct.pack("<Q", len(out)) + out + data)
PY

mkdir -p dist
out="dist/$name.tar.gz"
# Same inputs, same bytes: sorted names, no times or owners.
tar -C "$stage" --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -cf - bin share |
  gzip -9n >"$out.tmp"
mv "$out.tmp" "$out"
echo "bundle: $out ($(du -h "$out" | cut -f1))" >&2
echo "$out"
