/// The Fig. 4 curves: a metric (ACC, NMI or ARI) against the query budget M,
/// one line with markers per selection strategy, seed spread as error bars.
///
/// Datablocks: `$series0`, `$series1`, … with rows `x y` (or `x y error`),
/// sorted by x. A series with errors is drawn `with yerrorlines`, otherwise
/// `with linespoints`; each is titled with its name, so the legend (and the
/// SVG `<title>` of its group) names the strategy.
/// Figure after Liu et al. 2024 (IDC), Fig. 4.
public struct CurvePlot: GnuplotPlot {
  /// One strategy's curve.
  public struct Series: Sendable, Equatable {
    public var name: String
    public var x: [Double]
    /// Mean metric at each x.
    public var y: [Double]
    /// Half-length of the error bar at each x (standard deviation or
    /// standard error over seeds), or `nil` for no bars.
    public var error: [Double]?
    /// An asymmetric interval at each x (a Wilson interval), drawn as bars in place of `error`.
    public var low: [Double]?
    public var high: [Double]?

    public init(name: String, x: [Double], y: [Double], error: [Double]? = nil) {
      self.name = name
      self.x = x
      self.y = y
      self.error = error
    }

    public init(name: String, x: [Double], y: [Double], low: [Double], high: [Double]) {
      self.init(name: name, x: x, y: y)
      self.low = low
      self.high = high
    }

    var interval: (low: [Double], high: [Double])? {
      guard let low, let high else { return nil }
      return (low, high)
    }
  }

  public var series: [Series]
  public var title: String
  public var xLabel: String
  public var yLabel: String
  /// A logarithmic M axis, for budgets that grow geometrically.
  public var logScaleX: Bool
  public var preferredSize: PlotSize

  public init(
    series: [Series],
    title: String = "Accuracy against the number of queries",
    xLabel: String = "M (queried samples)",
    yLabel: String = "ACC (%)",
    logScaleX: Bool = false,
    preferredSize: PlotSize = PlotSize(width: 1000, height: 700)
  ) {
    self.series = series
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.logScaleX = logScaleX
    self.preferredSize = preferredSize
  }

  public func body(for target: PlotTarget) throws(PlotError) -> GnuplotScript {
    guard !series.isEmpty else { throw .invalidInput("no series to draw") }
    var script = GnuplotScript()
    var clauses: [String] = []
    for (k, curve) in series.enumerated() {
      guard curve.x.count == curve.y.count, curve.error.map({ $0.count == curve.x.count }) ?? true else {
        throw .invalidInput(
          "series '\(curve.name)' has \(curve.x.count) x, \(curve.y.count) y and \(curve.error?.count ?? 0) error values")
      }
      guard !curve.x.isEmpty else { throw .invalidInput("series '\(curve.name)' is empty") }
      if let interval = curve.interval, interval.low.count != curve.x.count || interval.high.count != curve.x.count {
        throw .invalidInput("series '\(curve.name)' has \(curve.x.count) x but \(interval.low.count) low and \(interval.high.count) high values")
      }
      var block = Datablock(name: "series\(k)")
      for i in curve.x.indices.sorted(by: { curve.x[$0] < curve.x[$1] }) {
        if let interval = curve.interval {
          block.appendRow(curve.x[i], curve.y[i], interval.low[i], interval.high[i])
        } else if let error = curve.error {
          block.appendRow(curve.x[i], curve.y[i], error[i])
        } else {
          block.appendRow(curve.x[i], curve.y[i])
        }
      }
      script.define(block)
      let title = "title \(GnuplotScript.literal(curve.name))"
      if target.isText {
        clauses.append("$series\(k) using 1:2 with linespoints pt \"\(PlotStyle.groupCharacter(k))\" \(title)")
        continue
      }
      let style = "lw 2.5 pt \(PlotStyle.seriesPointType(k)) ps 1.5 lc rgb \"\(PlotStyle.seriesColor(k))\""
      clauses.append(
        curve.interval != nil
          ? "$series\(k) using 1:2:3:4 with yerrorlines \(style) \(title)"
          : curve.error == nil
          ? "$series\(k) using 1:2 with linespoints \(style) \(title)"
          : "$series\(k) using 1:2:3 with yerrorlines \(style) \(title)")
    }
    script.append("set title \(GnuplotScript.literal(title))")
    script.append("set xlabel \(GnuplotScript.literal(xLabel))")
    script.append("set ylabel \(GnuplotScript.literal(yLabel))")
    if logScaleX { script.append("set logscale x") }
    script.append("set grid lc rgb \"#d0d0d0\" lw 1")
    script.append("set key bottom right box")
    script.append("set autoscale xfix")
    script.append("set offsets graph 0.03, graph 0.03, graph 0.05, graph 0.05")
    script.append("set bars 1.5")
    script.append("plot " + clauses.joined(separator: ", \\\n     "))
    return script
  }
}
