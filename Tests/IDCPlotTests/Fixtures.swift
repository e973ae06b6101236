import Foundation
import IDCCore
import IDCPlot

/// Deterministic inputs for the plot tests: Gaussian blobs standing in for a
/// t-SNE map, selections of the four strategies, curves, losses, scores and
/// thumbnails.
enum Fixtures {
  /// `clusters` Gaussian blobs (σ = 1.7) on a circle of radius 10, `perCluster` points each.
  static func blobs(clusters: Int = 10, perCluster: Int = 200, seed: UInt64 = 7) -> (points: Matrix, labels: [Int]) {
    var generator = SeededGenerator(seed: seed)
    var storage: [Float] = []
    var labels: [Int] = []
    for k in 0..<clusters {
      let angle = 2 * Double.pi * Double(k) / Double(clusters)
      for _ in 0..<perCluster {
        storage.append(Float(10 * cos(angle) + 1.7 * gaussian(&generator)))
        storage.append(Float(10 * sin(angle) + 1.7 * gaussian(&generator)))
        labels.append(k)
      }
    }
    return (Matrix(rows: labels.count, columns: 2, storage: storage), labels)
  }

  /// A standard normal draw (Box–Muller).
  static func gaussian(_ generator: inout SeededGenerator) -> Double {
    let u = Double.random(in: Double.ulpOfOne..<1, using: &generator)
    let v = Double.random(in: 0..<1, using: &generator)
    return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
  }

  /// Stand-ins for the four strategies of Fig. 3 on `points` grouped by `labels`:
  /// the smallest margins between the two nearest centres (hard), hard among
  /// points close to their own centre (hard+rep), the same spread out greedily
  /// (hard+rep+div) and a seeded random choice.
  static func selections(points: Matrix, labels: [Int], count: Int) -> [SelectionComparisonPlot.Selection] {
    let clusters = (labels.max() ?? 0) + 1
    var centres = [(Double, Double)](repeating: (0, 0), count: clusters)
    var sizes = [Int](repeating: 0, count: clusters)
    for i in 0..<points.rows {
      centres[labels[i]].0 += Double(points[i, 0])
      centres[labels[i]].1 += Double(points[i, 1])
      sizes[labels[i]] += 1
    }
    centres = centres.enumerated().map { ($0.element.0 / Double(sizes[$0.offset]), $0.element.1 / Double(sizes[$0.offset])) }
    func distances(_ i: Int) -> [Double] {
      centres.map { hypot(Double(points[i, 0]) - $0.0, Double(points[i, 1]) - $0.1) }
    }
    let margin = (0..<points.rows).map { i -> Double in
      let d = distances(i).sorted()
      return d[1] - d[0]
    }
    let own = (0..<points.rows).map { distances($0)[labels[$0]] }
    let hard = Array((0..<points.rows).sorted { margin[$0] < margin[$1] }.prefix(count))
    let hardRep = Array((0..<points.rows).sorted { margin[$0] + 0.5 * own[$0] < margin[$1] + 0.5 * own[$1] }.prefix(count))
    let pool = Array((0..<points.rows).sorted { margin[$0] + 0.5 * own[$0] < margin[$1] + 0.5 * own[$1] }.prefix(count * 6))
    var diverse: [Int] = []
    for candidate in pool where diverse.count < count {
      let far = diverse.allSatisfy {
        hypot(Double(points[candidate, 0] - points[$0, 0]), Double(points[candidate, 1] - points[$0, 1])) > 1.2
      }
      if far { diverse.append(candidate) }
    }
    var generator = SeededGenerator(seed: 3)
    let random = Array((0..<points.rows).shuffled(using: &generator).prefix(count))
    return [
      .init(name: "hard", indices: hard),
      .init(name: "hard+rep", indices: hardRep),
      .init(name: "hard+rep+div", indices: diverse),
      .init(name: "random", indices: random),
    ]
  }

  /// Fig. 4-like curves: ACC rising with M and levelling off, the full method above random.
  static func curves() -> [CurvePlot.Series] {
    let budgets: [Double] = [0, 100, 200, 300, 400, 500]
    func series(_ name: String, start: Double, gain: Double, rate: Double, spread: Double) -> CurvePlot.Series {
      CurvePlot.Series(
        name: name, x: budgets, y: budgets.map { start + gain * (1 - exp(-$0 / rate)) },
        error: budgets.map { spread * (1 + $0 / 500) })
    }
    return [
      series("random", start: 68.9, gain: 3.0, rate: 300, spread: 0.6),
      series("hard", start: 68.9, gain: 5.5, rate: 180, spread: 0.5),
      series("hard+rep", start: 68.9, gain: 4.2, rate: 200, spread: 0.5),
      series("hard+rep+div", start: 68.9, gain: 8.0, rate: 150, spread: 0.4),
    ]
  }

