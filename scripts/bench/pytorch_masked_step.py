#!/usr/bin/python3
"""Time PyTorch training steps and inference of masked models the way the reference libraries do it
(sparse_learning, rigl-torch, open_lth): dense weights, masks applied by multiplication after every
optimizer step, dense kernels throughout. The comparison point of Winnow's sparse kernels
(`dotnet run -c Release --project bench/Winnow.Bench -- sparse pytorch`).

Same models, shapes, batch, density (exact per layer, every conv/linear weight masked) and optimizer
(SGD lr 0.01, momentum 0.9) as bench/Winnow.Bench/SparseBench.cs. Prints one JSON line per model with
the best of --rounds rounds (and the spread max/min - 1), in milliseconds.

Threads are set explicitly (torch.set_num_threads(--threads); Debian's torch starts with 1). Matrix
products go through whatever libblas.so.3 the system alternative points at (Debian's torch is built with
BLAS_INFO=generic): the reference netlib BLAS of libblas3 (single-threaded, unblocked: implausibly slow),
or OpenBLAS once `apt-get install libopenblas0-pthread` is installed (it takes over the alternative).
Each JSON line records that environment (resolved BLAS library, threads, torch build flags, CPU).
OpenMP's default wait policy spins at every barrier; on this 2-core machine shared with other jobs a
spinning worker is often descheduled and each small parallel region then waits for a time slice
(measured: LeNet-300-100 step 67 ms instead of 8 ms). The script therefore sets OMP_WAIT_POLICY=passive
unless --omp-wait-policy says otherwise (or the variable is already set), and OPENBLAS_NUM_THREADS to
--threads, before torch is imported.

Usage: /usr/bin/python3 scripts/bench/pytorch_masked_step.py [--models lenet300,lenet5,conv4,vgg16,wrn-16-8]
       [--threads 2] [--batch 100] [--density 0.05] [--rounds 3] [--omp-wait-policy passive|active]
"""
import argparse
import json
import os
import platform
import re
import sys
import time


def _configure_threads_before_torch():
    """libgomp and OpenBLAS read their settings once, when torch loads them."""
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument('--threads', type=int, default=2)
    pre.add_argument('--omp-wait-policy', default='passive')
    known, _ = pre.parse_known_args(sys.argv[1:])
    os.environ.setdefault('OMP_WAIT_POLICY', known.omp_wait_policy)
    os.environ.setdefault('OPENBLAS_NUM_THREADS', str(known.threads))


_configure_threads_before_torch()

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402


