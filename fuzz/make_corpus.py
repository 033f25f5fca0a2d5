#!/usr/bin/env python3
"""Seeds for each fuzz target: small valid files, made by NumPy and Python's pickle (run with /usr/bin/python3,
which has Debian's python3-numpy) or copied from tests/fixtures/models (made by torch and onnx). AFL++ grows the
corpus from these; fuzz/run.sh adds the inputs each campaign kept (those that reached new code) to fuzz/corpus."""
import gzip
import os
import pickle
import shutil
import struct

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "tests", "fixtures", "models")
rng = np.random.default_rng(20261202)


def target(name):
    d = os.path.join(HERE, "corpus", name)
    os.makedirs(d, exist_ok=True)
    return d


def copy(name, *files):
    for f in files:
        shutil.copy(os.path.join(FIXTURES, f), os.path.join(target(name), f))


arrays = {"W1": rng.standard_normal((3, 2)).astype(np.float32), "b1": np.zeros(2, np.float32)}
for protocol in (2, 3, 4, 5):
    with open(os.path.join(target("pickle"), f"dict_p{protocol}.pkl"), "wb") as f:
        pickle.dump(arrays, f, protocol=protocol)
with open(os.path.join(target("pickle"), "fortran_f8.pkl"), "wb") as f:
    pickle.dump({"W": np.asfortranarray(rng.standard_normal((2, 3)))}, f, protocol=2)
with open(os.path.join(target("pickle"), "list_u1.pkl"), "wb") as f:
    pickle.dump([np.arange(5, dtype=np.uint8), np.arange(3, dtype=">i4")], f, protocol=3)

np.save(os.path.join(target("npy"), "f4.npy"), rng.standard_normal((2, 3)).astype(np.float32))
np.save(os.path.join(target("npy"), "u1.npy"), np.arange(6, dtype=np.uint8).reshape(2, 3))
np.save(os.path.join(target("npy"), "be_f8_fortran.npy"), np.asfortranarray(rng.standard_normal((3, 2))).astype(">f8"))
np.savez(os.path.join(target("npz"), "two.npz"), W1=arrays["W1"], b1=arrays["b1"])
np.savez_compressed(os.path.join(target("npz"), "compressed.npz"), W1=arrays["W1"], b1=arrays["b1"])

images = struct.pack(">IIII", 0x803, 2, 2, 2) + bytes(range(8))
labels = struct.pack(">II", 0x801, 2) + bytes([3, 7])
for name, data in (("images.idx3", images), ("labels.idx1", labels)):
    with open(os.path.join(target("idx"), name), "wb") as f:
        f.write(data)
    with open(os.path.join(target("idx"), name + ".gz"), "wb") as f:
        f.write(gzip.compress(data, mtime=0))

copy("pt", "seq_sigmoid.pt", "views.pt", "dtype_f16.pt")
copy("safetensors", "seq_sigmoid.safetensors")
copy("onnx", "seq_sigmoid.opset9.onnx", "seq_sigmoid.opset17.onnx", "graph_ops.opset17.onnx")
copy("model", "seq_sigmoid.pt", "seq_sigmoid.safetensors")
shutil.copy(os.path.join(target("pickle"), "dict_p3.pkl"), target("model"))
shutil.copy(os.path.join(target("npz"), "two.npz"), target("model"))
