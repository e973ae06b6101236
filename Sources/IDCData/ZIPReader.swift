import Foundation
import ZIPFoundation

/// The members of a zip archive, read from its central directory with every
/// offset and size checked against the file before use.
///
/// Format: PKWARE's APPNOTE.TXT (sections 4.3.6–4.3.16, 4.5.3): the end of
/// central directory record (EOCD) within the last 64 KiB + 22 bytes, the
/// ZIP64 EOCD locator just before it when present, the central directory
/// headers with their ZIP64 extra fields (id 0x0001: sizes and offset that
/// read 0xFFFFFFFF in the 32-bit fields), and each member's local header,
/// which fixes where its data start. Stored (method 0) and deflated
/// (method 8) members are read; inflating uses zlib through ZIPFoundation.
/// Sizes come from the central directory, the authoritative copy. No
/// corrupt archive makes this reader trap, allocate beyond what its file
/// could hold, or loop without end: it throws a ``DataError``.
final class ZIPReader {
  struct Entry {
    var name: String
    var method: UInt16
    var flags: UInt16
    var crc32: UInt32
    var compressedSize: Int
    var uncompressedSize: Int
    var localHeaderOffset: Int
  }

  let file: InputFile
  /// Members in central-directory order (directories included).
  let entries: [Entry]

  private var path: String { file.path }

  init(file: InputFile) throws {
    self.file = file
    let path = file.path
    func corrupt(_ what: String) -> DataError { DataError(path: path, message: "not a .npz (zip) archive: \(what)") }

    // End of central directory: the last signature whose comment ends at the end of the file,
    // else the last signature at all (a comment length that is off, as some writers leave it).
    let tailLength = min(file.size, 22 + 0xFFFF)
    let tail = try file.read(upTo: tailLength, at: file.size - tailLength)
    var eocdAt: Int?
    var candidate = tail.count - 22
    while candidate >= 0 {
      if ZIPReader.u32(tail, candidate) == 0x0605_4B50 {
        if eocdAt == nil { eocdAt = candidate }
        if candidate + 22 + Int(ZIPReader.u16(tail, candidate + 20)) == tail.count { eocdAt = candidate; break }
      }
      candidate -= 1
    }
    guard let eocd = eocdAt else { throw corrupt("no end-of-central-directory record (or the file is truncated)") }
    var entryCount = UInt64(ZIPReader.u16(tail, eocd + 10))
    var directorySize = UInt64(ZIPReader.u32(tail, eocd + 12))
    var directoryOffset = UInt64(ZIPReader.u32(tail, eocd + 16))

    // ZIP64: a locator in the 20 bytes before the EOCD points at the ZIP64 EOCD record.
    if eocd >= 20, ZIPReader.u32(tail, eocd - 20) == 0x0706_4B50 {
      let recordOffset = ZIPReader.u64(tail, eocd - 20 + 8)
      guard file.size >= 56, recordOffset <= UInt64(file.size - 56) else {
        throw corrupt("the ZIP64 end-of-central-directory record lies outside the file")
      }
      let record = try file.read(upTo: 56, at: Int(recordOffset))
      guard record.count == 56, ZIPReader.u32(record, 0) == 0x0606_4B50 else {
        throw corrupt("bad ZIP64 end-of-central-directory record")
      }
      entryCount = ZIPReader.u64(record, 32)
      directorySize = ZIPReader.u64(record, 40)
      directoryOffset = ZIPReader.u64(record, 48)
    }
    guard directoryOffset <= UInt64(file.size), directorySize <= UInt64(file.size) - directoryOffset else {
      throw corrupt("the central directory lies outside the file (truncated?)")
    }
    guard entryCount <= directorySize / 46 else { throw corrupt("the central directory is too small for \(entryCount) entries") }

    let directory = try file.read(upTo: Int(directorySize), at: Int(directoryOffset))
    guard directory.count == Int(directorySize) else { throw corrupt("truncated central directory") }
    var entries: [Entry] = []
    var at = 0
    for index in 0..<Int(entryCount) {
      guard at + 46 <= directory.count, ZIPReader.u32(directory, at) == 0x0201_4B50 else {
        throw corrupt("bad central directory header for entry \(index + 1)")
      }
      let nameLength = Int(ZIPReader.u16(directory, at + 28))
      let extraLength = Int(ZIPReader.u16(directory, at + 30))
      let commentLength = Int(ZIPReader.u16(directory, at + 32))
      let end = at + 46 + nameLength + extraLength + commentLength
      guard end <= directory.count else { throw corrupt("truncated central directory header for entry \(index + 1)") }
      var uncompressed = UInt64(ZIPReader.u32(directory, at + 24))
      var compressed = UInt64(ZIPReader.u32(directory, at + 20))
      var offset = UInt64(ZIPReader.u32(directory, at + 42))
      // ZIP64 extended information: 8-byte values for the fields that read 0xFFFFFFFF, in this order.
      var extra = at + 46 + nameLength
      let extraEnd = extra + extraLength
      while extra + 4 <= extraEnd {
        let id = ZIPReader.u16(directory, extra)
        let size = Int(ZIPReader.u16(directory, extra + 2))
        let body = extra + 4
        guard body + size <= extraEnd else { break }
        if id == 0x0001 {
          var field = body
          func next() -> UInt64? {
            guard field + 8 <= body + size else { return nil }
            defer { field += 8 }
            return ZIPReader.u64(directory, field)
          }
          if uncompressed == 0xFFFF_FFFF, let value = next() { uncompressed = value }
          if compressed == 0xFFFF_FFFF, let value = next() { compressed = value }
          if offset == 0xFFFF_FFFF, let value = next() { offset = value }
        }
        extra = body + size
      }
      let flags = ZIPReader.u16(directory, at + 8)
      let nameBytes = directory[(at + 46)..<(at + 46 + nameLength)]
      guard offset < UInt64(file.size), compressed <= UInt64(file.size), uncompressed <= UInt64(Int.max / 2) else {
        throw corrupt("entry \(index + 1) has sizes or an offset beyond the file (truncated?)")
      }
      entries.append(Entry(
        name: String(decoding: nameBytes, as: UTF8.self),
        method: ZIPReader.u16(directory, at + 10), flags: flags, crc32: ZIPReader.u32(directory, at + 16),
        compressedSize: Int(compressed), uncompressedSize: Int(uncompressed), localHeaderOffset: Int(offset)
      ))
      at = end
    }
    self.entries = entries
  }

