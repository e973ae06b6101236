load digits
kmeans seed=0 n_init=1 swaps=0
select m=2000
# expect-error: m_too_large.idc:3:10: error: m = 2000 exceeds the number of samples available (1797); choose m ≤ 1797
# expect-exit: 70
