/// A simulated person with their own partition criterion (issue 18; the paper's second open
/// problem, Liu et al. 2024 §6): answers from labels that need not match the clustering — a
/// coarser grouping, or classes k-means split or joined — and changes the partition when the
/// clusters do not stand for what it means.
///
/// The person's view of cluster c is the class most of its members carry (what its
/// representatives show), `stands(c) = argmax_y |{i : a_i = c, y_i = y}|`. For a query about
/// sample i of class y:
///
/// 1. a cluster the person made for y earlier (`new`, below) → that cluster (typed by number,
///    whether or not it is a candidate);
/// 2. else the first candidate that stands for y → that candidate (several clusters may stand
///    for y: the person does not know which one the labels "match");
/// 3. else, with `changesPartition`, when **no** cluster stands for y → a **new cluster** for y
///    (once per class; later samples of y go to it);
/// 4. else "none" (every candidate rejected).
///
/// Merges (with `changesPartition`): before a round, every class y whose answers have shown two
/// or more clusters to stand for it — each holds a positive answer about a sample of y and its
/// members mostly carry y — has those clusters merged. Each merge costs one answer of the
/// round's budget (``InteractionRounds``), so runs with and without changes spend the same M.
///
/// `noise` turns that fraction of answers wrong as ``Oracle`` does (never into a new cluster).
public struct CriterionOracle: Sendable {
  public var labels: [Int]
  public var changesPartition: Bool
  public var noise: Double
  /// The cluster made for each class (`new` answers), in the current numbering.
  public private(set) var made: [Int: Int] = [:]

  public init(labels: [Int], changesPartition: Bool, noise: Double = 0) {
    self.labels = labels
    self.changesPartition = changesPartition
    self.noise = noise
  }

  /// The class each cluster of `assignment` stands for (−1 for an empty cluster; ties: the
  /// smallest class).
  public func stands(_ assignment: [Int], classCount c: Int) -> [Int] {
    var counts: [[Int: Int]] = Array(repeating: [:], count: c)
    for (i, g) in assignment.enumerated() where g >= 0 && g < c { counts[g][labels[i], default: 0] += 1 }
    return counts.map { row in row.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key ?? -1 }
  }

  /// Answers `queries` against the clustering `assignment` of `classCount` clusters; a new
  /// cluster gets the next free number (`classCount`, `classCount + 1`, …).
  public mutating func answer(_ queries: [Query], assignment: [Int], classCount c: Int, seed: Int) throws -> Feedback {
    guard labels.count == assignment.count else {
      throw CoreError("labels have \(labels.count) entries but the assignment has \(assignment.count)")
    }
    guard noise >= 0 && noise <= 1 else { throw CoreError("noise must be in [0, 1], got \(noise)") }
    let stand = stands(assignment, classCount: c)
    let standing = Set(stand)
    var next = c
    var rng = SeededGenerator(seed: seed)
    var answers: [Answer] = []
    for q in queries {
      let y = labels[q.anchor]
      var answer: Answer
      if let g = made[y] {
        answer = .positive(cluster: g)
      } else if let g = q.candidates.first(where: { stand[$0] == y }) {
        answer = .positive(cluster: g)
      } else if changesPartition && !standing.contains(y) {
        made[y] = next
        answer = .positive(cluster: next)
        next += 1
      } else {
        answer = .negative(rejected: q.candidates)
      }
      if noise > 0 && rng.nextUnit() < noise { answer = Oracle.wrong(answer, q, &rng) }
      answers.append(answer)
    }
    return Feedback(anchors: queries.map(\.anchor), answers: answers)
  }

  /// The merges the answers so far call for (see the type's documentation), at most `limit`,
  /// each a list of clusters, smallest class first.
  public func merges(assignment: [Int], classCount c: Int, answers: Feedback, limit: Int) -> [[Int]] {
    guard changesPartition, limit > 0 else { return [] }
    let stand = stands(assignment, classCount: c)
    var shown: [Int: Set<Int>] = [:]  // class → clusters a positive answer about it named
    for (a, answer) in zip(answers.anchors, answers.answers) {
      if case .positive(let g) = answer, g < c, stand[g] == labels[a] { shown[labels[a], default: []].insert(g) }
    }
    var out: [[Int]] = []
    for y in shown.keys.sorted() where shown[y]!.count >= 2 && out.count < limit {
      out.append(shown[y]!.sorted())
    }
    return out
  }

  /// The clusters made for classes, renumbered after a partition edit.
  public mutating func follow(_ map: [Int]) {
    made = made.mapValues { $0 < map.count ? map[$0] : $0 }
  }
}
