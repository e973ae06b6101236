kmeans k=3
# expect-error: no_data.idc:1:1: error: no data loaded
# expect-exit: 70
