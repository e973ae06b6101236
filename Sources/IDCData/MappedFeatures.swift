#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import IDCCore

/// The float32 feature matrix of an `.npy` file, memory-mapped read-only instead of read
/// into memory: a 10⁶ × 512 file costs no resident copy. idc reads it block by block (the
/// normalised copy `z` at load, a euclidean t-SNE, an export) and gives each block's pages
/// back to the kernel behind it (`madvise(MADV_DONTNEED)`), so a pass over the file adds
/// one block, not the file, to the process's resident memory; the pages stay in the page
/// cache for the next pass.
///
/// The file is watched: every pass first compares the open file's size and modification
/// time with those at load, and a file rewritten in place since (NumPy's `np.save` to the
/// same path truncates and rewrites it) is refused with a message instead of being read
/// half old, half new — or crashing on a page past a shorter file's end. A file replaced by
/// a rename keeps its old, still mapped, contents.
///
/// Only little-endian float32 in C order is mapped; other dtypes and layouts are converted
/// in memory (``DataSet/load(features:labels:images:texts:classNames:name:csv:mapped:)``).
public final class MappedFeatures: @unchecked Sendable {
  public let path: String
  public let rows: Int
  public let columns: Int
  private let descriptor: Int32
  private let base: UnsafeMutableRawPointer
  private let length: Int
  private let dataOffset: Int
  private let identity: Identity

  struct Identity: Equatable {
    var size: Int
    var seconds: Int
    var nanoseconds: Int
  }

  /// Maps `path` if its header describes a 2-D little-endian float32 array in C order (nil
  /// otherwise: the caller reads it into memory). Errors name the file.
  public static func map(path: String) throws -> MappedFeatures? {
    let header = try NPYReader.readHeader(path: path)
    guard header.dtype == .float32, !header.isBigEndian, !header.fortranOrder, header.shape.count == 2 else { return nil }
    return try MappedFeatures(path: path, header: header)
  }

  private init(path: String, header: NPYHeader) throws {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw DataError(path: path, message: "cannot open: \(InputFile.reason())") }
    guard let identity = MappedFeatures.identity(of: fd) else {
      close(fd)
      throw DataError(path: path, message: "cannot read: \(InputFile.reason())")
    }
    guard identity.size - header.dataOffset >= header.byteCount else {
      close(fd)
      throw NPYReader.truncated(header, available: identity.size - header.dataOffset, origin: path)
    }
    let length = header.dataOffset + header.byteCount
    guard header.byteCount > 0 else {
      close(fd)
      throw DataError(path: path, message: "empty: no rows")
    }
    let mapped = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0)
    guard let mapped, mapped != MAP_FAILED else {
      let reason = InputFile.reason()
      close(fd)
      throw DataError(path: path, message: "cannot map: \(reason)")
    }
    self.path = path
    self.rows = header.shape[0]
    self.columns = header.shape[1]
    self.descriptor = fd
    self.base = mapped
    self.length = length
    self.dataOffset = header.dataOffset
    self.identity = identity
  }

  deinit {
    munmap(base, length)
    close(descriptor)
  }

  private static func identity(of fd: Int32) -> Identity? {
    var info = stat()
    guard fstat(fd, &info) == 0 else { return nil }
    return Identity(size: Int(info.st_size), seconds: Int(info.st_mtim.tv_sec), nanoseconds: Int(info.st_mtim.tv_nsec))
  }

  /// Throws when the file changed since it was mapped (see the type's comment).
  public func checkUnchanged() throws {
    guard let now = MappedFeatures.identity(of: descriptor) else {
      throw DataError(path: path, message: "cannot read: \(InputFile.reason())")
    }
    guard now == identity else {
      throw DataError(path: path, message: "changed on disk since it was loaded (now \(now.size) bytes, was \(identity.size)); load it again")
    }
  }

  /// Calls `body(first, block)` for consecutive blocks of at most `rowsPerBlock` rows
  /// (`block` is `rows × columns`, row-major, valid during the call only); each block's pages
  /// are released after `body` returns. Checks the file first.
  public func forEachBlock(rowsPerBlock: Int = 1 << 14,
                           _ body: (_ first: Int, _ block: UnsafeBufferPointer<Float>) throws -> Void) throws {
    try checkUnchanged()
    let d = columns, step = max(1, rowsPerBlock)
    let floats = (base + dataOffset).assumingMemoryBound(to: Float.self)
    madvise(base, length, MADV_SEQUENTIAL)
    var first = 0
    while first < rows {
      let count = min(step, rows - first)
      try body(first, UnsafeBufferPointer(start: floats + first * d, count: count * d))
      release(bytes: (first * d * 4) ..< ((first + count) * d * 4))
      first += count
    }
    madvise(base, length, MADV_NORMAL)
  }

  /// The whole matrix copied into memory (`rows · columns · 4` bytes).
  public func matrix() throws -> Matrix {
    var out = Matrix(rows: rows, columns: columns)
    try out.storage.withUnsafeMutableBufferPointer { dst in
      try forEachBlock { first, block in
        (dst.baseAddress! + first * columns).update(from: block.baseAddress!, count: block.count)
      }
    }
    return out
  }

  /// Drops the pages wholly inside data bytes `range` from this process (they stay cached).
  private func release(bytes range: Range<Int>) {
    let page = Int(sysconf(Int32(_SC_PAGESIZE)))
    let start = dataOffset + range.lowerBound, end = dataOffset + range.upperBound
    let alignedStart = start / page * page
    let alignedEnd = end == length ? end : end / page * page
    guard alignedEnd > alignedStart else { return }
    madvise(base + alignedStart, alignedEnd - alignedStart, MADV_DONTNEED)
  }
}
