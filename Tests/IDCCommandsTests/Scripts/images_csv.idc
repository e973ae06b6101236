# Images are N×H×W×C: a CSV table cannot hold them, and export says where they fit.
load digits
export images to="images.csv"
# expect-error: images_csv.idc:3:1: error: images has 4 dimensions, which a CSV table cannot hold
# expect-exit: 70
