import Foundation
import ZIPFoundation

/// A NumPy `.npz` archive: a zip file of `.npy` members, one per array.
///
/// Reads what `np.savez` (stored) and `np.savez_compressed` (deflated) write,
/// including their ZIP64 local headers (NumPy always passes
/// `force_zip64=True`) and full ZIP64 archives; see ``ZIPReader``. Keys are
/// member names without the `.npy` suffix, in archive order. A member is
/// read twice: once for its header (the first chunk only), once straight
/// into the array's storage in 64 KiB chunks — no full-size intermediate
/// copy. Its CRC-32 is checked.
public final class NPZArchive {
  public let path: String
  /// The array names, in archive order.
  public let keys: [String]
  private let zip: ZIPReader
  private let entries: [String: ZIPReader.Entry]

  /// Opens the archive at `path` and lists its arrays.
  public init(path: String) throws {
    self.path = path
    let file = try InputFile(path: path)
    guard file.size > 0 else { throw DataError(path: path, message: "empty file, not a .npz archive") }
    if try file.read(upTo: 6, at: 0).elementsEqual(NPYHeader.magic) {
      throw DataError(path: path, message: "not a .npz (zip) archive: this is a .npy file, read it as .npy")
    }
    zip = try ZIPReader(file: file)
    var keys: [String] = []
    var entries: [String: ZIPReader.Entry] = [:]
    for entry in zip.entries where !entry.name.hasSuffix("/") {
      let key = entry.name.hasSuffix(".npy") ? String(entry.name.dropLast(4)) : entry.name
      guard entries[key] == nil else { continue }
      keys.append(key)
      entries[key] = entry
    }
    self.keys = keys
    self.entries = entries
  }

  /// The array stored under `key` (with or without the `.npy` suffix).
  public func array(_ key: String) throws -> NDArray {
    let plain = key.hasSuffix(".npy") ? String(key.dropLast(4)) : key
    guard let entry = entries[plain] else {
      throw DataError(path: path, message: "no array named '\(key)'; arrays: \(keys.isEmpty ? "none" : keys.joined(separator: ", "))")
    }
    let origin = "\(path)[\(plain)]"
    let size = entry.uncompressedSize

    // Pass 1: the header.
    var prefix: [UInt8] = []
    var needed = 12
    _ = try zip.stream(entry, origin: origin, chunkSize: 4096) { chunk in
      prefix.append(contentsOf: chunk)
      if prefix.count >= 12 {
        needed = try NPYHeader.dataOffset(preamble: Array(prefix.prefix(12)), origin: origin)
        guard needed <= size else { throw NPYHeader.truncatedHeader(needed: needed, have: size, origin: origin) }
      }
      return prefix.count < needed
    }
    let offset = try NPYHeader.dataOffset(preamble: Array(prefix.prefix(12)), origin: origin)
    guard prefix.count >= offset else { throw NPYHeader.truncatedHeader(needed: offset, have: prefix.count, origin: origin) }
    let header = try NPYHeader(prefix: Array(prefix[..<offset]), origin: origin)

    // Pass 2: the data, straight into the array.
    return try NPYReader.makeArray(header: header, origin: origin, available: size - offset) { buffer in
      var skip = offset
      var written = 0
      let checksum = try zip.stream(entry, origin: origin) { chunk in
        chunk.withUnsafeBytes { source in
          let start = min(skip, source.count)
          skip -= start
          let n = min(source.count - start, buffer.count - written)
          guard n > 0 else { return }
          UnsafeMutableRawBufferPointer(rebasing: buffer[written..<(written + n)])
            .copyMemory(from: UnsafeRawBufferPointer(rebasing: source[start..<(start + n)]))
          written += n
        }
        return true
      }
      guard written == buffer.count else { throw NPYReader.truncated(header, available: written, origin: origin) }
      guard checksum == entry.crc32 else {
        throw DataError(path: origin, message: "corrupt archive member: CRC-32 mismatch")
      }
    }
  }

  /// Every array, in archive order.
  public func arrays() throws -> [(key: String, array: NDArray)] {
    try keys.map { ($0, try array($0)) }
  }

  // MARK: - Writing

  /// The modification time stamped on every member (fixed, so the same
  /// arrays always give the same bytes): 2024-01-01 12:00 UTC.
  static let memberDate = Date(timeIntervalSince1970: 1_704_110_400)

  /// Writes `arrays` as an `.npz` that `numpy.load` reads, each as
  /// `<key>.npy`; deflated when `compressed` (like `np.savez_compressed`),
  /// stored otherwise (like `np.savez`). The file at `path` is replaced only
  /// once the archive is complete. Keys must be non-empty and distinct.
  public static func write(_ arrays: [(key: String, array: NDArray)], to path: String, compressed: Bool = false) throws {
    var seen = Set<String>()
    for (key, _) in arrays {
      guard !key.isEmpty else { throw DataError(path: path, message: "an array needs a non-empty name") }
      guard seen.insert(key).inserted else { throw DataError(path: path, message: "two arrays named '\(key)'") }
    }
    let temporary = OutputFile.temporaryPath(for: path)
    do {
      try writeArchive(arrays, at: temporary, compressed: compressed)
    } catch {
      unlink(temporary)
      throw DataError(path: path, message: "cannot write: \(error)")
    }
    try OutputFile.publish(temporary, as: path)
  }

  private static func writeArchive(_ arrays: [(key: String, array: NDArray)], at path: String, compressed: Bool) throws {
    let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
    for (key, array) in arrays {
      let header = NPYWriter.header(for: array)
      try NPYWriter.withPayload(of: array) { payload in
        try archive.addEntry(
          with: key + ".npy", type: .file, uncompressedSize: Int64(header.count + payload.count),
          modificationDate: memberDate, permissions: 0o644,
          compressionMethod: compressed ? .deflate : .none, bufferSize: 1 << 16
        ) { position, size in
          var chunk = Data(count: size)
          let at = Int(position)
          let fromHeader = max(0, min(size, header.count - at))
          chunk.withUnsafeMutableBytes { out in
            if fromHeader > 0 {
              header.withUnsafeBytes { head in
                UnsafeMutableRawBufferPointer(rebasing: out[0..<fromHeader])
                  .copyMemory(from: UnsafeRawBufferPointer(rebasing: head[at..<at + fromHeader]))
              }
            }
            if size > fromHeader {
              let start = at + fromHeader - header.count
              UnsafeMutableRawBufferPointer(rebasing: out[fromHeader..<size])
                .copyMemory(from: UnsafeRawBufferPointer(rebasing: payload[start..<start + size - fromHeader]))
            }
          }
          return chunk
        }
      }
    }
  }
}
