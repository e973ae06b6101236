// Hot loops that need the CPU's widest vectors. Swift compiles for baseline
// x86-64 (SSE2); these are compiled once per instruction-set level and picked
// at load time (target_clones: an ifunc resolved from CPUID), so one binary
// runs everywhere and uses AVX-512 where the CPU has it.
#include "CKernels.h"
#include <math.h>

#if defined(__x86_64__) && defined(__clang__) && defined(__linux__)
#define IDC_MULTIVERSION __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define IDC_MULTIVERSION
#endif

IDC_MULTIVERSION
double idc_tsne_exact_repulsion(const float *restrict xs, const float *restrict ys, size_t padded,
                                size_t begin, size_t end, float *restrict forces) {
  // Reassociating the sums lets them be vectorised; single-precision lanes
  // per row, folded into a double per row, as the Swift reference does.
#pragma clang fp reassociate(on) contract(fast)
  double z = 0;
  for (size_t i = begin; i < end; i++) {
    const float xi = xs[i], yi = ys[i];
    float sw = 0, fx = 0, fy = 0;
    for (size_t j = 0; j < padded; j++) {
      const float dx = xi - xs[j], dy = yi - ys[j];
      const float q = 1.0f / (1.0f + dx * dx + dy * dy);
      const float q2 = q * q;
      sw += q;
      fx += q2 * dx;
      fy += q2 * dy;
    }
    z += (double)sw - 1.0;
    forces[2 * i] = fx;
    forces[2 * i + 1] = fy;
  }
  return z;
}

IDC_MULTIVERSION
double idc_tsne_attraction(const long *restrict row_starts, const int *restrict columns,
                           const float *restrict values, const float *restrict y, size_t begin,
                           size_t end, float exaggeration, int with_objective,
                           float *restrict gradient) {
#pragma clang fp reassociate(on) contract(fast)
  double objective = 0;
  for (size_t i = begin; i < end; i++) {
    const float xi = y[2 * i], yi = y[2 * i + 1];
    float gx = 0, gy = 0;
    const long e0 = row_starts[i], e1 = row_starts[i + 1];
    if (with_objective) {
      for (long e = e0; e < e1; e++) {
        const long j = columns[e];
        const float dx = xi - y[2 * j], dy = yi - y[2 * j + 1];
        const float q = 1.0f / (1.0f + dx * dx + dy * dy);
        const float p = values[e], pq = p * q;
        gx += pq * dx;
        gy += pq * dy;
        if (p > 0) objective += (double)p * log((double)p / (double)q);
      }
    } else {
      for (long e = e0; e < e1; e++) {
        const long j = columns[e];
        const float dx = xi - y[2 * j], dy = yi - y[2 * j + 1];
        const float pq = values[e] / (1.0f + dx * dx + dy * dy);
        gx += pq * dx;
        gy += pq * dy;
      }
    }
    gradient[2 * i] = exaggeration * gx;
    gradient[2 * i + 1] = exaggeration * gy;
  }
  return objective;
}

int idc_kernels_vector_width(void) {
#if defined(__x86_64__) && defined(__clang__) && defined(__linux__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("x86-64-v4")) return 16;
  if (__builtin_cpu_supports("x86-64-v3")) return 8;
#endif
  return 4;
}

// e^x for x ≤ 0 in a form the compiler vectorises: x·log2(e) = k + f with k an integer and
// |f| ≤ ½, 2^f = e^(f·ln 2) by its Taylor series to degree 6 (relative error < 2e-7 on
// |f·ln 2| ≤ 0.347), and 2^k put into the exponent bits. Below −87 the result is 0.
static inline float idc_exp_nonpositive(float x) {
  const float t = x * 1.44269504088896341f;
  const float k = __builtin_roundf(t);
  const float g = (t - k) * 0.693147180559945309f;
  float p = 1.0f / 720.0f;
  p = p * g + 1.0f / 120.0f;
  p = p * g + 1.0f / 24.0f;
  p = p * g + 1.0f / 6.0f;
  p = p * g + 0.5f;
  p = p * g + 1.0f;
  p = p * g + 1.0f;
  const int e = (int)k + 127;
  union { int i; float f; } scale = {.i = (e > 0 ? e : 0) << 23};
  return x < -87.0f ? 0.0f : p * scale.f;
}

