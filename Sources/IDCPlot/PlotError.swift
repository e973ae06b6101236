/// Everything that can go wrong between idc and gnuplot, worded for the idc user.
///
/// gnuplot's own complaints arrive as ``gnuplot(message:command:)`` so idc can
/// report them as its own errors; a missing or crashed gnuplot never takes the
/// rest of idc down with it.
public enum PlotError: Error, Sendable, Equatable, CustomStringConvertible {
  /// No `gnuplot` executable on the search path (or at the injected path).
  case gnuplotNotFound(searched: String)
  /// `posix_spawn` failed for an executable that exists.
  case launchFailed(path: String, reason: String)
  /// gnuplot reported an error or a warning. `command` is the script command
  /// that produced it (`nil` when it came from a datablock or the session's
  /// own preamble).
  case gnuplot(message: String, command: String?)
  /// The gnuplot process died while working; the next call starts a new one.
  case crashed(status: String)
  /// gnuplot did not finish within the session's timeout; it was killed and
  /// the next call starts a new one.
  case timedOut(seconds: Double)
  /// An output file whose extension names no supported format.
  case unsupportedFileExtension(path: String)
  /// A window was asked for but this gnuplot has no window terminal.
  case noWindowTerminal(available: [String])
  /// The plot's inputs disagree (lengths, indices, image sizes).
  case invalidInput(String)

  public var description: String {
    switch self {
    case .gnuplotNotFound(let searched):
      return "gnuplot not found on PATH (\(searched)); install gnuplot-nox (scripts/install-deps.sh) — the rest of idc keeps working"
    case .launchFailed(let path, let reason):
      return "cannot start gnuplot at \(path): \(reason)"
    case .gnuplot(let message, let command):
      guard let command else { return "gnuplot: \(message)" }
      return "gnuplot: \(message)\n  in: \(PlotError.abbreviated(command))"
    case .crashed(let status):
      return "gnuplot stopped unexpectedly (\(status)); the next plot starts a new gnuplot"
    case .timedOut(let seconds):
      return "gnuplot did not answer within \(PlotError.formatSeconds(seconds)) s and was stopped; the next plot starts a new gnuplot"
    case .unsupportedFileExtension(let path):
      return "cannot tell the picture format of '\(path)': use a .png, .svg or .pdf file name"
    case .noWindowTerminal(let available):
      let list = available.isEmpty ? "none" : available.joined(separator: " ")
      return "this gnuplot has no window terminal (qt, wxt, x11 or aqua); write to a file (to=plot.png) or to the terminal instead. Available terminals: \(list)"
    case .invalidInput(let message):
      return "cannot plot: \(message)"
    }
  }

  /// A command shortened to its first line and at most 160 characters.
  static func abbreviated(_ command: String) -> String {
    let firstLine = command.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? command
    let truncated = firstLine.count > 160 ? String(firstLine.prefix(157)) + "..." : firstLine
    return truncated + (firstLine == command ? "" : " ...")
  }

  private static func formatSeconds(_ seconds: Double) -> String {
    seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
  }
}
