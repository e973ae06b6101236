/// The pure half of talking to gnuplot: what is sent for a script, and how
/// gnuplot's standard error is read back.
///
/// Sent: a preamble that undoes what an earlier script may have left
/// (`unset multiplot`, `unset output`, `reset session`, `set print`), the
/// datablocks, each command preceded by `print "IDC_CMD_<n>_<k>"`, and the
/// sentinel `IDC_DONE_<n>` printed to standard output and then to standard
/// error. gnuplot reading a pipe reports an error and goes on with the next
/// line, so the sentinels always arrive, and the last marker before an error
/// message names the command that caused it.
enum GnuplotExchange {
  /// One complaint of gnuplot.
  struct Diagnostic: Equatable {
    var message: String
    /// Index into the script's commands; `nil` for the preamble and datablocks.
    var commandIndex: Int?
    var isWarning: Bool
  }

  /// The sentinel line that ends script number `sequence` on both streams.
  static func sentinel(_ sequence: Int) -> String { "IDC_DONE_\(sequence)" }

  static func marker(_ sequence: Int, _ command: Int) -> String { "IDC_CMD_\(sequence)_\(command)" }

  /// The text written to gnuplot's standard input for `script`.
  static func payload(for script: GnuplotScript, sequence: Int) -> String {
    var out = "unset multiplot\nunset output\nreset session\nset print\n"
    for block in script.datablocks { out += block.text }
    for (k, command) in script.commands.enumerated() {
      out += "print \"\(marker(sequence, k))\"\n"
      out += command
      out += "\n"
    }
    let done = sentinel(sequence)
    out += "set print \"-\"\nprint \"\(done)\"\nset print\nprint \"\(done)\"\n"
    return out
  }

  /// Splits gnuplot's standard error for script `sequence` into diagnostics
  /// (lines of the form `line N: message`, or any line mentioning "error" or
  /// "warning") and printed lines. Command echoes (`gnuplot> …`), caret
  /// lines, markers and the sentinel are dropped.
  static func interpret(standardError: String, sequence: Int) -> (diagnostics: [Diagnostic], printed: [String]) {
    let markerPrefix = "IDC_CMD_\(sequence)_"
    let done = sentinel(sequence)
    var command: Int?
    var diagnostics: [Diagnostic] = []
    var printed: [String] = []
    for rawLine in standardError.split(separator: "\n", omittingEmptySubsequences: false) {
      let line = rawLine.trimmingWhitespace()
      if line.isEmpty || line == done || line.hasPrefix("gnuplot> ") || line.allSatisfy({ $0 == "^" }) { continue }
      if line.hasPrefix(markerPrefix) {
        command = Int(line.dropFirst(markerPrefix.count))
        continue
      }
      let message: String
      if let afterLineNumber = messageAfterLineNumber(line) {
        message = afterLineNumber
      } else if line.lowercased().contains("error") || line.lowercased().contains("warning") {
        message = line
      } else {
        printed.append(String(rawLine))
        continue
      }
      diagnostics.append(Diagnostic(message: message, commandIndex: command, isWarning: message.lowercased().hasPrefix("warning")))
    }
    return (diagnostics, printed)
  }

  /// The error for `diagnostics` of `script`: every message of the first
  /// command that drew a complaint, joined by "; ", with that command.
  static func error(for diagnostics: [Diagnostic], in script: GnuplotScript) -> PlotError? {
    guard let first = diagnostics.first else { return nil }
    let messages = diagnostics.filter { $0.commandIndex == first.commandIndex }.map(\.message)
    let command = first.commandIndex.flatMap { script.commands.indices.contains($0) ? script.commands[$0] : nil }
    return .gnuplot(message: messages.joined(separator: "; "), command: command)
  }

  /// `message` from `line N: message` or `"file" line N: message`.
  static func messageAfterLineNumber(_ line: String) -> String? {
    var rest = Substring(line)
    if rest.hasPrefix("\"") {
      guard let close = rest.dropFirst().firstIndex(of: "\"") else { return nil }
      rest = rest[rest.index(after: close)...].drop(while: { $0 == " " })
    }
    guard rest.hasPrefix("line ") else { return nil }
    rest = rest.dropFirst(5)
    let digits = rest.prefix(while: { $0.isASCII && $0.isNumber })
    guard !digits.isEmpty else { return nil }
    rest = rest[digits.endIndex...]
    guard rest.hasPrefix(": ") else { return nil }
    return String(rest.dropFirst(2))
  }
}

extension StringProtocol {
  /// The text without leading and trailing spaces, tabs and carriage returns.
  func trimmingWhitespace() -> String {
    let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
    guard let start = firstIndex(where: { !isSpace($0) }) else { return "" }
    let end = lastIndex(where: { !isSpace($0) })!
    return String(self[start...end])
  }
}