  /// Per-epoch losses decaying towards a floor, and ACC rising, over `epochs`.
  static func training(epochs: Int = 100) -> (losses: [TrainingCurvePlot.Series], accuracy: [Double]) {
    let e = (0..<epochs).map(Double.init)
    let pos = e.map { 0.3 + 1.9 * exp(-$0 / 15) }
    let neg = e.map { 0.1 + 0.6 * exp(-$0 / 25) }
    let reg = e.map { 0.4 + 0.3 * exp(-$0 / 40) + 0.02 * sin($0) }
    let total = (0..<epochs).map { pos[$0] + neg[$0] + reg[$0] }
    let accuracy = e.map { 68.9 + 7.5 * (1 - exp(-$0 / 20)) }
    return (
      [.init(name: "pos", values: pos), .init(name: "neg", values: neg), .init(name: "reg", values: reg),
       .init(name: "total", values: total)],
      accuracy
    )
  }

  /// Hardness, representativeness and value scores of `count` samples with
  /// the `selected` ones near the top of the value.
  static func scores(count: Int = 2000, selected: Int = 50) -> [HistogramPlot.Distribution] {
    var generator = SeededGenerator(seed: 11)
    let h = (0..<count).map { _ in -abs(gaussian(&generator)) * 1.5 - 0.05 }
    let r = (0..<count).map { _ in gaussian(&generator) * 0.4 - 1.0 }
    let v = (0..<count).map { h[$0] + r[$0] }
    let top = Array((0..<count).sorted { v[$0] > v[$1] }.prefix(selected))
    return [
      .init(name: "h (hardness)", values: h, selected: top),
      .init(name: "r (representativeness)", values: r, selected: top),
      .init(name: "v (value)", values: v, selected: top),
    ]
  }

  /// A `size`×`size` grey (or RGB) picture of shape `kind` (0 disc, 1 square,
  /// 2 ring, 3 bar, 4 cross, 5 triangle) with a seeded texture.
  static func shape(_ kind: Int, size: Int = 28, channels: Int = 1, seed: UInt64 = 1) -> ThumbnailImage {
    var generator = SeededGenerator(seed: seed)
    var pixels: [UInt8] = []
    let c = Double(size - 1) / 2
    let tint: [Double] = [[1, 0.6, 0.3], [0.3, 0.8, 1], [0.9, 0.9, 0.4], [0.6, 1, 0.6], [1, 0.5, 0.9], [0.8, 0.8, 0.8]][kind % 6]
    for r in 0..<size {
      for col in 0..<size {
        let x = Double(col) - c, y = Double(r) - c
        let d = hypot(x, y)
        let inside: Bool
        switch kind % 6 {
        case 0: inside = d < Double(size) * 0.35
        case 1: inside = abs(x) < Double(size) * 0.3 && abs(y) < Double(size) * 0.3
        case 2: inside = d < Double(size) * 0.4 && d > Double(size) * 0.22
        case 3: inside = abs(x) < Double(size) * 0.12
        case 4: inside = abs(x) < Double(size) * 0.1 || abs(y) < Double(size) * 0.1
        default: inside = y > -Double(size) * 0.3 && y < Double(size) * 0.35 && abs(x) < (y + Double(size) * 0.3) * 0.6
        }
        let base = inside ? 200.0 + Double.random(in: 0..<55, using: &generator) : Double.random(in: 0..<30, using: &generator)
        for channel in 0..<channels {
          pixels.append(UInt8(min(255, base * (channels == 3 ? tint[channel] : 1))))
        }
      }
    }
    return ThumbnailImage(pixels: pixels, height: size, width: size, channels: channels)
  }

  /// A query: anchor of shape 2, five candidates of `perCandidate` images each.
  static func query(answer: QuerySheetPlot.Answer, perCandidate: Int = 3, channels: Int = 1) -> QuerySheetPlot {
    let candidates = (0..<5).map { t in
      QuerySheetPlot.Candidate(
        cluster: [4, 2, 7, 0, 9][t],
        images: (0..<perCandidate).map { j in shape(t, channels: channels, seed: UInt64(10 * t + j)) })
    }
    return QuerySheetPlot(
      anchor: shape(2, channels: channels, seed: 99), anchorTitle: "anchor #1234", candidates: candidates,
      answer: answer, title: "Query 1 of 50: which cluster shares the anchor's meaning?")
  }
}
