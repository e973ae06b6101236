#!/usr/bin/env bash
# Head-training speed: idc (IDCCore's HeadTrainer) against PyTorch CPU doing
# the same work on fmnist_effnet128 (N = 70000, D = 128, hidden 512, C = 10):
# the initial fit (2000 Adam steps of 500) and 100 finetuning epochs at
# M = 500 (5 steps per epoch, each 100 queried + 500 confident rows, one
# forward/backward, class-balanced L_pos and L_reg, L_neg, Adam with weight
# decay). Runs alternate idc / torch (RUNS each, default 3) so background load
# hits both alike; prints every run, the medians and torch/idc ratios. Also
# times idc's Cop-Kmeans on the same answers.
#
# usage: scripts/bench-train.sh [RUNS]
# env:   IDC_DATA (default ../shared/data next to the repo), BENCH_THREADS
#        (default 2: OpenBLAS threads for idc, torch.set_num_threads).
#        Needs python3 with venv; installs torch (CPU) and numpy into
#        .bench-venv on first use.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${1:-3}
THREADS=${BENCH_THREADS:-2}
DATA=${IDC_DATA:-$ROOT/../shared/data}
FEATURES=$DATA/fmnist_effnet128.features.npy
LABELS=$DATA/fmnist_effnet128.labels.npy
VENV=$ROOT/.bench-venv
PY=$VENV/bin/python

for f in "$FEATURES" "$LABELS"; do
  [ -f "$f" ] || { echo "bench-train: missing $f (set IDC_DATA)" >&2; exit 1; }
done

if [ ! -x "$PY" ]; then
  python3 -m venv "$VENV"
fi
if ! "$PY" -c "import torch, numpy" 2>/dev/null; then
  echo "bench-train: installing torch (CPU) and numpy into $VENV" >&2
  "$PY" -m pip install -q --upgrade pip
  "$PY" -m pip install -q torch --index-url https://download.pytorch.org/whl/cpu \
    || "$PY" -m pip install -q torch
  "$PY" -m pip install -q numpy
fi

# One Swift build at a time on a shared machine.
build() {
  if command -v flock >/dev/null; then flock /tmp/idc-build.lock "$@"; else "$@"; fi
}
(cd "$ROOT" && build swift build -c release --product idc >&2)
BIN=$ROOT/.build/release/idc

LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT
for run in $(seq 1 "$RUNS"); do
  OPENBLAS_NUM_THREADS=$THREADS "$BIN" bench train --features "$FEATURES" --labels "$LABELS" --repeat 1 \
    | "$PY" -c "import json,sys; r=json.loads(sys.stdin.readline()); print(f\"idc run $run: init {float(r['init_seconds']):.3f} s, finetune {float(r['finetune_seconds']):.3f} s ({r['steps']} steps), cop-kmeans {float(r['copkmeans_seconds']):.3f} s\")" \
    | tee -a "$LOG"
  OMP_NUM_THREADS=$THREADS MKL_NUM_THREADS=$THREADS \
    "$PY" "$ROOT/scripts/bench/bench_train_torch.py" "$FEATURES" "$LABELS" --runs 1 --threads "$THREADS" \
    | sed "s/run 1:/run $run:/" | tee -a "$LOG"
done

"$PY" - "$LOG" <<'EOF'
import re, statistics, sys
runs = {"idc": {"init": [], "finetune": [], "cop": []}, "torch": {"init": [], "finetune": []}}
for line in open(sys.argv[1]):
    m = re.match(r"(idc|torch) run \d+: init ([\d.]+) s.*finetune ([\d.]+) s", line)
    if not m:
        continue
    runs[m[1]]["init"].append(float(m[2]))
    runs[m[1]]["finetune"].append(float(m[3]))
    c = re.search(r"cop-kmeans ([\d.]+) s", line)
    if c:
        runs["idc"]["cop"].append(float(c[1]))
med = {k: {p: statistics.median(v) for p, v in d.items() if v} for k, d in runs.items()}
print()
print("median seconds        idc     torch   torch/idc")
for phase, label in (("finetune", "finetune 100 epochs"), ("init", "initial fit 2000 st")):
    i, t = med["idc"][phase], med["torch"][phase]
    print(f"{label:20s} {i:7.3f}  {t:8.3f}   {t / i:6.2f}x")
print(f"cop-kmeans (idc)     {med['idc']['cop']:7.3f}")
EOF
