import IDCCore
import IDCLang

/// `sweep`: the experiment grid — select → oracle → train → eval over budgets,
/// strategies, loss sets and seeds (Table 3, Table 4, Fig. 4 of the paper).
enum SweepCommand: IDCCommand {
  static let m: Parameter<[Int]> = .ints("m", in: 1...10_000_000, default: [ValueSelector.defaults.count], help: "budgets M")
  static let strategies: Parameter<[StrategyName]> = .choices("strategies", default: [.full],
                                                              help: "selection strategies (see 'help select')")
  static let losses: Parameter<[LossSet]> = .choices("losses", default: [.all], help: "loss sets, each like pos+neg+reg or pos")
  static let seeds: Parameter<[Int]> = .ints("seeds", default: [0], help: "seeds (k-means, training, random selection)")
  static let t: Parameter<Int> = .int("t", in: 1...1000, default: QueryBuilder.defaults.candidates, help: "candidates per query")
  static let k: Parameter<Int?> = .int("k", in: 1...100_000, help: "clusters (default: the number of classes)")
  static let recipe = CommonParameters.recipe
  static let epochs: Parameter<Int> = .int("epochs", in: 0...100_000, default: HeadTrainer.defaults.epochs, help: "finetuning epochs")
  static let nInit: Parameter<Int> = .int("n_init", in: 1...1000, default: KMeans.defaults.nInit, help: "k-means restarts per seed")
  static let noise: Parameter<Double> = .double("noise", in: 0...1, default: Oracle.defaults.noise, help: "oracle noise")
  static let baselines: Parameter<Bool> = .bool("baselines", default: false, help: "also report none, dagger and cop-kmeans")
  static let rounds: Parameter<[Int]> = .ints("rounds", in: 1...1000, default: [1],
                                              help: "rounds to spend each budget in (1: the paper; see 'rounds')")
  static let hardness: Parameter<InteractionRounds.Hardness> = .choice(
    "hardness", default: .margin, help: "hardness after the first round when rounds > 1: margin (the head's softmax) or distance")

  static let spec = CommandSpec(
    name: "sweep",
    abstract: "Run select → oracle → train → eval over a grid of budgets × strategies × loss sets × seeds; prints mean ± std.",
    discussion: "Each seed re-runs k-means (seeded) as the pre-trained model. With baselines=true the table also has none, dagger (†) and cop-kmeans. Ctrl-C keeps the rows finished so far.",
    parameters: specs(m, strategies, losses, seeds, t, k, epochs, recipe, nInit, noise, baselines, rounds, hardness),
    examples: ["table = sweep m=[50, 100, 200] strategies=[hard+rep+div, random] seeds=[0, 1, 2]",
               "sweep m=[500] losses=[pos, neg, reg, pos+neg+reg]", "sweep m=[500] strategies=[hard+rep+div, random] rounds=[1, 2, 5]"],
    resultKind: .table)
  static let transcript = Transcript.recorded
  static let howToMake: String? = "run 'sweep' first"

  static func run(_ args: BoundArguments, _ context: CommandContext) throws -> WorkspaceValue? {
    let ws = context.workspace
    let data = try ws.requireData()
    let labels = try ws.requireLabels()
    let k = args[Self.k] ?? Set(labels).count
    guard k <= ws.z.rows else { throw args.error("k = \(k) exceeds the number of samples (\(ws.z.rows))", at: Self.k) }
    if let m = args[Self.m].first(where: { $0 > ws.z.rows }) {
      throw args.error("m = \(m) exceeds the number of samples (\(ws.z.rows))", at: Self.m)
    }
    if let r = args[rounds].first(where: { r in args[Self.m].contains { r > $0 } }) {
      throw args.error("rounds = \(r) cannot split a budget of \(args[Self.m].min() ?? 0); choose rounds ≤ m", at: rounds)
    }
    var trainer = args[recipe].trainer
    trainer.epochs = args[epochs]
    var oracle = Oracle.defaults
    oracle.noise = args[noise]
    var kmeans = KMeans.defaults
    kmeans.k = k
    kmeans.nInit = args[nInit]
    var grid = ExperimentGrid(
      budgets: args[m], strategies: args[strategies].map(\.rawValue), lossSets: args[losses].map(\.losses), seeds: args[seeds],
      candidates: args[t], oracle: oracle, kmeans: kmeans, trainer: trainer, baselines: args[baselines])
    grid.roundCounts = args[rounds]
    grid.roundHardness = args[hardness]
    let say = context.sinks.diagnostics
    let table = try grid.run(ws.z, labels: labels, monitor: context.monitor) { row in
      say("  \(row.method) seed \(row.seed) m \(row.budget) \(row.strategy) \(row.losses)\(row.rounds > 1 ? " rounds \(row.rounds)" : "")\(row.variant.isEmpty ? "" : " (\(row.variant))"): \(row.metrics)\n")
    }
    context.result(textTable(table),
                   caption: "sweep on \(data.name) (T = \(grid.candidates), \(grid.seeds.count) seed\(grid.seeds.count == 1 ? "" : "s"), mean ± std, %):")
    return .table(table)
  }

  /// The rows finished before Ctrl-C: a smaller table.
  static func partialResult(of interruption: Interrupted, _ args: BoundArguments, _ context: CommandContext) -> PartialResult? {
    guard let table = interruption.partial as? ExperimentTable, !table.rows.isEmpty else { return nil }
    return PartialResult(.table(table), progress: interruption.progress)
  }

  /// The summary as an aligned text table.
  static func render(_ table: ExperimentTable) -> String { textTable(table).aligned }

  /// The summary, one row per method, budget, strategy and loss set: mean ± std over seeds.
  /// With rounds other than 1 (or a variant), a `rounds` column after `losses`.
  static func textTable(_ table: ExperimentTable) -> TextTable {
    let showRounds = table.rows.contains { $0.rounds != 1 || !$0.variant.isEmpty }
    let header = ["method", "M", "strategy", "losses"] + (showRounds ? ["rounds"] : []) + ["ACC", "NMI", "ARI"]
    return TextTable(header: header, rows: table.summaries().map { s in
      func cell(_ m: Double, _ sd: Double) -> String { "\(percent(m)) ± \(percent(sd))" }
      let rounds = s.method == "idc" ? String(s.rounds) + (s.variant.isEmpty ? "" : " (\(s.variant))") : ""
      return [s.method, String(s.budget), s.strategy, s.losses] + (showRounds ? [rounds] : [])
        + [cell(s.mean.accuracy, s.std.accuracy), cell(s.mean.nmi, s.std.nmi), cell(s.mean.ari, s.std.ari)]
    })
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
