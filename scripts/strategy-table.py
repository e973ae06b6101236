#!/usr/bin/env python3
"""Makes the README's strategy table from the CSVs of examples/paper/strategies_<data>.idc
(out/paper/strategies_<data>_{low,one,five}.csv; a *_rerun.csv beside one replaces its rows
for the strategies it holds). Mean ± population std over seeds, in percent, as `sweep` prints;
the last columns are the ACC difference to random at the same budget and rounds, and the mean
positive / negative answers per run.

usage: python3 scripts/strategy-table.py [DATA ...]   (default: the four shared data sets)
"""
import csv, glob, os, statistics, sys

OUT = os.path.join(os.path.dirname(__file__), "..", "out", "paper")
PARTS = [("low", "1 round"), ("one", "1 round"), ("five", "5 rounds")]
CLASSES = {"digits": 10, "fmnist_effnet128": 10, "wordnet_nouns": 10, "fmnist_pixels_pca50": 10}

def rows(path):
    with open(path) as f:
        return list(csv.DictReader(f))

def main():
    datasets = sys.argv[1:] or ["digits", "fmnist_effnet128", "wordnet_nouns", "fmnist_pixels_pca50"]
    print("| data | budget | strategy | ACC | NMI | ARI | ACC − random | pos / neg |")
    print("|---|---|---|---|---|---|---|---|")
    for data in datasets:
        for part, label in PARTS:
            path = os.path.join(OUT, f"strategies_{data}_{part}.csv")
            if not os.path.exists(path):
                continue
            table = [r for r in rows(path) if r["method"] == "idc"]
            rerun = path.replace(".csv", "_rerun.csv")
            if os.path.exists(rerun):
                new = [r for r in rows(rerun) if r["method"] == "idc"]
                names = {r["strategy"] for r in new}
                table = [r for r in table if r["strategy"] not in names] + new
            order = []
            for r in table:
                if r["strategy"] not in order:
                    order.append(r["strategy"])
            stats = {}
            for s in order:
                g = [r for r in table if r["strategy"] == s]
                def ms(k):
                    xs = [100 * float(r[k]) for r in g]
                    return statistics.mean(xs), statistics.pstdev(xs)
                stats[s] = (ms("acc"), ms("nmi"), ms("ari"), len(g),
                            statistics.mean(int(r["positives"]) for r in g), statistics.mean(int(r["negatives"]) for r in g))
            best = {k: max(stats[s][k][0] for s in order) for k in range(3)}
            rnd = stats.get("random", ((None, 0),))[0][0]
            m = table[0]["m"]
            for i, s in enumerate(order):
                cells = []
                for k in range(3):
                    mean, sd = stats[s][k]
                    cell = f"{mean:.1f} ± {sd:.1f}"
                    cells.append(f"**{cell}**" if mean == best[k] else cell)
                gap = "" if s == "random" or rnd is None else f"{stats[s][0][0] - rnd:+.1f}"
                head = f"{data}" if part == "low" and i == 0 else ""
                per = f" ({int(m) // CLASSES[data]} per class)" if part == "low" and data in CLASSES else ""
                budget = f"M = {m}{per}, {label}" if i == 0 else ""
                print(f"| {head} | {budget} | {s} | {' | '.join(cells)} | {gap} | {stats[s][4]:.0f} / {stats[s][5]:.0f} |")

if __name__ == "__main__":
    main()
