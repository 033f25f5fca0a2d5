#!/usr/bin/env python3
"""The same training in PyTorch on the CPU, for comparison with `nnsimd train`.

Usage: /usr/bin/python3 benchmarks/torch_reference.py [--epochs 10] [--activation relu|sigmoid|tanh]
       [--lr 0.05] [--momentum 0.9] [--step] [--threads 1] [--data /usr/share/datasets/fashion-mnist]
Fashion-MNIST 784-50-100-10, batch 100, plain SGD (optionally momentum, step decay halving every 3 epochs),
softmax cross-entropy. Prints per-epoch seconds (training only), loss and test accuracy, as JSON.
Needs Debian's python3-torch and dataset-fashion-mnist.
"""
import argparse, gzip, json, os, statistics, time

import numpy as np
import torch

p = argparse.ArgumentParser()
p.add_argument("--epochs", type=int, default=10)
p.add_argument("--activation", default="tanh")
p.add_argument("--lr", type=float, default=0.05)
p.add_argument("--momentum", type=float, default=0.9)
p.add_argument("--step", action="store_true", default=True)
p.add_argument("--constant", action="store_true")
p.add_argument("--threads", type=int, default=1)
p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(1)

def idx(name):
    with gzip.open(os.path.join(a.data, name), "rb") as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)

xtr = torch.from_numpy(idx("train-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float32) / 255.0)
ytr = torch.from_numpy(idx("train-labels-idx1-ubyte.gz").astype(np.int64))
xte = torch.from_numpy(idx("t10k-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float32) / 255.0)
yte = torch.from_numpy(idx("t10k-labels-idx1-ubyte.gz").astype(np.int64))

act = {"relu": torch.nn.ReLU, "sigmoid": torch.nn.Sigmoid, "tanh": torch.nn.Tanh}[a.activation]
model = torch.nn.Sequential(torch.nn.Linear(784, 50), act(), torch.nn.Linear(50, 100), act(), torch.nn.Linear(100, 10))
opt = torch.optim.SGD(model.parameters(), lr=a.lr, momentum=a.momentum)
sched = None if a.constant else torch.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.5)
loss_fn = torch.nn.CrossEntropyLoss()
epochs = []
for e in range(a.epochs):
    perm = torch.randperm(len(xtr))
    start = time.perf_counter()
    total = 0.0
    for i in range(0, len(xtr) - 99, 100):
        b = perm[i:i + 100]
        opt.zero_grad()
        loss = loss_fn(model(xtr[b]), ytr[b])
        loss.backward()
        opt.step()
        total += loss.item()
    seconds = time.perf_counter() - start
    if sched:
        sched.step()
    with torch.no_grad():
        acc = (model(xte).argmax(1) == yte).float().mean().item()
    epochs.append({"epoch": e + 1, "loss": total / (len(xtr) // 100), "test_accuracy": acc, "seconds": seconds})
print(json.dumps({"torch": torch.__version__, "threads": a.threads, "activation": a.activation, "lr": a.lr, "momentum": a.momentum,
                  "median_epoch_seconds": statistics.median(x["seconds"] for x in epochs), "epochs": epochs}, indent=1))
