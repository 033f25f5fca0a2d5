#!/usr/bin/env python3
"""The book's MNIST inference in NumPy, timed the way `nnsimd bench` times NnSimd.

Usage: /usr/bin/python3 benchmarks/numpy_reference.py [DATA_DIR] [--threads N]
DATA_DIR holds sample_weight.pkl and mnist/t10k-*-ubyte.gz (default ../shared/data).
Needs Debian's python3-numpy; OpenBLAS (libopenblas0-pthread) makes the matrix products fast.
Set OPENBLAS_NUM_THREADS=1 for the single-thread figures (the script does unless --threads is given).
"""
import gzip, json, os, pickle, statistics, sys, time

args = [a for a in sys.argv[1:] if not a.startswith("--")]
threads = "1"
if "--threads" in sys.argv:
    threads = sys.argv[sys.argv.index("--threads") + 1]
    args = [a for a in args if a != threads]
os.environ.setdefault("OPENBLAS_NUM_THREADS", threads)
import numpy as np  # after the thread setting, which OpenBLAS reads at load

data = args[0] if args else os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data")

def idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)

x = idx(os.path.join(data, "mnist", "t10k-images-idx3-ubyte.gz")).reshape(10000, 784).astype(np.float32) / 255.0
t = idx(os.path.join(data, "mnist", "t10k-labels-idx1-ubyte.gz"))
with open(os.path.join(data, "sample_weight.pkl"), "rb") as f:
    net = pickle.load(f)
W1, W2, W3, b1, b2, b3 = (net[k] for k in ("W1", "W2", "W3", "b1", "b2", "b3"))

def sigmoid(a):
    return 1 / (1 + np.exp(-a))

def softmax(a):
    a = a - a.max(axis=-1, keepdims=True)
    e = np.exp(a)
    return e / e.sum(axis=-1, keepdims=True)

def predict(v):
    return softmax(sigmoid(sigmoid(v @ W1 + b1) @ W2 + b2) @ W3 + b3)

def timed(batch, repetitions):
    runs = []
    for _ in range(repetitions):
        start = time.perf_counter()
        for i in range(0, 10000, batch):
            predict(x[i:i + batch])
        runs.append(time.perf_counter() - start)
    return statistics.median(runs) / 10000 * 1e6, min(runs) / 10000 * 1e6

accuracy = float((np.argmax(predict(x), axis=1) == t).mean())
result = {"numpy": np.__version__, "openblas_threads": os.environ["OPENBLAS_NUM_THREADS"], "accuracy": accuracy}
for batch, reps in ((1, 3), (100, 15), (10000, 15)):
    median, best = timed(batch, reps)
    result[f"us_per_image_batch_{batch}"] = round(median, 3)
    result[f"us_per_image_batch_{batch}_min"] = round(best, 3)
print(json.dumps(result, indent=2))
