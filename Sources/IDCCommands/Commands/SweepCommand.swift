import IDCCore
import IDCLang

/// `sweep`: the experiment grid — select → oracle → train → eval over budgets,
/// strategies, loss sets and seeds (Table 3, Table 4, Fig. 4 of the paper).
enum SweepCommand: IDCCommand {
  static let spec = CommandSpec(
    name: "sweep",
    abstract: "Run select → oracle → train → eval over a grid of budgets × strategies × loss sets × seeds; prints mean ± std.",
    discussion: "Each seed re-runs k-means (seeded) as the pre-trained model. With baselines=true the table also has none, dagger (†) and cop-kmeans.",
    parameters: [
      ParameterSpec("m", .list(of: .int(range: 1...10_000_000)), default: .list([.int(100)]), help: "budgets M"),
      ParameterSpec("strategies", .list(of: .choice(SelectCommand.strategies)), default: .list([.string("hard+rep+div")]),
                    help: "selection strategies"),
      ParameterSpec("losses", .list(of: .string), default: .list([.string("pos+neg+reg")]),
                    help: "loss sets, each like pos+neg+reg or pos"),
      ParameterSpec("seeds", .list(of: .int(range: nil)), default: .list([.int(0)]), help: "seeds (k-means, training, random selection)"),
      .int("t", in: 1...1000, default: 5, help: "candidates per query"),
      .int("k", in: 1...100_000, help: "clusters (default: the number of classes)"),
      .int("epochs", in: 0...100_000, default: 300, help: "finetuning epochs"),
      .int("n_init", in: 1...1000, default: 10, help: "k-means restarts per seed"),
      .double("noise", in: 0...1, default: 0, help: "oracle noise"),
      .bool("baselines", default: false, help: "also report none, dagger and cop-kmeans"),
    ],
    examples: ["table = sweep m=[50, 100, 200] strategies=[hard+rep+div, random] seeds=[0, 1, 2]",
               "sweep m=[500] losses=[pos, neg, reg, pos+neg+reg]"],
    resultKind: "table")

  static func run(_ args: BoundArguments, _ context: CommandContext) throws -> WorkspaceValue? {
    let ws = context.workspace
    let data = try ws.requireData()
    let labels = try ws.requireLabels()
    let k = args.int("k") ?? Set(labels).count
    var lossSets: [Set<HeadTrainer.Loss>] = []
    for text in args.strings("losses") ?? [] {
      let parts = text.split(separator: "+").map(String.init)
      let set = Set(parts.compactMap(HeadTrainer.Loss.init(rawValue:)))
      guard set.count == parts.count, !set.isEmpty else {
        throw args.error("'\(text)' is not a loss set: join pos, neg and reg with '+'", at: "losses")
      }
      lossSets.append(set)
    }
    var trainer = HeadTrainer()
    trainer.epochs = args.int("epochs")!
    let grid = ExperimentGrid(
      budgets: args.ints("m") ?? [], strategies: (args.strings("strategies") ?? []).compactMap(SelectionStrategy.init(rawValue:)),
      lossSets: lossSets, seeds: args.ints("seeds") ?? [], candidates: args.int("t")!,
      oracle: Oracle(mode: .matching, noise: args.double("noise")!), kmeans: KMeans(k: k, nInit: args.int("n_init")!),
      trainer: trainer, baselines: args.bool("baselines")!)
    let say = context.sinks.diagnostics
    let table = try grid.run(ws.z, labels: labels, monitor: context.monitor) { row in
      say("  \(row.method) seed \(row.seed) m \(row.budget) \(row.strategy) \(row.losses): \(row.metrics)\n")
    }
    context.say("sweep on \(data.name) (T = \(grid.candidates), \(grid.seeds.count) seed\(grid.seeds.count == 1 ? "" : "s"), mean ± std, %):")
    context.say(render(table))
    return .table(table)
  }

  /// The summary as an aligned text table.
  static func render(_ table: ExperimentTable) -> String {
    var rows = [["method", "M", "strategy", "losses", "ACC", "NMI", "ARI"]]
    for s in table.summaries() {
      func cell(_ m: Double, _ sd: Double) -> String { "\(percent(m)) ± \(percent(sd))" }
      rows.append([s.method, String(s.budget), s.strategy, s.losses, cell(s.mean.accuracy, s.std.accuracy),
                   cell(s.mean.nmi, s.std.nmi), cell(s.mean.ari, s.std.ari)])
    }
    return alignedTable(rows)
  }
}

/// Left-aligned columns separated by two spaces.
func alignedTable(_ rows: [[String]]) -> String {
  let widths = (0..<(rows.first?.count ?? 0)).map { c in rows.map { $0[c].count }.max() ?? 0 }
  return rows.map { row in
    row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
      .trimmingTrailingSpaces()
  }.joined(separator: "\n")
}

extension String {
  func trimmingTrailingSpaces() -> String {
    var s = self
    while s.last == " " { s.removeLast() }
    return s
  }
}
