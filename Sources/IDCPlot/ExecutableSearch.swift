#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds a program the way a shell does: the first executable regular file
/// named `name` in the colon-separated directories of a search path.
enum ExecutableSearch {
  /// The full path of `name` in `searchPath`, or `nil`. Empty entries mean
  /// the current directory, as in POSIX shells.
  static func find(_ name: String, in searchPath: String) -> String? {
    for directory in searchPath.split(separator: ":", omittingEmptySubsequences: false) {
      let base = directory.isEmpty ? "." : String(directory)
      let candidate = base.hasSuffix("/") ? base + name : base + "/" + name
      if isExecutableFile(candidate) { return candidate }
    }
    return nil
  }

  /// Whether `path` is a regular file this process may execute.
  static func isExecutableFile(_ path: String) -> Bool {
    var info = stat()
    guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return false }
    return access(path, X_OK) == 0
  }
}
