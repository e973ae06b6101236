/// What gnuplot said while running one script without an error.
public struct GnuplotReply: Sendable, Equatable {
  /// Everything gnuplot wrote to its standard output: the picture for `dumb`
  /// and `sixelgd` targets (a leading form feed removed), otherwise empty.
  public var output: String
  /// Lines the script printed with `print` (gnuplot prints to standard error).
  public var printed: [String]

  public init(output: String, printed: [String]) {
    self.output = output
    self.printed = printed
  }
}
