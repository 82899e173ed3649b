#!/usr/bin/env python3
"""Compact, faithful PyTorch re-implementation of the edge-popup (Ramanujan et al. 2020,
allenai/hidden-networks) and biprop / Multi-Prize Tickets (Diffenderfer & Kailkhura 2021) code paths, as
the comparison point for `winnow subnet` (docs/methods/edge-popup.md, biprop.md; ALGORITHMS.md §3, §4.6).

What it reproduces:
  * score layers (SubnetConv): frozen weight W, trainable scores S ~ kaiming_uniform(a=sqrt 5) =
    U(+-1/sqrt fan_in); every forward: a = |S|, sort ascending, j = int((1 - k) * n), mask 0 for idx[:j];
      edge-popup (GetSubnet): W_eff = W * M, backward passes dL/dM straight through;
      biprop (GetQuantnet): alpha = sum(|W| * M) / int(k * n), Q = alpha * M, W_eff = sign(W) * Q,
      backward dL/da = dL/dQ * |W| (the corrected backward of commit ce6a364);
    then |.| backward multiplies by sign(S) (0 at S = 0);
  * frozen-weight init "kn" with scale_fan: N(0, sigma^2), sigma = sqrt(2) / sqrt(fan_in * (1 - k)) (the code's
    (1 - k) quirk), or "sc" (+-sigma from the sign of a default init), "--no-scale-fan" for the unscaled init;
  * BiRealAct for MPT-1/1: y = sign(x), dL/dx = dL/dy * 2 * (1 - |clip(x, -1, 1)|); non-affine BatchNorm;
  * models as Winnow defines them for 28x28x1 inputs (src/Winnow.NN/Models): FC = bias-free LeNet-300-100
    (ReLU), FC_BinAct = lin -> BN -> sign, lin -> BN -> sign, lin; Conv-2 = conv3(1->64) ReLU conv3(64->64) ReLU
    MP -> lin(12544->256) ReLU lin(256->256) ReLU lin(256->10); Conv-2_BinAct = conv3 BN sign conv3 MP BN sign
    -> lin BN sign lin BN sign lin; hidden widths x --width (int(300 w), int(100 w), int(64 w), int(256 w));
  * optimiser: SGD with the two groups of the reference ("bn" in the name vs the rest, weight decay on the
    scores), or Adam with default betas/eps and NO weight decay; cosine_lr set at the start of every epoch;
    cross-entropy; batch 128, shuffled every epoch, last partial batch kept;
  * data: Fashion-MNIST IDX gz, x / 255 normalised with (0.2860, 0.3530) as Winnow; all 60,000 training
    images, the test set evaluated after every epoch; reports best (the reference's figure) and last.
Prints one JSON line per epoch and a final JSON object.

Usage: /usr/bin/python3 scripts/reference/subnet_reference.py --method biprop|edge-popup --keep 0.5
       [--binary-activations] [--model fc|conv2] [--width 1] [--epochs 10] [--optimizer sgd|adam] [--lr 0.1]
       [--seed 0] [--data /usr/share/datasets/fashion-mnist] [--threads 1] [--out result.json]
"""
import argparse
import gzip
import json
import math
import os
import time

import numpy as np
import torch
import torch.autograd as autograd
import torch.nn as nn
import torch.nn.functional as F


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def load(root, mean=0.2860, std=0.3530):
    def images(name):
        x = read_idx(os.path.join(root, name)).astype(np.float32) / np.float32(255.0)
        return torch.from_numpy((x - np.float32(mean)) / np.float32(std)).reshape(-1, 1, 28, 28)

    def labels(name):
        return torch.from_numpy(read_idx(os.path.join(root, name)).astype(np.int64))

    return (images("train-images-idx3-ubyte.gz"), labels("train-labels-idx1-ubyte.gz"),
            images("t10k-images-idx3-ubyte.gz"), labels("t10k-labels-idx1-ubyte.gz"))


class GetSubnet(autograd.Function):
    """edge-popup: top-k of |S| per layer, straight-through backward."""

    @staticmethod
    def forward(ctx, scores, k):
        out = scores.clone()
        _, idx = scores.flatten().sort()
        j = int((1 - k) * scores.numel())
        flat = out.flatten()
        flat[idx[:j]] = 0
        flat[idx[j:]] = 1
        return flat.view_as(scores)

    @staticmethod
    def backward(ctx, g):
        return g, None


