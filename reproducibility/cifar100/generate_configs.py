#!/usr/bin/env python3
"""Writes the run configs of HKD's Table 1 (CIFAR-100) from the reference hyper-parameters.

    python3 reproducibility/cifar100/generate_configs.py

One config per teacher (teachers/) and per pair and method (students/<teacher>-<student>/),
each headed by the paper's number. Settings: docs/methods.md#recipe (SGD 0.05, 0.01 for
MobileNetV2/ShuffleV1/ShuffleV2 students, momentum 0.9, wd 5e-4, 240 epochs, decay at
150/180/210, batch 64), §1.4 (weights), §5.6 (ReviewKD's own framework).
"""
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
TABLE = json.loads((HERE / "paper-tables.json").read_text())["hkd_iccv2021_table1"]
LOW_LR = {"MobileNetV2", "ShuffleV1", "ShuffleV2"}
METHODS = ["student", "kd", "at+kd", "pkt+kd", "sp+kd", "cc+kd", "rkd+kd", "crd+kd", "sskd+kd", "hkd", "hkd+kd"]
# ReviewKD supports these pairs in its CIFAR code, with its own weights (§5.6).
REVIEWKD = {("resnet32x4", "resnet8x4"): 5.0, ("resnet32x4", "ShuffleV2"): 8.0}


def training(lr, epochs=240, milestones=(150, 180, 210), batch=64, nesterov=False):
    return (f"training:\n"
            f"  optimizer: {{lr: {lr}, momentum: 0.9, weight_decay: 5.0e-4, nesterov: {str(nesterov).lower()}}}\n"
            f"  schedule: {{epochs: {epochs}, milestones: [{', '.join(map(str, milestones))}], gamma: 0.1}}\n"
            f"  batch_size: {batch}\n")


def data(normalization="dataset"):
    return ("data: {dataset: cifar100, dir: data/cifar100, augment: crop-flip"
            + (f", normalization: {normalization}" if normalization != "dataset" else "") + "}\n")


def teacher_config(model, acc):
    lr = 0.01 if model in LOW_LR else 0.05
    return (f"# Teacher {model} on CIFAR-100 (the paper used RepDistiller's teacher: {acc:.2f}%).\n"
            f"# Either train it:  ./hkd train reproducibility/cifar100/teachers/{model}.yaml\n"
            f"# or import RepDistiller's checkpoint as a safetensors state dict (README) and point\n"
            f"# the students' teacher.checkpoint at it.\n"
            f"seed: 1\n" + data() + f"student: {{model: {model}}}\nmethod: {{name: vanilla}}\n" + training(lr)
            + f"eval_batch_size: 500\ncheckpoint_every_steps: 200\noutput: runs/cifar100/teachers/{model}\n")


def method_block(method):
    if method == "student":
        return "method: {name: vanilla}\n"
    if method == "kd":
        return "method: {name: kd, weights: {ce: 0.1, kd: 0.9}}\n"
    if method == "sskd+kd":
        # SSKD's default run already contains KD (docs/methods.md#sskd): 0.1 CE + 0.9 KD + 2.7 KD(rotations) + 10 SS,
        # after 60 epochs of the teacher's SS head (lr 0.05, decay at 30 and 45).
        return "method: {name: sskd}  # HKD's 'SSKD+KD' row: SSKD's default run, which contains KD\n"
    if method in ("hkd", "hkd+kd"):
        return f"method: {{name: {method}, weights: {{ce: 1, {'kd: 1, ' if method == 'hkd+kd' else ''}hkd: 3}}}}\n"
    base = method.split("+")[0]
    return f"method: {{name: {method}, weights: {{ce: 1, kd: 1}}}}  # {base}: the reference beta\n"


def student_config(teacher, student, method, paper):
    lr = 0.01 if student in LOW_LR else 0.05
    mean, std = paper
    head = (f"# HKD Table 1, {teacher} -> {student}, {method}: paper {mean:.2f} +- {std:.2f} (CIFAR-100 top-1, %).\n"
            + f"# Three trials: --set seed=1|2|3 --set output=runs/cifar100/{teacher}-{student}/{method}/seed<N>\n")
    body = ("seed: 1\n" + data("sskd" if method == "sskd+kd" else "dataset")
            + f"teacher: {{model: {teacher}, checkpoint: runs/cifar100/teachers/{teacher}/last.safetensors}}\n"
            + ("" if method != "student" else "") + f"student: {{model: {student}}}\n" + method_block(method)
            + training(lr) + f"eval_batch_size: 500\ncheckpoint_every_steps: 500\n"
            + f"output: runs/cifar100/{teacher}-{student}/{method}/seed1\n")
    if method == "student":
        body = body.replace(f"teacher: {{model: {teacher}, checkpoint: runs/cifar100/teachers/{teacher}/last.safetensors}}\n", "")
    return head + body


