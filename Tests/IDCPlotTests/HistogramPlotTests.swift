import IDCPlot
import Testing

@Suite struct HistogramPlotTests {
  let target = try! PlotTarget.file("/tmp/scores.svg")

  @Test func binsCountEveryFiniteValueOnce() {
    let distribution = HistogramPlot.Distribution(
      name: "h", values: [0, 0.1, 0.5, 0.9, 1, .nan, -.infinity], selected: [4, 1, 5])
    let bins = HistogramPlot.bins(of: distribution, binCount: 4)
    #expect(bins.lowerBound == 0 && bins.width == 0.25)
    #expect(bins.counts == [2, 0, 1, 2])
    #expect(bins.selectedCounts == [1, 0, 0, 1])
    #expect(bins.nonFinite == 2)
    #expect(bins.center(0) == 0.125)
  }

  @Test func aConstantScoreGetsAUnitRange() {
    let bins = HistogramPlot.bins(of: .init(name: "r", values: [2, 2, 2]), binCount: 2)
    #expect(bins.lowerBound == 1.5 && bins.width == 0.5)
    #expect(bins.counts == [0, 3])
  }

  @Test func onePanelPerScoreWithAllAndSelectedLayers() throws {
    let plot = HistogramPlot(distributions: Fixtures.scores(count: 400, selected: 20), binCount: 25)
    let script = try plot.script(for: target)
    #expect(script.commands.contains("set multiplot layout 1,3 title \"Score distributions\" noenhanced"))
    #expect(script.commands(startingWith: "plot ").count == 3)
    for k in 0..<3 {
      let all = try #require(script.datablock(named: "all\(k)"))
      let selected = try #require(script.datablock(named: "selected\(k)"))
      #expect(all.lines.count == 25 && selected.lines.count == 25)
      #expect(all.lines.map { Int($0.split(separator: " ")[1])! }.reduce(0, +) == 400)
      #expect(selected.lines.map { Int($0.split(separator: " ")[1])! }.reduce(0, +) == 20)
      let panel = script.commands(startingWith: "plot ")[k]
      #expect(panel.contains("title \"all (N = 400)\" noenhanced"))
      #expect(panel.contains("title \"selected (M = 20)\" noenhanced"))
    }
    #expect(script.commands(startingWith: "set title ") == [
      "set title \"h (hardness)\" noenhanced", "set title \"r (representativeness)\" noenhanced", "set title \"v (value)\" noenhanced",
    ])
    #expect(plot.preferredSize == PlotSize(width: 1560, height: 560))
  }

  @Test func nonFiniteScoresAreNamedInThePanelTitle() throws {
    let plot = HistogramPlot(distributions: [.init(name: "d", values: [1, 2, .nan])])
    let script = try plot.script(for: target)
    #expect(script.commands.contains("set title \"d (1 non-finite skipped)\" noenhanced"))
    #expect(!script.commands(startingWith: "plot ")[0].contains("selected"))
  }

  @Test func badInputsAreRejected() {
    let target = self.target
    #expect(throws: PlotError.invalidInput("no score distributions to draw")) {
      try HistogramPlot(distributions: []).script(for: target)
    }
    #expect(throws: PlotError.invalidInput("selected index 3 is outside 0..<3 for 'v'")) {
      try HistogramPlot(distributions: [.init(name: "v", values: [1, 2, 3], selected: [3])]).script(for: target)
    }
    #expect(throws: PlotError.invalidInput("'v' has no finite values")) {
      try HistogramPlot(distributions: [.init(name: "v", values: [.nan])]).script(for: target)
    }
    #expect(throws: PlotError.invalidInput("bins must be at least 1, got 0")) {
      try HistogramPlot(distributions: [.init(name: "v", values: [1])], binCount: 0).script(for: target)
    }
  }
}
