import IDCPlot
import Testing

@Suite struct SelectionComparisonPlotTests {
  let blobs = Fixtures.blobs(clusters: 10, perCluster: 30)
  let target = try! PlotTarget.file("/tmp/comparison.png")

  var selections: [SelectionComparisonPlot.Selection] {
    Fixtures.selections(points: blobs.points, labels: blobs.labels, count: 12)
  }

  @Test func fourSelectionsMakeA2x2MultiplotWithFourPanels() throws {
    let plot = SelectionComparisonPlot(points: blobs.points, groups: blobs.labels, selections: selections)
    let script = try plot.script(for: target)
    #expect(script.commands.contains("set multiplot layout 2,2 title \"Selected samples by strategy\" noenhanced"))
    #expect(script.commands(startingWith: "plot ").count == 4)
    #expect(script.commands.suffix(2) == ["unset multiplot", "unset output"])
    let titles = script.commands(startingWith: "set title ")
    #expect(titles == ["hard", "hard+rep", "hard+rep+div", "random"].map { "set title \"\($0) (M = 12)\" noenhanced" })
    #expect(plot.preferredSize == PlotSize(width: 1400, height: 1360))
  }

  @Test func eachSelectionHasItsOwnDatablockOfMRowsAndRedLayer() throws {
    let script = try SelectionComparisonPlot(points: blobs.points, groups: blobs.labels, selections: selections)
      .script(for: target)
    for k in 0..<4 {
      #expect(script.datablock(named: "selection\(k)")?.lines.count == 12)
      let panel = script.commands(startingWith: "plot ")[k]
      #expect(panel.hasSuffix("$selection\(k) using 1:2 with points pt 7 ps 1.44 lc rgb \"#e8000b\" title \"\(selections[k].name) (M = 12)\" noenhanced"))
      #expect(!panel.contains("keyentry"))
    }
    #expect(script.datablock(named: "group9")?.lines.count == 30)
    #expect(script.commands.contains("unset key"))
  }

  @Test func rowLayoutPutsPanelsSideBySide() throws {
    let plot = SelectionComparisonPlot(points: blobs.points, groups: blobs.labels, selections: selections, layout: .row)
    #expect(plot.gridShape.rows == 1 && plot.gridShape.columns == 4)
    #expect(try plot.script(for: target).commands.contains("set multiplot layout 1,4 title \"Selected samples by strategy\" noenhanced"))
    let three = SelectionComparisonPlot(points: blobs.points, selections: Array(selections.prefix(3)))
    #expect(three.gridShape.rows == 2 && three.gridShape.columns == 2)
  }

  @Test func emptySelectionsDrawOnlyTheMap() throws {
    let plot = SelectionComparisonPlot(
      points: blobs.points, groups: blobs.labels, selections: [.init(name: "none", indices: [])])
    let script = try plot.script(for: target)
    #expect(script.datablock(named: "selection0")?.lines.isEmpty == true)
    #expect(!script.commands(startingWith: "plot ")[0].contains("$selection0"))
  }

  @Test func badInputsAreRejected() {
    #expect(throws: PlotError.invalidInput("no selections to compare")) {
      try SelectionComparisonPlot(points: blobs.points, selections: []).script(for: target)
    }
    #expect(throws: PlotError.invalidInput("selection 'random' index -1 is outside 0..<300")) {
      try SelectionComparisonPlot(points: blobs.points, selections: [.init(name: "random", indices: [-1])])
        .script(for: target)
    }
  }
}
