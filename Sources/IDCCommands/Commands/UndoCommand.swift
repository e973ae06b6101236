import IDCCore
import IDCLang

/// `undo`: takes back the latest change to the partition (`merge`, `split`, a new cluster),
/// restoring the clusters, heads, answers and names as they were. Refused once answers were
/// given after the change (they name its clusters): the partition is then changed on with
/// `merge` or `split`. Recorded, so a replayed session undoes at the same point.
enum UndoCommand: IDCCommand {
  static let spec = CommandSpec(
    name: "undo",
    abstract: "Take back the latest merge, split or new cluster (before any answer is given after it).",
    discussion: """
      Everything returns to how it was before the change: clusters, models, answers, names. Several \
      'undo's go back several changes. Once answers were given after a change, 'undo' refuses: they name \
      its clusters; use 'merge' or 'split' instead.
      """,
    examples: ["merge 3 7", "undo"])
  static let transcript = Transcript.recorded
  static let howToMake: String? = nil

  static func partialResult(of interruption: Interrupted, _ args: BoundArguments, _ context: CommandContext) -> PartialResult? { nil }

  static func run(_ args: BoundArguments, _ context: CommandContext) throws -> WorkspaceValue? {
    let ws = context.workspace
    _ = try ws.requirePretrained()
    let edit: PartitionEdit
    do { edit = try ws.undoPartitionEdit() } catch let error as CommandError { throw args.error(error.message, help: error.help) }
    context.say("undone: \(edit.summary); \(ws.clusterCount) clusters")
    PartitionReport.sizes(context)
    return nil
  }
}
