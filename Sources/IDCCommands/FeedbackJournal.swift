import Foundation
import IDCCore
import IDCData

/// An append-only log of answers, written line by line as they are given
/// (flushed with `fsync`), so a killed process loses nothing and an
/// interrupted session resumes where it stopped.
///
/// The format is the answers CSV of ``FeedbackFile`` (a header, then
/// `anchor,answer,candidates`); an undo appends `# undo` and the reader drops
/// the previous answer. A line cut short by a kill is ignored.
public final class FeedbackJournal {
  public let path: String
  private var handle: FileHandle?

  public init(path: String) { self.path = path }

  deinit { try? handle?.close() }

  /// The answers recorded so far (empty when the journal does not exist).
  public func recorded() throws -> [(anchor: Int, answer: Answer, candidates: [Int])] {
    guard FileManager.default.fileExists(atPath: path) else { return [] }
    let text: String
    do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
      throw DataError(path: path, message: "cannot read the journal: \((error as NSError).localizedDescription)")
    }
    // Apply undos: each "# undo" removes the entry before it.
    var kept: [String] = []
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    if !text.hasSuffix("\n") { lines.removeLast() }  // cut short by a kill
    for line in lines {
      if line.trimmingCharacters(in: .whitespaces) == "# undo" {
        if let last = kept.lastIndex(where: { !$0.hasPrefix("#") && !$0.hasPrefix("anchor") && !$0.isEmpty }) { kept.remove(at: last) }
      } else {
        kept.append(String(line))
      }
    }
    let (feedback, candidates) = try FeedbackFile.parseCSV(kept.joined(separator: "\n"), path: path)
    return (0..<feedback.count).map { (feedback.anchors[$0], feedback.answers[$0], candidates[$0]) }
  }

  /// Appends one answer and forces it to disk.
  public func append(anchor: Int, answer: Answer, candidates: [Int]) throws {
    try write("\(anchor),\(FeedbackFile.text(answer)),\(candidates.map(String.init).joined(separator: ";"))\n")
  }

  /// Records the name the person gave a new cluster (`new sneakers` at `feedback ask`), as a
  /// comment line the answers' reader skips: `# cluster 10 sneakers`.
  public func appendClusterName(_ cluster: Int, _ name: String) throws {
    try write("# cluster \(cluster) \(name.replacingOccurrences(of: "\n", with: " "))\n")
  }

  /// The names given to new clusters, by number (the latest name of each).
  public func newClusterNames() throws -> [Int: String] {
    guard FileManager.default.fileExists(atPath: path), let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [:] }
    var names: [Int: String] = [:]
    for line in text.split(separator: "\n") where line.hasPrefix("# cluster ") {
      let rest = line.dropFirst("# cluster ".count)
      guard let space = rest.firstIndex(of: " "), let g = Int(rest[..<space]) else { continue }
      names[g] = String(rest[rest.index(after: space)...]).trimmingCharacters(in: .whitespaces)
    }
    return names
  }

  /// Records that the previous answer was taken back.
  public func appendUndo() throws { try write("# undo\n") }

  private func write(_ line: String) throws {
    if handle == nil {
      let fm = FileManager.default
      let dir = (path as NSString).deletingLastPathComponent
      if !dir.isEmpty && !fm.fileExists(atPath: dir) {
        try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
      }
      if !fm.fileExists(atPath: path) {
        guard fm.createFile(atPath: path, contents: Data("anchor,answer,candidates\n".utf8)) else {
          throw DataError(path: path, message: "cannot create the journal")
        }
      } else if let existing = try? Data(contentsOf: URL(fileURLWithPath: path)), let last = existing.last, last != UInt8(ascii: "\n") {
        // A previous writer was killed mid-line: drop that partial line so ours starts clean.
        let keep = (existing.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 }) ?? 0
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try h.truncate(atOffset: UInt64(keep))
        try h.close()
      }
      handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
      try handle!.seekToEnd()
    }
    do {
      try handle!.write(contentsOf: Data(line.utf8))
      try handle!.synchronize()
    } catch {
      throw DataError(path: path, message: "cannot append to the journal: \((error as NSError).localizedDescription)")
    }
  }
}
