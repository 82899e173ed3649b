#!/usr/bin/env python3
"""Golden data for two training steps of a tiny score-masked FC (tests/Winnow.Sparsity.Tests/Fixtures/
subnet_golden.json) through scripts/reference/subnet_reference.py (the PyTorch re-implementation of the
edge-popup / biprop reference code paths).

Model: the bias-free FC of subnet_reference.py with 8 inputs and width 0.04 (8 -> 12 -> 4 -> 10); the FC_BinAct
variant (non-affine BN, BiRealAct) for MPT-1/1; Conv-2 (and Conv-2_BinAct) at width 0.03125 on 1x4x4 inputs
(conv3 1->2, conv3 2->2, pool, lin 8->8->8->10) for the conv cases. Five cases, each from the frozen weights and scores the
reference init draws (exported, so Winnow starts from identical tensors) and two fixed batches of 6:
  * edge-popup, keep 0.5, SGD lr 0.1 momentum 0.9 wd 1e-4 (two groups);
  * biprop MPT-1/32, keep 0.3 (j = int(0.7 n), alpha over int(0.3 n) differs from the kept count), same SGD;
  * biprop MPT-1/1, keep 0.3, Adam lr 0.1 without weight decay, BN in training mode;
  * Conv-2 MPT-1/32 (as MPT-1/32 above) and Conv-2_BinAct MPT-1/1 (k 0.3, SGD: Adam divides by the RMS of the
    gradient and magnifies float noise of the BN backward at this size; the test compares its first step only,
    max-pool ties of ±alpha sums make the second route gradients by 1-ulp rounding).
With sign activations a pre-activation within rounding of 0 flips in one implementation only; the smallest
non-zero one per step is recorded (min_abs_pre_sign) and the seeds are such that it is above 1e-4.
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
import subnet_reference  # noqa: E402
from subnet_reference import Conv2, Fc, GetSubnet, build_optimizer  # noqa: E402


class SignRecorder:
    """Wraps BiRealAct to record the smallest non-zero |pre-activation|: one within rounding of 0 flips a sign."""
    smallest = float("inf")
    act = subnet_reference.BiRealAct

    @staticmethod
    def apply(x):
        a = x.detach().abs()
        a = a[a > 0]  # exact zeros are sign(0) = 0 in both implementations
        if a.numel():
            SignRecorder.smallest = min(SignRecorder.smallest, a.min().item())
        return SignRecorder.act.apply(x)


subnet_reference.BiRealAct = SignRecorder


def floats(t):
    return [float("%.9g" % v) for v in t.detach().flatten().tolist()]


def layers(model):
    if isinstance(model, Fc):
        return [("fc1", model.fc1), ("fc2", model.fc2), ("fc3", model.fc3)]
    return [(n, getattr(model, n)) for n in ("conv1", "conv2", "lin1", "lin2", "lin3")]


def case(name, method, keep, binary, optimizer, seed, conv=False):
    torch.manual_seed(seed)
    if conv:
        model = Conv2(method, keep, width=0.03125, binary=binary, size=4)
        shape = (6, 1, 4, 4)
    else:
        model = Fc(method, keep, width=0.04, binary=binary, inputs=8)
        shape = (6, 8)
    opt = build_optimizer(model, optimizer, 0.1, 0.9, 1e-4)
    batches = [(torch.randn(*shape), torch.randint(0, 10, (6,))) for _ in range(2)]
    out = {"name": name, "model": "conv2" if conv else "fc", "method": method, "keep": keep, "binary_activations": binary,
           "optimizer": optimizer, "x_shape": list(shape),
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
        SignRecorder.smallest = float("inf")
        logits = model(x)
        loss = F.cross_entropy(logits, y)
        loss.backward()
        opt.step()
        step["logits"], step["loss"] = floats(logits), float(loss)
        step["min_abs_pre_sign"] = SignRecorder.smallest if binary else None
        for entry, (_, l) in zip(step["layers"], layers(model)):
            entry["score_grad"] = floats(l.scores.grad)
            entry["scores_after"] = floats(l.scores)
        out["steps"].append(step)
    return out


def main():
    torch.set_num_threads(1)
    cases = [case("edge-popup", "edge-popup", 0.5, False, "sgd", 1),
             case("mpt-1-32", "biprop", 0.3, False, "sgd", 2),
             case("mpt-1-1", "biprop", 0.3, True, "adam", 3),
             case("conv2-mpt-1-32", "biprop", 0.3, False, "sgd", 4, conv=True),
             case("conv2-mpt-1-1", "biprop", 0.3, True, "sgd", 10, conv=True)]
    json.dump({"generator": "scripts/reference/subnet_golden.py", "torch": torch.__version__, "cases": cases}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