IDC_MULTIVERSION
void idc_herding_gains(const float *restrict dots, size_t rows, size_t n, const float *restrict row_norms,
                       const float *restrict norms, const float *restrict coverage,
                       const float *restrict weights, float scale, double *restrict gains) {
#pragma clang fp reassociate(on) contract(fast)
  for (size_t r = 0; r < rows; r++) {
    const float *restrict d = dots + r * n;
    const float nx = row_norms[r];
    double total = 0;
    for (size_t start = 0; start < n; start += 4096) {
      const size_t end = start + 4096 < n ? start + 4096 : n;
      float sum = 0;
      for (size_t i = start; i < end; i++) {
        float d2 = nx + norms[i] - 2.0f * d[i];
        d2 = d2 > 0.0f ? d2 : 0.0f;
        const float k = idc_exp_nonpositive(d2 * scale);
        const float gain = k - coverage[i];
        sum += weights[i] * (gain > 0.0f ? gain : 0.0f);
      }
      total += sum;
    }
    gains[r] = total;
  }
}

IDC_MULTIVERSION
void idc_kernel_raise(const float *restrict dots, size_t n, float norm_s, const float *restrict norms, float scale,
                      float *restrict coverage) {
  for (size_t i = 0; i < n; i++) {
    float d2 = norm_s + norms[i] - 2.0f * dots[i];
    d2 = d2 > 0.0f ? d2 : 0.0f;
    const float k = idc_exp_nonpositive(d2 * scale);
    coverage[i] = k > coverage[i] ? k : coverage[i];
  }
}

IDC_MULTIVERSION
size_t idc_ball_edges(const float *restrict tile, size_t rows, size_t columns, size_t ld,
                      const float *restrict row_norms, const float *restrict column_norms, float limit,
                      int diagonal, int row_offset, int column_offset, int *restrict sources,
                      int *restrict targets) {
  size_t count = 0;
  for (size_t a = 0; a < rows; a++) {
    const int i = row_offset + (int)a;
    const size_t start = diagonal ? (size_t)i - (size_t)column_offset : 0;
    for (size_t b = start; b < columns; b++) {
      const int j = column_offset + (int)b;
      const float d2 = row_norms[a] + column_norms[b] - 2.0f * tile[a * ld + b];
      if (d2 < limit || i == j) {
        sources[count] = i;
        targets[count] = j;
        count++;
        if (i != j) {
          sources[count] = j;
          targets[count] = i;
          count++;
        }
      }
    }
  }
  return count;
}

// Sixteen float lanes: one zmm (AVX-512), two ymm (AVX2) or four xmm registers.
typedef float idc_f16 __attribute__((ext_vector_type(16)));
typedef float idc_f16u __attribute__((ext_vector_type(16), aligned(4)));
typedef int idc_i16 __attribute__((ext_vector_type(16)));
typedef _Bool idc_b16 __attribute__((ext_vector_type(16)));
static const idc_i16 idc_lanes = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

// The next chunk of the columns [p, d): all of them up to `q` (q = 0: no chunks), q while 2q or
// more remain, else half of what remains, rounded up — the way OpenBLAS's threaded level-3
// driver splits K (driver/level3/level3_thread.c with GEMM_Q = q).
static inline size_t idc_chunk_end(size_t p, size_t d, size_t q) {
  const size_t left = d - p;
  if (q == 0 || left <= q) return d;
  return p + (left >= 2 * q ? q : (left + 1) / 2);
}

// The scores of eight rows `r` (row-major, d columns) against centre group g, into out[0..8) ·
// stride: eight independent fused multiply-add chains, enough to hide the FMA latency; the
// centres' vector of column p is loaded once for the eight rows, each row's z[p] broadcast from
// memory. Within a chunk every score is Σ_p in index order with one rounding per term; chunks
// are summed left to right.
static inline __attribute__((always_inline)) void idc_tile8(const float *restrict r, size_t d,
                                                            const float *restrict cg, size_t stride, size_t q,
                                                            float *restrict out) {
  idc_f16 t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0, t5 = 0, t6 = 0, t7 = 0;
  for (size_t p0 = 0; p0 < d;) {
    const size_t p1 = idc_chunk_end(p0, d, q);
    idc_f16 a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
    for (size_t p = p0; p < p1; p++) {
      const idc_f16 c = *(const idc_f16u *)(cg + p * stride);
      a0 = __builtin_elementwise_fma((idc_f16)r[p], c, a0);
      a1 = __builtin_elementwise_fma((idc_f16)r[d + p], c, a1);
      a2 = __builtin_elementwise_fma((idc_f16)r[2 * d + p], c, a2);
      a3 = __builtin_elementwise_fma((idc_f16)r[3 * d + p], c, a3);
      a4 = __builtin_elementwise_fma((idc_f16)r[4 * d + p], c, a4);
      a5 = __builtin_elementwise_fma((idc_f16)r[5 * d + p], c, a5);
      a6 = __builtin_elementwise_fma((idc_f16)r[6 * d + p], c, a6);
      a7 = __builtin_elementwise_fma((idc_f16)r[7 * d + p], c, a7);
    }
    if (p0 == 0) {
      t0 = a0; t1 = a1; t2 = a2; t3 = a3; t4 = a4; t5 = a5; t6 = a6; t7 = a7;
    } else {
      t0 += a0; t1 += a1; t2 += a2; t3 += a3; t4 += a4; t5 += a5; t6 += a6; t7 += a7;
    }
    p0 = p1;
  }
  *(idc_f16u *)(out) = t0;
  *(idc_f16u *)(out + stride) = t1;
  *(idc_f16u *)(out + 2 * stride) = t2;
  *(idc_f16u *)(out + 3 * stride) = t3;
  *(idc_f16u *)(out + 4 * stride) = t4;
  *(idc_f16u *)(out + 5 * stride) = t5;
  *(idc_f16u *)(out + 6 * stride) = t6;
  *(idc_f16u *)(out + 7 * stride) = t7;
}

