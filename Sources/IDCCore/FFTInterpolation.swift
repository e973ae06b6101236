import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The repulsive forces of 2-D t-SNE and its normaliser `Z`, by FFT-accelerated
/// polynomial interpolation (Linderman, Rachh, Hoskins, Steinerberger & Kluger
/// 2019, "Fast interpolation-based t-SNE", as in FIt-SNE and openTSNE).
///
/// With the Cauchy kernel `w_ij = 1 / (1 + ‖y_i − y_j‖²)`, it computes
///
///     Z   = Σ_{i≠j} w_ij,
///     r_i = Σ_j w_ij² (y_i − y_j),
///
/// so that the repulsive part of `∂KL/∂y_i` is `−4·r_i / Z`. The bounding box
/// of the embedding is covered by square intervals of side
/// `min(intervalWidth, extent / minIntervals)`, rounded to a ladder of widths
/// (``intervalWidth(extent:minIntervals:widest:)``, at most ``maxIntervals``
/// across), each holding `p` equispaced
/// nodes per axis at `(k + ½)/p` of its width, so the nodes form one uniform
/// grid of spacing `h = width / p`. Every point spreads a unit charge to the
/// `p × p` nodes of its interval with the Lagrange weights
/// `L_k(u) = Π_{l≠k} (u − t_l)/(t_k − t_l)`; the vector kernel
/// `w²·(Δx, Δy)` is applied node to node by FFT convolution
/// (``FFTConvolution``), and its potentials are interpolated back at the
/// points with the same weights, giving `r_i`. `Z` needs no interpolation
/// back: `Σ_ij` of the interpolated `w` is the quadratic form `cᵀ W c` of the
/// node charges, which ``FFTConvolution`` evaluates in the frequency domain;
/// each point's interpolated self-interaction `Σ_ab L_a L_b w(a − b)` is then
/// subtracted (rather than 1), which keeps `Z` accurate to ~1e-5 even for
/// sparse embeddings. The self-force is exactly 0 (the kernel is odd).
///
/// So one forward and two inverse transforms per evaluation, where openTSNE
/// uses four of each (`w²` against the charges `1, y_x, y_y, ‖y‖²`). The
/// interpolated vector kernel is rougher than `w²`, which the defaults pay for
/// with five nodes per unit interval (node spacing 0.2) instead of openTSNE's
/// three: on 1 000-point test maps the gradient is then within ~0.7 % of the
/// exact one (vs ~5 % with three nodes), and the final KL matches or beats
/// openTSNE's. When the embedding is wider than `minIntervals · intervalWidth`
/// the interval width is exactly `intervalWidth`, the grid fills the next fast
/// FFT size, and the kernel spectra are reused for as long as the embedding
/// fits that grid.
///
/// - Complexity: `O(N·p²)` for spreading and gathering plus three FFTs of
///   `G ≈ 4·(extent / h)²` points (and three more when the grid changes).
final class FFTInterpolation: @unchecked Sendable {
  let interpolationPoints: Int
  let minIntervals: Int
  let intervalWidth: Double
  let threads: Int
  /// Interpolation node positions within an interval, `(k + ½) / p`.
  private let nodes: [Double]
  /// `1 / Π_{l≠k} (t_k − t_l)`.
  private let denominators: [Double]
  private var convolution: FFTConvolution?
  private var cachedSpacing: Double = 0
  /// `w` at node offsets `(δy, δx) ∈ [0, p)²` for the current spacing, row-major
  /// `p × p`, doubled once for each non-zero offset (standing for `±δ`): the
  /// kernel between the nodes of one interval, folded by symmetry.
  private var nearKernel: [Float] = []

  /// Most intervals across the embedding: an embedding wider than this many
  /// `intervalWidth`s (points shot far away; t-SNE maps of 70 000 points span
  /// ~180) gets wider intervals. That bounds the grid and its memory (~0.5 GB
  /// at p = 5) but coarsens the interpolation: intervals much wider than 1
  /// no longer resolve the kernel, and the gradient degrades.
  static let maxIntervals = 400

  /// Steps per octave of the ladder that interval widths below `widest` are
  /// rounded to (see ``intervalWidth(extent:minIntervals:widest:)``).
  static let ladderSteps = 4.0

