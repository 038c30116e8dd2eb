#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The HyperSTAR backbone (bench/torch_backbone.py, the network of
model/hs-backbone.h) trained from scratch on Fashion-MNIST in PyTorch with
the recipe bench/hs-bench-fmnist.c gives our trainer, so the two accuracies
compare.  Run with Debian's interpreter: /usr/bin/python3 (python3-torch).

What is matched, and where ours does it:
  data       official IDX files; 28x28 grey zero-padded by 2 px to 32x32,
             grey copied to 3 channels, x/255 - 0.5 (model/hs-augment.c)
  init       convolutions Kaiming-normal, fan-in, ReLU gain; BN gamma 1,
             beta 0; head U(+-1/sqrt(128)) (model/hs-backbone.c)
  BN         momentum 0.1, eps 1e-5; eval mode when evaluating
  optimizer  SGD, momentum 0.9, no dampening, not Nesterov; weight decay
             5e-4 as L2 added to the gradient of every trained tensor, BN
             gamma/beta and the head's bias included
             (backend/compute/cpu/hs-cpu-optim.c: g = grad + wd*p,
             buf = m*buf + g, p -= lr*buf; torch.optim.SGD is the same)
  schedule   lr 0.05 constant, batch 128, reshuffled every epoch, the last
             partial batch kept unless it holds one image
             (model/hs-trainer.c), no augmentation
  loss       mean cross-entropy per batch; the epoch's train loss is the
             mean over its batches
  splits     60,000 train; the official 10,000 test images, the first 5,000
             reported as "val" and the last 5,000 as "test" as ours does,
             and pooled
  timing     train img/s counts training steps only; "seconds" is training
             plus the val half's evaluation, as ours measures an epoch
