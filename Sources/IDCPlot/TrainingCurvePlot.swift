/// Training curves of the cluster head: each loss per epoch (`L_pos`,
/// `L_neg`, `L_reg` and their sum, docs/method.md §4.2, Eq. 11–14) and, when given, the
/// accuracy per epoch on a second y axis.
///
/// Datablocks: `$loss0`, `$loss1`, … with rows `epoch value`, and `$accuracy`
/// with rows `epoch value`. Non-finite values (a loss undefined in an epoch)
/// are written `NaN` and leave a gap. A series named "total" is drawn black
/// and thicker; accuracy and the audit estimate, measured every N epochs, are dashed lines
/// through the measured epochs on the right axis.
public struct TrainingCurvePlot: GnuplotPlot {
  /// One per-epoch curve.
  public struct Series: Sendable, Equatable {
    public var name: String
    /// One value per epoch, starting at ``TrainingCurvePlot/firstEpoch``.
    public var values: [Double]

    public init(name: String, values: [Double]) {
      self.name = name
      self.values = values
    }
  }

  public var losses: [Series]
  /// Accuracy per epoch (percent), drawn against the right axis.
  public var accuracy: [Double]?
  public var accuracyLabel: String
  /// The audit estimate per epoch (percent confirmed), on the same right axis.
  public var audit: [Double]?
  /// The epoch number of the first value (1 by default).
  public var firstEpoch: Int
  /// A logarithmic loss axis (for losses spanning decades; needs positive values).
  public var logScaleLoss: Bool
  public var title: String
  public var preferredSize: PlotSize

  public init(
    losses: [Series],
    accuracy: [Double]? = nil,
    accuracyLabel: String = "ACC (%)",
    audit: [Double]? = nil,
    firstEpoch: Int = 1,
    logScaleLoss: Bool = false,
    title: String = "Training curves",
    preferredSize: PlotSize = PlotSize(width: 1100, height: 700)
  ) {
    self.losses = losses
    self.accuracy = accuracy
    self.accuracyLabel = accuracyLabel
    self.audit = audit
    self.firstEpoch = firstEpoch
    self.logScaleLoss = logScaleLoss
    self.title = title
    self.preferredSize = preferredSize
  }

  public func body(for target: PlotTarget) throws(PlotError) -> GnuplotScript {
    guard !losses.isEmpty || !(accuracy ?? []).isEmpty || !(audit ?? []).isEmpty else { throw .invalidInput("no training curves to draw") }
    var script = GnuplotScript()
    var clauses: [String] = []
    for (k, loss) in losses.enumerated() {
      guard !loss.values.isEmpty else { throw .invalidInput("loss '\(loss.name)' has no values") }
      script.define(perEpochBlock(named: "loss\(k)", values: loss.values))
      let title = "title \(GnuplotScript.literal(loss.name))"
      if target.isText {
        clauses.append("$loss\(k) using 1:2 with lines \(title)")
      } else if loss.name.lowercased() == "total" {
        clauses.append("$loss\(k) using 1:2 with lines lw 3.5 lc rgb \"black\" \(title)")
      } else {
        clauses.append("$loss\(k) using 1:2 with lines lw 2.5 lc rgb \"\(PlotStyle.seriesColor(k))\" \(title)")
      }
    }
    script.append("set title \(GnuplotScript.literal(title))")
    script.append("set xlabel \"epoch\"")
    script.append("set ylabel \"loss\"")
    if logScaleLoss { script.append("set logscale y") }
    let right = [(name: "accuracy", label: accuracyLabel, values: accuracy ?? [], color: PlotStyle.highlightColor),
                 (name: "audit", label: "audit: confirmed (%)", values: audit ?? [], color: "#2a7fff")].filter { !$0.values.isEmpty }
    if !right.isEmpty {
      script.append("set y2label \(GnuplotScript.literal(right.map(\.label).joined(separator: ", ")))")
      script.append("set ytics nomirror")
      script.append("set y2tics")
    }
    for series in right {
      // Measured every N epochs: only the measured epochs, so that the line joins them.
      script.define(perEpochBlock(named: series.name, values: series.values, measuredOnly: true))
      let title = "title \(GnuplotScript.literal(series.label))"
      clauses.append(
        target.isText
          ? "$\(series.name) using 1:2 axes x1y2 with linespoints \(title)"
          : "$\(series.name) using 1:2 axes x1y2 with linespoints lw 2.5 dt 2 pt 7 ps 1.2 lc rgb \"\(series.color)\" \(title)")
    }
    script.append("set grid lc rgb \"#d0d0d0\" lw 1")
    script.append("set key center right box")
    script.append("plot " + clauses.joined(separator: ", \\\n     "))
    return script
  }

  private func perEpochBlock(named name: String, values: [Double], measuredOnly: Bool = false) -> Datablock {
    var block = Datablock(name: name)
    block.lines.reserveCapacity(values.count)
    for (i, value) in values.enumerated() where !measuredOnly || value.isFinite { block.appendRow(Double(firstEpoch + i), value) }
    return block
  }
}
