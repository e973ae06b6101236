import Foundation
import IDCCore

/// Answers on disk, in two layouts Python reads directly.
///
/// CSV (`.csv`/`.tsv`), one query per line:
/// ```
/// anchor,answer,candidates
/// 1634,3,3;7;1;0;9
/// 229,-1,5;2;8;6;4
/// 885,skip,2;1;0;7;3
/// ```
/// `answer` is the chosen cluster, `-1` for "none of these", `skip` for no
/// answer; `candidates` the T clusters shown, `;`-separated.
///
/// NPZ (`.npz`): `anchors` int64 `[M]`, `answers` int64 `[M]` (cluster, −1
/// none, −2 skipped) and `candidates` int64 `[M, T]` — e.g.
/// `np.load("answers.npz")["answers"]`.
public enum FeedbackFile {
  public static let noneCode = -1
  public static let skippedCode = -2

  /// Writes `feedback` with the candidates each query showed (`candidates[k]`).
  public static func write(_ feedback: Feedback, candidates: [[Int]], to path: String) throws {
    guard candidates.count == feedback.count else {
      throw DataError(path: path, message: "\(feedback.count) answers but \(candidates.count) candidate lists")
    }
    switch fileExtension(path) {
    case "npz":
      let t = candidates.map(\.count).max() ?? 0
      guard candidates.allSatisfy({ $0.count == t }) else {
        throw DataError(path: path, message: "queries show different numbers of candidates; use CSV")
      }
      let codes = feedback.answers.map(code)
      let flat = candidates.flatMap { $0 }.map(Int64.init)
      try NPZArchive.write([
        (key: "anchors", array: NDArray(labels: feedback.anchors)),
        (key: "answers", array: NDArray(labels: codes)),
        (key: "candidates", array: NDArray(shape: [feedback.count, t], storage: .int64(flat))),
      ], to: path)
    case "csv", "tsv", "txt":
      let rows = zip(feedback.anchors, zip(feedback.answers, candidates)).map { anchor, pair in
        [String(anchor), text(pair.0), pair.1.map(String.init).joined(separator: ";")]
      }
      try CSVWriter.write(rows: rows, header: ["anchor", "answer", "candidates"], to: path)
    default:
      throw DataError(path: path, message: "unknown answers format '.\(fileExtension(path))'; use .csv or .npz")
    }
  }

  /// Reads answers and the candidates shown; validates shapes and codes.
  public static func read(path: String) throws -> (feedback: Feedback, candidates: [[Int]]) {
    switch fileExtension(path) {
    case "npz":
      let archive = try NPZArchive(path: path)
      for key in ["anchors", "answers", "candidates"] where !archive.keys.contains(key) {
        throw DataError(path: path, message: "missing array '\(key)' (have: \(archive.keys.sorted().joined(separator: ", ")))")
      }
      let anchors = try archive.array("anchors").asLabels()
      let codes = try archive.array("answers").asLabels()
      let cand = try archive.array("candidates")
      guard cand.shape.count == 2, cand.shape[0] == anchors.count else {
        throw DataError(path: path, message: "candidates have shape \(cand.shapeDescription), expected [\(anchors.count), T]")
      }
      guard codes.count == anchors.count else {
        throw DataError(path: path, message: "\(anchors.count) anchors but \(codes.count) answers")
      }
      let t = cand.shape[1]
      let flat = try NDArray(shape: [cand.shape[0] * t], storage: cand.storage, origin: path).asLabels()
      let candidates = (0..<anchors.count).map { Array(flat[$0 * t ..< ($0 + 1) * t]) }
      var answers: [Answer] = []
      for (k, c) in codes.enumerated() { answers.append(try answer(code: c, candidates: candidates[k], path: path, line: k)) }
      return (Feedback(anchors: anchors, answers: answers), candidates)
    case "csv", "tsv", "txt":
      let text: String
      do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
        throw DataError(path: path, message: "cannot read: \((error as NSError).localizedDescription)")
      }
      return try parseCSV(text, path: path)
    default:
      throw DataError(path: path, message: "unknown answers format '.\(fileExtension(path))'; use .csv or .npz")
    }
  }

  /// Parses the CSV layout (also the journal's).
  public static func parseCSV(_ text: String, path: String) throws -> (feedback: Feedback, candidates: [[Int]]) {
    var anchors: [Int] = [], answers: [Answer] = [], candidates: [[Int]] = []
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    for (number, raw) in lines.enumerated() {
      let line = raw.trimmingCharacters(in: .whitespaces)
      if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("anchor") { continue }
      let cells = line.split(separator: line.contains("\t") ? "\t" : ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
      guard cells.count == 3, let anchor = Int(cells[0]) else {
        throw DataError(path: path, message: "line \(number + 1): expected 'anchor,answer,candidates', got '\(line)'")
      }
      let cand = cells[2].split(separator: ";").map { Int($0.trimmingCharacters(in: .whitespaces)) }
      guard !cand.contains(nil), !cand.isEmpty else {
        throw DataError(path: path, message: "line \(number + 1): candidates must be integers separated by ';', got '\(cells[2])'")
      }
      let c = cand.map { $0! }
      let a: Answer
      if cells[1] == "skip" || cells[1].isEmpty {
        a = .skipped
      } else if let code = Int(cells[1]) {
        a = try answer(code: code, candidates: c, path: path, line: number)
      } else {
        throw DataError(path: path, message: "line \(number + 1): answer must be a cluster id, -1 (none) or 'skip', got '\(cells[1])'")
      }
      anchors.append(anchor); answers.append(a); candidates.append(c)
    }
    return (Feedback(anchors: anchors, answers: answers), candidates)
  }

  static func answer(code: Int, candidates: [Int], path: String, line: Int) throws -> Answer {
    switch code {
    case noneCode: return .negative(rejected: candidates)
    case skippedCode: return .skipped
    case let g where g >= 0:
      // A person may name a cluster that was not a candidate (`c N` at `feedback ask`) or one
      // they started (`new`): the cluster is checked against the partition where it is used.
      return .positive(cluster: g)
    default:
      throw DataError(path: path, message: "entry \(line + 1): answer code \(code) is invalid (cluster ≥ 0, -1 none, -2 skipped)")
    }
  }

  /// The NPZ code of an answer: the cluster, −1 none, −2 skipped.
  public static func code(_ a: Answer) -> Int {
    switch a {
    case .positive(let g): g
    case .negative: noneCode
    case .skipped: skippedCode
    }
  }

  /// The CSV cell of an answer.
  public static func text(_ a: Answer) -> String {
    switch a {
    case .positive(let g): String(g)
    case .negative: String(noneCode)
    case .skipped: "skip"
    }
  }

  static func fileExtension(_ path: String) -> String {
    guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return "" }
    return path[path.index(after: dot)...].lowercased()
  }
}
