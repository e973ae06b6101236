"""What users would otherwise run, timed on the same data as `idc bench`:
SGEMM (numpy `a @ b` at 4096³ and at the kNN tile shape 4096×4096×128), exact
kNN (scikit-learn brute force, faiss IndexFlatL2), k-means (scikit-learn,
n_init=10; faiss, niter 20, nredo 10) and IDC scores + greedy selection written
in numpy (the independent reference's way). Prints one JSON object per run."""
import json, sys, time
import numpy as np

op, path, reps = sys.argv[1], sys.argv[2], int(sys.argv[3])
x = np.load(path).astype(np.float32)
z = x / np.linalg.norm(x, axis=1, keepdims=True)
n, d = z.shape

def emit(tool, seconds, **extra):
    print(json.dumps({"op": op, "tool": tool, "n": n, "d": d, "seconds": seconds, **extra}), flush=True)

for r in range(reps):
    if op == "sgemm":
        def rate(a, b):
            a @ b  # warm-up
            t, count = time.perf_counter(), 0
            while time.perf_counter() - t < 2:
                a @ b
                count += 1
            return count * 2 * a.shape[0] * a.shape[1] * b.shape[1] / (time.perf_counter() - t) / 1e9
        g = np.random.default_rng(r).standard_normal((4096, 4096), dtype=np.float32)
        tile = np.ascontiguousarray(z[:4096])
        emit("numpy", 0, gflops=rate(g, g), gflops_tile=rate(tile, tile.T))
    elif op == "knn":
        from sklearn.neighbors import NearestNeighbors
        t = time.perf_counter()
        NearestNeighbors(n_neighbors=21, algorithm="brute", n_jobs=2).fit(z).kneighbors(z)
        emit("scikit-learn", time.perf_counter() - t)
        try:
            import faiss
            faiss.omp_set_num_threads(2)
            t = time.perf_counter()
            index = faiss.IndexFlatL2(d)
            index.add(z)
            index.search(z, 21)
            emit("faiss", time.perf_counter() - t)
        except ImportError:
            pass
    elif op == "kmeans":
        from sklearn.cluster import KMeans
        t = time.perf_counter()
        km = KMeans(10, n_init=10, random_state=r).fit(z)
        c = km.cluster_centers_ / np.linalg.norm(km.cluster_centers_, axis=1, keepdims=True)
        emit("scikit-learn", time.perf_counter() - t, objective=float((1 - (z @ c.T).max(1)).sum()))
        try:
            import faiss
            faiss.omp_set_num_threads(2)
            t = time.perf_counter()
            # All points, as idc and scikit-learn use (faiss subsamples 256 per centroid by default).
            fk = faiss.Kmeans(d, 10, niter=20, nredo=10, seed=r + 1, max_points_per_centroid=n)
            fk.train(z)
            seconds = time.perf_counter() - t
            c = fk.centroids / np.linalg.norm(fk.centroids, axis=1, keepdims=True)
            emit("faiss", seconds, objective=float((1 - (z @ c.T).max(1)).sum()))
        except ImportError:
            pass
    elif op == "select":
        from sklearn.cluster import KMeans
        from sklearn.neighbors import NearestNeighbors
        km = KMeans(10, n_init=1, random_state=0).fit(z)
        c = km.cluster_centers_ / np.linalg.norm(km.cluster_centers_, axis=1, keepdims=True)
        t = time.perf_counter()
        s = np.sort(z.astype(np.float64) @ c.T.astype(np.float64), axis=1)
        h = np.log(np.maximum(1 - s[:, -1] + s[:, -2], 0) + 1e-8)
        dist, _ = NearestNeighbors(n_neighbors=21, algorithm="brute", n_jobs=2).fit(z).kneighbors(z)
        r_ = -np.log((dist[:, 1:] ** 2).sum(1) + 1e-8)
        base = h + r_
        div = np.zeros(n)
        taken = np.zeros(n, bool)
        for j in range(500):
            v = np.where(taken, -np.inf, base + div)
            i = int(np.argmax(v))
            taken[i] = True
            t_ = np.log(np.maximum(1 - z @ z[i], 0) + 1e-8)
            div = t_ if j == 0 else np.minimum(div, t_)
        emit("numpy+scikit-learn", time.perf_counter() - t)
