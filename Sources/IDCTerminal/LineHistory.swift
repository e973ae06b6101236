import CEditLine

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The command history behind Up/Down: libedit's history list plus the file it is kept in.
///
/// The list is libedit's (one per process), bounded to ``limit`` entries (oldest dropped,
/// `stifle_history`). The file is in libedit's format (`write_history`: a `_HiStOrY_V2_`
/// header, one entry per line, blanks and newlines escaped with `strvis`), so multi-line
/// statements survive a round trip. ``save()`` rewrites the whole file — at most ``limit``
/// lines, so it stays small — atomically through a temporary file and rename(2).
///
/// ``add(_:)`` skips blank lines and a repeat of the previous entry, then saves, so the
/// history survives a crash or a second Ctrl-C after every command.
public final class LineHistory {
  /// `~/.idc_history` (`$HOME` from the environment), or nil without a home directory.
  public static var defaultPath: String? {
    guard let home = getenv("HOME").map({ String(cString: $0) }), !home.isEmpty else { return nil }
    return home.hasSuffix("/") ? home + ".idc_history" : home + "/.idc_history"
  }

  /// The file the history is loaded from and saved to; nil keeps it in memory only.
  public let path: String?
  /// The most entries kept, in memory and in the file.
  public let limit: Int

  /// Prepares libedit's history list, bounded to `limit` entries (default 1000, at least 1).
  /// Does not read the file: call ``load()``.
  public init(path: String?, limit: Int = 1000) {
    self.path = path
    self.limit = max(1, limit)
    _ = idc_editline_initialize("idc")
    idc_history_limit(Int32(self.limit))
  }

  /// Appends the entries of ``path`` to the list; a missing file is not an error (first run).
  /// - Throws: ``HistoryError`` when the file exists but cannot be read.
  public func load() throws(HistoryError) {
    guard let path else { return }
    let status = idc_history_load(path)
    if status != 0 && status != ENOENT {
      throw HistoryError(path: path, operation: "read", errorNumber: status)
    }
  }

  /// Writes the list to ``path`` (nothing without a path).
  /// - Throws: ``HistoryError`` when the file cannot be written.
  public func save() throws(HistoryError) {
    guard let path else { return }
    let status = idc_history_save(path)
    if status != 0 { throw HistoryError(path: path, operation: "write", errorNumber: status) }
  }

  /// Records a command and saves the file. Blank lines and a repeat of the last entry are not
  /// recorded (and nothing is written for them).
  /// - Throws: ``HistoryError`` when the file cannot be written (the entry is kept in memory).
  public func add(_ line: String) throws(HistoryError) {
    guard line.contains(where: { !$0.isWhitespace }) else { return }
    if let last = lastEntry, last == line { return }
    idc_history_add(line)
    try save()
  }

  /// The entries, oldest first.
  public var entries: [String] {
    (0..<Int(idc_history_count())).compactMap { index in
      idc_history_entry(Int32(index)).map { String(cString: $0) }
    }
  }

  /// The newest entry.
  public var lastEntry: String? {
    let count = idc_history_count()
    return count > 0 ? idc_history_entry(count - 1).map { String(cString: $0) } : nil
  }

  /// Empties the list in memory (the file is untouched until the next save).
  public func clear() {
    idc_history_clear()
  }
}

/// A history file that could not be read or written.
public struct HistoryError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The file.
  public let path: String
  /// `read` or `write`.
  public let operation: String
  /// The errno value.
  public let errorNumber: Int32

  /// Creates the error.
  public init(path: String, operation: String, errorNumber: Int32) {
    self.path = path
    self.operation = operation
    self.errorNumber = errorNumber
  }

  /// `cannot write history file PATH: REASON`.
  public var description: String {
    "cannot \(operation) history file \(path): \(String(cString: strerror(errorNumber)))"
  }
}
