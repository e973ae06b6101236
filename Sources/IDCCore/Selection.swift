/// A way of choosing which samples to ask about: IDC's value mining and its ablations, and the
/// strategies of the active-learning field it is compared with (docs/method.md §11).
///
/// A strategy receives what it may use — the features, the neighbour graph, the current head
/// and assignment, the samples already asked, the round and a seed (``SelectionInput``) — and
/// returns its picks in order with a per-pick explanation (``Selection``). Every strategy is
/// one file in IDCCore with its formula, cost and citation, registered once in
/// ``SelectionStrategies/all``; `select`, `sweep`, `rounds`, `plot compare`, help, completion
/// and the README reference learn it from there. The question format, the simulated user and
/// the training are the same for all, so that only the selection differs.
///
/// Contract: the picks are distinct, none is in `input.asked`, there are exactly `count` of
/// them, and the same input and seed give the same picks.
public protocol SelectionStrategy: Sendable {
  /// The word typed after `strategy=`.
  var name: String { get }
  /// Picks `count` samples. Long work polls `monitor` and throws ``Interrupted`` with the
  /// picks made so far (a ``Selection``) when cancelled.
  func select(_ count: Int, from input: SelectionInput, monitor: WorkMonitor) throws -> Selection
}

/// What a strategy may use. Callers fill in what the strategy's descriptor says it needs
/// (``StrategyDescriptor/needs``); the rest may be left empty.
public struct SelectionInput: Sendable {
  /// Unit-norm features `z`, N × D.
  public var features: Matrix
  /// The K-nearest-neighbour graph of `z` (IDC's representativeness, ProbCover's δ).
  public var graph: NeighborGraph?
  /// Whether `graph` came from the approximate search (its recall below 1): strategies that
  /// derive exact structures from it (ProbCover's δ-balls) say so.
  public var graphIsApproximate = false
  /// IDC's hardness of every sample under the current model (Eq. 2 against the centres of the
  /// first round, or the head's margin in later rounds: ``InteractionRounds/Hardness``).
  public var hardness: [Float]?
  /// The current cluster head; in the first round, the head fitted to the pre-trained assignment.
  public var head: ClusterHead?
  /// The current assignment (the pre-trained one in the first round).
  public var assignment: [Int]
  /// C, the number of clusters.
  public var clusterCount: Int
  /// Samples asked before: never picked again, and counted as labelled by the strategies that
  /// look at the labelled set (TypiClust, ProbCover, Coreset).
  public var asked: Set<Int>
  /// 0 in the first round.
  public var round: Int
  public var seed: Int

  public init(features: Matrix, graph: NeighborGraph? = nil, hardness: [Float]? = nil, head: ClusterHead? = nil,
              assignment: [Int], clusterCount: Int, asked: Set<Int> = [], round: Int = 0, seed: Int = 0) {
    self.features = features
    self.graph = graph
    self.hardness = hardness
    self.head = head
    self.assignment = assignment
    self.clusterCount = clusterCount
    self.asked = asked
    self.round = round
    self.seed = seed
  }

  /// Checks the budget against the samples not asked yet.
  public func validate(count: Int) throws {
    let available = features.rows - asked.count
    guard count >= 1 else { throw CoreError("m must be at least 1, got \(count)") }
    guard count <= available else {
      throw CoreError("m = \(count) exceeds the number of samples available (\(available)); choose m ≤ \(available)")
    }
    guard assignment.count == features.rows else {
      throw CoreError("the assignment has \(assignment.count) entries but the features have \(features.rows) rows")
    }
  }

  /// The graph, or an error naming the strategy that needs it.
  public func requireGraph(_ strategy: String) throws -> NeighborGraph {
    guard let graph, graph.count == features.rows else { throw CoreError("\(strategy) needs the K-nearest-neighbour graph of the features") }
    return graph
  }

  /// The head, or an error naming the strategy that needs it.
  public func requireHead(_ strategy: String) throws -> ClusterHead {
    guard let head else { throw CoreError("\(strategy) needs a cluster head (the current model)") }
    guard head.inputDimension == features.columns else {
      throw CoreError("the head takes \(head.inputDimension) dimensions but the features have \(features.columns)")
    }
    return head
  }

  /// A flag per sample: true for the samples asked before.
  func askedFlags() -> [Bool] {
    var taken = [Bool](repeating: false, count: features.rows)
    for i in asked where i >= 0 && i < features.rows { taken[i] = true }
    return taken
  }
}

