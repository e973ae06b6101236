/// Must-link and cannot-link constraints between samples, the input of
/// ``CopKMeans`` (Wagstaff et al. 2001).
///
/// IDC's answers turn into constraints through each cluster's representative
/// sample (the one shown to the user, docs/method.md §3.1, §6.3): a positive answer
/// "anchor i is in cluster g" must-links i with g's representative; a negative
/// answer cannot-links i with the representative of every rejected cluster.
/// This is the Cop-Kmeans baseline of the paper (Liu et al. 2024, Table 1).
public struct PairwiseConstraints: Sendable, Equatable {
  /// Two sample indices.
  public struct Pair: Sendable, Hashable {
    public var first: Int
    public var second: Int
    public init(_ first: Int, _ second: Int) {
      self.first = first
      self.second = second
    }
  }

  /// Pairs that must share a cluster.
  public var mustLink: [Pair]
  /// Pairs that must not share a cluster.
  public var cannotLink: [Pair]

  public init(mustLink: [Pair] = [], cannotLink: [Pair] = []) {
    self.mustLink = mustLink
    self.cannotLink = cannotLink
  }

  /// The constraints implied by `feedback`, with `representatives[g]` the
  /// sample that stands for cluster g. Skipped answers give none; a positive
  /// answer about a cluster's own representative gives none (it is trivially
  /// true). Throws a ``CoreError`` for a cluster without a representative.
  public init(feedback: Feedback, representatives: [Int]) throws {
    var mustLink: [Pair] = []
    var cannotLink: [Pair] = []
    func representative(_ g: Int, _ k: Int) throws -> Int {
      guard g >= 0 && g < representatives.count else {
        throw CoreError("feedback \(k): cluster \(g) has no representative (0..<\(representatives.count))")
      }
      return representatives[g]
    }
    for (k, (anchor, answer)) in zip(feedback.anchors, feedback.answers).enumerated() {
      switch answer {
      case .positive(let g):
        let r = try representative(g, k)
        if r != anchor { mustLink.append(Pair(anchor, r)) }
      case .negative(let rejected):
        for g in rejected { cannotLink.append(Pair(anchor, try representative(g, k))) }
      case .skipped:
        break
      }
    }
    self.init(mustLink: mustLink, cannotLink: cannotLink)
  }

  /// True when there is no constraint.
  public var isEmpty: Bool { mustLink.isEmpty && cannotLink.isEmpty }
}
