import Foundation
import Testing
@testable import IDCCore

@Suite struct MetricsTests {
  @Test func perfectPermutedIsOne() throws {
    let truth = [0, 0, 1, 1, 2, 2]
    let pred = [5, 5, 9, 9, 7, 7]
    let m = try ClusteringMetrics.evaluate(truth: truth, prediction: pred)
    #expect(m.accuracy == 1)
    #expect(abs(m.nmi - 1) < 1e-12)
    #expect(m.ari == 1)
  }

  @Test func hungarianMatchesBruteForceOnRandomSquareAndRectangular() {
    var rng = SeededGenerator(seed: 7)
    for trial in 0..<60 {
      let rows = 1 + trial % 5, cols = 1 + (trial / 5) % 5
      let cost = (0..<(rows * cols)).map { _ in Double(rng.next() % 20) }
      let match = minimumCostAssignment(cost: cost, rows: rows, columns: cols)
      let got = match.enumerated().reduce(0.0) { $1.element >= 0 ? $0 + cost[$1.offset * cols + $1.element] : $0 }
      #expect(Set(match.filter { $0 >= 0 }).count == min(rows, cols))
      #expect(got == bruteForceMinimum(cost, rows, cols), "trial \(trial)")
    }
  }

  func bruteForceMinimum(_ cost: [Double], _ rows: Int, _ cols: Int) -> Double {
    var best = Double.infinity
    func go(_ r: Int, _ used: Set<Int>, _ acc: Double, _ left: Int) {
      if left == 0 || r == rows { if left == 0 { best = min(best, acc) }; return }
      for c in 0..<cols where !used.contains(c) { go(r + 1, used.union([c]), acc + cost[r * cols + c], left - 1) }
      if rows - r > left { go(r + 1, used, acc, left) }  // this row stays unmatched
    }
    go(0, [], 0, min(rows, cols))
    return best
  }

  @Test func lengthMismatchIsAClearError() {
    #expect(throws: CoreError("labels have 3 entries but the prediction has 2")) {
      try ClusteringMetrics.evaluate(truth: [0, 1, 1], prediction: [0, 1])
    }
  }

  /// Parity with scikit-learn / scipy on every case of golden/metrics.json, to 1e-6.
  @Test(.enabled(if: SharedPaths.golden != nil)) func parityWithGoldenMetrics() throws {
    let url = SharedPaths.golden!.appendingPathComponent("metrics.json")
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    let cases = json["cases"] as! [[String: Any]]
    #expect(cases.count >= 10)
    for c in cases {
      let name = c["name"] as! String
      let truth = (c["truth"] as! [NSNumber]).map(\.intValue)
      let pred = (c["pred"] as! [NSNumber]).map(\.intValue)
      let m = try ClusteringMetrics.evaluate(truth: truth, prediction: pred)
      let acc = (c["acc"] as! NSNumber).doubleValue
      let nmi = (c["nmi"] as! NSNumber).doubleValue
      let ari = (c["ari"] as! NSNumber).doubleValue
      #expect(abs(m.accuracy - acc) <= 1e-6, "\(name) ACC \(m.accuracy) vs \(acc)")
      #expect(abs(m.nmi - nmi) <= 1e-6, "\(name) NMI \(m.nmi) vs \(nmi)")
      #expect(abs(m.ari - ari) <= 1e-6, "\(name) ARI \(m.ari) vs \(ari)")
    }
  }
}
