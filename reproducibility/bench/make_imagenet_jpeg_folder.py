#!/usr/bin/env python3
"""Writes an ImageNet-layout folder of ImageNet-typical JPEGs for the data-pipeline benchmark.

    python3 make_imagenet_jpeg_folder.py DIR [--classes 10] [--per-class 100] [--val-per-class 10]

DIR/train/<wnid>/*.JPEG and DIR/val/<wnid>/*.JPEG, 500x375 RGB (ImageNet's most common size),
quality 90, baseline JPEG with 4:2:0 chroma subsampling as most ImageNet files are. The content is
smooth colour fields with edges and fine noise: files of about 70 kB, near ImageNet's average of
about 110 kB (random noise would make 400 kB files that decode far slower than real photographs).
Seeded: the same arguments give the same bytes.
"""
import argparse
import os

import numpy as np
from PIL import Image


def picture(rng, width, height):
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    img = np.zeros((height, width, 3), np.float32)
    for c in range(3):
        for _ in range(4):
            fx, fy = rng.uniform(0.002, 0.03, size=2)
            phase = rng.uniform(0, 2 * np.pi)
            img[..., c] += rng.uniform(20, 50) * np.sin(2 * np.pi * (fx * x + fy * y) + phase)
        img[..., c] += rng.uniform(60, 190)
    for _ in range(6):  # a few hard-edged shapes
        cx, cy = rng.uniform(0, width), rng.uniform(0, height)
        r = rng.uniform(15, 90)
        mask = (x - cx) ** 2 + (y - cy) ** 2 < r * r
        img[mask] = rng.uniform(0, 255, size=3)
    img += rng.normal(0, 9, size=img.shape)  # texture, as in photographs
    return Image.fromarray(np.clip(img, 0, 255).astype(np.uint8), "RGB")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("dir")
    p.add_argument("--classes", type=int, default=10)
    p.add_argument("--per-class", type=int, default=100)
    p.add_argument("--val-per-class", type=int, default=10)
    p.add_argument("--width", type=int, default=500)
    p.add_argument("--height", type=int, default=375)
    p.add_argument("--quality", type=int, default=90)
    a = p.parse_args()
    rng = np.random.default_rng(1)
    for split, n in (("train", a.per_class), ("val", a.val_per_class)):
        for c in range(a.classes):
            wnid = "n%08d" % (1440000 + c)
            folder = os.path.join(a.dir, split, wnid)
            os.makedirs(folder, exist_ok=True)
            for i in range(n):
                picture(rng, a.width, a.height).save(os.path.join(folder, "%s_%d.JPEG" % (wnid, i)),
                                                     quality=a.quality, subsampling="4:2:0")
    print("wrote %d train and %d val images to %s" % (a.classes * a.per_class, a.classes * a.val_per_class, a.dir))


if __name__ == "__main__":
    main()
