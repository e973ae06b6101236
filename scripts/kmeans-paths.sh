#!/bin/bash
# k-means with the Lloyd step's two products — one SGEMM per block of rows (`--lloyd blas`) and
# idc's small kernel (`--lloyd small`, the default at k ≤ 64) — on the shared data sets, seeds
# 0..4: how many samples the two assignments differ in, both objectives and both times.
# On an OpenBLAS core that sums K as the small kernel does (Cooperlake, SkylakeX) they differ in
# none. Usage: IDC_BIN=.build/release/idc scripts/kmeans-paths.sh [data dir]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
IDC=${IDC_BIN:-$ROOT/.build/release/idc}
DATA=${1:-${IDC_DATA_DIR:-$ROOT/../shared/data}}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
echo "data seed differing_samples objective_blas objective_small seconds_blas seconds_small"
for set in digits fmnist_effnet128 fmnist_pixels_pca50 wordnet_nouns; do
  [ -f "$DATA/$set.features.npy" ] || { echo "$set: not found in $DATA, skipped" >&2; continue; }
  for seed in 0 1 2 3 4; do
    for path in blas small; do
      "$IDC" bench kmeans --features "$DATA/$set.features.npy" --k 10 --repeat 1 --seed $seed --lloyd $path \
        --output "$TMP/$path.npy" > "$TMP/$path.json"
    done
    python3 - "$set" "$seed" "$TMP" <<'PY'
import json, sys
import numpy as np
name, seed, tmp = sys.argv[1:]
a, b = np.load(f"{tmp}/blas.npy"), np.load(f"{tmp}/small.npy")
ja, jb = (json.load(open(f"{tmp}/{p}.json")) for p in ("blas", "small"))
print(name, seed, int((a != b).sum()), ja["objective"], jb["objective"], f"{ja['seconds']:.2f}", f"{jb['seconds']:.2f}")
PY
  done
done
