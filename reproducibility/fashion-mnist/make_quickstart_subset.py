#!/usr/bin/env python3
"""Writes the quickstart's embedded Fashion-MNIST subset from the Debian package's test split.

train = t10k images 0..7999, test = t10k images 8000..9999 (disjoint), in the original IDX
format, gzipped with mtime 0 so the output is byte-for-byte reproducible:

    python3 reproducibility/fashion-mnist/make_quickstart_subset.py \
        /usr/share/datasets/fashion-mnist \
        hkd-training/src/main/resources/dev/hkd/training/data/fashion-mnist-subset
"""
import gzip
import struct
import sys
from pathlib import Path

TRAIN = 8000


def read_idx(path):
    data = gzip.open(path).read()
    ndim = data[3]
    dims = struct.unpack(">" + "i" * ndim, data[4:4 + 4 * ndim])
    return dims, data[4 + 4 * ndim:]


def write_idx(path, dims, payload):
    header = bytes([0, 0, 8, len(dims)]) + struct.pack(">" + "i" * len(dims), *dims)
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as out:
        out.write(header + payload)


def main(src, dst):
    src, dst = Path(src), Path(dst)
    dst.mkdir(parents=True, exist_ok=True)
    (n, h, w), images = read_idx(src / "t10k-images-idx3-ubyte.gz")
    (_,), labels = read_idx(src / "t10k-labels-idx1-ubyte.gz")
    px = h * w
    write_idx(dst / "train-images-idx3-ubyte.gz", (TRAIN, h, w), images[:TRAIN * px])
    write_idx(dst / "train-labels-idx1-ubyte.gz", (TRAIN,), labels[:TRAIN])
    write_idx(dst / "t10k-images-idx3-ubyte.gz", (n - TRAIN, h, w), images[TRAIN * px:])
    write_idx(dst / "t10k-labels-idx1-ubyte.gz", (n - TRAIN,), labels[TRAIN:])


if __name__ == "__main__":
    main(*sys.argv[1:3])
