#!/usr/bin/env bash
# The ImageNet data pipeline, ours against PyTorch's DataLoader, side by side in one run:
#   reproducibility/bench/compare_imagenet_data.sh [DIR] [WORKERS] [BATCH] [ROUNDS]
# DIR (default /tmp/hkd-imagenet-jpeg) is written by make_imagenet_jpeg_folder.py if missing
# (1 300 train images of 500x375 at quality 90). Each round runs `./hkd bench --workload
# imagenet-data` and pytorch_imagenet_data.py on the same folder with the same number of decode
# threads / DataLoader workers and batch, alternating, so machine load hits both alike; prints the
# rounds, the medians and their ratio as a row of reproducibility/benchmarks.md's table.
# PyTorch: torch 2.7.1 and torchvision 0.22.1 from PyPI, installed into reproducibility/bench/.venv if missing.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
dir="${1:-/tmp/hkd-imagenet-jpeg}"
workers="${2:-2}"
batch="${3:-32}"
rounds="${4:-3}"
steps=30
python="$here/.venv/bin/python"
if [ ! -x "$python" ] || ! "$python" -c 'import torch, torchvision' 2>/dev/null; then
  echo "compare: installing torch 2.7.1 and torchvision 0.22.1 into $here/.venv ..." >&2
  python3 -m venv "$here/.venv"
  "$here/.venv/bin/pip" install -q torch==2.7.1 torchvision==0.22.1
fi
if [ ! -d "$dir/train" ]; then
  "$python" "$here/make_imagenet_jpeg_folder.py" "$dir" --classes 10 --per-class 130 --val-per-class 10
fi
ours=()
theirs=()
for round in $(seq 1 "$rounds"); do
  o="$(cd "$root" && ./hkd bench --workload imagenet-data --data-dir "$dir" --threads "$workers" --batch "$batch" --steps "$steps" 2>/dev/null \
       | sed -n 's/^imagenet-data: \([0-9.]*\) images\/s$/\1/p')"
  t="$("$python" "$here/pytorch_imagenet_data.py" --data-dir "$dir" --workers "$workers" --batch "$batch" --steps "$steps" \
       | sed -n 's/^pytorch-imagenet-data: \([0-9.]*\) images\/s$/\1/p')"
  echo "round $round: ours $o images/s, PyTorch $t images/s" >&2
  ours+=("$o")
  theirs+=("$t")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
mo="$(median "${ours[@]}")"
mt="$(median "${theirs[@]}")"
torch_version="$("$python" -c 'import torch, torchvision; print(torch.__version__.split("+")[0] + ", torchvision " + torchvision.__version__.split("+")[0])')"
echo "| date | workers / threads | batch | PyTorch $torch_version DataLoader (images/s, rounds) | ./hkd bench (images/s, rounds) | ours / PyTorch |"
echo "|---|---|---|---|---|---|"
printf '| %s | %s | %s | %s (%s) | %s (%s) | %.2fx |\n' "$(date -u +%F)" "$workers" "$batch" "$mt" "$(IFS=/; echo "${theirs[*]}")" \
  "$mo" "$(IFS=/; echo "${ours[*]}")" "$(awk -v a="$mo" -v b="$mt" 'BEGIN {print a / b}')"
