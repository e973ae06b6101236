# The paper's pictures for fmnist_effnet128, written to out/figures/:
#   fig3_map.png      — the t-SNE map with the 500 selected samples in red (Fig. 3)
#   fig3_compare.png  — hard, hard+rep, hard+rep+div and random on one map (Fig. 3)
#   fig4_curve.png    — ACC against the budget M, value-based vs random (Fig. 4)
# Usage (from the repository root): idc examples/figures.idc
# The t-SNE of 70 000 points and the sweep take a few minutes on 2 cores.
define data "../shared/data/fmnist_effnet128.json"
set outdir="out/figures"

# %% the pre-trained model and the selection
load "$data"
kmeans seed=0
sel = select m=500 strategy=hard+rep+div

# %% Fig. 3: where the selected samples sit
emb = tsne seed=0
plot tsne embedding=emb highlight=sel to="fig3_map.png"
plot tsne embedding=emb highlight=sel to="fig3_map_small.png" size=800x560
plot compare embedding=emb m=500 to="fig3_compare.png"

# %% Fig. 4: accuracy against the budget
curve = sweep m=[50, 100, 200, 500, 1000] strategies=[hard+rep+div, random] seeds=[0, 1, 2] recipe=paper
plot curve table=curve to="fig4_curve.png"
export curve to="fig4_curve.csv"
