/// Renders diagnostics the one way idc shows them, clang style:
///
/// ```
/// tour.idc:3:1: error: unknown command 'kmean'
/// kmean k=10
/// ^~~~~
/// help: did you mean 'kmeans'?
/// ```
///
/// The first line is `file:line:col: severity: message`; then the source line and a caret line
/// with `^` under the first column of the span and `~` under the rest; then each note (a located
/// note repeats the three-line form with `note:`), then `help: did you mean 'x'?` for a
/// suggestion and `help: …` for advice. Tabs in the source line are copied into the caret line
/// so the caret stays aligned. When the source text of a file is unknown, or the line does not
/// exist, the excerpt is left out. Colour (ANSI escapes) is off unless asked for.
public struct DiagnosticRenderer: Sendable {
  /// Source texts by file name, used for the excerpt lines.
  public var sources: [String: String]
  /// Whether to emit ANSI colour escapes.
  public var useColor: Bool

  /// Creates a renderer that knows the texts of `sources` (file name → text).
  public init(sources: [String: String] = [:], useColor: Bool = false) {
    self.sources = sources
    self.useColor = useColor
  }

  /// Creates a renderer for the diagnostics of one file.
  public init(file: String, source: String, useColor: Bool = false) {
    self.init(sources: [file: source], useColor: useColor)
  }

  /// The full text of `diagnostic`, ending with a newline.
  public func render(_ diagnostic: Diagnostic) -> String {
    var out = ""
    let label = diagnostic.severity.rawValue + ":"
    let labelColor = diagnostic.severity == .error ? Style.red : Style.magenta
    appendLocated(
      &out, location: diagnostic.location, label: paint(label, labelColor + Style.bold),
      message: diagnostic.message)
    for note in diagnostic.notes {
      if let location = note.location {
        appendLocated(&out, location: location, label: paint("note:", Style.cyan + Style.bold), message: note.message)
      } else {
        out += paint("note:", Style.cyan + Style.bold) + " " + note.message + "\n"
      }
    }
    if let suggestion = diagnostic.suggestion {
      out += paint("help:", Style.cyan + Style.bold) + " did you mean '\(suggestion)'?\n"
    }
    if let help = diagnostic.help {
      out += paint("help:", Style.cyan + Style.bold) + " " + help + "\n"
    }
    return out
  }

  /// The texts of several diagnostics, one after the other.
  public func render(_ diagnostics: [Diagnostic]) -> String {
    diagnostics.map(render).joined()
  }

  private func appendLocated(_ out: inout String, location: SourceSpan, label: String, message: String) {
    out += paint("\(location):", Style.bold) + " " + label + " " + paint(message, Style.bold) + "\n"
    guard let source = sources[location.file], let line = Self.line(location.line, of: source) else { return }
    out += String(String.UnicodeScalarView(line)) + "\n"
    var caretLine = ""
    for (index, scalar) in line.enumerated() where index < location.column - 1 {
      caretLine.unicodeScalars.append(scalar == "\t" ? "\t" : " ")
    }
    let padding = max(0, location.column - 1 - line.count)
    caretLine += String(repeating: " ", count: padding)
    let visible = max(1, min(location.length, line.count - (location.column - 1)))
    out += caretLine + paint("^" + String(repeating: "~", count: visible - 1), Style.green + Style.bold) + "\n"
  }

  private func paint(_ text: String, _ style: String) -> String {
    useColor ? style + text + Style.reset : text
  }

  /// The scalars of 1-based line `number` of `source`, without its line break (and without a
  /// carriage return before it); nil when the source has fewer lines.
  static func line(_ number: Int, of source: String) -> [Unicode.Scalar]? {
    guard number >= 1 else { return nil }
    var current = 1
    var line: [Unicode.Scalar] = []
    for scalar in source.unicodeScalars {
      if scalar == "\n" {
        if current == number { break }
        current += 1
      } else if current == number {
        line.append(scalar)
      }
    }
    guard current == number else { return nil }
    if line.last == "\r" { line.removeLast() }
    return line
  }

  private enum Style {
    static let reset = "\u{1B}[0m"
    static let bold = "\u{1B}[1m"
    static let red = "\u{1B}[31m"
    static let green = "\u{1B}[32m"
    static let magenta = "\u{1B}[35m"
    static let cyan = "\u{1B}[36m"
  }
}
