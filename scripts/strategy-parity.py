#!/usr/bin/env python3
"""Writes Tests/IDCCoreTests/Fixtures/strategy_parity.json: the picks of faithful numpy ports
of the authors' TypiClust, ProbCover and Coreset selection (avihu111/TypiClust,
deep-al/pycls/al/{typiclust,prob_cover,coreset}.py) on a small seeded data set, for
IDCCoreTests.StrategyParityTests. The ports keep the authors' choices (squared L2 + 1e-5 in
typicality, min(20, size // 2) neighbours, clusters of <= 5 samples dropped, the labelled set
removed from its clusters; plain L2 < delta with self-loops and argmax degree; squared
distances and argmax in k-center greedy) and take the clustering and delta as inputs, as
idc's parity test does. Departures of the authors' code that idc does not copy (ProbCover's
dropped last partial batch, TypiClust's sort-once cycling) do not arise on this fixture:
N is a multiple of ProbCover's batch of 500 in spirit (every row is a source here), and every
cluster starts with the same labelled count.

Run: python3 scripts/strategy-parity.py   (numpy only)
"""
import json, os
import numpy as np

def typiclust(features, clusters, budget, labelled):
    MIN_CLUSTER_SIZE, K_NN = 5, 20
    labels = np.copy(clusters)
    existing = np.bincount(clusters[labelled], minlength=clusters.max() + 1) if len(labelled) else np.zeros(clusters.max() + 1, int)
    ids, sizes = np.unique(labels, return_counts=True)
    order = [c for c in ids if sizes[list(ids).index(c)] > MIN_CLUSTER_SIZE]
    order.sort(key=lambda c: (existing[c], -sizes[list(ids).index(c)], c))
    labels[labelled] = -1
    selected = []
    for i in range(budget):
        cluster = order[i % len(order)]
        indices = (labels == cluster).nonzero()[0]
        rel = features[indices].astype(np.float64)
        k = min(K_NN, len(indices) // 2)
        d2 = ((rel[:, None, :] - rel[None, :, :]) ** 2).sum(-1)
        np.fill_diagonal(d2, np.inf)
        nn = np.sort(d2, axis=1)[:, :k]
        typicality = 1 / (nn.mean(axis=1) + 1e-5)
        idx = indices[typicality.argmax()]
        selected.append(int(idx))
        labels[idx] = -1
    return selected

def probcover(features, delta, budget, labelled):
    x = features.astype(np.float64)
    dist = np.sqrt(np.maximum(((x[:, None, :] - x[None, :, :]) ** 2).sum(-1), 0))
    xs, ys = (dist < delta).nonzero()
    covered = np.unique(ys[np.isin(xs, labelled)])
    keep = ~np.isin(ys, covered)
    cx, cy = xs[keep], ys[keep]
    selected = []
    for _ in range(budget):
        degrees = np.bincount(cx, minlength=len(x))
        cur = int(degrees.argmax())
        new = cy[cx == cur]
        keep = ~np.isin(cy, new)
        cx, cy = cx[keep], cy[keep]
        covered = np.concatenate([covered, new])
        selected.append(cur)
    return selected

def coreset(features, budget, labelled):
    x = features.astype(np.float64)
    sq = (x ** 2).sum(1)
    d2 = sq[:, None] + sq[None, :] - 2 * x @ x.T
    min_dist = d2[labelled].min(axis=0)
    selected = []
    for _ in range(budget):
        far = int(min_dist.argmax())
        selected.append(far)
        min_dist = np.minimum(min_dist, d2[far])
    return selected

def main():
    rng = np.random.default_rng(16)
    centres = rng.normal(size=(5, 6))
    x = np.concatenate([c + 0.45 * rng.normal(size=(60, 6)) for c in centres]).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    n = len(x)
    # A clustering for TypiClust (any partition will do for parity): nearest of 12 seeded rows.
    anchors = rng.choice(n, 12, replace=False)
    clusters = (x @ x[anchors].T).argmax(1)
    clusters = np.unique(clusters, return_inverse=True)[1]
    labelled = sorted(int(i) for i in rng.choice(n, 7, replace=False))
    out = {
        "features": [[float(v) for v in row] for row in x],
        "clusters": [int(c) for c in clusters],
        "typiclust_first_round": typiclust(x, clusters, clusters.max() + 1, []),
        "delta": 0.45,
        "probcover_budget": 15,
        "probcover_first_round": probcover(x, 0.45, 15, []),
        "labelled": labelled,
        "probcover_labelled": probcover(x, 0.45, 15, labelled),
        "coreset_budget": 20,
        "coreset_labelled": coreset(x, 20, labelled),
    }
    path = os.path.join(os.path.dirname(__file__), "..", "Tests", "IDCCoreTests", "Fixtures", "strategy_parity.json")
    with open(path, "w") as f:
        json.dump(out, f)
    print("wrote", os.path.normpath(path))

if __name__ == "__main__":
    main()
