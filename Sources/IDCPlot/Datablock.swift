/// A named gnuplot datablock: `$name << EOD`, one text line per data row, `EOD`.
///
/// Datablocks keep every number inside the script, so a plot is one text value
/// that can be unit-tested, saved and replayed (`gnuplot file.gp`) without
/// temporary data files. Columns are separated by one space; two empty lines
/// separate gnuplot "index" blocks.
public struct Datablock: Sendable, Equatable {
  /// The name including the leading `$`, e.g. `$points`.
  public var name: String
  /// The data lines, without the `EOD` terminator.
  public var lines: [String]

  /// A datablock named `name` (with or without the leading `$`).
  ///
  /// - Precondition: the name is a gnuplot identifier (letters, digits, `_`,
  ///   not starting with a digit).
  public init(name: String, lines: [String] = []) {
    let bare = name.hasPrefix("$") ? String(name.dropFirst()) : name
    precondition(Datablock.isIdentifier(bare), "invalid datablock name '\(name)'")
    self.name = "$" + bare
    self.lines = lines
  }

  /// Appends one row of numbers, written with ``format(_:)-(Double)``.
  public mutating func appendRow(_ values: Double...) {
    lines.append(values.map(Datablock.format).joined(separator: " "))
  }

  /// Appends one row of numbers.
  public mutating func appendRow(_ values: [Double]) {
    lines.append(values.map(Datablock.format).joined(separator: " "))
  }

  /// The datablock as gnuplot reads it: header, lines, `EOD`.
  public var text: String {
    var out = "\(name) << EOD\n"
    for line in lines { out += line; out += "\n" }
    out += "EOD\n"
    return out
  }

  /// A number as a datablock field: the shortest text that reads back to the
  /// same value; `NaN` for NaN and ±infinity, which gnuplot treats as an
  /// undefined point (a gap in a line, no marker).
  public static func format(_ value: Double) -> String {
    guard value.isFinite else { return "NaN" }
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return String(describing: value)
  }

  /// A `Float` as a datablock field (see ``format(_:)-(Double)``).
  public static func format(_ value: Float) -> String {
    guard value.isFinite else { return "NaN" }
    if value == value.rounded(), abs(value) < 1e7 { return String(Int32(value)) }
    return String(describing: value)
  }

  static func isIdentifier(_ text: String) -> Bool {
    guard let first = text.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else {
      return false
    }
    return text.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
  }
}
