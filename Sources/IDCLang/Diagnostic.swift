/// A message about a script tied to the place in the source it is about.
///
/// Every error the front end reports — from the lexer, the parser, substitution of variables,
/// validation against a command's spec — is a `Diagnostic` with a location inside the source,
/// so it renders as `file:line:col: error: message`, the source line and a caret
/// (see ``DiagnosticRenderer``). The evaluator reports its run-time failures the same way,
/// at the location of the statement or argument at fault.
public struct Diagnostic: Error, Sendable, Hashable, CustomStringConvertible {
  /// How serious a diagnostic is.
  public enum Severity: String, Sendable, Hashable {
    /// The script cannot run (or the statement failed).
    case error
    /// The script runs, but something looks wrong.
    case warning
  }

  /// A secondary message, optionally pointing at another place (e.g. "first given here").
  public struct Note: Sendable, Hashable {
    /// The note's text.
    public var message: String
    /// The place the note is about, if any.
    public var location: SourceSpan?

    /// Creates a note.
    public init(_ message: String, at location: SourceSpan? = nil) {
      self.message = message
      self.location = location
    }
  }

  /// Error or warning.
  public var severity: Severity
  /// The one-line message, lowercase, without a trailing period.
  public var message: String
  /// The span the message is about.
  public var location: SourceSpan
  /// Secondary notes, rendered as `note:` lines after the caret.
  public var notes: [Note]
  /// The near-miss name for an unknown one, rendered as `help: did you mean 'x'?`.
  public var suggestion: String?
  /// Advice on how to fix it, rendered as a `help:` line.
  public var help: String?
  /// True when the input ended where more was expected (an open bracket, a trailing `\`,
  /// an unclosed loop body): a REPL should read another line instead of reporting it.
  public var isIncomplete: Bool

  /// Creates a diagnostic.
  public init(
    _ severity: Severity = .error, _ message: String, at location: SourceSpan,
    notes: [Note] = [], suggestion: String? = nil, help: String? = nil, isIncomplete: Bool = false
  ) {
    self.severity = severity
    self.message = message
    self.location = location
    self.notes = notes
    self.suggestion = suggestion
    self.help = help
    self.isIncomplete = isIncomplete
  }

  /// Creates an error.
  public static func error(
    _ message: String, at location: SourceSpan, notes: [Note] = [], suggestion: String? = nil,
    help: String? = nil
  ) -> Diagnostic {
    Diagnostic(.error, message, at: location, notes: notes, suggestion: suggestion, help: help)
  }

  /// One line: `file:line:col: error: message`, without the source excerpt.
  public var description: String { "\(location): \(severity.rawValue): \(message)" }
}
