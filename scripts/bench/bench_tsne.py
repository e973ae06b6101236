"""openTSNE side of scripts/bench-tsne.sh, and the common evaluation of embeddings.

usage:
  bench_tsne.py opentsne DATA.npy ROWS OUT.npy [--threads T] [--seed S] [--method fft|bh]
      runs openTSNE 1.0 with idc's settings (perplexity 30, early exaggeration 12
      for 250 iterations, 500 more, learning_rate="auto", PCA initialisation,
      n_jobs threads, its default neighbour search) with FFT (default) or
      Barnes-Hut gradients, and prints one JSON line
      {"seconds": ..., "own_kl": ..., "version": ...} (own_kl: openTSNE's estimate).
  bench_tsne.py report LOG [--reference OUT.json --command CMD]
      prints the markdown table of a bench-tsne.sh log (JSON lines), and with
      --reference writes openTSNE's (and idc's) numbers as the fixture that
      Tests/IDCCoreTests/TSNETests.swift reads.
  bench_tsne.py evaluate DATA.npy ROWS SET TOOL=EMB.npy [TOOL=EMB.npy ...]
      prints one JSON line per embedding ({"set", "tool", "kl", "knn10"}) with
      the KL divergence against the
      same exact-kNN perplexity-30 affinities and an exact Z, and the 10-NN
      preservation (mean fraction of each point's 10 input-space neighbours
      among its 10 embedding neighbours).

The scoring uses exact Euclidean neighbours computed in blocks with torch (or
numpy); torch is never imported while openTSNE runs.
"""
import json
import sys
import time

import numpy as np

torch = None  # imported by the scoring commands only: its OpenMP runtime must not
# sit beside openTSNE's while openTSNE is timed (their spinning threads collide).


def use_torch(threads=2):
    global torch
    try:
        import torch as t
    except ImportError:  # numpy fallback
        return
    t.set_num_threads(threads)
    torch = t


def load(path, rows):
    x = np.load(path, mmap_mode="r")
    rows = x.shape[0] if rows <= 0 else min(rows, x.shape[0])
    return np.ascontiguousarray(x[:rows], dtype=np.float32)


def exact_knn(x, k, block=2048):
    """Indices and Euclidean distances of the k nearest other rows, ascending."""
    n = x.shape[0]
    idx = np.empty((n, k), dtype=np.int64)
    dist = np.empty((n, k), dtype=np.float64)
    if torch is not None:
        t = torch.from_numpy(np.array(x))
        norms = (t * t).sum(1)
        for s in range(0, n, block):
            e = min(n, s + block)
            d2 = norms[s:e, None] + norms[None, :] - 2 * t[s:e] @ t.T
            d2[torch.arange(e - s), torch.arange(s, e)] = float("inf")
            v, i = torch.topk(d2, k, dim=1, largest=False)
            idx[s:e] = i.numpy()
            dist[s:e] = np.sqrt(np.maximum(v.double().numpy(), 0))
    else:
        norms = (x * x).sum(1)
        for s in range(0, n, block):
            e = min(n, s + block)
            d2 = norms[s:e, None] + norms[None, :] - 2 * x[s:e] @ x.T
            d2[np.arange(e - s), np.arange(s, e)] = np.inf
            i = np.argpartition(d2, k, axis=1)[:, :k]
            v = np.take_along_axis(d2, i, 1)
            o = np.argsort(v, axis=1)
            idx[s:e] = np.take_along_axis(i, o, 1)
            dist[s:e] = np.sqrt(np.maximum(np.take_along_axis(v, o, 1), 0))
    return idx, dist


def affinities(x, perplexity=30.0):
    """openTSNE's perplexity-based P on exact neighbours (as idc computes it)."""
    from openTSNE import affinity

    k = min(x.shape[0] - 1, int(3 * perplexity))
    idx, dist = exact_knn(x, k)
    return affinity.joint_probabilities_nn(idx, dist, [perplexity], symmetrize=True, n_jobs=2)


def run_opentsne(path, rows, out, threads, seed, method):
    import openTSNE
    from openTSNE import TSNE

    x = load(path, rows)
    start = time.perf_counter()
    embedding = TSNE(
        perplexity=30, n_jobs=threads, negative_gradient_method=method,
        initialization="pca", random_state=seed,
    ).fit(x)
    seconds = time.perf_counter() - start
    np.save(out, np.asarray(embedding, dtype=np.float32))
    print(json.dumps({"seconds": seconds, "own_kl": float(embedding.kl_divergence),
                      "version": openTSNE.__version__}))


