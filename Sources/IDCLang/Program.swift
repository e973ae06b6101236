import IDCText

/// A parsed script: its statements grouped into notebook cells.
///
/// Statements before the first `# %%` marker form cell 0, the preamble (no title, possibly
/// empty); the k-th marker opens cell k. So `idc run FILE --from 2` starts at the second
/// marker, and a script without markers is one cell.
public struct Program: Sendable, Hashable {
  /// The file name used in locations.
  public var file: String
  /// The cells in order; `cells[0]` is the preamble and always exists.
  public var cells: [Cell]

  /// Creates a program.
  public init(file: String, cells: [Cell]) {
    self.file = file
    self.cells = cells.isEmpty ? [Cell(title: nil, location: nil, statements: [])] : cells
  }

  /// All top-level statements in order.
  public var statements: [Statement] { cells.flatMap(\.statements) }

  /// The top-level statements from cell `index` to the end.
  public func statements(fromCell index: Int) -> [Statement] {
    cells[min(max(index, 0), cells.count)...].flatMap(\.statements)
  }

  /// The index of the cell `selector` names: a decimal cell number (0 is the preamble), else a
  /// title matched exactly, else matched ignoring case.
  /// - Throws: ``CellLookupError`` listing the cells and a near-miss title.
  public func cellIndex(for selector: String) throws(CellLookupError) -> Int {
    if let number = Int(selector) {
      guard cells.indices.contains(number) else {
        throw CellLookupError(
          message: "\(file) has no cell \(number); its cells are numbered 0...\(cells.count - 1)", suggestion: nil)
      }
      return number
    }
    if let index = cells.firstIndex(where: { $0.title == selector }) { return index }
    let lowered = selector.lowercased()
    if let index = cells.firstIndex(where: { $0.title?.lowercased() == lowered }) { return index }
    let titles = cells.compactMap(\.title)
    throw CellLookupError(
      message: "\(file) has no cell titled '\(selector)'",
      suggestion: EditDistance.suggestion(for: selector, among: titles))
  }
}

/// A notebook cell: the statements after a `# %% title` marker up to the next one.
public struct Cell: Sendable, Hashable {
  /// The marker's title (possibly empty); nil for the preamble.
  public var title: String?
  /// Where the marker is; nil for the preamble.
  public var location: SourceSpan?
  /// The cell's top-level statements.
  public var statements: [Statement]

  /// Creates a cell.
  public init(title: String?, location: SourceSpan?, statements: [Statement]) {
    self.title = title
    self.location = location
    self.statements = statements
  }

  /// The 1-based line of the marker (1 for the preamble).
  public var line: Int { location?.line ?? 1 }
}

/// A `--from CELL` selector that names no cell.
public struct CellLookupError: Error, Sendable, Hashable, CustomStringConvertible {
  /// What went wrong, e.g. `tour.idc has no cell titled 'trian'`.
  public var message: String
  /// A near-miss title, if any.
  public var suggestion: String?

  /// Creates the error.
  public init(message: String, suggestion: String?) {
    self.message = message
    self.suggestion = suggestion
  }

  /// The message, followed by `; did you mean '…'?` when there is a suggestion.
  public var description: String {
    suggestion.map { "\(message); did you mean '\($0)'?" } ?? message
  }
}
