/// Interaction in rounds (beyond the paper; docs/method.md §10): the budget M is spent in R
/// rounds of about M/R queries, each round selecting from the model the previous rounds made.
///
/// Round r (0-based) with the simulated user:
/// 1. hardness — round 0 from the pre-trained centres (the paper); later rounds from the
///    current model: `distance`, the paper's `h_i = log(1 − z_i·c_{g1} + z_i·c_{g2} + ε)` with
///    the centres of the current assignment's clusters (unit mean features), or `margin`,
///    `h_i = log(1 − p_(1) + p_(2) + ε)` from the head's two largest softmax probabilities
///    (margin sampling, Scheffer et al. 2001; Settles 2009, §3.1);
/// 2. selection of `m_r` samples by `strategy` (any of ``SelectionStrategies/all``; IDC's is
///    Algorithm 1 with that hardness), never one asked before;
/// 3. queries with the T nearest centres of the current clustering, answered by the oracle
///    against the current assignment;
/// 4. finetuning **continued** from the current head on **all** answers so far.
///
/// With R = 1 it is exactly the paper's one round (the sweep's `idc` row): same seeds, same
/// selection, same queries, same training.
public struct InteractionRounds: Sendable {
  /// Where later rounds take hardness from.
  public enum Hardness: String, CaseIterable, Sendable {
    case distance, margin
  }

  public var budget: Int
  public var rounds: Int
  /// A name from ``SelectionStrategies/all``.
  public var strategy: String
  public var options: StrategyOptions
  public var candidates: Int
  public var hardness: Hardness
  public var oracle: Oracle
  public var trainer: HeadTrainer
  /// Seed of the random strategy and of each round's training shuffles (round r uses a
  /// stream derived from it for r > 0; round 0 uses it as is).
  public var seed: Int

  public init(budget: Int, rounds: Int = 1, strategy: String = ValueTerms.hardRepDiv.rawValue,
              options: StrategyOptions = StrategyOptions(),
              candidates: Int = QueryBuilder.defaults.candidates, hardness: Hardness = .distance,
              oracle: Oracle = Oracle(), trainer: HeadTrainer = .defaults, seed: Int = 0) {
    self.budget = budget
    self.rounds = rounds
    self.strategy = strategy
    self.options = options
    self.candidates = candidates
    self.hardness = hardness
    self.oracle = oracle
    self.trainer = trainer
    self.seed = seed
  }

  /// One round: the samples asked, their queries and answers, and the model after it.
  public struct Round: Sendable {
    public var selection: Selection
    public var queries: [Query]
    public var feedback: Feedback
    public var result: HeadTrainingResult
    /// Partition edits of this round, in order: merges before the selection (in the numbering
    /// before them, `feedback` in the numbering after), then the new clusters the answers made.
    public var edits: [PartitionEdit] = []
  }

  /// The budget of each round: M split as evenly as possible, the first rounds one larger.
  public var budgets: [Int] {
    (0..<rounds).map { budget / rounds + ($0 < budget % rounds ? 1 : 0) }
  }

  /// The seed of round `r`'s random choices.
  func roundSeed(_ r: Int) -> Int {
    guard r > 0 else { return seed }
    var generator = SeededGenerator(seed: seed).derived(100 + r)
    return Int(truncatingIfNeeded: generator.next() >> 1)
  }

  public func validate(samples: Int) throws {
    guard rounds >= 1 else { throw CoreError("rounds must be at least 1, got \(rounds)") }
    guard budget >= rounds else { throw CoreError("m = \(budget) cannot be split into \(rounds) rounds; choose rounds ≤ m") }
    guard budget <= samples else { throw CoreError("m = \(budget) exceeds the number of samples (\(samples)); choose m ≤ \(samples)") }
    guard SelectionStrategies.named(strategy) != nil else {
      throw CoreError("no selection strategy named '\(strategy)'; one of \(SelectionStrategies.names.joined(separator: ", "))")
    }
  }

