/// A complete gnuplot program as a value: named datablocks, then commands.
///
/// Builders in this module are pure functions from plot inputs to a
/// `GnuplotScript`; only ``GnuplotSession`` runs one. ``text`` is a standalone
/// gnuplot file (`gnuplot plot.gp` draws the same picture), which is what the
/// unit tests read. Each element of ``commands`` is one gnuplot command, the
/// unit in which errors are reported.
public struct GnuplotScript: Sendable, Equatable {
  /// Datablocks, defined before any command runs, in this order.
  public var datablocks: [Datablock]
  /// Commands in execution order, usually one line each.
  public var commands: [String]

  public init(datablocks: [Datablock] = [], commands: [String] = []) {
    self.datablocks = datablocks
    self.commands = commands
  }

  /// Adds a datablock.
  ///
  /// - Precondition: no datablock of that name was defined before.
  public mutating func define(_ block: Datablock) {
    precondition(datablock(named: block.name) == nil, "datablock \(block.name) defined twice")
    datablocks.append(block)
  }

  /// Appends one command.
  public mutating func append(_ command: String) {
    commands.append(command)
  }

  /// Appends commands in order.
  public mutating func append(contentsOf newCommands: [String]) {
    commands.append(contentsOf: newCommands)
  }

  /// The datablock called `name` (`"$points"` or `"points"`), if defined.
  public func datablock(named name: String) -> Datablock? {
    let key = name.hasPrefix("$") ? name : "$" + name
    return datablocks.first { $0.name == key }
  }

  /// The commands that start with `prefix` (e.g. `"plot "`), in order.
  public func commands(startingWith prefix: String) -> [String] {
    commands.filter { $0.hasPrefix(prefix) }
  }

  /// The script as gnuplot source: every datablock, then every command.
  public var text: String {
    var out = ""
    for block in datablocks { out += block.text }
    for command in commands { out += command; out += "\n" }
    return out
  }

  /// `text` as a gnuplot string that prints exactly as written: the
  /// ``quoted(_:)`` literal followed by `noenhanced`, so `_`, `^`, `@`, `{`
  /// and `}` in names such as `fmnist_effnet128` are not read as enhanced-text
  /// markup. Used for every title, label and legend entry. (Terminals stay
  /// enhanced: a `noenhanced` terminal makes gnuplot's SVG drop the plot
  /// titles from its `<g id="gnuplot_plot_N"><title>` groups.)
  public static func literal(_ text: String) -> String {
    quoted(text) + " noenhanced"
  }

  /// `text` as a gnuplot double-quoted string literal.
  ///
  /// Backslash and double quote are escaped, and a line break becomes `\n`,
  /// which gnuplot turns back into a line break in titles and labels.
  public static func quoted(_ text: String) -> String {
    var out = "\""
    for character in text {
      switch character {
      case "\\": out += "\\\\"
      case "\"": out += "\\\""
      case "\n": out += "\\n"
      case "\r", "\t": out += " "
      default: out.append(character)
      }
    }
    out += "\""
    return out
  }
}
