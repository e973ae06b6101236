import Foundation
import IDCCore
import IDCData
import IDCPlot

/// Shows a query: in a notebook, or at a terminal whose plots are sixel graphics, images as
/// one picture (the sample and its candidate clusters, ``QuerySheetPlot``) and texts as HTML;
/// at a text terminal, image thumbnails as shaded characters, texts as text, otherwise
/// indices.
struct QueryRenderer {
  let workspace: Workspace

  /// Shows query `number` of `total` the best way the front end allows.
  func present(_ q: Query, number: Int, of total: Int, examples: Int, _ context: CommandContext) throws {
    let title = "Query \(number) of \(total): which cluster is sample \(q.anchor) in — or none?"
    if workspace.data?.images != nil, context.showsRichOutput || workspace.options.plotTerminal == .sixelgd {
      let sheet = try sheet(q, examples: examples, answer: .pending, title: title)
      if context.showsRichOutput {
        do throws(PlotError) {
          try PlotCommand.showInline(sheet, size: nil, svg: false, context)
        } catch {
          throw CommandError(error.description)
        }
      } else {
        try PlotCommand.draw(sheet, to: nil, size: nil, context)
      }
      context.say("── query \(number) of \(total): sample \(q.anchor) — candidates " +
                  q.candidates.enumerated().map { "[\($0.offset + 1)] \(workspace.clusterLabel($0.element))" }.joined(separator: ", ") + ", [0] none")
    } else if let texts = workspace.data?.texts, context.showsRichOutput {
      var html = "<p><b>\(escapeHTML(title))</b></p><p>this sample: <i>\(escapeHTML(texts[q.anchor]))</i></p><ol>"
      for (t, cluster) in q.candidates.enumerated() {
        html += "<li>\(escapeHTML(workspace.clusterLabel(cluster))):<ul>" + q.representatives[t].map { "<li>\(escapeHTML(texts[$0]))</li>" }.joined() + "</ul></li>"
      }
      html += "</ol><p>[0] none of these</p>"
      context.sinks.rich?(RichOutput(role: .figure, plain: render(q, number: number, of: total), html: html))
    } else {
      context.say(render(q, number: number, of: total))
    }
  }

  /// A query as a picture: the anchor and, for each candidate cluster, `examples` of its
  /// representative samples (the pre-trained clustering's, when the query carries none).
  func sheet(_ query: Query, examples: Int, answer: QuerySheetPlot.Answer, title: String) throws -> QuerySheetPlot {
    let ws = workspace
    guard let images = ws.data?.images else { throw CommandError("the data have no images", help: "load images=FILE") }
    let shaped = try images.asUInt8Images()
    guard case .uint8(let pixels) = shaped.storage else { throw CommandError("images are not uint8") }
    let (hh, ww, cc) = (shaped.shape[1], shaped.shape[2], shaped.shape[3])
    func thumb(_ i: Int) -> ThumbnailImage { ThumbnailImage(batch: pixels, index: i, height: hh, width: ww, channels: cc) }
    var q = query
    if q.representatives.isEmpty || q.representatives.contains(where: \.isEmpty) {
      let (assignment, centers) = try ws.requirePretrained()
      let reps = QueryBuilder(candidates: 1, examples: examples).representatives(ws.z, centers: centers, assignment: assignment)
      q = Query(anchor: q.anchor, candidates: q.candidates, representatives: q.candidates.map { reps[$0] })
    }
    return QuerySheetPlot(anchor: thumb(q.anchor), anchorTitle: "sample \(q.anchor)",
                          candidates: zip(q.candidates, q.representatives).map {
                            QuerySheetPlot.Candidate(cluster: $0, images: $1.prefix(examples).map(thumb), name: ws.clusterNames[$0])
                          },
                          answer: answer, title: title)
  }

  func render(_ q: Query, number: Int, of total: Int) -> String {
    var lines = ["", "── query \(number) of \(total): sample \(q.anchor) ──"]
    let data = workspace.data
    if let images = data?.images, let thumbs = try? Thumbnails(images) {
      lines.append("this sample:")
      lines += thumbs.ascii(q.anchor)
      for (t, cluster) in q.candidates.enumerated() {
        lines.append("[\(t + 1)] \(workspace.clusterLabel(cluster)):")
        let reps = q.representatives[t]
        let blocks = reps.map { thumbs.ascii($0) }
        if let height = blocks.first?.count {
          for row in 0..<height { lines.append("    " + blocks.map { $0[row] }.joined(separator: "  ")) }
        }
      }
    } else if let texts = data?.texts {
      lines.append("this sample: \(texts[q.anchor])")
      for (t, cluster) in q.candidates.enumerated() {
        lines.append("[\(t + 1)] \(workspace.clusterLabel(cluster)):")
        for r in q.representatives[t] { lines.append("      · \(texts[r])") }
      }
    } else {
      lines.append("this sample: index \(q.anchor)")
      for (t, cluster) in q.candidates.enumerated() {
        lines.append("[\(t + 1)] \(workspace.clusterLabel(cluster)), shown by samples \(q.representatives[t].map(String.init).joined(separator: ", "))")
      }
    }
    lines.append("[0] none of these")
    return lines.joined(separator: "\n")
  }
}

/// uint8 images N×H×W×C as grey-level character art (two columns per pixel).
struct Thumbnails {
  let pixels: [UInt8]
  let height: Int, width: Int, channels: Int
  static let ramp = Array(" .:-=+*#%@")

  init(_ images: NDArray) throws {
    let shaped = try images.asUInt8Images()
    guard case .uint8(let p) = shaped.storage, shaped.shape.count == 4 else { throw CommandError("images are not uint8 N×H×W×C") }
    pixels = p
    height = shaped.shape[1]
    width = shaped.shape[2]
    channels = shaped.shape[3]
  }

  func ascii(_ index: Int) -> [String] {
    // Downsample large images to at most 14 rows.
    let step = max(1, (height + 13) / 14)
    var rows: [String] = []
    var maxValue: UInt8 = 1
    let base = index * height * width * channels
    for i in 0..<(height * width * channels) { maxValue = max(maxValue, pixels[base + i]) }
    for y in stride(from: 0, to: height, by: step) {
      var line = ""
      for x in stride(from: 0, to: width, by: step) {
        var v = 0
        for c in 0..<channels { v += Int(pixels[base + (y * width + x) * channels + c]) }
        v /= channels
        let level = v * (Thumbnails.ramp.count - 1) / Int(maxValue)
        line += String(repeating: Thumbnails.ramp[level], count: 2)
      }
      rows.append(line)
    }
    return rows
  }
}
