import CKernels
import Dispatch

/// The gradient of the t-SNE objective and the objective itself.
///
/// For affinities `P` (``TSNEAffinities``), exaggeration `α` and a 2-D
/// embedding `Y`, with `w_ij = 1 / (1 + ‖y_i − y_j‖²)`, `Z = Σ_{k≠l} w_kl` and
/// `q_ij = w_ij / Z`, the objective is `KL(P‖Q) = Σ_ij p_ij ln(p_ij / q_ij)`
/// and (van der Maaten & Hinton 2008, eq. 5)
///
///     ∂KL/∂y_i = 4 Σ_j (α·p_ij − q_ij) · w_ij · (y_i − y_j)
///              = 4 [ α Σ_j p_ij w_ij (y_i − y_j)  −  Σ_j w_ij² (y_i − y_j) / Z ].
///
/// The attractive sum runs over the stored entries of `P`; the repulsive sum
/// and `Z` over all pairs, exactly (``exact(_:affinities:exaggeration:threads:)``,
/// `O(N²)`, the reference for small `N`) or by FFT-accelerated interpolation
/// (``interpolated(_:affinities:exaggeration:interpolationPoints:minIntervals:intervalWidth:threads:)``,
/// Linderman et al. 2019). `KL` is always that of the unexaggerated `P`:
/// `Σ p_ij ln(p_ij / w_ij) + (Σ p_ij) · ln Z`.
///
/// - Complexity: `O(nnz(P))` for the attraction plus `O(N²)` (exact) or
///   `O(N·p² + G log G)` (interpolated, `G` grid points) for the repulsion.
public enum TSNEGradient {
  /// One evaluation: gradient, normaliser and objective.
  public struct Evaluation: Sendable {
    /// `∂KL/∂y`, `N × 2`.
    public var gradient: Matrix
    /// `Z = Σ_{i≠j} w_ij`.
    public var normalization: Double
    /// `KL(P‖Q)` of the unexaggerated affinities.
    public var klDivergence: Double
  }

  /// The exact gradient, `O(N²)` pairs (SIMD, split over `threads`).
  public static func exact(_ y: Matrix, affinities: TSNEAffinities, exaggeration: Float = 1,
                           threads: Int = Parallelism.threads) -> Evaluation {
    evaluate(y, affinities: affinities, exaggeration: exaggeration, threads: threads) { pos, n, forces in
      exactRepulsion(pos, count: n, forces: forces, threads: threads)
    }
  }

  /// The gradient with the repulsion approximated by FFT-accelerated
  /// interpolation (``FFTInterpolation``), with the defaults of ``TSNE``.
  public static func interpolated(_ y: Matrix, affinities: TSNEAffinities, exaggeration: Float = 1,
                                  interpolationPoints: Int = 5, minIntervals: Int = 50,
                                  intervalWidth: Double = 1, threads: Int = Parallelism.threads) -> Evaluation {
    let fft = FFTInterpolation(interpolationPoints: interpolationPoints, minIntervals: minIntervals,
                               intervalWidth: intervalWidth, threads: threads)
    return evaluate(y, affinities: affinities, exaggeration: exaggeration, threads: threads) { pos, n, forces in
      fft.repulsion(pos, count: n, forces: forces)
    }
  }

  private static func evaluate(
    _ y: Matrix, affinities: TSNEAffinities, exaggeration: Float, threads: Int,
    repulsion: (UnsafePointer<Float>, Int, UnsafeMutablePointer<Float>) -> Double
  ) -> Evaluation {
    precondition(y.columns == 2 && y.rows == affinities.count, "embedding must be N × 2 for N = \(affinities.count)")
    let n = y.rows
    var gradient = Matrix(rows: n, columns: 2)
    var forces = [Float](repeating: 0, count: 2 * n)
    var z = 0.0, kl = 0.0
    y.storage.withUnsafeBufferPointer { pos in
      gradient.storage.withUnsafeMutableBufferPointer { g in
        forces.withUnsafeMutableBufferPointer { f in
          let attraction = attractive(pos.baseAddress!, affinities: affinities, exaggeration: exaggeration,
                                      into: g.baseAddress!, withObjective: true, threads: threads)
          z = repulsion(pos.baseAddress!, n, f.baseAddress!)
          let inverseZ = Float(1 / z)
          for c in 0..<(2 * n) { g[c] = 4 * (g[c] - f[c] * inverseZ) }
          kl = attraction + affinities.total * _log(z)
        }
      }
    }
    return Evaluation(gradient: gradient, normalization: z, klDivergence: kl)
  }

