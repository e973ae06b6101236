# Fig. 4 analogue: ACC against M for value-based (hard+rep+div) and random selection, fmnist_effnet128.
define shared "../shared/data"
set outdir="out/paper"
load "$shared/fmnist_effnet128.json"
budget = sweep m=[50, 100, 200, 500, 1000] strategies=[hard+rep+div, random] seeds=[0, 1, 2] recipe=paper
export budget to="fig4_fmnist_effnet128.csv"
