#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The HyperSTAR backbone (model/hs-backbone.h) in PyTorch: training img/s at
batch 64 for a full fine-tune and a head-only one, measured the way
`hyperstar-cli bench backbone` measures ours (one warm-up step, then steps
for at least --seconds).  Run with Debian's interpreter: /usr/bin/python3 (python3-torch)."""
import argparse
import json
import os

import torch
import torch.nn as nn

from torch_reference import BATCH, time_runs


class Block(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, 2, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.proj = nn.Conv2d(cin, cout, 1, 2, 0, bias=False)
        self.proj_bn = nn.BatchNorm2d(cout)

    def forward(self, x):
        y = torch.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return torch.relu(y + self.proj_bn(self.proj(x)))


class Backbone(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU())
        self.stage1, self.stage2, self.stage3 = Block(16, 32), Block(32, 64), Block(64, 128)
        self.head = nn.Linear(128, classes)

    def features(self, x):
        x = self.stage3(self.stage2(self.stage1(self.stem(x))))
        return x.mean(dim=(2, 3))

    def forward(self, x):
        return self.head(self.features(x))


def img_per_s(finetune, seconds):
    torch.manual_seed(0)
    net = Backbone()
    frozen = {"all": [], "last": [net.stem, net.stage1, net.stage2],
              "head": [net.stem, net.stage1, net.stage2, net.stage3]}[finetune]
    for m in frozen:
        m.eval()
        for p in m.parameters():
            p.requires_grad_(False)
    opt = torch.optim.SGD([p for p in net.parameters() if p.requires_grad], lr=0.01, momentum=0.9)
    x = torch.rand(BATCH, 3, 32, 32) * 2 - 1
    y = torch.randint(0, 10, (BATCH,))
    loss_fn = nn.CrossEntropyLoss()

    def step():
        opt.zero_grad()
        loss_fn(net(x), y).backward()
        opt.step()

    return BATCH / time_runs(step, seconds)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(json.dumps({"device": f"PyTorch {torch.__version__} CPU ({torch.get_num_threads()} threads)",
                      "batch": BATCH,
                      "train_img_per_s": {f: round(img_per_s(f, args.seconds), 1)
                                          for f in ("all", "last", "head")}}))


if __name__ == "__main__":
    main()