  /// Runs the rounds on unit-norm features `z` from the pre-trained clustering and the head
  /// fitted to it. `graph` gives representativeness.
  /// `roundDone` is told each finished round; Ctrl-C throws ``Interrupted`` whose `partial` is
  /// the rounds finished.
  public func run(_ z: Matrix, labels: [Int], pretrained: (assignment: [Int], centers: Matrix), graph: NeighborGraph,
                  initial: ClusterHead, excluded: Set<Int> = [], graphIsApproximate: Bool = false, monitor: WorkMonitor = .silent,
                  roundDone: (Int, Round) throws -> Void = { _, _ in }) throws -> [Round] {
    try run(z, pretrained: pretrained, graph: graph, initial: initial, excluded: excluded,
            graphIsApproximate: graphIsApproximate, monitor: monitor, roundDone: roundDone) { r, queries, assignment in
      var o = oracle
      o.seed = roundSeed(r)
      return try o.answer(queries, labels: labels, assignment: assignment)
    }
  }

  /// The same rounds with the answers coming from `answer(round, queries, assignment)` — the
  /// simulated user above, or a person (`rounds by=ask`). An answer set shorter than the
  /// queries (the person stopped) ends the rounds after that round's training. A positive
  /// answer naming a cluster past the last one starts a new cluster (numbered in order from the
  /// cluster count; ``PartitionEdit/newCluster(_:anchors:)``).
  public func run(_ z: Matrix, pretrained: (assignment: [Int], centers: Matrix), graph: NeighborGraph,
                  initial: ClusterHead, excluded: Set<Int> = [], graphIsApproximate: Bool = false, monitor: WorkMonitor = .silent,
                  roundDone: (Int, Round) throws -> Void = { _, _ in },
                  answer: (Int, [Query], [Int]) throws -> Feedback) throws -> [Round] {
    try rounds(z, pretrained: pretrained, graph: graph, initial: initial, excluded: excluded, graphIsApproximate: graphIsApproximate,
               monitor: monitor, roundDone: roundDone, answer: { r, queries, assignment, _ in try answer(r, queries, assignment) },
               merges: { _, _, _, _ in [] })
  }

  /// The rounds with a simulated person who has their own criterion (``CriterionOracle``): its
  /// new clusters and merges change the partition between rounds, each merge paid for with one
  /// answer of the next round's budget.
  public func run(_ z: Matrix, person: CriterionOracle, pretrained: (assignment: [Int], centers: Matrix), graph: NeighborGraph,
                  initial: ClusterHead, excluded: Set<Int> = [], graphIsApproximate: Bool = false, monitor: WorkMonitor = .silent,
                  roundDone: (Int, Round) throws -> Void = { _, _ in }) throws -> [Round] {
    var person = person
    return try rounds(z, pretrained: pretrained, graph: graph, initial: initial, excluded: excluded,
                      graphIsApproximate: graphIsApproximate, monitor: monitor, roundDone: roundDone,
                      answer: { r, queries, assignment, classes in
                        try person.answer(queries, assignment: assignment, classCount: classes, seed: roundSeed(r))
                      },
                      merges: { assignment, classes, all, limit in
                        person.merges(assignment: assignment, classCount: classes, answers: all, limit: limit)
                      },
                      follow: { person.follow($0) })
  }

