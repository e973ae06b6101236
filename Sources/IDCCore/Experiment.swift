/// One cell of an experiment table: a method's metrics for one seed, budget,
/// selection strategy and loss set.
public struct ExperimentRow: Sendable, Equatable {
  /// `none` (pre-trained), `dagger` (†: answered samples corrected),
  /// `cop-kmeans` (answers as constraints) or `idc` (finetuned head).
  public var method: String
  public var seed: Int
  public var budget: Int
  public var strategy: String
  /// Enabled losses joined by `+` (`pos+neg+reg`); empty for baselines.
  public var losses: String
  public var metrics: ClusteringMetrics
  public var positives: Int
  public var negatives: Int
  /// Extra facts (e.g. Cop-Kmeans infeasibility) for people.
  public var note: String
  /// Rounds the budget was spent in (1: the paper).
  public var rounds: Int = 1
  /// Beyond-the-paper settings of the rounds (`margin`), empty for the paper's.
  public var variant: String = ""

  public init(method: String, seed: Int, budget: Int, strategy: String, losses: String,
              metrics: ClusteringMetrics, positives: Int = 0, negatives: Int = 0, note: String = "") {
    self.method = method
    self.seed = seed
    self.budget = budget
    self.strategy = strategy
    self.losses = losses
    self.metrics = metrics
    self.positives = positives
    self.negatives = negatives
    self.note = note
  }
}

/// The rows of an experiment and their mean ± std over seeds.
public struct ExperimentTable: Sendable, Equatable {
  public var rows: [ExperimentRow]
  public init(rows: [ExperimentRow] = []) { self.rows = rows }

  /// A group of rows that differ only by seed.
  public struct Summary: Sendable, Equatable {
    public var method: String
    public var budget: Int
    public var strategy: String
    public var losses: String
    public var rounds: Int
    public var variant: String
    public var seeds: Int
    /// Mean and population standard deviation of ACC, NMI, ARI (fractions).
    public var mean: ClusteringMetrics
    public var std: ClusteringMetrics
  }

  /// Rows grouped by (method, budget, strategy, losses) in first-seen order.
  public func summaries() -> [Summary] {
    var order: [String] = []
    var groups: [String: [ExperimentRow]] = [:]
    for r in rows {
      let key = "\(r.method)|\(r.budget)|\(r.strategy)|\(r.losses)|\(r.rounds)|\(r.variant)"
      if groups[key] == nil { order.append(key) }
      groups[key, default: []].append(r)
    }
    return order.map { key in
      let g = groups[key]!
      func stats(_ f: (ClusteringMetrics) -> Double) -> (Double, Double) {
        let xs = g.map { f($0.metrics) }
        let m = xs.reduce(0, +) / Double(xs.count)
        let v = xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count)
        return (m, v.squareRoot())
      }
      let a = stats(\.accuracy), n = stats(\.nmi), r = stats(\.ari)
      return Summary(method: g[0].method, budget: g[0].budget, strategy: g[0].strategy, losses: g[0].losses,
                     rounds: g[0].rounds, variant: g[0].variant, seeds: g.count, mean: ClusteringMetrics(accuracy: a.0, nmi: n.0, ari: r.0),
                     std: ClusteringMetrics(accuracy: a.1, nmi: n.1, ari: r.1))
    }
  }
}

/// The select → answer (oracle) → train → evaluate loop of IDC over a grid of
/// budgets × strategies × loss sets × seeds, with the paper's baselines
/// (Liu et al. 2024, Table 3 / Table 4 / Fig. 4).
///
/// Per seed: spherical k-means (the pre-trained model, `kmeans.seed = seed`),
/// hardness from its centres, the head fitted to its assignment once; then
/// for every budget and strategy a selection (random uses the seed), queries
/// with `candidates` nearest centres, matching-oracle answers, and a
/// finetuning per loss set from the same initial head. Representativeness
/// comes from one exact K-NN search shared by all seeds.
public struct ExperimentGrid: Sendable {
  public var budgets: [Int]
  /// Names from ``SelectionStrategies/all``.
  public var strategies: [String]
  /// Parameters of the strategies that take some (ProbCover's δ, MaxHerding's σ, IDC's weights).
  public var strategyOptions = StrategyOptions()
  public var lossSets: [Set<HeadTrainer.Loss>]
  public var seeds: [Int]
  public var candidates: Int
  public var neighbors: Int
  public var oracle: Oracle
  public var kmeans: KMeans
  public var trainer: HeadTrainer
  /// Also report `none`, `dagger` and `cop-kmeans` (for the full strategy's answers).
  public var baselines: Bool
  /// Rounds to spend each budget in (``InteractionRounds``); `[1]` is the paper.
  public var roundCounts: [Int] = [1]
  /// Hardness after the first round, for rounds > 1 (beyond the paper).
  public var roundHardness: InteractionRounds.Hardness = .distance