/// The outcome of a selection: the picks in order, each pick's utility when it was picked, and
/// the terms that explain it.
public struct Selection: Sendable, Equatable {
  /// The strategy's name (`typiclust`, `hard+rep+div`, …).
  public let strategy: String
  public let indices: [Int]
  /// The strategy's utility of each pick when it was picked (IDC: `v = h + r + d`; TypiClust:
  /// typicality; ProbCover: newly covered samples; …). For `random`, IDC's full value, for reference.
  public let values: [Float]
  /// Names of the explanation columns, e.g. `["h", "r", "d", "v"]`.
  public let terms: [String]
  /// One row of `terms.count` numbers per pick.
  public let explanations: [[Double]]
  /// Facts about the whole selection (ProbCover's δ and coverage, TypiClust's clusters, …).
  public let note: String

  public init(strategy: String, indices: [Int], values: [Float], terms: [String] = [], explanations: [[Double]] = [],
              note: String = "") {
    self.strategy = strategy
    self.indices = indices
    self.values = values
    self.terms = terms
    self.explanations = explanations.count == indices.count ? explanations : []
    self.note = note
  }

  /// The first `count` picks (what an interrupted selection keeps).
  public func prefix(_ count: Int) -> Selection {
    Selection(strategy: strategy, indices: Array(indices.prefix(count)), values: Array(values.prefix(count)), terms: terms,
              explanations: Array(explanations.prefix(count)), note: note)
  }
}

/// Parameters some strategies take; the others ignore them.
public struct StrategyOptions: Sendable, Equatable {
  /// IDC's term weights `w_h`, `w_r`, `w_d`.
  public var hardnessWeight: Float = 1
  public var representativenessWeight: Float = 1
  public var diversityWeight: Float = 1
  /// ProbCover's ball radius δ; nil chooses it by k-means purity ≥ 0.95.
  public var delta: Double?
  /// The Gaussian kernel width σ of MaxHerding.
  public var sigma: Double = 1
  public init() {}
}

/// A registered strategy: its name, what it is, what it needs, and how to make it.
public struct StrategyDescriptor: Sendable {
  /// What a strategy reads from ``SelectionInput``; callers compute only these.
  ///
  /// `graph`: the K-NN graph; `hardness`: IDC's hardness (from the centres: no graph);
  /// `head`: the current head, in the first round the head fitted to the pre-trained assignment;
  /// `trainedHead`: a head only once one has been trained (later rounds), none in the first.
  public enum Need: Sendable, Hashable { case graph, hardness, head, trainedHead }

  public let name: String
  /// One line for help: what it picks, and its citation.
  public let summary: String
  public let needs: Set<Need>
  /// Part of IDC's own ablation (Table 3 of the paper) rather than the wider field.
  public let isPaperAblation: Bool
  public let make: @Sendable (StrategyOptions) -> any SelectionStrategy

  public init(name: String, summary: String, needs: Set<Need>, isPaperAblation: Bool = false,
              make: @escaping @Sendable (StrategyOptions) -> any SelectionStrategy) {
    self.name = name
    self.summary = summary
    self.needs = needs
    self.isPaperAblation = isPaperAblation
    self.make = make
  }
}

/// Picks and the per-pick explanation being built: shared bookkeeping of the strategies.
struct PickLog {
  var indices: [Int] = []
  var values: [Float] = []
  var explanations: [[Double]] = []

  mutating func add(_ i: Int, value: Float, _ terms: [Double]) {
    indices.append(i)
    values.append(value)
    explanations.append(terms)
  }

  func selection(_ name: String, terms: [String], note: String = "") -> Selection {
    Selection(strategy: name, indices: indices, values: values, terms: terms, explanations: explanations, note: note)
  }

  /// Polls the monitor after a pick; throws ``Interrupted`` with the picks so far.
  func step(_ name: String, of count: Int, terms: [String], note: String = "", monitor: WorkMonitor) throws {
    if monitor.step("select", indices.count, of: count) {
      throw Interrupted("selection", partial: selection(name, terms: terms, note: note),
                        progress: .init(indices.count, of: count, "picks"))
    }
  }
}

/// The `count` available samples with the largest `utility` (ties to the lowest index), best
/// first: the top-M rule of the uncertainty strategies.
func topUtility(_ utility: [Double], count: Int, taken: [Bool]) -> [Int] {
  var order = (0..<utility.count).filter { !taken[$0] }
  order.sort { utility[$0] > utility[$1] || (utility[$0] == utility[$1] && $0 < $1) }
  return Array(order.prefix(count))
}

/// The two largest entries of row `i` of `p` and the index of the largest.
public func topTwo(_ p: Matrix, row i: Int) -> (first: Float, second: Float, argmax: Int) {
  let c = p.columns
  var first = -Float.infinity, second = -Float.infinity, arg = 0
  for j in 0..<c {
    let v = p.storage[i * c + j]
    if v > first { second = first; first = v; arg = j } else if v > second { second = v }
  }
  return (first, c == 1 ? first : second, arg)
}
