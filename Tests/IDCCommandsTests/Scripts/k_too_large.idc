load digits
kmeans k=5000
# expect-error: k_too_large.idc:2:10: error: k = 5000 exceeds the number of samples (1797); choose k ≤ 1797
# expect-exit: 70
