# export writes every kind of value, and the session arrays, in files numpy reads.
load digits
km = kmeans k=10 n_init=1 swaps=0 seed=0
sel = select m=20
answers = feedback oracle
m = train epochs=5 every=0 init_steps=50
emb = tsne iterations=20 early=20 method=exact
t = sweep m=[10] epochs=2 n_init=1
acc = eval
export km to="km.npz"
# expect-arrays: km.npz assignment=1797 centers=10x64
export sel to="sel.npy"
# expect-arrays: sel.npy =20
export sel to="sel.npz"
# expect-arrays: sel.npz indices=20 values=20
export answers to="answers.npz"
# expect-arrays: answers.npz anchors=20 answers=20 candidates=20x5
export m to="head.npz"
# expect-arrays: head.npz assignment=1797 loss=5 w1=512x64 b1=512 w2=10x512 b2=10 epochs_done=1 z=1797x64
export emb to="emb.npy"
# expect-arrays: emb.npy =1797x2
export t to="t.csv"
# expect-file: t.csv method,seed,m,strategy,losses,acc,nmi,ari,positives,negatives,note
export t to="t.npz"
# expect-arrays: t.npz acc=1 nmi=1 ari=1 budget=1 seed=1
export acc to="acc.npy"
# expect-arrays: acc.npy =3
export assignment to="assignment.csv"
# expect-file: assignment.csv assignment
export pretrained to="pretrained.npy"
# expect-arrays: pretrained.npy =1797
export centers to="centers.npy"
# expect-arrays: centers.npy =10x64
export scores to="scores.npz"
# expect-arrays: scores.npz hardness=1797 representativeness=1797
export features to="features.npy"
# expect-arrays: features.npy =1797x64
export images to="images.npy"
# expect-arrays: images.npy =1797x8x8x1
export m to="assignment.npy"
# expect-arrays: assignment.npy =1797
export answers to="answers.npy"
# expect-error: export_every_kind.idc:42:19: error: 'answers' holds 3 arrays (anchors, answers, candidates); export it to .npz
# expect-exit: 70
