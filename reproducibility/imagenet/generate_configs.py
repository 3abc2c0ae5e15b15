#!/usr/bin/env python3
"""Writes the ImageNet run configs: ResNet34 -> ResNet18 and ResNet50 -> MobileNetV1 with
mdistiller's ImageNet recipe, for kd, at, crd, reviewkd, dkd, dist and hkd.

    python3 reproducibility/imagenet/generate_configs.py

Recipe (mdistiller configs/imagenet/{r34_r18,r50_mv1}/*.yaml and mdistiller/engine/cfg.py's
defaults): SGD momentum 0.9, weight decay 1e-4, 100 epochs, lr x 0.1 at epochs 30, 60 and 90;
batch 512 at lr 0.2 (kd, at, dkd), batch 256 at lr 0.1 (crd, reviewkd); evaluation batch 128.
Weights as mdistiller sets them: KD ce 0.5 + kd 0.5 at T = 1; AT ce 1 + 1000 (p = 2); CRD ce 1 +
0.8 (128-d embedding, K 16 384, T 0.07, momentum 0.5); ReviewKD ce 1 + 1 (r34_r18) or 8 (r50_mv1),
1 warm-up epoch, the teacher in eval mode; DKD ce 1, alpha 1, beta 0.5 (r34_r18) or 2 (r50_mv1),
T 1, 1 warm-up epoch. Not in mdistiller: DIST (its paper's ImageNet setting beta = gamma = tau = 1,
weight 1, on mdistiller's batch-512 recipe) and HKD (no ImageNet setting published in its
repository: HKD's CIFAR weight hkd 3, on the batch-256 recipe that CRD, the other memory-bank
method, uses). The teachers are torchvision's pretrained weights converted to safetensors (README,
"A torchvision teacher").
"""
from pathlib import Path

HERE = Path(__file__).resolve().parent
PAIRS = {
    ("resnet34", "resnet18"): {"reviewkd": 1.0, "dkd_beta": 0.5, "paper": {"kd": "mdistiller README: 71.03", "dkd": "mdistiller README: 71.70",
                                                                           "crd": "torchdistill (reproduced): 70.93", "reviewkd": "ReviewKD README: 71.61",
                                                                           "dist": "torchdistill (reproduced): 71.95"}},
    ("resnet50", "MobileNetV1"): {"reviewkd": 8.0, "dkd_beta": 2.0, "paper": {"kd": "mdistiller README: 70.50", "dkd": "mdistiller README: 72.05",
                                                                              "reviewkd": "ReviewKD README: 72.56"}},
}
METHODS = ["kd", "at", "crd", "reviewkd", "dkd", "dist", "hkd"]
SMALL_BATCH = {"crd", "reviewkd", "hkd"}


def method_block(method, pair):
    if method == "kd":
        return "method:\n  name: kd\n  weights: {ce: 0.5, kd: 0.5}\n  options: {kd: {temperature: 1}}\n"
    if method == "at":
        return "method:\n  name: at\n  weights: {ce: 1, at: 1000}\n  options: {at: {p: 2}}\n"
    if method == "crd":
        return ("method:\n  name: crd\n  weights: {ce: 1, crd: 0.8}\n"
                "  options: {crd: {feat_dim: 128, nce_k: 16384, nce_t: 0.07, nce_m: 0.5}}\n")
    if method == "reviewkd":
        return (f"method:\n  name: reviewkd\n  weights: {{ce: 1, reviewkd: {pair['reviewkd']}}}\n"
                "  options: {reviewkd: {warmup_epochs: 1}}\n")
    if method == "dkd":
        return (f"method:\n  name: dkd\n  weights: {{ce: 1, dkd: 1}}\n"
                f"  options: {{dkd: {{alpha: 1, beta: {pair['dkd_beta']}, temperature: 1, warmup_epochs: 1}}}}\n")
    if method == "dist":
        return "method:\n  name: dist\n  weights: {ce: 1, dist: 1}\n  options: {dist: {beta: 1, gamma: 1, temperature: 1}}\n"
    if method == "hkd":
        return "method:\n  name: hkd\n  weights: {ce: 1, hkd: 3}\n"
    raise ValueError(method)


def config(teacher, student, method, pair):
    small = method in SMALL_BATCH
    batch, lr = (256, 0.1) if small else (512, 0.2)
    paper = pair["paper"].get(method, "no published number for this pair")
    name = f"{teacher}-{student}"
    return (f"# ImageNet, {teacher} -> {student}, {method} (top-1 %: {paper}).\n"
            f"# mdistiller's recipe (reproducibility/imagenet/generate_configs.py says which setting comes from where).\n"
            f"# Needs a GPU: on a CPU one epoch of ImageNet takes days. ./hkd train reproducibility/imagenet/{name}/{method}.yaml\n"
            f"seed: 1\n"
            f"data: {{dataset: imagenet, dir: data/imagenet, image_size: 224, workers: 16}}\n"
            f"teacher: {{model: {teacher}, checkpoint: teachers/imagenet/{teacher}.safetensors}}\n"
            f"student: {{model: {student}}}\n"
            + method_block(method, pair)
            + f"training:\n"
              f"  optimizer: {{lr: {lr}, momentum: 0.9, weight_decay: 1.0e-4, nesterov: false}}\n"
              f"  schedule: {{epochs: 100, milestones: [30, 60, 90], gamma: 0.1}}\n"
              f"  batch_size: {batch}\n"
              f"eval_batch_size: 128\n"
              f"checkpoint_every_steps: 1000\n"
              f"output: runs/imagenet/{name}/{method}/seed1\n")


def main():
    for (teacher, student), pair in PAIRS.items():
        folder = HERE / f"{teacher}-{student}"
        folder.mkdir(exist_ok=True)
        for m in METHODS:
            (folder / f"{m}.yaml").write_text(config(teacher, student, m, pair))
    print("wrote", len(PAIRS) * len(METHODS), "configs under", HERE)


if __name__ == "__main__":
    main()
