/// The idc grammar, in EBNF (terminals in capitals come from the ``Lexer``):
///
/// ```ebnf
/// (* Syntax. A NEWLINE is a line break outside [ ] and ( ) that no trailing "\" continues. *)
/// program     = { NEWLINE | CELL_MARKER NEWLINE | statement NEWLINE } END ;
/// statement   = for_loop | command ;
/// command     = [ NAME "=" ] WORD { argument } ;     (* WORD names the command; "?w" means "help w" *)
/// argument    = NAME "=" value | value ;
/// value       = WORD | INTEGER | NUMBER | RANGE | STRING | VARIABLE | list ;
/// list        = "[" [ value { "," value } [ "," ] ] "]" ;
/// for_loop    = "for" NAME "in" ( list | RANGE | VARIABLE ) "{" body "}" ;
/// body        = { NEWLINE | statement ( NEWLINE | &"}" ) } ;   (* "}" may end the last line *)
///
/// (* Lexical grammar. *)
/// NAME        = ( letter | "_" ) { letter | digit | "_" } ;   (* ASCII letters and digits *)
/// WORD        = wordchar { wordchar } ;                       (* unless it spells a number or range *)
/// wordchar    = ? any character but white space and  = [ ] { } ( ) , " ' # $  ? ;
///                                                         (* a "\" ending the line continues it *)
/// INTEGER     = [ "+" | "-" ] digits ;
/// NUMBER      = [ "+" | "-" ] ( digits [ "." digits ] | "." digits )
///               [ ( "e" | "E" ) [ "+" | "-" ] digits ] ;      (* with a "." or an exponent *)
/// RANGE       = INTEGER ".." INTEGER [ ":" INTEGER ] ;        (* inclusive; low <= high, step >= 1 *)
/// STRING      = '"' { char | escape | VARIABLE } '"'          (* double quotes interpolate *)
///             | "'" { char | escape } "'" ;                   (* single quotes do not *)
/// escape      = "\" ( "\" | '"' | "'" | "n" | "t" | "r" | "0" | "$" | "u{" hex { hex } "}" ) ;
/// VARIABLE    = "$" NAME | "${" NAME "}" ;
/// CELL_MARKER = "#" { blank } "%%" title ;                    (* first on its line, outside brackets *)
/// comment     = "#" { char } ;                                (* to the end of the line *)
/// continuation = "\" { blank } [ comment ] line_break ;       (* joins the next line *)
/// ```
///
/// Arguments may come in any order; each is separated from the previous by white space.
/// `for` begins a loop only as the first word of a statement, and its `{` must be on the same
/// (logical) line. Parentheses are reserved. Lists and loops nest at most
/// ``Parser/maximumNesting`` levels deep.
///
/// The parser stops at the first error. When the input ends inside an open bracket, a loop
/// body or after a trailing `\`, the error is marked ``Diagnostic/isIncomplete`` and points at
/// the construct left open, so a REPL can ask for another line (``checkComplete(_:file:)``).
public struct Parser: Sendable {
  /// How deeply lists and `for` loops may nest.
  public static let maximumNesting = 32

  private let tokens: [Token]
  private let file: String
  private var position = 0

  /// Creates a parser over `tokens`, which must end with `.endOfInput` (as ``Lexer`` makes them).
  public init(tokens: [Token], file: String = "<input>") {
    precondition(tokens.last.map { if case .endOfInput = $0.kind { true } else { false } } ?? false)
    self.tokens = tokens
    self.file = file
  }

  /// Parses a whole script.
  /// - Throws: the first lexical or syntax error, in source order.
  public static func parse(_ source: String, file: String = "<input>") throws(Diagnostic) -> Program {
    let lexer = Lexer(source: source, file: file)
    var parser = Parser(tokens: lexer.tokens, file: file)
    let lexicalError = lexer.diagnostics.first
    do throws(Diagnostic) {
      let program = try parser.parseProgram()
      if let lexicalError { throw lexicalError }
      return program
    } catch {
      guard let lexicalError else { throw error }
      if error.isIncomplete || Self.precedes(lexicalError.location, error.location) { throw lexicalError }
      throw error
    }
  }

