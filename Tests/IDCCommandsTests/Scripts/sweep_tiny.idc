# A tiny sweep: two budgets, two strategies, a loss set, and a negative seed (which must not trap).
load digits
t = sweep m=[10, 20] strategies=[hard+rep+div, random] losses=[pos+reg] seeds=[-1, 3] epochs=2 n_init=1
# expect-text: sweep on digits (T = 5, 2 seeds, mean ± std, %):
# expect-text: idc     10  hard+rep+div  pos+reg
# expect-text: idc     20  random        pos+reg
show t
# expect-text: experiment table: 8 rows, 4 settings
sweep m=[10] losses=[pos+rge]
# expect-error: sweep_tiny.idc:9:22: error: losses must be one of pos, neg, reg, pos+neg, pos+reg, neg+reg, pos+neg+reg; got 'pos+rge'
# expect-exit: 70