  func rounds(_ z: Matrix, pretrained: (assignment: [Int], centers: Matrix), graph: NeighborGraph,
              initial: ClusterHead, excluded: Set<Int>, graphIsApproximate: Bool, monitor: WorkMonitor,
              roundDone: (Int, Round) throws -> Void,
              answer: (Int, [Query], [Int], Int) throws -> Feedback,
              merges: ([Int], Int, Feedback, Int) -> [[Int]],
              follow: ([Int]) -> Void = { _ in }) throws -> [Round] {
    try validate(samples: z.rows)
    var classes = pretrained.centers.rows
    try QueryBuilder(candidates: candidates).validate(clusterCount: classes)
    let selector = SelectionStrategies.named(strategy)!.make(options)
    var head = initial
    var assignment = pretrained.assignment
    var centers = pretrained.centers
    var asked = excluded  // held-out samples (an audit) are never picked
    var all = Feedback()
    var done: [Round] = []
    for (r, budget) in budgets.enumerated() {
      var m = budget
      var edits: [PartitionEdit] = []
      // Merges the answers so far call for, one at a time (each renumbers), one answer each.
      if r > 0 {
        while m > 1, let group = merges(assignment, classes, all, 1).first {
          let edit = PartitionEdit.merge(group)
          try edit.validate(classCount: classes)
          follow(edit.classMap(from: classes))
          all = edit.remap(all, z: z, classCount: classes)
          head = try edit.apply(to: head, z: z, seed: roundSeed(r))
          assignment = try edit.relabel(assignment, z: z, classCount: classes)
          classes = edit.classCount(after: classes)
          centers = try centersOfAssignment(z, assignment: assignment, clusterCount: classes)
          edits.append(edit)
          m -= 1
        }
      }
      let h: [Float]
      if r > 0 && hardness == .margin {
        h = ValueScores.marginHardness(head.topTwo(z))
      } else {
        h = ValueScores.hardness(z, centers: centers).hardness
      }
      var input = SelectionInput(features: z, graph: graph, hardness: h, head: head, assignment: assignment,
                                 clusterCount: classes, asked: asked, round: r, seed: roundSeed(r))
      input.graphIsApproximate = graphIsApproximate
      let selection = try selector.select(m, from: input, monitor: monitor)
      let queries = try QueryBuilder(candidates: min(candidates, classes), examples: 1)
        .build(z, centers: centers, anchors: selection.indices, assignment: assignment)
      let feedback = try answer(r, queries, assignment, classes)
      if feedback.anchors.isEmpty { break }  // the person stopped before answering: nothing to train on
      asked.formUnion(selection.indices)
      // New clusters the answers started, in number order.
      var started: [Int: [Int]] = [:]
      for (a, reply) in zip(feedback.anchors, feedback.answers) {
        if case .positive(let g) = reply, g >= classes { started[g, default: []].append(a) }
      }
      for g in started.keys.sorted() {
        guard g == classes else { throw CoreError("an answer names cluster \(g), but the next new cluster is \(classes)") }
        let edit = try PartitionEdit.newCluster(z, anchors: started[g]!)
        head = try edit.apply(to: head, z: z, seed: roundSeed(r))
        assignment = head.predict(z)
        classes += 1
        edits.append(edit)
      }
      all.anchors += feedback.anchors
      all.answers += feedback.answers
      var t = trainer
      t.seed = roundSeed(r)
      let result: HeadTrainingResult
      do {
        result = try t.finetune(head: head, features: z, feedback: all, monitor: monitor)
      } catch is Interrupted {
        throw Interrupted("rounds", partial: done, progress: .init(r, of: rounds, "rounds"))
      }
      head = result.head
      assignment = result.assignment
      centers = try centersOfAssignment(z, assignment: assignment, clusterCount: classes)
      let round = Round(selection: selection, queries: queries, feedback: feedback, result: result, edits: edits)
      done.append(round)
      try roundDone(r, round)
      if feedback.anchors.count < queries.count { break }  // the person stopped answering
      if monitor.step("rounds", r + 1, of: rounds) {
        throw Interrupted("rounds", partial: done, progress: .init(r + 1, of: rounds, "rounds"))
      }
    }
    return done
  }
}

extension ValueScores {
  /// Hardness from a model's probabilities: `h_i = log(1 − p_(1) + p_(2) + ε)`, near 0 when
  /// the two most probable clusters tie (a border), very negative when the model is sure.
  /// The analogue of Eq. 2 with the head's softmax in place of cosine similarities.
  public static func marginHardness(_ probabilities: Matrix) -> [Float] {
    (0..<probabilities.rows).map { i in
      let t = topTwo(probabilities, row: i)
      return Float(_log(Double(max(1 - t.first + t.second, 0)) + epsilon))
    }
  }

  /// ``marginHardness(_:)`` from each row's two largest probabilities (``ClusterHead/topTwo(_:blockRows:)``),
  /// the same values without the `N × C` probability matrix.
  public static func marginHardness(_ top: ClusterHead.TopTwo) -> [Float] {
    zip(top.first, top.second).map { first, second in Float(_log(Double(max(1 - first + second, 0)) + epsilon)) }
  }
}
