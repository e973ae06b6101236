# Table 3 analogue: ACC/NMI/ARI for none, †, Cop-Kmeans and IDC with random,
# hard, hard+rep and hard+rep+div selection; T = 5, matching oracle, seeds 0, 1, 2.
# Needs the shared data sets: idc examples/paper/table3.idc  (from the repository root)
define shared "../shared/data"
set outdir="out/paper"

load "$shared/digits.json"
digits = sweep m=[100] strategies=[hard+rep+div, hard+rep, hard, random] seeds=[0, 1, 2] baselines=true recipe=paper
export digits to="table3_digits.csv"

load "$shared/fmnist_effnet128.json"
fmnist = sweep m=[500] strategies=[hard+rep+div, hard+rep, hard, random] seeds=[0, 1, 2] baselines=true recipe=paper
export fmnist to="table3_fmnist_effnet128.csv"

load "$shared/wordnet_nouns.json"
wordnet = sweep m=[500] strategies=[hard+rep+div, hard+rep, hard, random] seeds=[0, 1, 2] baselines=true recipe=paper
export wordnet to="table3_wordnet_nouns.csv"
