#!/usr/bin/env bash
# Resident memory of one streamed epoch on 2 000 against 20 000 images, side by side:
#   reproducibility/bench/streamed_epoch_rss.sh [DIR] [ROUNDS]
# DIR (default /tmp/hkd-rss) receives two ImageNet-layout folders of 48x36 JPEGs written by
# make_imagenet_jpeg_folder.py (small: 10 classes x 200, large: 10 x 2 000) if they are missing,
# and the runs' output folders. Each round trains one epoch of resnet8 / vanilla at image_size 16,
# batch 256, 2 decode workers on each folder, alternating, and reads the process's maximum
# resident set from /usr/bin/time -v; prints the rounds, the medians and their ratio.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
dir="${1:-/tmp/hkd-rss}"
rounds="${2:-3}"
mkdir -p "$dir"
declare -A per_class=([small]=200 [large]=2000)
for size in small large; do
  if [ ! -d "$dir/$size/train" ]; then
    python3 "$here/make_imagenet_jpeg_folder.py" "$dir/$size" --classes 10 --per-class "${per_class[$size]}" \
      --val-per-class 5 --width 48 --height 36 >&2
  fi
  cat > "$dir/$size.yaml" <<EOF
seed: 1
data: {dataset: imagenet, dir: $dir/$size, image_size: 16, workers: 2}
student: {model: resnet8}
method: {name: vanilla}
training:
  optimizer: {lr: 0.05, momentum: 0.9, weight_decay: 5.0e-4}
  schedule: {epochs: 1, milestones: [], gamma: 0.1}
  batch_size: 256
output: $dir/run-$size
EOF
done
declare -A rss=([small]="" [large]="")
for round in $(seq 1 "$rounds"); do
  for size in small large; do
    rm -rf "$dir/run-$size"
    kb="$(cd "$root" && { /usr/bin/time -v ./hkd train "$dir/$size.yaml" >/dev/null; } 2>&1 \
      | awk '/Maximum resident set size/ {print $NF}')"
    rss[$size]="${rss[$size]} $kb"
    echo "round $round: $size $kb kB" >&2
  done
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
small="$(echo "${rss[small]}" | median)"
large="$(echo "${rss[large]}" | median)"
echo "2 000 images: max RSS kB${rss[small]} (median $small)"
echo "20 000 images: max RSS kB${rss[large]} (median $large)"
awk -v s="$small" -v l="$large" 'BEGIN {printf "20 000 / 2 000: %.3f (%+.1f %%)\n", l / s, 100 * (l / s - 1)}'
