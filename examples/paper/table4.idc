# Table 4 analogue: the seven loss combinations, full selection, M = 500, fmnist_effnet128.
define shared "../shared/data"
set outdir="out/paper"
load "$shared/fmnist_effnet128.json"
losses = sweep m=[500] losses=[pos, neg, reg, pos+neg, pos+reg, neg+reg, pos+neg+reg] seeds=[0, 1, 2] baselines=true recipe=paper
export losses to="table4_fmnist_effnet128.csv"
