/// Score distributions: one histogram panel per score (hardness h,
/// representativeness r, value v, docs/method.md §2, Eq. 1–4), with the selected
/// samples' own histogram drawn over it in red.
///
/// Both layers show the *fraction* of their samples per bin, so the few
/// selected samples (M) and all samples (N) share one y axis and the shift of
/// the selection is visible. Datablocks per panel k: `$all<k>` and
/// `$selected<k>`, one row `center count fraction` per bin (empty bins
/// included). Non-finite scores are skipped and counted in the panel title.
public struct HistogramPlot: GnuplotPlot {
  /// One score: the values of all samples and the indices of the selected ones.
  public struct Distribution: Sendable, Equatable {
    public var name: String
    public var values: [Double]
    /// Indices into `values` of the selected samples.
    public var selected: [Int]

    public init(name: String, values: [Double], selected: [Int] = []) {
      self.name = name
      self.values = values
      self.selected = selected
    }
  }

  /// The histogram of one distribution: equal-width bins over the finite range.
  public struct Bins: Sendable, Equatable {
    public var lowerBound: Double
    public var width: Double
    public var counts: [Int]
    public var selectedCounts: [Int]
    /// Values skipped because they were NaN or infinite.
    public var nonFinite: Int

    /// The centre of bin `i`.
    public func center(_ i: Int) -> Double { lowerBound + (Double(i) + 0.5) * width }
  }

  public var distributions: [Distribution]
  public var binCount: Int
  public var title: String

  public init(distributions: [Distribution], binCount: Int = 40, title: String = "Score distributions") {
    self.distributions = distributions
    self.binCount = binCount
    self.title = title
  }

  /// 520×560 pixels per panel, side by side.
  public var preferredSize: PlotSize {
    PlotSize(width: 520 * max(distributions.count, 1), height: 560)
  }

  /// Bins `values` into `binCount` equal bins from the smallest to the largest
  /// finite value (a degenerate range is widened to ±0.5).
  ///
  /// - Complexity: O(N).
  public static func bins(of distribution: Distribution, binCount: Int) -> Bins {
    let finite = distribution.values.filter(\.isFinite)
    var low = finite.min() ?? 0
    var high = finite.max() ?? 1
    if high - low <= 0 { low -= 0.5; high += 0.5 }
    let width = (high - low) / Double(binCount)
    func bin(_ value: Double) -> Int { min(binCount - 1, max(0, Int((value - low) / width))) }
    var counts = [Int](repeating: 0, count: binCount)
    for value in finite { counts[bin(value)] += 1 }
    var selectedCounts = [Int](repeating: 0, count: binCount)
    for index in distribution.selected where distribution.values[index].isFinite {
      selectedCounts[bin(distribution.values[index])] += 1
    }
    return Bins(
      lowerBound: low, width: width, counts: counts, selectedCounts: selectedCounts,
      nonFinite: distribution.values.count - finite.count)
  }

  public func body(for target: PlotTarget) throws(PlotError) -> GnuplotScript {
    guard !distributions.isEmpty else { throw .invalidInput("no score distributions to draw") }
    guard binCount >= 1 else { throw .invalidInput("bins must be at least 1, got \(binCount)") }
    var script = GnuplotScript()
    script.append("set multiplot layout 1,\(distributions.count) title \(GnuplotScript.literal(title))")
    script.append("set grid ytics lc rgb \"#d0d0d0\"")
    script.append("set key top left")
    script.append("set ylabel \"fraction of samples\"")
    script.append("set yrange [0:*]")
    script.append("set offsets 0, 0, graph 0.08, 0")
    for (k, distribution) in distributions.enumerated() {
      if let bad = distribution.selected.first(where: { $0 < 0 || $0 >= distribution.values.count }) {
        throw .invalidInput("selected index \(bad) is outside 0..<\(distribution.values.count) for '\(distribution.name)'")
      }
      let bins = HistogramPlot.bins(of: distribution, binCount: binCount)
      let finiteCount = distribution.values.count - bins.nonFinite
      guard finiteCount > 0 else { throw .invalidInput("'\(distribution.name)' has no finite values") }
      let selectedCount = bins.selectedCounts.reduce(0, +)
      var all = Datablock(name: "all\(k)")
      var selected = Datablock(name: "selected\(k)")
      for i in 0..<binCount {
        let center = bins.center(i)
        all.appendRow(center, Double(bins.counts[i]), Double(bins.counts[i]) / Double(max(finiteCount, 1)))
        selected.appendRow(
          center, Double(bins.selectedCounts[i]), Double(bins.selectedCounts[i]) / Double(max(selectedCount, 1)))
      }
      script.define(all)
      script.define(selected)
      let skipped = bins.nonFinite > 0 ? " (\(bins.nonFinite) non-finite skipped)" : ""
      script.append("set title \(GnuplotScript.literal(distribution.name + skipped))")
      let low = Datablock.format(bins.lowerBound - bins.width)
      let high = Datablock.format(bins.lowerBound + Double(binCount + 1) * bins.width)
      script.append("set xrange [\(low):\(high)]")
      script.append("set boxwidth \(Datablock.format(bins.width)) absolute")
      let allTitle = "title \(GnuplotScript.literal("all (N = \(finiteCount))"))"
      let selectedTitle = "title \(GnuplotScript.literal("selected (M = \(selectedCount))"))"
      var clauses: [String]
      if target.isText {
        clauses = ["$all\(k) using 1:3 with boxes \(allTitle)"]
        if selectedCount > 0 { clauses.append("$selected\(k) using 1:3 with impulses \(selectedTitle)") }
      } else {
        clauses = ["$all\(k) using 1:3 with boxes fs solid 0.55 noborder lc rgb \"#8c8c8c\" \(allTitle)"]
        if selectedCount > 0 {
          let red = PlotStyle.highlightColor
          clauses.append("$selected\(k) using 1:3 with boxes fs transparent solid 0.45 border lc rgb \"\(red)\" lc rgb \"\(red)\" \(selectedTitle)")
        }
      }
      script.append("plot " + clauses.joined(separator: ", \\\n     "))
    }
    script.append("unset multiplot")
    return script
  }
}
