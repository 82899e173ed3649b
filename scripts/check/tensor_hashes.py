#!/usr/bin/env python3
"""Prints one SHA-256 over every tensor (name, dtype, shape, bytes) of each safetensors file given,
ignoring the metadata, so checkpoints of the same run before and after a refactor compare bit for bit.
Usage: tensor_hashes.py FILE.safetensors..."""
import hashlib, json, struct, sys

for path in sys.argv[1:]:
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    h = hashlib.sha256()
    for name in sorted(k for k in header if k != "__metadata__"):
        t = header[name]
        a, b = t["data_offsets"]
        h.update(f"{name}|{t['dtype']}|{t['shape']}|".encode())
        h.update(data[a:b])
    print(h.hexdigest()[:16], path)
