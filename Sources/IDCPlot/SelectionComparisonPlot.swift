import IDCCore

/// Several selections drawn on one embedding, one panel each: the Fig. 3
/// comparison of `hard`, `hard+rep`, `hard+rep+div` and `random`.
///
/// A multiplot (`set multiplot layout rows,columns`) with one `plot` per
/// selection. Datablocks: the shared background (`$group0`, … as in
/// ``EmbeddingPlot``) and `$selection0`, `$selection1`, … with one row per
/// selected index. Each panel's highlight layer is titled
/// "`name` (M = m)"; panel keys are hidden, titles name the strategy.
/// Figure after Liu et al. 2024 (IDC), Fig. 3.
public struct SelectionComparisonPlot: GnuplotPlot {
  /// One panel: a strategy name and the rows it selected.
  public struct Selection: Sendable, Equatable {
    public var name: String
    public var indices: [Int]

    public init(name: String, indices: [Int]) {
      self.name = name
      self.indices = indices
    }
  }

  /// How the panels are arranged.
  public enum Layout: Sendable, Equatable {
    /// Two columns, as many rows as needed (2×2 for four selections).
    case grid
    /// All panels side by side (1×4 for four selections).
    case row
  }

  public var points: Matrix
  public var groups: [Int]
  public var groupKind: String
  public var selections: [Selection]
  public var layout: Layout
  public var title: String

  public init(
    points: Matrix,
    groups: [Int] = [],
    groupKind: String = "cluster",
    selections: [Selection],
    layout: Layout = .grid,
    title: String = "Selected samples by strategy"
  ) {
    self.points = points
    self.groups = groups
    self.groupKind = groupKind
    self.selections = selections
    self.layout = layout
    self.title = title
  }

  /// Rows and columns of the panel grid.
  public var gridShape: (rows: Int, columns: Int) {
    let count = max(selections.count, 1)
    switch layout {
    case .row: return (1, count)
    case .grid: return count == 1 ? (1, 1) : ((count + 1) / 2, 2)
    }
  }

  /// 700×660 pixels per panel.
  public var preferredSize: PlotSize {
    let shape = gridShape
    return PlotSize(width: 700 * shape.columns, height: 660 * shape.rows + 40)
  }

  public func body(for target: PlotTarget) throws(PlotError) -> GnuplotScript {
    guard !selections.isEmpty else { throw .invalidInput("no selections to compare") }
    let layers = try EmbeddingLayers(points: points, groups: groups, groupNames: [:], groupKind: groupKind,
                                     drawAtMost: target.backgroundPointLimit)
    var script = GnuplotScript()
    layers.define(in: &script)
    for (k, selection) in selections.enumerated() {
      try layers.validate(indices: selection.indices, what: "selection '\(selection.name)'")
      script.define(layers.datablock(named: "selection\(k)", rows: selection.indices))
    }
    let shape = gridShape
    script.append(contentsOf: EmbeddingLayers.frameCommands)
    script.append("unset key")
    script.append("set multiplot layout \(shape.rows),\(shape.columns) title \(GnuplotScript.literal(title + layers.thinningNote))")
    let background = layers.clauses(for: target, legend: false)
    for (k, selection) in selections.enumerated() {
      let label = "\(selection.name) (M = \(selection.indices.count))"
      script.append("set title \(GnuplotScript.literal(label))")
      let pointSize = PlotStyle.highlightPointSize(count: selection.indices.count) * 0.9
      let clauses = background
        + (selection.indices.isEmpty
          ? [] : layers.highlightClauses(block: "$selection\(k)", title: label, for: target, pointSize: pointSize))
      script.append("plot " + clauses.joined(separator: ", \\\n     "))
    }
    script.append("unset multiplot")
    return script
  }
}