  private static func precedes(_ a: SourceSpan, _ b: SourceSpan) -> Bool {
    (a.line, a.column) <= (b.line, b.column)
  }

  // MARK: - Program and statements

  /// Parses tokens up to the end of input into a program.
  public mutating func parseProgram() throws(Diagnostic) -> Program {
    var cells = [Cell(title: nil, location: nil, statements: [])]
    while true {
      switch current.kind {
      case .newline:
        position += 1
      case .endOfInput:
        return Program(file: file, cells: cells)
      case .cellMarker(let title):
        cells.append(Cell(title: title, location: current.location, statements: []))
        position += 1
        try expectEndOfStatement(inBlock: false)
      default:
        let statement = try parseStatement(depth: 0)
        cells[cells.count - 1].statements.append(statement)
        try expectEndOfStatement(inBlock: false)
      }
    }
  }

  private var current: Token { tokens[position] }

  private func peek() -> Token { tokens[min(position + 1, tokens.count - 1)] }

  private mutating func advance() -> Token {
    let token = tokens[position]
    if position < tokens.count - 1 { position += 1 }
    return token
  }

  private mutating func expectEndOfStatement(inBlock: Bool) throws(Diagnostic) {
    switch current.kind {
    case .newline:
      position += 1
    case .endOfInput(let unclosed):
      if let unclosed { throw incomplete(unclosed) }
    case .rightBrace where inBlock:
      return
    case .rightBrace:
      throw .error("unexpected '}' outside a 'for' body", at: current.location)
    default:
      throw .error(
        "unexpected \(current) after the end of the statement", at: current.location,
        help: "put each statement on its own line")
    }
  }

  private mutating func parseStatement(depth: Int) throws(Diagnostic) -> Statement {
    let first = current
    guard case .word(let word) = first.kind else { throw unexpectedAtStatementStart(first) }
    if word == "for" { return .forLoop(try parseFor(depth: depth)) }
    guard case .equals = peek().kind else { return .command(try parseCommand(binding: nil, depth: depth)) }
    guard Lexer.isName(word) else {
      throw .error(
        "'\(word)' is not a valid name to bind a result to", at: first.location,
        help: "a name is letters, digits and _, starting with a letter or _")
    }
    position += 1
    let equals = advance()
    guard case .word(let command) = current.kind else {
      throw expected(
        "a command after '\(word) ='", got: current, after: equals,
        help: "a binding names the result of a command, e.g. sel = select m=100")
    }
    if command == "for" {
      throw .error("a 'for' loop has no result to bind to '\(word)'", at: current.location)
    }
    return .command(try parseCommand(binding: (word, first.location), depth: depth))
  }

  private func unexpectedAtStatementStart(_ token: Token) -> Diagnostic {
    switch token.kind {
    case .endOfInput(let unclosed?):
      return incomplete(unclosed)
    case .equals:
      return .error("expected a name before '='", at: token.location, help: "a binding is written name = command …")
    case .rightBrace:
      return .error("unexpected '}' outside a 'for' body", at: token.location)
    default:
      return .error(
        "expected a command, got \(token)", at: errorLocation(token),
        help: "a statement starts with a command name, e.g. kmeans k=10")
    }
  }

