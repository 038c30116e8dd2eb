#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The reference CNN of DESIGN.md in PyTorch, measured the way
`hyperstar-cli bench engine` measures our engine, so both run on one machine
in one session.  Run with Debian's interpreter: /usr/bin/python3 (python3-torch).
"""
import argparse
import json
import os
import time

import torch
import torch.nn as nn

BATCH = 64


def time_runs(body, min_seconds):
    body()
    runs, start = 0, time.perf_counter()
    while True:
        body()
        runs += 1
        elapsed = time.perf_counter() - start
        if runs >= 2 and elapsed >= min_seconds:
            return elapsed / runs


def reference_cnn(classes=10):
    def stage(cin, cout, stride):
        return [nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU()]
    return nn.Sequential(*stage(3, 16, 1), *stage(16, 32, 2), *stage(32, 64, 2),
                         *stage(64, 64, 2), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                         nn.Linear(64, classes))


# (cin, cout, stride, input size) of the four convolutions.
LAYERS = [(3, 16, 1, 32), (16, 32, 2, 32), (32, 64, 2, 16), (64, 64, 2, 8)]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(42)

    sgemm = {}
    for n in (256, 512, 1024):
        a, b = torch.rand(n, n), torch.rand(n, n)
        s = time_runs(lambda: torch.mm(a, b), args.seconds)
        sgemm[str(n)] = round(2 * n ** 3 / s / 1e9, 2)

    conv = {}
    total_flop = total_s = 0.0
    for i, (cin, cout, stride, size) in enumerate(LAYERS):
        x = torch.rand(BATCH, cin, size, size, requires_grad=True)
        layer = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        def body():
            y = layer(x)
            gx, gw = torch.autograd.grad(y, (x, layer.weight), y)
        s = time_runs(body, args.seconds)
        out = (size + 2 - 3) // stride + 1
        flop = 3 * 2 * BATCH * out * out * cout * 9 * cin
        conv[f"conv{i + 1}"] = round(flop / s / 1e9, 2)
        total_flop += flop
        total_s += s
    conv["all"] = round(total_flop / total_s / 1e9, 2)

    net = reference_cnn()
    opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
    x = torch.rand(BATCH, 3, 32, 32) * 2 - 1
    y = torch.randint(0, 10, (BATCH,))
    loss_fn = nn.CrossEntropyLoss()
    def step():
        opt.zero_grad()
        loss_fn(net(x), y).backward()
        opt.step()
    img_per_s = BATCH / time_runs(step, args.seconds)

    result = {"device": f"PyTorch {torch.__version__} CPU ({torch.get_num_threads()} threads)",
              "backend": "torch", "sgemm_gflops": sgemm, "conv_gflops": conv,
              "train_img_per_s": round(img_per_s, 1), "batch": BATCH}
    if args.json:
        print(json.dumps(result))
    else:
        print(result["device"])
        for n, g in sgemm.items():
            print(f"  sgemm {int(n):4d}³            {g:8.2f} GFLOP/s")
        for name, g in conv.items():
            print(f"  {name:<22} {g:8.2f} GFLOP/s (fwd+bwd)")
        print(f"  reference CNN training {img_per_s:8.1f} img/s (batch {BATCH}, SGD+momentum)")


if __name__ == "__main__":
    main()
