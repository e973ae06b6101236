/// Principal component analysis: the leading eigenvectors of the sample
/// covariance `C = X̄ᵀX̄ / (N − 1)` of the centred rows `X̄`.
///
/// `C` is one SGEMM (`D × N · N × D`); its top eigenpairs come from block
/// subspace iteration (Golub & Van Loan 2013, §8.2.4) with `b = min(D,
/// components + 8)` vectors in `Double`, re-orthonormalised by modified
/// Gram–Schmidt and rotated each step by the Rayleigh–Ritz projection
/// `VᵀCV`, diagonalised by cyclic Jacobi. It stops when the kept Ritz values
/// change by less than `1e-12` relatively (at most 500 steps). The start block
/// is fixed, so the result is deterministic. Each axis's sign makes its
/// largest-magnitude entry positive (scikit-learn's `svd_flip` convention).
///
/// - Complexity: `N·D²` for the covariance plus `O(D²·b)` per iteration.
public struct PCA: Sendable {
  public var components: Int

  public init(components: Int = 2) {
    self.components = components
  }

  public struct Result: Sendable {
    /// Column means subtracted before projecting, length `D`.
    public let mean: [Float]
    /// Principal axes as rows, `components × D`, orthonormal.
    public let axes: Matrix
    /// Variance along each axis (eigenvalues of `C`), descending.
    public let variances: [Double]

    /// `(x − mean) · axesᵀ`, `N × components`, centring ``PCA/blockRows(rows:columns:)`` rows at a time.
    public func transform(_ x: Matrix) -> Matrix {
      precondition(x.columns == mean.count, "expected \(mean.count) columns, got \(x.columns)")
      let n = x.rows, d = x.columns, c = axes.rows
      var out = Matrix(rows: n, columns: c)
      let block = PCA.blockRows(rows: n, columns: d)
      var centred = [Float](repeating: 0, count: min(n, block) * d)
      x.storage.withUnsafeBufferPointer { xs in
        axes.storage.withUnsafeBufferPointer { ax in
          out.storage.withUnsafeMutableBufferPointer { os in
            centred.withUnsafeMutableBufferPointer { cs in
              var start = 0
              while start < n {
                let rows = min(block, n - start)
                for i in 0..<rows { for j in 0..<d { cs[i * d + j] = xs[(start + i) * d + j] - mean[j] } }
                BLAS.gemm(m: rows, n: c, k: d, a: cs.baseAddress!, lda: d, b: ax.baseAddress!, ldb: d, transposeB: true,
                          c: os.baseAddress! + start * c, ldc: c)
                start += rows
              }
            }
          }
        }
      }
      return out
    }
  }

  /// Rows centred at a time by ``fit(_:)`` and ``Result/transform(_:)``: all of them up to
  /// 2²⁴ floats (64 MB; every shared data set, one SGEMM as before), else blocks of that
  /// size — no centred `N × D` copy (2 GB at 10⁶ × 512).
  static func blockRows(rows n: Int, columns d: Int) -> Int {
    n * d <= 1 << 24 ? max(n, 1) : max(1, (1 << 24) / max(d, 1))
  }

  public func fit(_ x: Matrix) throws -> Result {
    let n = x.rows, d = x.columns
    guard n >= 1, d >= 1 else { throw CoreError("PCA needs a non-empty matrix, got \(n) × \(d)") }
    guard components >= 1, components <= d else {
      throw CoreError("PCA components must be in 1...\(d), got \(components)")
    }
    var mean = [Double](repeating: 0, count: d)
    for i in 0..<n { for j in 0..<d { mean[j] += Double(x.storage[i * d + j]) } }
    for j in 0..<d { mean[j] /= Double(n) }
    // C = Σ over blocks of X̄_bᵀ·X̄_b / (N − 1), accumulated by SGEMM (β = 1 after the first).
    var covarianceF = [Float](repeating: 0, count: d * d)
    let block = Self.blockRows(rows: n, columns: d)
    var centred = [Float](repeating: 0, count: min(n, block) * d)
    x.storage.withUnsafeBufferPointer { xs in
      centred.withUnsafeMutableBufferPointer { a in
        covarianceF.withUnsafeMutableBufferPointer { c in
          var start = 0
          while start < n {
            let rows = min(block, n - start)
            for i in 0..<rows { for j in 0..<d { a[i * d + j] = Float(Double(xs[(start + i) * d + j]) - mean[j]) } }
            BLAS.gemm(m: d, n: d, k: rows, alpha: 1 / Float(max(1, n - 1)), a: a.baseAddress!, lda: d, transposeA: true,
                      b: a.baseAddress!, ldb: d, beta: start == 0 ? 0 : 1, c: c.baseAddress!, ldc: d)
            start += rows
          }
        }
      }
    }
    let covariance = covarianceF.map(Double.init)
    let (vectors, values) = Self.topEigenpairs(covariance, dimension: d, count: components)
    var axes = Matrix(rows: components, columns: d)
    for c in 0..<components {
      var largest = 0
      for j in 0..<d where abs(vectors[c][j]) > abs(vectors[c][largest]) { largest = j }
      let sign: Double = vectors[c][largest] < 0 ? -1 : 1
      for j in 0..<d { axes[c, j] = Float(sign * vectors[c][j]) }
    }
    return Result(mean: mean.map { Float($0) }, axes: axes, variances: values)
  }

