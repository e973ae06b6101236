/// A dense row-major matrix of `Float`, the currency of the numeric core.
///
/// Row `i` occupies `storage[i * columns ..< (i + 1) * columns]`, the layout
/// BLAS calls `CblasRowMajor` with leading dimension `columns`.
public struct Matrix: Sendable, Equatable {
  public private(set) var rows: Int
  public private(set) var columns: Int
  public var storage: [Float]

  /// A `rows × columns` matrix filled with `value`.
  public init(rows: Int, columns: Int, repeating value: Float = 0) {
    precondition(rows >= 0 && columns >= 0, "negative matrix shape")
    self.rows = rows
    self.columns = columns
    self.storage = [Float](repeating: value, count: rows * columns)
  }

  /// Wraps `storage` (row-major, `rows * columns` elements) without copying.
  public init(rows: Int, columns: Int, storage: [Float]) {
    precondition(storage.count == rows * columns, "storage has \(storage.count) elements, shape needs \(rows * columns)")
    self.rows = rows
    self.columns = columns
    self.storage = storage
  }

  /// Builds a matrix from nested rows (tests and small literals).
  public init(_ nested: [[Float]]) {
    let columns = nested.first?.count ?? 0
    precondition(nested.allSatisfy { $0.count == columns }, "ragged rows")
    self.init(rows: nested.count, columns: columns, storage: nested.flatMap { $0 })
  }

  public subscript(row: Int, column: Int) -> Float {
    get { storage[row * columns + column] }
    set { storage[row * columns + column] = newValue }
  }

  /// A copy of row `i`.
  public func row(_ i: Int) -> [Float] {
    Array(storage[i * columns ..< (i + 1) * columns])
  }

  /// The rows at `indices`, in that order.
  public func rows(_ indices: [Int]) -> Matrix {
    var out = Matrix(rows: indices.count, columns: columns)
    storage.withUnsafeBufferPointer { src in
      out.storage.withUnsafeMutableBufferPointer { dst in
        for (k, i) in indices.enumerated() {
          let from = src.baseAddress! + i * columns
          (dst.baseAddress! + k * columns).update(from: from, count: columns)
        }
      }
    }
    return out
  }

  /// Squared Euclidean norm of every row, accumulated in `Double`.
  public func rowSquaredNorms() -> [Float] {
    var norms = [Float](repeating: 0, count: rows)
    storage.withUnsafeBufferPointer { a in
      for i in 0..<rows {
        var s: Double = 0
        let base = i * columns
        for j in 0..<columns { let v = Double(a[base + j]); s += v * v }
        norms[i] = Float(s)
      }
    }
    return norms
  }

  /// Each row divided by its Euclidean norm; all-zero rows stay zero.
  ///
  /// The cosine geometry of IDC (docs/method.md §1: `Z` is L2-normalised).
  ///
  /// Shares `self`'s storage (no copy) when normalising would change no entry — every
  /// row's scale rounds to `1` in `Float`, as for rows normalised once already: k-means
  /// on the session's `z` then costs no second `N × D` copy, with the same bits.
  public func l2NormalizedRows() -> Matrix {
    if normalizationChangesNothing() { return self }
    var out = self
    out.normalizeRows()
    return out
  }

  /// True when every row has Euclidean norm 1 within `tolerance`, or is all zeros.
  public func rowsHaveUnitNorm(tolerance: Double) -> Bool {
    let columns = self.columns
    return storage.withUnsafeBufferPointer { a in
      for i in 0..<rows {
        var s: Double = 0
        for j in (i * columns)..<((i + 1) * columns) { let v = Double(a[j]); s += v * v }
        if s > 0 && abs(s.squareRoot() - 1) > tolerance { return false }
        if s.isNaN { return false }
      }
      return true
    }
  }

  /// True when ``normalizeRows()`` would leave every entry as it is: each row is all
  /// zeros or its scale `Float(1 / ‖row‖)` (norm in `Double`) is exactly `1`.
  public func normalizationChangesNothing() -> Bool {
    let columns = self.columns
    return storage.withUnsafeBufferPointer { a in
      for i in 0..<rows {
        var s: Double = 0
        for j in (i * columns)..<((i + 1) * columns) { let v = Double(a[j]); s += v * v }
        if s > 0 && Float(1 / s.squareRoot()) != 1 { return false }
      }
      return true
    }
  }

  /// The rows whose entries are all zero (their direction, and so their cosine, is undefined).
  public func zeroRows() -> [Int] {
    storage.withUnsafeBufferPointer { a in
      (0..<rows).filter { i in !a[(i * columns)..<((i + 1) * columns)].contains { $0 != 0 } }
    }
  }

  /// In-place version of ``l2NormalizedRows()``.
  public mutating func normalizeRows() {
    let columns = self.columns
    let rows = self.rows
    storage.withUnsafeMutableBufferPointer { a in
      guard let base = a.baseAddress else { return }
      Matrix.normalizeRows(base, rows: rows, columns: columns)
    }
  }

  /// ``normalizeRows()`` on `rows × columns` floats at `a` (a block of a larger matrix gets
  /// the same bits as the whole: each row is normalised on its own).
  public static func normalizeRows(_ a: UnsafeMutablePointer<Float>, rows: Int, columns: Int) {
    for i in 0..<rows {
      let base = i * columns
      var s: Double = 0
      for j in 0..<columns { let v = Double(a[base + j]); s += v * v }
      guard s > 0 else { continue }
      let scale = Float(1 / s.squareRoot())
      for j in 0..<columns { a[base + j] *= scale }
    }
  }

  /// The first `(row, column)` holding NaN or ±Inf, if any.
  public func firstNonFinite() -> (row: Int, column: Int)? {
    guard columns > 0 else { return nil }
    return storage.withUnsafeBufferPointer { a in
      for k in 0..<a.count where !a[k].isFinite { return (k / columns, k % columns) }
      return nil
    }
  }

  /// The transpose (used for small matrices such as centres and weights).
  public func transposed() -> Matrix {
    var out = Matrix(rows: columns, columns: rows)
    for i in 0..<rows { for j in 0..<columns { out.storage[j * rows + i] = storage[i * columns + j] } }
    return out
  }
}
