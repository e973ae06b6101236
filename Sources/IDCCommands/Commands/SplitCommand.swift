import IDCCore
import IDCLang

/// `split`: a cluster that is several things to the person becomes several
/// (``PartitionEdit/split(_:assignment:cluster:parts:seed:)``): k-means inside its members of
/// the current clustering; the largest part keeps the number, the others get the next free
/// ones. Each head gains a unit per new part, copied from the split cluster's and fitted to the
/// parts; every other weight is kept. Recorded; `undo` takes it back.
enum SplitCommand: IDCCommand {
  static let cluster: Parameter<Int> = Parameter(
    ParameterSpec("cluster", .int(range: 0...1_000_000), required: true, help: "the cluster to split")
  ) { $0?.intValue ?? 0 }
  static let parts: Parameter<Int> = .int("parts", in: 2...100, default: 2, help: "how many parts (k-means inside the cluster)")
  static let seed = CommonParameters.seed("seed of the k-means and the head fit (default: the session seed)")

  static let spec = CommandSpec(
    name: "split",
    abstract: "Split a cluster that mixes things (split 4 parts=2): k-means inside it, every model follows.",
    discussion: """
      The split runs k-means (10 starts) on the cluster's members in the current clustering. The largest \
      part keeps the number, the others get the next free numbers. Each head gains one output per new part, \
      fitted to the parts; every other weight is kept. Answers given for the cluster go to the part their \
      sample falls in; 'undo' takes the split back.
      """,
    positionals: specs(cluster),
    parameters: specs(parts, seed),
    examples: ["split 4", "split 4 parts=3", "undo"])
  static let transcript = Transcript.recorded
  static let howToMake: String? = nil

  static func partialResult(of interruption: Interrupted, _ args: BoundArguments, _ context: CommandContext) -> PartialResult? { nil }

  static func run(_ args: BoundArguments, _ context: CommandContext) throws -> WorkspaceValue? {
    let ws = context.workspace
    _ = try ws.requirePretrained()
    let g = args[cluster], c = ws.clusterCount
    guard g < c else { throw args.error("there is no cluster \(g): the clusters are 0 to \(c - 1)", at: cluster) }
    let current = ws.current ?? ws.pretrained!
    let members = current.filter { $0 == g }.count
    guard members >= args[parts] else {
      throw args.error("\(ws.clusterLabel(g)) has \(members) member\(members == 1 ? "" : "s") in the current clustering: too few for \(args[parts]) parts", at: parts)
    }
    let label = ws.clusterLabel(g)
    let seed = context.seed(args[seed])
    let edit = try PartitionEdit.split(ws.z, assignment: current, cluster: g, parts: args[parts], seed: seed)
    try ws.apply(edit, seed: seed, monitor: context.monitor)
    let now = ws.current ?? []
    let made = [g] + edit.addedClasses(from: c)
    context.say("split \(label) into " + made.map { p in "\(p) (\(now.filter { $0 == p }.count))" }.joined(separator: ", ")
      + ": \(ws.clusterCount) clusters")
    PartitionReport.sizes(context)
    return nil
  }
}
