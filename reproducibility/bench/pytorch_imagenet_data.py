#!/usr/bin/env python3
"""PyTorch's side of `./hkd bench --workload imagenet-data`: images per second a DataLoader with N
workers delivers to the training loop on an ImageNet-layout folder, with torchvision's ImageNet
training transforms on PIL images.

    python3 pytorch_imagenet_data.py --data-dir DIR --workers 2 --batch 64 --steps 30 [--image-size 224]

torchvision.datasets.ImageFolder(DIR/train) with RandomResizedCrop(image_size), RandomHorizontalFlip,
ToTensor, Normalize(ImageNet mean, std); a DataLoader with shuffle, N workers and the default
prefetch_factor 2, as mdistiller's and torchdistill's ImageNet loaders. The first --warmup batches
(worker start-up included) are not timed; then --steps batches are. Prints one line:
`pytorch-imagenet-data: X images/s`.
"""
import argparse
import os
import time

import torch
import torchvision
from torchvision import transforms


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data-dir", required=True)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--steps", type=int, default=30)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--image-size", type=int, default=224)
    a = p.parse_args()
    torch.set_num_threads(1)  # the main process only receives batches; the workers do the work
    transform = transforms.Compose([
        transforms.RandomResizedCrop(a.image_size),
        transforms.RandomHorizontalFlip(),
        transforms.ToTensor(),
        transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
    ])
    data = torchvision.datasets.ImageFolder(os.path.join(a.data_dir, "train"), transform)
    needed = (a.warmup + a.steps) * a.batch
    if len(data) < needed:
        raise SystemExit("%s: %d training images, need %d for %d + %d batches of %d"
                         % (a.data_dir, len(data), needed, a.warmup, a.steps, a.batch))
    loader = torch.utils.data.DataLoader(data, batch_size=a.batch, shuffle=True, num_workers=a.workers,
                                         drop_last=True, persistent_workers=False)
    start = None
    images = 0
    for i, (x, y) in enumerate(loader):
        if i == a.warmup:
            start = time.perf_counter()
        if i >= a.warmup:
            images += x.shape[0]
        if i + 1 == a.warmup + a.steps:
            break
    seconds = time.perf_counter() - start
    print("pytorch-imagenet-data: %.1f images/s" % (images / seconds))


if __name__ == "__main__":
    main()
