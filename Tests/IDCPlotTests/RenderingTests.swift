import Foundation
import IDCPlot
import Testing

/// Each plot kind rendered by a real gnuplot to SVG (structure checked layer
/// by layer) and to `dumb` text (title and legend present).
@Suite(.serialized, .enabled(if: gnuplotAvailable))
final class RenderingTests {
  let session = GnuplotSession()
  let directory: String
  let blobs = Fixtures.blobs(clusters: 10, perCluster: 60)

  init() throws {
    directory = try pictureDirectory("rendering")
  }

  deinit {
    session.close()
    removePictures(directory)
  }

  func svg(_ plot: some GnuplotPlot, _ name: String) throws -> SVGSummary {
    let path = "\(directory)/\(name).svg"
    let output = try session.render(plot, to: PlotTarget.file(path))
    #expect(output.isEmpty)
    return SVGSummary(try readText(path))
  }

  func dumb(_ plot: some GnuplotPlot, width: Int = 120, height: Int = 40) throws -> String {
    let text = try session.render(plot, to: .dumb(width: width, height: height))
    if ProcessInfo.processInfo.environment["IDC_PLOT_SHOW_TEXT"] != nil { print(text) }
    return text
  }

  // MARK: Fig. 3 map

  @Test func embeddingSVGHasGroupsKeysAndAnMPointRedLayer() throws {
    let selected = [5, 17, 120, 333, 480, 599]
    let plot = EmbeddingPlot(points: blobs.points, groups: blobs.labels, highlighted: selected, title: "Fig. 3")
    let summary = try svg(plot, "embedding")
    let layers = summary.layers
    #expect(layers.count == 10 + 10 + 2)
    for k in 0..<10 {
      #expect(layers[k].markers == 60, "group \(k) draws one marker per point")
      #expect(layers[10 + k].title == "cluster \(k) (60)")
      #expect(layers[10 + k].markers == 1, "a key entry draws only its legend sample")
    }
    let red = try #require(summary.layer(titled: "selected (M = 6)"))
    #expect(red.markers == selected.count + 1, "M markers plus the legend sample")
    #expect(red.id == layers.last?.id, "the highlight is drawn last, on top")
    #expect(layers[20].markers == selected.count, "the white halo under the red markers")
    #expect(summary.texts.contains("Fig. 3"))
  }

  @Test func embeddingDumbTextShowsTitleLegendAndMarkers() throws {
    let plot = EmbeddingPlot(points: blobs.points, groups: blobs.labels, highlighted: [5, 17, 120], title: "Fig. 3 map")
    let text = try dumb(plot)
    #expect(text.contains("Fig. 3 map"))
    #expect(text.contains("cluster 0 (60)"))
    #expect(text.contains("cluster 9 (60)"))
    #expect(text.contains("selected (M = 3)"))
    #expect(text.contains("@"))
    #expect(text.split(separator: "\n").count >= 38)
  }

  // MARK: Fig. 3 comparison

  @Test func comparisonSVGHasFourPanelsEachWithItsRedLayer() throws {
    let selections = Fixtures.selections(points: blobs.points, labels: blobs.labels, count: 15)
    let plot = SelectionComparisonPlot(points: blobs.points, groups: blobs.labels, selections: selections)
    let summary = try svg(plot, "comparison")
    #expect(summary.panels == ["a", "b", "c", "d"])
    for selection in selections {
      let red = try #require(summary.layer(titled: "\(selection.name) (M = \(selection.indices.count))"))
      #expect(red.markers == selection.indices.count, "no key in panels: exactly M markers")
    }
    #expect(summary.texts.contains("Selected samples by strategy"))
  }

  @Test func comparisonDumbTextNamesEveryStrategy() throws {
    let selections = Fixtures.selections(points: blobs.points, labels: blobs.labels, count: 5)
    let plot = SelectionComparisonPlot(points: blobs.points, groups: blobs.labels, selections: selections)
    let text = try dumb(plot, width: 140, height: 50)
    for name in ["hard (M = 5)", "hard+rep (M = 5)", "hard+rep+div (M = 5)", "random (M = 5)", "Selected samples by strategy"] {
      #expect(text.contains(name), "\(name)")
    }
  }

  // MARK: Fig. 4 curves

