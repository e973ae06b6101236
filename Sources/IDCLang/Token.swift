/// One lexical unit of an idc script, with its source spelling and location.
public struct Token: Sendable, Hashable, CustomStringConvertible {
  /// What a token is; literals carry their decoded value.
  public enum Kind: Sendable, Hashable {
    /// A bare word: a run of characters other than white space and `= [ ] { } ( ) , " ' # $`
    /// that is not a number or a range, e.g. `kmeans`, `hard+rep+div`, `data/x.npy`.
    case word(String)
    /// A bare word that spells an integer, e.g. `10`, `-3`.
    case integer(Int)
    /// A bare word that spells a floating-point number, e.g. `0.5`, `1e-3`.
    case number(Double)
    /// A bare word that spells a range, e.g. `1..5`, `0..1000:100`.
    case range(IntRange)
    /// A quoted string, decoded, with its `$name` interpolations.
    case string(StringLiteral)
    /// `$name` or `${name}`.
    case variable(String)
    /// `=`
    case equals
    /// `,`
    case comma
    /// `[`
    case leftBracket
    /// `]`
    case rightBracket
    /// `{`
    case leftBrace
    /// `}`
    case rightBrace
    /// `(` — reserved: no statement uses it yet.
    case leftParen
    /// `)` — reserved.
    case rightParen
    /// The end of a statement: a line break outside `[ ]` and `( )` that no `\` continues
    /// (consecutive ones are merged; one is added before the end of input).
    case newline
    /// A `# %% title` line that opens a notebook cell.
    case cellMarker(title: String)
    /// The end of the input; `unclosed` is the innermost construct still open there
    /// (a bracket, or a trailing `\`), which makes a parse that stops here incomplete.
    case endOfInput(unclosed: Unclosed?)
  }

  /// A construct the input ended inside of.
  public struct Unclosed: Sendable, Hashable {
    /// Its spelling, e.g. `[` or `\`.
    public var spelling: String
    /// Where it was opened.
    public var location: SourceSpan

    /// Creates the record of an open construct.
    public init(spelling: String, location: SourceSpan) {
      self.spelling = spelling
      self.location = location
    }
  }

  /// What the token is.
  public var kind: Kind
  /// The token's source spelling (quotes included for strings; empty for the end of input
  /// and for a line break added at the end).
  public var text: String
  /// Where it is; always a single line.
  public var location: SourceSpan
  /// Offset of its first scalar in the source, in Unicode scalars.
  public var offset: Int
  /// Offset one past its last scalar.
  public var endOffset: Int

  /// Creates a token.
  public init(kind: Kind, text: String, location: SourceSpan, offset: Int, endOffset: Int) {
    self.kind = kind
    self.text = text
    self.location = location
    self.offset = offset
    self.endOffset = endOffset
  }

  /// The token as messages name it: `'kmeans'`, `'['`, `end of line`, `end of input`.
  public var description: String {
    switch kind {
    case .newline: return "end of line"
    case .endOfInput: return "end of input"
    case .cellMarker: return "cell marker '# %%'"
    default: return "'\(text)'"
    }
  }
}

/// A quoted string as written: its text pieces and `$name` interpolations.
///
/// Double-quoted strings interpolate `$name` and `${name}`; single-quoted strings never do.
/// Both decode the escapes `\\ \" \' \n \t \r \0 \$ \u{hex}`. Strings end on their line.
public struct StringLiteral: Sendable, Hashable {
  /// The decoded pieces in order; never empty (`""` is one empty `.text`).
  public var segments: [StringSegment]
  /// True for `'…'`, false for `"…"`.
  public var isSingleQuoted: Bool
  /// False when the line ended before the closing quote (the token is kept for completion).
  public var isTerminated: Bool

  /// Creates a string literal.
  public init(segments: [StringSegment], isSingleQuoted: Bool, isTerminated: Bool) {
    self.segments = segments
    self.isSingleQuoted = isSingleQuoted
    self.isTerminated = isTerminated
  }

  /// The text when no segment is a variable, else nil.
  public var plainText: String? {
    var text = ""
    for segment in segments {
      guard case .text(let piece) = segment else { return nil }
      text += piece
    }
    return text
  }
}

/// A piece of a string literal.
public enum StringSegment: Sendable, Hashable {
  /// Literal text, escapes decoded.
  case text(String)
  /// An interpolated `$name` / `${name}` and where it is.
  case variable(String, SourceSpan)
}
