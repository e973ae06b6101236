/// One user answer to a query about an anchor sample (docs/method.md §3.2; Liu et al.
/// 2024, §3.2). A query shows the anchor and its T nearest candidate clusters:
///
/// - `positive(cluster:)`: the anchor belongs to candidate cluster `cluster`
///   (`y_i = g_t`), used by `L_pos`;
/// - `negative(rejected:)`: none of the candidates matches; `rejected` lists
///   the T candidate clusters, among which `L_neg` draws `ỹ_i` at every step;
/// - `skipped`: no answer; the anchor is left out of training.
public enum Answer: Sendable, Equatable, Hashable {
  case positive(cluster: Int)
  case negative(rejected: [Int])
  case skipped
}

/// The answers collected for a set of queried samples: `answers[k]` is the
/// answer about sample `anchors[k]` (a row index into the features).
public struct Feedback: Sendable, Equatable, Hashable {
  /// Queried sample indices, in query order.
  public var anchors: [Int]
  /// `answers[k]` answers the query about `anchors[k]`.
  public var answers: [Answer]

  public init(anchors: [Int], answers: [Answer]) {
    precondition(anchors.count == answers.count, "\(anchors.count) anchors but \(answers.count) answers")
    self.anchors = anchors
    self.answers = answers
  }

  /// No queries, no answers.
  public init() { self.init(anchors: [], answers: []) }

  /// Number of queries (answered or skipped).
  public var count: Int { anchors.count }

  /// Number of positive answers.
  public var positiveCount: Int {
    answers.reduce(0) { if case .positive = $1 { $0 + 1 } else { $0 } }
  }

  /// Number of negative answers.
  public var negativeCount: Int {
    answers.reduce(0) { if case .negative = $1 { $0 + 1 } else { $0 } }
  }

  /// Number of skipped queries.
  public var skippedCount: Int {
    answers.reduce(0) { if case .skipped = $1 { $0 + 1 } else { $0 } }
  }

  /// Checks every anchor against `sampleCount` and every cluster against
  /// `clusterCount`; throws a ``CoreError`` naming the first bad entry.
  public func validate(sampleCount: Int, clusterCount: Int) throws {
    for (k, (anchor, answer)) in zip(anchors, answers).enumerated() {
      guard anchor >= 0 && anchor < sampleCount else {
        throw CoreError("feedback \(k): anchor \(anchor) is not a sample index (0..<\(sampleCount))")
      }
      switch answer {
      case .positive(let g):
        guard g >= 0 && g < clusterCount else {
          throw CoreError("feedback \(k): cluster \(g) out of range 0..<\(clusterCount)")
        }
      case .negative(let rejected):
        for g in rejected where g < 0 || g >= clusterCount {
          throw CoreError("feedback \(k): rejected cluster \(g) out of range 0..<\(clusterCount)")
        }
      case .skipped:
        break
      }
    }
  }
}
