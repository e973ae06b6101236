/// Where a piece of source text sits — the location a diagnostic points at: the file name, a
/// 1-based line and column, and a length. (Named `SourceSpan`, not `SourceLocation`, so it does
/// not clash with Swift Testing's type of that name in test files importing both.)
///
/// Columns and lengths count Unicode scalars (not bytes, not grapheme clusters), so a caret
/// lines up with the text for every script written in ASCII and for most others. A span never
/// crosses a line break: tokens are single-line, and a span for a construct that continues on
/// later lines covers only its first line.
///
/// A span is *within* its source when `line` names an existing line, `column` is at most
/// one past the last scalar of that line (one past the end points "after the text"), and the
/// span ends at most one past the end of the line.
public struct SourceSpan: Sendable, Hashable, CustomStringConvertible {
  /// The file name shown in diagnostics, e.g. `tour.idc` or `<stdin>`.
  public var file: String
  /// The 1-based line number.
  public var line: Int
  /// The 1-based column, counted in Unicode scalars.
  public var column: Int
  /// How many scalars the span covers; 0 marks a position between characters.
  public var length: Int

  /// Creates a location; `line` and `column` are 1-based.
  public init(file: String, line: Int, column: Int, length: Int = 1) {
    self.file = file
    self.line = line
    self.column = column
    self.length = length
  }

  /// `file:line:col`, the prefix of a rendered diagnostic.
  public var description: String { "\(file):\(line):\(column)" }

  /// The span from the start of `self` to the end of `other` when both sit on the same line,
  /// otherwise `self` unchanged.
  public func extended(through other: SourceSpan) -> SourceSpan {
    guard other.file == file, other.line == line, other.column + other.length >= column else { return self }
    var result = self
    result.length = other.column + other.length - column
    return result
  }
}
