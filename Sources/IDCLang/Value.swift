/// A value of the idc language: what a literal denotes, what a `$variable` holds, and what a
/// validated parameter is bound to.
///
/// The parser produces `.int`, `.double`, `.string`, `.word`, `.range` and `.list`;
/// `.bool` appears once a value is bound to a `.bool` parameter (written `true`/`false`,
/// `yes`/`no`, `on`/`off` or `1`/`0`). A `.word` is an unquoted bare word — an identifier, a
/// choice such as `hard+rep+div`, a workspace name such as `sel`, or a path such as
/// `data/x.npy` — and a `.string` a quoted one; both are text wherever text is expected.
public enum Value: Sendable, Hashable, CustomStringConvertible {
  /// A 64-bit integer such as `10` or `-3`.
  case int(Int)
  /// A floating-point number such as `0.5` or `1e-3`.
  case double(Double)
  /// A truth value.
  case bool(Bool)
  /// Quoted text such as `"answers.csv"`.
  case string(String)
  /// An unquoted bare word such as `tsne`, `hard+rep+div` or `data/x.npy`.
  case word(String)
  /// A list such as `[random, hard, 1..3]`.
  case list([Value])
  /// An inclusive integer range such as `1..5` or `0..1000:100`.
  case range(IntRange)

  /// The idc source spelling of the value, which parses back to an equal value: words as they
  /// are, text in double quotes with escapes when it would not read back as the same word,
  /// lists in brackets.
  public var description: String {
    switch self {
    case .int(let value): return String(value)
    case .double(let value): return String(value)
    case .bool(let value): return value ? "true" : "false"
    case .string(let text): return Self.quoted(text)
    case .word(let text): return Lexer.isBareWord(text) ? text : Self.quoted(text)
    case .list(let elements): return "[" + elements.map(\.description).joined(separator: ", ") + "]"
    case .range(let range): return range.description
    }
  }

  /// The spelling shown to people (help texts, `show`): like ``description``, but text that
  /// reads back as a bare word is shown without quotes, also inside lists.
  public var displayText: String {
    switch self {
    case .string(let text): return Lexer.isBareWord(text) ? text : Self.quoted(text)
    case .list(let elements): return "[" + elements.map(\.displayText).joined(separator: ", ") + "]"
    default: return description
    }
  }

  /// The value as plain text, as it is spliced into an interpolated string: text without
  /// quotes, numbers and lists in their source spelling.
  public var text: String {
    switch self {
    case .string(let text), .word(let text): return text
    default: return description
    }
  }

  /// The text of a `.string` or `.word`, else nil.
  public var stringValue: String? {
    switch self {
    case .string(let text), .word(let text): return text
    default: return nil
    }
  }

  /// The integer of an `.int`, else nil.
  public var intValue: Int? {
    if case .int(let value) = self { return value }
    return nil
  }

  /// The number of an `.int` or `.double`, else nil.
  public var doubleValue: Double? {
    switch self {
    case .int(let value): return Double(value)
    case .double(let value): return value
    default: return nil
    }
  }

  /// The truth value of a `.bool`, else nil.
  public var boolValue: Bool? {
    if case .bool(let value) = self { return value }
    return nil
  }

  /// The elements of a `.list`, or the values of a `.range` as `.int`s, else nil.
  /// - Complexity: O(n); a range is expanded, so check `IntRange.count` first for big ones.
  public var listValue: [Value]? {
    switch self {
    case .list(let elements): return elements
    case .range(let range): return range.map(Value.int)
    default: return nil
    }
  }

  /// A noun phrase for messages: "an integer", "a number", "a list", …
  public var kindDescription: String {
    switch self {
    case .int: return "an integer"
    case .double: return "a number"
    case .bool: return "a truth value"
    case .string: return "a string"
    case .word: return "a word"
    case .list: return "a list"
    case .range: return "a range"
    }
  }

  /// `text` in double quotes, with `\`, `"`, `$` and control characters escaped.
  static func quoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\\": out += "\\\\"
      case "\"": out += "\\\""
      case "$": out += "\\$"
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      case "\r": out += "\\r"
      case "\0": out += "\\0"
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F {
          out += "\\u{" + String(scalar.value, radix: 16) + "}"
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }
}