// One row's scores against group g (the rows left over from the tiles of eight).
static inline __attribute__((always_inline)) void idc_tile1(const float *restrict r, size_t d,
                                                            const float *restrict cg, size_t stride, size_t q,
                                                            float *restrict out) {
  idc_f16 t = 0;
  for (size_t p0 = 0; p0 < d;) {
    const size_t p1 = idc_chunk_end(p0, d, q);
    idc_f16 a = 0;
    for (size_t p = p0; p < p1; p++) a = __builtin_elementwise_fma((idc_f16)r[p], *(const idc_f16u *)(cg + p * stride), a);
    t = p0 == 0 ? a : t + a;
    p0 = p1;
  }
  *(idc_f16u *)(out) = t;
}

// The update step of one row: its assignment (a change counted), similarity, share of the
// objective (1 − score, in double), its centre's count and float sums — in this order.
static inline __attribute__((always_inline)) void idc_lloyd_update(const float *restrict z, size_t d, size_t i, size_t bi,
                                                                   float bv, long *restrict assignment,
                                                                   float *restrict similarity, float *restrict sums,
                                                                   long *restrict counts, long *changed, double *obj) {
  if (assignment[i] != (long)bi) { (*changed)++; assignment[i] = (long)bi; }
  similarity[i] = bv;
  *obj += (double)(1.0f - bv);
  counts[bi] += 1;
  float *restrict dst = sums + bi * d;
  const float *restrict src = z + i * d;
  for (size_t j = 0; j < d; j++) dst[j] += src[j];
}

IDC_MULTIVERSION
void idc_small_scores(const float *restrict z, size_t d, size_t rows, const float *restrict ct,
                      size_t groups, size_t q, float *restrict scores) {
  const size_t stride = groups * 16;
  size_t i = 0;
  for (; i + 8 <= rows; i += 8)
    for (size_t g = 0; g < groups; g++) idc_tile8(z + i * d, d, ct + g * 16, stride, q, scores + i * stride + g * 16);
  for (; i < rows; i++)
    for (size_t g = 0; g < groups; g++) idc_tile1(z + i * d, d, ct + g * 16, stride, q, scores + i * stride + g * 16);
}

IDC_MULTIVERSION
void idc_lloyd_rows(const float *restrict z, size_t d, size_t rows, const float *restrict ct, size_t groups,
                    size_t q, size_t k, long *restrict assignment, float *restrict similarity,
                    float *restrict sums, long *restrict counts, long *restrict changes,
                    double *restrict objective) {
  const size_t stride = groups * 16;
  float tile[8 * 64];
  long changed = 0;
  double obj = 0;
  for (size_t i = 0; i < rows;) {
    const size_t n = rows - i >= 8 ? 8 : 1;
    for (size_t g = 0; g < groups; g++) {
      if (n == 8) idc_tile8(z + i * d, d, ct + g * 16, stride, q, tile + g * 16);
      else idc_tile1(z + i * d, d, ct + g * 16, stride, q, tile + g * 16);
    }
    for (size_t r = 0; r < n; r++, i++) {
      const float *restrict row = tile + r * stride;
      // The largest score and the first centre that has it, without a branch per centre
      // (the scores are finite: the same as a scan keeping the first strict maximum). Lanes
      // past k (the zero padding) are set to −∞.
      idc_f16 v[4];
      float bv = -__builtin_inff();
      for (size_t g = 0; g < groups; g++) {
        v[g] = *(const idc_f16u *)(row + g * 16);
        if (k - g * 16 < 16) {
          const idc_i16 live = idc_lanes < (int)(k - g * 16);
          v[g] = __builtin_bit_cast(idc_f16, (__builtin_bit_cast(idc_i16, v[g]) & live) |
                                                 (__builtin_bit_cast(idc_i16, (idc_f16)(-__builtin_inff())) & ~live));
        }
        const float m = __builtin_reduce_max(v[g]);
        bv = m > bv ? m : bv;
      }
      size_t bi = 0;
      for (size_t g = 0; g < groups; g++) {
        const unsigned short hits = __builtin_bit_cast(unsigned short, __builtin_convertvector(v[g] == bv, idc_b16));
        if (hits) { bi = g * 16 + (size_t)__builtin_ctz(hits); break; }
      }
      idc_lloyd_update(z, d, i, bi, bv, assignment, similarity, sums, counts, &changed, &obj);
    }
  }
  *changes += changed;
  *objective += obj;
}