  @Test func curvesSVGHasOneTitledLayerPerStrategyWithAMarkerPerBudget() throws {
    let plot = CurvePlot(series: Fixtures.curves(), title: "ACC vs M")
    let summary = try svg(plot, "curves")
    #expect(summary.layers.map(\.title) == ["random", "hard", "hard+rep", "hard+rep+div"])
    for layer in summary.layers {
      #expect(layer.markers == 6 + 1, "one marker per M plus the legend sample")
      #expect(layer.paths >= 1, "the line with its error bars")
    }
    #expect(summary.texts.contains("M (queried samples)"))
    #expect(summary.texts.contains("ACC (%)"))
  }

  @Test func curvesDumbTextShowsLegend() throws {
    let text = try dumb(CurvePlot(series: Fixtures.curves(), title: "ACC vs M"))
    for name in ["ACC vs M", "random", "hard+rep+div", "M (queried samples)"] { #expect(text.contains(name), "\(name)") }
  }

  // MARK: Training curves

  @Test func trainingSVGHasEveryLossAndAccuracy() throws {
    let training = Fixtures.training(epochs: 40)
    let summary = try svg(TrainingCurvePlot(losses: training.losses, accuracy: training.accuracy), "training")
    #expect(summary.layers.map(\.title) == ["pos", "neg", "reg", "total", "ACC (%)"])
    #expect(summary.layers.dropLast().allSatisfy { $0.paths >= 1 && $0.markers == 0 }, "losses are lines")
    #expect(summary.layers.last.map { $0.paths >= 1 && $0.markers >= 1 } == true, "ACC is a line through its measured epochs")
    #expect(summary.texts.contains("epoch"))
  }

  @Test func trainingDumbTextShowsLegend() throws {
    let training = Fixtures.training(epochs: 40)
    let text = try dumb(TrainingCurvePlot(losses: training.losses, accuracy: training.accuracy))
    for name in ["Training curves", "pos", "neg", "reg", "total", "ACC (%)"] { #expect(text.contains(name), "\(name)") }
  }

  // MARK: Score histograms

  @Test func histogramSVGHasThreePanelsOfAllAndSelected() throws {
    let summary = try svg(HistogramPlot(distributions: Fixtures.scores(count: 500, selected: 25)), "scores")
    #expect(summary.panels == ["a", "b", "c"])
    #expect(summary.layers.filter { $0.title == "all (N = 500)" }.count == 3)
    #expect(summary.layers.filter { $0.title == "selected (M = 25)" }.count == 3)
    #expect(summary.texts.contains("v (value)"))
  }

  @Test func histogramDumbTextShowsPanelTitles() throws {
    let text = try dumb(HistogramPlot(distributions: Fixtures.scores(count: 500, selected: 25)), width: 150, height: 30)
    for name in ["h (hardness)", "r (representativeness)", "v (value)", "selected (M = 25)"] {
      #expect(text.contains(name), "\(name)")
    }
  }

  // MARK: Query sheet

  @Test func querySVGHasAnImagePerThumbnailAndTheAnswer() throws {
    let summary = try svg(Fixtures.query(answer: .candidate(1)), "query")
    #expect(summary.layers.count == 16)
    #expect(summary.layers.allSatisfy { $0.images == 1 })
    for text in ["anchor #1234", "cluster 4", "cluster 2: chosen", "cluster 9"] {
      #expect(summary.texts.contains(text), "\(text)")
    }
  }

  @Test func queryDumbTextShowsLabelsAndTheNegativeAnswer() throws {
    let text = try dumb(Fixtures.query(answer: .none))
    for name in ["Query 1 of 50", "anchor #1234", "cluster 7", "answer: none of the candidates"] {
      #expect(text.contains(name), "\(name)")
    }
  }

  // MARK: Other outputs

  @Test func pdfAndSixelOutputsAreProduced() throws {
    let plot = CurvePlot(series: Fixtures.curves())
    let pdf = "\(directory)/curves.pdf"
    try session.render(plot, to: PlotTarget.file(pdf))
    #expect(fileHeader(pdf, count: 5) == Array("%PDF-".utf8))
    let sixel = try session.render(plot, to: .sixel(size: PlotSize(width: 320, height: 240)))
    #expect(sixel.hasPrefix("\u{1B}P"), "a sixel stream starts with DCS")
    #expect(sixel.contains("\u{1B}\\"), "and ends with ST")
  }
}
