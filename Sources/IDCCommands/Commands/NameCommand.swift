import IDCCore
import IDCLang

/// `name`: the person's name for a cluster (`name 3 "sneakers"`), shown wherever the cluster
/// is — query sheets and text queries, `show clusters`, answers, the t-SNE map's legend.
/// Names belong to the pre-trained clustering's clusters (the index space every model and
/// answer shares): a new `kmeans` or `load` forgets them. Recorded, so they replay with
/// `save` → `source` and `recover`.
enum NameCommand: IDCCommand {
  static let cluster: Parameter<Int> = Parameter(
    ParameterSpec("cluster", .int(range: 0...1_000_000), required: true, help: "the cluster's number, as queries and 'show clusters' print it")
  ) { $0?.intValue ?? 0 }
  static let label: Parameter<String> = .requiredString("name", help: "its name; \"\" removes it")

  static let spec = CommandSpec(
    name: "name",
    abstract: "Name a cluster (name 3 \"sneakers\"): the name shows in queries, 'show clusters', answers and the t-SNE legend.",
    discussion: """
      Names belong to the clusters of the pre-trained clustering, which every model and answer refers to; \
      a new 'kmeans' or 'load' forgets them. 'name 3 ""' removes a name. 'show clusters' lists them.
      """,
    positionals: specs(cluster, label),
    examples: ["name 3 \"sneakers\"", "name 7 \"\"", "show clusters"])
  static let transcript = Transcript.recorded
  static let howToMake: String? = nil

  static func partialResult(of interruption: Interrupted, _ args: BoundArguments, _ context: CommandContext) -> PartialResult? { nil }

  static func run(_ args: BoundArguments, _ context: CommandContext) throws -> WorkspaceValue? {
    let ws = context.workspace
    let (_, centers) = try ws.requirePretrained()
    let g = args[cluster]
    guard g < centers.rows else {
      throw args.error("there is no cluster \(g): the clusters are 0 to \(centers.rows - 1)", at: cluster)
    }
    let text = args[label].trimmingCharacters(in: .whitespacesAndNewlines)
    guard !text.contains(where: \.isNewline) else { throw args.error("a name is one line", at: label) }
    if text.isEmpty {
      let old = ws.clusterNames.removeValue(forKey: g)
      context.say(old.map { "cluster \(g) is no longer called \"\($0)\"" } ?? "cluster \(g) had no name")
      return nil
    }
    ws.clusterNames[g] = text
    let same = ws.clusterNames.filter { $0.key != g && $0.value.lowercased() == text.lowercased() }.keys.sorted()
    context.say(ws.clusterLabel(g) + (same.isEmpty ? "" : " — the name of \(same.map { "cluster \($0)" }.joined(separator: ", ")) too"))
    return nil
  }
}
