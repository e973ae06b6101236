import Foundation
import IDCPlot
import Testing

/// Every plot kind rendered to PNG (pngcairo). Run with
/// `IDC_PLOT_GALLERY=/tmp/idc-gallery swift test --filter Gallery` to keep the
/// pictures and look at them.
@Suite(.serialized, .enabled(if: gnuplotAvailable))
struct GalleryTests {
  static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

  /// All plot kinds, with a file name each.
  static func plots() -> [(String, any GnuplotPlot)] {
    let (points, labels) = Fixtures.blobs()
    let selections = Fixtures.selections(points: points, labels: labels, count: 40)
    let training = Fixtures.training()
    return [
      ("fig3-map", EmbeddingPlot(
        points: points, groups: labels, highlighted: selections[2].indices,
        highlightTitle: "selected", title: "t-SNE of blobs, coloured by cluster")),
      ("fig3-comparison", SelectionComparisonPlot(points: points, groups: labels, selections: selections)),
      ("fig3-comparison-row", SelectionComparisonPlot(points: points, groups: labels, selections: selections, layout: .row)),
      ("fig4-curves", CurvePlot(series: Fixtures.curves(), title: "ACC against M (blobs)")),
      ("training", TrainingCurvePlot(losses: training.losses, accuracy: training.accuracy)),
      ("scores", HistogramPlot(distributions: Fixtures.scores())),
      ("query-chosen", Fixtures.query(answer: .candidate(2))),
      ("query-none-rgb", Fixtures.query(answer: .none, perCandidate: 2, channels: 3)),
    ]
  }

  @Test func everyKindRendersToPNG() throws {
    let directory = try pictureDirectory("gallery")
    let session = GnuplotSession()
    for (name, plot) in GalleryTests.plots() {
      let path = "\(directory)/\(name).png"
      try session.render(plot, to: PlotTarget.file(path))
      #expect(fileHeader(path, count: 8) == GalleryTests.pngSignature, "\(name)")
    }
    removePictures(directory)
  }

  /// A Fashion-MNIST-sized map (70 000 points, M = 500), timed: only when
  /// pictures are kept (`IDC_PLOT_GALLERY` set), as it takes a few seconds.
  @Test(.enabled(if: keptPictureRoot != nil))
  func fullSizeMap() throws {
    let (points, labels) = Fixtures.blobs(perCluster: 7000)
    let selected = Fixtures.selections(points: points, labels: labels, count: 500)[0].indices
    let plot = EmbeddingPlot(points: points, groups: labels, highlighted: selected, title: "70 000 points, M = 500")
    let directory = try pictureDirectory("gallery")
    let session = GnuplotSession()
    let clock = ContinuousClock()
    let elapsed = try clock.measure { try session.render(plot, to: PlotTarget.file("\(directory)/fig3-map-70k.png")) }
    print("70 000-point map rendered in \(elapsed)")
    #expect(fileHeader("\(directory)/fig3-map-70k.png", count: 8) == GalleryTests.pngSignature)
  }
}
