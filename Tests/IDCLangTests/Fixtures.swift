import IDCLang

/// A small registry shaped like idc's real commands, for validation, help, completion and fuzz
/// tests.
enum Fixtures {
  static let strategies = ["random", "hard", "rep", "hard+rep", "hard+rep+div"]

  static let registry = CommandRegistry([
    CommandSpec(
      name: "load", abstract: "load a data set",
      positionals: [
        ParameterSpec(
          "source", .oneOf([.choice(["digits"]), .path(extensions: ["npy", "npz"])]),
          help: "a built-in data set or a .npy/.npz file")
      ],
      parameters: [
        .path("features", extensions: ["npy"], help: "feature matrix"),
        .path("labels", extensions: ["npy"], help: "ground-truth labels"),
      ],
      examples: ["load digits", "load features=\"f.npy\" labels=\"y.npy\""]),
    CommandSpec(
      name: "kmeans", aliases: ["km"], abstract: "cluster the features with k-means++",
      parameters: [
        .int("k", in: 1...100_000, default: 10, help: "number of clusters"),
        .int("seed", default: 0, help: "random seed"),
        .choice("init", ["kmeans++", "random"], default: "kmeans++", help: "how to pick the first centres"),
      ],
      examples: ["kmeans k=10 seed=0"], resultKind: .clustering),
    CommandSpec(name: "eval", abstract: "score the current clustering"),
    CommandSpec(
      name: "score", abstract: "compute value scores",
      parameters: [.int("k", in: 1...1000, default: 20, help: "neighbours")], resultKind: .metrics),
    CommandSpec(
      name: "select", abstract: "pick the most valuable samples to ask about",
      parameters: [
        .int("m", in: 1...100_000, default: 100, help: "how many samples"),
        .choice("strategy", strategies, default: "hard+rep+div", help: "what makes a sample valuable"),
      ],
      examples: ["sel = select m=100 strategy=hard+rep+div"], resultKind: .selection),
    CommandSpec(
      name: "plot", abstract: "draw a figure",
      subcommands: [
        CommandSpec(
          name: "tsne", abstract: "the t-SNE map",
          parameters: [
            .name("highlight", kind: .selection, help: "a selection to mark"),
            .double("perplexity", in: 5...100, default: 30, help: "t-SNE perplexity"),
          ]),
        CommandSpec(name: "scores", abstract: "the value scores"),
      ],
      examples: ["plot tsne perplexity=20"]),
    CommandSpec(
      name: "feedback", abstract: "ask about the selected samples",
      positionals: [.choice("source", ["oracle", "ask"], default: "oracle", help: "who answers")],
      parameters: [
        .int("t", in: 1...100, default: 5, help: "answers per sample"),
        .path("file", extensions: ["csv"], help: "read answers from a CSV file"),
      ],
      resultKind: .feedback),
    CommandSpec(
      name: "train", abstract: "fine-tune the cluster head",
      parameters: [
        .int("seed", default: 0, help: "random seed"),
        .double("lr", in: 0...1, default: 1e-3, help: "learning rate"),
        .bool("verbose", default: false, help: "print each epoch"),
        ParameterSpec("epochs", .list(of: .int(range: 1...1000)), help: "epoch counts to try"),
      ],
      resultKind: .model),
    CommandSpec(
      name: "show", abstract: "show workspace values",
      positionals: [ParameterSpec("names", .list(of: .name(kind: nil)), help: "values to show")]),
    CommandSpec(
      name: "source", abstract: "run another script",
      positionals: [.path("file", extensions: ["idc"], required: true, help: "the script")]),
    CommandSpec(
      name: "set", abstract: "set session options",
      parameters: [
        .int("seed", help: "default seed"),
        .bool("echo", help: "print each statement"),
        .string("title", help: "plot title"),
      ]),
    CommandSpec(name: "help", abstract: "show help", positionals: [.string("topic", help: "a command")]),
    CommandSpec(name: "quit", aliases: ["exit"], abstract: "leave idc"),
  ])

  /// The script of the language issue, used by parser and fuzz tests.
  static let tour = """
    # %% the pre-trained model
    load digits                        # or: load features="f.npy" labels="y.npy"
    kmeans k=10 seed=0
    eval
    score k=20
    sel = select m=100 strategy=hard+rep+div
    plot tsne highlight=sel
    answers = feedback oracle t=5      # or: feedback ask   /   feedback file="answers.csv"
    model = train seed=0
    for s in [random, hard, hard+rep, hard+rep+div] {
      select m=100 strategy=$s
      feedback oracle
      train
      eval
    }
    source other.idc

    """
}

/// Whether `location` lies within `source` (see ``SourceSpan``).
func isWithin(_ location: SourceSpan, _ source: String) -> Bool {
  isWithin(location, lineLengths: lineLengths(source))
}

/// The length in scalars of each line of `source` (a final empty line included).
func lineLengths(_ source: String) -> [Int] {
  var lengths = [0]
  for scalar in source.unicodeScalars {
    if scalar == "\n" { lengths.append(0) } else { lengths[lengths.count - 1] += 1 }
  }
  return lengths
}

/// Whether `location` lies within a source whose lines have `lineLengths`.
func isWithin(_ location: SourceSpan, lineLengths: [Int]) -> Bool {
  guard location.line >= 1, location.line <= lineLengths.count, location.column >= 1, location.length >= 0 else {
    return false
  }
  let length = lineLengths[location.line - 1]
  return location.column <= length + 1 && location.column + location.length <= length + 2
}

/// Parses `source` or fails the calling test with the rendered error.
func parsed(_ source: String, file: String = "t.idc") throws -> Program {
  do throws(Diagnostic) {
    return try parse(source, file: file)
  } catch {
    throw RenderedError(text: DiagnosticRenderer(file: file, source: source).render(error))
  }
}

/// The first error `source` produces when parsed, or nil.
func parseError(_ source: String) -> Diagnostic? {
  do throws(Diagnostic) {
    _ = try parse(source, file: "t.idc")
    return nil
  } catch {
    return error
  }
}

struct RenderedError: Error, CustomStringConvertible {
  var text: String
  var description: String { text }
}

/// The single command statement of a one-line script.
func command(_ source: String) throws -> CommandStatement {
  let program = try parsed(source)
  guard case .command(let command)? = program.statements.first else { throw RenderedError(text: "not a command") }
  return command
}

/// The rendered diagnostic validating one statement against the fixture registry gives, or nil.
func validationError(
  _ source: String, environment: Environment = Environment(), workspace: [String: ValueKind]? = nil
) throws -> String? {
  let statement = try command(source)
  do throws(Diagnostic) {
    _ = try Fixtures.registry.validate(statement, environment: environment, workspace: workspace)
    return nil
  } catch {
    return DiagnosticRenderer(file: "t.idc", source: source).render(error)
  }
}

/// The arguments of one statement validated against the fixture registry.
func bound(_ source: String, environment: Environment = Environment(), workspace: [String: ValueKind]? = nil) throws
  -> BoundArguments
{
  let statement = try command(source)
  do throws(Diagnostic) {
    return try Fixtures.registry.validate(statement, environment: environment, workspace: workspace)
  } catch {
    throw RenderedError(text: DiagnosticRenderer(file: "t.idc", source: source).render(error))
  }
}
