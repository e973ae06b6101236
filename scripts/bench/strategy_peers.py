"""CPU ports of the authors' selection code, timed as `idc bench select --strategy NAME` times
idc's: the same L2-normalised rows, budget M, and only the selection inside the timer.

  typiclust, probcover, coreset  avihu111/TypiClust (deep-al/pycls/al/typiclust.py,
                                 prob_cover.py, Sampling.py CoreSetMIPSampling.greedy_k_center)
  maxherding                     BorealisAI/uherding (deep-al/pycls/al/herding.py)
  idc+herding                    the same herding code, weighted as UHerding
                                 (deep-al/pycls/al/uherding.py) by IDC's hardness
  margin, entropy, badge,        sanketx/AL-foundation-models (ALFM/src/query_strategies/
  dropquery, random              margins.py, entropy.py, badge.py, dropout.py, random.py)

The authors run on a GPU (faiss GPU indexes, `.cuda()` tensors); here every tensor stays on
the CPU with `--threads` threads, the libraries otherwise as theirs (faiss-cpu, scikit-learn,
torch, numpy, pandas).

Untimed, as idc's `select_seconds` leaves them out: for the head strategies the classifier of
AL-foundation-models (Dropout(0.75) → BatchNorm1d(affine=False) → Linear, AdamW lr 1e-2,
weight decay 1e-2 as their config; 300 steps on batches of 4096) fitted to scikit-learn's
k-means (k = 10, n_init 1, seed 0) of the rows, as idc's head is fitted to its k-means; for
idc+herding the hardness from the same k-means. Timed: everything the authors' selection
computes itself (TypiClust's k-means and kNN, ProbCover's δ-graph, herding's kernel matrix,
the forward passes of the head strategies).

usage: strategy_peers.py STRATEGY FEATURES [--rows N] [--m 500] [--threads T]
                         [--delta D] [--pool P] [--seed 0] [--save PICKS.npy]
                         [--start I] [--clusters C.npy]    (parity checks against idc only)
Prints one JSON line: {"tool", "strategy", "seconds", "first", "head" (the first 10 picks), "n",
"m", "distinct", "note"}.
"""
import argparse
import json
import time

import numpy as np


# ---------------------------------------------------------------- model-free strategies


