#!/usr/bin/env bash
# Builds the release binary and packs a relocatable bundle, dist/whosaid-<version>-linux-x86_64.tar.gz:
#   bin/whosaid                     rpath $ORIGIN/../lib, so it finds its libraries wherever unpacked
#   lib/                            the libtorch libraries the binary needs (followed recursively)
#   share/whosaid/models/           the committed model (whosaid.safetensors + whosaid.json)
#   share/whosaid/encoder/          the encoder files set up by scripts/setup.sh
# The binary looks for share/whosaid next to itself when WHOSAID_HOME is not set, so the unpacked
# folder runs with no repo, no Rust and no environment (`env -i dir/bin/whosaid run ...`).
# Needs patchelf (Debian `patchelf`, installed here when missing, as root). Prints the tarball path.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo build --release --quiet
LIBTORCH_LIB="$(readlink -f .deps/libtorch)/lib"
ENCODER="$(readlink -f .deps/encoder)"
version=$(./target/release/whosaid --version | awk '{print $2}')
name="whosaid-$version-linux-x86_64"

if ! command -v patchelf >/dev/null; then
  if [ "$(id -u)" != 0 ]; then
    echo "bundle: patchelf is missing; install Debian's patchelf (apt-get install patchelf)" >&2
    exit 1
  fi
  echo "bundle: installing patchelf from Debian" >&2
  apt-get install -y -qq patchelf >/dev/null 2>&1 || {
    apt-get update -qq >/dev/null && apt-get install -y -qq patchelf >/dev/null
  }
fi

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/bin" "$stage/lib" "$stage/share/whosaid/models" "$stage/share/whosaid/encoder"
cp target/release/whosaid "$stage/bin/whosaid"
patchelf --set-rpath '$ORIGIN/../lib' "$stage/bin/whosaid"

# Every library the binary needs that libtorch provides, and theirs in turn; system libraries
# (libc, libstdc++, libgcc_s) are the target machine's, as for any Linux binary.
needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }
queue=("$stage/bin/whosaid")
while [ "${#queue[@]}" -gt 0 ]; do
  f=${queue[0]}
  queue=("${queue[@]:1}")
  for lib in $(needed "$f"); do
    if [ -f "$LIBTORCH_LIB/$lib" ] && [ ! -f "$stage/lib/$lib" ]; then
      cp "$LIBTORCH_LIB/$lib" "$stage/lib/$lib"
      queue+=("$stage/lib/$lib")
    fi
  done
done

cp models/whosaid.safetensors models/whosaid.json "$stage/share/whosaid/models/"
cp "$ENCODER"/* "$stage/share/whosaid/encoder/"

mkdir -p dist
out="dist/$name.tar.gz"
tar -C "$stage" -czf "$out.tmp" bin lib share
mv "$out.tmp" "$out"
echo "bundle: $out ($(du -h "$out" | cut -f1); libraries: $(ls "$stage/lib" | tr '\n' ' '))" >&2
echo "$out"
