import IDCPlot
import Testing

@Suite struct TrainingCurvePlotTests {
  let target = try! PlotTarget.file("/tmp/training.svg")

  @Test func lossesAndAccuracyArePerEpochDatablocks() throws {
    let training = Fixtures.training(epochs: 30)
    let script = try TrainingCurvePlot(losses: training.losses, accuracy: training.accuracy).script(for: target)
    for k in 0..<4 { #expect(script.datablock(named: "loss\(k)")?.lines.count == 30) }
    let accuracy = try #require(script.datablock(named: "accuracy"))
    #expect(accuracy.lines.count == 30)
    #expect(accuracy.lines.first == "1 68.9")
    let plotCommand = try #require(script.commands(startingWith: "plot ").first)
    #expect(plotCommand.contains("$loss3 using 1:2 with lines lw 3.5 lc rgb \"black\" title \"total\" noenhanced"))
    #expect(plotCommand.contains("$accuracy using 1:2 axes x1y2 with linespoints lw 2.5 dt 2 pt 7 ps 1.2 lc rgb \"#e8000b\" title \"ACC (%)\" noenhanced"))
    #expect(script.commands.contains("set y2tics"))
    #expect(script.commands.contains("set ytics nomirror"))
  }

  @Test func accuracyAndAuditMeasuredEveryNEpochsAreJoinedThroughTheMeasuredEpochs() throws {
    // train every=2: measured at epochs 2 and 4 only.
    let plot = TrainingCurvePlot(losses: [.init(name: "pos", values: [1, 0.8, 0.6, 0.5])],
                                 accuracy: [.nan, 80, .nan, 82], audit: [.nan, 78, .nan, 84])
    let script = try plot.script(for: target)
    #expect(script.datablock(named: "accuracy")?.lines == ["2 80", "4 82"])
    #expect(script.datablock(named: "audit")?.lines == ["2 78", "4 84"])
    let plotCommand = try #require(script.commands(startingWith: "plot ").first)
    #expect(plotCommand.contains("title \"audit: confirmed (%)\""))
    #expect(script.commands.contains("set y2label \"ACC (%), audit: confirmed (%)\" noenhanced") || script.commands.contains { $0.hasPrefix("set y2label \"ACC (%), audit: confirmed (%)\"") })
  }

  @Test func epochsStartAtFirstEpochAndGapsAreNaN() throws {
    let plot = TrainingCurvePlot(losses: [.init(name: "neg", values: [0.5, .nan, 0.25])], firstEpoch: 51)
    let script = try plot.script(for: target)
    #expect(script.datablock(named: "loss0")?.lines == ["51 0.5", "52 NaN", "53 0.25"])
    #expect(script.datablock(named: "accuracy") == nil)
    #expect(!script.commands.contains("set y2tics"))
  }

  @Test func emptyInputsAreRejected() {
    let target = self.target
    #expect(throws: PlotError.invalidInput("no training curves to draw")) {
      try TrainingCurvePlot(losses: []).script(for: target)
    }
    #expect(throws: PlotError.invalidInput("loss 'pos' has no values")) {
      try TrainingCurvePlot(losses: [.init(name: "pos", values: [])]).script(for: target)
    }
  }
}
