/// Reads NumPy `.npy` files (format versions 1.0, 2.0 and 3.0).
///
/// Supported dtypes: `f4 f8 i1 i2 i4 i8 u1 u2 u4 u8 b1` in either byte
/// order, plus `U…` and `S…` strings. Big-endian data are byte-swapped,
/// Fortran-ordered data transposed into C order. Object (pickled),
/// structured, complex, float16 and datetime arrays are refused with a
/// message saying how to convert them in NumPy.
///
/// Memory: the data are read with `pread(2)` straight into the buffer of the
/// returned array, so a file costs its data size once (plus a transposed
/// copy for Fortran order only). Data after the promised bytes are ignored,
/// as `numpy.load` does.
public enum NPYReader {
  /// Reads the array in the `.npy` file at `path`.
  public static func read(path: String) throws -> NDArray {
    let file = try InputFile(path: path)
    let header = try readHeader(file)
    return try makeArray(header: header, origin: path, available: file.size - header.dataOffset) { buffer in
      let n = try file.read(into: buffer, at: header.dataOffset)
      guard n == buffer.count else { throw truncated(header, available: n, origin: path) }
    }
  }

  /// Reads only the header of the `.npy` file at `path` (shape and dtype).
  public static func readHeader(path: String) throws -> NPYHeader {
    try readHeader(InputFile(path: path))
  }

