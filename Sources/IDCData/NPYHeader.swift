import Foundation

/// The header of a NumPy `.npy` file: format version, element type, byte
/// order, memory order and shape.
///
/// Layout (NumPy's `numpy.lib.format`, NEP 1): the magic `\x93NUMPY`, one
/// byte major and one byte minor version, the header length as little-endian
/// u16 (version 1.0) or u32 (2.0 and 3.0), then that many bytes of a Python
/// dict literal — `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`
/// — padded with spaces and ended by `\n`; versions 1 and 2 encode it as
/// latin-1, version 3 as UTF-8. The data follow at ``dataOffset``.
public struct NPYHeader: Sendable, Equatable {
  public var majorVersion: Int
  public var minorVersion: Int
  /// The dtype string as written, e.g. `<f4`, `>i8`, `|u1`, `<U12`.
  public var descr: String
  public var dtype: NDArray.DType
  /// Bytes per element in the file (4 × length for `<U…` strings).
  public var itemSize: Int
  public var isBigEndian: Bool
  public var fortranOrder: Bool
  public var shape: [Int]
  /// Offset of the first data byte: magic, version, length field and header.
  public var dataOffset: Int
  /// Number of elements, the product of `shape` (1 for a scalar).
  public var elementCount: Int
  /// Bytes of data the header promises: `elementCount × itemSize`.
  public var byteCount: Int
  /// For `.string`: true for `|S` (bytes, read as UTF-8), false for `<U` (UTF-32).
  var stringIsBytes = false

  static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // \x93NUMPY

  /// The size of the unit that byte order applies to (4 for UTF-32 strings).
  var swapWidth: Int {
    guard isBigEndian else { return 1 }
    if dtype == .string { return stringIsBytes ? 1 : 4 }
    return itemSize
  }

  /// The element type for people: `float32`, `<U12`...
  var typeDescription: String { dtype == .string ? descr : dtype.rawValue }

  // MARK: - Reading

  /// The offset of the data, read from the file's first bytes.
  ///
  /// `preamble` holds the first 12 bytes of the file, or all of it when the
  /// file is shorter. Checks the magic and the version.
  static func dataOffset(preamble: [UInt8], origin: String) throws -> Int {
    let shown = preamble.prefix(6)
    guard shown.elementsEqual(magic.prefix(shown.count)) else {
      let hex = preamble.prefix(8).map { String(format: "%02X", $0) }.joined(separator: " ")
      let hint = preamble.starts(with: [0x50, 0x4B]) ? " (this is a zip archive: read it as .npz)" : ""
      throw DataError(path: origin, message: "bad magic: not a .npy file (starts with \(hex), expected 93 4E 55 4D 50 59 = \\x93NUMPY)\(hint)")
    }
    guard preamble.count >= 10 else {
      throw DataError(path: origin, message: "truncated: \(preamble.count) bytes, too short for a .npy header")
    }
    let major = Int(preamble[6]), minor = Int(preamble[7])
    switch major {
    case 1:
      return 10 + (Int(preamble[8]) | Int(preamble[9]) << 8)
    case 2, 3:
      guard preamble.count >= 12 else {
        throw DataError(path: origin, message: "truncated: \(preamble.count) bytes, too short for a .npy header")
      }
      let length = (8..<12).reduce(0) { $0 | Int(preamble[$1]) << (8 * ($1 - 8)) }
      return 12 + length
    default:
      throw DataError(path: origin, message: "unsupported .npy format version \(major).\(minor) (supported: 1.0, 2.0, 3.0)")
    }
  }

  /// The error for a file that ends inside its header.
  static func truncatedHeader(needed: Int, have: Int, origin: String) -> DataError {
    DataError(path: origin, message: "truncated: the header needs \(needed) bytes, the file has \(have)")
  }