  public init(budgets: [Int], strategies: [String] = [ValueTerms.hardRepDiv.rawValue],
              lossSets: [Set<HeadTrainer.Loss>] = [Set(HeadTrainer.Loss.allCases)], seeds: [Int] = [0],
              candidates: Int = QueryBuilder.defaults.candidates, neighbors: Int = NearestNeighbors.defaults.k, oracle: Oracle = Oracle(), kmeans: KMeans,
              trainer: HeadTrainer = HeadTrainer(), baselines: Bool = false) {
    self.budgets = budgets
    self.strategies = strategies
    self.lossSets = lossSets
    self.seeds = seeds
    self.candidates = candidates
    self.neighbors = neighbors
    self.oracle = oracle
    self.kmeans = kmeans
    self.trainer = trainer
    self.baselines = baselines
  }

  /// The beyond-the-paper settings a rounds row ran with: `margin`, or empty.
  func variantName(rounds: Int) -> String {
    rounds > 1 && roundHardness == .margin ? "margin" : ""
  }

  /// Canonical spelling of a loss set (`pos+neg+reg` order).
  public static func name(of losses: Set<HeadTrainer.Loss>) -> String {
    HeadTrainer.Loss.allCases.filter { losses.contains($0) }.map(\.rawValue).joined(separator: "+")
  }

