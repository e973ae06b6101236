#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A regular file opened for reading with POSIX calls, so that data can be
/// read straight into an array's buffer without an intermediate copy.
final class InputFile {
  let path: String
  let size: Int
  private let descriptor: Int32

  /// Opens `path`; errors name the file and the system's reason.
  init(path: String) throws {
    self.path = path
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw DataError(path: path, message: "cannot open: \(InputFile.reason())") }
    var info = stat()
    guard fstat(fd, &info) == 0 else {
      let reason = InputFile.reason()
      close(fd)
      throw DataError(path: path, message: "cannot read: \(reason)")
    }
    guard (info.st_mode & S_IFMT) != S_IFDIR else {
      close(fd)
      throw DataError(path: path, message: "is a directory, not a file")
    }
    descriptor = fd
    size = Int(info.st_size)
  }

  deinit { close(descriptor) }

  static func reason() -> String { String(cString: strerror(errno)) }

  /// Fills `buffer` from byte `offset` of the file; returns the number of
  /// bytes read, less than `buffer.count` only at end of file.
  func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws -> Int {
    guard var base = buffer.baseAddress else { return 0 }
    var remaining = buffer.count
    var total = 0
    while remaining > 0 {
      let n = positionedRead(descriptor, base, min(remaining, 1 << 30), off_t(offset + total))
      if n < 0 {
        if errno == EINTR { continue }
        throw DataError(path: path, message: "cannot read: \(InputFile.reason())")
      }
      if n == 0 { break }
      total += n
      remaining -= n
      base += n
    }
    return total
  }

  /// Up to `count` bytes from byte `offset` (fewer at end of file).
  func read(upTo count: Int, at offset: Int) throws -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: max(0, count))
    let n = try bytes.withUnsafeMutableBytes { try read(into: $0, at: offset) }
    bytes.removeLast(bytes.count - n)
    return bytes
  }

  /// The whole file as text, read straight into the string's storage;
  /// invalid UTF-8 becomes U+FFFD.
  func readText() throws -> String {
    try String(unsafeUninitializedCapacity: size) { buffer in
      try read(into: UnsafeMutableRawBufferPointer(buffer), at: 0)
    }
  }

  /// The whole file.
  func readAll() throws -> [UInt8] {
    var bytes = try read(upTo: size, at: 0)
    while true {  // the file may have grown since fstat
      let more = try read(upTo: 1 << 16, at: bytes.count)
      if more.isEmpty { return bytes }
      bytes += more
    }
  }
}

/// `pread(2)`, named apart from ``InputFile``'s own `read` methods.
private func positionedRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int, _ offset: off_t) -> Int {
  pread(descriptor, buffer, count, offset)
}