  /// Parses a complete header; `prefix` holds the first ``dataOffset`` bytes.
  init(prefix: [UInt8], origin: String) throws {
    let offset = try NPYHeader.dataOffset(preamble: Array(prefix.prefix(12)), origin: origin)
    guard prefix.count >= offset else { throw NPYHeader.truncatedHeader(needed: offset, have: prefix.count, origin: origin) }
    majorVersion = Int(prefix[6])
    minorVersion = Int(prefix[7])
    dataOffset = offset
    let start = majorVersion == 1 ? 10 : 12
    let bytes = prefix[start..<offset]
    func bad(_ message: String) -> DataError { DataError(path: origin, message: "bad header: \(message)") }
    let text: String
    if majorVersion == 3 {
      guard let utf8 = String(validating: bytes, as: UTF8.self) else { throw bad("not valid UTF-8") }
      text = utf8
    } else {
      text = String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))  // latin-1
    }
    let literal: PythonLiteral
    do {
      literal = try PythonLiteral.parse(text)
    } catch {
      let shown = text.count > 120 ? String(text.prefix(120)) + "…" : text
      throw bad("\(error.message) in \(shown.trimmingCharacters(in: .whitespacesAndNewlines))")
    }
    guard case .dict(let pairs) = literal else { throw bad("expected a dict, got \(literal.repr)") }
    func value(_ key: String) throws -> PythonLiteral {
      guard let pair = pairs.last(where: { $0.key == key }) else { throw bad("missing key '\(key)'") }
      return pair.value
    }

    switch try value("fortran_order") {
    case .boolean(let b): fortranOrder = b
    case let other: throw bad("'fortran_order' must be True or False, got \(other.repr)")
    }

    let dims: [PythonLiteral]
    switch try value("shape") {
    case .tuple(let items), .list(let items): dims = items
    case let other: throw bad("'shape' must be a tuple of integers, got \(other.repr)")
    }
    shape = []
    for d in dims {
      guard case .integer(let n) = d, n >= 0 else { throw bad("'shape' must hold non-negative integers, got \(d.repr)") }
      shape.append(n)
    }

    switch try value("descr") {
    case .string(let s): descr = s
    case .list:
      throw DataError(path: origin, message: "structured dtype (a record array with named fields) is not supported; save each field as a plain array: np.savez(path, **{name: x[name] for name in x.dtype.names})")
    case let other: throw bad("'descr' must be a dtype string, got \(other.repr)")
    }
    (dtype, itemSize, isBigEndian, stringIsBytes) = try NPYHeader.parseDescr(descr, origin: origin)

    var count = 1
    for n in shape {
      let (product, overflow) = count.multipliedReportingOverflow(by: n)
      guard !overflow else { throw bad("shape \(NDArray.describe(shape: shape)) is too large") }
      count = product
    }
    let (bytesNeeded, overflow) = count.multipliedReportingOverflow(by: itemSize)
    guard !overflow else { throw bad("shape \(NDArray.describe(shape: shape)) is too large") }
    elementCount = count
    byteCount = bytesNeeded
  }

  /// Decodes a dtype string into element type, item size, byte order and,
  /// for strings, whether they are bytes (`S`) or UTF-32 (`U`).
  static func parseDescr(_ descr: String, origin: String) throws -> (NDArray.DType, Int, Bool, Bool) {
    func refuse(_ message: String) -> DataError { DataError(path: origin, message: message) }
    let convert = "np.save(path, np.asarray(x, dtype=np.float32))"
    var rest = Substring(descr)
    var bigEndian = false
    if let order = rest.first, "<>|=".contains(order) {
      bigEndian = order == ">"
      rest = rest.dropFirst()
    }
    guard let kind = rest.first else { throw refuse("bad header: empty dtype '\(descr)'") }
    let sizeText = rest.dropFirst()
    let size = Int(sizeText)
    switch (kind, size) {
    case ("f", 4): return (.float32, 4, bigEndian, false)
    case ("f", 8): return (.float64, 8, bigEndian, false)
    case ("i", 1): return (.int8, 1, false, false)
    case ("i", 2): return (.int16, 2, bigEndian, false)
    case ("i", 4): return (.int32, 4, bigEndian, false)
    case ("i", 8): return (.int64, 8, bigEndian, false)
    case ("u", 1): return (.uint8, 1, false, false)
    case ("u", 2): return (.uint16, 2, bigEndian, false)
    case ("u", 4): return (.uint32, 4, bigEndian, false)
    case ("u", 8): return (.uint64, 8, bigEndian, false)
    case ("b", 1): return (.bool, 1, false, false)
    case ("U", let n?) where n >= 0 && n <= Int.max / 4: return (.string, 4 * n, bigEndian, false)
    case ("S", let n?) where n >= 0: return (.string, n, false, true)
    case ("O", _):
      throw refuse("object arrays ('\(descr)', pickled Python objects) are not supported; save a numeric array: \(convert)")
    case ("V", _):
      throw refuse("structured or void dtype ('\(descr)') is not supported; save each field as a plain array: np.savez(path, **{name: x[name] for name in x.dtype.names})")
    case ("f", 2):
      throw refuse("float16 ('\(descr)') is not supported; convert: \(convert)")
    case ("c", _):
      throw refuse("complex dtype ('\(descr)') is not supported; save the real and imaginary parts as float32 columns")
    case ("M", _), ("m", _):
      throw refuse("datetime dtype ('\(descr)') is not supported; convert to numbers, e.g. np.save(path, x.astype('int64'))")
    default:
      throw refuse("unsupported dtype '\(descr)' (supported: float32, float64, int8-int64, uint8-uint64, bool, unicode and bytes strings); convert: \(convert)")
    }
  }

  // MARK: - Writing

  /// The NumPy dtype string this module writes for `dtype` (little-endian).
  static func descr(for dtype: NDArray.DType, stringLength: Int) -> String {
    switch dtype {
    case .bool: "|b1"
    case .int8: "|i1"
    case .int16: "<i2"
    case .int32: "<i4"
    case .int64: "<i8"
    case .uint8: "|u1"
    case .uint16: "<u2"
    case .uint32: "<u4"
    case .uint64: "<u8"
    case .float32: "<f4"
    case .float64: "<f8"
    case .string: "<U\(stringLength)"
    }
  }

  /// The magic, version, length and padded header for a C-order array.
  ///
  /// Version 1.0 when the header fits a u16 length, else 2.0. The total is
  /// padded with spaces to a multiple of 64 bytes and ends in `\n`, as NumPy
  /// writes it, so the data start aligned.
  static func encode(descr: String, shape: [Int]) -> [UInt8] {
    let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    let dict = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }"
    func padded(prefixLength: Int) -> [UInt8] {
      var text = Array(dict.utf8)
      let unpadded = prefixLength + text.count + 1
      text += [UInt8](repeating: 0x20, count: (64 - unpadded % 64) % 64)
      text.append(0x0A)
      return text
    }
    var text = padded(prefixLength: 10)
    if text.count <= Int(UInt16.max) {
      return magic + [1, 0, UInt8(text.count & 0xFF), UInt8(text.count >> 8)] + text
    }
    text = padded(prefixLength: 12)
    return magic + [2, 0] + (0..<4).map { UInt8(truncatingIfNeeded: text.count >> (8 * $0)) } + text
  }
}
