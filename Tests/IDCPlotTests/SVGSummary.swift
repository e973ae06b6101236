import Foundation

/// The plot layers of a gnuplot SVG file, read without an XML library.
///
/// gnuplot's `svg` terminal writes each plot clause as
/// `<g id="gnuplot_plot_N" ><title>TITLE</title> … </g>` (with a panel letter
/// after N in a multiplot: `gnuplot_plot_2b`), one `<use>` per point marker
/// plus one for the legend sample when the key is shown.
struct SVGSummary {
  struct Layer: Equatable {
    /// `gnuplot_plot_1`, `gnuplot_plot_2b`, …
    var id: String
    /// The `<title>` text: the plot title, or the id for untitled clauses.
    var title: String
    /// `<use>` elements inside the layer (point markers and key sample).
    var markers: Int
    /// `<path>` elements inside the layer (lines, bars, boxes).
    var paths: Int
    /// `<image>` elements inside the layer (`with rgbimage`).
    var images: Int
  }

  var layers: [Layer] = []
  /// Every `<text>` content in the file, in order (titles, labels, tics, keys).
  var texts: [String] = []

  init(_ svg: String) {
    var stack: [Int?] = []  // index into `layers` for each open <g>, nil for other groups
    var index = svg.startIndex
    while let open = svg[index...].firstIndex(of: "<") {
      guard let close = svg[open...].firstIndex(of: ">") else { break }
      let tag = svg[svg.index(after: open)..<close]
      index = svg.index(after: close)
      let name = tag.prefix(while: { $0 != " " && $0 != ">" && $0 != "/" && $0 != "\n" && $0 != "\t" })
      let selfClosing = tag.hasSuffix("/")
      let current = stack.compactMap { $0 }.last
      switch name {
      case "g" where !selfClosing:
        if let id = SVGSummary.attribute("id", in: tag), id.hasPrefix("gnuplot_plot_") {
          layers.append(Layer(id: id, title: "", markers: 0, paths: 0, images: 0))
          stack.append(layers.count - 1)
        } else {
          stack.append(nil)
        }
      case "":
        if tag.hasPrefix("/g") { _ = stack.popLast() }
      case "title":
        if let end = svg[index...].range(of: "</title>") {
          if let current, layers[current].title.isEmpty { layers[current].title = String(svg[index..<end.lowerBound]) }
          index = end.upperBound
        }
      case "use": if let current { layers[current].markers += 1 }
      case "path": if let current { layers[current].paths += 1 }
      case "image": if let current { layers[current].images += 1 }
      case "tspan", "text":
        if let end = svg[index...].firstIndex(of: "<") {
          let text = svg[index..<end].trimmingCharacters(in: .whitespacesAndNewlines)
          if !text.isEmpty { texts.append(SVGSummary.unescape(text)) }
        }
      default: break
      }
    }
  }

  /// The layer titled `title`, if exactly one.
  func layer(titled title: String) -> Layer? {
    let found = layers.filter { $0.title == title }
    return found.count == 1 ? found[0] : nil
  }

  /// The panel letters of a multiplot (`a`, `b`, …) in order of appearance.
  var panels: [String] {
    var seen: [String] = []
    for layer in layers {
      let suffix = String(layer.id.dropFirst("gnuplot_plot_".count).drop(while: \.isNumber))
      if !suffix.isEmpty, !seen.contains(suffix) { seen.append(suffix) }
    }
    return seen
  }

  private static func attribute(_ name: String, in tag: Substring) -> String? {
    guard let start = tag.range(of: "\(name)=\"") else { return nil }
    let rest = tag[start.upperBound...]
    return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
  }

  private static func unescape(_ text: String) -> String {
    text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
      .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
      .replacingOccurrences(of: "&amp;", with: "&")
  }
}