def exact_kl(P, y, block=512):
    """KL(P || Q) with Z summed exactly over all pairs (float64)."""
    y = np.asarray(y, dtype=np.float64)
    n = y.shape[0]
    norms = (y * y).sum(1)
    z = 0.0
    for s in range(0, n, block):
        e = min(n, s + block)
        if torch is not None:
            a, b = torch.from_numpy(y[s:e]), torch.from_numpy(y)
            d2 = torch.from_numpy(norms[s:e])[:, None] + torch.from_numpy(norms)[None, :] - 2 * a @ b.T
            z += float((1.0 / (1.0 + d2.clamp_(min=0))).sum()) - (e - s)
        else:
            d2 = norms[s:e, None] + norms[None, :] - 2 * y[s:e] @ y.T
            z += float((1.0 / (1.0 + np.maximum(d2, 0))).sum()) - (e - s)
    P = P.tocoo()
    p = P.data.astype(np.float64)
    d2 = ((y[P.row] - y[P.col]) ** 2).sum(1)
    w = 1.0 / (1.0 + d2)
    keep = p > 0
    return float((p[keep] * np.log(p[keep] / w[keep])).sum() + p.sum() * np.log(z))


def knn_preservation(input_idx, y, k=10):
    emb_idx, _ = exact_knn(np.ascontiguousarray(y, dtype=np.float32), k)
    hits = [len(set(a[:k]) & set(b)) for a, b in zip(input_idx, emb_idx)]
    return float(np.mean(hits)) / k


def evaluate(path, rows, name, embeddings):
    x = load(path, rows)
    P = affinities(x)
    input_idx, _ = exact_knn(x, 10)
    for spec in embeddings:
        tool, _, e = spec.partition("=")
        y = np.load(e)
        print(json.dumps({
            "set": name,
            "tool": tool,
            "kl": exact_kl(P, y),
            "knn10": knn_preservation(input_idx, y),
        }), flush=True)


def report(log, reference=None, command=""):
    rows = [json.loads(line) for line in open(log) if line.strip()]
    sets = []
    for r in rows:
        if r["set"] not in sets:
            sets.append(r["set"])

    def pick(name, tool, key):
        return [r[key] for r in rows if r["set"] == name and r["tool"] == tool and key in r]

    summary = {"idc": {}, "opentsne": {}}
    print("| data | N | idc s | openTSNE s | speed-up | idc KL | openTSNE KL | KL idc/openTSNE "
          "| idc 10-NN | openTSNE 10-NN |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name in sets:
        line = {}
        for tool in ("idc", "opentsne"):
            times = pick(name, tool, "seconds")
            entry = {
                "rows": pick(name, tool, "rows")[0],
                "method": pick(name, tool, "method")[0],
                "runs": len(times),
                "seconds": float(np.median(times)),
                "kl": pick(name, tool, "kl")[0],
                "knn10": pick(name, tool, "knn10")[0],
            }
            summary[tool][name] = entry
            line[tool] = entry
        a, b = line["idc"], line["opentsne"]
        print(f"| {name} | {a['rows']} | {a['seconds']:.1f} | {b['seconds']:.1f} "
              f"| {b['seconds'] / a['seconds']:.2f}x | {a['kl']:.4f} | {b['kl']:.4f} "
              f"| {a['kl'] / b['kl']:.4f} | {a['knn10']:.4f} | {b['knn10']:.4f} |")
    print("(time: median of runs, affinities + initialisation + optimisation; KL against the same "
          "exact-kNN perplexity-30 P with exact Z; 10-NN: preserved fraction of input-space neighbours)")
    if reference:
        import openTSNE

        out = {
            "command": command,
            "opentsne_version": openTSNE.__version__,
            "note": "KL of each embedding against the same exact-kNN perplexity-30 affinities with an "
                    "exact Z; knn10 = mean fraction of the 10 input-space neighbours among the 10 "
                    "embedding neighbours; seconds = median wall time on this machine",
            "opentsne": summary["opentsne"],
            "idc": summary["idc"],
        }
        with open(reference, "w") as f:
            json.dump(out, f, indent=1, sort_keys=True)
            f.write("\n")


def main(argv):
    if len(argv) >= 5 and argv[1] == "opentsne":
        threads, seed, method = 2, 0, "fft"
        rest = argv[5:]
        while rest:
            flag, value = rest[0], rest[1]
            rest = rest[2:]
            if flag == "--threads":
                threads = int(value)
            elif flag == "--seed":
                seed = int(value)
            elif flag == "--method":
                method = value
        run_opentsne(argv[2], int(argv[3]), argv[4], threads, seed, method)
    elif len(argv) >= 3 and argv[1] == "report":
        reference, command = None, ""
        rest = argv[3:]
        while rest:
            flag, value = rest[0], rest[1]
            rest = rest[2:]
            if flag == "--reference":
                reference = value
            elif flag == "--command":
                command = value
        report(argv[2], reference, command)
    elif len(argv) >= 6 and argv[1] == "evaluate":
        use_torch()
        evaluate(argv[2], int(argv[3]), argv[4], argv[5:])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