  /// The interval width for an embedding of this extent:
  /// `min(widest, extent / minIntervals)`, rounded to the nearest width
  /// `widest · 2^(−k/4)` — so that a growing embedding keeps one grid spacing,
  /// and the kernel spectra that depend only on it, for many iterations
  /// instead of recomputing them every step (between 12 % fewer and 9 % more
  /// intervals than `minIntervals`; still at most `widest`) — and at least
  /// `extent / maxIntervals`.
  static func intervalWidth(extent: Double, minIntervals: Int, widest: Double) -> Double {
    let ideal = extent / Double(minIntervals)
    var width = widest
    if ideal < widest {
      let steps = (log2(widest / ideal) * ladderSteps).rounded()
      width = widest * exp2(-steps / ladderSteps)
    }
    return max(min(width, widest), extent / Double(maxIntervals))
  }

  init(interpolationPoints: Int = 5, minIntervals: Int = 50, intervalWidth: Double = 1, threads: Int = 2) {
    precondition(interpolationPoints >= 1 && minIntervals >= 1 && intervalWidth > 0, "bad interpolation parameters")
    self.interpolationPoints = interpolationPoints
    self.minIntervals = minIntervals
    self.intervalWidth = intervalWidth
    self.threads = max(1, threads)
    let p = interpolationPoints
    nodes = (0..<p).map { (Double($0) + 0.5) / Double(p) }
    denominators = (0..<p).map { k in
      var d = 1.0
      for l in 0..<p where l != k { d *= (Double(k) - Double(l)) / Double(p) }
      return 1 / d
    }
  }

  /// The convolution for a grid of at least `intervalsX × intervalsY`
  /// intervals, grown to fill the fast FFT size they need; the cached one
  /// (with its kernel spectra) is reused when size and spacing are unchanged.
  /// The grid is a function of the embedding only, so results never depend on
  /// earlier calls (an interrupted run continues exactly).
  private func prepare(intervalsX: Int, intervalsY: Int, spacing: Double) -> FFTConvolution {
    let p = interpolationPoints
    let mx = FFTConvolution.fastSize(atLeast: 2 * intervalsX * p - 1)
    let my = FFTConvolution.fastSize(atLeast: 2 * intervalsY * p - 1)
    let nx = (mx + 1) / 2 / p * p, ny = (my + 1) / 2 / p * p
    if let c = convolution, c.nx == nx, c.ny == ny, cachedSpacing == spacing { return c }
    let s = spacing
    // One grid (unit charges); kernels w, w²Δx, w²Δy; Z from the quadratic form of w.
    let c = FFTConvolution(
      nx: nx, ny: ny, gridCount: 1, kernelCount: 3,
      products: [(0, 1), (0, 2)], energies: [(0, 0)], threads: threads
    ) { dy, dx, out in
      let ddx = s * Double(dx), ddy = s * Double(dy)
      let w = 1 / (1 + ddx * ddx + ddy * ddy)
      out[0] = Float(w)
      out[1] = Float(w * w * ddx)
      out[2] = Float(w * w * ddy)
    }
    convolution = c
    cachedSpacing = spacing
    nearKernel = (0..<(p * p)).map { e in
      let dy = s * Double(e / p), dx = s * Double(e % p)
      return Float((e / p > 0 ? 2 : 1) * (e % p > 0 ? 2 : 1) / (1 + dx * dx + dy * dy))
    }
    return c
  }

