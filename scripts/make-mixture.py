#!/usr/bin/env python3
"""A seeded Gaussian mixture with many groups, written as features.npy + labels.npy.

The many-cluster data sets of issues 17 and 19 (e.g. 100 000 x 512 in 200 groups,
1 000 000 x 128 in 100 groups) are made by this script, never committed:

    python3 scripts/make-mixture.py --n 100000 --d 512 --k 200 --seed 0 --out out/mix-100k-512-200

Group centres are independent N(0, I_d / d) vectors (norm about 1, pairwise
distance about sqrt 2); a sample is its centre plus N(0, spread^2 I_d / d) noise,
so `spread` is the noise norm relative to a centre's norm. Group sizes are
uneven (proportional to exp(N(0, 0.3^2))), and rows are shuffled. Rows are
written in blocks of 65 536, so 10^6 x 512 needs little more memory than one
block. The same arguments give the same bytes (numpy's PCG64 with `--seed`).

Loads in idc as `load <out>/features.npy labels=<out>/labels.npy`.
"""
import argparse
import os
import sys

import numpy as np


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, required=True, help="samples")
    parser.add_argument("--d", type=int, required=True, help="feature dimension")
    parser.add_argument("--k", type=int, required=True, help="groups")
    parser.add_argument("--spread", type=float, default=0.6, help="noise norm / centre norm (default 0.6)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", required=True, help="directory for features.npy and labels.npy")
    args = parser.parse_args()
    if args.n < args.k or args.k < 1 or args.d < 1 or args.spread < 0:
        print("make-mixture: need n >= k >= 1, d >= 1, spread >= 0", file=sys.stderr)
        return 2

    rng = np.random.default_rng(args.seed)
    centres = rng.standard_normal((args.k, args.d)).astype(np.float32) / np.sqrt(args.d)
    weights = np.exp(0.3 * rng.standard_normal(args.k))
    weights /= weights.sum()
    # Every group gets at least one sample; the rest follow the weights.
    counts = 1 + rng.multinomial(args.n - args.k, weights)
    labels = np.repeat(np.arange(args.k, dtype=np.int64), counts)
    rng.shuffle(labels)

    os.makedirs(args.out, exist_ok=True)
    np.save(os.path.join(args.out, "labels.npy"), labels)
    path = os.path.join(args.out, "features.npy")
    features = np.lib.format.open_memmap(path, mode="w+", dtype=np.float32, shape=(args.n, args.d))
    block = 65536
    noise_scale = np.float32(args.spread / np.sqrt(args.d))
    for start in range(0, args.n, block):
        stop = min(start + block, args.n)
        noise = rng.standard_normal((stop - start, args.d), dtype=np.float32)
        features[start:stop] = centres[labels[start:stop]] + noise_scale * noise
    features.flush()
    del features
    print(f"wrote {args.out}: {args.n} x {args.d}, {args.k} groups, sizes {counts.min()}..{counts.max()}, "
          f"spread {args.spread}, seed {args.seed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
