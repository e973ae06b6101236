import IDCCore
import IDCText

/// A feature table read from CSV or TSV: a Float matrix, optional integer
/// labels, and the column names when the file has a header row.
public struct CSVTable: Sendable, Equatable {
  /// Every column of the header row, in file order; nil without a header.
  public var columnNames: [String]?
  /// The names of the feature columns (header names minus the label column); nil without a header.
  public var featureNames: [String]?
  /// One row per data line, one column per feature column.
  public var features: Matrix
  /// The label column as integers, when one was asked for. Integer cells
  /// (`3`, `3.0`) are used as they are; if any cell is not an integer, every
  /// distinct label text becomes a class, numbered in sorted order.
  public var labels: [Int]?
  /// The class names, in id order, when the labels were names.
  public var classNames: [String]?
}

/// Reads feature tables from CSV/TSV text.
///
/// Rules, in order:
/// - Lines end in `\n` or `\r\n`; a UTF-8 byte-order mark is ignored.
/// - Blank lines and lines whose first non-blank character is `#` are skipped
///   (line numbers in errors still count them, 1-based).
/// - Delimiter: the given one, else tab if the first content line has a
///   tab, else comma.
/// - Fields are trimmed of spaces; a field may be double-quoted (RFC 4180,
///   `""` for a quote) to keep a delimiter, spaces or a leading `#`; a quoted
///   field cannot span lines.
/// - Header row (``CSVReader/HeaderRow/auto``): the first content line is a
///   header when one of its feature cells is not a number; a label column
///   given by name implies a header.
/// - Every row must have as many fields as the first content line.
/// - Feature cells are parsed as Float (`1`, `-2.5e-3`, `nan`, `inf`); an
///   empty or non-numeric cell is an error naming `file:line:column` (the
///   column counts characters, 1-based) and the text.
public enum CSVReader {
  public enum HeaderRow: Sendable, Equatable {
    case auto, present, absent
  }

  /// Which column holds the labels.
  public enum LabelColumn: Sendable, Equatable {
    /// The column whose header is this name (needs a header row).
    case name(String)
    /// The column at this 0-based index.
    case index(Int)
    /// The last column.
    case last

    /// `"last"` → `.last`, a non-negative integer → `.index`, anything else → `.name`.
    public init(_ text: String) {
      if text == "last" {
        self = .last
      } else if let i = Int(text), i >= 0 {
        self = .index(i)
      } else {
        self = .name(text)
      }
    }
  }

  public struct Options: Sendable, Equatable {
    /// The field separator; nil detects tab or comma from the first content line.
    public var delimiter: Character?
    public var header: HeaderRow
    /// The label column; nil: every column is a feature.
    public var labelColumn: LabelColumn?

    public init(delimiter: Character? = nil, header: HeaderRow = .auto, labelColumn: LabelColumn? = nil) {
      self.delimiter = delimiter
      self.header = header
      self.labelColumn = labelColumn
    }
  }

  /// Reads the table in the file at `path`.
  public static func read(path: String, options: Options = Options()) throws -> CSVTable {
    try parse(InputFile(path: path).readText(), origin: path, options: options)
  }

  /// Parses CSV `text`; `origin` names it in errors.
  public static func parse(_ text: String, origin: String = "text", options: Options = Options()) throws -> CSVTable {
    var lines: [(number: Int, text: Substring)] = []
    var number = 0
    for raw in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
      number += 1
      var line = Substring(raw)
      if number == 1, line.hasPrefix("\u{FEFF}") { line = line.dropFirst() }
      if line.hasSuffix("\r") { line = line.dropLast() }  // "\r" is its own Character once "\n" is gone
      let content = line.drop { $0 == " " || $0 == "\t" }
      if content.isEmpty || content.hasPrefix("#") { continue }
      lines.append((number, line))
    }
    guard let first = lines.first else {
      return CSVTable(columnNames: nil, featureNames: nil, features: Matrix(rows: 0, columns: 0), labels: nil, classNames: nil)
    }

    let delimiter: UInt8
    if let given = options.delimiter {
      guard let ascii = given.asciiValue, given != "\"", given != "\n" else {
        throw DataError(path: origin, message: "the delimiter must be one ASCII character other than a quote or newline, got '\(given)'")
      }
      delimiter = ascii
    } else {
      delimiter = first.text.utf8.contains(UInt8(ascii: "\t")) ? UInt8(ascii: "\t") : UInt8(ascii: ",")
    }

    let firstFields = try fields(of: first.text, line: first.number, delimiter: delimiter, origin: origin)
    let width = firstFields.count
    var labelIndex: Int?
    switch options.labelColumn {
    case nil: break
    case .last: labelIndex = width - 1
    case .index(let i):
      guard i >= 0, i < width else {
        throw DataError(path: origin, message: "label column \(i) is out of range: rows have \(width) columns (0-based indices 0...\(width - 1))")
      }
      labelIndex = i
    case .name: break  // resolved against the header below
    }

    let hasHeader: Bool
    switch (options.header, options.labelColumn) {
    case (.absent, .name(let name)?):
      throw DataError(path: origin, message: "label column '\(name)' is given by name, but the file is read without a header row")
    case (.present, _), (.auto, .name?): hasHeader = true
    case (.absent, _): hasHeader = false
    case (.auto, _):
      hasHeader = firstFields.enumerated().contains { i, field in i != labelIndex && Float(field.text) == nil }
    }