def reviewkd_config(teacher, student, weight):
    lr = 0.02 if student in LOW_LR else 0.1
    return (f"# ReviewKD {teacher} -> {student} in ReviewKD's own CIFAR framework (docs/methods.md#reviewkd):\n"
            f"# CIFAR-10 normalisation, batch 128, Nesterov, lr {lr}, decay one epoch later, teacher BN on batch\n"
            f"# statistics, loss weight {weight} ramped over 20 epochs. Not in HKD's Table 1; ReviewKD reports 75.63\n"
            f"# for resnet32x4 -> resnet8x4 with its own teachers.\n"
            "seed: 1\n" + data("cifar10")
            + f"teacher: {{model: {teacher}, checkpoint: runs/cifar100/teachers/{teacher}/last.safetensors}}\n"
            + f"student: {{model: {student}}}\n"
            + f"method:\n  name: reviewkd\n  weights: {{ce: 1, reviewkd: {weight}}}\n"
            + "  options: {reviewkd: {warmup_epochs: 20, teacher_batchnorm: train}}\n"
            + training(lr, milestones=(151, 181, 211), batch=128, nesterov=True)
            + f"eval_batch_size: 500\ncheckpoint_every_steps: 500\noutput: runs/cifar100/{teacher}-{student}/reviewkd/seed1\n")


MODERN_TABLE = json.loads((HERE / "paper-tables.json").read_text())["logit_kd_2022_2024"]
# Each paper's own hyper-parameters for each pair of HKD's Table 1 that it reports.
#  DKD: mdistiller a08d46f configs/cifar100/dkd/*.yaml (alpha 1, T 4, warm-up 20, CE 1; beta per pair).
#  KD+LS and DKD+LS: logit-standardization-KD f6e5aa5, README commands and log names
#    "<kd>,<teacher>,<student>,<T>,<kd weight>[,<DKD beta>]": KD keeps mdistiller's CE weight 0.1; DKD's
#    alpha and beta are multiplied by the KD weight (tools/train.py).
#  DIST: image_classification_sota 6f7a70a configs/strategies/distill/dist_cifar.yaml: DIST(1, 1, tau 4) at
#    kd_loss_weight 2 with CE weight 1, i.e. beta = gamma = 2.
DKD_BETA = {("resnet32x4", "resnet8x4"): 8, ("resnet32x4", "ShuffleV2"): 8, ("vgg13", "MobileNetV2"): 6,
            ("ResNet50", "MobileNetV2"): 8}
LS_KD = {("resnet32x4", "resnet8x4"): (2, 9), ("resnet32x4", "ShuffleV2"): (2, 9), ("vgg13", "MobileNetV2"): (3, 9),
         ("ResNet50", "MobileNetV2"): (3, 1)}
LS_DKD = {("resnet32x4", "resnet8x4"): (2, 9, 8), ("resnet32x4", "ShuffleV2"): (2, 9, 8), ("vgg13", "MobileNetV2"): (3, 9, 2),
          ("ResNet50", "MobileNetV2"): (2, 15, 2)}


def modern_block(label, pair):
    if label == "dkd":
        return ("method:\n  name: dkd\n  weights: {ce: 1, dkd: 1}\n"
                f"  options: {{dkd: {{alpha: 1, beta: {DKD_BETA[pair]}, temperature: 4, warmup_epochs: 20}}}}\n")
    if label == "kd-ls":
        t, w = LS_KD[pair]
        return ("method:\n  name: kd\n  label: kd-ls\n  weights: {ce: 0.1, kd: " + str(w) + "}\n"
                f"  options: {{kd: {{temperature: {t}, logit_standardization: true}}}}\n")
    if label == "dkd-ls":
        t, w, beta = LS_DKD[pair]
        return ("method:\n  name: dkd\n  label: dkd-ls\n  weights: {ce: 1, dkd: 1}\n"
                f"  options: {{dkd: {{alpha: {w}, beta: {beta * w}, temperature: {t}, warmup_epochs: 20,"
                f" logit_standardization: true}}}}\n")
    if label == "dist":
        return ("method:\n  name: dist\n  weights: {ce: 1, dist: 1}\n"
                "  options: {dist: {beta: 2, gamma: 2, temperature: 4}}\n")
    raise ValueError(label)


