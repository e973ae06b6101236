/// How a K-nearest-neighbour graph is searched: exactly (``NearestNeighbors``),
/// approximately (``ApproximateNeighbors``, with its recall audited by
/// ``NeighborRecall``), or chosen by size.
///
/// `auto` searches exactly while `N² · D ≤` ``exactWorkLimit``: 1.3 · 10¹²
/// multiply-adds, i.e. 100 000 rows at D = 128 or 50 000 at D = 512. Measured
/// on the 2-core machine of docs/benchmarks.md: the exact search takes 6.9 s at
/// 70 000 × 128, so the limit keeps it under about 15 s, and every shared data
/// set (and so every number the paper's tables reproduce) stays exact.
public enum NeighborSearch: String, Sendable, CaseIterable {
  case exact, approx, auto

  public static let exactWorkLimit = 1.3e12

  /// `exact` or `approx` for `n` rows of `d` features.
  public func resolved(rows n: Int, columns d: Int) -> NeighborSearch {
    guard self == .auto else { return self }
    return Double(n) * Double(n) * Double(d) <= Self.exactWorkLimit ? .exact : .approx
  }

  /// The K-NN graph of the rows of `x` and how it was found. An approximate
  /// graph's probes are calibrated to `recallTarget` and the graph is audited on
  /// `auditRows` seeded rows (0: not audited).
  public func search(_ x: Matrix, k: Int, seed: Int = 0, recallTarget: Double = ApproximateNeighbors.defaults.recallTarget,
                     auditRows: Int = 1000,
                     monitor: WorkMonitor = .silent) throws -> (graph: NeighborGraph, outcome: NeighborSearchOutcome) {
    switch resolved(rows: x.rows, columns: x.columns) {
    case .approx:
      var search = ApproximateNeighbors.defaults
      search.k = k
      search.seed = seed
      search.recallTarget = recallTarget
      let (graph, report) = try search.searchWithReport(x, monitor: monitor)
      let recall = auditRows > 0
        ? try NeighborRecall.measure(graph, of: x, sample: auditRows, seed: seed, monitor: monitor) : nil
      return (graph, NeighborSearchOutcome(requested: self, method: .approx, k: k, report: report, recall: recall,
                                            recallTarget: recallTarget))
    default:
      let graph = try NearestNeighbors(k: k).search(x, monitor: monitor)
      return (graph, NeighborSearchOutcome(requested: self, method: .exact, k: k, report: nil, recall: nil))
    }
  }
}

/// What a neighbour search did: the method used, the approximate search's
/// report and its audited recall.
public struct NeighborSearchOutcome: Sendable, Equatable, CustomStringConvertible {
  /// What was asked for (`auto` included) and what ran.
  public let requested: NeighborSearch
  public let method: NeighborSearch
  public let k: Int
  public let report: ApproximateNeighbors.Report?
  public let recall: NeighborRecall?
  /// The recall the approximate search's probes were calibrated to (nil when exact).
  public let recallTarget: Double?

  public init(requested: NeighborSearch, method: NeighborSearch, k: Int,
              report: ApproximateNeighbors.Report?, recall: NeighborRecall?, recallTarget: Double? = nil) {
    self.recallTarget = recallTarget
    self.requested = requested
    self.method = method
    self.k = k
    self.report = report
    self.recall = recall
  }

  public var description: String {
    let chosen = requested == .auto ? " (knn=auto)" : ""
    guard method == .approx else { return "K = \(k), exact\(chosen)" }
    var s = "K = \(k), approximate\(chosen): \(report.map { "\($0)" } ?? "")"
    if let recall { s += "; \(recall)" } else { s += "; recall not audited" }
    return s
  }
}
