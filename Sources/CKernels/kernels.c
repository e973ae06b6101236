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