  /// Writes `r_i` (interleaved `x, y`) to `forces` for the `n` points of the
  /// interleaved embedding `y`, and returns `Z` (NaN, with zero forces, for a
  /// non-finite embedding).
  func repulsion(_ y: UnsafePointer<Float>, count n: Int, forces: UnsafeMutablePointer<Float>) -> Double {
    let p = interpolationPoints
    var minX = Float.infinity, maxX = -Float.infinity, minY = Float.infinity, maxY = -Float.infinity
    for i in 0..<n {
      minX = min(minX, y[2 * i]); maxX = max(maxX, y[2 * i])
      minY = min(minY, y[2 * i + 1]); maxY = max(maxY, y[2 * i + 1])
    }
    let extentX = Double(maxX - minX), extentY = Double(maxY - minY)
    guard extentX.isFinite && extentY.isFinite else {
      forces.update(repeating: 0, count: 2 * n)
      return .nan
    }
    let extent = max(extentX, extentY, 1e-6)
    let width = Self.intervalWidth(extent: extent, minIntervals: minIntervals, widest: intervalWidth)
    let conv = prepare(intervalsX: max(1, Int((extentX / width).rounded(.up))),
                       intervalsY: max(1, Int((extentY / width).rounded(.up))),
                       spacing: width / Double(p))
    let nx = conv.nx, ny = conv.ny, intervalsX = nx / p, intervalsY = ny / p
    // Centre the grid on the bounding box.
    let originX = Double(minX) - (Double(intervalsX) * width - extentX) / 2
    let originY = Double(minY) - (Double(intervalsY) * width - extentY) / 2

    // Per point: the first node of its interval and its p + p Lagrange weights.
    var firstNode = [Int32](repeating: 0, count: n)
    var weights = [Float](repeating: 0, count: 2 * p * n)
    let plane = nx * ny
    var grid = [Float](repeating: 0, count: plane)
    var potentials = [Float](repeating: 0, count: 2 * plane)
    let nodes = self.nodes, denominators = self.denominators, nearKernel = self.nearKernel
    let workers = min(threads, max(1, n / 4096))
    firstNode.withUnsafeMutableBufferPointer { fb in
      weights.withUnsafeMutableBufferPointer { wb in
        let first = SharedPointer(fb.baseAddress!), lw = SharedPointer(wb.baseAddress!), yy = SharedPointer(y)
        DispatchQueue.concurrentPerform(iterations: workers) { t in
          for i in (n * t / workers) ..< (n * (t + 1) / workers) {
            let fx = (Double(yy.base[2 * i]) - originX) / width
            let fy = (Double(yy.base[2 * i + 1]) - originY) / width
            let bx = min(max(Int(fx), 0), intervalsX - 1), by = min(max(Int(fy), 0), intervalsY - 1)
            let u = fx - Double(bx), v = fy - Double(by)
            first.base[i] = Int32(by * p * nx + bx * p)
            for k in 0..<p {
              var lx = denominators[k], ly = denominators[k]
              for l in 0..<p where l != k { lx *= u - nodes[l]; ly *= v - nodes[l] }
              lw.base[2 * p * i + k] = Float(lx)
              lw.base[2 * p * i + p + k] = Float(ly)
            }
          }
        }
      }
    }
    // Spread unit charges to the nodes.
    firstNode.withUnsafeBufferPointer { first in
      weights.withUnsafeBufferPointer { lw in
        grid.withUnsafeMutableBufferPointer { g in
          for i in 0..<n {
            let base = Int(first[i]), w = lw.baseAddress! + 2 * p * i
            for l in 0..<p {
              let row = g.baseAddress! + base + l * nx, ly = w[p + l]
              for k in 0..<p { row[k] += ly * w[k] }
            }
          }
        }
      }
    }
    // Node potentials of w²Δx and w²Δy, and Σ_ij of the interpolated w.
    let total = grid.withUnsafeBufferPointer { g in
      potentials.withUnsafeMutableBufferPointer { v in
        conv.convolve([g.baseAddress!], into: [v.baseAddress!, v.baseAddress! + plane])[0]
      }
    }
    // Gather the forces at every point; subtract every self-interaction from Z.
    var partialSums = [Double](repeating: 0, count: workers)
    firstNode.withUnsafeBufferPointer { fb in
      weights.withUnsafeBufferPointer { wb in
        potentials.withUnsafeBufferPointer { vb in
          partialSums.withUnsafeMutableBufferPointer { sb in
            let first = SharedPointer(fb.baseAddress!), lw = SharedPointer(wb.baseAddress!)
            let v = SharedPointer(vb.baseAddress!), sums = SharedPointer(sb.baseAddress!)
            let f = SharedPointer(forces)
            DispatchQueue.concurrentPerform(iterations: workers) { t in
              var z = 0.0
              var autoX = [Float](repeating: 0, count: p), autoY = [Float](repeating: 0, count: p)
              for i in (n * t / workers) ..< (n * (t + 1) / workers) {
                let base = Int(first.base[i]), w = lw.base + 2 * p * i
                var sx: Float = 0, sy: Float = 0
                for l in 0..<p {
                  let ly = w[p + l], row = v.base + base + l * nx
                  for k in 0..<p {
                    let c = ly * w[k]
                    sx += c * row[k]
                    sy += c * row[plane + k]
                  }
                }
                // The interpolated self-interaction Σ_ab L_a L_b w(a − b), through
                // the autocorrelations of the weights along each axis (even in
                // the offset, like w, so only offsets ≥ 0 are summed).
                for d in 0..<p {
                  var ax: Float = 0, ay: Float = 0
                  for k in 0 ..< p - d { ax += w[k] * w[k + d]; ay += w[p + k] * w[p + k + d] }
                  autoX[d] = ax; autoY[d] = ay
                }
                var own: Float = 0
                for dy in 0..<p {
                  var rowSum: Float = 0
                  for dx in 0..<p { rowSum += nearKernel[dy * p + dx] * autoX[dx] }
                  own += autoY[dy] * rowSum
                }
                z += Double(own)
                f.base[2 * i] = sx
                f.base[2 * i + 1] = sy
              }
              sums.base[t] = z
            }
          }
        }
      }
    }
    return total - partialSums.reduce(0, +)
  }
}
