/// What the answers say about the partition itself: merges and splits to suggest to the person
/// after a round (issue 18, item 5), from the answers alone — no labels.
///
/// Each answered sample is read against the cluster the reference clustering (the pre-trained
/// one, whose clusters the person was shown) put it in, its *home*: a positive answer for the
/// home confirms it, a positive answer for another cluster g says "this member of home is a g",
/// "none" says "this member of home is none of the candidates". For every cluster h with at
/// least `minimum` answered members:
///
/// - **merge g h** when at least half of h's answered members (and at least `minimum`) were
///   answered g, and g's own answered members do not mostly go elsewhere: h is g to the person;
/// - **split h** when at least `minimum` of its answered members, and a quarter of them, were
///   answered "none": something the person means has no cluster and hides in h (split h, or
///   answer `new` for those samples). Answers for other clusters do not count here: selection
///   asks about border samples, so answers cross to neighbouring clusters at any k (counted with
///   them, digits at k = C drew split suggestions for 6 of 10 clusters).
///
/// Every suggestion carries its counts, so the person sees why. O(M + C²).
public enum PartitionSuggestion: Sendable, Equatable, CustomStringConvertible {
  /// Merge `into` and `cluster`: `answered` of `cluster`'s `of` answered members were answered `into`.
  case merge(into: Int, cluster: Int, answered: Int, of: Int)
  /// Split `cluster`: `none` of its `of` answered members were answered "none".
  case split(cluster: Int, none: Int, of: Int)

  public var description: String {
    switch self {
    case .merge(let g, let h, let a, let n): "merge \(min(g, h)) \(max(g, h)) — \(a) of the \(n) answered samples of cluster \(h) were answered \(g)"
    case .split(let h, let none, let n): "split \(h) — \(none) of its \(n) answered samples are in none of the clusters shown"
    }
  }

  /// The suggestions for `feedback` (answers in the current numbering) against `home` (the
  /// reference assignment) of `classCount` clusters.
  public static func suggest(_ feedback: Feedback, home: [Int], classCount c: Int, minimum: Int = 2) -> [PartitionSuggestion] {
    // answers[h][key]: key = g for a positive answer g (h itself = confirm), −1 for none.
    var answers = [[Int: Int]](repeating: [:], count: c)
    for (a, answer) in zip(feedback.anchors, feedback.answers) where a >= 0 && a < home.count {
      let h = home[a]
      guard h >= 0 && h < c else { continue }
      switch answer {
      case .positive(let g): answers[h][g, default: 0] += 1
      case .negative: answers[h][-1, default: 0] += 1
      case .skipped: break
      }
    }
    var out: [PartitionSuggestion] = []
    var merged = Set<Int>()
    for h in 0..<c {
      let n = answers[h].values.reduce(0, +)
      guard n >= minimum else { continue }
      if let (g, a) = answers[h].filter({ $0.key >= 0 && $0.key != h && $0.key < c }).max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }),
         a >= minimum, 2 * a >= n, !merged.contains(h), !merged.contains(g) {
        // g must stand for itself: its own answered members mostly confirm it.
        let own = answers[g].values.reduce(0, +)
        if own == 0 || 2 * (answers[g][g] ?? 0) >= own {
          out.append(.merge(into: g, cluster: h, answered: a, of: n))
          merged.formUnion([g, h])
          continue
        }
      }
      let none = answers[h][-1] ?? 0
      if none >= minimum && 4 * none >= n { out.append(.split(cluster: h, none: none, of: n)) }
    }
    return out
  }
}
