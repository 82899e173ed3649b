#!/usr/bin/env python3
"""Writes the bundled Fashion-MNIST sample (first N train / M test images, IDX gzip) used by the
offline quick start. Source: Debian's dataset-fashion-mnist (/usr/share/datasets/fashion-mnist).
Usage: python3 scripts/make_fashion_sample.py [SRC_DIR] [OUT_DIR] [N_TRAIN] [N_TEST]"""
import gzip, struct, sys, os

src = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"
out = sys.argv[2] if len(sys.argv) > 2 else "data/fashion-mnist-sample"
n_train = int(sys.argv[3]) if len(sys.argv) > 3 else 10000
n_test = int(sys.argv[4]) if len(sys.argv) > 4 else 2000

def cut(name, count):
    with gzip.open(os.path.join(src, name), "rb") as f:
        data = f.read()
    magic = struct.unpack(">I", data[:4])[0]
    ndim = magic & 0xFF
    dims = list(struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim]))
    per_item = 1
    for d in dims[1:]:
        per_item *= d
    header = 4 + 4 * ndim
    dims[0] = count
    body = data[header:header + count * per_item]
    # mtime=0 keeps the output byte-identical between runs.
    with gzip.GzipFile(os.path.join(out, name), "wb", mtime=0) as g:
        g.write(struct.pack(">I", magic) + struct.pack(">" + "I" * ndim, *dims) + body)

os.makedirs(out, exist_ok=True)
cut("train-images-idx3-ubyte.gz", n_train)
cut("train-labels-idx1-ubyte.gz", n_train)
cut("t10k-images-idx3-ubyte.gz", n_test)
cut("t10k-labels-idx1-ubyte.gz", n_test)
