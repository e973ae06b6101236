#!/usr/bin/env bash
# The one benchmark: idc against what users would otherwise run — numpy's
# SGEMM, faiss-cpu and scikit-learn (kNN, k-means), numpy (scores + selection),
# PyTorch CPU (head training), openTSNE Barnes–Hut and FFT (t-SNE at
# N = 1 000 … 20 000, and 70 000 once), and CPU ports of the authors' code for
# every selection strategy (TypiClust, ProbCover, herding, k-center, margin,
# entropy, BADGE, DropQuery, random; scripts/bench/strategy_peers.py) —
# alternately in one run on the shared data, with the same thread count.
# Prints the CPU model, idc's BLAS core (and how it was chosen) and numpy's
# at the top, then one markdown table of medians
# and ratios with each target and whether it is met; writes it and every
# sample as JSON to OUTDIR (bench.md, bench.json).
#
# Builds idc (release) first unless IDC_BIN names a binary, and installs the
# peers into .bench-venv with plain `pip install`. Never sets
# OPENBLAS_CORETYPE for idc "as shipped"; forces each core only for the
# per-core SGEMM rows.
#
# usage: scripts/bench.sh [RUNS]                 (default 3; ~40 minutes on 2 cores
#                                                 without the strategies step)
# env:   IDC_DATA      data folder (default ../shared/data next to the repo)
#        BENCH_THREADS threads for everyone (default 2)
#        BENCH_OUT     output folder (default bench-results)
#        BENCH_STEPS   subset of sgemm,knn,kmeans,select,train,tsne,strategies,scale
#                      (scale is not in the default set: about an hour, seeded mixtures of
#                      up to 10^6 x 512 made under SCALE_DIR by scripts/make-mixture.py)
#        SCALE_SETS    effnet,mix-100k-512,mix-1M-128,mix-1M-512 (default all);  SCALE_DIR  default scale-data
#        TSNE_SIZES    default 1000,2500,5000,10000,20000;  RUNS_70K  default 1 (0: skip)
#        BENCH_STRATEGIES  subset of typiclust,probcover,maxherding,coreset,margin,
#                      entropy,badge,dropquery,idc+herding,random (default all)
#        HERDING_PEER_RUNS  runs in which the herding peers (maxherding, idc+herding:
#                      the authors' plain greedy, tens of minutes on 2 cores) run; default 1
#        HERDING_PEER_PICKS  greedy steps those peers run, their time scaled to M
#                      (each step is the same full-kernel pass); default 25, 0: all M
#        STRATEGY_ROWS, STRATEGY_M  the strategies step on the first N rows with
#                      budget M (default all 70 000 and 500; smaller for a quick check)
#        IDC_BIN       an idc binary to benchmark instead of building one
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${1:-3}
THREADS=${BENCH_THREADS:-2}
DATA=${IDC_DATA:-$ROOT/../shared/data}
OUT=${BENCH_OUT:-$ROOT/bench-results}
STEPS=${BENCH_STEPS:-sgemm,knn,kmeans,select,train,tsne,strategies}
STRATEGIES=${BENCH_STRATEGIES:-typiclust,probcover,maxherding,coreset,margin,entropy,badge,dropquery,idc+herding,random}
[ -f "$DATA/fmnist_effnet128.features.npy" ] || { echo "bench: missing $DATA/fmnist_effnet128.features.npy (set IDC_DATA)" >&2; exit 1; }

VENV=$ROOT/.bench-venv
PY=$VENV/bin/python
[ -x "$PY" ] || python3 -m venv "$VENV"
for pkg in numpy scikit-learn faiss-cpu openTSNE threadpoolctl torch pandas pynndescent; do
  module=$(case $pkg in scikit-learn) echo sklearn;; faiss-cpu) echo faiss;; openTSNE) echo openTSNE;; *) echo "$pkg";; esac)
  "$PY" -c "import $module" 2>/dev/null || { echo "bench: pip install $pkg" >&2; "$PY" -m pip install -q "$pkg"; }
done

if [ -n "${IDC_BIN:-}" ]; then
  IDC=$(cd "$(dirname "$IDC_BIN")" && pwd)/$(basename "$IDC_BIN")
  [ -x "$IDC" ] || { echo "bench: IDC_BIN=$IDC_BIN is not an executable" >&2; exit 1; }
else
  # One Swift build at a time on a shared machine.
  build() { if command -v flock >/dev/null; then flock /tmp/idc-build.lock "$@"; else "$@"; fi; }
  (cd "$ROOT" && build swift build -c release --product idc >&2)
  IDC=$ROOT/.build/release/idc
fi

export OMP_NUM_THREADS=$THREADS OPENBLAS_NUM_THREADS=$THREADS MKL_NUM_THREADS=$THREADS
"$PY" "$ROOT/scripts/bench/run_all.py" "$IDC" "$DATA" "$OUT" --runs "$RUNS" --threads "$THREADS" \
  --steps "$STEPS" --tsne-sizes "${TSNE_SIZES:-1000,2500,5000,10000,20000}" --tsne-70k "${RUNS_70K:-1}" \
  --scale-sets "${SCALE_SETS:-effnet,mix-100k-512,mix-1M-128,mix-1M-512}" --scale-dir "${SCALE_DIR:-$ROOT/scale-data}" \
  --strategies "$STRATEGIES" --herding-peer-runs "${HERDING_PEER_RUNS:-1}" --herding-peer-picks "${HERDING_PEER_PICKS:-25}" --strategy-m "${STRATEGY_M:-500}" \
  ${STRATEGY_ROWS:+--strategy-rows "$STRATEGY_ROWS"}
echo "bench: wrote $OUT/bench.md and $OUT/bench.json" >&2