  private mutating func parseCommand(binding: (String, SourceSpan)?, depth: Int) throws(Diagnostic) -> CommandStatement {
    let nameToken = advance()
    guard case .word(var name) = nameToken.kind else { preconditionFailure("parseCommand starts at a word") }
    var arguments: [Argument] = []
    if name.unicodeScalars.first == "?" {
      let topic = String(name.unicodeScalars.dropFirst())
      name = "help"
      if !topic.isEmpty {
        var location = nameToken.location
        location.column += 1
        location.length -= 1
        arguments.append(Argument(value: Expression(.value(.word(topic)), at: location)))
      }
    }
    var previous = nameToken
    argumentLoop: while true {
      switch current.kind {
      case .newline, .endOfInput, .rightBrace:
        break argumentLoop
      case .equals:
        throw .error(
          "expected a parameter name before '='", at: current.location,
          help: "parameters are written name=value, e.g. k=10")
      default:
        break
      }
      if current.offset == previous.endOffset {
        throw .error(
          "missing space between \(previous) and \(current)", at: errorLocation(current),
          help: "separate arguments with spaces; to join text and a variable write one string, e.g. \"run_$s.csv\"")
      }
      if case .word(let label) = current.kind, case .equals = peek().kind {
        guard Lexer.isName(label) else {
          throw .error(
            "'\(label)' is not a valid parameter name", at: current.location,
            help: "a name is letters, digits and _, starting with a letter or _")
        }
        let labelToken = advance()
        let equals = advance()
        let value = try parseValue(context: "after '\(label)='", after: equals, depth: depth)
        arguments.append(Argument(label: label, labelLocation: labelToken.location, value: value))
      } else {
        let value = try parseValue(context: "as an argument of '\(name)'", after: previous, depth: depth)
        arguments.append(Argument(value: value))
      }
      previous = tokens[position - 1]
    }
    let start = binding?.1 ?? nameToken.location
    return CommandStatement(
      binding: binding?.0, bindingLocation: binding?.1, name: name, nameLocation: nameToken.location,
      arguments: arguments, location: start.extended(through: previous.location))
  }

  // MARK: - Values

  private mutating func parseValue(context: String, after anchor: Token, depth: Int) throws(Diagnostic) -> Expression {
    let token = current
    let kind: Expression.Kind
    switch token.kind {
    case .word(let text): kind = .value(.word(text))
    case .integer(let value): kind = .value(.int(value))
    case .number(let value): kind = .value(.double(value))
    case .range(let value): kind = .value(.range(value))
    case .variable(let name): kind = .variable(name)
    case .string(let literal):
      if let text = literal.plainText {
        kind = .value(.string(text))
      } else {
        kind = .interpolation(literal.segments)
      }
    case .leftBracket:
      return try parseList(depth: depth + 1)
    default:
      throw expected("a value \(context)", got: token, after: anchor)
    }
    position += 1
    return Expression(kind, at: token.location)
  }

  private mutating func parseList(depth: Int) throws(Diagnostic) -> Expression {
    let open = advance()
    guard depth <= Self.maximumNesting else {
      throw .error("lists and loops nest more than \(Self.maximumNesting) levels deep", at: open.location)
    }
    var elements: [Expression] = []
    var previous = open
    while true {
      if case .rightBracket = current.kind { break }
      let element = try parseValue(context: "in the list", after: previous, depth: depth)
      elements.append(element)
      previous = tokens[position - 1]
      switch current.kind {
      case .comma:
        previous = advance()
      case .rightBracket:
        continue
      default:
        throw expected(
          "',' or ']' after \(previous) in the list", got: current, after: previous,
          notes: [Diagnostic.Note("the list starts here", at: open.location)])
      }
    }
    let close = advance()
    return Expression(.list(elements), at: open.location.extended(through: close.location))
  }

  // MARK: - Loops