  /// Decodes a `.npy` image held in memory; `origin` names it in errors.
  public static func decode(_ bytes: [UInt8], origin: String = "array") throws -> NDArray {
    let offset = try NPYHeader.dataOffset(preamble: Array(bytes.prefix(12)), origin: origin)
    guard bytes.count >= offset else { throw NPYHeader.truncatedHeader(needed: offset, have: bytes.count, origin: origin) }
    let header = try NPYHeader(prefix: Array(bytes[..<offset]), origin: origin)
    return try makeArray(header: header, origin: origin, available: bytes.count - offset) { buffer in
      bytes.withUnsafeBytes { source in
        buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset ..< offset + buffer.count]))
      }
    }
  }

  private static func readHeader(_ file: InputFile) throws -> NPYHeader {
    let preamble = try file.read(upTo: 12, at: 0)
    let offset = try NPYHeader.dataOffset(preamble: preamble, origin: file.path)
    guard file.size >= offset else { throw NPYHeader.truncatedHeader(needed: offset, have: file.size, origin: file.path) }
    let prefix = try file.read(upTo: offset, at: 0)
    return try NPYHeader(prefix: prefix, origin: file.path)
  }

  // MARK: - Shared by the .npy and .npz readers

  /// The error for data shorter than the header promises.
  static func truncated(_ header: NPYHeader, available: Int, origin: String) -> DataError {
    DataError(
      path: origin,
      message: "truncated: header says \(NDArray.describe(shape: header.shape)) \(header.typeDescription) = \(header.byteCount) bytes, file has \(max(0, available)) after the header"
    )
  }

  /// Builds the array `header` describes.
  ///
  /// `available` is the number of data bytes the source holds (checked before
  /// anything is allocated); `fill` must write exactly `buffer.count` =
  /// `header.byteCount` raw file bytes into the buffer, which for numeric
  /// dtypes is the returned array's own storage.
  static func makeArray(
    header: NPYHeader, origin: String, available: Int,
    fill: (UnsafeMutableRawBufferPointer) throws -> Void
  ) throws -> NDArray {
    guard available >= header.byteCount else { throw truncated(header, available: available, origin: origin) }
    let count = header.elementCount
    let swapWidth = header.swapWidth
    let reorder = header.fortranOrder && header.shape.count > 1

    func filled<T: BitwiseCopyable>(_ zero: T) throws -> [T] {
      var values = [T](repeating: zero, count: count)
      try values.withUnsafeMutableBytes { raw in
        try fill(raw)
        byteSwap(raw, width: swapWidth)
      }
      return reorder ? fortranToC(values, shape: header.shape) : values
    }

    let storage: NDArray.Storage
    switch header.dtype {
    case .float32: storage = .float32(try filled(Float(0)))
    case .float64: storage = .float64(try filled(Double(0)))
    case .int8: storage = .int8(try filled(Int8(0)))
    case .int16: storage = .int16(try filled(Int16(0)))
    case .int32: storage = .int32(try filled(Int32(0)))
    case .int64: storage = .int64(try filled(Int64(0)))
    case .uint8: storage = .uint8(try filled(UInt8(0)))
    case .uint16: storage = .uint16(try filled(UInt16(0)))
    case .uint32: storage = .uint32(try filled(UInt32(0)))
    case .uint64: storage = .uint64(try filled(UInt64(0)))
    case .bool: storage = .bool(try filled(UInt8(0)).map { $0 != 0 })
    case .string:
      var raw = [UInt8](repeating: 0, count: header.byteCount)
      try raw.withUnsafeMutableBytes { buffer in
        try fill(buffer)
        byteSwap(buffer, width: swapWidth)
      }
      let strings = decodeStrings(raw, count: count, itemSize: header.itemSize, utf32: !header.stringIsBytes)
      storage = .strings(reorder ? fortranToC(strings, shape: header.shape) : strings)
    }
    return NDArray(shape: header.shape, storage: storage, origin: origin)
  }

  /// Reverses the byte order of every `width`-byte unit in `raw` (width 1: nothing).
  static func byteSwap(_ raw: UnsafeMutableRawBufferPointer, width: Int) {
    func swap<T: FixedWidthInteger>(_: T.Type) {
      for offset in stride(from: 0, to: raw.count - width + 1, by: width) {
        let value = raw.loadUnaligned(fromByteOffset: offset, as: T.self)
        raw.storeBytes(of: value.byteSwapped, toByteOffset: offset, as: T.self)
      }
    }
    switch width {
    case 2: swap(UInt16.self)
    case 4: swap(UInt32.self)
    case 8: swap(UInt64.self)
    default: break
    }
  }

  /// Reorders elements stored in Fortran (column-major) order into C order.
  ///
  /// Element `(i0, …, ik)` sits at Fortran offset `Σ i_j · s_j` with
  /// `s_0 = 1`, `s_j = s_{j-1} · shape[j-1]`; the output visits indices in C
  /// order (last axis fastest).
  /// - Complexity: O(count · rank) time, one new array.
  static func fortranToC<T>(_ values: [T], shape: [Int]) -> [T] {
    let rank = shape.count
    guard rank > 1, values.count > 1 else { return values }
    var strides = [Int](repeating: 1, count: rank)
    for j in 1..<rank { strides[j] = strides[j - 1] * shape[j - 1] }
    var out = [T]()
    out.reserveCapacity(values.count)
    var index = [Int](repeating: 0, count: rank)
    var offset = 0
    for _ in 0..<values.count {
      out.append(values[offset])
      var k = rank - 1
      while k >= 0 {
        index[k] += 1
        offset += strides[k]
        if index[k] < shape[k] { break }
        offset -= strides[k] * shape[k]
        index[k] = 0
        k -= 1
      }
    }
    return out
  }

  /// Splits fixed-width string items, dropping NumPy's trailing NUL padding.
  /// UTF-32 items decode invalid code points as U+FFFD; bytes items as UTF-8.
  static func decodeStrings(_ raw: [UInt8], count: Int, itemSize: Int, utf32: Bool) -> [String] {
    var out = [String]()
    out.reserveCapacity(count)
    for item in 0..<count {
      let start = item * itemSize
      if utf32 {
        var scalars = String.UnicodeScalarView()
        var codes: [UInt32] = []
        for unit in stride(from: start, to: start + itemSize, by: 4) {
          codes.append(UInt32(raw[unit]) | UInt32(raw[unit + 1]) << 8 | UInt32(raw[unit + 2]) << 16 | UInt32(raw[unit + 3]) << 24)
        }
        while codes.last == 0 { codes.removeLast() }
        for code in codes { scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}") }
        out.append(String(scalars))
      } else {
        var end = start + itemSize
        while end > start, raw[end - 1] == 0 { end -= 1 }
        out.append(String(decoding: raw[start..<end], as: UTF8.self))
      }
    }
    return out
  }
}
