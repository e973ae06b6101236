#!/usr/bin/env bash
# Numeric-core speed on fmnist_effnet128 (70000 × 128): idc against what users
# would otherwise run, in one run on the same data — kNN K=20 (scikit-learn
# brute force, faiss-cpu), k-means k=10 n_init=10 (scikit-learn), scores +
# selection M=500 (numpy). Runs alternate idc / Python (RUNS each, default 3);
# prints the medians, ratios, and the SGEMM-bound time of the kNN
# (2·N²·D flops at this machine's SGEMM rate, measured here too).
#
# usage: scripts/bench-core.sh [RUNS]      env: IDC_DATA (default ../shared/data)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${1:-3}
DATA=${IDC_DATA:-$ROOT/../shared/data}
FEATURES=$DATA/fmnist_effnet128.features.npy
[ -f "$FEATURES" ] || { echo "bench-core: missing $FEATURES (set IDC_DATA)" >&2; exit 1; }
VENV=$ROOT/.bench-venv
PY=$VENV/bin/python
[ -x "$PY" ] || python3 -m venv "$VENV"
"$PY" -c "import numpy, sklearn" 2>/dev/null || "$PY" -m pip install -q numpy scikit-learn
"$PY" -c "import faiss" 2>/dev/null || "$PY" -m pip install -q faiss-cpu || echo "bench-core: faiss-cpu did not install; skipping it" >&2
build() { if command -v flock >/dev/null; then flock /tmp/idc-build.lock "$@"; else "$@"; fi; }
(cd "$ROOT" && build swift build -c release --product idc >&2)
IDC=$ROOT/.build/release/idc
LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT

"$IDC" bench sgemm --features "$FEATURES" --repeat 3 | sed 's/^{/{"tool": "idc", /' >> "$LOG"
for op in knn kmeans select; do
  for run in $(seq 1 "$RUNS"); do
    "$IDC" bench "$op" --features "$FEATURES" --repeat 1 | sed 's/^{/{"tool": "idc", /' | tee -a "$LOG" >&2
    "$PY" "$ROOT/scripts/bench/core_baselines.py" "$op" "$FEATURES" 1 | tee -a "$LOG" >&2
  done
done

"$PY" - "$LOG" <<'PYEOF'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
def med(op, tool, key="seconds"):
    xs = [float(r[key]) for r in rows if r["op"] == op and r["tool"] == tool and key in r]
    return statistics.median(xs) if xs else None
gflops = med("sgemm", "idc", "gflops")
n, d = 70000, 128
bound = 2 * n * n * d / (gflops * 1e9)
print(f"\nSGEMM rate (median of 3): {gflops:.1f} GFLOP/s → SGEMM-bound kNN time (2·N²·D): {bound:.2f} s\n")
print("| operation | idc (s) | baseline | baseline (s) | baseline / idc |")
print("|---|---|---|---|---|")
for op, label in (("knn", "kNN K=20"), ("kmeans", "k-means k=10, n_init=10"), ("select", "scores + selection M=500")):
    key = "scores_select_seconds" if op == "select" else "seconds"
    i = med(op, "idc", key)
    for tool in sorted({r["tool"] for r in rows if r["op"] == op and r["tool"] != "idc"}):
        b = med(op, tool)
        print(f"| {label} | {i:.2f} | {tool} | {b:.2f} | {b / i:.2f}× |")
i = med("knn", "idc")
print(f"\nkNN: idc {i:.2f} s = {i / bound:.2f}× the SGEMM-bound time (target ≤ 2×; the symmetric product does half the flops)")
objs = [float(r["objective"]) for r in rows if r["op"] == "kmeans" and r["tool"] == "idc"]
sk = [float(r["objective"]) for r in rows if r["op"] == "kmeans" and r["tool"] == "scikit-learn"]
if objs and sk:
    print(f"k-means objective Σ(1−cos): idc median {statistics.median(objs):.1f}, scikit-learn median {statistics.median(sk):.1f}")
PYEOF
