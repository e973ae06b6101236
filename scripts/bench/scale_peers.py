"""The peers of the scale step (scripts/bench.sh, BENCH_STEPS=scale): what a user
would run instead of idc for a K-NN graph and k-means on 10^5..10^6 rows.

Every command prints one JSON line: time in seconds, and for graphs the recall@K
on a seeded sample of rows, measured as idc measures it (the share of the graph's
K neighbours whose distance is at most the exact K-th distance; exact neighbours
from faiss IndexFlatL2 on the same sample). Features are L2-normalised first,
as idc's `score` and `idc bench knn` use them. Peak RSS is read by the caller.

  faiss-ivf FEATURES K TARGET    IVF-Flat (nlist = 4·sqrt(N), trained on
                                 64·nlist rows): the smallest nprobe whose sample
                                 recall reaches TARGET (idc's measured recall), then
                                 all N rows searched with it; time = train + add + search
  pynndescent FEATURES K         NNDescent(n_neighbors=K+1), defaults otherwise
  faiss-kmeans FEATURES k        faiss.Kmeans(spherical, niter=20, nredo=1: its
                                 default 256 rows per centroid); objective Σ(1 − cos)
                                 of all rows

usage: scale_peers.py COMMAND FEATURES K [TARGET] [--threads 2] [--audit 1000] [--seed 0]
"""
import argparse
import json
import time

import numpy as np


def normalised(path):
    x = np.load(path, mmap_mode="r")
    z = np.array(x, dtype=np.float32)  # a copy: the memmap is read-only
    norms = np.linalg.norm(z, axis=1, keepdims=True)
    norms[norms == 0] = 1
    z /= norms
    return z


def exact_kth(z, rows, k):
    """Exact K-th squared distance (self excluded) of each sampled row, and its neighbours."""
    import faiss

    index = faiss.IndexFlatL2(z.shape[1])
    index.add(z)
    d, i = index.search(z[rows], k + 1)
    out = []
    for r, row in enumerate(rows):
        keep = [(dd, ii) for dd, ii in zip(d[r], i[r]) if ii != row][:k]
        out.append(max(dd for dd, _ in keep))
    return np.array(out, dtype=np.float64)


def recall(z, rows, kth, neighbours, k):
    """idc's recall: share of the graph's K neighbours within the exact K-th distance."""
    hits = 0
    for r, row in enumerate(rows):
        ids = [j for j in neighbours[r] if j != row and j >= 0][:k]
        diff = z[ids].astype(np.float64) - z[row].astype(np.float64)
        dist = (diff * diff).sum(axis=1)
        hits += int((dist <= kth[r] * (1 + 1e-6) + 1e-12).sum())
    return hits / (len(rows) * k)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("command")
    p.add_argument("features")
    p.add_argument("k", type=int)
    p.add_argument("target", type=float, nargs="?", default=0.95)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--audit", type=int, default=1000)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    import faiss

    faiss.omp_set_num_threads(a.threads)
    z = normalised(a.features)
    n, d = z.shape
    rng = np.random.default_rng(a.seed)
    rows = np.sort(rng.choice(n, size=min(a.audit, n), replace=False))

    if a.command == "faiss-ivf":
        kth = exact_kth(z, rows, a.k)
        nlist = int(4 * np.sqrt(n))
        t0 = time.perf_counter()
        quantizer = faiss.IndexFlatL2(d)
        index = faiss.IndexIVFFlat(quantizer, d, nlist)
        train = z[rng.choice(n, size=min(n, 64 * nlist), replace=False)]
        index.train(train)
        index.add(z)
        build = time.perf_counter() - t0
        chosen, sample_recall = None, None
        for nprobe in (1, 2, 4, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256):
            index.nprobe = nprobe
            _, i = index.search(z[rows], a.k + 1)
            sample_recall = recall(z, rows, kth, i, a.k)
            chosen = nprobe
            if sample_recall >= a.target:
                break
        index.nprobe = chosen
        t1 = time.perf_counter()
        _, graph = index.search(z, a.k + 1)
        search = time.perf_counter() - t1
        measured = recall(z, rows, kth, graph[rows], a.k)
        print(json.dumps({"tool": "faiss IVF-Flat", "seconds": build + search, "build_seconds": build,
                          "search_seconds": search, "nlist": nlist, "nprobe": chosen, "recall": measured,
                          "target": a.target}))
    elif a.command == "pynndescent":
        from pynndescent import NNDescent

        kth = exact_kth(z, rows, a.k)
        t0 = time.perf_counter()
        index = NNDescent(z, n_neighbors=a.k + 1, random_state=a.seed, n_jobs=a.threads, low_memory=True)
        graph, _ = index.neighbor_graph
        seconds = time.perf_counter() - t0
        print(json.dumps({"tool": "pynndescent", "seconds": seconds, "recall": recall(z, rows, kth, graph[rows], a.k)}))
    elif a.command == "faiss-kmeans":
        t0 = time.perf_counter()
        km = faiss.Kmeans(d, a.k, niter=20, spherical=True, seed=a.seed + 1, verbose=False)
        km.train(z)
        _, assignment = km.index.search(z, 1)
        seconds = time.perf_counter() - t0
        centres = km.centroids / np.linalg.norm(km.centroids, axis=1, keepdims=True)
        objective = float(np.sum(1 - np.einsum("ij,ij->i", z, centres[assignment[:, 0]])))
        print(json.dumps({"tool": "faiss k-means", "seconds": seconds, "objective": objective}))
    else:
        raise SystemExit(f"unknown command {a.command}")


if __name__ == "__main__":
    main()
