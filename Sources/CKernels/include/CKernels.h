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

/// Kernel-herding gains (MaxHerding): for each of `rows` candidates r, with `dots` the
/// rows × n products of the candidates with the pool,
/// gains[r] = Σ_i weights[i] · max(0, exp(scale · max(row_norms[r] + norms[i] − 2·dots[r·n + i], 0)) − coverage[i]),
/// `scale` = −1/σ². Summed in float lanes per block of 4096, blocks folded into a double.
/// exp by a degree-6 polynomial (relative error < 2e-7). Multi-versioned as above.
void idc_herding_gains(const float *dots, size_t rows, size_t n, const float *row_norms, const float *norms,
                       const float *coverage, const float *weights, float scale, double *gains);

/// coverage[i] = max(coverage[i], exp(scale · max(norm_s + norms[i] − 2·dots[i], 0))).
void idc_kernel_raise(const float *dots, size_t n, float norm_s, const float *norms, float scale, float *coverage);

/// The pairs of a distance tile closer than √limit (ProbCover's δ-ball graph): for row a of
/// `rows` (sample row_offset + a) and column b (sample column_offset + b), with
/// d² = row_norms[a] + column_norms[b] − 2·tile[a·ld + b], writes the edge i → j and j → i when
/// d² < limit (i → i once for the diagonal), only b with j ≥ i when `diagonal`. Returns the
/// number of entries written to sources/targets (room for 2·rows·columns).
size_t idc_ball_edges(const float *tile, size_t rows, size_t columns, size_t ld, const float *row_norms,
                      const float *column_norms, float limit, int diagonal, int row_offset, int column_offset,
                      int *sources, int *targets);

/// Products of `rows` rows of `z` (row-major, `d` columns) with up to 16·`groups` centres given
/// transposed and zero-padded (`ct`, d × 16·groups, row p holding column p of every centre):
/// scores[i·16·groups + c] = Σ_p z[i·d + p] · ct[p·16·groups + c]. The columns are cut into
/// chunks as OpenBLAS's threaded SGEMM cuts K for a blocking `q` (all of them when d ≤ q or
/// q = 0; q while 2q or more remain, else half the rest rounded up); each chunk is summed in
/// index order with one fused multiply-add per term and the chunks added left to right. The
/// same bits on every CPU and in every version below. For few centres (k-means' Lloyd step at
/// small k), where an SGEMM spends most of its time packing `z`. Multi-versioned as above; the
/// baseline version calls fmaf per lane (slow; KMeans uses BLAS wherever
/// idc_kernels_vector_width() is below 16).
void idc_small_scores(const float *z, size_t d, size_t rows, const float *ct, size_t groups, size_t q,
                      float *scores);

/// One Lloyd pass over `rows` rows with ≤ 64 centres, fused so each row is read once: the scores
/// of idc_small_scores (`groups` ≤ 4), each row's argmax over the first k (the first of equal
/// scores), then assignment[i] ← it (changes counted), similarity[i] ← its score,
/// objective += (double)(1 − score), counts[c] += 1 and sums[c·d ..] += the row in float, rows in
/// order — the same operations in the same order as KMeans's Swift worker.
void idc_lloyd_rows(const float *z, size_t d, size_t rows, const float *ct, size_t groups, size_t q, size_t k,
                    long *assignment, float *similarity, float *sums, long *counts, long *changes,
                    double *objective);

/// z (n × d, row-major) as tiles of 16 rows with the rows in lanes: tiles[(i/16)·16·d + p·16 + i%16]
/// = z[i·d + p]; `tiles` holds ⌈n/16⌉·16·d floats, the last tile's missing rows left as they are.
void idc_row_tiles(const float *z, size_t n, size_t d, float *tiles);

/// idc_lloyd_rows for rows [first, first + rows) of z with the scores computed from `tiles`
/// (idc_row_tiles of z), 16 rows per vector against each centre of `c` (k × d, row-major,
/// any k) broadcast: no lane is wasted on padding and the argmax is kept in vectors. Each score
/// is the same chunked in-order sum as idc_small_scores (the same bits); the assignment,
/// similarity, objective, counts and float sums are updated row by row in order as there.
void idc_lloyd_tiles(const float *tiles, const float *z, size_t d, size_t first, size_t rows, const float *c,
                     size_t k, size_t q, long *assignment, float *similarity, float *sums, long *counts,
                     long *changes, double *objective);

/// Floats per vector in the versions chosen for this CPU: 16 (AVX-512), 8 (AVX2 + FMA) or 4.
int idc_kernels_vector_width(void);

#endif