def typiclust(z, m, seed, clusters=None):
    """avihu111/TypiClust deep-al/pycls/al/typiclust.py (kmeans, calculate_typicality,
    TypiClust.select_samples), first round (empty labelled set). Departures: faiss on the CPU
    (IndexFlatL2, the code's GPU index); the k-means restarts written out as scikit-learn's
    defaults when the code was written (KMeans n_init=10, MiniBatchKMeans n_init=3; today's
    'auto' would be 1) and seeded (random_state), the code leaves both unseeded."""
    import faiss
    import pandas as pd
    from sklearn.cluster import KMeans, MiniBatchKMeans

    MIN_CLUSTER_SIZE, MAX_NUM_CLUSTERS, K_NN = 5, 500, 20
    num_clusters = min(0 + m, MAX_NUM_CLUSTERS)
    if clusters is not None:  # a given clustering (parity checks only)
        labels, num_clusters = clusters, int(clusters.max()) + 1
    elif num_clusters <= 50:
        labels = KMeans(n_clusters=num_clusters, n_init=10, random_state=seed).fit(z).labels_
    else:
        labels = MiniBatchKMeans(n_clusters=num_clusters, batch_size=5000, n_init=3, random_state=seed).fit(z).labels_

    def typicality(features, k):
        index = faiss.IndexFlatL2(features.shape[1])
        index.add(features)
        distances, _ = index.search(features, k + 1)  # squared L2; column 0 is the sample itself
        return 1 / (distances[:, 1:].mean(axis=1) + 1e-5)

    labels = np.copy(labels)
    ids, sizes = np.unique(labels, return_counts=True)
    df = pd.DataFrame({"cluster_id": ids, "cluster_size": sizes,
                       "existing_count": np.zeros(len(ids), int), "neg_cluster_size": -sizes})
    df = df[df.cluster_size > MIN_CLUSTER_SIZE].sort_values(["existing_count", "neg_cluster_size"])
    selected = []
    for i in range(m):
        cluster = df.iloc[i % len(df)].cluster_id
        indices = (labels == cluster).nonzero()[0]
        t = typicality(np.ascontiguousarray(z[indices]), min(K_NN, len(indices) // 2))
        idx = indices[t.argmax()]
        selected.append(int(idx))
        labels[idx] = -1
    return selected, f"{num_clusters} clusters, {len(df)} of more than {MIN_CLUSTER_SIZE} samples"


def probcover(z, m, delta):
    """avihu111/TypiClust deep-al/pycls/al/prob_cover.py (construct_graph with torch.cdist in
    batches of 500, select_samples: pandas edge list, bincount, argmax degree, drop incoming
    edges of the newly covered), first round; δ is given (the code takes it from its config;
    the bench passes the δ idc chose on the same rows). Departures: CPU tensors (the code's
    .cuda()); the last N mod 500 rows are sources too (the code's range(N // 500) skips them;
    no difference when 500 divides N, as at 5 000 and 70 000); no per-iteration print."""
    import pandas as pd
    import torch

    batch_size = 500
    feats = torch.from_numpy(z)
    xs, ys, ds = [], [], []
    for i in range((len(z) + batch_size - 1) // batch_size):
        cur = feats[i * batch_size:(i + 1) * batch_size]
        dist = torch.cdist(cur, feats)
        mask = dist < delta
        x, y = mask.nonzero().T
        xs.append(x + batch_size * i)
        ys.append(y)
        ds.append(dist[mask])
    graph = pd.DataFrame({"x": torch.cat(xs).numpy(), "y": torch.cat(ys).numpy(), "d": torch.cat(ds).numpy()})
    edges = len(graph)
    covered = graph.y[np.isin(graph.x, np.arange(0))].unique()
    cur_df = graph[~np.isin(graph.y, covered)]
    selected = []
    for _ in range(m):
        degrees = np.bincount(cur_df.x, minlength=len(z))
        cur = degrees.argmax()
        new = cur_df.y[cur_df.x == cur].values
        cur_df = cur_df[~np.isin(cur_df.y, new)]
        covered = np.concatenate([covered, new])
        selected.append(int(cur))
    return selected, f"δ = {delta}; {edges} edges; coverage {len(covered) / len(z):.3f}"


def coreset(z, m, seed, start=None):
    """avihu111/TypiClust deep-al/pycls/al/Sampling.py CoreSetMIPSampling.greedy_k_center
    (squared L2 as ‖a‖² + ‖b‖² − 2ab with torch.mm, torch.min over the stacked rows, torch.max
    for the farthest; AL-foundation-models' coreset.py is the same greedy with torch.cdist).
    Departures: CPU tensors; the code starts from the labelled set and has none in the first
    round, so the first pick is drawn at random (seeded), as idc's (`start` fixes it)."""
    import torch

    def dists(a, b):  # gpu_compute_dists
        return (a ** 2).sum(1).reshape(-1, 1) + (b ** 2).sum(1).reshape(1, -1) - 2.0 * torch.mm(a, b.T)

    u = torch.from_numpy(z)
    first = int(np.random.default_rng(seed).integers(len(z))) if start is None else start
    greedy = [first]
    min_dist = dists(u[first].reshape(1, -1), u)
    for _ in range(m - 1):
        d = dists(u[greedy[-1]].reshape(1, -1), u)
        min_dist = torch.min(torch.cat((min_dist, d)), dim=0)[0].reshape(1, -1)
        _, farthest = torch.max(min_dist, dim=1)
        greedy.append(int(farthest.item()))
    return greedy, "first pick at random (nothing labelled)" if start is None else f"first pick given ({start})"


def herding(z, m, seed, pool, weights=None, timed=None):
    """BorealisAI/uherding deep-al/pycls/al/herding.py (Herding: a random candidate subset of
    the unlabelled pool, the RBF kernel exp(−(‖a − b‖/h)²) with h = δ = 1.0 as their
    run_budget.sh, computed with torch.cdist in column batches of 1024, then the plain greedy
    on the full kernel matrix: clamp(K − c, 0), mean over the pool, argmax, c += row).
    `weights` multiply the clamped matrix as UHerding's uncertainties (uherding.py), for
    idc+herding. Departure: the subset. The code's is compute_cand_size(0, M) = 35 000 samples
    (a 35 000² float32 kernel, 4.9 GB, and two more of that size per step); here it is `pool`
    (default 20 000, idc's averaging set), drawn with numpy's permutation as theirs (seeded),
    so that both herd over the same number of samples; --pool 35000 gives the code's size.
    CPU tensors. With `timed` = K < m only the first K greedy steps run and the seconds are
    the kernel's plus K steps' scaled to m: every step of the authors' greedy is the same
    full-matrix pass, so its time per step is constant (the report says "extrapolated")."""
    import torch

    started = time.perf_counter()
    n = len(z)
    rng = np.random.default_rng(seed)
    relevant = rng.permutation(n)[:min(pool, n)] if pool < n else np.arange(n)
    feats = torch.from_numpy(z[relevant])
    h = 1.0
    cols = []
    for i in range((len(feats) + 1023) // 1024):
        cols.append(torch.cdist(feats.unsqueeze(0), feats[i * 1024:(i + 1) * 1024].unsqueeze(0), p=2.0))
    norm = torch.cat(cols, dim=-1).squeeze(0)
    del cols
    kernel = torch.exp(-1.0 * (norm / h) ** 2)
    del norm
    p = len(relevant)
    w = torch.ones(1, p) if weights is None else torch.from_numpy(weights[relevant].astype(np.float32)).reshape(1, -1)
    chosen = torch.zeros(0, dtype=torch.long)
    max_embedding = torch.zeros(1, p)
    steps = m if timed is None else min(m, timed)
    kernel_done = time.perf_counter()
    for _ in range(steps):
        updated = kernel - max_embedding
        updated[updated < 0] = 0.0
        mean_max = (w * updated).mean(dim=-1)
        mean_max[chosen] = -np.inf
        sel = torch.argmax(mean_max)
        chosen = torch.cat((chosen, sel.view(-1)))
        max_embedding = updated[sel].unsqueeze(0) + max_embedding
    picks = [int(relevant[i]) for i in chosen.tolist()]
    note = f"RBF h = 1.0; candidates {p} of {n} (seeded permutation)"
    if steps < m:
        loop = time.perf_counter() - kernel_done
        estimate = (kernel_done - started) + loop * m / steps
        return picks, note + f"; extrapolated: kernel {kernel_done - started:.1f} s + {steps} of {m} steps {loop:.1f} s", estimate
    return picks, note, None


# ---------------------------------------------------------------- head strategies


class Head:
    """AL-foundation-models' LinearClassifier (ALFM/src/classifiers/{base,linear}_classifier.py):
    Dropout(p) on the input → BatchNorm1d(affine=False) (the "embedding") → Linear."""

    def __init__(self, z, assignment, classes, seed, steps=300):
        import torch
        from torch import nn

        torch.manual_seed(seed)
        d = z.shape[1]
        self.dropout, self.bn, self.linear = nn.Dropout(0.75), nn.BatchNorm1d(d, affine=False), nn.Linear(d, classes)
        params = list(self.linear.parameters())
        opt = torch.optim.AdamW(params, lr=1e-2, weight_decay=1e-2)
        x, y = torch.from_numpy(z), torch.from_numpy(assignment.astype(np.int64))
        gen = torch.Generator().manual_seed(seed)
        for mod in (self.dropout, self.bn):
            mod.train(True)
        for _ in range(steps):
            idx = torch.randint(len(x), (min(4096, len(x)),), generator=gen)
            loss = nn.functional.cross_entropy(self.linear(self.bn(self.dropout(x[idx]))), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        self.bn.train(False)

    def predict(self, z, dropout=False):
        """ClassifierWrapper._predict / BaseClassifier.predict_step, batches of 4096 as their
        dataloader: (probs, embed)."""
        import torch

        probs, embeds = [], []
        self.dropout.train(dropout)
        with torch.no_grad():
            for i in range(0, len(z), 4096):
                e = self.bn(self.dropout(torch.from_numpy(z[i:i + 4096])))
                probs.append(self.linear(e).softmax(dim=1))
                embeds.append(e)
        return torch.cat(probs), torch.cat(embeds)


def margin(z, m, head):
    """AL-foundation-models ALFM/src/query_strategies/margins.py with their config (no dropout,
    no typical/cluster options): sort the probabilities, p(1) − p(2), argsort, the first M."""
    probs, _ = head.predict(z)
    s = probs.sort(dim=1)[0]
    return [int(i) for i in (s[:, -1] - s[:, -2]).argsort()[:m]], ""


def entropy(z, m, head):
    """AL-foundation-models ALFM/src/query_strategies/entropy.py with their config:
    −Σ p log p, argsort descending, the first M."""
    import torch

    probs, _ = head.predict(z)
    h = -(probs * torch.log(probs)).sum(dim=-1)
    return [int(i) for i in h.argsort(descending=True)[:m]], ""


def badge(z, m, head, seed):
    """AL-foundation-models ALFM/src/query_strategies/badge.py: δ = p − onehot(argmax p) and
    the embedding (the BatchNorm output, the linear layer's input), squared distances of the
    outer products as (‖z‖²‖δ‖² + ‖z'‖²‖δ'‖² − 2(z·z')(δ·δ')), k-means++ seeding: the first
    pick uniformly at random (np.random.randint), the next ones by torch.multinomial ∝ D².
    Departure: CPU tensors (the code's .cuda()); no progress bar."""
    import torch
    import torch.nn.functional as F

    np.random.seed(seed)
    torch.manual_seed(seed)
    probs, vectors = head.predict(z)
    delta = probs - F.one_hot(probs.argmax(dim=1), num_classes=probs.shape[1])

    def pd(z1, p1, z2, p2):
        t1 = torch.sum(z1 ** 2, dim=1)[:, None] * torch.sum(p1 ** 2, dim=1)[:, None]
        t4 = torch.sum(z2 ** 2, dim=1)[None, :] * torch.sum(p2 ** 2, dim=1)[None, :]
        return t1 - 2 * (z1 @ z2.T) * (p1 @ p2.T) + t4

    idx = np.random.randint(len(vectors))
    centroids = [idx]
    sq = pd(vectors[idx][None, :], delta[idx][None, :], vectors, delta).ravel().clip(min=0).nan_to_num()
    for _ in range(1, m):
        idx = torch.multinomial(sq / torch.sum(sq), 1).item()
        centroids.append(idx)
        nd = pd(vectors[idx][None, :], delta[idx][None, :], vectors, delta).ravel().clip(min=0).nan_to_num()
        sq = torch.minimum(sq, nd)
    return [int(i) for i in centroids], ""


def cluster_features(features, k, seed):
    """AL-foundation-models ALFM/src/clustering/kmeans.py cluster_features: k-means++ seeding
    (kmeans_plus_plus_init with torch.cdist distances, torch.multinomial), faiss.Kmeans
    (niter 100, min_points_per_centroid 1, max_points_per_centroid 512) from those centroids,
    then each cluster's member nearest its centroid. Departures: faiss on the CPU (gpu=1 in
    the code), not verbose; an empty cluster (the code would fail on it) gives no pick."""
    import faiss
    import torch

    vectors = torch.from_numpy(features)
    idx = np.random.randint(len(vectors))
    init = [idx]

    def dist2(c):  # torch_pd(vectors, centroid) ** 2, in row batches of 10240
        out = torch.zeros(len(vectors))
        for i in range(0, len(vectors), 10240):
            out[i:i + 10240] = torch.cdist(vectors[i:i + 10240].unsqueeze(0), vectors[c].view(1, 1, -1)).squeeze(0).ravel()
        return (out ** 2).clip(min=0).nan_to_num()

    sq = dist2(idx)
    for _ in range(1, k):
        idx = torch.multinomial(sq / torch.sum(sq), 1).item()
        init.append(idx)
        sq = torch.minimum(sq, dist2(idx))
    km = faiss.Kmeans(features.shape[1], int(k), niter=100, verbose=False, seed=seed + 1234,
                      min_points_per_centroid=1, max_points_per_centroid=512)
    km.train(features, init_centroids=features[np.array(init)])
    sq_dist, cluster_idx = km.index.search(features, 1)
    sq_dist, cluster_idx = sq_dist.ravel(), cluster_idx.ravel()
    selected = []
    for i in range(k):
        members = np.nonzero(cluster_idx == i)[0]
        if len(members):
            selected.append(members[sq_dist[members].argmin()])
    return np.array(selected, dtype=np.int64)


def dropquery(z, m, head, seed):
    """AL-foundation-models ALFM/src/query_strategies/dropout.py (the paper's DropQuery, config
    num_iter = 3; dropout_p = 0.75 from al_train.yaml): ŷ from the head, 3 passes with the
    input dropout on, candidates whose prediction differs in more than ⌊3/2⌋ passes (the
    threshold lowered while fewer than 25·M), then cluster_features on the L2-normalised
    embeddings of the candidates, or all candidates plus random others when fewer than M.
    Departures: CPU; the code's first round (its centroid_init) does not use the head, here
    the k-means-fitted head is used from the start, as idc does."""
    import torch
    import torch.nn.functional as F

    np.random.seed(seed)
    torch.manual_seed(seed)
    probs, embeddings = head.predict(z)
    y_star = probs.argmax(dim=1)
    samples = torch.stack([head.predict(z, dropout=True)[0].argmax(dim=1) for _ in range(3)])
    thresh = 3 // 2
    mismatch = (y_star != samples).sum(dim=0)
    while (mismatch > thresh).sum() < 25 * m and thresh > 0:
        thresh -= 1
    candidates = torch.nonzero(mismatch > thresh).flatten()
    note = f"{len(candidates)} candidates (threshold {thresh})"
    if len(candidates) < m:
        rest = torch.ones(len(z), dtype=torch.bool)
        rest[candidates] = False
        remaining = torch.nonzero(rest).flatten()
        extra = remaining[np.random.choice(len(remaining), m - len(candidates), replace=False)]
        return [int(i) for i in torch.cat([candidates, extra])], note + f"; {m - len(candidates)} at random"
    vectors = F.normalize(embeddings[candidates]).numpy()
    selected = cluster_features(np.ascontiguousarray(vectors), m, seed)
    return [int(i) for i in candidates[torch.from_numpy(selected)]], note


def random_pick(z, m, seed):
    """AL-foundation-models ALFM/src/query_strategies/random.py: np.random.choice without
    replacement (seeded here)."""
    np.random.seed(seed)
    return [int(i) for i in np.random.choice(np.arange(len(z)), size=m, replace=False)], ""


# ---------------------------------------------------------------- main


def main():
    p = argparse.ArgumentParser()
    p.add_argument("strategy")
    p.add_argument("features")
    p.add_argument("--rows", type=int)
    p.add_argument("--m", type=int, default=500)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--delta", type=float, help="ProbCover's δ (the bench passes idc's)")
    p.add_argument("--pool", type=int, default=20000, help="herding candidates (the code's: 35000)")
    p.add_argument("--timed-picks", type=int, help="herding: run this many greedy steps and scale their time to m")
    p.add_argument("--start", type=int, help="coreset: the first pick (for a parity check)")
    p.add_argument("--clusters", help="typiclust: a clustering .npy to use instead of k-means (for a parity check)")
    p.add_argument("--save", help="write every pick here as .npy")
    a = p.parse_args()

    import faiss
    import torch
    from threadpoolctl import threadpool_limits

    torch.set_num_threads(a.threads)
    faiss.omp_set_num_threads(a.threads)
    threadpool_limits(a.threads)
    x = np.load(a.features).astype(np.float32)
    if a.rows:
        x = x[:a.rows]
    z = np.ascontiguousarray(x / np.linalg.norm(x, axis=1, keepdims=True), dtype=np.float32)
    s, m = a.strategy, a.m

    # Untimed inputs (as idc's select_seconds leaves out its k-means, kNN graph, hardness and head).
    head = weights = None
    if s in ("margin", "entropy", "badge", "dropquery", "idc+herding"):
        from sklearn.cluster import KMeans

        km = KMeans(10, n_init=1, random_state=0).fit(z)
        if s == "idc+herding":
            c = km.cluster_centers_ / np.linalg.norm(km.cluster_centers_, axis=1, keepdims=True)
            top = np.sort(z @ c.T, axis=1)
            weights = np.clip(1 - top[:, -1] + top[:, -2], 0, 1)  # exp(IDC's hardness)
        else:
            head = Head(z, km.labels_, 10, a.seed)
    if s == "probcover" and a.delta is None:
        p.error("probcover needs --delta (the bench passes the δ idc reports for the same rows)")

    t = time.perf_counter()
    if s == "typiclust":
        picks, note = typiclust(z, m, a.seed, None if a.clusters is None else np.load(a.clusters)[:len(z)].astype(np.int64))
    elif s == "probcover":
        picks, note = probcover(z, m, a.delta)
    elif s == "coreset":
        picks, note = coreset(z, m, a.seed, a.start)
    elif s in ("maxherding", "idc+herding"):
        picks, note, estimate = herding(z, m, a.seed, a.pool, weights, a.timed_picks)
    elif s == "margin":
        picks, note = margin(z, m, head)
    elif s == "entropy":
        picks, note = entropy(z, m, head)
    elif s == "badge":
        picks, note = badge(z, m, head, a.seed)
    elif s == "dropquery":
        picks, note = dropquery(z, m, head, a.seed)
    elif s == "random":
        picks, note = random_pick(z, m, a.seed)
    else:
        p.error(f"unknown strategy {s}")
    seconds = time.perf_counter() - t
    if s in ("maxherding", "idc+herding") and estimate is not None:
        seconds = estimate
    tools = {"typiclust": "TypiClust code", "probcover": "ProbCover code", "coreset": "k-center code",
             "maxherding": "herding code", "idc+herding": "UHerding code, IDC weights"}
    tool = tools.get(s, "AL-foundation-models code")
    if a.save:
        np.save(a.save, np.array(picks, dtype=np.int64))
    if len(set(picks)) != m and "extrapolated" not in note:
        note += f"; {len(set(picks))} distinct picks of {m}"
    print(json.dumps({"tool": tool, "strategy": s, "seconds": seconds, "first": picks[0], "head": picks[:10], "n": len(z), "m": m,
                      "distinct": len(set(picks)), "note": note}), flush=True)


if __name__ == "__main__":
    main()
