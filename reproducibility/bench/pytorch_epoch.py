"""The PyTorch side of `./hkd bench --workload epoch`: one whole epoch of KD training, timed the same way.

Random CIFAR-shaped uint8 images (labels i mod 100) behind a torch DataLoader with 2 worker
processes that pad by 4, crop, flip and normalise (CIFAR-100 mean and std) each image; the
resnet32x4 teacher (random, eval mode, no grad) and resnet8x4 student of pytorch_step.py; CE + KD
(T = 4) with SGD (lr 0.05, momentum 0.9, weight decay 5e-4); then evaluation on the test images
(batch 256) and a checkpoint of the student and the optimizer. The clock runs from the first batch
request to the saved checkpoint; images/s is training images over that time.

  python pytorch_epoch.py --train-images 6400 --test-images 2000 --threads 2 --workers 2 --json out.json
"""
import argparse
import json
import os
import tempfile
import time

import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset

from pytorch_step import CLASSES, CifarResNet, kd_loss

MEAN = torch.tensor([0.5071, 0.4867, 0.4408]).view(3, 1, 1)
STD = torch.tensor([0.2675, 0.2565, 0.2761]).view(3, 1, 1)


class RandomCifar(Dataset):
    def __init__(self, n, seed, augment):
        g = torch.Generator().manual_seed(seed)
        self.images = torch.randint(0, 256, (n, 3, 32, 32), dtype=torch.uint8, generator=g)
        self.labels = torch.arange(n) % CLASSES
        self.augment = augment

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        x = self.images[i].float().div_(255)
        if self.augment:
            x = F.pad(x, (4, 4, 4, 4))
            top, left = torch.randint(0, 9, (2,)).tolist()
            x = x[:, top:top + 32, left:left + 32]
            if torch.rand(1).item() < 0.5:
                x = x.flip(2)
        return (x - MEAN) / STD, self.labels[i]


def epoch(train_images, test_images, batch, workers):
    torch.manual_seed(1)
    teacher, student = CifarResNet(32).eval(), CifarResNet(8).train()
    for p in teacher.parameters():
        p.requires_grad_(False)
    sgd = torch.optim.SGD(student.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    train = DataLoader(RandomCifar(train_images, 1, True), batch_size=batch, shuffle=True, num_workers=workers,
                       persistent_workers=False)
    test = DataLoader(RandomCifar(test_images, 2, False), batch_size=256, num_workers=workers)
    out = os.path.join(tempfile.mkdtemp(), "last.pt")
    t0 = time.perf_counter()
    for x, y in train:
        with torch.no_grad():
            _, lt = teacher(x)
        _, ls = student(x)
        loss = 0.1 * F.cross_entropy(ls, y) + 0.9 * kd_loss(ls, lt)
        sgd.zero_grad(set_to_none=True)
        loss.backward()
        sgd.step()
    t_train = time.perf_counter() - t0
    student.eval()
    correct = 0
    with torch.no_grad():
        for x, y in test:
            correct += (student(x)[1].argmax(1) == y).sum().item()
    torch.save({"student": student.state_dict(), "sgd": sgd.state_dict()}, out)
    seconds = time.perf_counter() - t0
    return {"method": "kd", "train_images": train_images, "test_images": test_images, "seconds": seconds,
            "images_per_second": train_images / seconds, "train_images_per_second": train_images / t_train,
            "test_top1": 100.0 * correct / test_images}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train-images", type=int, default=6400)
    ap.add_argument("--test-images", type=int, default=2000)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--json")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    r = epoch(a.train_images, a.test_images, a.batch, a.workers)
    print("%-8s %8.1f s  %8.1f img/s epoch  %8.1f img/s training" % (r["method"], r["seconds"], r["images_per_second"],
                                                                      r["train_images_per_second"]))
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"torch": torch.__version__, "threads": a.threads, "workers": a.workers, "results": [r]}, f, indent=1)


if __name__ == "__main__":
    main()
