import COpenBLAS

/// Thin Swift doors to the OpenBLAS routines the core uses. Nothing outside
/// this file imports `COpenBLAS`.
public enum BLAS {
  /// `C[m×n] = alpha · A[m×k] · op(B) + beta · C` in row-major layout, where
  /// `op(B)` is `B[k×n]` or, with `transposeB`, `Bᵀ` for `B[n×k]`.
  /// Calls `cblas_sgemm`.
  @inlinable
  public static func gemm(
    m: Int, n: Int, k: Int, alpha: Float = 1,
    a: UnsafePointer<Float>, lda: Int, transposeA: Bool = false,
    b: UnsafePointer<Float>, ldb: Int, transposeB: Bool = false,
    beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    guard m > 0, n > 0 else { return }
    if k == 0 {
      for i in 0..<m { for j in 0..<n { c[i * ldc + j] = beta == 0 ? 0 : c[i * ldc + j] * beta } }
      return
    }
    cblas_sgemm(
      CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
      Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
  }

  /// Calls `body(start, rows, s)` with `s = A[start ..< start + rows] · Bᵀ` (`rows × B.rows`,
  /// row-major, valid during the call only) for consecutive blocks of `blockRows` rows of `A`:
  /// every per-row use of ``dotProducts(_:_:)`` (nearest centre, top two, representatives)
  /// without its `A.rows × B.rows` matrix. - Complexity: one SGEMM per block.
  public static func forEachProductBlock(_ a: Matrix, _ b: Matrix, blockRows: Int,
                                         _ body: (_ start: Int, _ rows: Int, _ s: UnsafeMutablePointer<Float>) -> Void) {
    precondition(a.columns == b.columns, "dimension mismatch \(a.columns) vs \(b.columns)")
    let n = a.rows, d = a.columns, k = b.rows, block = max(1, blockRows)
    guard n > 0, k > 0 else { return }
    var scratch = [Float](repeating: 0, count: min(n, block) * k)
    a.storage.withUnsafeBufferPointer { pa in
      b.storage.withUnsafeBufferPointer { pb in
        scratch.withUnsafeMutableBufferPointer { ps in
          var start = 0
          while start < n {
            let rows = min(block, n - start)
            gemm(m: rows, n: k, k: d, a: pa.baseAddress! + start * d, lda: d, b: pb.baseAddress!, ldb: d,
                 transposeB: true, c: ps.baseAddress!, ldc: k)
            body(start, rows, ps.baseAddress!)
            start += rows
          }
        }
      }
    }
  }

  /// `A · Bᵀ` for row-major `A[m×d]`, `B[n×d]`: all pairwise dot products.
  public static func dotProducts(_ a: Matrix, _ b: Matrix) -> Matrix {
    precondition(a.columns == b.columns, "dimension mismatch \(a.columns) vs \(b.columns)")
    var c = Matrix(rows: a.rows, columns: b.rows)
    a.storage.withUnsafeBufferPointer { pa in
      b.storage.withUnsafeBufferPointer { pb in
        c.storage.withUnsafeMutableBufferPointer { pc in
          gemm(m: a.rows, n: b.rows, k: a.columns, a: pa.baseAddress!, lda: a.columns,
               b: pb.baseAddress!, ldb: b.columns, transposeB: true, c: pc.baseAddress!, ldc: b.rows)
        }
      }
    }
    return c
  }

  /// `A · B` for row-major `A[m×k]`, `B[k×n]`.
  public static func multiply(_ a: Matrix, _ b: Matrix) -> Matrix {
    precondition(a.columns == b.rows, "dimension mismatch \(a.columns) vs \(b.rows)")
    var c = Matrix(rows: a.rows, columns: b.columns)
    a.storage.withUnsafeBufferPointer { pa in
      b.storage.withUnsafeBufferPointer { pb in
        c.storage.withUnsafeMutableBufferPointer { pc in
          gemm(m: a.rows, n: b.columns, k: a.columns, a: pa.baseAddress!, lda: a.columns,
               b: pb.baseAddress!, ldb: b.columns, c: pc.baseAddress!, ldc: b.columns)
        }
      }
    }
    return c
  }

  /// `y = alpha · A · x + beta · y` (row-major `A[m×n]`). Calls `cblas_sgemv`.
  public static func gemv(
    m: Int, n: Int, alpha: Float = 1, a: UnsafePointer<Float>, lda: Int, transpose: Bool = false,
    x: UnsafePointer<Float>, beta: Float = 0, y: UnsafeMutablePointer<Float>
  ) {
    guard m > 0, n > 0 else { return }
    cblas_sgemv(CblasRowMajor, transpose ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), alpha, a, Int32(lda), x, 1, beta, y, 1)
  }

  /// `Σ a_t b_t` over `d` floats, sixteen lanes at a time: one pair of rows, where a call
  /// into OpenBLAS would cost more than the sum (the approximate graph's refinement, the
  /// lazy greedy selection's updates).
  @inline(__always)
  static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ d: Int) -> Float {
    var acc = SIMD16<Float>(repeating: 0)
    var t = 0
    while t + 16 <= d {
      acc += UnsafeRawPointer(a + t).loadUnaligned(as: SIMD16<Float>.self)
        * UnsafeRawPointer(b + t).loadUnaligned(as: SIMD16<Float>.self)
      t += 16
    }
    var s = acc.sum()
    while t < d { s += a[t] * b[t]; t += 1 }
    return s
  }

  /// `y = A · b_row` for row-major `A[m×d]` and row `row` of `B[·×d]`: every row's dot product
  /// with one row (one SGEMV). `y` is resized to `A.rows`.
  public static func dotProducts(_ a: Matrix, withRow row: Int, of b: Matrix, into y: inout [Float]) {
    precondition(a.columns == b.columns, "dimension mismatch \(a.columns) vs \(b.columns)")
    if y.count != a.rows { y = [Float](repeating: 0, count: a.rows) }
    a.storage.withUnsafeBufferPointer { pa in
      b.storage.withUnsafeBufferPointer { pb in
        y.withUnsafeMutableBufferPointer { out in
          gemv(m: a.rows, n: a.columns, a: pa.baseAddress!, lda: a.columns, x: pb.baseAddress! + row * b.columns,
               y: out.baseAddress!)
        }
      }
    }
  }

  /// Number of threads OpenBLAS uses. Calls `openblas_get_num_threads`.
  public static var threadCount: Int { Int(openblas_get_num_threads()) }

  /// Sets the number of OpenBLAS threads. Calls `openblas_set_num_threads`.
  public static func setThreadCount(_ n: Int) { openblas_set_num_threads(Int32(max(1, n))) }
}
