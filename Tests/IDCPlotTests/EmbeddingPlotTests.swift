import Foundation
import IDCCore
import IDCPlot
import Testing

@Suite struct EmbeddingPlotTests {
  let blobs = Fixtures.blobs(clusters: 10, perCluster: 30)
  let svg = try! PlotTarget.file("/tmp/map.svg")

  func plot(highlighted: [Int] = [3, 50, 299, 3]) -> EmbeddingPlot {
    EmbeddingPlot(points: blobs.points, groups: blobs.labels, highlighted: highlighted, title: "Fig. 3 map")
  }

  /// Past the target's limit the background is a seeded sample of each group (at least 200
  /// rows of each), the legend counts every row, and every highlighted row is drawn.
  @Test func largeMapsDrawASampleOfEachGroupAndEveryHighlight() throws {
    let sizes = [59_000, 900, 100]
    var groups: [Int] = []
    for (g, size) in sizes.enumerated() { groups += [Int](repeating: g, count: size) }
    var points = Matrix(rows: groups.count, columns: 2)
    for i in 0..<groups.count { points[i, 0] = Float(i % 997); points[i, 1] = Float(groups[i]) }
    let highlighted = [5, 59_001, 59_950, 59_999]
    let map = EmbeddingPlot(points: points, groups: groups, highlighted: highlighted, title: "60 000")
    let script = try map.script(for: svg)
    let drawn = try (0..<3).map { try #require(script.datablock(named: "group\($0)")).lines.count }
    #expect(drawn == [39_333, 600, 100])  // 40 000 / 60 000 of each, at least 200, at most all
    #expect(try #require(script.datablock(named: "highlight")).lines.count == 4)
    let plotLine = try #require(script.commands(startingWith: "plot ").first)
    #expect(plotLine.contains("title \"cluster 0 (59000)\""))
    #expect(script.commands(startingWith: "set title ").first?.contains("a sample of 40033 of 60000 points drawn") == true)
    // Seeded: the same sample every time, another with another seed.
    #expect(try map.script(for: svg).datablock(named: "group0") == script.datablock(named: "group0"))
    var reseeded = map
    reseeded.sampleSeed = 1
    #expect(try reseeded.script(for: svg).datablock(named: "group0") != script.datablock(named: "group0"))
    // Under the limit nothing is thinned.
    var all = map
    all.drawAtMost = 60_000
    #expect(try #require(all.script(for: svg).datablock(named: "group0")).lines.count == 59_000)
  }

  @Test func oneDatablockPerGroupWithItsPoints() throws {
    let script = try plot().script(for: svg)
    for k in 0..<10 {
      let block = try #require(script.datablock(named: "group\(k)"))
      #expect(block.lines.count == 30)
    }
    #expect(script.datablock(named: "group10") == nil)
    let first = try #require(script.datablock(named: "group0")?.lines.first)
    #expect(first == "\(Datablock.format(blobs.points[0, 0])) \(Datablock.format(blobs.points[0, 1]))")
  }

  @Test func highlightDatablockHasExactlyOneRowPerSelectedIndex() throws {
    let highlighted = [3, 50, 299, 3]
    let script = try plot(highlighted: highlighted).script(for: svg)
    let block = try #require(script.datablock(named: "highlight"))
    #expect(block.lines.count == highlighted.count)
    #expect(block.lines[2] == "\(Datablock.format(blobs.points[299, 0])) \(Datablock.format(blobs.points[299, 1]))")
  }

  @Test func highlightIsTheLastTitledRedLayerAndGroupsHaveKeyEntries() throws {
    let script = try plot().script(for: svg)
    let plots = script.commands(startingWith: "plot ")
    #expect(plots.count == 1)
    let clauses = plots[0].components(separatedBy: ", \\\n     ")
    #expect(clauses.count == 10 + 10 + 2)
    #expect(clauses[0] == "plot $group0 using 1:2 with points pt 7 ps 0.62 lc rgb \"#331f77b4\" notitle")
    #expect(clauses[10] == "keyentry with points pt 7 ps 1.6 lc rgb \"#1f77b4\" title \"cluster 0 (30)\" noenhanced")
    #expect(clauses[20] == "$highlight using 1:2 with points pt 7 ps 2.16 lc rgb \"white\" notitle")
    #expect(clauses[21] == "$highlight using 1:2 with points pt 7 ps 1.6 lc rgb \"#e8000b\" title \"selected (M = 4)\" noenhanced")
  }

  @Test func scriptIsFramedByTerminalAndOutputCommands() throws {
    let script = try plot().script(for: svg)
    #expect(script.commands.first == "set terminal svg size 1200,900 font \"sans-serif,15\" background rgb \"white\"")
    #expect(script.commands[1] == "set output \"/tmp/map.svg\"")
    #expect(script.commands.last == "unset output")
    #expect(script.commands.contains("set title \"Fig. 3 map\" noenhanced"))
    #expect(script.commands.contains("set size ratio -1"))
    #expect(script.commands.contains("unset xtics"))
  }

  @Test func groupNamesAndKindAppearInTheLegend() throws {
    let named = EmbeddingPlot(
      points: blobs.points, groups: blobs.labels, groupNames: [0: "T-shirt/top"], groupKind: "label")
    let text = try named.script(for: svg).text
    #expect(text.contains("title \"T-shirt/top (30)\" noenhanced"))
    #expect(text.contains("title \"label 1 (30)\" noenhanced"))
    #expect(!text.contains("$highlight"))
  }

  @Test func withoutGroupsAllPointsShareOneNeutralLayer() throws {
    let script = try EmbeddingPlot(points: blobs.points).script(for: svg)
    #expect(script.datablock(named: "group0")?.lines.count == 300)
    #expect(script.datablock(named: "group1") == nil)
    #expect(script.text.contains("lc rgb \"#334c72b0\" notitle"))
    #expect(script.text.contains("title \"points (300)\" noenhanced"))
  }

  @Test func manyGroupsUseOneColourColumnAndNoGroupLegend() throws {
    let groups = (0..<blobs.points.rows).map { $0 % 25 }
    let script = try EmbeddingPlot(points: blobs.points, groups: groups, highlighted: [1]).script(for: svg)
    let block = try #require(script.datablock(named: "points"))
    #expect(block.lines.count == 300)
    #expect(block.lines[0].split(separator: " ").last == "\(0x1f77b4)")
    #expect(script.datablock(named: "group0") == nil)
    #expect(script.text.contains("$points using 1:2:3 with points pt 7 ps 0.62 lc rgb variable notitle"))
    #expect(!script.text.contains("keyentry"))
  }

  @Test func textTargetDrawsGroupCharactersAndAnAt() throws {
    let script = try plot().script(for: .dumb(width: 80, height: 30))
    #expect(script.commands.first == "set terminal dumb size 80,30")
    #expect(script.text.contains("$group3 using 1:2 with points pt \"3\" notitle"))
    #expect(script.text.contains("keyentry with points pt \"3\" title \"cluster 3 (30)\" noenhanced"))
    #expect(script.text.contains("$highlight using 1:2 with points pt \"@\" title \"selected (M = 4)\" noenhanced"))
  }

  @Test func inconsistentInputsAreRejected() {
    #expect(throws: PlotError.invalidInput("highlighted index 300 is outside 0..<300")) {
      try plot(highlighted: [0, 300]).script(for: svg)
    }
    #expect(throws: PlotError.invalidInput("3 group ids for 300 points")) {
      try EmbeddingPlot(points: blobs.points, groups: [1, 2, 3]).script(for: svg)
    }
    #expect(throws: PlotError.invalidInput("an embedding needs 2 columns, got 2×1")) {
      try EmbeddingPlot(points: Matrix(rows: 2, columns: 1)).script(for: svg)
    }
  }

  @Test func pointSizesShrinkWithCounts() {
    #expect(PlotStyle.backgroundPointSize(count: 100) == 0.82)
    #expect(PlotStyle.backgroundPointSize(count: 70_000) == 0.25)
    #expect(PlotStyle.highlightPointSize(count: 10) == 1.6)
    #expect(PlotStyle.highlightPointSize(count: 500) == 0.95)
    #expect(PlotStyle.translucent("#1f77b4", transparency: 0.2) == "#331f77b4")
  }
}
