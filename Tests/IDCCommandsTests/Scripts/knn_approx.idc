# The approximate neighbour search: calibrated probes, audited recall, shown by score and show.
load digits
kmeans k=10 seed=0
score knn=approx
# expect-text: neighbours: K = 20, approximate: IVF 60 lists,
# expect-text: recall@20 0.9
show
# expect-text: neighbour graph: K = 20, approximate: IVF 60 lists
score knn=exact
show
# expect-text: neighbour graph: K = 20, exact
# score calibrates to recall 0.99 by default (the selection reads r from the graph); recall= lowers it
score knn=approx
# expect-text: 7 probes (predicted recall 0.992)
score knn=approx recall=0.95
# expect-text: 4 probes (predicted recall 0.965)
