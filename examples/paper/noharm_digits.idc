# Training that never harms (README "Training that never harms"; docs/method.md §13) on digits.
# The default recipe (safe) against k-means ("none"): M = 5, 10, 20, 50 and 500 answers, the
# paper's selection and random, in one round and in 5 rounds, T = 5, matching oracle, seeds
# 0, 1, 2. Needs the shared data sets: idc examples/paper/noharm_digits.idc (from the repository
# root). Writes out/paper/noharm_digits.csv; scripts/noharm-table.py makes the README table.
define shared "../shared/data"
set outdir="out/paper"
load "$shared/digits.json"
t = sweep m=[5, 10, 20, 50, 500] strategies=[hard+rep+div, random] seeds=[0, 1, 2] rounds=[1, 5] baselines=true
export t to="noharm_digits.csv"
