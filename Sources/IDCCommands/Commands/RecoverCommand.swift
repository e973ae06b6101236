import Foundation
import IDCCore
import IDCLang

/// `recover`: replay the last session that ended without quitting (killed, crashed, closed
/// terminal) into this one, from its recovery script (``SessionLog``).
enum RecoverCommand: IDCCommand {
  static let file: Parameter<String?> = .path("file", extensions: ["idc"], help: "a session script to replay (default: the last crashed session)")

  static let spec = CommandSpec(
    name: "recover",
    abstract: "Replay the last session that did not end with quit/Ctrl-D (every statement that ran) into this session.",
    discussion: "Interactive sessions record each statement as it succeeds in ~/.idc/sessions (or $IDC_SESSION_DIR), one file per session. Answers given at 'feedback ask' are in their journal, so the replayed 'feedback ask' resumes.",
    parameters: specs(file),
    examples: ["recover", "recover file=\"~/.idc/sessions/20261201-213000-4242.idc\""])
  /// Its statements are recorded one by one as they run.
  static let transcript = Transcript.notRecorded
  static let howToMake: String? = nil

  static func partialResult(of interruption: Interrupted, _ args: BoundArguments, _ context: CommandContext) -> PartialResult? { nil }

  static func run(_ args: BoundArguments, _ context: CommandContext) throws -> WorkspaceValue? {
    guard let evaluator = context.evaluator else { throw args.error("no evaluator to run the script") }
    let current = context.workspace.sessionLog?.path
    let path: String
    if let given = args[file] {
      path = (given as NSString).expandingTildeInPath
    } else {
      guard let directory = SessionLog.directory(), let crashed = SessionLog.lastCrashed(in: directory, excluding: current) else {
        throw CommandError("no crashed session to recover", help: "every earlier session ended cleanly (or was recovered already); 'recover file=PATH' replays a given script")
      }
      path = crashed.path
    }
    guard let entry = SessionLog.entry(at: path) else { throw args.error("cannot read '\(path)'", at: file) }
    context.note("recovering \(entry.statements) statements from \(path)")
    try evaluator.source(path: path)
    SessionLog.markRecovered(path, into: current)
    context.say("recovered: \(entry.statements) statements from \(path)")
    return nil
  }
}