What cannot be matched: the random streams (initial weights, shuffles) and
the kernels' summation orders, so curves agree in distribution, not to the
digit.
"""
import argparse
import gzip
import json
import os
import struct
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from torch_backbone import Backbone

FMNIST_DIR = "/usr/share/datasets/fashion-mnist"
N_VAL = 5000
EVAL_BATCH = 256
RECIPE = {"lr": 0.05, "optimizer": "sgd", "momentum": 0.9, "weight_decay": 0.0005,
          "batch_size": 128, "finetune": "all", "augment": "none", "seed": 0}


def read_idx(path, n_dims):
    with gzip.open(path, "rb") as f:
        data = f.read()
    zero, kind, dims = struct.unpack(">HBB", data[:4])
    if zero != 0 or kind != 0x08 or dims != n_dims:
        raise ValueError(f"{path} is not an IDX file of {n_dims}-dimensional bytes")
    shape = struct.unpack(f">{n_dims}I", data[4:4 + 4 * n_dims])
    return np.frombuffer(data, np.uint8, offset=4 + 4 * n_dims).reshape(shape)


def load_part(directory, part):
    """Images [n, 1, 32, 32] normalised as ours are, and labels [n]; the
    grey is copied to 3 channels per batch (expand) to keep memory small."""
    images = torch.from_numpy(read_idx(f"{directory}/{part}-images-idx3-ubyte.gz", 3).copy())
    labels = torch.from_numpy(read_idx(f"{directory}/{part}-labels-idx1-ubyte.gz", 1).astype(np.int64))
    padded = F.pad(images, (2, 2, 2, 2))  # zeros: black, the background
    return padded.unsqueeze(1).float() * (1.0 / 255.0) - 0.5, labels


def rgb(x):
    return x.expand(-1, 3, -1, -1).contiguous()


def init_like_ours(net):
    """model/hs-backbone.c's initialisation.  PyTorch's default for Conv2d is
    Kaiming-uniform with a = sqrt(5) (std sqrt(1/(3 fan_in))), a third of
    the variance of ours; BatchNorm and Linear defaults already match."""
    for m in net.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_in", nonlinearity="relu")


def n_train_batches(n, batch):
    return n // batch + (1 if n % batch >= 2 else 0)


@torch.no_grad()
def correct(net, x, y):
    net.eval()
    hits = 0
    for start in range(0, len(x), EVAL_BATCH):
        logits = net(rgb(x[start:start + EVAL_BATCH]))
        hits += (logits.argmax(dim=1) == y[start:start + EVAL_BATCH]).sum().item()
    return hits


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--dir", default=FMNIST_DIR)
    parser.add_argument("--seed", type=int, default=RECIPE["seed"],
                        help="0 for the published numbers; others repeat the recipe "
                             "with other random draws")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    wall = time.perf_counter()

    x_train, y_train = load_part(args.dir, "train")
    x_test, y_test = load_part(args.dir, "t10k")
    x_val, y_val = x_test[:N_VAL], y_test[:N_VAL]
    x_rest, y_rest = x_test[N_VAL:], y_test[N_VAL:]

    net = Backbone(classes=10)
    init_like_ours(net)
    opt = torch.optim.SGD(net.parameters(), lr=RECIPE["lr"], momentum=RECIPE["momentum"],
                          weight_decay=RECIPE["weight_decay"])
    shuffle = torch.Generator().manual_seed(args.seed)
    n, batch = len(x_train), RECIPE["batch_size"]
    batches = n_train_batches(n, batch)
    config = dict(RECIPE, epochs=args.epochs, seed=args.seed)
    device = f"PyTorch {torch.__version__} CPU ({torch.get_num_threads()} threads)"

    if not args.json:
        print(f"Fashion-MNIST: {n} train, {len(x_val)} val (official test 1–{N_VAL}), "
              f"{len(x_rest)} test (official test {N_VAL + 1}–{len(x_test)})\n"
              f"Device: {device}\nConfiguration: {json.dumps(config)}\n"
              f"Weights: none (from scratch), "
              f"{sum(p.numel() for p in net.parameters())} parameters\n\n"
              "epoch  train loss   val acc  test acc  10k acc  seconds  train s  train img/s",
              flush=True)
    for epoch in range(1, args.epochs + 1):
        start = time.perf_counter()
        net.train()
        order = torch.randperm(n, generator=shuffle)
        loss_sum = 0.0
        for b in range(batches):
            idx = order[b * batch:(b + 1) * batch]
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(net(rgb(x_train[idx])), y_train[idx])
            loss.backward()
            opt.step()
            loss_sum += loss.item()
        train_s = time.perf_counter() - start
        val_hits = correct(net, x_val, y_val)
        seconds = time.perf_counter() - start
        test_hits = correct(net, x_rest, y_rest)
        row = {"epoch": epoch, "train_loss": round(loss_sum / batches, 6),
               "val_acc": round(val_hits / len(x_val), 4),
               "test_acc": round(test_hits / len(x_rest), 4),
               "official_10k_acc": round((val_hits + test_hits) / len(x_test), 4),
               "seconds": round(seconds, 2), "train_seconds": round(train_s, 2),
               "train_img_per_s": round(n / train_s, 1)}
        if args.json:
            print(json.dumps(row), flush=True)
        else:
            print(f"{epoch:5d}  {row['train_loss']:10.4f}  {100 * row['val_acc']:7.2f}%  "
                  f"{100 * row['test_acc']:8.2f}%  {100 * row['official_10k_acc']:7.2f}%  "
                  f"{seconds:7.1f}  {train_s:7.1f}  {row['train_img_per_s']:11.0f}", flush=True)

    final = {"epochs": args.epochs, "val_acc": row["val_acc"], "test_acc": row["test_acc"],
             "official_10k_acc": row["official_10k_acc"], "device": device, "config": config,
             "wall_seconds": round(time.perf_counter() - wall, 1)}
    if args.json:
        print(json.dumps(final))
    else:
        print(f"\nAfter {args.epochs} epochs: val (official test 1–{N_VAL}) "
              f"{100 * final['val_acc']:.2f}%, test (official test {N_VAL + 1}–…) "
              f"{100 * final['test_acc']:.2f}%, official 10k test set "
              f"{100 * final['official_10k_acc']:.2f}% ({final['wall_seconds']:.0f} s in all)")


if __name__ == "__main__":
    main()
