load digits
kmeans seed=0 n_init=1 swaps=0
select m=10 strategy=hrad
# expect-error: bad_choice.idc:3:22: error: strategy must be one of hard+rep+div, hard+rep, hard, rep, random, typiclust, probcover, maxherding, coreset, margin, entropy, badge, dropquery, idc+herding; got 'hrad'
# expect-exit: 70
