#!/usr/bin/env bash
# Runs every Fashion-MNIST preset in configs/ shortened (1 epoch; 2 lottery levels; 1 CS round) with a
# fixed seed and prints the tensor hash of each final checkpoint (tensor_hashes.py: metadata ignored).
# Run it on two builds and diff the outputs: a refactor that keeps behaviour gives the same lines.
# Usage: scripts/check/preset-hashes.sh "WINNOW_COMMAND" OUT_DIR   (e.g. "dotnet path/to/winnow.dll")
set -euo pipefail
winnow="$1"; out="$2"; here="$(cd "$(dirname "$0")" && pwd)"; root="$here/../.."
mkdir -p "$out"
# lenet300-fashion first: the magnitude preset prunes its checkpoint.
for cfg in "$root"/configs/lenet300-fashion.yaml $(ls "$root"/configs/*fashion*.yaml | grep -v /lenet300-fashion.yaml); do
  name="$(basename "$cfg" .yaml)"
  extra=(--threads 2 --seed 3 --data "$root/data/fashion-mnist-sample")
  case "$name" in
    lottery-*) verb=lottery; extra+=(--epochs 1 --levels 2) ;;
    cs-*) verb=cs; extra+=(--epochs 1 --rounds 1 --rewind-epoch 0 --mask-init -0.03) ;;
    sm-*|set-*|rigl-*) verb=sparse-train; extra+=(--epochs 1) ;;
    subnet-*) verb=subnet; extra+=(--epochs 1) ;;
    magnitude-*) verb=prune; extra+=(--from "$out/lenet300-fashion" --finetune-epochs 1) ;;
    snip-*|gradual-*) verb=prune; extra+=(--epochs 1) ;;
    *) verb=train; extra+=(--epochs 1) ;;
  esac
  dir="$out/$name"; rm -rf "$dir"
  if ! $winnow "$verb" --config "$cfg" "${extra[@]}" --out "$dir" >"$out/$name.log" 2>&1; then
    echo "FAILED $name (see $out/$name.log)"; continue
  fi
  find "$dir" -name checkpoint.safetensors | sort | while read -r ck; do
    python3 "$here/tensor_hashes.py" "$ck" | sed "s#$out/##"
  done
done