  /// The `count` leading eigenpairs of the symmetric `d × d` row-major `a`.
  static func topEigenpairs(_ a: [Double], dimension d: Int, count: Int) -> (vectors: [[Double]], values: [Double]) {
    let b = min(d, count + 8)
    // Fixed, well-spread start block.
    var generator = SeededGenerator(seed: 0x5CA)
    let v0 = (0..<b).map { _ in (0..<d).map { _ in generator.nextGaussian() } }
    var v = v0
    orthonormalize(&v)
    var previous = [Double](repeating: .infinity, count: count)
    var ritzValues = [Double](repeating: 0, count: b)
    var av = v.map { column in multiply(a, column, d) }
    for _ in 0..<500 {
      // W = orth(A·V), Rayleigh–Ritz on W; A·W rotated along gives the next A·V.
      var w = av
      orthonormalize(&w)
      let aw = w.map { column in multiply(a, column, d) }
      var h = [Double](repeating: 0, count: b * b)
      for r in 0..<b { for c in 0..<b { h[r * b + c] = dot(w[r], aw[c]) } }
      let (rotation, values) = jacobiEigen(h, b)
      let order = (0..<b).sorted { values[$0] > values[$1] }
      func rotate(_ block: [[Double]]) -> [[Double]] {
        order.map { e in
          var column = [Double](repeating: 0, count: d)
          for r in 0..<b { let s = rotation[r * b + e]; for j in 0..<d { column[j] += s * block[r][j] } }
          return column
        }
      }
      v = rotate(w)
      av = rotate(aw)
      ritzValues = order.map { values[$0] }
      let converged = (0..<count).allSatisfy {
        abs(ritzValues[$0] - previous[$0]) <= 1e-12 * max(abs(ritzValues[0]), .leastNormalMagnitude)
      }
      previous = Array(ritzValues.prefix(count))
      if converged { break }
    }
    return (Array(v.prefix(count)), Array(ritzValues.prefix(count)))
  }

  private static func multiply(_ a: [Double], _ x: [Double], _ d: Int) -> [Double] {
    (0..<d).map { r in
      var s = 0.0
      for c in 0..<d { s += a[r * d + c] * x[c] }
      return s
    }
  }

  private static func dot(_ a: [Double], _ b: [Double]) -> Double {
    var s = 0.0
    for j in 0..<a.count { s += a[j] * b[j] }
    return s
  }

  /// Modified Gram–Schmidt; a column that vanishes is replaced by a unit
  /// vector orthogonal to the previous ones.
  private static func orthonormalize(_ v: inout [[Double]]) {
    let d = v.first?.count ?? 0
    for c in 0..<v.count {
      for pass in 0..<2 {
        for prior in 0..<c {
          let s = dot(v[prior], v[c])
          for j in 0..<d { v[c][j] -= s * v[prior][j] }
        }
        let norm = dot(v[c], v[c]).squareRoot()
        if norm > 1e-300 {
          for j in 0..<d { v[c][j] /= norm }
          break
        }
        if pass == 0 { v[c] = (0..<d).map { $0 == c % d ? 1 : 0 } }
      }
    }
  }

  /// Cyclic Jacobi eigen-decomposition of the symmetric `n × n` row-major `a`:
  /// eigenvectors as the columns of the returned rotation, eigenvalues unordered.
  static func jacobiEigen(_ input: [Double], _ n: Int) -> (vectors: [Double], values: [Double]) {
    var a = input
    var v = [Double](repeating: 0, count: n * n)
    for i in 0..<n { v[i * n + i] = 1 }
    for _ in 0..<100 {
      var off = 0.0, total = 0.0
      for r in 0..<n { for c in 0..<n { let x = a[r * n + c] * a[r * n + c]; total += x; if r != c { off += x } } }
      if off <= 1e-30 * total || off == 0 { break }
      for p in 0..<n {
        for q in (p + 1)..<n where a[p * n + q] != 0 {
          let apq = a[p * n + q]
          let theta = (a[q * n + q] - a[p * n + p]) / (2 * apq)
          let t = (theta >= 0 ? 1 : -1) / (abs(theta) + (theta * theta + 1).squareRoot())
          let cs = 1 / (t * t + 1).squareRoot(), sn = t * cs
          for k in 0..<n {
            let akp = a[k * n + p], akq = a[k * n + q]
            a[k * n + p] = cs * akp - sn * akq
            a[k * n + q] = sn * akp + cs * akq
          }
          for k in 0..<n {
            let apk = a[p * n + k], aqk = a[q * n + k]
            a[p * n + k] = cs * apk - sn * aqk
            a[q * n + k] = sn * apk + cs * aqk
          }
          for k in 0..<n {
            let vkp = v[k * n + p], vkq = v[k * n + q]
            v[k * n + p] = cs * vkp - sn * vkq
            v[k * n + q] = sn * vkp + cs * vkq
          }
        }
      }
    }
    return (v, (0..<n).map { a[$0 * n + $0] })
  }
}
