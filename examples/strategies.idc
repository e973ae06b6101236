# Table 3 / Fig. 3 style comparison of selection strategies on one data set.
# Usage: idc examples/strategies.idc   (digits; edit the load line for your data)
load digits
kmeans seed=0
score k=20
for s in [random, hard, rep, hard+rep, hard+rep+div] {
  print "── strategy $s"
  select m=100 strategy=$s seed=0 reask=true
  feedback oracle t=5
  train seed=0 every=0
}
print ""
print "The same comparison with 3 seeds and the baselines, as one table:"
table = sweep m=[100] strategies=[random, hard, hard+rep, hard+rep+div] seeds=[0, 1, 2] baselines=true
export table to="strategies.csv"
