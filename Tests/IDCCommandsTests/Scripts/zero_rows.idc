# Rows of zeros: a warning names them; k-means leaves them out of the centres (no empty cluster).
load "$scripts/zero_rows.csv" label_column=last
# expect-note: warning: 3 rows are all zeros (7, 30, 44)
kmeans k=3 n_init=2 seed=0
# expect-text: k-means: k = 3
show clustering
# expect-text: k-means, k = 3
