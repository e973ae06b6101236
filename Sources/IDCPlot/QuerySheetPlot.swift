/// A query as the user sees it (docs/method.md §3.1): the anchor image, then its T
/// candidate clusters, each shown by one or more representative images, with
/// the answer marked.
///
/// One plot on a pixel canvas: the anchor in the left column, candidate t in
/// column t + 1 (its images stacked downwards), labels "cluster c" above the
/// columns. A chosen candidate gets a green frame and the label
/// "cluster c: chosen"; the answer "none" is written in red under the sheet.
/// Datablocks: `$anchor` and `$candidate<t>_<j>` with one row per pixel
/// (`x y v` or `x y r g b`), drawn `with rgbimage`. Text terminals show the
/// labels only.
public struct QuerySheetPlot: GnuplotPlot {
  /// One candidate cluster and the samples that represent it.
  public struct Candidate: Sendable, Equatable {
    public var cluster: Int
    public var images: [ThumbnailImage]
    /// The person's name for the cluster, shown under its number.
    public var name: String?

    public init(cluster: Int, images: [ThumbnailImage], name: String? = nil) {
      self.cluster = cluster
      self.images = images
      self.name = name
    }
  }

  /// The user's answer to the query.
  public enum Answer: Sendable, Equatable {
    /// Not answered yet.
    case pending
    /// The candidate at this position (0-based) shares the anchor's semantics.
    case candidate(Int)
    /// None of the candidates matches (a negative answer).
    case none
  }

  public var anchor: ThumbnailImage
  public var anchorTitle: String
  public var candidates: [Candidate]
  public var answer: Answer
  public var title: String

  public init(
    anchor: ThumbnailImage,
    anchorTitle: String = "anchor",
    candidates: [Candidate],
    answer: Answer = .pending,
    title: String = "Query"
  ) {
    self.anchor = anchor
    self.anchorTitle = anchorTitle
    self.candidates = candidates
    self.answer = answer
    self.title = title
  }

  /// The most images shown for one candidate.
  var rowCount: Int { max(1, candidates.map(\.images.count).max() ?? 1) }

  /// About 190 pixels per column and per row, plus room for titles.
  public var preferredSize: PlotSize {
    PlotSize(width: 190 * (candidates.count + 1) + 120, height: 190 * rowCount + 170)
  }

  public func body(for target: PlotTarget) throws(PlotError) -> GnuplotScript {
    guard !candidates.isEmpty else { throw .invalidInput("a query needs at least one candidate") }
    try anchor.validate("the anchor image")
    for (t, candidate) in candidates.enumerated() {
      for (j, image) in candidate.images.enumerated() { try image.validate("image \(j) of candidate \(t)") }
    }
    if case .candidate(let chosen) = answer, !candidates.indices.contains(chosen) {
      throw .invalidInput("answer \(chosen) is outside the \(candidates.count) candidates")
    }
    let images = [anchor] + candidates.flatMap(\.images)
    let cellWidth = images.map(\.width).max()!
    let cellHeight = images.map(\.height).max()!
    let gap = max(2, cellWidth / 5)
    let separator = max(4, cellWidth / 2)
    let pitchY = cellHeight + gap
    let rows = rowCount
    func columnLeft(_ column: Int) -> Int {
      column == 0 ? 0 : cellWidth + separator + (column - 1) * (cellWidth + gap)
    }
    let right = columnLeft(candidates.count) + cellWidth - 1
    let bottom = -(rows - 1) * pitchY - cellHeight

    var script = GnuplotScript()
    var clauses: [String] = []
    func place(_ image: ThumbnailImage, named name: String, column: Int, row: Int) {
      let left = columnLeft(column) + (cellWidth - image.width) / 2
      let top = -row * pitchY - (cellHeight - image.height) / 2
      script.define(image.datablock(named: name, left: left, top: top))
      clauses.append("$\(name) using \(image.rgbColumns) with rgbimage notitle")
    }
    place(anchor, named: "anchor", column: 0, row: 0)
    for (t, candidate) in candidates.enumerated() {
      for (j, image) in candidate.images.enumerated() { place(image, named: "candidate\(t)_\(j)", column: t + 1, row: j) }
    }

    let labelY = Datablock.format(Double(gap) + Double(cellHeight) * 0.12 + 0.5)
    script.append("set title \(GnuplotScript.literal(title))")
    script.append("unset key")
    script.append("unset border")
    script.append("unset xtics")
    script.append("unset ytics")
    script.append("set size ratio -1")
    script.append("set xrange [\(-gap):\(right + gap)]")
    script.append("set yrange [\(bottom - 2 * gap):\(cellHeight / 4 + 2 * gap)]")
    script.append(
      "set label 1 \(GnuplotScript.literal(anchorTitle)) at \(Datablock.format(Double(cellWidth - 1) / 2)),\(labelY) center front")
    for (t, candidate) in candidates.enumerated() {
      let left = columnLeft(t + 1)
      let center = Datablock.format(Double(left) + Double(cellWidth - 1) / 2)
      let chosen = answer == .candidate(t)
      let text = "cluster \(candidate.cluster)" + (candidate.name.map { " \"\($0)\"" } ?? "") + (chosen ? ": chosen" : "")
      let color = chosen ? " tc rgb \"\(PlotStyle.answerColor)\"" : ""
      script.append("set label \(t + 2) \(GnuplotScript.literal(text)) at \(center),\(labelY) center front\(color)")
      if chosen {
        let count = max(1, candidate.images.count)
        let frameBottom = -(count - 1) * pitchY - cellHeight
        script.append(frame(
          number: 1, left: left, right: left + cellWidth, bottom: frameBottom, pad: Double(gap) / 2,
          color: PlotStyle.answerColor, width: 4))
      }
    }
    if answer == .none {
      let center = Datablock.format(Double(right) / 2)
      script.append(
        "set label \(candidates.count + 2) \"answer: none of the candidates\" at \(center),\(bottom - gap) center front tc rgb \"\(PlotStyle.highlightColor)\"")
    }
    if target.isText {
      script.append("plot 1/0 notitle")
    } else {
      script.append("plot " + clauses.joined(separator: ", \\\n     "))
    }
    return script
  }

  /// A rectangle around the pixels whose centres span `left..<right` and
  /// `bottom..<0`, `pad` pixels outside them.
  private func frame(number: Int, left: Int, right: Int, bottom: Int, pad: Double, color: String, width: Int) -> String {
    let x0 = Datablock.format(Double(left) - 0.5 - pad), x1 = Datablock.format(Double(right) - 0.5 + pad)
    let y0 = Datablock.format(Double(bottom) + 0.5 - pad), y1 = Datablock.format(0.5 + pad)
    return "set object \(number) rectangle from \(x0),\(y0) to \(x1),\(y1) front fillstyle empty border lc rgb \"\(color)\" lw \(width)"
  }
}
