// Tab completion for the REPL, driven by the command specs.

/// What to offer at the cursor: candidates that replace the text from `start` to the cursor.
public struct Completion: Sendable, Hashable {
  /// Where the replaced text starts, as a UTF-8 offset into the line (libedit's `rl_point` unit).
  public var start: Int
  /// The text being completed: the line from `start` to the cursor (without an opening quote).
  public var prefix: String
  /// Full replacements for `prefix`, sorted. A candidate ending in `=` (a parameter name) or
  /// `/` (a directory) is not finished: the line editor should not append a space after it.
  public var candidates: [String]

  /// Creates a completion.
  public init(start: Int, prefix: String, candidates: [String]) {
    self.start = start
    self.prefix = prefix
    self.candidates = candidates
  }
}

/// Completes the word before `cursor` in `line`.
///
/// Offers, depending on where the cursor is:
/// - at the start of a statement, after `name = `, or after `{`: command names (and `for`);
///   after `?`: `?`-prefixed command names;
/// - after a command: the names of parameters not given yet, as `name=`, plus the values of the
///   next positional parameter (subcommand names for a command with subcommands);
/// - after `name=` (also inside `name=[…, `): the parameter's choices, `true`/`false` for a
///   `.bool`, `workspaceNames` for a `.name`, and `pathCompleter(prefix)` for a `.path` (kept
///   when it ends in `/` or has one of the declared extensions); inside an unclosed `"` only paths
///   and texts are offered;
/// - after `$`: `variables`, as `$name`.
///
/// Only the text before the cursor is read, so `line` may be the whole pending input of a
/// multi-line statement with `cursor` at its end. `cursor` is a UTF-8 offset; past the end it
/// means the end, inside a character it means that character's start.
/// - Parameter pathCompleter: returns the paths that complete a partial path, e.g. `"da"` →
///   `["data/"]`; it is the only part that touches the file system.
public func complete(
  line: String, cursor: Int, registry: CommandRegistry, workspaceNames: [String], variables: [String] = [],
  pathCompleter: (String) -> [String]
) -> Completion {
  let utf8 = Array(line.utf8)
  var end = min(max(0, cursor), utf8.count)
  while end > 0 && end < utf8.count && utf8[end] & 0xC0 == 0x80 { end -= 1 }
  let bytes = utf8[..<end]
  let before = String(decoding: bytes, as: UTF8.self)
  let scalars = Array(before.unicodeScalars)
  var tokens = Lexer(source: before, file: "<completion>").tokens.filter {
    switch $0.kind {
    case .endOfInput: return false
    case .newline: return !$0.text.isEmpty
    default: return true
    }
  }
  func utf8Offset(ofScalar index: Int) -> Int {
    scalars[..<index].reduce(0) { $0 + UTF8.width($1) }
  }
  func result(_ startScalar: Int, _ prefix: String, _ candidates: [String], filter: Bool = true) -> Completion {
    let unique = Array(Set(filter ? candidates.filter { $0.hasPrefix(prefix) } : candidates)).sorted()
    return Completion(start: utf8Offset(ofScalar: startScalar), prefix: prefix, candidates: unique)
  }

  if scalars.last == "$" {
    return result(scalars.count - 1, "$", variables.map { "$" + $0 })
  }
  var partial = ""
  var partialStart = scalars.count
  var inQuotes = false
  if let last = tokens.last, last.endOffset == scalars.count {
    switch last.kind {
    case .word, .integer, .number, .range:
      partial = last.text
      partialStart = last.offset
      tokens.removeLast()
    case .variable(let name):
      return result(last.offset, last.text, variables.filter { $0.hasPrefix(name) }.map { "$" + $0 }, filter: false)
    case .string(let literal):
      guard !literal.isTerminated, let text = literal.plainText else { return result(scalars.count, "", []) }
      partial = text
      partialStart = last.offset + 1
      inQuotes = true
      tokens.removeLast()
    default:
      break
    }
  }
  let boundary = tokens.lastIndex {
    switch $0.kind {
    case .newline, .leftBrace, .rightBrace: return true
    default: return false
    }
  }
  var statement = Array(tokens[((boundary ?? -1) + 1)...])
  func commandNames() -> [String] {
    if partial.hasPrefix("?") { return registry.names.map { "?" + $0 } }
    return registry.names + (statement.isEmpty ? ["for"] : [])
  }
  if statement.count >= 2, case .word = statement[0].kind, case .equals = statement[1].kind {
    if statement.count == 2 { return result(partialStart, partial, inQuotes ? [] : commandNames()) }
    statement.removeFirst(2)
  }
  guard let first = statement.first else { return result(partialStart, partial, inQuotes ? [] : commandNames()) }
  guard case .word(let commandName) = first.kind, commandName != "for", var spec = registry.spec(named: commandName) else {
    return result(partialStart, partial, [])
  }

  let arguments = Array(statement.dropFirst())
  var labels: Set<String> = []
  var positionalCount = 0
  var index = 0
  while index < arguments.count {
    if index + 1 < arguments.count, case .word(let label) = arguments[index].kind, case .equals = arguments[index + 1].kind {
      labels.insert(label)
      index += 2
      index = skipValue(arguments, from: index)
      continue
    }
    if case .word(let word) = arguments[index].kind, positionalCount == 0, let subcommand = spec.subcommand(named: word) {
      spec = subcommand
      index += 1
      continue
    }
    positionalCount += 1
    index = skipValue(arguments, from: index)
  }
  let completer = ValueCompleter(workspaceNames: workspaceNames, inQuotes: inQuotes)
  func positionalKind(at position: Int) -> ParameterKind? {
    guard position >= 0, !spec.positionals.isEmpty, position < spec.positionals.count || spec.isVariadic else { return nil }
    return spec.positionals[min(position, spec.positionals.count - 1)].kind
  }
  if let open = arguments.lastIndex(where: { $0.kind == .leftBracket }),
    !arguments[open...].contains(where: { $0.kind == .rightBracket })
  {
    let kind: ParameterKind?
    if open >= 2, case .equals = arguments[open - 1].kind, case .word(let key) = arguments[open - 2].kind {
      kind = spec.parameter(named: key)?.kind
    } else {
      kind = positionalKind(at: positionalCount - 1)
    }
    let (values, filter) = kind.map { completer.values(for: $0, partial: partial, paths: pathCompleter) } ?? ([], true)
    return result(partialStart, partial, values, filter: filter)
  }
  if arguments.count >= 2, case .equals = arguments[arguments.count - 1].kind,
    case .word(let key) = arguments[arguments.count - 2].kind
  {
    let kind = spec.parameter(named: key)?.kind
    let (values, filter) = kind.map { completer.values(for: $0, partial: partial, paths: pathCompleter) } ?? ([], true)
    return result(partialStart, partial, values, filter: filter)
  }
  if inQuotes {
    let kind = positionalKind(at: positionalCount)
    let (values, filter) = kind.map { completer.values(for: $0, partial: partial, paths: pathCompleter) } ?? ([], true)
    return result(partialStart, partial, values, filter: filter)
  }

  var candidates = spec.parameters.filter { !labels.contains($0.name) }.map { $0.name + "=" }
  var filter = true
  if !spec.subcommands.isEmpty && positionalCount == 0 {
    candidates += spec.subcommands.flatMap(\.allNames)
  } else if let kind = positionalKind(at: positionalCount) {
    let (values, isFiltered) = completer.values(for: kind, partial: partial, paths: pathCompleter)
    if !isFiltered {
      candidates = candidates.filter { $0.hasPrefix(partial) }
      filter = false
    }
    candidates += values
  }
  return result(partialStart, partial, candidates, filter: filter)
}

