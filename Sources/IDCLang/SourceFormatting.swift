// Canonical idc source for syntax-tree nodes: what `--echo` prints for a statement (after
// substitution) and what `save` writes. Formatting then parsing gives back the same tree up to
// locations (a word that would not read back as itself is quoted); formatting is idempotent.
// Loop bodies are indented by two spaces.

extension Expression: CustomStringConvertible {
  /// The expression as idc source, e.g. `[random, hard]`, `$s`, `"run_${s}.csv"`.
  public var description: String {
    switch kind {
    case .value(let value):
      return value.description
    case .variable(let name):
      return "$" + name
    case .interpolation(let segments):
      var text = "\""
      for segment in segments {
        switch segment {
        case .text(let piece): text += Value.quoted(piece).dropFirst().dropLast()
        case .variable(let name, _): text += "${\(name)}"
        }
      }
      return text + "\""
    case .list(let elements):
      return "[" + elements.map(\.description).joined(separator: ", ") + "]"
    }
  }
}

extension Argument: CustomStringConvertible {
  /// `label=value` or `value`.
  public var description: String {
    (label.map { $0 + "=" } ?? "") + value.description
  }
}

extension CommandStatement: CustomStringConvertible {
  /// `binding = name arguments…` on one line.
  public var description: String {
    var text = binding.map { $0 + " = " } ?? ""
    text += name
    for argument in arguments { text += " " + argument.description }
    return text
  }
}

extension ForLoop: CustomStringConvertible {
  /// `for variable in sequence {`, the body indented, `}`.
  public var description: String { lines(indent: "").joined(separator: "\n") }

  func lines(indent: String) -> [String] {
    var lines = [indent + "for \(variable) in \(sequence) {"]
    for statement in body { lines += statement.lines(indent: indent + "  ") }
    lines.append(indent + "}")
    return lines
  }
}

extension Statement: CustomStringConvertible {
  /// The statement as idc source (a loop spans several lines).
  public var description: String { lines(indent: "").joined(separator: "\n") }

  func lines(indent: String) -> [String] {
    switch self {
    case .command(let command): return [indent + command.description]
    case .forLoop(let loop): return loop.lines(indent: indent)
    }
  }
}

extension Program: CustomStringConvertible {
  /// The whole script: the preamble's statements, then each `# %% title` marker and its cell.
  public var description: String {
    var lines: [String] = []
    for cell in cells {
      if let title = cell.title { lines.append(title.isEmpty ? "# %%" : "# %% " + title) }
      for statement in cell.statements { lines += statement.lines(indent: "") }
    }
    return lines.map { $0 + "\n" }.joined()
  }
}