  private mutating func parseFor(depth: Int) throws(Diagnostic) -> ForLoop {
    let keyword = advance()
    guard depth < Self.maximumNesting else {
      throw .error("lists and loops nest more than \(Self.maximumNesting) levels deep", at: keyword.location)
    }
    let loopHelp = "a loop is written: for s in [random, hard] { … }"
    guard case .word(let variable) = current.kind, Lexer.isName(variable), variable != "in" else {
      throw expected("a loop variable name after 'for'", got: current, after: keyword, help: loopHelp)
    }
    let variableToken = advance()
    guard case .word("in") = current.kind else {
      throw expected("'in' after 'for \(variable)'", got: current, after: variableToken, help: loopHelp)
    }
    let inToken = advance()
    let sequence: Expression
    switch current.kind {
    case .leftBracket:
      sequence = try parseList(depth: depth + 1)
    case .range(let range):
      sequence = Expression(.value(.range(range)), at: advance().location)
    case .variable(let name):
      sequence = Expression(.variable(name), at: advance().location)
    default:
      throw expected("a list, a range or a $variable after 'in'", got: current, after: inToken, help: loopHelp)
    }
    guard case .leftBrace = current.kind else {
      if case .newline = current.kind {
        throw .error(
          "expected '{' on the same line as 'for'", at: errorLocation(current),
          help: "start the body on the loop's line: for \(variable) in … {")
      }
      throw expected("'{' to start the loop body", got: current, after: tokens[position - 1], help: loopHelp)
    }
    position += 1
    var body: [Statement] = []
    while true {
      switch current.kind {
      case .newline:
        position += 1
      case .rightBrace:
        position += 1
        return ForLoop(
          variable: variable, variableLocation: variableToken.location, sequence: sequence, body: body,
          location: keyword.location)
      case .endOfInput(let unclosed):
        throw incomplete(unclosed ?? Token.Unclosed(spelling: "{", location: keyword.location))
      case .cellMarker:
        throw .error(
          "a cell marker cannot be inside a 'for' body", at: current.location,
          help: "close the loop with '}' before the marker")
      default:
        body.append(try parseStatement(depth: depth + 1))
        try expectEndOfStatement(inBlock: true)
      }
    }
  }

  // MARK: - Errors

  /// Where to point for an error at `token`: the token itself, or — for a line break or the
  /// end of input — just after the previous token, where the missing piece belongs.
  private func errorLocation(_ token: Token) -> SourceSpan {
    switch token.kind {
    case .newline, .endOfInput:
      guard let index = tokens.firstIndex(of: token), index > 0 else { return token.location }
      var location = tokens[index - 1].location
      location.column += location.length
      location.length = 0
      return location
    default:
      return token.location
    }
  }

  private func expected(
    _ what: String, got token: Token, after anchor: Token, help: String? = nil, notes: [Diagnostic.Note] = []
  ) -> Diagnostic {
    if case .endOfInput(let unclosed?) = token.kind { return incomplete(unclosed) }
    var location = token.location
    if case .newline = token.kind {
      location = anchor.location
      location.column += location.length
      location.length = 0
    } else if case .endOfInput = token.kind {
      location = errorLocation(token)
    }
    return .error("expected \(what), got \(token)", at: location, notes: notes, help: help)
  }

  private func incomplete(_ unclosed: Token.Unclosed) -> Diagnostic {
    let message: String
    let help: String
    switch unclosed.spelling {
    case "\\":
      message = "the input ends after a line continuation '\\'"
      help = "continue the statement on the next line, or remove the '\\'"
    case "{":
      message = "unclosed '{' at the end of the input"
      help = "end the loop body with '}'"
    case "[":
      message = "unclosed '[' at the end of the input"
      help = "end the list with ']'"
    default:
      message = "unclosed '\(unclosed.spelling)' at the end of the input"
      help = "close it"
    }
    return Diagnostic(.error, message, at: unclosed.location, help: help, isIncomplete: true)
  }
}

/// Parses a whole script; see ``Parser`` for the grammar.
/// - Throws: the first lexical or syntax error as a located ``Diagnostic``.
public func parse(_ source: String, file: String = "<input>") throws(Diagnostic) -> Program {
  try Parser.parse(source, file: file)
}

/// Whether a piece of input is a whole program, could become one with more lines, or is wrong.
public enum Completeness: Sendable, Hashable {
  /// The input parses; here is the program.
  case complete(Program)
  /// The input ends inside an open bracket, a loop body or after a trailing `\`: read more.
  case incomplete(Diagnostic)
  /// The input is wrong whatever follows.
  case invalid(Diagnostic)
}

/// Tells complete input from incomplete and wrong, like Tcl's `info complete`: a REPL appends
/// lines while this says `.incomplete` (showing a continuation prompt), then runs or reports.
public func checkComplete(_ source: String, file: String = "<input>") -> Completeness {
  do throws(Diagnostic) {
    return .complete(try Parser.parse(source, file: file))
  } catch {
    return error.isIncomplete ? .incomplete(error) : .invalid(error)
  }
}
