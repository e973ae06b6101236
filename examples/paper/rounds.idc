# Interaction in rounds (beyond the paper): random selection in 1, 2 and 5 rounds (the twin of
# every IDC row: equal answers, rounds and training), the paper's full IDC in one round, full
# IDC with the budget spent in 2 and 5 rounds, and the best variant found — 5 rounds with
# hardness from the head's softmax margin. T = 5, matching oracle, seeds 0, 1, 2;
# M = 100 on digits, 500 elsewhere.
# Needs the shared data sets: idc examples/paper/rounds.idc  (from the repository root).
# Writes out/paper/rounds_<data>_{random,idc,margin}.csv; the README table is made from them.
define shared "../shared/data"
set outdir="out/paper"

# %% digits
load "$shared/digits.json"
random = sweep m=[100] strategies=[random] seeds=[0, 1, 2] rounds=[1, 2, 5] recipe=paper
export random to="rounds_digits_random.csv"
idc = sweep m=[100] strategies=[hard+rep+div] seeds=[0, 1, 2] rounds=[1, 2, 5] hardness=distance recipe=paper
export idc to="rounds_digits_idc.csv"
margin = sweep m=[100] strategies=[hard+rep+div] seeds=[0, 1, 2] rounds=[5] hardness=margin recipe=paper
export margin to="rounds_digits_margin.csv"

# %% fmnist_effnet128
load "$shared/fmnist_effnet128.json"
random = sweep m=[500] strategies=[random] seeds=[0, 1, 2] rounds=[1, 2, 5] recipe=paper
export random to="rounds_fmnist_effnet128_random.csv"
idc = sweep m=[500] strategies=[hard+rep+div] seeds=[0, 1, 2] rounds=[1, 2, 5] hardness=distance recipe=paper
export idc to="rounds_fmnist_effnet128_idc.csv"
margin = sweep m=[500] strategies=[hard+rep+div] seeds=[0, 1, 2] rounds=[5] hardness=margin recipe=paper
export margin to="rounds_fmnist_effnet128_margin.csv"

# %% wordnet_nouns
load "$shared/wordnet_nouns.json"
random = sweep m=[500] strategies=[random] seeds=[0, 1, 2] rounds=[1, 2, 5] recipe=paper
export random to="rounds_wordnet_nouns_random.csv"
idc = sweep m=[500] strategies=[hard+rep+div] seeds=[0, 1, 2] rounds=[1, 2, 5] hardness=distance recipe=paper
export idc to="rounds_wordnet_nouns_idc.csv"
margin = sweep m=[500] strategies=[hard+rep+div] seeds=[0, 1, 2] rounds=[5] hardness=margin recipe=paper
export margin to="rounds_wordnet_nouns_margin.csv"

# %% fmnist_pixels_pca50
load "$shared/fmnist_pixels_pca50.json"
random = sweep m=[500] strategies=[random] seeds=[0, 1, 2] rounds=[1, 2, 5] recipe=paper
export random to="rounds_fmnist_pixels_pca50_random.csv"
idc = sweep m=[500] strategies=[hard+rep+div] seeds=[0, 1, 2] rounds=[1, 2, 5] hardness=distance recipe=paper
export idc to="rounds_fmnist_pixels_pca50_idc.csv"
margin = sweep m=[500] strategies=[hard+rep+div] seeds=[0, 1, 2] rounds=[5] hardness=margin recipe=paper
export margin to="rounds_fmnist_pixels_pca50_margin.csv"
