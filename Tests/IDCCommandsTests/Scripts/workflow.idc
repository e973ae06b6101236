# The method end to end on digits, with deterministic numbers.
load digits
# expect: digits: 1797 samples × 64 features, 10 classes, images 8×8×1
kmeans k=10 seed=0
# expect: against the labels: ACC 79.2  NMI 73.7  ARI 66.5
sel = select m=100 strategy=hard+rep+div
# expect: selected 100 samples by hard+rep+div: 1634, 229, 1222, 1504, 885, 1387, 1437, 624, …
answers = feedback oracle t=5
# expect: 100 answers (oracle matching): 95 positive — the sample's cluster was among the candidates — 5 negative
show
# expect: data: digits, 1797 × 64, labelled
for s in [1, 2] {
  print "loop $s"
}
# expect: loop 1
# expect: loop 2
