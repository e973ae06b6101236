/// What ``LineEditor/readLine(prompt:)`` read.
public enum LineResult: Sendable, Equatable {
  /// A line, without its newline.
  case line(String)
  /// The end of input: Ctrl-D on an empty line, or the end of a piped script.
  case endOfFile
  /// Ctrl-C at the prompt: the line was dropped; show a fresh prompt.
  case interrupted
}
