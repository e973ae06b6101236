# Training that never harms at many clusters: a seeded mixture of 100 groups, 20 000 × 128,
# made first by (from the repository root):
#   python3 scripts/make-mixture.py --n 20000 --d 128 --k 100 --seed 0 --out out/mixture-20k-128-100
# then: idc examples/paper/noharm_mixture_k100.idc. As noharm_digits.idc otherwise; writes
# out/paper/noharm_mixture_k100.csv.
set outdir="out/paper"
load "out/mixture-20k-128-100/features.npy" labels="out/mixture-20k-128-100/labels.npy"
t = sweep m=[5, 10, 20, 50, 500] strategies=[hard+rep+div, random] seeds=[0, 1, 2] rounds=[1, 5] baselines=true
export t to="noharm_mixture_k100.csv"