// One centre chunk (nc ≤ 16 centres from c0) against a tile of 16 rows in lanes; `best` and
// `index` carry the running first strict maximum across chunks.
static inline __attribute__((always_inline)) void idc_tile_lanes(const float *restrict tile, size_t d,
                                                                 const float *restrict c, size_t c0, size_t nc,
                                                                 size_t q, idc_f16 *best, idc_i16 *index) {
  idc_f16 t[16], a[16];
  for (size_t p0 = 0; p0 < d;) {
    const size_t p1 = idc_chunk_end(p0, d, q);
#pragma clang loop unroll(full)
    for (size_t j = 0; j < 16; j++) a[j] = 0;
    for (size_t p = p0; p < p1; p++) {
      const idc_f16 x = *(const idc_f16u *)(tile + p * 16);
#pragma clang loop unroll(full)
      for (size_t j = 0; j < 16; j++)
        if (j < nc) a[j] = __builtin_elementwise_fma(x, (idc_f16)c[(c0 + j) * d + p], a[j]);
    }
#pragma clang loop unroll(full)
    for (size_t j = 0; j < 16; j++)
      if (j < nc) t[j] = p0 == 0 ? a[j] : t[j] + a[j];
    p0 = p1;
  }
#pragma clang loop unroll(full)
  for (size_t j = 0; j < 16; j++) {
    if (j < nc) {
      const idc_i16 up = t[j] > *best;
      *best = __builtin_bit_cast(idc_f16, (__builtin_bit_cast(idc_i16, t[j]) & up) | (__builtin_bit_cast(idc_i16, *best) & ~up));
      *index = ((idc_i16)(int)(c0 + j) & up) | (*index & ~up);
    }
  }
}

IDC_MULTIVERSION
void idc_lloyd_tiles(const float *restrict tiles, const float *restrict z, size_t d, size_t first, size_t rows,
                     const float *restrict c, size_t k, size_t q, long *restrict assignment,
                     float *restrict similarity, float *restrict sums, long *restrict counts,
                     long *restrict changes, double *restrict objective) {
  long changed = 0;
  double obj = 0;
  for (size_t i = first; i < first + rows;) {
    // The tile holding row i, and the rows of it in range.
    const size_t tile = i / 16;
    const size_t stop = (tile + 1) * 16 < first + rows ? (tile + 1) * 16 : first + rows;
    const float *restrict zt = tiles + tile * 16 * d;
    idc_f16 best = -__builtin_inff();
    idc_i16 index = 0;
    for (size_t c0 = 0; c0 < k; c0 += 16) {
      switch (k - c0 >= 16 ? 16 : k - c0) {
#define IDC_CHUNK(n) case n: idc_tile_lanes(zt, d, c, c0, n, q, &best, &index); break;
        IDC_CHUNK(1) IDC_CHUNK(2) IDC_CHUNK(3) IDC_CHUNK(4) IDC_CHUNK(5) IDC_CHUNK(6) IDC_CHUNK(7) IDC_CHUNK(8)
        IDC_CHUNK(9) IDC_CHUNK(10) IDC_CHUNK(11) IDC_CHUNK(12) IDC_CHUNK(13) IDC_CHUNK(14) IDC_CHUNK(15) IDC_CHUNK(16)
#undef IDC_CHUNK
      }
    }
    for (; i < stop; i++) {
      const size_t lane = i % 16;
      const size_t bi = (size_t)index[lane];
      const float bv = best[lane];
      idc_lloyd_update(z, d, i, bi, bv, assignment, similarity, sums, counts, &changed, &obj);
    }
  }
  *changes += changed;
  *objective += obj;
}

void idc_row_tiles(const float *restrict z, size_t n, size_t d, float *restrict tiles) {
  for (size_t i = 0; i < n; i++)
    for (size_t p = 0; p < d; p++) tiles[(i / 16) * 16 * d + p * 16 + i % 16] = z[i * d + p];
}
