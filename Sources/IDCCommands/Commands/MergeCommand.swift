import IDCCore
import IDCLang

/// `merge`: clusters that are one thing to the person become one (``PartitionEdit/merge(_:)``).
/// The smallest number stays; the numbers above each removed one move down (printed). Every head
/// keeps all its weights — the merged clusters' units are grouped, so nothing is refitted; a
/// sample of another cluster joins the merged one only when their probabilities together
/// outweigh its own cluster's. Answers, names, the audit and every model follow. Recorded
/// (`save` → `source`, `recover`); `undo` takes it back.
enum MergeCommand: IDCCommand {
  static let clusters: Parameter<[Int]> = Parameter(
    ParameterSpec("clusters", .list(of: .int(range: 0...1_000_000)), required: true,
                  help: "two or more clusters, as queries and 'show clusters' number them")
  ) { $0?.listValue.map { $0.compactMap(\.intValue) } ?? [] }

  static let spec = CommandSpec(
    name: "merge",
    abstract: "Merge clusters that are one thing to you (merge 3 7): the smallest number stays, every model follows.",
    discussion: """
      The merged cluster keeps the smallest number; clusters numbered above a removed one move down by one \
      (the new numbers are printed). Heads are not refitted: a merged cluster's probability is the sum of \
      its parts', so a sample of another cluster joins it only when the parts together outweigh its own cluster. Answers, names, the audit and every model follow; \
      'undo' takes the merge back. 'show clusters' suggests merges after answers.
      """,
    positionals: specs(clusters),
    examples: ["merge 3 7", "merge 0 4 9", "undo"])
  static let transcript = Transcript.recorded
  static let howToMake: String? = nil

  static func partialResult(of interruption: Interrupted, _ args: BoundArguments, _ context: CommandContext) -> PartialResult? { nil }

  static func run(_ args: BoundArguments, _ context: CommandContext) throws -> WorkspaceValue? {
    let ws = context.workspace
    _ = try ws.requirePretrained()
    let list = args[clusters]
    let c = ws.clusterCount
    if let bad = list.first(where: { $0 >= c }) {
      throw args.error("there is no cluster \(bad): the clusters are 0 to \(c - 1)", at: clusters)
    }
    guard list.count >= 2 else { throw args.error("name two or more clusters to merge", at: clusters, help: "merge 3 7") }
    guard Set(list).count == list.count else { throw args.error("a cluster is named twice", at: clusters) }
    let label = list.sorted().map(ws.clusterLabel).joined(separator: " + ")
    let lines = try ws.apply(.merge(list), seed: context.seed(nil))
    context.say("merged \(label) into \(ws.clusterLabel(list.min()!)): \(ws.clusterCount) clusters")
    lines.forEach(context.say)
    PartitionReport.sizes(context)
    return nil
  }
}

/// What `merge`, `split` and new clusters print after the change.
enum PartitionReport {
  /// The current clustering's metrics against the labels (when there are labels) and audit.
  static func sizes(_ context: CommandContext) {
    let ws = context.workspace
    guard let current = ws.current else { return }
    var line = "current: \(ws.currentSource)"
    if let labels = ws.data?.labels, let m = try? ClusteringMetrics.evaluate(truth: labels, prediction: current) { line += " — \(m)" }
    if let audit = ws.auditEstimate(of: current) { line += "; audit: \(audit)" }
    context.note(line)
  }
}
