# The person's own partition (README, "The person's own partition"): k-means finds 15
# clusters in the 10 digits. The person names each by the digit it mostly holds (idc says when
# a name is already taken: a merge to make), then 5 rounds with a simulated person who has its
# own criterion (the digit) and merges the clusters its answers show to be one digit, each
# merge paid with one answer of M = 100. The t-SNE maps before and after carry the names.
#
#   idc examples/partition.idc        (about 30 s on 2 cores; writes out/partition/)
set outdir="out/partition"
load digits
kmeans k=15 seed=0
name 0 "0"
name 1 "1"
name 2 "2"
name 3 "8"
name 4 "4"
name 5 "9"
name 6 "7"
name 7 "1"
name 8 "3"
name 9 "6"
name 10 "5"
name 11 "4"
name 12 "5"
name 13 "7"
name 14 "2"
tsne seed=0
plot tsne color=cluster to="partition_before.png" title="k-means, k = 15, named by the person (digits)" size=900x700
m = rounds m=100 r=5 oracle=partition seed=0
show clusters
plot tsne color=cluster to="partition_after.png" title="after 5 rounds: the person's merges, 95 answers + 5 merges" size=900x700
