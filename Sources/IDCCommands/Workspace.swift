import IDCCore
import IDCData
import IDCLang
import IDCPlot
import IDCText

/// Session options, changed with `set` and shown with `show options`.
public struct SessionOptions: Sendable {
  /// Default seed of every random step that is not given one.
  public var seed = 0
  /// Where files without a directory go (plots, journals, exports).
  public var outputDirectory = "."
  /// Print each statement before its output.
  public var echo = false
  /// Where plots without `to=` go.
  public var plotTerminal = PlotTerminal.dumb
  /// Print how long each command took.
  public var timing = false
  public init() {}
}

/// Where plots without `to=` go: text, sixel graphics, a window, or numbered files.
public enum PlotTerminal: String, Sendable, ChoiceValue {
  case dumb, sixelgd, window, png, svg
}

/// Everything a session knows: the data, the pre-trained model, scores,
/// named values and the options. One per REPL or script run.
///
/// The *pre-trained* clustering (k-means or a loaded assignment) is what
/// scores, queries and the head's initial fit refer to; the *current*
/// assignment is the latest trained model's (or the pre-trained one).
public final class Workspace: @unchecked Sendable {
  public var data: DataSet?
  /// Features with L2-normalised rows (IDC works in cosine geometry).
  public private(set) var z = Matrix(rows: 0, columns: 0)

  public var pretrained: [Int]?
  public var pretrainedSource = ""
  public var pretrainedCenters: Matrix?
  public var current: [Int]?
  public var currentSource = ""
  /// The clustering that was current before the latest change (`use previous` brings it back),
  /// with the model it came from, if any.
  public var previous: (assignment: [Int], source: String, model: WorkspaceValue?)?

  public var scores: ValueScores?
  public var scoreNeighbors = 0
  public var graph: NeighborGraph?
  /// How `graph` was searched (exact, or approximate with its audited recall).
  public var graphSearch: NeighborSearchOutcome?

  /// Every answer given in this session, for rounds of interaction (see ``AnswerLog``).
  public var answerLog = AnswerLog()
  /// Samples whose answer `feedback review` asked again (each at most once).
  public var reviewedAnchors: Set<Int> = []
  /// The audit answers (`feedback audit`): samples drawn uniformly at random, held out of
  /// training, from which every clustering's confirmed share is estimated (``Audit``).
  public var auditLog = AnswerLog()
  /// Every clustering the session adopted, in order (the pre-trained one, each `train`, each
  /// round of `rounds`), with the answers it was trained on: `plot quality` draws the audit
  /// estimate (and ACC) of each, recomputed from all audit answers.
  public var snapshots: [Snapshot] = []
  public struct Snapshot: Sendable {
    public var label: String
    public var answers: Int
    public var assignment: [Int]
  }
  /// The person's names of clusters (`name 3 "sneakers"`), by cluster index of the pre-trained
  /// clustering (the index space every model and answer shares); shown wherever a cluster is.
  public var clusterNames: [Int: String] = [:]
  /// The session before each partition edit (`merge`, `split`, a new cluster), for `undo`.
  var partitionHistory: [PartitionHistoryEntry] = []
  /// The clustering the scores (and so the queries) refer to: the pre-trained one, or the
  /// current model's after `score centers=current` / `score hardness=margin`.
  public var queryReference: (assignment: [Int], centers: Matrix, source: String)?

  /// Named values (`sel = select ...`) and the latest value of each kind.
  public var named: [String: WorkspaceValue] = [:]
  public var latest: [ValueKind: WorkspaceValue] = [:]
  public var options = SessionOptions()
  /// Heads fitted to the pre-trained assignment, by seed and width.
  var initialHeads: [String: HeadTrainingResult] = [:]
  /// The session's one gnuplot process (started on the first plot).
  public let plotSession = GnuplotSession()
  var plotCounter = 0
  /// Statements that ran successfully, in order, for `save`.
  public var transcript: [String] = []
  /// The interactive session's recovery script, if it has one.
  public var sessionLog: SessionLog?

  public init() {}

  /// Installs a data set and forgets everything derived from the previous one.
  ///
  /// `z` is read from the features in memory or, for a memory-mapped file, block by block.
  public func install(_ dataSet: DataSet) throws {
    let normalized = try dataSet.features.l2NormalizedRows()
    data = dataSet
    z = normalized
    pretrained = nil
    pretrainedCenters = nil
    pretrainedSource = ""
    current = nil
    currentSource = ""
    previous = nil
    scores = nil
    graph = nil
    graphSearch = nil
    initialHeads = [:]
    named = [:]
    latest = [:]
    answerLog = AnswerLog()
    auditLog = AnswerLog()
    reviewedAnchors = []
    snapshots = []
    queryReference = nil
    clusterNames = [:]
    partitionHistory = []
  }

