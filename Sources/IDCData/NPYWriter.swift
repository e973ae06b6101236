/// Writes NumPy `.npy` files that `numpy.load` reads back.
///
/// Always C order and little-endian, format version 1.0 (2.0 when the header
/// would not fit a 16-bit length), the header padded to a multiple of 64
/// bytes as NumPy does. Dtypes: `<f4 <f8 |i1 <i2 <i4 <i8 |u1 <u2 <u4 <u8 |b1`
/// and `<U n` for strings, n being the longest string in Unicode scalars
/// (at least 1; trailing NULs in a string are lost, as in NumPy).
public enum NPYWriter {
  /// Writes `array` to `path`, replacing the file only once it is complete.
  public static func write(_ array: NDArray, to path: String) throws {
    let file = try OutputFile(path: path)
    try file.write(header(for: array))
    try withPayload(of: array) { try file.write($0) }
    try file.commit()
  }

  /// The complete `.npy` image of `array`.
  public static func encode(_ array: NDArray) -> [UInt8] {
    var bytes = header(for: array)
    withPayload(of: array) { bytes.append(contentsOf: $0) }
    return bytes
  }

  /// Magic, version and header for `array`.
  static func header(for array: NDArray) -> [UInt8] {
    var length = 0
    if case .strings(let strings) = array.storage {
      length = max(1, strings.map { $0.unicodeScalars.count }.max() ?? 1)
    }
    return NPYHeader.encode(descr: NPYHeader.descr(for: array.dtype, stringLength: length), shape: array.shape)
  }

  /// Calls `body` with the little-endian data bytes of `array`: the storage
  /// itself for numbers (no copy), an encoded copy for booleans and strings.
  static func withPayload<R>(of array: NDArray, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    switch array.storage {
    case .float32(let a): return try a.withUnsafeBytes(body)
    case .float64(let a): return try a.withUnsafeBytes(body)
    case .int8(let a): return try a.withUnsafeBytes(body)
    case .int16(let a): return try a.withUnsafeBytes(body)
    case .int32(let a): return try a.withUnsafeBytes(body)
    case .int64(let a): return try a.withUnsafeBytes(body)
    case .uint8(let a): return try a.withUnsafeBytes(body)
    case .uint16(let a): return try a.withUnsafeBytes(body)
    case .uint32(let a): return try a.withUnsafeBytes(body)
    case .uint64(let a): return try a.withUnsafeBytes(body)
    case .bool(let a): return try a.map { UInt8($0 ? 1 : 0) }.withUnsafeBytes(body)
    case .strings(let strings):
      let length = max(1, strings.map { $0.unicodeScalars.count }.max() ?? 1)
      var bytes = [UInt8](repeating: 0, count: strings.count * length * 4)
      for (item, string) in strings.enumerated() {
        var offset = item * length * 4
        for scalar in string.unicodeScalars {
          for shift in stride(from: 0, to: 32, by: 8) { bytes[offset] = UInt8(truncatingIfNeeded: scalar.value >> UInt32(shift)); offset += 1 }
        }
      }
      return try bytes.withUnsafeBytes(body)
    }
  }
}
