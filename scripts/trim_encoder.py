#!/usr/bin/env python3
"""Writes a copy of the encoder's model.safetensors holding only the tensors named, bytes
unchanged (scripts/wheel.sh: the default int8 pass reads only the word-piece table from it,
its fine-tuned layers coming from models/whosaid.safetensors, so the wheel need not carry the
package's 43 MB of f32 layers it never reads). Deterministic: same input, same bytes.

Usage: trim_encoder.py IN OUT NAME [NAME ...]
"""
import json
import struct
import sys


def main():
    src, dst, names = sys.argv[1], sys.argv[2], sys.argv[3:]
    with open(src, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        base = 8 + n
        header_out, chunks, at = {}, [], 0
        for name in names:
            if name not in header:
                sys.exit(f"trim_encoder: {src} has no tensor {name}")
            meta = header[name]
            start, end = meta["data_offsets"]
            f.seek(base + start)
            chunks.append(f.read(end - start))
            header_out[name] = {"dtype": meta["dtype"], "shape": meta["shape"], "data_offsets": [at, at + end - start]}
            at += end - start
    text = json.dumps(header_out, separators=(",", ":"), sort_keys=True).encode()
    text += b" " * (-len(text) % 8)  # the data starts 8-byte aligned, as safetensors writes it
    with open(dst, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for c in chunks:
            f.write(c)


if __name__ == "__main__":
    main()