    var columnNames: [String]?
    if hasHeader {
      let names = firstFields.map(\.text)
      columnNames = names
      if case .name(let name)? = options.labelColumn {
        guard let i = names.firstIndex(of: name) else {
          let suggestion = EditDistance.suggestion(for: name, among: names).map { " (did you mean '\($0)'?)" } ?? ""
          throw DataError(path: origin, message: "no column named '\(name)'\(suggestion); columns: \(names.joined(separator: ", "))")
        }
        labelIndex = i
      }
    }
    func columnLabel(_ i: Int) -> String {
      if let names = columnNames, !names[i].isEmpty { return "column '\(names[i])'" }
      return "column \(i + 1)"
    }

    let dataLines = hasHeader ? lines.dropFirst() : lines[...]
    let featureCount = width - (labelIndex == nil ? 0 : 1)
    var storage = [Float]()
    storage.reserveCapacity(dataLines.count * featureCount)
    var labelTexts: [String] = []
    for (lineNumber, line) in dataLines {
      let row = lineNumber == first.number ? firstFields : try fields(of: line, line: lineNumber, delimiter: delimiter, origin: origin)
      guard row.count == width else {
        throw DataError(path: "\(origin):\(lineNumber)", message: "row has \(row.count) fields, expected \(width) like line \(first.number)")
      }
      for (i, field) in row.enumerated() {
        func place() -> String { "\(origin):\(lineNumber):\(column(in: line, offset: field.offset))" }
        if i == labelIndex {
          guard !field.text.isEmpty else { throw DataError(path: place(), message: "empty label in \(columnLabel(i))") }
          labelTexts.append(field.text)
          continue
        }
        guard !field.text.isEmpty else {
          throw DataError(path: place(), message: "empty cell in \(columnLabel(i)) (missing values are not supported)")
        }
        guard let value = Float(field.text) else {
          throw DataError(path: place(), message: "not a number: '\(field.text)' in \(columnLabel(i))")
        }
        storage.append(value)
      }
    }

    var labels: [Int]?
    var classNames: [String]?
    if labelIndex != nil {
      (labels, classNames) = encodeLabels(labelTexts)
    }
    var featureNames = columnNames
    if let i = labelIndex { featureNames?.remove(at: i) }
    return CSVTable(
      columnNames: columnNames, featureNames: featureNames,
      features: Matrix(rows: dataLines.count, columns: featureCount, storage: storage),
      labels: labels, classNames: classNames
    )
  }

  /// Integer texts as they are; otherwise sorted distinct names numbered 0, 1, ….
  static func encodeLabels(_ texts: [String]) -> (labels: [Int], classNames: [String]?) {
    var integers: [Int] = []
    integers.reserveCapacity(texts.count)
    for text in texts {
      if let i = Int(text) {
        integers.append(i)
      } else if let d = Double(text), d.isFinite, d.rounded() == d, abs(d) < 0x1p62 {
        integers.append(Int(d))
      } else {
        break
      }
    }
    if integers.count == texts.count { return (integers, nil) }
    let names = Array(Set(texts)).sorted()
    let ids = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
    return (texts.map { ids[$0] ?? 0 }, names)
  }

  /// A field's text (unquoted, trimmed) and the UTF-8 offset where it starts in its line.
  struct Field: Equatable {
    var text: String
    var offset: Int
  }

  /// The 1-based character column of UTF-8 `offset` in `line`.
  static func column(in line: Substring, offset: Int) -> Int {
    line.utf8.prefix(offset).reduce(1) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
  }

  /// Splits one line into fields.
  static func fields(of line: Substring, line number: Int, delimiter: UInt8, origin: String) throws -> [Field] {
    let bytes = Array(line.utf8)
    var result: [Field] = []
    var i = 0
    func isSpace(_ b: UInt8) -> Bool { (b == 0x20 || b == 0x09 || b == 0x0D) && b != delimiter }
    while true {
      while i < bytes.count, isSpace(bytes[i]) { i += 1 }
      let start = i
      var text: String
      if i < bytes.count, bytes[i] == UInt8(ascii: "\"") {
        var content: [UInt8] = []
        i += 1
        var closed = false
        while i < bytes.count {
          if bytes[i] == UInt8(ascii: "\"") {
            if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\"") {
              content.append(bytes[i])
              i += 2
              continue
            }
            closed = true
            i += 1
            break
          }
          content.append(bytes[i])
          i += 1
        }
        guard closed else {
          throw DataError(path: "\(origin):\(number):\(column(in: line, offset: start))", message: "unterminated quoted field")
        }
        while i < bytes.count, isSpace(bytes[i]) { i += 1 }
        guard i == bytes.count || bytes[i] == delimiter else {
          throw DataError(path: "\(origin):\(number):\(column(in: line, offset: i))", message: "unexpected text after a closing quote")
        }
        text = String(decoding: content, as: UTF8.self)
      } else {
        while i < bytes.count, bytes[i] != delimiter { i += 1 }
        var end = i
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        text = String(decoding: bytes[start..<end], as: UTF8.self)
      }
      result.append(Field(text: text, offset: start))
      if i >= bytes.count { return result }
      i += 1  // the delimiter
    }
  }
}