/// The index after the value starting at `index` (one token, or a bracketed list).
private func skipValue(_ tokens: [Token], from index: Int) -> Int {
  guard index < tokens.count else { return index }
  guard case .leftBracket = tokens[index].kind else { return index + 1 }
  var depth = 0
  var position = index
  while position < tokens.count {
    switch tokens[position].kind {
    case .leftBracket: depth += 1
    case .rightBracket:
      depth -= 1
      if depth == 0 { return position + 1 }
    default: break
    }
    position += 1
  }
  return position
}

/// The values a parameter kind completes to.
private struct ValueCompleter {
  let workspaceNames: [String]
  let inQuotes: Bool

  /// The candidates, and whether they still need filtering by the prefix (paths do not: the
  /// path completer already matched them).
  func values(for kind: ParameterKind, partial: String, paths pathCompleter: (String) -> [String]) -> ([String], Bool) {
    switch kind {
    case .choice(let choices): return (inQuotes ? [] : choices, true)
    case .bool: return (inQuotes ? [] : ["true", "false"], true)
    case .name: return (inQuotes ? [] : workspaceNames, true)
    case .list(let element): return values(for: element, partial: partial, paths: pathCompleter)
    case .path(let extensions):
      let paths = pathCompleter(partial).filter { path in
        path.hasSuffix("/") || extensions.isEmpty
          || extensions.contains { path.lowercased().hasSuffix("." + $0.lowercased()) }
      }
      return (paths, false)
    case .oneOf(let kinds):
      var all: [String] = []
      var needsFilter = true
      for kind in kinds {
        let (values, filter) = self.values(for: kind, partial: partial, paths: pathCompleter)
        all += filter ? values.filter { $0.hasPrefix(partial) } : values
        needsFilter = needsFilter && filter
      }
      return (all, needsFilter)
    case .int, .double, .string:
      return ([], true)
    }
  }
}
