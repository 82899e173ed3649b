#!/usr/bin/env python3
"""Golden data for two training steps of a tiny score-masked FC (tests/Winnow.Sparsity.Tests/Fixtures/
subnet_golden.json) through scripts/reference/subnet_reference.py (the PyTorch re-implementation of the
edge-popup / biprop reference code paths).

Model: the bias-free FC of subnet_reference.py with 8 inputs and width 0.04 (8 -> 12 -> 4 -> 10); the FC_BinAct
variant (non-affine BN, BiRealAct) for MPT-1/1. Three cases, each from the frozen weights and scores the
reference init draws (exported, so Winnow starts from identical tensors) and two fixed batches of 6:
  * edge-popup, keep 0.5, SGD lr 0.1 momentum 0.9 wd 1e-4 (two groups);
  * biprop MPT-1/32, keep 0.3 (j = int(0.7 n), alpha over int(0.3 n) differs from the kept count), same SGD;
  * biprop MPT-1/1, keep 0.3, Adam lr 0.1 without weight decay, BN in training mode.
Per step it records the masks and alpha of every layer, the logits, the loss, the score gradients and the
scores after the optimiser step.

Usage: /usr/bin/python3 scripts/reference/subnet_golden.py > tests/Winnow.Sparsity.Tests/Fixtures/subnet_golden.json
"""
import json
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from subnet_reference import Fc, GetSubnet, build_optimizer  # noqa: E402


def floats(t):
    return [float("%.9g" % v) for v in t.detach().flatten().tolist()]


def layers(model):
    return [("fc1", model.fc1), ("fc2", model.fc2), ("fc3", model.fc3)]


def case(name, method, keep, binary, optimizer, seed):
    torch.manual_seed(seed)
    model = Fc(method, keep, width=0.04, binary=binary, inputs=8)
    opt = build_optimizer(model, optimizer, 0.1, 0.9, 1e-4)
    batches = [(torch.randn(6, 8), torch.randint(0, 10, (6,))) for _ in range(2)]
    out = {"name": name, "method": method, "keep": keep, "binary_activations": binary, "optimizer": optimizer,
           "layers": [{"name": n, "shape": list(l.weight.shape), "weight": floats(l.weight), "scores": floats(l.scores)}
                      for n, l in layers(model)],
           "steps": []}
    model.train()
    for x, y in batches:
        step = {"x": floats(x), "y": y.tolist(), "layers": []}
        with torch.no_grad():
            for n, l in layers(model):
                m = GetSubnet.apply(l.scores.abs(), keep)
                alpha = torch.sum(torch.abs(l.weight) * m) / int(keep * l.scores.numel())
                step["layers"].append({"name": n, "mask": [int(v) for v in m.flatten().tolist()],
                                       "alpha": float(alpha) if method == "biprop" else 1.0})
        opt.zero_grad()
        logits = model(x)
        loss = F.cross_entropy(logits, y)
        loss.backward()
        opt.step()
        step["logits"], step["loss"] = floats(logits), float(loss)
        for entry, (_, l) in zip(step["layers"], layers(model)):
            entry["score_grad"] = floats(l.scores.grad)
            entry["scores_after"] = floats(l.scores)
        out["steps"].append(step)
    return out


def main():
    torch.set_num_threads(1)
    cases = [case("edge-popup", "edge-popup", 0.5, False, "sgd", 1),
             case("mpt-1-32", "biprop", 0.3, False, "sgd", 2),
             case("mpt-1-1", "biprop", 0.3, True, "adam", 3)]
    json.dump({"generator": "scripts/reference/subnet_golden.py", "torch": torch.__version__, "cases": cases}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
