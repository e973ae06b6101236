# Quality without labels: audit 50 random samples, then interact in 5 rounds; every clustering
# of the session is estimated from the same 50 held-out audit answers (95 % Wilson interval),
# beside its true ACC because digits has labels (README "Quality without labels").
# Runs on the embedded digits: idc examples/audit.idc   (writes out/figures/quality_digits.png)
set outdir="out/figures"
load digits
kmeans k=10 seed=0
feedback audit n=50 by=oracle seed=7
rounds m=100 r=5
eval
plot quality to="quality_digits.png"