  /// Sets the pre-trained clustering; derived scores and heads are dropped.
  public func setPretrained(_ assignment: [Int], centers: Matrix, source: String) {
    pretrained = assignment
    pretrainedCenters = centers
    pretrainedSource = source
    current = assignment
    currentSource = source
    previous = nil
    scores = nil
    initialHeads = [:]
    // Answers name clusters of the pre-trained model: a new one starts a new record.
    answerLog = AnswerLog()
    auditLog = AnswerLog()
    reviewedAnchors = []
    snapshots = [Snapshot(label: source, answers: 0, assignment: assignment)]
    queryReference = nil
    // Names belong to the clusters of the clustering they were given for.
    clusterNames = [:]
    partitionHistory = []
  }

  /// `cluster 3`, or `cluster 3 "sneakers"` once the person has named it.
  public func clusterLabel(_ g: Int) -> String {
    clusterNames[g].map { "cluster \(g) \"\($0)\"" } ?? "cluster \(g)"
  }

  /// Makes `assignment` the current clustering, keeping the one it replaces as ``previous``.
  public func makeCurrent(_ assignment: [Int], source: String) {
    if let current { previous = (current, currentSource, latest[.model]) }
    current = assignment
    currentSource = source
  }

  /// Every sample asked so far: training answers and audit answers.
  public var askedOrAudited: Set<Int> { answerLog.asked.union(auditLog.asked) }

  /// The audit estimate of `assignment`, when the session has audit answers.
  public func auditEstimate(of assignment: [Int]) -> Audit.Estimate? {
    guard auditLog.count > 0 else { return nil }
    let set = auditLog.set
    return Audit.estimate(queries: set.queries, answers: set.feedback.answers, assignment: assignment)
  }

  /// The clustering queries are built from: ``queryReference`` if the scores set one, else the
  /// pre-trained clustering.
  public func requireQueryReference() throws -> (assignment: [Int], centers: Matrix) {
    let (assignment, centers) = try requirePretrained()
    if let reference = queryReference { return (reference.assignment, reference.centers) }
    return (assignment, centers)
  }

  /// Stores `value` as the latest of its kind and, when given, under `name`.
  public func store(_ value: WorkspaceValue, as name: String?) {
    latest[value.kind] = value
    if let name { named[name] = value }
  }

  /// The names of values and their kinds, for validation and completion.
  public var nameKinds: [String: ValueKind] { named.mapValues(\.kind) }

  // MARK: - Requirements with helpful errors

  public func requireData() throws -> DataSet {
    guard let data else { throw CommandError("no data loaded", help: "load a data set first, e.g. 'load digits'") }
    return data
  }

  public func requireLabels() throws -> [Int] {
    let data = try requireData()
    guard let labels = data.labels else {
      throw CommandError("the data set '\(data.name)' has no labels", help: "load labels=FILE with the features")
    }
    return labels
  }

  public func requirePretrained() throws -> (assignment: [Int], centers: Matrix) {
    _ = try requireData()
    guard let pretrained, let pretrainedCenters else {
      throw CommandError("no clustering yet", help: "run 'kmeans' (or load assignment=FILE) first")
    }
    return (pretrained, pretrainedCenters)
  }

  /// The value called `name` (of `kind`), or the latest of `kind` when `name` is nil or is
  /// the kind's own name with no value bound to it (`plot tsne highlight=selection`).
  public func value(named name: String?, kind: ValueKind) throws -> WorkspaceValue {
    if let name, !(name == kind.rawValue && named[name] == nil) {
      let v = try value(named: name)
      guard v.kind == kind else { throw CommandError("'\(name)' is a \(v.kind), not a \(kind)") }
      return v
    }
    guard let v = latest[kind] else {
      throw CommandError("no \(kind) yet", help: Commands.howToMake(kind))
    }
    return v
  }

  /// The answers called `name`, every answer of the session for `all`, or the latest answers.
  public func feedbackSet(named name: String?) throws -> FeedbackSet {
    if name == "all" && named["all"] == nil {
      guard answerLog.count > 0 else { throw CommandError("no answers in this session yet", help: Commands.howToMake(.feedback)) }
      return answerLog.set
    }
    guard case .feedback(let set) = try value(named: name, kind: .feedback) else { throw CommandError("no answers") }
    return set
  }

  /// The value called `name` of any kind.
  public func value(named name: String) throws -> WorkspaceValue {
    guard let v = named[name] else {
      throw CommandError("no value named '\(name)'", help: closest(to: name, among: Array(named.keys)).map { "did you mean '\($0)'?" }
        ?? (named.isEmpty ? "nothing is named yet: bind one with 'name = command'" : "named values: " + named.keys.sorted().joined(separator: ", ")))
    }
    return v
  }
}

/// The nearest of `names` to `name` by edit distance, if close enough.
func closest(to name: String, among names: [String]) -> String? {
  EditDistance.suggestion(for: name, among: names)
}
