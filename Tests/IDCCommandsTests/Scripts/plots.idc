# Every kind of plot, to the dumb terminal and to SVG.
load digits
kmeans k=10 n_init=1 swaps=0 seed=0
# plot tsne before tsne computes the embedding first, as select computes the scores.
plot tsne
# expect-note: (computing the embedding first: tsne)
# expect-text: t-SNE of digits
select m=20
# highlight=selection names the latest selection.
plot tsne highlight=selection to="map.svg"
# expect-file: map.svg <svg
plot tsne color=label to="labels.svg"
# expect-file: labels.svg <svg
plot compare m=10
# expect-text: Selected samples by strategy (M = 10)
plot compare m=10 layout=row to="compare.svg"
# expect-file: compare.svg hard+rep+div
answers = feedback oracle
m = train epochs=10 every=0 init_steps=50
plot training
# expect-text: Finetuning on 20 answers
plot training to="training.svg"
# expect-file: training.svg L_pos
plot scores
# expect-text: Score distributions (selected in red)
plot scores to="scores.svg"
# expect-file: scores.svg hardness
plot query index=2
# expect-text: Query 2: which cluster is this sample
plot query index=2 to="query.svg"
# expect-file: query.svg <svg
t = sweep m=[10, 20] strategies=[hard+rep+div, random] epochs=2 n_init=1
plot curve
# expect-text: ACC against the number of queries (digits)
plot curve metric=nmi to="curve.svg"
# expect-file: curve.svg random
