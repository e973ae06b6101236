# A small t-SNE: exact gradients on digits, resumed with continue=.
load digits
emb = tsne iterations=30 early=20 method=exact seed=0
# expect-text: t-SNE: 1797 samples, 50 iterations, KL divergence
tsne continue=10
# expect-text: t-SNE: 1797 samples, 60 iterations, KL divergence
show embedding
# expect-text: t-SNE of 1797 samples, 60 iterations
