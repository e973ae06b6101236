import IDCCore
import IDCData

/// Shows a query in the terminal: image thumbnails as shaded characters,
/// texts as text, otherwise indices and the labels/cluster facts known.
struct QueryRenderer {
  let workspace: Workspace

  func render(_ q: Query, number: Int, of total: Int) -> String {
    var lines = ["", "── query \(number) of \(total): sample \(q.anchor) ──"]
    let data = workspace.data
    if let images = data?.images, let thumbs = try? Thumbnails(images) {
      lines.append("this sample:")
      lines += thumbs.ascii(q.anchor)
      for (t, cluster) in q.candidates.enumerated() {
        lines.append("[\(t + 1)] cluster \(cluster):")
        let reps = q.representatives[t]
        let blocks = reps.map { thumbs.ascii($0) }
        if let height = blocks.first?.count {
          for row in 0..<height { lines.append("    " + blocks.map { $0[row] }.joined(separator: "  ")) }
        }
      }
    } else if let texts = data?.texts {
      lines.append("this sample: \(texts[q.anchor])")
      for (t, cluster) in q.candidates.enumerated() {
        lines.append("[\(t + 1)] cluster \(cluster):")
        for r in q.representatives[t] { lines.append("      · \(texts[r])") }
      }
    } else {
      lines.append("this sample: index \(q.anchor)")
      for (t, cluster) in q.candidates.enumerated() {
        lines.append("[\(t + 1)] cluster \(cluster), shown by samples \(q.representatives[t].map(String.init).joined(separator: ", "))")
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
