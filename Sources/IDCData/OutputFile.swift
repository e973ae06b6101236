#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file written in full or not at all: data go to a temporary file beside
/// the destination, which ``commit()`` renames over it. A reader never sees
/// a half-written file, and a failed write leaves the old file in place.
final class OutputFile {
  let path: String
  /// The temporary file being written, in the destination's directory.
  let temporaryPath: String
  private var descriptor: Int32
  private var committed = false

  /// Creates the temporary file for `path`.
  init(path: String) throws {
    self.path = path
    temporaryPath = OutputFile.temporaryPath(for: path)
    descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw DataError(path: path, message: "cannot write: \(InputFile.reason())") }
  }

  /// A fresh name beside `path`: `dir/.name.tmp-<pid>-<random>`.
  static func temporaryPath(for path: String) -> String {
    let slash = path.lastIndex(of: "/")
    let directory = slash.map { String(path[...$0]) } ?? ""
    let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
    return "\(directory).\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
  }

  deinit {
    if descriptor >= 0 { close(descriptor) }
    if !committed { unlink(temporaryPath) }
  }

  /// Appends `bytes`.
  func write(_ bytes: UnsafeRawBufferPointer) throws {
    guard var base = bytes.baseAddress else { return }
    var remaining = bytes.count
    while remaining > 0 {
      let n = posixWrite(descriptor, base, min(remaining, 1 << 30))
      if n < 0 {
        if errno == EINTR { continue }
        throw DataError(path: path, message: "cannot write: \(InputFile.reason())")
      }
      remaining -= n
      base += n
    }
  }

  func write(_ bytes: [UInt8]) throws {
    try bytes.withUnsafeBytes { try write($0) }
  }

  /// Closes the temporary file and renames it to ``path``.
  func commit() throws {
    let status = close(descriptor)
    descriptor = -1
    guard status == 0 else { throw DataError(path: path, message: "cannot write: \(InputFile.reason())") }
    try OutputFile.publish(temporaryPath, as: path)
    committed = true
  }

  /// Renames a finished temporary file over `path`.
  static func publish(_ temporaryPath: String, as path: String) throws {
    guard rename(temporaryPath, path) == 0 else {
      let reason = InputFile.reason()
      unlink(temporaryPath)
      throw DataError(path: path, message: "cannot write: \(reason)")
    }
  }
}

/// `write(2)`, named apart from ``OutputFile``'s own `write` methods.
private func posixWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
  write(descriptor, buffer, count)
}