  /// Runs the grid on unit-norm features `z` with ground truth `labels`.
  /// `progress` is told each finished row (for live tables).
  public func run(_ z: Matrix, labels: [Int], monitor: WorkMonitor = .silent,
                  rowDone: (ExperimentRow) -> Void = { _ in }) throws -> ExperimentTable {
    guard labels.count == z.rows else {
      throw CoreError("labels have \(labels.count) entries but the features have \(z.rows) rows")
    }
    guard !budgets.isEmpty, !seeds.isEmpty, !strategies.isEmpty, !lossSets.isEmpty else {
      throw CoreError("the grid is empty: give at least one budget, strategy, loss set and seed")
    }
    for m in budgets where m < 1 || m > z.rows {
      throw CoreError("m = \(m) is impossible with \(z.rows) samples; choose 1 ≤ m ≤ \(z.rows)")
    }
    for m in budgets { for r in roundCounts where r < 1 || r > m {
      throw CoreError("rounds = \(r) is impossible with m = \(m); choose 1 ≤ rounds ≤ m")
    } }
    if let bad = strategies.first(where: { SelectionStrategies.named($0) == nil }) {
      throw CoreError("no selection strategy named '\(bad)'; one of \(SelectionStrategies.names.joined(separator: ", "))")
    }
    try kmeans.validate(rows: z.rows)
    try QueryBuilder(candidates: candidates).validate(clusterCount: kmeans.k)
    let graph = try NearestNeighbors(k: neighbors).search(z, monitor: monitor)
    var table = ExperimentTable()
    func add(_ row: ExperimentRow) { table.rows.append(row); rowDone(row) }
    let cells = seeds.count * budgets.count * strategies.count * lossSets.count * roundCounts.count
    var done = 0

    for seed in seeds {
      var km = kmeans
      km.seed = seed
      let pre = try km.fit(z, monitor: monitor)
      let h = ValueScores.hardness(z, centers: pre.centers).hardness
      var t = trainer
      t.seed = seed
      let initial = try t.fitInitial(features: z, assignment: pre.assignment, classCount: kmeans.k, monitor: monitor)
      let baseMetrics = try ClusteringMetrics.evaluate(truth: labels, prediction: pre.assignment)
      if baselines {
        for m in budgets {
          add(ExperimentRow(method: "none", seed: seed, budget: m, strategy: "", losses: "", metrics: baseMetrics))
        }
      }
      let builder = QueryBuilder(candidates: candidates, examples: 1)
      let reps = builder.representatives(z, centers: pre.centers, assignment: pre.assignment).map { $0.first ?? 0 }
      for m in budgets {
        for strategy in strategies {
          let input = SelectionInput(features: z, graph: graph, hardness: h, head: initial.head, assignment: pre.assignment,
                                     clusterCount: kmeans.k, seed: seed)
          // The first round's answers, only when a one-round row or a baseline uses them.
          let oneRound = roundCounts.contains(1) || (baselines && strategy == strategies.first)
          var feedback = Feedback()
          if oneRound {
            let selection = try SelectionStrategies.named(strategy)!.make(strategyOptions).select(m, from: input, monitor: monitor)
            let queries = try builder.build(z, centers: pre.centers, anchors: selection.indices, assignment: pre.assignment)
            var o = oracle
            o.seed = seed
            feedback = try o.answer(queries, labels: labels, assignment: pre.assignment)
          }
          let pos = feedback.positiveCount, neg = feedback.negativeCount
          if baselines && strategy == strategies.first {
            let dagger = correctedAssignment(pre.assignment, feedback: feedback)
            add(ExperimentRow(method: "dagger", seed: seed, budget: m, strategy: strategy, losses: "",
                              metrics: try ClusteringMetrics.evaluate(truth: labels, prediction: dagger),
                              positives: pos, negatives: neg))
            let constraints = try PairwiseConstraints(feedback: feedback, representatives: reps)
            let cop = try CopKMeans(seed: seed).fit(z, initialCenters: pre.centers, constraints: constraints, monitor: monitor)
            add(ExperimentRow(method: "cop-kmeans", seed: seed, budget: m, strategy: strategy, losses: "",
                              metrics: try ClusteringMetrics.evaluate(truth: labels, prediction: cop.assignment),
                              positives: pos, negatives: neg,
                              note: cop.isFeasible ? "" : "infeasible at sample \(cop.infeasibleSample!)"))
          }
          for losses in lossSets {
            for roundCount in roundCounts {
              var ft = t
              ft.losses = losses
              var row: ExperimentRow
              if roundCount == 1 {
                // The paper's one round (identical to InteractionRounds with r = 1, without re-running it).
                let result = try ft.finetune(head: initial.head, features: z, feedback: feedback, monitor: monitor)
                row = ExperimentRow(method: "idc", seed: seed, budget: m, strategy: strategy,
                                    losses: ExperimentGrid.name(of: losses),
                                    metrics: try ClusteringMetrics.evaluate(truth: labels, prediction: result.assignment),
                                    positives: pos, negatives: neg)
              } else {
                var o = oracle
                o.seed = seed
                let plan = InteractionRounds(budget: m, rounds: roundCount, strategy: strategy, options: strategyOptions,
                                             candidates: candidates,
                                             hardness: roundHardness, oracle: o, trainer: ft, seed: seed)
                let rounds = try plan.run(z, labels: labels, pretrained: (pre.assignment, pre.centers), graph: graph,
                                          initial: initial.head, monitor: monitor)
                let all = rounds.reduce(into: Feedback()) { $0.anchors += $1.feedback.anchors; $0.answers += $1.feedback.answers }
                row = ExperimentRow(method: "idc", seed: seed, budget: m, strategy: strategy,
                                    losses: ExperimentGrid.name(of: losses),
                                    metrics: try ClusteringMetrics.evaluate(truth: labels, prediction: rounds.last!.result.assignment),
                                    positives: all.positiveCount, negatives: all.negativeCount)
                row.variant = variantName(rounds: roundCount)
              }
              row.rounds = roundCount
              add(row)
              done += 1
              if monitor.step("sweep", done, of: cells) { throw Interrupted("sweep", partial: table, progress: .init(done, of: cells, "runs")) }
            }
          }
        }
      }
    }
    return table
  }
}