class LeNet300(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc2, self.fc3 = nn.Linear(784, 300), nn.Linear(300, 100), nn.Linear(100, 10)

    def forward(self, x):
        x = x.flatten(1)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


class LeNet5Caffe(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1, self.conv2 = nn.Conv2d(1, 20, 5), nn.Conv2d(20, 50, 5)
        self.fc3, self.fc4 = nn.Linear(800, 500), nn.Linear(500, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc4(F.relu(self.fc3(x.flatten(1))))


def conv4():
    layers, c = [], 3
    for width in (64, 128):
        layers += [nn.Conv2d(c, width, 3, padding=1), nn.ReLU(), nn.Conv2d(width, width, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)]
        c = width
    return nn.Sequential(*layers, nn.Flatten(), nn.Linear(128 * 8 * 8, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10))


def vgg16():
    cfg = [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M']
    layers, c = [], 3
    for v in cfg:
        if v == 'M':
            layers.append(nn.MaxPool2d(2))
        else:
            layers += [nn.Conv2d(c, v, 3, padding=1), nn.BatchNorm2d(v), nn.ReLU()]
            c = v
    return nn.Sequential(*layers, nn.Flatten(), nn.Linear(512, 10))


class WideBasic(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.bn1, self.conv1 = nn.BatchNorm2d(cin), nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn2, self.conv2 = nn.BatchNorm2d(cout), nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.shortcut = nn.Conv2d(cin, cout, 1, stride, bias=False) if cin != cout else None

    def forward(self, x):
        a = F.relu(self.bn1(x))
        out = self.conv2(F.relu(self.bn2(self.conv1(a))))
        return out + (self.shortcut(a) if self.shortcut is not None else x)


def wrn(depth=16, k=8):
    n, widths = (depth - 4) // 6, [16, 16 * k, 32 * k, 64 * k]
    layers, c = [nn.Conv2d(3, 16, 3, 1, 1, bias=False)], 16
    for g, stride in zip(widths[1:], (1, 2, 2)):
        for i in range(n):
            layers.append(WideBasic(c, g, stride if i == 0 else 1))
            c = g
    return nn.Sequential(*layers, nn.BatchNorm2d(c), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c, 10))


MODELS = {
    'lenet300': (LeNet300, (1, 28, 28)),
    'lenet5': (LeNet5Caffe, (1, 28, 28)),
    'conv4': (conv4, (3, 32, 32)),
    'vgg16': (vgg16, (3, 32, 32)),
    'wrn-16-8': (wrn, (3, 32, 32)),
}


def time_ms(fn, min_seconds):
    fn()
    fn()
    n, t0 = 0, time.perf_counter()
    while n < 3 or time.perf_counter() - t0 < min_seconds:
        fn()
        n += 1
    return (time.perf_counter() - t0) * 1000 / n


def loaded_library(stem):
    """Resolved path of the shared library whose file name starts with stem, as mapped into this process."""
    with open('/proc/self/maps') as f:
        for line in f:
            path = line.split()[-1]
            if os.path.basename(path).startswith(stem):
                return os.path.realpath(path)
    return None


def cpu_model():
    with open('/proc/cpuinfo') as f:
        for line in f:
            if line.startswith('model name'):
                return line.split(':', 1)[1].strip()
    return platform.processor()


def environment(threads):
    """What this PyTorch really runs on: BLAS library behind libblas.so.3, thread counts, build flags, CPU."""
    torch.mm(torch.ones(64, 64), torch.ones(64, 64))  # make sure the BLAS is loaded before reading the maps
    config = torch.__config__.show()
    blas_info = re.search(r'BLAS_INFO=(\w+)', config)
    return {
        'torch': torch.__version__, 'python': platform.python_version(), 'threads_requested': threads,
        'num_threads': torch.get_num_threads(), 'num_interop_threads': torch.get_num_interop_threads(),
        'blas_library': loaded_library('libblas.so') or loaded_library('libopenblas') or loaded_library('libmkl'),
        'lapack_library': loaded_library('liblapack.so'),
        'blas_info': blas_info.group(1) if blas_info else None, 'mkldnn': torch.backends.mkldnn.is_available(),
        'cpu_capability': next((l.split(':', 1)[1].strip() for l in config.splitlines() if 'CPU capability' in l), None),
        'omp_num_threads_env': os.environ.get('OMP_NUM_THREADS'), 'omp_wait_policy': os.environ.get('OMP_WAIT_POLICY'),
        'openblas_num_threads': os.environ.get('OPENBLAS_NUM_THREADS'), 'cpu': cpu_model(), 'logical_cpus': os.cpu_count(),
    }


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--models', default='lenet300,lenet5,conv4,vgg16,wrn-16-8')
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--batch', type=int, default=100)
    p.add_argument('--density', type=float, default=0.05)
    p.add_argument('--rounds', type=int, default=3)
    p.add_argument('--omp-wait-policy', default='passive', help='OMP_WAIT_POLICY for libgomp (set before torch loads)')
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(42)
    env = environment(a.threads)
    for name in a.models.split(','):
        build, shape = MODELS[name]
        model = build()
        masks = {}
        for m in model.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                w = m.weight
                keep = max(1, round(a.density * w.numel()))
                mask = torch.zeros(w.numel())
                mask[torch.randperm(w.numel())[:keep]] = 1
                masks[w] = mask.view_as(w)
                with torch.no_grad():
                    w.mul_(masks[w])
        opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
        x = torch.randn(a.batch, *shape)
        y = torch.randint(0, 10, (a.batch,))

        def train_step():
            opt.zero_grad()
            F.cross_entropy(model(x), y).backward()
            opt.step()
            with torch.no_grad():
                for w, m in masks.items():
                    w.mul_(m)

        def infer():
            with torch.no_grad():
                model(x)

        min_s = 1.0 if name in ('lenet300', 'lenet5', 'conv4') else 0.3
        train, inf = [], []
        for _ in range(a.rounds):
            model.train()
            train.append(time_ms(train_step, min_s))
            model.eval()
            inf.append(time_ms(infer, min_s / 2))
        print(json.dumps({'name': 'pytorch_masked', 'model': name, 'threads': a.threads, 'batch': a.batch,
                          'density': a.density, 'train_ms': round(min(train), 3), 'train_spread': round(max(train) / min(train) - 1, 3),
                          'infer_ms': round(min(inf), 3), 'infer_spread': round(max(inf) / min(inf) - 1, 3), 'env': env}), flush=True)


if __name__ == '__main__':
    main()
