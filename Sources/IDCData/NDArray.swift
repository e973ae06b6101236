import IDCCore

/// An n-dimensional array as NumPy stores it: a shape and typed elements in
/// C (row-major) order.
///
/// Readers always return C order: Fortran-ordered files are transposed on
/// read and big-endian files byte-swapped, so `storage` is native and
/// row-major whatever the file said. `origin` names where the array came
/// from (`"x.npy"`, `"x.npz[labels]"`) and prefixes the messages of the
/// conversions below; it plays no part in equality.
public struct NDArray: Sendable, Equatable {
  /// The element type, named as NumPy names it.
  public enum DType: String, Sendable, CaseIterable {
    case bool, int8, int16, int32, int64, uint8, uint16, uint32, uint64, float32, float64
    /// NumPy's fixed-width unicode (`<U…`) or bytes (`|S…`) strings.
    case string
  }

  /// Typed elements, `shape.reduce(1, *)` of them, in C order.
  public enum Storage: Sendable, Equatable {
    case bool([Bool])
    case int8([Int8])
    case int16([Int16])
    case int32([Int32])
    case int64([Int64])
    case uint8([UInt8])
    case uint16([UInt16])
    case uint32([UInt32])
    case uint64([UInt64])
    case float32([Float])
    case float64([Double])
    case strings([String])

    public var count: Int {
      switch self {
      case .bool(let a): a.count
      case .int8(let a): a.count
      case .int16(let a): a.count
      case .int32(let a): a.count
      case .int64(let a): a.count
      case .uint8(let a): a.count
      case .uint16(let a): a.count
      case .uint32(let a): a.count
      case .uint64(let a): a.count
      case .float32(let a): a.count
      case .float64(let a): a.count
      case .strings(let a): a.count
      }
    }

    public var dtype: DType {
      switch self {
      case .bool: .bool
      case .int8: .int8
      case .int16: .int16
      case .int32: .int32
      case .int64: .int64
      case .uint8: .uint8
      case .uint16: .uint16
      case .uint32: .uint32
      case .uint64: .uint64
      case .float32: .float32
      case .float64: .float64
      case .strings: .string
      }
    }
  }

  public var shape: [Int]
  public var storage: Storage
  public var origin: String

  /// Wraps `storage` without copying; `shape` must multiply to its count
  /// (`[]` is a scalar holding one element).
  public init(shape: [Int], storage: Storage, origin: String = "array") {
    precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
    precondition(shape.reduce(1, *) == storage.count, "shape \(shape) needs \(shape.reduce(1, *)) elements, storage has \(storage.count)")
    self.shape = shape
    self.storage = storage
    self.origin = origin
  }

  /// A 2-D float32 array sharing the matrix's storage.
  public init(_ matrix: Matrix, origin: String = "array") {
    self.init(shape: [matrix.rows, matrix.columns], storage: .float32(matrix.storage), origin: origin)
  }

  /// A 1-D int64 array of labels (NumPy's default integer type).
  public init(labels: [Int], origin: String = "array") {
    self.init(shape: [labels.count], storage: .int64(labels.map { Int64($0) }), origin: origin)
  }

  /// A 1-D string array (written as `<U…`).
  public init(strings: [String], origin: String = "array") {
    self.init(shape: [strings.count], storage: .strings(strings), origin: origin)
  }

  public var dtype: DType { storage.dtype }
  public var count: Int { storage.count }
  public var rank: Int { shape.count }

  public static func == (lhs: NDArray, rhs: NDArray) -> Bool {
    lhs.shape == rhs.shape && lhs.storage == rhs.storage
  }

  /// The shape as people write it: `1797×64`, `1797` for 1-D, `scalar` for `()`.
  public var shapeDescription: String { NDArray.describe(shape: shape) }

  static func describe(shape: [Int]) -> String {
    shape.isEmpty ? "scalar" : shape.map(String.init).joined(separator: "×")
  }

  private func failure(_ message: String) -> DataError { DataError(path: origin, message: message) }

  // MARK: - Conversions

