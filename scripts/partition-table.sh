#!/usr/bin/env bash
# The person's own partition (issue 18): final ACC / NMI / ARI after 5 rounds of a simulated
# person with its own criterion (rounds oracle=criterion), and of the same person allowed to
# start new clusters and merge (oracle=partition, each merge paid with one answer), from
# k-means with k = C − 3, C + 5 and C, 3 seeds; then the coarse criterion on fmnist_effnet128
# (5 groups, k = 10). Writes one CSV line per run and prints mean ± std per cell.
#
#   scripts/partition-table.sh [OUT.csv]        (IDC_BIN, IDC_DATA, SETS, SEEDS override; IDC_DATA is the shared data directory)
#
# Sets whose files are not found are skipped. Python (numpy) only writes the coarse labels.
set -euo pipefail
cd "$(dirname "$0")/.."
IDC=${IDC_BIN:-.build/release/idc}
DATA=${IDC_DATA:-../shared/data}
OUT=${1:-partition-table.csv}
SETS=${SETS:-digits fmnist_effnet128 wordnet_nouns}
SEEDS=${SEEDS:-0 1 2}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
echo "set,criterion,k,oracle,seed,acc,nmi,ari,answers,merges,new_clusters" > "$OUT"

run() {  # set labels-file criterion k oracle seed m
  local set=$1 labels=$2 criterion=$3 k=$4 oracle=$5 seed=$6 m=$7
  local load="load $set"
  [ -n "$labels" ] && load="load features=\"$DATA/$set.features.npy\" labels=\"$labels\""
  printf '%s\nkmeans k=%s seed=%s\nrounds m=%s r=5 oracle=%s seed=%s\neval\n' "$load" "$k" "$seed" "$m" "$oracle" "$seed" > "$WORK/run.idc"
  local log
  log=$(IDC_DATA_DIR="$DATA" "$IDC" "$WORK/run.idc" 2>&1) || { echo "$log" >&2; exit 1; }
  local last acc nmi ari answers merges new
  last=$(grep -E '^ACC ' <<<"$log" | tail -1)
  acc=$(awk '{print $2}' <<<"$last"); nmi=$(awk '{print $4}' <<<"$last"); ari=$(awk '{print $6}' <<<"$last")
  answers=$(grep -oE 'rounds on [0-9]+ answers' <<<"$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
  merges=$(grep -cE '^round [0-9]+: merge' <<<"$log" || true)
  new=$(grep -cE '^round [0-9]+: new cluster' <<<"$log" || true)
  echo "$set,$criterion,$k,$oracle,$seed,$acc,$nmi,$ari,$answers,$merges,$new" | tee -a "$OUT"
}

for set in $SETS; do
  if [ "$set" != digits ] && [ ! -f "$DATA/$set.features.npy" ]; then echo "skip $set: $DATA/$set.features.npy not found"; continue; fi
  m=500; [ "$set" = digits ] && m=100
  for k in 7 15 10; do
    for seed in $SEEDS; do
      for oracle in criterion partition; do run "$set" "" classes "$k" "$oracle" "$seed" "$m"; done
    done
  done
done

# The coarse criterion: fmnist's 10 classes as 5 groups (tops, trousers, dresses, footwear, bags).
if [ -f "$DATA/fmnist_effnet128.labels.npy" ] && [[ " $SETS " == *" fmnist_effnet128 "* ]]; then
  python3 - "$DATA/fmnist_effnet128.labels.npy" "$WORK/groups.npy" <<'PY'
import sys, numpy as np
groups = np.array([0, 1, 0, 2, 0, 3, 0, 3, 4, 3])  # T-shirt, trouser, pullover, dress, coat, sandal, shirt, sneaker, bag, boot
np.save(sys.argv[2], groups[np.load(sys.argv[1])].astype(np.int64))
PY
  for seed in $SEEDS; do
    for oracle in criterion partition; do run fmnist_effnet128 "$WORK/groups.npy" groups5 10 "$oracle" "$seed" 500; done
  done
fi

echo
echo "mean ± std over seeds (ACC / NMI / ARI):"
awk -F, 'NR > 1 { key = $1 "," $2 "," $3 "," $4; n[key]++; for (j = 6; j <= 8; j++) { s[key, j] += $j; q[key, j] += $j * $j }; a[key] += $9; mg[key] += $10; nc[key] += $11 }
  END { for (key in n) { line = key; for (j = 6; j <= 8; j++) { m = s[key, j] / n[key]; v = q[key, j] / n[key] - m * m; line = line sprintf(",%.1f ± %.1f", m, sqrt(v > 0 ? v * (n[key] / (n[key] > 1 ? n[key] - 1 : 1)) : 0)) }
    printf "%s,answers %.0f,merges %.1f,new %.1f\n", line, a[key] / n[key], mg[key] / n[key], nc[key] / n[key] } }' "$OUT" | sort