  /// The offset of the member's data, from its local header; checks that
  /// the data lie inside the file and that the sizes are plausible.
  func dataOffset(of entry: Entry, origin: String) throws -> Int {
    func corrupt(_ what: String) -> DataError { DataError(path: origin, message: "corrupt archive member: \(what)") }
    guard entry.flags & 1 == 0 else { throw DataError(path: origin, message: "encrypted archive members are not supported") }
    switch entry.method {
    case 0:
      guard entry.compressedSize == entry.uncompressedSize else { throw corrupt("stored sizes differ") }
    case 8:
      // Deflate expands at most about 1032:1.
      guard entry.uncompressedSize / 1100 <= entry.compressedSize else {
        throw corrupt("\(entry.uncompressedSize) bytes cannot come from \(entry.compressedSize) deflated")
      }
    default:
      throw DataError(path: origin, message: "compression method \(entry.method) is not supported (NumPy writes stored or deflated members)")
    }
    let header = try file.read(upTo: 30, at: entry.localHeaderOffset)
    guard header.count == 30, ZIPReader.u32(header, 0) == 0x0403_4B50 else { throw corrupt("bad local header") }
    let start = entry.localHeaderOffset + 30 + Int(ZIPReader.u16(header, 26)) + Int(ZIPReader.u16(header, 28))
    guard start <= file.size, entry.compressedSize <= file.size - start else {
      throw corrupt("data extend past the end of the file (truncated archive)")
    }
    return start
  }

  /// Thrown by a consumer to stop reading early.
  private struct Stop: Error {}

  /// Streams the member's uncompressed bytes to `consumer` in chunks of at
  /// most `chunkSize`; `consumer` returns false to stop early. Returns the
  /// CRC-32 of the whole member, or nil when stopped early.
  func stream(_ entry: Entry, origin: String, chunkSize: Int = 1 << 16, consumer: (Data) throws -> Bool) throws -> UInt32? {
    func corrupt(_ what: String) -> DataError { DataError(path: origin, message: "corrupt archive member: \(what)") }
    let start = try dataOffset(of: entry, origin: origin)
    var delivered = 0
    do {
      let checksum: UInt32
      if entry.method == 0 {
        var crc: UInt32 = 0
        while delivered < entry.uncompressedSize {
          let n = min(chunkSize, entry.uncompressedSize - delivered)
          var chunk = Data(count: n)
          let got = try chunk.withUnsafeMutableBytes { try file.read(into: $0, at: start + delivered) }
          guard got == n else { throw corrupt("data extend past the end of the file (truncated archive)") }
          crc = chunk.crc32(checksum: crc)
          delivered += n
          guard try consumer(chunk) else { throw Stop() }
        }
        checksum = crc
      } else {
        let compressedSize = entry.compressedSize
        checksum = try Data.decompress(
          size: Int64(compressedSize), bufferSize: chunkSize, skipCRC32: false,
          provider: { position, size in
            // Always a full chunk: zlib is told `size` bytes are available. Past the
            // compressed data the chunk is zeros, which a damaged stream cannot
            // read as a valid block, and one such chunk is the last one given.
            let at = Int(position)
            guard at < compressedSize + size else { throw corrupt("the deflate stream does not end") }
            var chunk = Data(count: size)
            let n = max(0, min(size, compressedSize - at))
            if n > 0 {
              let got = try chunk.withUnsafeMutableBytes { try file.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<n]), at: start + at) }
              guard got == n else { throw corrupt("data extend past the end of the file (truncated archive)") }
            }
            return chunk
          },
          consumer: { chunk in
            delivered += chunk.count
            guard delivered <= entry.uncompressedSize else {
              throw corrupt("inflates to more than the \(entry.uncompressedSize) bytes the archive declares")
            }
            guard try consumer(chunk) else { throw Stop() }
          }
        )
      }
      guard delivered == entry.uncompressedSize else {
        throw corrupt("inflates to \(delivered) bytes, the archive declares \(entry.uncompressedSize)")
      }
      return checksum
    } catch is Stop {
      return nil
    } catch let error as DataError {
      throw error
    } catch {
      throw corrupt("the deflate data are damaged")
    }
  }

  // MARK: - Little-endian fields (callers check bounds)

  static func u16(_ bytes: [UInt8], _ at: Int) -> UInt16 {
    UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
  }

  static func u32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
    (0..<4).reduce(0) { $0 | UInt32(bytes[at + $1]) << (8 * UInt32($1)) }
  }

  static func u64(_ bytes: [UInt8], _ at: Int) -> UInt64 {
    (0..<8).reduce(0) { $0 | UInt64(bytes[at + $1]) << (8 * UInt64($1)) }
  }
}
