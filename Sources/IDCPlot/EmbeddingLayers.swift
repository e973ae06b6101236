import IDCCore

/// The coloured background of an embedding map: one datablock per group
/// (`$group0`, `$group1`, … in ascending group id), or a single `$points`
/// block with a colour column when there are more groups than colours.
///
/// Shared by ``EmbeddingPlot`` and ``SelectionComparisonPlot`` so both draw
/// the same map.
struct EmbeddingLayers: Sendable {
  /// The distinct group ids, ascending.
  let groupIDs: [Int]
  /// Row indices of each group, parallel to `groupIDs`.
  let members: [[Int]]
  let points: Matrix
  /// Legend text of each group, parallel to `groupIDs`.
  let names: [String]
  /// Whether no group ids were given (one neutral colour).
  let isUngrouped: Bool

  /// Beyond this many groups the map drops the per-group legend.
  static let maxLegendGroups = PlotStyle.groupColors.count

  /// Validates `points` (N×2 or wider; the first two columns are drawn) and
  /// `groups` (empty, or one id per row).
  init(points: Matrix, groups: [Int], groupNames: [Int: String], groupKind: String) throws(PlotError) {
    guard points.columns >= 2 else {
      throw .invalidInput("an embedding needs 2 columns, got \(points.rows)×\(points.columns)")
    }
    guard groups.isEmpty || groups.count == points.rows else {
      throw .invalidInput("\(groups.count) group ids for \(points.rows) points")
    }
    self.points = points
    isUngrouped = groups.isEmpty
    if groups.isEmpty {
      groupIDs = [0]
      members = [Array(0..<points.rows)]
      names = ["points (\(points.rows))"]
      return
    }
    var byGroup: [Int: [Int]] = [:]
    for (row, group) in groups.enumerated() { byGroup[group, default: []].append(row) }
    groupIDs = byGroup.keys.sorted()
    members = groupIDs.map { byGroup[$0]! }
    names = zip(groupIDs, members).map { id, rows in
      "\(groupNames[id] ?? "\(groupKind) \(id)") (\(rows.count))"
    }
  }

  /// Whether each group gets its own datablock and legend entry.
  var hasLegend: Bool { groupIDs.count <= EmbeddingLayers.maxLegendGroups }

  /// Checks that every index names a row.
  func validate(indices: [Int], what: String) throws(PlotError) {
    if let bad = indices.first(where: { $0 < 0 || $0 >= points.rows }) {
      throw .invalidInput("\(what) index \(bad) is outside 0..<\(points.rows)")
    }
  }

  /// One `x y` line per row in `rows`.
  func datablock(named name: String, rows: [Int]) -> Datablock {
    var block = Datablock(name: name)
    block.lines.reserveCapacity(rows.count)
    for row in rows {
      block.lines.append(Datablock.format(points[row, 0]) + " " + Datablock.format(points[row, 1]))
    }
    return block
  }

  /// Defines the background datablocks in `script`.
  func define(in script: inout GnuplotScript) {
    if hasLegend {
      for (ordinal, rows) in members.enumerated() {
        script.define(datablock(named: "group\(ordinal)", rows: rows))
      }
    } else {
      var block = Datablock(name: "points")
      var colorOfRow = [Int](repeating: 0, count: points.rows)
      for (ordinal, rows) in members.enumerated() {
        let color = Int(PlotStyle.groupColor(ordinal).dropFirst(), radix: 16)!
        for row in rows { colorOfRow[row] = color }
      }
      block.lines.reserveCapacity(points.rows)
      for row in members.joined() {
        block.lines.append("\(Datablock.format(points[row, 0])) \(Datablock.format(points[row, 1])) \(colorOfRow[row])")
      }
      script.define(block)
    }
  }

  /// The plot clauses that draw the background (untitled), followed, when
  /// `legend` is set and groups have colours, by one `keyentry` per group
  /// with a large marker and the group's name, so the legend stays readable
  /// however small the points are.
  func clauses(for target: PlotTarget, legend: Bool) -> [String] {
    let size = PlotStyle.backgroundPointSize(count: points.rows)
    if !hasLegend {
      let marker = target.isText ? "pt \"\(PlotStyle.groupCharacter(0))\"" : "pt 7 ps \(size)"
      return ["$points using 1:2:3 with points \(marker) lc rgb variable notitle"]
    }
    var layers: [String] = []
    var keys: [String] = []
    for ordinal in members.indices {
      let title = "title \(GnuplotScript.literal(names[ordinal]))"
      if target.isText {
        let marker = "pt \"\(PlotStyle.groupCharacter(ordinal))\""
        layers.append("$group\(ordinal) using 1:2 with points \(marker) notitle")
        keys.append("keyentry with points \(marker) \(title)")
        continue
      }
      let color = isUngrouped ? PlotStyle.neutralColor : PlotStyle.groupColor(ordinal)
      let fill = PlotStyle.translucent(color, transparency: points.rows > 5000 ? 0.45 : 0.2)
      layers.append("$group\(ordinal) using 1:2 with points pt 7 ps \(size) lc rgb \"\(fill)\" notitle")
      keys.append("keyentry with points pt 7 ps 1.6 lc rgb \"\(color)\" \(title)")
    }
    return legend ? layers + keys : layers
  }

  /// The plot clauses that draw `block` as highlighted samples on top: a
  /// white halo (untitled) under large red discs titled `title`.
  func highlightClauses(block: String, title: String, for target: PlotTarget, pointSize: Double) -> [String] {
    let quotedTitle = GnuplotScript.literal(title)
    if target.isText {
      return ["\(block) using 1:2 with points pt \"\(PlotStyle.highlightCharacter)\" title \(quotedTitle)"]
    }
    let halo = Datablock.format((pointSize * 135).rounded() / 100)
    let disc = Datablock.format((pointSize * 100).rounded() / 100)
    return [
      "\(block) using 1:2 with points pt 7 ps \(halo) lc rgb \"white\" notitle",
      "\(block) using 1:2 with points pt 7 ps \(disc) lc rgb \"\(PlotStyle.highlightColor)\" title \(quotedTitle)",
    ]
  }

  /// Commands common to every map: equal axis scales, no tics (t-SNE axes
  /// carry no units), a thin border.
  static let frameCommands = [
    "set size ratio -1",
    "unset xtics",
    "unset ytics",
    "set border lw 0.5 lc rgb \"#808080\"",
    "set offsets graph 0.02, graph 0.02, graph 0.02, graph 0.02",
  ]
}
