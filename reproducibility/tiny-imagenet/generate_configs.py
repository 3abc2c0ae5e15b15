#!/usr/bin/env python3
"""Writes the Tiny-ImageNet-200 run configs: teachers and students of two of HKD's Table 1 pairs
on CIFAR-style models at 64x64, with HKD's CIFAR recipe.

    python3 reproducibility/tiny-imagenet/generate_configs.py

HKD's repository discusses Tiny-ImageNet in its issues (#2, #4, #5) but publishes no Tiny-ImageNet
config or number; the recipe here is HKD's CIFAR-100 one (docs/methods.md#recipe: SGD 0.05, 0.01 for
MobileNetV2 students, momentum 0.9, weight decay 5e-4, 240 epochs, lr x 0.1 at 150, 180 and 210,
batch 64; weights hkd 3, CRD and KD at the reference's), on Tiny-ImageNet's 64x64 images with the
CIFAR augmentation (pad 4, random crop, flip) and ImageNet's mean and std. The CIFAR models pool
adaptively, so they take 64x64 (the model zoo's README says what changes). The pairs are the first
and third of HKD's Table 1, resnet32x4 -> resnet8x4 and vgg13 -> MobileNetV2; no published number
exists for them on Tiny-ImageNet.
"""
from pathlib import Path

HERE = Path(__file__).resolve().parent
PAIRS = [("resnet32x4", "resnet8x4"), ("vgg13", "MobileNetV2")]
LOW_LR = {"MobileNetV2", "ShuffleV1", "ShuffleV2"}
METHODS = {
    "student": "method: {name: vanilla}\n",
    "kd": "method: {name: kd, weights: {ce: 0.1, kd: 0.9}}\n",
    "crd+kd": "method: {name: crd+kd, weights: {ce: 1, kd: 1}}  # crd: the reference beta\n",
    "hkd": "method: {name: hkd, weights: {ce: 1, hkd: 3}}\n",
    "hkd+kd": "method: {name: hkd+kd, weights: {ce: 1, kd: 1, hkd: 3}}\n",
}
DATA = "data: {dataset: tiny-imagenet, dir: data/tiny-imagenet-200, image_size: 64, workers: 4}\n"


def training(lr):
    return (f"training:\n"
            f"  optimizer: {{lr: {lr}, momentum: 0.9, weight_decay: 5.0e-4, nesterov: false}}\n"
            f"  schedule: {{epochs: 240, milestones: [150, 180, 210], gamma: 0.1}}\n"
            f"  batch_size: 64\n")


def main():
    (HERE / "teachers").mkdir(exist_ok=True)
    n = 0
    for teacher in sorted({t for t, _ in PAIRS}):
        (HERE / "teachers" / f"{teacher}.yaml").write_text(
            f"# Teacher {teacher} on Tiny-ImageNet-200 at 64x64: ./hkd train reproducibility/tiny-imagenet/teachers/{teacher}.yaml\n"
            f"seed: 1\n" + DATA + f"student: {{model: {teacher}}}\nmethod: {{name: vanilla}}\n"
            + training(0.01 if teacher in LOW_LR else 0.05)
            + f"eval_batch_size: 500\ncheckpoint_every_steps: 500\noutput: runs/tiny-imagenet/teachers/{teacher}\n")
        n += 1
    for teacher, student in PAIRS:
        folder = HERE / "students" / f"{teacher}-{student}"
        folder.mkdir(parents=True, exist_ok=True)
        for method, block in METHODS.items():
            teacher_line = "" if method == "student" else \
                f"teacher: {{model: {teacher}, checkpoint: runs/tiny-imagenet/teachers/{teacher}/last.safetensors}}\n"
            (folder / f"{method}.yaml").write_text(
                f"# Tiny-ImageNet-200, {teacher} -> {student}, {method} (HKD's CIFAR recipe; no published number).\n"
                f"# Three trials: --set seed=1|2|3 --set output=runs/tiny-imagenet/{teacher}-{student}/{method}/seed<N>\n"
                f"seed: 1\n" + DATA + teacher_line + f"student: {{model: {student}}}\n" + block
                + training(0.01 if student in LOW_LR else 0.05)
                + f"eval_batch_size: 500\ncheckpoint_every_steps: 500\noutput: runs/tiny-imagenet/{teacher}-{student}/{method}/seed1\n")
            n += 1
    print("wrote", n, "configs under", HERE)


if __name__ == "__main__":
    main()
