import IDCCore
import IDCLang

/// The person's own partition: `merge`, `split` and new clusters from answers change the
/// clusters everything in the session refers to (``PartitionEdit``). One edit carries the whole
/// session over — the pre-trained clustering and its centres, the current clustering, every
/// head (the ones fitted to the pre-trained clustering and every trained model, by surgery that
/// keeps the kept clusters' weights), every answer and query, the audit, the names and the
/// snapshots `plot quality` draws — and keeps what was there before for `undo`.
extension Workspace {
  /// Everything an edit changes, as it was before it.
  struct PartitionState {
    var pretrained: [Int]?, pretrainedCenters: Matrix?, pretrainedSource: String
    var current: [Int]?, currentSource: String
    var previous: (assignment: [Int], source: String, model: WorkspaceValue?)?
    var scores: ValueScores?, queryReference: (assignment: [Int], centers: Matrix, source: String)?
    var initialHeads: [String: HeadTrainingResult]
    var named: [String: WorkspaceValue], latest: [ValueKind: WorkspaceValue]
    var answerLog: AnswerLog, auditLog: AnswerLog
    var clusterNames: [Int: String]
    var snapshots: [Snapshot]
    var edit: PartitionEdit
    /// The names right after the edit: names given later are carried back by `undo`.
    var namesAfter: [Int: String] = [:]
  }

  var partitionState: PartitionState {
    PartitionState(pretrained: pretrained, pretrainedCenters: pretrainedCenters, pretrainedSource: pretrainedSource,
                   current: current, currentSource: currentSource, previous: previous, scores: scores,
                   queryReference: queryReference, initialHeads: initialHeads, named: named, latest: latest,
                   answerLog: answerLog, auditLog: auditLog, clusterNames: clusterNames, snapshots: snapshots,
                   edit: .merge([]))
  }

  /// The number of clusters of the session's partition.
  public var clusterCount: Int { pretrainedCenters?.rows ?? 0 }

  /// Applies `edit` to the whole session (see the extension's documentation); `seed` seeds the
  /// head surgery. Returns what the person should be told: renumbered clusters, sizes.
  @discardableResult
  public func apply(_ edit: PartitionEdit, seed: Int, monitor: WorkMonitor = .silent) throws -> [String] {
    let (reference, _) = try requirePretrained()
    let c = clusterCount
    try edit.validate(classCount: c)
    var saved = partitionState
    saved.edit = edit
    let after = edit.classCount(after: c)
    let map = edit.classMap(from: c)

    func head(_ h: ClusterHead) throws -> ClusterHead {
      guard h.classCount == c, h.inputDimension == z.columns else { return h }
      return try edit.apply(to: h, z: z, seed: seed)
    }
    func model(_ value: WorkspaceValue) throws -> WorkspaceValue {
      switch value {
      case .model(var m):
        guard m.result.head.classCount == c else { return value }
        m.result.head = try head(m.result.head)
        m.result.assignment = m.result.head.predict(z)
        m.metrics = try data?.labels.map { try ClusteringMetrics.evaluate(truth: $0, prediction: m.result.assignment) }
        return .model(m)
      case .feedback(var set):
        set.queries = remap(set.queries, edit, c)
        set.feedback = edit.remap(set.feedback, z: z, classCount: c)
        return .feedback(set)
      default:
        return value
      }
    }

    let newReference = try edit.relabel(reference, z: z, classCount: c)
    let newCenters = try centersOfAssignment(z, assignment: newReference, clusterCount: after)
    var newInitial: [String: HeadTrainingResult] = [:]
    for (key, var fitted) in initialHeads {
      fitted.head = try head(fitted.head)
      fitted.assignment = fitted.head.predict(z)
      newInitial[key] = fitted
    }
    var newLatest: [ValueKind: WorkspaceValue] = [:]
    for (kind, value) in latest { newLatest[kind] = try model(value) }
    var newNamed: [String: WorkspaceValue] = [:]
    for (name, value) in named { newNamed[name] = try model(value) }
    // The current clustering: the latest model's, when it is the current one; else relabelled.
    var newCurrent = try current.map { try edit.relabel($0, z: z, classCount: c) }
    if case .model(let before)? = latest[.model], before.result.assignment == current, case .model(let m)? = newLatest[.model] {
      newCurrent = m.result.assignment
    }
    let newPrevious = try previous.map { (try edit.relabel($0.assignment, z: z, classCount: c), $0.source, WorkspaceValue?.none) }
    let newSnapshots = try snapshots.map {
      Snapshot(label: $0.label, answers: $0.answers, assignment: try edit.relabel($0.assignment, z: z, classCount: c))
    }

    // Names follow their clusters; a merged cluster keeps the kept one's name, else the first.
    var names: [Int: String] = [:]
    for g in (0..<c).sorted() {
      guard let name = clusterNames[g] else { continue }
      if names[map[g]] == nil { names[map[g]] = name }
    }

    // Commit (nothing above changed the session).
    pretrained = newReference
    pretrainedCenters = newCenters
    pretrainedSource += " + " + edit.summary
    current = newCurrent
    currentSource += " + " + edit.summary
    previous = newPrevious
    scores = nil
    queryReference = nil
    initialHeads = newInitial
    latest = newLatest
    named = newNamed
    answerLog = answerLog.remapped(edit, z: z, classCount: c)
    auditLog = auditLog.remapped(edit, z: z, classCount: c)
    clusterNames = names
    snapshots = newSnapshots
    saved.namesAfter = names
    partitionHistory.append(saved)

    var lines: [String] = []
    if case .merge(let clusters) = edit {
      let moved = (0..<c).filter { map[$0] != $0 && !clusters.contains($0) }
      if !moved.isEmpty {
        lines.append("renumbered: " + moved.map { "\($0) → \(map[$0])" }.joined(separator: ", "))
      }
    }
    return lines
  }

