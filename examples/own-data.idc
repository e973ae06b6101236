# Run IDC on your own model's features. Export them from Python with
#   np.save("features.npy", feats.astype(np.float32)); np.save("labels.npy", y)
# then:  idc examples/own-data.idc   (labels are optional: without them, use 'feedback ask')
load features="features.npy" labels="labels.npy"
kmeans
score k=20
sel = select m=200
answers = feedback oracle t=5
model = train
eval
export assignment to="idc_assignment.npy"
