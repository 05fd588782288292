"""NumPy reference of one CD-1 (optionally KH-TD-CD-1) training epoch, the same algorithm as Engram's
RbmTrainer (authors' variant: h and v sampled, hidden probabilities in the statistics, KH before CD on
each batch). Prints one JSON line with the seconds of each timed epoch. Used by `engram bench rbm`.

  python3 deploy/bench/rbm_numpy.py --images train-images-idx3-ubyte.gz --hidden 500 --epochs 2 [--kh]
  python3 deploy/bench/rbm_numpy.py --self-check     # the sparse KH step against the dense formula

With --serve it keeps one model per variant, prints "ready" after a warm-up epoch of each, then for every
line "cd" or "kh" on stdin trains one epoch of that variant and prints its seconds as JSON — so that the
benchmark can alternate NumPy's epochs with its own and a change of the host's load hits both alike.
"""
import argparse
import gzip
import json
import struct
import sys
import time

import numpy as np


def load(path):
    with (gzip.open if path.endswith(".gz") else open)(path, "rb") as f:
        magic, n, r, c = struct.unpack(">IIII", f.read(16))
        assert magic == 0x803, hex(magic)
        x = np.frombuffer(f.read(), dtype=np.uint8).reshape(n, r * c)
    return (x > 127).astype(np.float32)


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def kh_top_down(W, b, v, rng, eps, delta=0.4, radius=0.1):
    """The top-down KH step of the reference notes. Each sample's g has two non-zeros (its winner, +1, and the
    unit ranked second, −Δ), so only the ≤ 2B visible rows that won or came second anywhere change: ds is built
    for those rows only (the same result as the dense gᵀh − (Σ g I) ⊙ W, which would also touch the N − 2B rows
    whose ds is 0) — NumPy gets the same sparsity Engram uses."""
    h = (rng.random((v.shape[0], W.shape[1]), dtype=np.float32) < sigmoid(v @ W + b)).astype(np.float32)
    current = h @ W.T                        # B × N: visible units compete
    rows = np.arange(v.shape[0])
    top2 = np.argpartition(-current, 1, axis=1)[:, :2]          # the two largest, in either order
    first = current[rows, top2[:, 0]] >= current[rows, top2[:, 1]]
    winner = np.where(first, top2[:, 0], top2[:, 1])
    second = np.where(first, top2[:, 1], top2[:, 0])
    picked = np.concatenate([winner, second])
    both = np.concatenate([rows, rows])
    g = np.concatenate([np.ones(rows.size, np.float32), np.full(rows.size, -delta, np.float32)])
    units, slot = np.unique(picked, return_inverse=True)        # the involved visible units
    gk = np.zeros((units.size, rows.size), np.float32)          # g restricted to them, K × B
    np.add.at(gk, (slot, both), g)
    gi = np.bincount(slot, weights=g * current[both, picked], minlength=units.size).astype(np.float32)
    ds = radius * radius * (gk @ h) - gi[:, None] * W[units]
    W[units] += eps * ds / max(np.abs(ds).max(), 1e-50)


def kh_top_down_dense(W, b, v, rng, eps, delta=0.4, radius=0.1):
    """The dense formula of the reference notes, g as a B × N matrix: what --self-check holds kh_top_down to."""
    h = (rng.random((v.shape[0], W.shape[1]), dtype=np.float32) < sigmoid(v @ W + b)).astype(np.float32)
    current = h @ W.T
    rows = np.arange(v.shape[0])
    order = np.argsort(-current, axis=1, kind="stable")        # ties: the lower index ranks first
    g = np.zeros_like(current)
    g[rows, order[:, 0]] = 1.0
    g[rows, order[:, 1]] = -delta
    ds = radius * radius * (g.T @ h) - (g * current).sum(axis=0)[:, None] * W
    W += eps * ds / max(np.abs(ds).max(), 1e-50)


def self_check():
    """kh_top_down against the dense formula on random binary batches (same h: same generator seed); prints the
    largest difference of the updated weights relative to the largest change ε, and the rows each changed."""
    worst = 0.0
    changed = []
    gen = np.random.default_rng(3)
    for hidden in (100, 500):
        W = (gen.standard_normal((784, hidden)) / 28).astype(np.float32)
        b = (gen.standard_normal(hidden) * 0.1).astype(np.float32)
        v = (gen.random((100, 784)) < 0.3).astype(np.float32)
        sparse, dense = W.copy(), W.copy()
        kh_top_down(sparse, b, v, np.random.default_rng(9), 0.02)
        kh_top_down_dense(dense, b, v, np.random.default_rng(9), 0.02)
        worst = max(worst, float(np.abs(sparse - dense).max()) / 0.02)
        changed.append([int((np.abs(sparse - W).max(axis=1) > 0).sum()), int((np.abs(dense - W).max(axis=1) > 0).sum())])
    print(json.dumps({"max_relative_difference": worst, "rows_changed_sparse_dense": changed}))


def epoch(W, a, b, data, rng, lr=0.1, batch=100, kh=False, eps=0.02):
    order = rng.permutation(data.shape[0])
    for start in range(0, data.shape[0], batch):
        v0 = data[order[start:start + batch]]
        if kh:
            kh_top_down(W, b, v0, rng, eps)
        p0 = sigmoid(v0 @ W + b)
        h0 = (rng.random(p0.shape, dtype=np.float32) < p0).astype(np.float32)
        pv = sigmoid(h0 @ W.T + a)
        v1 = (rng.random(pv.shape, dtype=np.float32) < pv).astype(np.float32)
        p1 = sigmoid(v1 @ W + b)
        n = v0.shape[0]
        W += lr * (v0.T @ p0 - v1.T @ p1) / n
        a += lr * (v0 - v1).mean(axis=0)
        b += lr * (p0 - p1).mean(axis=0)


def model(n, hidden):
    rng = np.random.default_rng(1)
    W = (rng.standard_normal((n, hidden)) / np.sqrt(n)).astype(np.float32)
    return W, np.zeros(n, dtype=np.float32), np.zeros(hidden, dtype=np.float32), rng


def serve(data, hidden):
    models = {"cd": model(data.shape[1], hidden), "kh": model(data.shape[1], hidden)}
    for name, (W, a, b, rng) in models.items():
        epoch(W, a, b, data[:10000], rng, kh=name == "kh")  # warm-up
    print("ready", flush=True)
    for line in sys.stdin:
        name = line.strip()
        W, a, b, rng = models[name]
        t = time.perf_counter()
        epoch(W, a, b, data, rng, kh=name == "kh")
        print(json.dumps({"variant": name, "seconds": time.perf_counter() - t}), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--images")
    ap.add_argument("--self-check", action="store_true")
    ap.add_argument("--hidden", type=int, default=500)
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--kh", action="store_true")
    ap.add_argument("--serve", action="store_true")
    args = ap.parse_args()
    if args.self_check:
        self_check()
        return
    if not args.images:
        ap.error("--images is required")
    data = load(args.images)
    if args.serve:
        serve(data, args.hidden)
        return
    W, a, b, rng = model(data.shape[1], args.hidden)
    epoch(W, a, b, data[:10000], rng, kh=args.kh)  # warm-up
    times = []
    for _ in range(args.epochs):
        t = time.perf_counter()
        epoch(W, a, b, data, rng, kh=args.kh)
        times.append(time.perf_counter() - t)
    print(json.dumps({"hidden": args.hidden, "kh": args.kh, "rows": int(data.shape[0]), "seconds": times,
                      "numpy": np.__version__}))


if __name__ == "__main__":
    main()
