#!/usr/bin/env python3
"""Compact, faithful PyTorch re-implementation of sparse_learning's Sparse Momentum (Dettmers &
Zettlemoyer 2019, github.com/TimDettmers/sparse_learning, `Masking` in sparselearning/core.py and
funcs.py) and its MNIST recipe, as the comparison point for `winnow sparse-train --method sm`
(docs/methods/sparse-momentum.md, ALGORITHMS.md §2).

What it reproduces (ALGORITHMS.md §2.3-§2.6, §2.8-§2.10):
  * LeNet-300-100 (784-300-100-10, biases, PyTorch default init, log-softmax + NLL);
  * SGD lr 0.1, momentum 0.9 Nesterov, weight decay 5e-4 (all parameters), batch 100, StepLR x0.1 every
    25,000 batches stepped at the start of each batch (never reached in 10 epochs);
  * train = first 54,000 training images (re-shuffled every epoch), validation = last 6,000, test 10,000,
    normalised with (0.2860, 0.3530) for Fashion-MNIST (--dataset mnist: 0.1307, 0.3081);
  * mask init "constant": Bernoulli(density) per maskable tensor (all weights, no biases), then w <- w*M;
  * per batch: dense backward, optimiser step, w <- w*M, cosine prune rate stepped (CosineAnnealingLR
    closed form, floor 0.005, T = batches*epochs);
  * after every epoch but the last, truncate_weights: statistics (momentum redistribution = mean |v| over
    active entries), per-layer prune-rate protection, magnitude prune of ceil(p_l*nnz_l), the 1000-pass
    capacity-capping loop, momentum growth over ALL positions (active ones score 0, issue #22), w <- w*M,
    and the adjusted-growth smoothing.
Prints one JSON object: per-epoch validation/test accuracy, final test accuracy, per-layer densities after
every update and at the end.

Usage: /usr/bin/python3 scripts/reference/sparse_momentum_reference.py --seed 17 [--density 0.05]
       [--epochs 10] [--data /usr/share/datasets/fashion-mnist] [--threads 1] [--out result.json]
"""
import argparse
import gzip
import json
import math
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(root, mean, std):
    def images(name):
        x = read_idx(os.path.join(root, name)).astype(np.float32) / 255.0
        return torch.from_numpy((x - mean) / std).reshape(-1, 1, 28, 28)

    def labels(name):
        return torch.from_numpy(read_idx(os.path.join(root, name)).astype(np.int64))

    return (images("train-images-idx3-ubyte.gz"), labels("train-labels-idx1-ubyte.gz"),
            images("t10k-images-idx3-ubyte.gz"), labels("t10k-labels-idx1-ubyte.gz"))


class LeNet300100(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 300)
        self.fc2 = nn.Linear(300, 100)
        self.fc3 = nn.Linear(100, 10)

    def forward(self, x):
        x = F.relu(self.fc1(x.view(-1, 784)))
        x = F.relu(self.fc2(x))
        return F.log_softmax(self.fc3(x), dim=1)