def modern_config(teacher, student, label, paper):
    lr = 0.01 if student in LOW_LR else 0.05
    mean = paper[0] if isinstance(paper, list) else paper
    spread = f" +- {paper[1]:.2f}" if isinstance(paper, list) else ""
    return (f"# {label} on CIFAR-100, {teacher} -> {student}: paper {mean:.2f}{spread} (top-1, %; source and\n"
            f"# hyper-parameters: paper-tables.json 'logit_kd_2022_2024' and generate_configs.py).\n"
            f"# Three trials: --set seed=1|2|3 --set output=runs/cifar100/{teacher}-{student}/{label}/seed<N>\n"
            "seed: 1\n" + data()
            + f"teacher: {{model: {teacher}, checkpoint: runs/cifar100/teachers/{teacher}/last.safetensors}}\n"
            + f"student: {{model: {student}}}\n" + modern_block(label, (teacher, student)) + training(lr)
            + f"eval_batch_size: 500\ncheckpoint_every_steps: 500\noutput: runs/cifar100/{teacher}-{student}/{label}/seed1\n")


# The logit methods since 2021 on every pair of HKD's Table 1, each with its authors' CIFAR-100 recipe and the
# table's schedule (none of these papers reports HKD's pairs with HKD's teachers; paper-tables.json has no row):
#  WSLD: the WSLD paper's CIFAR-100 setting T 4, alpha 2.25 (as cls_KD 1e5d48f configs/distillers/cifar100); its repo
#    (67820dd) has only the ImageNet recipe T 2, alpha 2.5, the provider's default. CE weight 1 (its loss includes CE).
#  NKD: cls_KD 1e5d48f configs/distillers/cifar100/res34_distill_res18_cifar.py (T 3, gamma 3.5), weight 1 beside CE 1.
#  CTKD: CTKD 7d52522 scripts/run_cifar_distill.sh: -r 0.1 -a 0.9 -b 0, global temperature in (1, 21), cosine
#    lambda from 0 to -1 over 10 epochs.
#  Tf-KD-reg: Teacher-free-Knowledge-Distillation d000ab3 experiments/base_experiments/base_resnet18/params.json
#    (alpha 0.1, T 20, multiplier 100): CE 1 - alpha. No teacher: the config has none and none is trained or loaded.
LOGIT_SINCE_2021 = {
    "wsld": "method:\n  name: wsld\n  weights: {ce: 1, wsld: 2.25}\n  options: {wsld: {temperature: 4}}\n",
    "nkd": "method:\n  name: nkd\n  weights: {ce: 1, nkd: 1}\n  options: {nkd: {temperature: 3, gamma: 3.5}}\n",
    "ctkd": ("method:\n  name: ctkd\n  weights: {ce: 0.1, ctkd: 0.9}\n"
             "  options: {ctkd: {t_start: 1, t_end: 20, initial_theta: 1, decay_max: 0, decay_min: -1, decay_loops: 10}}\n"),
    "tfkd-reg": ("method:\n  name: tfkd-reg\n  weights: {ce: 0.9, tfkd-reg: 0.1}\n"
                 "  options: {tfkd-reg: {temperature: 20, correct_prob: 0.99, multiplier: 100}}\n"),
}


def logit_since_2021_config(teacher, student, label):
    lr = 0.01 if student in LOW_LR else 0.05
    teacher_line = ("" if label == "tfkd-reg"
                    else f"teacher: {{model: {teacher}, checkpoint: runs/cifar100/teachers/{teacher}/last.safetensors}}\n")
    note = (f"# Teacher-free: no teacher is trained, loaded or run; the report places it on every pair with {student}.\n"
            if label == "tfkd-reg" else "")
    return (f"# {label} on CIFAR-100, {teacher} -> {student}: no paper number for this pair (hyper-parameters and\n"
            f"# sources: generate_configs.py, docs/methods.md#{label}).\n" + note
            + f"# Three trials: --set seed=1|2|3 --set output=runs/cifar100/{teacher}-{student}/{label}/seed<N>\n"
            "seed: 1\n" + data() + teacher_line
            + f"student: {{model: {student}}}\n" + LOGIT_SINCE_2021[label] + training(lr)
            + f"eval_batch_size: 500\ncheckpoint_every_steps: 500\noutput: runs/cifar100/{teacher}-{student}/{label}/seed1\n")


