import IDCCore
import IDCLang

/// `split`: a cluster that is several things to the person becomes several
/// (``PartitionEdit/split(_:assignment:cluster:parts:seed:)``): k-means inside its members of
/// the current clustering; the largest part keeps the number, the others get the next free
/// ones. Each head gains a unit per new part, copied from the split cluster's and fitted to the
/// parts; every other weight is kept. Recorded; `undo` takes it back.
/// How `split` finds the parts.
enum SplitBy: String, ChoiceValue {
  case kmeans, answers
}

enum SplitCommand: IDCCommand {
  static let cluster: Parameter<Int> = Parameter(
    ParameterSpec("cluster", .int(range: 0...1_000_000), required: true, help: "the cluster to split")
  ) { $0?.intValue ?? 0 }
  static let parts: Parameter<Int> = .int("parts", in: 2...100, default: 2, help: "how many parts (k-means inside the cluster)")
  static let seed = CommonParameters.seed("seed of the k-means and the head fit (default: the session seed)")
  static let by: Parameter<SplitBy> = .choice(
    "by", default: .kmeans,
    help: "kmeans (inside the cluster, parts=) or answers (the members answered for it against those answered none: two parts)")

  static let spec = CommandSpec(
    name: "split",
    abstract: "Split a cluster that mixes things (split 4 parts=2): k-means inside it, every model follows.",
    discussion: """
      The split runs k-means (10 starts) on the cluster's members in the current clustering. The largest \
      part keeps the number, the others get the next free numbers. by=answers splits it in two by the answers \
      given about its members: those answered for it keep the number, those answered none start the new part \
      (and their answers now name it). Each head gains one output per new part, \
      fitted to the parts; every other weight is kept. Answers given for the cluster go to the part their \
      sample falls in; 'undo' takes the split back.
      """,
    positionals: specs(cluster),
    parameters: specs(parts, by, seed),
    examples: ["split 4", "split 4 parts=3", "split 4 by=answers", "undo"])
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
    let edit: PartitionEdit
    switch args[by] {
    case .kmeans:
      edit = try PartitionEdit.split(ws.z, assignment: current, cluster: g, parts: args[parts], seed: seed)
    case .answers:
      if args.isExplicit(parts.name) && args[parts] != 2 { throw args.error("by=answers makes two parts", at: parts) }
      let log = ws.answerLog.set.feedback
      var kept: [Int] = [], other: [Int] = []
      let home = ws.pretrained ?? current
      for (a, answer) in zip(log.anchors, log.answers) where current[a] == g || home[a] == g {
        switch answer {
        case .positive(let h) where h == g: kept.append(a)
        case .negative: other.append(a)
        default: break
        }
      }
      do { edit = try PartitionEdit.split(ws.z, cluster: g, kept: kept, other: other) } catch let error as CoreError {
        throw args.error(error.message + " (\(kept.count) answered it, \(other.count) answered none)", at: by,
                         help: "'split \(g)' splits it by k-means")
      }
    }
    try ws.apply(edit, seed: seed)
    let now = ws.current ?? []
    let made = [g] + edit.addedClasses(from: c)
    context.say("split \(label) into " + made.map { p in "\(p) (\(now.filter { $0 == p }.count))" }.joined(separator: ", ")
      + ": \(ws.clusterCount) clusters")
    if case .split(_, _, let claimed) = edit, !claimed.isEmpty {
      context.note("(the \(claimed.count) samples answered none now answer \(c), the part they made)")
    }
    PartitionReport.sizes(context)
    return nil
  }
}
