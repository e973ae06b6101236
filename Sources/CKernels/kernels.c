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
