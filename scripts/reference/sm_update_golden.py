#!/usr/bin/env python3
"""Golden data for one Sparse Momentum mask update (tests/Winnow.Sparsity.Tests/DynamicSparse/
sm_update_golden.json): random weights, masks and SGD momentum buffers for a 20-12-8-4 MLP (the last layer
95% dense with large momentum, so the dense-layer protection and the capping loop both act), then ONE
truncate_weights of scripts/reference/sparse_momentum_reference.py (sparse_learning's Masking) at prune
rate 0.4. All momentum entries are non-zero so no growth tie can reach an active position.

Usage: /usr/bin/python3 scripts/reference/sm_update_golden.py > tests/Winnow.Sparsity.Tests/DynamicSparse/sm_update_golden.json
"""
import json
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sparse_momentum_reference import Masking  # noqa: E402


def main():
    torch.manual_seed(5)
    model = nn.Sequential(nn.Linear(20, 12), nn.ReLU(), nn.Linear(12, 8), nn.ReLU(), nn.Linear(8, 4))
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=5e-4)
    density = 0.3
    mask = Masking(model, opt, density, 0.5, 1000)
    layers = []
    for i, (n, w) in enumerate(mask.weights()):
        keep = 0.95 if i == 2 else 0.25
        m = (torch.rand(w.shape) < keep).float()
        scale = 5.0 if i == 2 else 1.0
        v = torch.randn(w.shape) * scale
        v[v.abs() < 1e-3] = 1e-3
        mask.masks[n][:] = m
        w.data = torch.randn(w.shape) * m
        opt.state[w]["momentum_buffer"] = v
        layers.append({"name": n, "shape": list(w.shape), "weight": w.data.flatten().tolist(),
                       "mask": m.flatten().tolist(), "momentum": v.flatten().tolist()})
    mask.prune_rate = 0.4
    mask.truncate_weights()
    update = mask.updates[-1]
    for layer, u in zip(layers, update["layers"]):
        layer["mask_after"] = mask.masks[layer["name"]].flatten().tolist()
        layer["removed"] = u["removed"]
        layer["requested"] = u["requested"]
        layer["prune_rate"] = u["prune_rate"]
    json.dump({"density": density, "prune_rate": 0.4, "capping_iterations": update["capping_iterations"],
               "adjusted_growth": update["adjusted_growth"], "layers": layers}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
