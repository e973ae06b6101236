#ifndef IDC_CKERNELS_H
#define IDC_CKERNELS_H
#include <stddef.h>

/// The exact t-SNE repulsion of rows [begin, end): for each such i,
/// forces[2i], forces[2i+1] = Σ_j w_ij² (y_i − y_j) with w_ij = 1 / (1 + ‖y_i − y_j‖²),
/// over all `padded` points (split coordinates xs, ys; padding points far away
/// contribute exactly 0). Returns Σ_i (Σ_j w_ij − 1), the rows' share of Z
/// (the −1 removes the self pair).
///
/// Compiled for AVX-512, AVX2+FMA and baseline x86-64 and chosen at load time
/// by the CPU (function multi-versioning): the same C, vectorised per ISA.
double idc_tsne_exact_repulsion(const float *xs, const float *ys, size_t padded,
                                size_t begin, size_t end, float *forces);

/// The t-SNE attraction of rows [begin, end) for affinities in CSR form
/// (`row_starts`, `columns`, `values`) and the interleaved embedding `y`:
/// gradient[2i], gradient[2i+1] = α Σ_e p_e w_e (y_i − y_j(e)), w = 1 / (1 + ‖y_i − y_j‖²).
/// With `with_objective`, returns Σ_e p_e ln(p_e / w_e) over the rows (p_e > 0), else 0.
double idc_tsne_attraction(const long *row_starts, const int *columns, const float *values,
                           const float *y, size_t begin, size_t end, float exaggeration,
                           int with_objective, float *gradient);

/// Floats per vector in the versions chosen for this CPU: 16 (AVX-512), 8 (AVX2 + FMA) or 4.
int idc_kernels_vector_width(void);

#endif
