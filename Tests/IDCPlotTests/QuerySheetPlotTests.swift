import IDCPlot
import Testing

@Suite struct QuerySheetPlotTests {
  let target = try! PlotTarget.file("/tmp/query.png")

  @Test func everyImageIsAPixelDatablockDrawnAsRGBImage() throws {
    let script = try Fixtures.query(answer: .pending).script(for: target)
    let anchor = try #require(script.datablock(named: "anchor"))
    #expect(anchor.lines.count == 28 * 28)
    #expect(anchor.lines[0].hasPrefix("0 0 "))
    #expect(anchor.lines[28].hasPrefix("0 -1 "))
    #expect(anchor.lines[0].split(separator: " ").count == 3)
    for t in 0..<5 {
      for j in 0..<3 { #expect(script.datablock(named: "candidate\(t)_\(j)")?.lines.count == 784) }
    }
    #expect(script.datablocks.count == 16)
    let plotCommand = try #require(script.commands(startingWith: "plot ").first)
    #expect(plotCommand.hasPrefix("plot $anchor using 1:2:3:3:3 with rgbimage notitle"))
    #expect(plotCommand.components(separatedBy: "with rgbimage").count - 1 == 16)
    #expect(!script.text.contains("set object"))
    #expect(!script.text.contains("answer:"))
  }

  @Test func candidatesAreLabelledWithTheirClusterIDs() throws {
    let script = try Fixtures.query(answer: .pending).script(for: target)
    let labels = script.commands(startingWith: "set label ")
    #expect(labels.count == 6)
    #expect(labels[0].hasPrefix("set label 1 \"anchor #1234\" noenhanced at 13.5,"))
    #expect(labels[1].hasPrefix("set label 2 \"cluster 4\" noenhanced at 55.5,"))
    #expect(labels[5].hasPrefix("set label 6 \"cluster 9\" noenhanced at "))
  }

  @Test func aChosenCandidateGetsAGreenFrameAndLabel() throws {
    let script = try Fixtures.query(answer: .candidate(2)).script(for: target)
    #expect(script.commands.contains { $0.hasPrefix("set label 4 \"cluster 7: chosen\"") && $0.hasSuffix("tc rgb \"#1a9e1a\"") })
    let frames = script.commands(startingWith: "set object ")
    #expect(frames.count == 1)
    #expect(frames[0].hasSuffix("front fillstyle empty border lc rgb \"#1a9e1a\" lw 4"))
  }

  @Test func aNegativeAnswerIsWrittenInRed() throws {
    let script = try Fixtures.query(answer: .none).script(for: target)
    #expect(script.commands.contains { $0.contains("\"answer: none of the candidates\"") && $0.hasSuffix("tc rgb \"#e8000b\"") })
    #expect(script.commands(startingWith: "set object ").isEmpty)
  }

  @Test func colourImagesUseThreeChannels() throws {
    let script = try Fixtures.query(answer: .pending, perCandidate: 1, channels: 3).script(for: target)
    #expect(script.datablock(named: "anchor")?.lines[0].split(separator: " ").count == 5)
    #expect(script.commands(startingWith: "plot ")[0].hasPrefix("plot $anchor using 1:2:3:4:5 with rgbimage notitle"))
    #expect(script.datablock(named: "candidate4_0") != nil && script.datablock(named: "candidate4_1") == nil)
  }

  @Test func batchInitialiserTakesOneImageOfMany() {
    let batch: [UInt8] = Array(0..<24)
    let image = ThumbnailImage(batch: batch, index: 1, height: 2, width: 2, channels: 3)
    #expect(image.pixels == Array(12..<24))
  }

  @Test func textTargetKeepsLabelsAndSkipsImages() throws {
    let script = try Fixtures.query(answer: .candidate(0)).script(for: .dumb())
    #expect(!script.text.contains("rgbimage"))
    #expect(script.commands.contains("plot 1/0 notitle"))
    #expect(script.commands.contains { $0.hasPrefix("set label 2 \"cluster 4: chosen\"") })
  }

  @Test func badImagesAndAnswersAreRejected() {
    let target = self.target
    let good = Fixtures.shape(0)
    let bad = ThumbnailImage(pixels: [1, 2, 3], height: 2, width: 2, channels: 1)
    #expect(throws: PlotError.invalidInput("image 0 of candidate 0 has 3 bytes, its shape 2×2×1 needs 4")) {
      try QuerySheetPlot(anchor: good, candidates: [.init(cluster: 0, images: [bad])]).script(for: target)
    }
    let twoChannels = ThumbnailImage(pixels: [1, 2], height: 1, width: 1, channels: 2)
    #expect(throws: PlotError.invalidInput("the anchor image has shape 1×1×2; need H, W > 0 and 1 or 3 channels")) {
      try QuerySheetPlot(anchor: twoChannels, candidates: [.init(cluster: 0, images: [good])]).script(for: target)
    }
    #expect(throws: PlotError.invalidInput("answer 5 is outside the 5 candidates")) {
      try Fixtures.query(answer: .candidate(5)).script(for: target)
    }
    #expect(throws: PlotError.invalidInput("a query needs at least one candidate")) {
      try QuerySheetPlot(anchor: good, candidates: []).script(for: target)
    }
  }
}
