load digits
kmeans seed=0 n_init=1 swaps=0
sel = select m=10
train answers=sell
# expect-exit: 70
# expect-error: unknown_name.idc:4:15: error: no feedback named 'sell'
