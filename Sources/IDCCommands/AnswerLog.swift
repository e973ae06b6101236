import IDCCore

/// Every answer given in the session — by the simulated oracle, the person at `feedback ask`,
/// or `feedback load` — in the order given, the latest answer per sample. `select` does not
/// pick a sample asked before (unless `reask=true`), and `train answers=all` trains on the
/// whole log, so interaction in rounds keeps one record. It is rebuilt by replaying the
/// session's feedback commands (`save` → `source`, `recover`), and `export answer_log` writes it.
public struct AnswerLog: Sendable {
  public private(set) var queries: [Query] = []
  public private(set) var answers: [Answer] = []
  /// How many feedback commands contributed.
  public private(set) var batches = 0
  private var position: [Int: Int] = [:]

  public init() {}

  /// Adds a set of answers; a sample answered again keeps its place and takes the new answer.
  /// `batches` counts it as that many feedback commands (a whole log carried over at once).
  public mutating func record(_ set: FeedbackSet, batches: Int = 1) {
    guard !set.feedback.anchors.isEmpty else { return }
    self.batches += batches
    for (k, anchor) in set.feedback.anchors.enumerated() {
      let query = k < set.queries.count ? set.queries[k] : Query(anchor: anchor, candidates: [], representatives: [])
      if let at = position[anchor] {
        queries[at] = query
        answers[at] = set.feedback.answers[k]
      } else {
        position[anchor] = queries.count
        queries.append(query)
        answers.append(set.feedback.answers[k])
      }
    }
  }

  /// The samples asked so far.
  public var asked: Set<Int> { Set(position.keys) }
  public var count: Int { answers.count }

  /// The whole log as one answer set.
  public var set: FeedbackSet {
    FeedbackSet(queries: queries, feedback: Feedback(anchors: queries.map(\.anchor), answers: answers), source: "all answers of the session")
  }

  /// "N answers in this session (P positive, Q negative) from B feedback commands".
  public var summary: String {
    let f = set.feedback
    return "\(count) answers in this session (\(f.positiveCount) positive, \(f.negativeCount) negative\(f.skippedCount > 0 ? ", \(f.skippedCount) skipped" : "")) from \(batches) feedback command\(batches == 1 ? "" : "s")"
  }
}
