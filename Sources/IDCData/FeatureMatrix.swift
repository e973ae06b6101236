import IDCCore

/// A data set's features as loaded: a matrix in memory, or an `.npy` file's float32 data
/// memory-mapped (``MappedFeatures``), which costs no resident copy.
public enum FeatureMatrix: Sendable {
  case memory(Matrix)
  case mapped(MappedFeatures)

  /// When `load` maps an `.npy` instead of reading it: `auto` from ``mappingThreshold`` bytes
  /// of float32 data in C order, `on` whenever the file allows it, `off` never.
  public enum Mapping: String, Sendable, CaseIterable {
    case auto, on, off
  }

  /// `auto` maps files with at least this many bytes of data (256 MiB: 65 536 rows of 1 024
  /// features). Below it a copy in memory costs little and survives the file being rewritten.
  public static let mappingThreshold = 256 << 20

  public var rows: Int {
    switch self {
    case .memory(let m): m.rows
    case .mapped(let f): f.rows
    }
  }

  public var columns: Int {
    switch self {
    case .memory(let m): m.columns
    case .mapped(let f): f.columns
    }
  }

  public var isMapped: Bool {
    if case .mapped = self { return true }
    return false
  }

  /// The features as a matrix: the one in memory, or a copy read from the mapped file
  /// (`rows · columns · 4` bytes; throws when the file changed since it was loaded).
  public func matrix() throws -> Matrix {
    switch self {
    case .memory(let m): m
    case .mapped(let f): try f.matrix()
    }
  }

  /// Every row L2-normalised (``IDCCore/Matrix/l2NormalizedRows()``); a mapped file is read
  /// block by block into the result, with the same bits and one copy in memory.
  public func l2NormalizedRows() throws -> Matrix {
    switch self {
    case .memory(let m):
      return m.l2NormalizedRows()
    case .mapped(let f):
      var z = Matrix(rows: f.rows, columns: f.columns)
      let d = f.columns
      try z.storage.withUnsafeMutableBufferPointer { dst in
        try f.forEachBlock { first, block in
          let to = dst.baseAddress! + first * d
          to.update(from: block.baseAddress!, count: block.count)
          Matrix.normalizeRows(to, rows: block.count / d, columns: d)
        }
      }
      return z
    }
  }

  /// The first entry that is NaN or ±Inf, with its value.
  public func firstNonFinite() throws -> (row: Int, column: Int, value: Float)? {
    switch self {
    case .memory(let m):
      return m.firstNonFinite().map { ($0.row, $0.column, m[$0.row, $0.column]) }
    case .mapped(let f):
      var found: (row: Int, column: Int, value: Float)?
      let d = f.columns
      try f.forEachBlock { first, block in
        guard found == nil, let k = block.firstIndex(where: { !$0.isFinite }) else { return }
        found = (first + k / d, k % d, block[k])
      }
      return found
    }
  }
}