class Masking:
    """sparse_learning's Masking with prune=magnitude, growth=momentum, redistribution=momentum."""

    def __init__(self, model, optimizer, density, prune_rate, total_steps, p_min=0.005):
        self.model, self.optimizer = model, optimizer
        self.p0, self.p_min, self.total_steps, self.steps = prune_rate, p_min, total_steps, 0
        self.prune_rate = prune_rate
        self.masks = {n: torch.zeros_like(w) for n, w in model.named_parameters() if "bias" not in n}
        self.baseline_nonzero = 0.0
        for n, w in model.named_parameters():
            if n in self.masks:  # init mode "constant": Bernoulli(density)
                self.masks[n][:] = (torch.rand(w.shape) < density).float()
                self.baseline_nonzero += w.numel() * density
        self.apply_mask()
        self.adjusted_growth, self.adjustments, self.updates = 0.0, [], []

    def weights(self):
        return [(n, w) for n, w in self.model.named_parameters() if n in self.masks]

    def apply_mask(self):
        for n, w in self.weights():
            w.data = w.data * self.masks[n]

    def momentum(self, w):
        return self.optimizer.state[w]["momentum_buffer"]

    def step(self):
        self.optimizer.step()
        self.apply_mask()
        self.steps += 1  # CosineAnnealingLR closed form; eta_min 0.005
        self.prune_rate = self.p_min + (self.p0 - self.p_min) * (1 + math.cos(math.pi * self.steps / self.total_steps)) / 2

    def truncate_weights(self):
        # (a) statistics
        share, nnz, zeros = {}, {}, {}
        for n, w in self.weights():
            m = self.masks[n]
            share[n] = torch.abs(self.momentum(w)[m.bool()]).mean().item()
            nnz[n] = m.sum().item()
            zeros[n] = m.numel() - nnz[n]
        total = sum(v for v in share.values() if not np.isnan(v))
        for n in share:
            share[n] /= total
        # (b) per-layer prune rate
        rate = {}
        for n, w in self.weights():
            rate[n] = self.prune_rate
            sparsity = zeros[n] / float(w.numel())
            if sparsity < 0.2 and (1.0 / len(share)) / share[n] < 1.0:
                rate[n] = min(sparsity, rate[n])
        # (c) magnitude prune
        total_removed, removed = 0, {}
        for n, w in self.weights():
            mask = self.masks[n]
            num_remove = math.ceil(rate[n] * nnz[n])
            if num_remove == 0.0:
                new_mask = (w.data != 0.0).float()
            else:
                k = math.ceil(zeros[n] + num_remove)
                _, idx = torch.sort(torch.abs(w.data.view(-1)))
                new_mask = mask.clone()
                new_mask.view(-1)[idx[:k]] = 0.0
            removed[n] = nnz[n] - new_mask.sum().item()
            total_removed += removed[n]
            self.masks[n][:] = new_mask
        # (d) growth budget with the capping loop
        regrowth, residual, mean_residual, i = {}, 9999, 0, 0
        while residual > 0 and i < 1000:
            residual = 0
            for n in share:
                max_regrowth = zeros[n] + math.ceil(rate[n] * nnz[n])
                g = regrowth[n] if n in regrowth else math.ceil(share[n] * (total_removed + self.adjusted_growth))
                g += mean_residual
                if g > 0.99 * max_regrowth:
                    regrowth[n] = 0.99 * max_regrowth
                    residual += g - regrowth[n]
                else:
                    regrowth[n] = g
            mean_residual = residual / len(regrowth)
            i += 1
        # (e) momentum growth over all positions (active ones score 0)
        total_new, layers = 0, []
        for n, w in self.weights():
            new_mask = self.masks[n].bool()
            grad = self.momentum(w) * (new_mask == 0).float()
            _, idx = torch.sort(torch.abs(grad).flatten(), descending=True)
            new_mask.view(-1)[idx[:math.floor(regrowth[n])]] = True
            self.masks[n] = new_mask.float()
            total_new += new_mask.sum().item()
            layers.append({"name": n, "density": new_mask.sum().item() / new_mask.numel(), "removed": removed[n],
                           "requested": math.floor(regrowth[n]), "share": share[n], "prune_rate": rate[n]})
        # (f) apply, (g) growth adjustment
        self.apply_mask()
        self.adjustments.append(self.baseline_nonzero - total_new)
        self.adjusted_growth = 0.25 * self.adjusted_growth + 0.75 * (self.baseline_nonzero - total_new) + np.mean(self.adjustments)
        self.updates.append({"step": self.steps, "prune_rate": self.prune_rate, "capping_iterations": i,
                             "density": total_new / sum(m.numel() for m in self.masks.values()),
                             "adjusted_growth": float(self.adjusted_growth), "layers": layers})


def evaluate(model, x, y):
    model.eval()
    correct = 0
    with torch.no_grad():
        for s in range(0, len(x), 100):
            correct += (model(x[s:s + 100]).argmax(1) == y[s:s + 100]).sum().item()
    return correct / len(x)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--density", type=float, default=0.05)
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--prune-rate", type=float, default=0.5)
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--dataset", choices=["fashion-mnist", "mnist"], default="fashion-mnist")
    ap.add_argument("--dense", action="store_true", help="no masking (dense baseline)")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--out", help="also write the JSON result to this file")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    np.random.seed(a.seed)
    mean, std = (0.2860, 0.3530) if a.dataset == "fashion-mnist" else (0.1307, 0.3081)
    x, y, xt, yt = load(a.data, mean, std)
    xtr, ytr, xv, yv = x[:54000], y[:54000], x[54000:], y[54000:]
    model = LeNet300100()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4, nesterov=True)
    sched = torch.optim.lr_scheduler.StepLR(opt, 25000, gamma=0.1)
    batches = len(xtr) // 100
    mask = None if a.dense else Masking(model, opt, a.density, a.prune_rate, batches * a.epochs)
    history, t0 = [], time.time()
    for epoch in range(1, a.epochs + 1):
        model.train()
        perm = torch.randperm(len(xtr))
        for b in range(batches):
            sched.step()
            idx = perm[b * 100:(b + 1) * 100]
            opt.zero_grad()
            F.nll_loss(model(xtr[idx]), ytr[idx]).backward()
            if mask is not None:
                mask.step()
            else:
                opt.step()
        val, test = evaluate(model, xv, yv), evaluate(model, xt, yt)
        history.append({"epoch": epoch, "val_acc": val, "test_acc": test})
        print(json.dumps(history[-1]), flush=True)
        if mask is not None and epoch < a.epochs:
            mask.truncate_weights()
    result = {"seed": a.seed, "density": a.density, "epochs": a.epochs, "dense": a.dense,
              "final_test_acc": history[-1]["test_acc"], "best_test_acc": max(h["test_acc"] for h in history),
              "seconds": round(time.time() - t0, 1), "history": history}
    if mask is not None:
        result["final_layer_density"] = {n: m.sum().item() / m.numel() for n, m in mask.masks.items()}
        result["final_density"] = sum(m.sum().item() for m in mask.masks.values()) / sum(m.numel() for m in mask.masks.values())
        result["updates"] = mask.updates
    text = json.dumps(result)
    print(text)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
