import CEditLine

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Colour and emphasis for terminal output, off unless the output is a terminal.
///
/// Colour is on when the stream is a terminal (`isatty`), `NO_COLOR` is unset or empty
/// (no-color.org), and `TERM` is not `dumb`. When off, every helper returns its text
/// unchanged, so output piped to a file or compared in a test is plain.
///
/// In a prompt given to ``LineEditor/readLine(prompt:)``, pass `inPrompt: true`: the escape
/// sequences are then wrapped in `\u{1}`…`\u{2}` so libedit does not count them as columns.
public struct TerminalStyle: Sendable, Equatable {
  /// Whether escape sequences are emitted.
  public var isEnabled: Bool

  /// A style that is on or off regardless of the terminal.
  public init(isEnabled: Bool) {
    self.isEnabled = isEnabled
  }

  /// The style for output written to `fileDescriptor` (1: stdout, 2: stderr), detected from
  /// `isatty` and the environment (see ``colorEnabled(isTerminal:environment:)``).
  public init(fileDescriptor: Int32) {
    var environment: [String: String] = [:]
    for name in ["NO_COLOR", "TERM"] {
      if let value = getenv(name) { environment[name] = String(cString: value) }
    }
    isEnabled = Self.colorEnabled(isTerminal: isatty(fileDescriptor) != 0, environment: environment)
  }

  /// Plain text always.
  public static let plain = TerminalStyle(isEnabled: false)

  /// The colour rule: a terminal, `NO_COLOR` unset or empty, and `TERM` other than `dumb`.
  public static func colorEnabled(isTerminal: Bool, environment: [String: String]) -> Bool {
    guard isTerminal else { return false }
    if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
    return environment["TERM"] != "dumb"
  }

  /// Bold text (SGR 1).
  public func bold(_ text: String, inPrompt: Bool = false) -> String { apply("1", text, inPrompt) }
  /// Dim text (SGR 2), for secondary information.
  public func dim(_ text: String, inPrompt: Bool = false) -> String { apply("2", text, inPrompt) }
  /// Red text (SGR 31), for errors.
  public func red(_ text: String, inPrompt: Bool = false) -> String { apply("31", text, inPrompt) }
  /// Green text (SGR 32), for success.
  public func green(_ text: String, inPrompt: Bool = false) -> String { apply("32", text, inPrompt) }
  /// Yellow text (SGR 33), for warnings.
  public func yellow(_ text: String, inPrompt: Bool = false) -> String { apply("33", text, inPrompt) }
  /// Cyan text (SGR 36), for names and locations.
  public func cyan(_ text: String, inPrompt: Bool = false) -> String { apply("36", text, inPrompt) }

  /// `ESC[codes m` + text + `ESC[0m` when enabled; the text unchanged otherwise.
  private func apply(_ codes: String, _ text: String, _ inPrompt: Bool) -> String {
    guard isEnabled else { return text }
    let (open, close) = inPrompt ? ("\u{1}", "\u{2}") : ("", "")
    return "\(open)\u{1B}[\(codes)m\(close)\(text)\(open)\u{1B}[0m\(close)"
  }

  /// The width of the terminal on `fileDescriptor` (ioctl `TIOCGWINSZ`); when that is not a
  /// terminal, `$COLUMNS` if it is a positive number, else 80.
  public static func columns(fileDescriptor: Int32 = 1) -> Int {
    let columns = Int(idc_terminal_columns(fileDescriptor))
    if columns > 0 { return columns }
    if let text = getenv("COLUMNS").map({ String(cString: $0) }), let value = Int(text), value > 0 {
      return value
    }
    return 80
  }
}
