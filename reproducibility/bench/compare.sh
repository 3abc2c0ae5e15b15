#!/usr/bin/env bash
# One training step, ours against PyTorch on the same libtorch (2.7.1), side by side in one run:
# resnet32x4 -> resnet8x4, batch 64, K = 16 384, 3 warm-up + 10 measured steps, 2 threads.
# Each method runs in a process of its own on each side (so peak memory is the method's), the sides
# alternating, for ROUNDS rounds. PyTorch runs twice a round: the authors' code (the teacher's input
# contiguous) and the same with the teacher's input channels-last, as ./hkd runs it. The table gives
# each round's medians, the ratios ours / PyTorch in both layouts and ours / our KD step.
# Then one whole epoch of KD (data loading, augmentation, steps, evaluation, checkpoint) on each
# side, PyTorch with a DataLoader of WORKERS (2) worker processes, over TRAIN (6400) random
# CIFAR-shaped training images and TEST (2000) test images; EPOCH=0 leaves it out.
#   reproducibility/bench/compare.sh                 # ROUNDS=2 METHODS=kd,crd+kd,hkd+kd by default
#   HKD_TORCH_PYTHON=/path/to/python reproducibility/bench/compare.sh
# Without HKD_TORCH_PYTHON it uses (and creates on first use) reproducibility/bench/.venv with
# CPU torch 2.7.1 from pip.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rounds="${ROUNDS:-2}"
methods="${METHODS:-kd,crd+kd,hkd+kd}"
threads="${THREADS:-2}"
epoch="${EPOCH:-1}"
train_images="${TRAIN:-6400}"
test_images="${TEST:-2000}"
workers="${WORKERS:-2}"

python="${HKD_TORCH_PYTHON:-}"
if [ -z "$python" ]; then
  python="$here/.venv/bin/python"
  if ! "$python" -c 'import torch, sys; sys.exit(0 if torch.__version__.startswith("2.7.1") else 1)' 2>/dev/null; then
    echo "compare: installing CPU torch 2.7.1 into $here/.venv ..." >&2
    python3 -m venv "$here/.venv"
    "$here/.venv/bin/pip" install -q torch==2.7.1 --index-url https://download.pytorch.org/whl/cpu \
      || "$here/.venv/bin/pip" install -q torch==2.7.1
  fi
fi
torch_version="$("$python" -c 'import torch; print(torch.__version__)')"

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
IFS=, read -ra list <<< "$methods"
for round in $(seq 1 "$rounds"); do
  for m in "${list[@]}"; do
    echo "round $round: $m (ours)" >&2
    "$root/hkd" bench --workload step --methods "$m" --threads "$threads" | awk -v m="$m" '$1 == m {print $2, $NF}' >> "$out/ours-$m"
    for layout in contiguous channels-last; do
      echo "round $round: $m (PyTorch $torch_version, teacher $layout)" >&2
      "$python" "$here/pytorch_step.py" --methods "$m" --threads "$threads" --teacher-layout "$layout" --json "$out/torch.json" > /dev/null
      "$python" -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print(r["median_ms"], r["peak_rss_mib"])' \
        "$out/torch.json" >> "$out/torch-$layout-$m"
    done
  done
done

# "a / b / c": one value per round.
per_round() { awk -v f="$2" '{printf "%s%.*f", (NR>1?" / ":""), f, $1}' "$1"; }
ratio() { paste -d' ' "$1" "$2" | awk '{printf "%s%.2f", (NR>1?" / ":""), $1/$3}'; }
echo
echo "resnet32x4 -> resnet8x4, batch 64, K = 16384, $threads threads; median ms per step, one value per round; peak RSS MiB."
echo "PyTorch runs the authors' code (the teacher's input contiguous) and, beside it, with the teacher's input channels-last as ours."
printf '| step | PyTorch %s | PyTorch, teacher channels-last | ./hkd bench | ours / PyTorch | ours / PyTorch channels-last | ours / our kd | peak RSS PyTorch / ours |\n' "$torch_version"
printf '|---|---|---|---|---|---|---|---|\n'
for m in "${list[@]}"; do
  c="$out/torch-contiguous-$m"
  l="$out/torch-channels-last-$m"
  o="$out/ours-$m"
  own="-"
  [ -f "$out/ours-kd" ] && own="$(ratio "$o" "$out/ours-kd")"
  rss="$(paste -d' ' "$c" "$o" | awk 'END {printf "%d / %d", $2, $4}')"
  printf '| %s | %s ms | %s ms | %s ms | %s | %s | %s | %s |\n' "$m" "$(per_round "$c" 0)" "$(per_round "$l" 0)" \
    "$(per_round "$o" 0)" "$(ratio "$o" "$c")" "$(ratio "$o" "$l")" "$own" "$rss"
done

if [ "$epoch" != "0" ]; then
  for round in $(seq 1 "$rounds"); do
    echo "round $round: one KD epoch (ours)" >&2
    "$root/hkd" bench --workload epoch --methods kd --train-images "$train_images" --test-images "$test_images" \
      --threads "$threads" | awk '$1 == "kd" {print $3, $4}' >> "$out/ours-epoch"
    echo "round $round: one KD epoch (PyTorch $torch_version, $workers DataLoader workers)" >&2
    (cd "$here" && "$python" pytorch_epoch.py --train-images "$train_images" --test-images "$test_images" --threads "$threads" \
      --workers "$workers" --json "$out/torch-epoch.json" > /dev/null)
    "$python" -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print(r["images_per_second"], r["train_images_per_second"])' \
      "$out/torch-epoch.json" >> "$out/torch-epoch"
  done
  echo
  echo "one KD epoch: $train_images training images (crop, flip, normalise), evaluation on $test_images, checkpoint; $threads threads;"
  echo "images/s over the whole epoch (each round), and over its training part"
  printf '| epoch | PyTorch %s, %s DataLoader workers | ./hkd bench | ours / PyTorch (time) |\n|---|---|---|---|\n' "$torch_version" "$workers"
  t="$(awk '{printf "%s%.1f", (NR>1?" / ":""), $1}' "$out/torch-epoch")"
  o="$(awk '{printf "%s%.1f", (NR>1?" / ":""), $1}' "$out/ours-epoch")"
  ratio="$(paste -d' ' "$out/torch-epoch" "$out/ours-epoch" | awk '{printf "%s%.2f", (NR>1?" / ":""), $1/$3}')"
  printf '| whole epoch | %s img/s | %s img/s | %s |\n' "$t" "$o" "$ratio"
  t="$(awk '{printf "%s%.1f", (NR>1?" / ":""), $2}' "$out/torch-epoch")"
  o="$(awk '{printf "%s%.1f", (NR>1?" / ":""), $2}' "$out/ours-epoch")"
  ratio="$(paste -d' ' "$out/torch-epoch" "$out/ours-epoch" | awk '{printf "%s%.2f", (NR>1?" / ":""), $2/$4}')"
  printf '| training part | %s img/s | %s img/s | %s |\n' "$t" "$o" "$ratio"
fi
