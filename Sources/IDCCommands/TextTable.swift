import Foundation

/// A table of text cells with a header row, rendered three ways: aligned columns for the
/// terminal, HTML and Markdown for notebooks.
public struct TextTable: Sendable, Equatable {
  public var header: [String]
  public var rows: [[String]]

  public init(header: [String], rows: [[String]]) {
    self.header = header
    self.rows = rows
  }

  /// Left-aligned columns separated by two spaces, trailing spaces trimmed.
  public var aligned: String { alignedTable([header] + rows) }

  /// A Markdown pipe table (`|` in cells escaped).
  public var markdown: String {
    func line(_ cells: [String]) -> String {
      "| " + cells.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
    }
    return ([line(header), "|" + header.map { _ in "---|" }.joined()] + rows.map(line)).joined(separator: "\n")
  }

  /// An HTML table, cells escaped.
  public func html(caption: String? = nil) -> String {
    var html = "<table>"
    if let caption { html += "<caption>\(escapeHTML(caption))</caption>" }
    html += "<thead><tr>" + header.map { "<th>\(escapeHTML($0))</th>" }.joined() + "</tr></thead><tbody>"
    for row in rows { html += "<tr>" + row.map { "<td>\(escapeHTML($0))</td>" }.joined() + "</tr>" }
    return html + "</tbody></table>"
  }
}

/// `&`, `<`, `>` and `"` as HTML entities.
public func escapeHTML(_ text: String) -> String {
  var out = ""
  out.reserveCapacity(text.count)
  for c in text {
    switch c {
    case "&": out += "&amp;"
    case "<": out += "&lt;"
    case ">": out += "&gt;"
    case "\"": out += "&quot;"
    default: out.append(c)
    }
  }
  return out
}

/// Text appended from any thread (a sink), read once at the end.
final class GatheredText: @unchecked Sendable {
  private let lock = NSLock()
  private var parts: [String] = []
  func append(_ text: String) { lock.withLock { parts.append(text) } }
  var text: String { lock.withLock { parts.joined() } }
}
