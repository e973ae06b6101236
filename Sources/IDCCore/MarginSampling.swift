/// Margin sampling: the samples whose two most probable clusters are closest under the current
/// head (Scheffer, Decomain & Wrobel 2001; Settles, *Active Learning Literature Survey*, 2009,
/// §3.1).
///
///     pick the M smallest  p_(1)(x) − p_(2)(x)      (softmax of the current head)
///
/// In the first round the head is the one fitted to the pre-trained assignment. Ties to the
/// lowest index.
///
/// Explanation per pick: the margin, and the two clusters it lies between.
///
/// - Complexity: one forward pass, `O(N·H·(D + C))`, then a sort, `O(N log N)`.
public struct MarginSampling: SelectionStrategy {
  public var name: String { "margin" }
  public init() {}

  static let descriptor = StrategyDescriptor(
    name: "margin",
    summary: "smallest softmax margin p(1) − p(2) of the current head (Scheffer et al. 2001)",
    needs: [.head]) { _ in MarginSampling() }

  public func select(_ count: Int, from input: SelectionInput, monitor: WorkMonitor) throws -> Selection {
    try input.validate(count: count)
    let p = try input.requireHead(name).probabilities(input.features)
    let n = p.rows, c = p.columns
    var margin = [Double](repeating: 0, count: n)
    for i in 0..<n { let t = topTwo(p, row: i); margin[i] = Double(t.first - t.second) }
    var log = PickLog()
    for i in topUtility(margin.map { -$0 }, count: count, taken: input.askedFlags()) {
      var order = (0..<c).sorted { p[i, $0] > p[i, $1] || (p[i, $0] == p[i, $1] && $0 < $1) }
      if order.count == 1 { order.append(order[0]) }
      log.add(i, value: Float(margin[i]), [margin[i], Double(order[0]), Double(order[1])])
    }
    return log.selection(name, terms: ["margin", "cluster 1", "cluster 2"])
  }
}
