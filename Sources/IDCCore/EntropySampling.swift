/// Entropy sampling: the samples whose cluster the current head is least sure of (Settles,
/// *Active Learning Literature Survey*, 2009, §3.1; known to fail at a cold start).
///
///     pick the M largest  H(x) = −Σ_j p_j(x) log p_j(x)      (softmax of the current head)
///
/// In the first round the head is the one fitted to the pre-trained assignment. Ties to the
/// lowest index; `0 log 0 = 0`.
///
/// Explanation per pick: the entropy (nats) and the most probable cluster.
///
/// - Complexity: one forward pass, `O(N·H·(D + C))`, then a sort, `O(N log N)`.
public struct EntropySampling: SelectionStrategy {
  public var name: String { "entropy" }
  public init() {}

  static let descriptor = StrategyDescriptor(
    name: "entropy",
    summary: "largest softmax entropy of the current head (Settles 2009)",
    needs: [.head]) { _ in EntropySampling() }

  public func select(_ count: Int, from input: SelectionInput, monitor: WorkMonitor) throws -> Selection {
    try input.validate(count: count)
    let p = try input.requireHead(name).probabilities(input.features)
    let n = p.rows, c = p.columns
    var entropy = [Double](repeating: 0, count: n)
    for i in 0..<n {
      var h = 0.0
      for j in 0..<c { let v = Double(p.storage[i * c + j]); if v > 0 { h -= v * _log(v) } }
      entropy[i] = h
    }
    var log = PickLog()
    for i in topUtility(entropy, count: count, taken: input.askedFlags()) {
      log.add(i, value: Float(entropy[i]), [entropy[i], Double(topTwo(p, row: i).argmax)])
    }
    return log.selection(name, terms: ["entropy", "cluster"])
  }
}