  /// Takes back the latest partition edit. Refused once answers were given after it (they
  /// name the edited clusters).
  public func undoPartitionEdit() throws -> PartitionEdit {
    guard let saved = partitionHistory.last else {
      throw CommandError("nothing to undo: no merge, split or new cluster in this session (since the last 'kmeans' or 'load')")
    }
    guard saved.answerLog.count == answerLog.count, saved.auditLog.count == auditLog.count,
          saved.answerLog.batches == answerLog.batches, saved.auditLog.batches == auditLog.batches
    else {
      throw CommandError("answers were given after '\(saved.edit.summary)': undoing it would leave them naming clusters that are gone",
                         help: "change the partition with 'merge' or 'split' instead (a new cluster folds back with 'merge')")
    }
    partitionHistory.removeLast()
    // Names given after the edit go back to the cluster they name (the kept one of a merge);
    // a cluster the edit made has no cluster to go back to.
    var names = saved.clusterNames
    let map = saved.edit.classMap(from: saved.pretrainedCenters?.rows ?? 0)
    for (g, name) in clusterNames where saved.namesAfter[g] != name {
      if let before = map.indices.first(where: { map[$0] == g }) { names[before] = name }
    }
    pretrained = saved.pretrained
    pretrainedCenters = saved.pretrainedCenters
    pretrainedSource = saved.pretrainedSource
    current = saved.current
    currentSource = saved.currentSource
    previous = saved.previous
    scores = saved.scores
    queryReference = saved.queryReference
    initialHeads = saved.initialHeads
    named = saved.named
    latest = saved.latest
    answerLog = saved.answerLog
    auditLog = saved.auditLog
    clusterNames = names
    snapshots = saved.snapshots
    return saved.edit
  }
}

/// Queries after an edit: candidates renumbered (a merge can make two candidates one).
func remap(_ queries: [Query], _ edit: PartitionEdit, _ c: Int) -> [Query] {
  queries.map { Query(anchor: $0.anchor, candidates: edit.remap(clusters: $0.candidates, classCount: c), representatives: []) }
}

extension AnswerLog {
  /// The log after a partition edit: every answer and query in the clusters after it.
  func remapped(_ edit: PartitionEdit, z: Matrix, classCount c: Int) -> AnswerLog {
    var out = AnswerLog()
    let set = self.set
    out.record(FeedbackSet(queries: remap(set.queries, edit, c), feedback: edit.remap(set.feedback, z: z, classCount: c), source: set.source),
               batches: batches)
    return out
  }
}