  /// The array as a `rows × columns` Float matrix.
  ///
  /// Requires rank 2 and a numeric dtype. float32 storage is shared, not
  /// copied; float64 is rounded to the nearest Float (values beyond
  /// ±Float.greatestFiniteMagnitude become ±Inf); integers and booleans
  /// convert exactly up to 2^24. Values are not checked for NaN/Inf here:
  /// ``DataSet`` does that with the position in its message.
  public func asMatrix() throws -> Matrix {
    guard shape.count == 2 else {
      let hint = shape.count > 2 ? "; flatten it first: x.reshape(len(x), -1)" : "; save it as rows × columns"
      throw failure("expected a 2-D array (rows × columns), got shape \(shapeDescription)\(hint)")
    }
    let values = try asFloats()
    return Matrix(rows: shape[0], columns: shape[1], storage: values)
  }

  /// All elements as `Float`, flattened in C order, whatever the rank.
  ///
  /// float32 storage is shared, not copied; other numeric types convert as
  /// in ``asMatrix()``.
  public func asFloats() throws -> [Float] {
    let values: [Float]
    switch storage {
    case .float32(let a): values = a
    case .float64(let a): values = a.map { Float($0) }
    case .int8(let a): values = a.map { Float($0) }
    case .int16(let a): values = a.map { Float($0) }
    case .int32(let a): values = a.map { Float($0) }
    case .int64(let a): values = a.map { Float($0) }
    case .uint8(let a): values = a.map { Float($0) }
    case .uint16(let a): values = a.map { Float($0) }
    case .uint32(let a): values = a.map { Float($0) }
    case .uint64(let a): values = a.map { Float($0) }
    case .bool(let a): values = a.map { $0 ? 1 : 0 }
    case .strings: throw failure("expected numbers, got strings")
    }
    return values
  }

  /// The array as integer class labels.
  ///
  /// Accepts shape `(n,)` or `(n, 1)`. Integers and booleans convert
  /// directly; floats must be finite and integral (`3.0`, not `2.5`).
  public func asLabels() throws -> [Int] {
    guard shape.count == 1 || (shape.count == 2 && shape[1] == 1) else {
      throw failure("expected a 1-D array of labels, got shape \(shapeDescription)")
    }
    func integral(_ values: [Double]) throws -> [Int] {
      var out = [Int]()
      out.reserveCapacity(values.count)
      for (i, v) in values.enumerated() {
        guard v.isFinite, v.rounded() == v, abs(v) < 0x1p62 else {
          throw failure("label at index \(i) is \(v), not an integer")
        }
        out.append(Int(v))
      }
      return out
    }
    switch storage {
    case .int8(let a): return a.map { Int($0) }
    case .int16(let a): return a.map { Int($0) }
    case .int32(let a): return a.map { Int($0) }
    case .int64(let a): return a.map { Int($0) }
    case .uint8(let a): return a.map { Int($0) }
    case .uint16(let a): return a.map { Int($0) }
    case .uint32(let a): return a.map { Int($0) }
    case .uint64(let a):
      if let i = a.firstIndex(where: { $0 > UInt64(Int.max) }) {
        throw failure("label at index \(i) is \(a[i]), too large for an Int")
      }
      return a.map { Int($0) }
    case .bool(let a): return a.map { $0 ? 1 : 0 }
    case .float32(let a): return try integral(a.map { Double($0) })
    case .float64(let a): return try integral(a)
    case .strings: throw failure("expected integer labels, got strings")
    }
  }

  /// The array as 1-D strings (class names, texts).
  public func asStrings() throws -> [String] {
    guard shape.count == 1 else {
      throw failure("expected a 1-D array of strings, got shape \(shapeDescription)")
    }
    guard case .strings(let a) = storage else {
      throw failure("expected strings, got \(dtype.rawValue)")
    }
    return a
  }

  /// The array as an image stack: uint8, shape `N×H×W×C`.
  ///
  /// Accepts `N×H×W×C` or `N×H×W` (returned as `N×H×W×1`, no copy).
  public func asUInt8Images() throws -> NDArray {
    guard case .uint8 = storage else {
      throw failure("images must be uint8, got \(dtype.rawValue); convert with np.clip(x * 255, 0, 255).astype(np.uint8) for 0..1 floats")
    }
    switch shape.count {
    case 4: return self
    case 3: return NDArray(shape: shape + [1], storage: storage, origin: origin)
    default: throw failure("images must have shape N×H×W×C or N×H×W, got \(shapeDescription)")
    }
  }
}
