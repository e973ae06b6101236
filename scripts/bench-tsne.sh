#!/usr/bin/env bash
# t-SNE speed and quality: idc (`idc bench tsne`, IDCCore's TSNE) against openTSNE with the same settings — perplexity 30, early
# exaggeration 12 for 250 iterations then 500, learning rate "auto", PCA
# initialisation, 2 threads — on digits (idc: exact gradients, openTSNE:
# Barnes–Hut, each one's default below 2 000 points) and on the first 20 000
# and all 70 000 rows of fmnist_effnet128 (both FFT-interpolated gradients), and
# (set mix100k, not in the default list) a seeded 100 000 × 512 mixture of 200
# groups made by scripts/make-mixture.py under scale-data/.
# Runs alternate idc / openTSNE so background load hits both alike. Both
# embeddings are then scored in Python by the same code: KL divergence against
# the same exact-kNN affinities with an exact Z, and 10-NN preservation.
# Prints a markdown table (median times, KL, ratios).
#
# usage: scripts/bench-tsne.sh [RUNS]        RUNS timed runs per data set (default 3)
# env:   IDC_DATA        data folder (default ../shared/data next to the repo)
#        BENCH_THREADS   threads for both (default 2)
#        RUNS_70K        runs on 70 000 rows (default 1)
#        TSNE_SETS       subset of "digits fmnist20k fmnist70k mix100k"
#        IDC_BIN         an idc already built (default: build .build/release/idc)
#        WRITE_REFERENCE=1  also rewrite scripts/bench/opentsne-reference.json, the
#                        fixture of the digits parity test in Tests/IDCCoreTests/TSNETests.swift
# Needs python3 with venv; installs openTSNE and numpy into .bench-venv on first
# use (torch, when present, only speeds up the scoring).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${1:-3}
RUNS_70K=${RUNS_70K:-1}
THREADS=${BENCH_THREADS:-2}
DATA=${IDC_DATA:-$ROOT/../shared/data}
SETS=${TSNE_SETS:-digits fmnist20k fmnist70k}
VENV=$ROOT/.bench-venv
PY=$VENV/bin/python
HELPER=$ROOT/scripts/bench/bench_tsne.py
COMMAND="scripts/bench-tsne.sh $RUNS (RUNS_70K=$RUNS_70K, BENCH_THREADS=$THREADS, TSNE_SETS='$SETS')"

if [ ! -x "$PY" ]; then
  python3 -m venv "$VENV"
fi
if ! "$PY" -c "import openTSNE, numpy" 2>/dev/null; then
  echo "bench-tsne: installing openTSNE and numpy into $VENV" >&2
  "$PY" -m pip install -q --upgrade pip
  "$PY" -m pip install -q openTSNE numpy
fi

# One Swift build at a time on a shared machine.
build() {
  if command -v flock >/dev/null; then flock /tmp/idc-build.lock "$@"; else "$@"; fi
}
if [ -n "${IDC_BIN:-}" ]; then
  IDC=$IDC_BIN
else
  (cd "$ROOT" && build swift build -c release --product idc >&2)
  IDC=$ROOT/.build/release/idc
fi

export OMP_NUM_THREADS=$THREADS OPENBLAS_NUM_THREADS=$THREADS MKL_NUM_THREADS=$THREADS
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
LOG=$WORK/log.jsonl

for set in $SETS; do
  case $set in
    digits) features=$DATA/digits.features.npy; rows=1797; method=bh; runs=$RUNS ;;
    fmnist20k) features=$DATA/fmnist_effnet128.features.npy; rows=20000; method=fft; runs=$RUNS ;;
    fmnist70k) features=$DATA/fmnist_effnet128.features.npy; rows=70000; method=fft; runs=$RUNS_70K ;;
    mix100k) features=$ROOT/scale-data/mix-100k-512/features.npy; rows=100000; method=fft; runs=$RUNS_70K
      [ -f "$features" ] || python3 "$ROOT/scripts/make-mixture.py" --n 100000 --d 512 --k 200 --seed 0 \
        --out "$ROOT/scale-data/mix-100k-512" >&2 ;;
    *) echo "bench-tsne: unknown set $set" >&2; exit 1 ;;
  esac
  [ -f "$features" ] || { echo "bench-tsne: missing $features (set IDC_DATA)" >&2; exit 1; }
  for run in $(seq 1 "$runs"); do
    out=$("$IDC" bench tsne --features "$features" --rows "$rows" --repeat 1 --output "$WORK/idc_$set.npy")
    seconds=$("$PY" -c 'import json,sys; print(json.loads(sys.argv[1])["seconds"])' "$out")
    idc_method=$([ "$rows" -le 2000 ] && echo exact || echo fft)
    echo "{\"set\": \"$set\", \"tool\": \"idc\", \"rows\": $rows, \"method\": \"$idc_method\", \"seconds\": $seconds}" >>"$LOG"
    echo "bench-tsne: $set run $run idc ${seconds}s" >&2
    out=$("$PY" "$HELPER" opentsne "$features" "$rows" "$WORK/ot_$set.npy" --threads "$THREADS" --method "$method")
    seconds=$("$PY" -c 'import json,sys; print(json.loads(sys.argv[1])["seconds"])' "$out")
    echo "{\"set\": \"$set\", \"tool\": \"opentsne\", \"rows\": $rows, \"method\": \"$method\", \"seconds\": $seconds}" >>"$LOG"
    echo "bench-tsne: $set run $run openTSNE ${seconds}s" >&2
  done
  "$PY" "$HELPER" evaluate "$features" "$rows" "$set" "idc=$WORK/idc_$set.npy" "opentsne=$WORK/ot_$set.npy" >>"$LOG"
done

if [ "${WRITE_REFERENCE:-0}" = 1 ]; then
  "$PY" "$HELPER" report "$LOG" --reference "$ROOT/scripts/bench/opentsne-reference.json" --command "$COMMAND"
else
  "$PY" "$HELPER" report "$LOG"
fi
