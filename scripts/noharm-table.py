#!/usr/bin/env python3
"""The README's "Training that never harms" table from out/paper/noharm_<data>.csv.

    python3 scripts/noharm-table.py digits wordnet_nouns fmnist_effnet128 fmnist_pixels_pca50 mixture_k100 mixture_k200

For every data set, budget M, strategy and number of rounds: the trained ACC / NMI / ARI
(mean of the seeds) and the change against k-means ("none", the pre-trained model) of the same
seed — mean, and the worst seed in brackets. A change below -0.3 points is in bold: a cell where
training made the model worse. The last line counts them.
"""
import csv
import sys
from collections import defaultdict


def main() -> int:
    names = sys.argv[1:]
    if not names:
        print(__doc__)
        return 2
    print("| data | M | strategy | rounds | ACC | NMI | ARI | Δ ACC (worst) | Δ NMI (worst) | Δ ARI (worst) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    harmful = 0
    cells = 0
    for name in names:
        path = f"out/paper/noharm_{name}.csv"
        try:
            rows = list(csv.DictReader(open(path)))
        except FileNotFoundError:
            print(f"noharm-table: {path} is missing; run idc examples/paper/noharm_{name}.idc first", file=sys.stderr)
            return 1
        pre = {(r["seed"], r["m"]): r for r in rows if r["method"] == "none"}
        groups = defaultdict(list)
        for r in rows:
            if r["method"] == "idc":
                groups[(int(r["m"]), r["strategy"], int(r["rounds"]))].append(r)
        for (m, strategy, rounds), rs in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] != "hard+rep+div", kv[0][2])):
            cols = []
            for metric in ("acc", "nmi", "ari"):
                cols.append(100 * sum(float(r[metric]) for r in rs) / len(rs))
            deltas = []
            for metric in ("acc", "nmi", "ari"):
                d = [100 * (float(r[metric]) - float(pre[(r["seed"], r["m"])][metric])) for r in rs]
                mean = sum(d) / len(d)
                cells += 1
                text = f"{mean:+.1f} ({min(d):+.1f})"
                if mean < -0.3:
                    harmful += 1
                    text = f"**{text}**"
                deltas.append(text)
            label = "IDC" if strategy == "hard+rep+div" else strategy
            print(f"| {name} | {m} | {label} | {rounds} | {cols[0]:.1f} | {cols[1]:.1f} | {cols[2]:.1f} | "
                  + " | ".join(deltas) + " |")
    print(f"\n{harmful} of {cells} mean changes below -0.3 points.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