  /// Writes `α Σ_j p_ij w_ij (y_i − y_j)` (interleaved) to `gradient`; returns
  /// `Σ p_ij ln(p_ij / w_ij)` when `withObjective`, else 0.
  ///
  /// The loop is `idc_tsne_attraction` in CKernels (vectorised per CPU).
  ///
  /// - Complexity: `O(nnz(P))`, rows split between `threads` by entry count.
  static func attractive(_ y: UnsafePointer<Float>, affinities: TSNEAffinities, exaggeration: Float,
                         into gradient: UnsafeMutablePointer<Float>, withObjective: Bool, threads: Int) -> Double {
    let n = affinities.count
    let workers = max(1, min(threads, n / 1024))
    var partial = [Double](repeating: 0, count: workers)
    affinities.rowStarts.withUnsafeBufferPointer { sb in
      affinities.columnIndices.withUnsafeBufferPointer { cb in
        affinities.values.withUnsafeBufferPointer { vb in
          partial.withUnsafeMutableBufferPointer { pb in
            let starts = SharedPointer(sb.baseAddress!), cols = SharedPointer(cb.baseAddress!)
            let vals = SharedPointer(vb.baseAddress!), out = SharedPointer(pb.baseAddress!)
            let pos = SharedPointer(y), grad = SharedPointer(gradient)
            // Balance the workers by stored entries, not rows.
            let nnz = starts.base[n]
            var bounds = [0]
            var i = 0
            for w in 1..<workers {
              let target = nnz * w / workers
              while i < n && starts.base[i] < target { i += 1 }
              bounds.append(i)
            }
            bounds.append(n)
            let ranges = (0..<workers).map { bounds[$0] ..< bounds[$0 + 1] }
            DispatchQueue.concurrentPerform(iterations: workers) { w in
              out.base[w] = idc_tsne_attraction(
                starts.base, cols.base, vals.base, pos.base, ranges[w].lowerBound, ranges[w].upperBound,
                exaggeration, withObjective ? 1 : 0, grad.base)
            }
          }
        }
      }
    }
    return partial.reduce(0, +)
  }

  /// Writes `Σ_j w_ij² (y_i − y_j)` (interleaved) to `forces` and returns
  /// `Z = Σ_{i≠j} w_ij`, summing all pairs with the CPU's widest vectors
  /// (`idc_tsne_exact_repulsion` in CKernels: AVX-512, AVX2 or SSE2).
  ///
  /// - Complexity: `N²` kernel evaluations, rows split between `threads`.
  static func exactRepulsion(_ y: UnsafePointer<Float>, count n: Int, forces: UnsafeMutablePointer<Float>,
                             threads: Int) -> Double {
    // Split coordinates, padded to a multiple of 16 with far-away points whose
    // contributions are exactly 0 in single precision.
    let padded = (n + 15) & ~15
    var xs = [Float](repeating: 1e18, count: padded), ys = [Float](repeating: 1e18, count: padded)
    for i in 0..<n { xs[i] = y[2 * i]; ys[i] = y[2 * i + 1] }
    let workers = max(1, min(threads, n / 256))
    var partial = [Double](repeating: 0, count: workers)
    xs.withUnsafeBufferPointer { xb in
      ys.withUnsafeBufferPointer { yb in
        partial.withUnsafeMutableBufferPointer { pb in
          let px = SharedPointer(xb.baseAddress!), py = SharedPointer(yb.baseAddress!)
          let out = SharedPointer(pb.baseAddress!), f = SharedPointer(forces)
          DispatchQueue.concurrentPerform(iterations: workers) { w in
            out.base[w] = idc_tsne_exact_repulsion(px.base, py.base, padded, n * w / workers, n * (w + 1) / workers, f.base)
          }
        }
      }
    }
    return partial.reduce(0, +)
  }
}
