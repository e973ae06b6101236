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
  /// Background rows drawn (all of them unless the map was thinned, see ``init``).
  let drawnCount: Int

  /// Beyond this many groups the map drops the per-group legend.
  static let maxLegendGroups = PlotStyle.groupColors.count

  /// Validates `points` (N×2 or wider; the first two columns are drawn) and
  /// `groups` (empty, or one id per row).
  ///
  /// Past `drawAtMost` rows the background is thinned to a seeded uniform sample
  /// of each group, in proportion to its size but at least
  /// ``minimumDrawnPerGroup`` rows (so small clusters stay visible): a million
  /// overlapping dots draw the same picture as a tenth of them, at a tenth of the
  /// time and file size. Legend counts stay those of all rows; highlighted rows
  /// are drawn separately, always.
  init(points: Matrix, groups: [Int], groupNames: [Int: String], groupKind: String,
       drawAtMost: Int? = nil, seed: Int = 0) throws(PlotError) {
    guard points.columns >= 2 else {
      throw .invalidInput("an embedding needs 2 columns, got \(points.rows)×\(points.columns)")
    }
    guard groups.isEmpty || groups.count == points.rows else {
      throw .invalidInput("\(groups.count) group ids for \(points.rows) points")
    }
    self.points = points
    isUngrouped = groups.isEmpty
    var all: [[Int]]
    if groups.isEmpty {
      groupIDs = [0]
      all = [Array(0..<points.rows)]
      names = ["points (\(points.rows))"]
    } else {
      var byGroup: [Int: [Int]] = [:]
      for (row, group) in groups.enumerated() { byGroup[group, default: []].append(row) }
      groupIDs = byGroup.keys.sorted()
      all = groupIDs.map { byGroup[$0]! }
      names = zip(groupIDs, all).map { id, rows in
        "\(groupNames[id] ?? "\(groupKind) \(id)") (\(rows.count))"
      }
    }
    if let limit = drawAtMost, points.rows > limit {
      all = Self.thinned(all, total: points.rows, limit: limit, seed: seed)
    }
    members = all
    drawnCount = all.reduce(0) { $0 + $1.count }
  }

  /// Rows each group keeps when the whole map keeps about `limit` of `total`.
  static let minimumDrawnPerGroup = 200

  /// A seeded uniform sample of each group's rows (ascending), `limit/total` of
  /// each but at least ``minimumDrawnPerGroup`` (or the whole group).
  static func thinned(_ groups: [[Int]], total: Int, limit: Int, seed: Int) -> [[Int]] {
    var rng = SeededGenerator(seed: seed)
    let share = Double(limit) / Double(total)
    return groups.map { rows in
      let keep = min(rows.count, max(minimumDrawnPerGroup, Int((Double(rows.count) * share).rounded())))
      guard keep < rows.count else { return rows }
      var pool = rows
      for t in 0..<keep { pool.swapAt(t, t + rng.nextInt(below: pool.count - t)) }
      return pool[..<keep].sorted()
    }
  }

  /// Whether the background shows a sample of the rows.
  var isThinned: Bool { drawnCount < points.rows }

  /// "(100 000 of 1 000 000 points drawn)" for titles when thinned, else "".
  var thinningNote: String {
    isThinned ? " (a sample of \(drawnCount) of \(points.rows) points drawn)" : ""
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
      block.lines.reserveCapacity(drawnCount)
      for (ordinal, rows) in members.enumerated() {
        let color = Int(PlotStyle.groupColor(ordinal).dropFirst(), radix: 16)!
        for row in rows {
          block.lines.append("\(Datablock.format(points[row, 0])) \(Datablock.format(points[row, 1])) \(color)")
        }
      }
      script.define(block)
    }
  }

  /// The plot clauses that draw the background (untitled), followed, when
  /// `legend` is set and groups have colours, by one `keyentry` per group
  /// with a large marker and the group's name, so the legend stays readable
  /// however small the points are.
  func clauses(for target: PlotTarget, legend: Bool) -> [String] {
    let size = PlotStyle.backgroundPointSize(count: drawnCount)
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
      let fill = PlotStyle.translucent(color, transparency: drawnCount > 5000 ? 0.45 : 0.2)
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
