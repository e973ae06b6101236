import IDCCore

/// The Fig. 3 map: a 2-D embedding (t-SNE) coloured by cluster or by true
/// label, with the selected samples as large red markers on top.
///
/// Datablocks: `$group0`, `$group1`, … (one per group id, ascending; a single
/// `$points` block with a colour column beyond 19 groups) and `$highlight`
/// with exactly one row per highlighted index. Group layers are untitled and
/// the legend is drawn with `keyentry` markers, "cluster 3 (n)"; the
/// highlight layer, drawn last (on top), is titled
/// "`highlightTitle` (M = m)" so it can be found in the legend and in SVG
/// output (`<g id="gnuplot_plot_N"><title>…`).
/// Figure after Liu et al. 2024 (IDC), Fig. 3; t-SNE: van der Maaten & Hinton 2008.
public struct EmbeddingPlot: GnuplotPlot {
  /// N×2 coordinates (further columns are ignored).
  public var points: Matrix
  /// One group id per point (cluster or label), or empty for one colour.
  public var groups: [Int]
  /// Legend names of group ids; others read "`groupKind` id".
  public var groupNames: [Int: String]
  /// What a group is, for the legend: "cluster" or "label".
  public var groupKind: String
  /// Rows drawn as large red markers (the selected samples), in any order.
  public var highlighted: [Int]
  /// Legend title of the highlighted samples.
  public var highlightTitle: String
  public var title: String
  public var preferredSize: PlotSize
  /// Most background points drawn (nil: the target's ``PlotTarget/backgroundPointLimit``);
  /// past it a seeded sample of each group is drawn, the highlighted rows always.
  public var drawAtMost: Int?
  /// Seed of that sample.
  public var sampleSeed: Int

  public init(
    points: Matrix,
    groups: [Int] = [],
    groupNames: [Int: String] = [:],
    groupKind: String = "cluster",
    highlighted: [Int] = [],
    highlightTitle: String = "selected",
    title: String = "t-SNE embedding",
    preferredSize: PlotSize = PlotSize(width: 1200, height: 900),
    drawAtMost: Int? = nil,
    sampleSeed: Int = 0
  ) {
    self.drawAtMost = drawAtMost
    self.sampleSeed = sampleSeed
    self.points = points
    self.groups = groups
    self.groupNames = groupNames
    self.groupKind = groupKind
    self.highlighted = highlighted
    self.highlightTitle = highlightTitle
    self.title = title
    self.preferredSize = preferredSize
  }

  public func body(for target: PlotTarget) throws(PlotError) -> GnuplotScript {
    let layers = try EmbeddingLayers(points: points, groups: groups, groupNames: groupNames, groupKind: groupKind,
                                     drawAtMost: drawAtMost ?? target.backgroundPointLimit, seed: sampleSeed)
    try layers.validate(indices: highlighted, what: "highlighted")
    var script = GnuplotScript()
    layers.define(in: &script)
    var clauses = layers.clauses(for: target, legend: true)
    if !highlighted.isEmpty {
      script.define(layers.datablock(named: "highlight", rows: highlighted))
      let label = "\(highlightTitle) (M = \(highlighted.count))"
      clauses += layers.highlightClauses(block: "$highlight", title: label, for: target, pointSize: PlotStyle.highlightPointSize(count: highlighted.count))
    }
    script.append("set title \(GnuplotScript.literal(title + layers.thinningNote))")
    script.append(contentsOf: EmbeddingLayers.frameCommands)
    script.append(target.isText ? "set key outside right top" : "set key outside right top spacing 1.1 samplen 1")
    script.append("plot " + clauses.joined(separator: ", \\\n     "))
    return script
  }
}