class GetQuantnet(autograd.Function):
    """biprop: mask times alpha = sum |W| M / int(k n); backward multiplies by |W|."""

    @staticmethod
    def forward(ctx, scores, weights, k):
        out = scores.clone()
        _, idx = scores.flatten().sort()
        j = int((1 - k) * scores.numel())
        flat = out.flatten()
        flat[idx[:j]] = 0
        flat[idx[j:]] = 1
        out = flat.view_as(scores)
        abs_wgt = torch.abs(weights.clone())
        ctx.save_for_backward(abs_wgt)
        alpha = torch.sum(abs_wgt * out) / int(k * scores.numel())
        return out * alpha

    @staticmethod
    def backward(ctx, g):
        (abs_wgt,) = ctx.saved_tensors
        return g * abs_wgt, None, None


class BiRealAct(autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return torch.sign(x)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * 2 * (1 - torch.abs(torch.clamp(x, -1, 1)))


class SubnetLayer(nn.Module):
    """A score-masked conv (kernel > 0) or linear layer (kernel == 0), bias-free."""

    def __init__(self, method, k, cin, cout, kernel=0, init="kn", scale_fan=True):
        super().__init__()
        shape = (cout, cin, kernel, kernel) if kernel else (cout, cin)
        self.weight = nn.Parameter(torch.empty(shape), requires_grad=False)
        self.scores = nn.Parameter(torch.empty(shape))
        self.method, self.k, self.kernel = method, k, kernel
        nn.init.kaiming_uniform_(self.scores, a=math.sqrt(5))
        fan = nn.init._calculate_correct_fan(self.weight, "fan_in")
        if scale_fan:
            fan = fan * (1 - k)  # the reference code's quirk: k is the KEEP fraction
        std = nn.init.calculate_gain("relu") / math.sqrt(fan)
        if init == "kn":
            with torch.no_grad():
                self.weight.normal_(0, std)
        else:  # "sc": signed constant from the sign of a default init
            nn.init.kaiming_uniform_(self.weight, a=math.sqrt(5))
            with torch.no_grad():
                self.weight.data = self.weight.data.sign() * std

    def effective_weight(self):
        if self.method == "edge-popup":
            return self.weight * GetSubnet.apply(self.scores.abs(), self.k)
        return torch.sign(self.weight) * GetQuantnet.apply(self.scores.abs(), self.weight, self.k)

    def forward(self, x):
        w = self.effective_weight()
        return F.conv2d(x, w, padding=1) if self.kernel else F.linear(x, w)


def act(binary):
    return BiRealAct.apply if binary else F.relu


class Fc(nn.Module):
    def __init__(self, method, k, width=1.0, binary=False, init="kn", scale_fan=True, inputs=784):
        super().__init__()
        h1, h2 = int(300 * width), int(100 * width)
        self.fc1 = SubnetLayer(method, k, inputs, h1, init=init, scale_fan=scale_fan)
        self.fc2 = SubnetLayer(method, k, h1, h2, init=init, scale_fan=scale_fan)
        self.fc3 = SubnetLayer(method, k, h2, 10, init=init, scale_fan=scale_fan)
        self.binary = binary
        if binary:
            self.bn1 = nn.BatchNorm1d(h1, affine=False)
            self.bn2 = nn.BatchNorm1d(h2, affine=False)

    def forward(self, x):
        x = x.flatten(1)
        if self.binary:
            x = BiRealAct.apply(self.bn1(self.fc1(x)))
            x = BiRealAct.apply(self.bn2(self.fc2(x)))
        else:
            x = F.relu(self.fc1(x))
            x = F.relu(self.fc2(x))
        return self.fc3(x)


class Conv2(nn.Module):
    def __init__(self, method, k, width=1.0, binary=False, init="kn", scale_fan=True, size=28):
        super().__init__()
        c, h = int(64 * width), int(256 * width)
        layer = lambda cin, cout, kern=0: SubnetLayer(method, k, cin, cout, kern, init, scale_fan)  # noqa: E731
        self.conv1, self.conv2 = layer(1, c, 3), layer(c, c, 3)
        self.lin1, self.lin2, self.lin3 = layer(c * (size // 2) ** 2, h), layer(h, h), layer(h, 10)
        self.binary = binary
        if binary:
            self.bn1, self.bn2 = nn.BatchNorm2d(c, affine=False), nn.BatchNorm2d(c, affine=False)
            self.bn3, self.bn4 = nn.BatchNorm1d(h, affine=False), nn.BatchNorm1d(h, affine=False)

    def forward(self, x):
        if self.binary:
            s = BiRealAct.apply
            x = s(self.bn1(self.conv1(x)))
            x = s(self.bn2(F.max_pool2d(self.conv2(x), 2)))
            x = s(self.bn3(self.lin1(x.flatten(1))))
            x = s(self.bn4(self.lin2(x)))
        else:
            x = F.max_pool2d(F.relu(self.conv2(F.relu(self.conv1(x)))), 2)
            x = F.relu(self.lin2(F.relu(self.lin1(x.flatten(1)))))
        return self.lin3(x)


def build_model(a):
    cls = Fc if a.model == "fc" else Conv2
    return cls(a.method, a.keep, a.width, a.binary_activations, a.init, not a.no_scale_fan)


def build_optimizer(model, name, lr, momentum=0.9, weight_decay=1e-4, no_bn_decay=False):
    """biprop's get_optimizer: SGD with a "bn"-named group and the rest; Adam without weight decay."""
    params = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    if name == "sgd":
        bn = [p for n, p in params if "bn" in n]
        rest = [p for n, p in params if "bn" not in n]
        return torch.optim.SGD([{"params": bn, "weight_decay": 0 if no_bn_decay else weight_decay},
                                {"params": rest, "weight_decay": weight_decay}],
                               lr, momentum=momentum, weight_decay=weight_decay, nesterov=False)
    return torch.optim.Adam([p for _, p in params], lr=lr)


def cosine_lr(optimizer, lr0, epoch, epochs, warmup=0):
    lr = lr0 * (epoch + 1) / warmup if epoch < warmup else 0.5 * (1 + math.cos(math.pi * (epoch - warmup) / (epochs - warmup))) * lr0
    for g in optimizer.param_groups:
        g["lr"] = lr
    return lr


def evaluate(model, x, y, batch=1000):
    model.eval()
    correct = 0
    with torch.no_grad():
        for s in range(0, len(x), batch):
            correct += (model(x[s:s + batch]).argmax(1) == y[s:s + batch]).sum().item()
    return correct / len(x)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--method", choices=["edge-popup", "biprop"], default="biprop")
    ap.add_argument("--keep", type=float, default=0.5)
    ap.add_argument("--binary-activations", action="store_true")
    ap.add_argument("--model", choices=["fc", "conv2"], default="fc")
    ap.add_argument("--width", type=float, default=1.0)
    ap.add_argument("--init", choices=["kn", "sc"], default="kn")
    ap.add_argument("--no-scale-fan", action="store_true")
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--optimizer", choices=["sgd", "adam"], default=None, help="default: sgd, adam with --binary-activations")
    ap.add_argument("--lr", type=float, default=0.1)
    ap.add_argument("--momentum", type=float, default=0.9)
    ap.add_argument("--weight-decay", type=float, default=1e-4)
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--out", help="also write the JSON result to this file")
    a = ap.parse_args()
    a.optimizer = a.optimizer or ("adam" if a.binary_activations else "sgd")
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    x, y, xt, yt = load(a.data)
    model = build_model(a)
    opt = build_optimizer(model, a.optimizer, a.lr, a.momentum, a.weight_decay)
    history, t0 = [], time.time()
    for epoch in range(a.epochs):
        lr = cosine_lr(opt, a.lr, epoch, a.epochs)
        model.train()
        perm = torch.randperm(len(x))
        for s in range(0, len(x), a.batch_size):
            idx = perm[s:s + a.batch_size]
            opt.zero_grad()
            F.cross_entropy(model(x[idx]), y[idx]).backward()
            opt.step()
        history.append({"epoch": epoch + 1, "lr": lr, "test_acc": evaluate(model, xt, yt), "seconds": round(time.time() - t0, 1)})
        print(json.dumps(history[-1]), flush=True)
        if epoch >= 2 and max(h["test_acc"] for h in history) < 0.02:
            raise SystemExit("network is not learning")
    result = {"method": a.method, "keep": a.keep, "binary_activations": a.binary_activations, "model": a.model,
              "width": a.width, "optimizer": a.optimizer, "lr": a.lr, "seed": a.seed, "epochs": a.epochs,
              "last_test_acc": history[-1]["test_acc"], "best_test_acc": max(h["test_acc"] for h in history),
              "seconds": round(time.time() - t0, 1), "history": history}
    text = json.dumps(result)
    print(text)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
