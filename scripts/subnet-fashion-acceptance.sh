#!/usr/bin/env bash
# Acceptance figures of `winnow subnet` on the full Fashion-MNIST (issue 7): FC at keep 0.5/0.2/0.1
# with edge-popup, biprop MPT-1/32 and MPT-1/1 beside the dense weight-trained FC of the same shape,
# width multipliers 1 and 2, then Conv-2 at keep 0.5 with few epochs (CPU budget: ~4–8 min per epoch
# of Conv-2 on 28×28 on a shared 2-core machine).
# Usage: scripts/subnet-fashion-acceptance.sh OUT_DIR [WINNOW] [FC_EPOCHS] [FC2_EPOCHS] [CONV_EPOCHS]
# Recipe: SGD lr 0.1 momentum 0.9 wd 1e-4 cosine batch 128 (the reference's Conv-N MPT-1/32 and
# edge-popup config) for edge-popup, MPT-1/32 and the dense baseline; Adam lr 0.1 without weight
# decay for MPT-1/1 (the reference's Conv-N_BinAct config). Seed 0; scaled Kaiming-normal init.
set -euo pipefail
out=${1:?output directory}
winnow=${2:-winnow}
fc_epochs=${3:-10}
fc2_epochs=${4:-6}
conv_epochs=${5:-2}
sgd=(--optimizer sgd --lr 0.1 --momentum 0.9 --weight-decay 1e-4 --schedule cosine --batch-size 128 --seed 0)
adam=(--optimizer adam --lr 0.1 --schedule cosine --batch-size 128 --seed 0)
mkdir -p "$out"
run() { local name=$1; shift; [ -f "$out/$name/summary.json" ] && grep -q '"completed"' "$out/$name/summary.json" && return 0; "$winnow" "$@" --out "$out/$name" > "$out/$name.log" 2>&1 || echo "$name failed" >> "$out/failures.txt"; }
fc() { local w=$1 epochs=$2
  run "fc-w$w-dense" train --model fc --width "$w" --epochs "$epochs" "${sgd[@]}"
  for k in 0.5 0.2 0.1; do
    run "fc-w$w-k$k-edge-popup" subnet --model fc --width "$w" --method edge-popup --keep "$k" --epochs "$epochs" "${sgd[@]}"
    run "fc-w$w-k$k-mpt-1-32" subnet --model fc --width "$w" --method biprop --keep "$k" --epochs "$epochs" "${sgd[@]}"
    run "fc-w$w-k$k-mpt-1-1" subnet --model fc --width "$w" --method biprop --binary-activations --keep "$k" --epochs "$epochs" "${adam[@]}"
  done
}
fc 1 "$fc_epochs"
fc 2 "$fc2_epochs"
run "conv2-dense" train --model conv2 --epochs "$conv_epochs" "${sgd[@]}"
run "conv2-k0.5-edge-popup" subnet --model conv2 --method edge-popup --keep 0.5 --epochs "$conv_epochs" "${sgd[@]}"
run "conv2-k0.5-mpt-1-32" subnet --model conv2 --method biprop --keep 0.5 --epochs "$conv_epochs" "${sgd[@]}"
run "conv2-k0.5-mpt-1-1" subnet --model conv2 --method biprop --binary-activations --keep 0.5 --epochs "$conv_epochs" "${adam[@]}"
