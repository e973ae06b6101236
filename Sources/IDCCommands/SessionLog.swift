import Foundation

/// The recovery script of one interactive session: every statement that ran, appended (and
/// flushed) as it succeeds, so that a session killed mid-way is rebuilt with `recover` (or
/// `source PATH`). One file per session — `~/.idc/sessions/20261201-213000-4242.idc`, or
/// under `$IDC_SESSION_DIR` — so starting a new session never touches an old one's script.
/// A clean end (quit, Ctrl-D) appends ``endMarker``; a file without it whose process is gone
/// is a crashed session, which the next session names in its banner.
public final class SessionLog: @unchecked Sendable {
  /// The last line of a session that ended cleanly.
  public static let endMarker = "# session ended"
  /// The line `recover` appends once it has replayed a session, so it is offered only once.
  public static let recoveredMarker = "# recovered"
  /// Session scripts kept; older ones are deleted when a new session starts.
  public static let kept = 20

  public let path: String
  private let handle: FileHandle
  private let lock = NSLock()

  /// Where session scripts live: `$IDC_SESSION_DIR`, else `~/.idc/sessions`.
  public static func directory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
    if let dir = environment["IDC_SESSION_DIR"], !dir.isEmpty { return dir }
    return environment["HOME"].map { $0 + "/.idc/sessions" }
  }

  /// Starts a new session script in `directory` (created if missing).
  public init(directory: String, now: Date = Date(), pid: Int32 = ProcessInfo.processInfo.processIdentifier) throws {
    do {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    } catch {
      // Foundation's message here is a generic Cocoa error; name the usual cause instead.
      var ancestor = directory
      var isDirectory: ObjCBool = false
      while !ancestor.isEmpty && ancestor != "/" && !FileManager.default.fileExists(atPath: ancestor, isDirectory: &isDirectory) {
        ancestor = (ancestor as NSString).deletingLastPathComponent
      }
      let reason = FileManager.default.fileExists(atPath: ancestor, isDirectory: &isDirectory) && !isDirectory.boolValue
        ? "\(ancestor) is a file, not a directory" : (error as NSError).localizedDescription
      throw CommandError("cannot create the session directory \(directory): \(reason)")
    }
    let stamp = DateFormatter()
    stamp.locale = Locale(identifier: "en_US_POSIX")
    stamp.timeZone = TimeZone(identifier: "UTC")
    stamp.dateFormat = "yyyyMMdd-HHmmss"
    path = directory + "/\(stamp.string(from: now))-\(pid).idc"
    let header = "# idc session started \(stamp.string(from: now)) UTC, process \(pid); replay with: recover file=\"\(path)\"\n"
    guard FileManager.default.createFile(atPath: path, contents: Data(header.utf8)),
          let handle = FileHandle(forWritingAtPath: path) else {
      throw CommandError("cannot create the session script \(path)")
    }
    _ = try? handle.seekToEnd()
    self.handle = handle
    SessionLog.prune(directory: directory, keeping: SessionLog.kept, except: path)
  }

  /// Appends one statement and flushes it to disk.
  public func append(_ statement: String) {
    lock.lock()
    defer { lock.unlock() }
    try? handle.write(contentsOf: Data((statement + "\n").utf8))
    try? handle.synchronize()
  }

  /// Marks the session as ended cleanly.
  public func close() {
    append(SessionLog.endMarker)
    try? handle.close()
  }

  /// A session script as read back.
  public struct Entry: Sendable, Equatable {
    public var path: String
    /// Statement lines (not comments or blank lines).
    public var statements: Int
    public var endedCleanly: Bool
    public var recovered: Bool
    public var pid: Int32?
  }

  /// Reads the script at `path`.
  public static func entry(at path: String) -> Entry? {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
    let lines = text.split(separator: "\n", omittingEmptySubsequences: true).map { $0.trimmingCharacters(in: .whitespaces) }
    let name = (path as NSString).lastPathComponent
    let pid = name.split(separator: "-").last.flatMap { Int32($0.replacingOccurrences(of: ".idc", with: "")) }
    return Entry(path: path, statements: lines.filter { !$0.isEmpty && !$0.hasPrefix("#") }.count,
                 endedCleanly: lines.contains(endMarker), recovered: lines.contains { $0.hasPrefix(recoveredMarker) }, pid: pid)
  }

  /// The session scripts in `directory`, newest first (names sort by time).
  public static func entries(in directory: String) -> [Entry] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    return names.filter { $0.hasSuffix(".idc") }.sorted(by: >).compactMap { entry(at: directory + "/" + $0) }
  }

  /// The newest session that crashed (no end marker, its process gone), had statements and
  /// was not recovered yet; `excluding` is the running session's own script.
  public static func lastCrashed(in directory: String, excluding: String? = nil) -> Entry? {
    entries(in: directory).first { e in
      e.path != excluding && !e.endedCleanly && !e.recovered && e.statements > 0 && !(e.pid.map(isRunning) ?? false)
    }
  }

  /// Starts a new session script in `directory` for `evaluator`: its workspace keeps it (for
  /// `recover` and the end marker) and every statement that runs is appended to it.
  public static func record(_ evaluator: Evaluator, in directory: String) throws -> SessionLog {
    let log = try SessionLog(directory: directory)
    evaluator.workspace.sessionLog = log
    evaluator.transcriptSink = { line in log.append(line) }
    return log
  }

  /// Notes in `path` that it was replayed into `target`.
  public static func markRecovered(_ path: String, into target: String?) {
    guard let handle = FileHandle(forWritingAtPath: path) else { return }
    _ = try? handle.seekToEnd()
    try? handle.write(contentsOf: Data("\(recoveredMarker)\(target.map { " into \($0)" } ?? "")\n".utf8))
    try? handle.close()
  }

  static func isRunning(_ pid: Int32) -> Bool {
    pid != ProcessInfo.processInfo.processIdentifier && kill(pid, 0) == 0
  }

  /// Deletes all but the newest `count` scripts (never `except`, never a crashed one not yet recovered).
  static func prune(directory: String, keeping count: Int, except: String) {
    for old in entries(in: directory).dropFirst(count) where old.path != except && (old.endedCleanly || old.recovered || old.statements == 0) {
      try? FileManager.default.removeItem(atPath: old.path)
    }
  }
}
