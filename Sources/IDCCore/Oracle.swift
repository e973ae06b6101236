/// A simulated user who answers queries from ground-truth labels (the
/// experiments of Liu et al. 2024 and docs/method.md §3.3).
///
/// - `matching`: each class is mapped to a cluster by Hungarian matching of the
///   current assignment against the labels over all samples (as the official
///   code does); the answer is positive when the anchor's class's cluster is a
///   candidate, negative (all T rejected) otherwise.
/// - `representative`: answers from what is shown, like a person: the first
///   candidate whose representatives mostly carry the anchor's label (with one
///   representative per candidate, exactly the paper's interface).
///
/// `noise` turns that fraction of answers wrong (seeded): a positive becomes
/// another candidate or "none", a negative becomes a random candidate — to
/// study mistaken users.
public struct Oracle: Sendable {
  public enum Mode: String, Sendable, CaseIterable {
    case matching
    case representative
  }

  public var mode: Mode
  public var noise: Double
  public var seed: Int

  public init(mode: Mode = .matching, noise: Double = 0, seed: Int = 0) {
    self.mode = mode
    self.noise = noise
    self.seed = seed
  }

  /// `classToCluster[class id] = cluster` by Hungarian matching of `assignment` to `labels`.
  public static func classToCluster(labels: [Int], assignment: [Int]) throws -> [Int: Int] {
    let table = try Contingency(truth: labels, prediction: assignment)
    let match = ClusteringMetrics.bestMatch(table)
    var map: [Int: Int] = [:]
    for (p, cls) in match.enumerated() { if let cls { map[cls] = table.clusterIds[p] } }
    return map
  }

  /// Answers every query; `assignment` is the current clustering (used by `matching`).
  public func answer(_ queries: [Query], labels: [Int], assignment: [Int]) throws -> Feedback {
    guard labels.count == assignment.count else {
      throw CoreError("labels have \(labels.count) entries but the assignment has \(assignment.count)")
    }
    guard noise >= 0 && noise <= 1 else { throw CoreError("noise must be in [0, 1], got \(noise)") }
    let map = mode == .matching ? try Oracle.classToCluster(labels: labels, assignment: assignment) : [:]
    var rng = SeededGenerator(seed: seed)
    var answers: [Answer] = []
    for q in queries {
      guard q.anchor >= 0 && q.anchor < labels.count else {
        throw CoreError("anchor \(q.anchor) is not a sample index (0..<\(labels.count))")
      }
      let truth = labels[q.anchor]
      var chosen: Int?
      switch mode {
      case .matching:
        if let g = map[truth], q.candidates.contains(g) { chosen = g }
      case .representative:
        for (t, reps) in q.representatives.enumerated() where !reps.isEmpty {
          if majorityLabel(reps, labels) == truth { chosen = q.candidates[t]; break }
        }
      }
      var answer: Answer = chosen.map { .positive(cluster: $0) } ?? .negative(rejected: q.candidates)
      if noise > 0 && rng.nextUnit() < noise { answer = Oracle.wrong(answer, q, &rng) }
      answers.append(answer)
    }
    return Feedback(anchors: queries.map(\.anchor), answers: answers)
  }

  /// The most frequent label among `samples` (ties: the first sample's label).
  func majorityLabel(_ samples: [Int], _ labels: [Int]) -> Int {
    var counts: [Int: Int] = [:]
    for s in samples { counts[labels[s], default: 0] += 1 }
    let top = counts.values.max() ?? 0
    let first = labels[samples[0]]
    if counts[first] == top { return first }
    return samples.map { labels[$0] }.first { counts[$0] == top }!
  }

  /// A deliberately wrong answer in place of `answer`.
  static func wrong(_ answer: Answer, _ q: Query, _ rng: inout SeededGenerator) -> Answer {
    switch answer {
    case .positive(let g):
      let others = q.candidates.filter { $0 != g }
      // "None" is one more wrong option besides the other candidates.
      let k = rng.nextInt(below: others.count + 1)
      return k == others.count ? .negative(rejected: q.candidates) : .positive(cluster: others[k])
    case .negative:
      return .positive(cluster: q.candidates[rng.nextInt(below: q.candidates.count)])
    case .skipped:
      return .skipped
    }
  }
}

/// The pre-trained assignment with only the answered samples corrected (the
/// paper's † baseline): a positive answer moves its anchor to the named
/// cluster; negative and skipped answers change nothing.
public func correctedAssignment(_ assignment: [Int], feedback: Feedback) -> [Int] {
  var out = assignment
  for (anchor, answer) in zip(feedback.anchors, feedback.answers) {
    if case .positive(let g) = answer, anchor >= 0, anchor < out.count { out[anchor] = g }
  }
  return out
}

extension Oracle {
  /// The default oracle: matching, no noise.
  public static let defaults = Oracle()
  /// Representatives shown per candidate in `representative` mode: one, the paper's interface.
  public static let representativeExamples = 1
}
