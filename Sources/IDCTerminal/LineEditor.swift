import CEditLine

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The REPL's line editor: libedit's readline with history, Tab completion and Ctrl-C.
///
/// At a terminal (`isatty(0)`), ``readLine(prompt:)`` edits a line with libedit (emacs keys,
/// `~/.editrc` entries for program `idc`), Up/Down walk the ``history``, and Tab asks the
/// ``completer``: one Tab inserts the candidates' common prefix (and a space after a single
/// finished candidate — none after one ending in `=`, `/`, `[` or `(`), a second Tab lists
/// them. Ctrl-C abandons the line (`^C` is echoed) and returns ``LineResult/interrupted``;
/// Ctrl-D on an empty line ends the prompt's line and returns ``LineResult/endOfFile``; Ctrl-Z
/// and `fg` redraw the pending line. Continuation prompts are simply a
/// different `prompt`. Escape sequences in a prompt must be wrapped in `"\u{1}"`…`"\u{2}"`
/// (``TerminalStyle`` does it with `inPrompt: true`) so libedit counts only visible columns.
///
/// Without a terminal (a script piped in), it reads plain lines: no prompt, no libedit, no
/// history.
///
/// libedit's readline state is per process: create one editor and use it from one thread
/// (the main thread, which the terminal's SIGINT reaches first).
public final class LineEditor {
  /// Completes the text before `cursor` (a UTF-8 offset) in `line`: candidates replace
  /// `line[replacementStart..<cursor]` (UTF-8 offsets, as `IDCLang.complete` returns them).
  public typealias Completer = (_ line: String, _ cursor: Int) -> (replacementStart: Int, candidates: [String])

  /// Whether lines are edited with libedit (stdin is a terminal).
  public let isInteractive: Bool
  /// The history list and file; nil when not interactive.
  public let history: LineHistory?
  /// The first history file error, kept so it is reported once (see ``add(_:)``).
  public private(set) var historyError: HistoryError?

  /// Called on Tab; nil offers nothing.
  public var completer: Completer? {
    didSet {
      completerBox = completer.map { CompletionTrampoline.Box($0) }
      if isInteractive { CompletionTrampoline.register(completerBox) }
    }
  }
  private var completerBox: CompletionTrampoline.Box?

  /// Creates the editor and, at a terminal, loads the history.
  /// - Parameters:
  ///   - historyPath: the history file; default `~/.idc_history`, nil for none.
  ///   - historyLimit: the most entries kept (default 1000).
  ///   - interactive: force libedit on or off; default: whether stdin is a terminal.
  public init(
    historyPath: String? = LineHistory.defaultPath, historyLimit: Int = 1000, interactive: Bool? = nil
  ) {
    isInteractive = interactive ?? (isatty(STDIN_FILENO) != 0)
    Interrupts.install()
    if isInteractive {
      _ = idc_editline_initialize("idc")
      let history = LineHistory(path: historyPath, limit: historyLimit)
      self.history = history
      do {
        try history.load()
      } catch {
        report(error)
      }
    } else {
      history = nil
    }
  }

  deinit {
    if completerBox != nil && isInteractive { CompletionTrampoline.register(nil) }
  }

  /// Reads one line, showing `prompt` at a terminal.
  ///
  /// Clears the interrupt count and disarms the second-Ctrl-C exit first (the REPL is at its
  /// prompt, no command is running).
  public func readLine(prompt: String) -> LineResult {
    guard isInteractive else {
      Interrupts.endCommand()
      guard let line = Swift.readLine(strippingNewline: true) else { return .endOfFile }
      return .line(line)
    }
    var status = IDC_READ_LINE
    let line = idc_editline_read(prompt, &status)
    defer { idc_editline_free(line) }
    switch status {
    case IDC_READ_INTERRUPTED:
      return .interrupted
    case IDC_READ_LINE:
      return line.map { .line(String(cString: $0)) } ?? .endOfFile
    default:
      return .endOfFile
    }
  }

  /// Records a command in the history and saves the file (at a terminal; otherwise nothing).
  ///
  /// A file error does not stop the REPL: the first one (reading at creation or writing here)
  /// is written to stderr once (`idc: cannot write history file …`) and kept in
  /// ``historyError``.
  public func add(_ line: String) {
    guard let history else { return }
    do {
      try history.add(line)
    } catch {
      report(error)
    }
  }

  /// Writes the first history error to stderr and keeps it in ``historyError``.
  private func report(_ error: HistoryError) {
    guard historyError == nil else { return }
    historyError = error
    let message = "idc: \(error)\n"
    message.withCString { _ = write(STDERR_FILENO, $0, strlen($0)) }
  }
}
