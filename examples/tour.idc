# The IDC method, step by step, on the embedded digits data (1797 handwritten
# digits, 8×8 pixels). Run it with:  idc examples/tour.idc
# Every cell (# %%) can be started on its own: idc run examples/tour.idc --from 4

# %% 1. The data
print "Interactive deep clustering (IDC; Liu et al., NeurIPS 2024) improves a clustering"
print "model with a few well-chosen answers from a person. We start from the data."
load digits

# %% 2. The pre-trained model
print ""
print "A clustering model is good on easy samples and bad on the hard ones at cluster borders."
print "Our 'pre-trained model' is spherical k-means on the L2-normalised features:"
kmeans k=10 seed=0
eval

# %% 3. The value of each sample
print ""
print "IDC scores every sample. Hardness h: the two nearest centres are almost tied (a border"
print "sample). Representativeness r: the sample sits in a dense region (not an outlier)."
score k=20

# %% 4. Whom to ask
print ""
print "Greedy selection adds diversity d: a sample close to one already chosen loses value."
print "The full method picks by v = h + r + d; the value of the picks never increases (Theorem 1)."
sel = select m=100 strategy=hard+rep+div

# %% 5. Asking
print ""
print "Each chosen sample is shown with its 5 nearest clusters: 'which one is it — or none?'"
print "Here a simulated user answers from the true labels (feedback ask puts you in its place)."
answers = feedback oracle t=5

# %% 6. Learning from the answers
print ""
print "A small cluster head is fitted to the k-means assignment, then finetuned with three losses:"
print "L_pos pulls answered samples to their cluster, L_neg pushes them away from rejected ones,"
print "L_reg keeps the model's own confident decisions so it does not overfit 100 answers."
model = train seed=0 every=100
eval

# %% 7. What the answers alone would give
print ""
print "Baselines with the same answers: correcting only the answered samples (†), and"
print "Cop-Kmeans with the answers as must-link / cannot-link constraints:"
baseline dagger
baseline cop-kmeans

# %% 8. Why value matters
print ""
print "The same budget spent by other selection strategies (the paper's ablation):"
for s in [random, hard, hard+rep] {
  print "strategy $s:"
  select m=100 strategy=$s reask=true
  feedback oracle t=5
  train seed=0 every=0
}
print ""
print "hard+rep alone collapses onto dense border regions; diversity fixes it — the full method wins."

# %% 9. Beyond the paper: asking in rounds
print ""
print "A person asks a few questions, looks, and asks again where the model is still unsure."
print "The same 100 answers in 5 rounds of 20: each round scores hardness with the current head's"
print "softmax margin, never asks a sample twice, and continues training on all answers so far."
rounded = rounds m=100 r=5 hardness=margin seed=0
eval rounded
