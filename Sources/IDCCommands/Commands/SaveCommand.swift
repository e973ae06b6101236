import Foundation
import IDCCore
import IDCData
import IDCLang

/// `save`: the session as a replayable script plus an `.npz` of its arrays.
enum SaveCommand: IDCCommand {
  static let spec = CommandSpec(
    name: "save",
    abstract: "Save the session: NAME.idc (the statements that ran, replayable with 'source') and NAME.npz (its arrays).",
    discussion: "Nothing is restored behind your back: 'source NAME.idc' re-runs the statements; the .npz is for numpy.",
    positionals: specs(name),
    examples: ["save session", "save \"runs/digits\""])
  static let name: Parameter<String> = .requiredPath("name", help: "file stem (NAME.idc and NAME.npz are written)")
  static let transcript = Transcript.notRecorded
  static let howToMake: String? = nil

  static func partialResult(of interruption: Interrupted, _ args: BoundArguments, _ context: CommandContext) -> PartialResult? { nil }

  static func run(_ args: BoundArguments, _ context: CommandContext) throws -> WorkspaceValue? {
    let ws = context.workspace
    var stem = context.outputPath(args[name])
    if stem.hasSuffix(".idc") { stem.removeLast(4) }
    let script = "# idc session saved by 'save'; replay with: source \(stem).idc\n"
      + ws.transcript.joined(separator: "\n") + "\n"
    do {
      try script.write(toFile: stem + ".idc", atomically: true, encoding: .utf8)
    } catch {
      throw args.error("cannot write \(stem).idc: \((error as NSError).localizedDescription)", at: name)
    }
    let arrays = sessionArrays(ws)
    try NPZArchive.write(arrays, to: stem + ".npz", compressed: true)
    context.say("saved \(ws.transcript.count) statements to \(stem).idc and \(arrays.count) arrays to \(stem).npz (\(arrays.map(\.key).joined(separator: ", ")))")
    return nil
  }

  /// Every array the session holds, under stable keys.
  static func sessionArrays(_ ws: Workspace) -> [(key: String, array: NDArray)] {
    var out: [(key: String, array: NDArray)] = []
    if let a = ws.pretrained { out.append(("pretrained_assignment", NDArray(labels: a))) }
    if let c = ws.pretrainedCenters { out.append(("pretrained_centers", NDArray(c))) }
    if let a = ws.current { out.append(("current_assignment", NDArray(labels: a))) }
    if let s = ws.scores { out += ExportCommand.scoreArrays(s) }
    for (name, value) in ws.named.sorted(by: { $0.key < $1.key }) {
      out += ExportCommand.arrays(of: value, prefix: name)
    }
    return out
  }
}

/// `source`: run a script inside this session.
enum SourceCommand: IDCCommand {
  static let spec = CommandSpec(
    name: "source",
    abstract: "Run an idc script inside this session (its values and options stay).",
    positionals: specs(file),
    parameters: specs(from),
    examples: ["source examples/tour.idc", "source session.idc"])
  static let file: Parameter<String> = .requiredPath("file", extensions: ["idc"], help: "the script")
  static let from: Parameter<String?> = .string("from", help: "start at this cell (# %% marker): its number or title")
  /// Its statements are recorded one by one as they run.
  static let transcript = Transcript.notRecorded
  static let howToMake: String? = nil

  static func partialResult(of interruption: Interrupted, _ args: BoundArguments, _ context: CommandContext) -> PartialResult? { nil }

  static func run(_ args: BoundArguments, _ context: CommandContext) throws -> WorkspaceValue? {
    guard let evaluator = context.evaluator else { throw args.error("no evaluator to run the script") }
    let path = args[file]
    var cell = 0
    if let from = args[from] {
      let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
      let program = try evaluator.parse(text, file: path)
      do throws(CellLookupError) { cell = try program.cellIndex(for: from) } catch {
        throw args.error(error.message, at: Self.from, help: error.suggestion.map { "did you mean '\($0)'?" })
      }
    }
    try evaluator.source(path: path, from: cell)
    return nil
  }
}
