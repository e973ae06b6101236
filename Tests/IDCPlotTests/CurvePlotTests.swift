import IDCPlot
import Testing

@Suite struct CurvePlotTests {
  let target = try! PlotTarget.file("/tmp/fig4.svg")

  @Test func eachSeriesIsADatablockSortedByXWithErrors() throws {
    let plot = CurvePlot(series: [
      .init(name: "random", x: [500, 100, 300], y: [71, 69.5, 70.25], error: [0.5, 0.25, 1]),
      .init(name: "hard+rep+div", x: [100, 300, 500], y: [72, 75, 76.5]),
    ])
    let script = try plot.script(for: target)
    #expect(script.datablock(named: "series0")?.lines == ["100 69.5 0.25", "300 70.25 1", "500 71 0.5"])
    #expect(script.datablock(named: "series1")?.lines == ["100 72", "300 75", "500 76.5"])
    let plotCommand = try #require(script.commands(startingWith: "plot ").first)
    #expect(plotCommand.contains(
      "$series0 using 1:2:3 with yerrorlines lw 2.5 pt 7 ps 1.5 lc rgb \"#1f77b4\" title \"random\" noenhanced"))
    #expect(plotCommand.contains(
      "$series1 using 1:2 with linespoints lw 2.5 pt 5 ps 1.5 lc rgb \"#ff7f0e\" title \"hard+rep+div\" noenhanced"))
  }

  @Test func axesAndLegendAreLabelled() throws {
    let script = try CurvePlot(series: Fixtures.curves(), yLabel: "NMI (%)", logScaleX: true).script(for: target)
    #expect(script.commands.contains("set xlabel \"M (queried samples)\" noenhanced"))
    #expect(script.commands.contains("set ylabel \"NMI (%)\" noenhanced"))
    #expect(script.commands.contains("set logscale x"))
    #expect(script.commands.contains("set key bottom right box"))
    #expect(script.datablocks.count == 4)
    #expect(script.datablocks.allSatisfy { $0.lines.count == 6 })
  }

  @Test func textTargetUsesCharacters() throws {
    let script = try CurvePlot(series: Fixtures.curves()).script(for: .dumb())
    #expect(script.text.contains("$series3 using 1:2 with linespoints pt \"3\" title \"hard+rep+div\" noenhanced"))
  }

  @Test func inconsistentSeriesAreRejected() {
    let target = self.target
    #expect(throws: PlotError.invalidInput("series 'a' has 2 x, 1 y and 0 error values")) {
      try CurvePlot(series: [.init(name: "a", x: [1, 2], y: [1])]).script(for: target)
    }
    #expect(throws: PlotError.invalidInput("series 'b' has 1 x, 1 y and 2 error values")) {
      try CurvePlot(series: [.init(name: "b", x: [1], y: [1], error: [1, 2])]).script(for: target)
    }
    #expect(throws: PlotError.invalidInput("series 'c' is empty")) {
      try CurvePlot(series: [.init(name: "c", x: [], y: [])]).script(for: target)
    }
    #expect(throws: PlotError.invalidInput("no series to draw")) { try CurvePlot(series: []).script(for: target) }
  }
}
