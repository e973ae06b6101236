# Selection strategies side by side on wordnet_nouns (README "Selection strategies of the field").
# Same features, pre-trained k-means, head, T = 5 question, matching oracle and training for
# every strategy; only the selection differs. Seeds 0, 1, 2; mean ± std. Budgets: 2 answers
# per class in one round (M = 20), M = 500 in one round, and M = 500 in 5 rounds (later rounds:
# IDC's hardness from the head's margin). One script per data set, so the grid runs in parts.
# Needs the shared data sets: idc examples/paper/strategies_wordnet_nouns.idc  (from the repository root).
# Writes out/paper/strategies_wordnet_nouns_{low,one,five}.csv; scripts/strategy-table.py makes the
# README table from them.
define shared "../shared/data"
define all ["random", "hard+rep+div", "typiclust", "probcover", "maxherding", "coreset", "margin", "entropy", "badge", "dropquery", "idc+herding"]
set outdir="out/paper"
load "$shared/wordnet_nouns.json"

# %% low budget, one round
low = sweep m=[20] strategies=$all seeds=[0, 1, 2] recipe=paper
export low to="strategies_wordnet_nouns_low.csv"

# %% M = 500, one round
one = sweep m=[500] strategies=$all seeds=[0, 1, 2] recipe=paper
export one to="strategies_wordnet_nouns_one.csv"

# %% M = 500, five rounds
five = sweep m=[500] strategies=$all seeds=[0, 1, 2] rounds=[5] recipe=paper
export five to="strategies_wordnet_nouns_five.csv"
