#!/usr/bin/env python3
"""Prints RESULTS.md's "Every cell" table from the run store: one row per cell folder, with the pair
and the method (its label where it has one) taken from the cell's own config.yaml, never from the
folder's name, in the grid's order of pairs and methods, then by seed.

    python3 reproducibility/fashion-mnist/every_cell.py > /tmp/every-cell.md
"""
import json
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
STORE = HERE / "table1-runs"


def grid_order():
    grid = yaml.safe_load((HERE / "table1.yaml").read_text())
    pairs, methods = [], []
    for group in grid["zip"]:
        if "teacher.model" in group:
            pairs = list(zip(group["teacher.model"], group["student.model"]))
        if "method.name" in group:
            labels = group.get("method.label", [None] * len(group["method.name"]))
            methods = [label or name for name, label in zip(group["method.name"], labels)]
    return pairs, methods


def main():
    pairs, methods = grid_order()
    rows = []
    for folder in sorted(p for p in STORE.iterdir() if p.is_dir()):
        config = yaml.safe_load((folder / "config.yaml").read_text())
        pair = (config["teacher"]["model"], config["student"]["model"])
        method = config["method"].get("label") or config["method"]["name"]
        result = json.loads((folder / "result.json").read_text())
        rows.append((pairs.index(pair), methods.index(method), config["seed"], pair, method, result, folder.name))
    print("| pair | method | seed | last top-1 | best top-1 | folder |")
    print("|---|---|---|---|---|---|")
    for _, _, seed, pair, method, result, name in sorted(rows, key=lambda r: r[:3]):
        print(f"| {pair[0]} → {pair[1]} | {method} | {seed} | {result['lastTop1']:.2f} | {result['bestTop1']:.2f} "
              f"| [{name}](table1-runs/{name}/) |")


if __name__ == "__main__":
    main()
