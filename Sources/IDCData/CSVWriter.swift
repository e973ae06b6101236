import Foundation
import IDCCore

/// Writes tables as CSV or TSV that ``CSVReader`` (and pandas, R, spreadsheets) read back.
///
/// Numbers use Swift's shortest round-trip form (`0.1`, `1e-05`, `nan`), so
/// reading a written matrix gives back the same Floats. A cell is quoted
/// when it holds the delimiter, a quote, a line break or leading/trailing
/// spaces, or starts with `#`, or is empty. Lines end in `\n`. The default
/// delimiter is tab for paths ending in `.tsv` or `.tab`, comma otherwise.
public enum CSVWriter {
  /// Writes `matrix`, one row per line, with `labels` as a last column named
  /// `labelName`. The header row is written when `columnNames` is given
  /// (one per matrix column).
  public static func write(
    _ matrix: Matrix, columnNames: [String]? = nil, labels: [Int]? = nil, labelName: String = "label",
    to path: String, delimiter: Character? = nil
  ) throws {
    let separator = try resolve(delimiter, for: path)
    if let names = columnNames, names.count != matrix.columns {
      throw DataError(path: path, message: "\(names.count) column names for \(matrix.columns) columns")
    }
    if let labels, labels.count != matrix.rows {
      throw DataError(path: path, message: "\(labels.count) labels for \(matrix.rows) rows")
    }
    let header = columnNames.map { labels == nil ? $0 : $0 + [labelName] }
    try writeLines(to: path, header: header, separator: separator, count: matrix.rows) { i in
      var cells = matrix.row(i).map { "\($0)" }
      if let labels { cells.append(String(labels[i])) }
      return cells
    }
  }

  /// Writes rows of text cells under an optional header. Rows may differ in length.
  public static func write(rows: [[String]], header: [String]? = nil, to path: String, delimiter: Character? = nil) throws {
    let separator = try resolve(delimiter, for: path)
    try writeLines(to: path, header: header, separator: separator, count: rows.count) { rows[$0] }
  }

  /// The CSV text of `rows` (and `header`), each line ending in `\n`.
  public static func format(rows: [[String]], header: [String]? = nil, delimiter: Character = ",") -> String {
    var text = ""
    if let header { text += line(header, delimiter) }
    for row in rows { text += line(row, delimiter) }
    return text
  }

  /// One line: the cells, quoted where needed, joined by `delimiter`, then `\n`.
  static func line(_ cells: [String], _ delimiter: Character) -> String {
    cells.map { quoted($0, delimiter) }.joined(separator: String(delimiter)) + "\n"
  }

  static func quoted(_ cell: String, _ delimiter: Character) -> String {
    let needsQuotes = cell.isEmpty || cell.hasPrefix("#") || cell.contains(delimiter)
      || cell.contains { $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
      || cell.first == " " || cell.last == " " || cell.first == "\t" || cell.last == "\t"
    guard needsQuotes else { return cell }
    return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  private static func resolve(_ delimiter: Character?, for path: String) throws -> Character {
    if let delimiter {
      guard delimiter.isASCII, delimiter != "\"", delimiter != "\n" else {
        throw DataError(path: path, message: "the delimiter must be one ASCII character other than a quote or newline, got '\(delimiter)'")
      }
      return delimiter
    }
    return path.hasSuffix(".tsv") || path.hasSuffix(".tab") ? "\t" : ","
  }

  private static func writeLines(
    to path: String, header: [String]?, separator: Character, count: Int, row: (Int) -> [String]
  ) throws {
    let file = try OutputFile(path: path)
    var buffer = ""
    if let header { buffer += line(header, separator) }
    for i in 0..<count {
      buffer += line(row(i), separator)
      if buffer.utf8.count >= 1 << 16 {
        try file.write(Array(buffer.utf8))
        buffer = ""
      }
    }
    try file.write(Array(buffer.utf8))
    try file.commit()
  }
}