# RepDistiller's two-stage and feature methods and mdistiller's OFD, alone with CE 1 as their scripts run
# them (RepDistiller scripts/run_cifar_distill.sh "-a 0 -b <beta>"; mdistiller configs/cifar100/ofd.yaml).
# Not in HKD's Table 1. KDSVD and FSP need equal channel counts (only resnet32x4 -> resnet8x4 of these
# pairs); OFD needs a teacher that exposes its BatchNorm before each stage's ReLU (the CIFAR ResNets).
FEATURE_BETA = {"nst": 50, "kdsvd": 1, "fsp": 50, "ab": 1, "ft": 200, "ofd": 0.001}
EQUAL_WIDTHS = {("resnet32x4", "resnet8x4")}
OFD_TEACHERS = {"resnet32x4"}


def feature_methods(teacher, student):
    methods = ["nst", "ab", "ft"]
    if (teacher, student) in EQUAL_WIDTHS:
        methods += ["kdsvd", "fsp"]
    if teacher in OFD_TEACHERS:
        methods.append("ofd")
    return methods


def feature_config(teacher, student, method):
    lr = 0.01 if student in LOW_LR else 0.05
    options = ""
    if method in ("ab", "fsp"):
        # helper/pretrain.py: the init stage runs at the run's learning rate, constant, for 30 epochs.
        options = f"  options: {{{method}: {{init_epochs: 30, init_lr: {lr}}}}}\n"
    elif method == "ft":
        # helper/pretrain.py: 0.01 for ResNet/WRN students, else the run's learning rate.
        init_lr = 0.01 if student.startswith(("resnet", "wrn")) else lr
        options = f"  options: {{ft: {{init_epochs: 30, init_lr: {init_lr}}}}}\n"
    source = "mdistiller configs/cifar100/ofd.yaml" if method == "ofd" else "RepDistiller scripts/run_cifar_distill.sh"
    return (f"# {method} on CIFAR-100, {teacher} -> {student}, the reference recipe ({source}: CE 1,\n"
            f"# beta {FEATURE_BETA[method]}, no KD; docs/methods.md#{method}). Not in HKD's Table 1.\n"
            f"# Three trials: --set seed=1|2|3 --set output=runs/cifar100/{teacher}-{student}/{method}/seed<N>\n"
            "seed: 1\n" + data()
            + f"teacher: {{model: {teacher}, checkpoint: runs/cifar100/teachers/{teacher}/last.safetensors}}\n"
            + f"student: {{model: {student}}}\n"
            + f"method:\n  name: {method}\n  weights: {{ce: 1, {method}: {FEATURE_BETA[method]}}}\n" + options
            + training(lr) + f"eval_batch_size: 500\ncheckpoint_every_steps: 500\n"
            + f"output: runs/cifar100/{teacher}-{student}/{method}/seed1\n")


def main():
    teachers = HERE / "teachers"
    teachers.mkdir(exist_ok=True)
    for pair, acc in zip(TABLE["pairs"], TABLE["teacher"]):
        (teachers / f"{pair['teacher']}.yaml").write_text(teacher_config(pair["teacher"], acc))
    for i, pair in enumerate(TABLE["pairs"]):
        t, s = pair["teacher"], pair["student"]
        folder = HERE / "students" / f"{t}-{s}"
        folder.mkdir(parents=True, exist_ok=True)
        for method in METHODS:
            (folder / f"{method}.yaml").write_text(student_config(t, s, method, TABLE["rows"][method][i]))
        if (t, s) in REVIEWKD:
            (folder / "reviewkd.yaml").write_text(reviewkd_config(t, s, REVIEWKD[(t, s)]))
        for label, row in MODERN_TABLE["rows"].items():
            if row[i] is not None:
                (folder / f"{label}.yaml").write_text(modern_config(t, s, label, row[i]))
        for label in LOGIT_SINCE_2021:
            (folder / f"{label}.yaml").write_text(logit_since_2021_config(t, s, label))
        for method in feature_methods(t, s):
            (folder / f"{method}.yaml").write_text(feature_config(t, s, method))


if __name__ == "__main__":
    main()
