/// The contingency table of two labelings with their ids compacted to
/// `0..<classes` and `0..<clusters` (ids need not be contiguous).
public struct Contingency: Sendable {
  public let classIds: [Int]
  public let clusterIds: [Int]
  /// `counts[t * clusters + p]`: samples with true class t and predicted cluster p.
  public let counts: [Int]
  public var classes: Int { classIds.count }
  public var clusters: Int { clusterIds.count }
  public let total: Int

  public init(truth: [Int], prediction: [Int]) throws {
    guard truth.count == prediction.count else {
      throw CoreError("labels have \(truth.count) entries but the prediction has \(prediction.count)")
    }
    classIds = Array(Set(truth)).sorted()
    clusterIds = Array(Set(prediction)).sorted()
    var ti: [Int: Int] = [:], pi: [Int: Int] = [:]
    for (k, id) in classIds.enumerated() { ti[id] = k }
    for (k, id) in clusterIds.enumerated() { pi[id] = k }
    var counts = [Int](repeating: 0, count: classIds.count * clusterIds.count)
    for s in 0..<truth.count { counts[ti[truth[s]]! * clusterIds.count + pi[prediction[s]]!] += 1 }
    self.counts = counts
    total = truth.count
  }

  public func count(_ t: Int, _ p: Int) -> Int { counts[t * clusters + p] }
}

/// ACC, NMI and ARI of a clustering against ground truth, as fractions.
public struct ClusteringMetrics: Sendable, Equatable, CustomStringConvertible {
  public let accuracy: Double
  public let nmi: Double
  public let ari: Double

  public init(accuracy: Double, nmi: Double, ari: Double) {
    self.accuracy = accuracy
    self.nmi = nmi
    self.ari = ari
  }

  public var description: String {
    func pct(_ x: Double) -> String {
      let r = (x * 1000).rounded() / 10
      return "\(r)"
    }
    return "ACC \(pct(accuracy))  NMI \(pct(nmi))  ARI \(pct(ari))"
  }

  /// All three metrics; throws when the labelings differ in length or are empty.
  public static func evaluate(truth: [Int], prediction: [Int]) throws -> ClusteringMetrics {
    guard !truth.isEmpty else { throw CoreError("cannot evaluate an empty labeling") }
    let table = try Contingency(truth: truth, prediction: prediction)
    return ClusteringMetrics(accuracy: accuracy(table), nmi: nmi(table), ari: ari(table))
  }

  /// Cluster → class mapping maximising agreement (Hungarian on the contingency
  /// table); `mapping[p]` is the class id of cluster id `clusterIds[p]`, or nil.
  public static func bestMatch(_ table: Contingency) -> [Int?] {
    clusterToClassIndex(table).map { $0 >= 0 ? table.classIds[$0] : nil }
  }

  /// Hungarian matching of clusters (rows) to classes, maximising the matched
  /// counts: `result[p]` is the class index of cluster p, or −1.
  static func clusterToClassIndex(_ table: Contingency) -> [Int] {
    var cost = [Double](repeating: 0, count: table.clusters * table.classes)
    for p in 0..<table.clusters { for t in 0..<table.classes { cost[p * table.classes + t] = -Double(table.count(t, p)) } }
    return minimumCostAssignment(cost: cost, rows: table.clusters, columns: table.classes)
  }

  /// ACC: the fraction of samples whose cluster maps to their class under the
  /// best one-to-one mapping (Hungarian algorithm on the contingency table).
  public static func accuracy(_ table: Contingency) -> Double {
    let match = clusterToClassIndex(table)
    var correct = 0
    for (p, t) in match.enumerated() where t >= 0 { correct += table.count(t, p) }
    return Double(correct) / Double(table.total)
  }

  /// NMI with arithmetic-mean normalisation: `MI / ((H(T) + H(P)) / 2)`, natural
  /// logs, as scikit-learn's `normalized_mutual_info_score` (1 when both
  /// labelings have a single cluster).
  public static func nmi(_ table: Contingency) -> Double {
    if table.classes == 1 && table.clusters == 1 { return 1 }
    let n = Double(table.total)
    var rowSums = [Double](repeating: 0, count: table.classes)
    var colSums = [Double](repeating: 0, count: table.clusters)
    for t in 0..<table.classes { for p in 0..<table.clusters {
      let c = Double(table.count(t, p)); rowSums[t] += c; colSums[p] += c
    } }
    var mi = 0.0
    for t in 0..<table.classes { for p in 0..<table.clusters {
      let c = Double(table.count(t, p))
      if c > 0 { mi += c / n * (_log(c) + _log(n) - _log(rowSums[t]) - _log(colSums[p])) }
    } }
    mi = max(mi, 0)
    func entropy(_ s: [Double]) -> Double {
      var h = 0.0
      for x in s where x > 0 { h -= x / n * (_log(x) - _log(n)) }
      return h
    }
    let normalizer = max((entropy(rowSums) + entropy(colSums)) / 2, Double.ulpOfOne)
    return mi / normalizer
  }

  /// ARI (Hubert & Arabie 1985) from the pair-confusion counts, as scikit-learn's
  /// `adjusted_rand_score` (1 when both labelings agree on every pair).
  public static func ari(_ table: Contingency) -> Double {
    let n = Double(table.total)
    var rowSums = [Double](repeating: 0, count: table.classes)
    var colSums = [Double](repeating: 0, count: table.clusters)
    var sumSquares = 0.0
    for t in 0..<table.classes { for p in 0..<table.clusters {
      let c = Double(table.count(t, p)); rowSums[t] += c; colSums[p] += c; sumSquares += c * c
    } }
    let tp = sumSquares - n
    let fp = colSums.reduce(0) { $0 + $1 * $1 } - sumSquares
    let fn = rowSums.reduce(0) { $0 + $1 * $1 } - sumSquares
    let tn = n * n - fp - fn - sumSquares
    if fn == 0 && fp == 0 { return 1 }
    return 2 * (tp * tn - fn * fp) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn))
  }
}
