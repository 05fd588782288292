"""PyTorch reference timings for `engram bench rapid`, written as the RAPID authors write their code (torch tensors,
einsum/mm, CPU): the exact log-likelihood gradient of a ±1 RBM without biases by enumerating all 2^V visible
states, and one RAPID training epoch on MNIST (RA patterns, PID negatives seeded at the patterns with Gibbs steps,
the pattern updates of the authors' SGD_xi, clipping). Prints one JSON line: {"seconds": [...]} per timed repeat.

  python3 deploy/bench/rapid_torch.py exact --visible 16 --hidden 1000 --repeats 5 --threads 2
  python3 deploy/bench/rapid_torch.py epoch --images data/mnist/train-images-idx3-ubyte.gz --repeats 2 --threads 1
"""
import argparse
import gzip
import itertools
import json
import math
import struct
import time

import numpy as np
import torch


def load(path, threshold=0.3):
    with (gzip.open if path.endswith(".gz") else open)(path, "rb") as f:
        magic, n, r, c = struct.unpack(">IIII", f.read(16))
        assert magic == 0x803, hex(magic)
        x = np.frombuffer(f.read(), dtype=np.uint8).reshape(n, r * c)
    return torch.from_numpy(np.where(x / 255.0 > threshold, 1.0, -1.0).astype(np.float32))


def exact_gradient(W, data, confs):
    """d/dW of the mean log-likelihood: <v tanh(Wv)>_data - <v tanh(Wv)>_model, the model by enumeration."""
    f = confs @ W.t()
    neg_free = (f.abs() + torch.log1p(torch.exp(-2 * f.abs()))).sum(1)   # -F(v) = sum log 2cosh
    p = torch.softmax(neg_free, 0)
    model = (torch.tanh(f) * p[:, None]).t() @ confs
    pos = torch.tanh(data @ W.t()).t() @ data / data.shape[0]
    return pos - model


def gibbs(W, v, steps):
    for _ in range(steps):
        h = 2 * torch.bernoulli(torch.sigmoid(2 * (v @ W.t()))) - 1
        v = 2 * torch.bernoulli(torch.sigmoid(2 * (h @ W))) - 1
    return v


def rapid_epoch(x, xi_v, xi_h, lr, batch, gibbs_steps, clip):
    K = xi_v.shape[0]
    perm = torch.randperm(x.shape[0])
    for s in range(0, x.shape[0], batch):
        vpos = x[perm[s:s + batch]]
        W = xi_h.t() @ xi_v / math.sqrt(K)
        vneg = gibbs(W, xi_v.clone(), gibbs_steps)
        tp = torch.tanh(vpos @ W.t())
        tn = torch.tanh(vneg @ W.t())
        G = tp.t() @ vpos / vpos.shape[0] - tn.t() @ vneg / vneg.shape[0]      # H x V
        dv = xi_h @ G / math.sqrt(K)
        dh = xi_v @ G.t() / math.sqrt(K)
        xi_v += lr * dv
        xi_h += lr * dh
        xi_v.clamp_(-clip, clip)
        xi_h.clamp_(-clip, clip)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["exact", "epoch"])
    ap.add_argument("--visible", type=int, default=16)
    ap.add_argument("--hidden", type=int, default=1000)
    ap.add_argument("--patterns", type=int, default=190)
    ap.add_argument("--batch", type=int, default=8000)
    ap.add_argument("--gibbs", type=int, default=10)
    ap.add_argument("--images")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    seconds = []
    if a.what == "exact":
        confs = torch.tensor(list(itertools.product([-1.0, 1.0], repeat=a.visible)))
        W = 0.1 * torch.randn(a.hidden, a.visible)
        data = confs[:10]
        exact_gradient(W, data, confs)
        for _ in range(a.repeats):
            t0 = time.perf_counter()
            exact_gradient(W, data, confs)
            seconds.append(time.perf_counter() - t0)
    else:
        x = load(a.images)
        xi_v = (2 * torch.randint(0, 2, (a.patterns, x.shape[1])) - 1).float()
        xi_h = (2 * torch.randint(0, 2, (a.patterns, a.hidden)) - 1).float()
        for _ in range(a.repeats):
            t0 = time.perf_counter()
            rapid_epoch(x, xi_v, xi_h, 0.015, a.batch, a.gibbs, 1.0)
            seconds.append(time.perf_counter() - t0)
    print(json.dumps({"seconds": seconds, "threads": torch.get_num_threads(), "torch": torch.__version__}))


if __name__ == "__main__":
    main()
