import IDCCore
import IDCLang

/// The person's own partition: `merge`, `split` and new clusters from answers change the
/// clusters everything in the session refers to (``PartitionEdit``). One edit carries the whole
/// session over — the pre-trained clustering and its centres, the current clustering, every
/// head (the ones fitted to the pre-trained clustering and every trained model, by surgery that
/// keeps the kept clusters' weights), every answer and query, the audit, the names and the
/// snapshots `plot quality` draws — and keeps what was there before for `undo`.
extension Workspace {
  /// The part of the session an edit changes: what `undo` restores, and what `apply` commits.
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
  }

  /// The session before an edit, with the edit and the names right after it (names given later
  /// are carried back by `undo`).
  struct PartitionHistoryEntry {
    var before: PartitionState
    var edit: PartitionEdit
    var namesAfter: [Int: String]
  }

  var partitionState: PartitionState {
    get {
      PartitionState(pretrained: pretrained, pretrainedCenters: pretrainedCenters, pretrainedSource: pretrainedSource,
                     current: current, currentSource: currentSource, previous: previous, scores: scores,
                     queryReference: queryReference, initialHeads: initialHeads, named: named, latest: latest,
                     answerLog: answerLog, auditLog: auditLog, clusterNames: clusterNames, snapshots: snapshots)
    }
    set {
      pretrained = newValue.pretrained
      pretrainedCenters = newValue.pretrainedCenters
      pretrainedSource = newValue.pretrainedSource
      current = newValue.current
      currentSource = newValue.currentSource
      previous = newValue.previous
      scores = newValue.scores
      queryReference = newValue.queryReference
      initialHeads = newValue.initialHeads
      named = newValue.named
      latest = newValue.latest
      answerLog = newValue.answerLog
      auditLog = newValue.auditLog
      clusterNames = newValue.clusterNames
      snapshots = newValue.snapshots
    }
  }

  /// The number of clusters of the session's partition.
  public var clusterCount: Int { pretrainedCenters?.rows ?? 0 }

  /// Applies `edit` to the whole session (see the extension's documentation); `seed` seeds the
  /// head surgery. Returns what the person should be told: renumbered clusters.
  @discardableResult
  public func apply(_ edit: PartitionEdit, seed: Int) throws -> [String] {
    let (reference, _) = try requirePretrained()
    let c = clusterCount
    try edit.validate(classCount: c)
    let before = partitionState
    var next = before
    let map = edit.classMap(from: c)

    // Head surgery once per distinct head (a model is often both the latest and a named value).
    var operated: [(before: ClusterHead, after: ClusterHead, assignment: [Int])] = []
    func head(_ h: ClusterHead) throws -> (ClusterHead, [Int])? {
      guard h.classCount == c, h.inputDimension == z.columns else { return nil }
      if let done = operated.first(where: { $0.before == h }) { return (done.after, done.assignment) }
      let after = try edit.apply(to: h, z: z, seed: seed)
      let assignment = after.predict(z)
      operated.append((h, after, assignment))
      return (after, assignment)
    }
    func value(_ value: WorkspaceValue) throws -> WorkspaceValue {
      switch value {
      case .model(var m):
        guard let (h, assignment) = try head(m.result.head) else { return value }
        m.result.head = h
        m.result.assignment = assignment
        m.metrics = try data?.labels.map { try ClusteringMetrics.evaluate(truth: $0, prediction: assignment) }
        return .model(m)
      case .feedback(var set):
        set.queries = remap(set.queries, edit, c)
        set.feedback = edit.remap(set.feedback, z: z, classCount: c)
        return .feedback(set)
      default:
        return value
      }
    }
    func relabel(_ assignment: [Int]) throws -> [Int] { try edit.relabel(assignment, z: z, classCount: c) }

    next.pretrained = try relabel(reference)
    next.pretrainedCenters = try centersOfAssignment(z, assignment: next.pretrained!, clusterCount: edit.classCount(after: c))
    next.pretrainedSource += " + " + edit.summary
    next.initialHeads = try initialHeads.mapValues { fitted in
      guard let (h, assignment) = try head(fitted.head) else { return fitted }
      var out = fitted
      out.head = h
      out.assignment = assignment
      return out
    }
    next.latest = try latest.mapValues(value)
    next.named = try named.mapValues(value)
    // The current clustering: the latest model's, when it is the current one; else relabelled.
    next.current = try current.map(relabel)
    if case .model(let model)? = latest[.model], model.result.assignment == current, case .model(let m)? = next.latest[.model] {
      next.current = m.result.assignment
    }
    next.currentSource += " + " + edit.summary
    next.previous = try previous.map { (try relabel($0.assignment), $0.source, WorkspaceValue?.none) }
    next.scores = nil
    next.queryReference = nil
    next.answerLog = answerLog.remapped(edit, z: z, classCount: c)
    next.auditLog = auditLog.remapped(edit, z: z, classCount: c)
    next.snapshots = try snapshots.map { Snapshot(label: $0.label, answers: $0.answers, assignment: try relabel($0.assignment)) }
    // Names follow their clusters; a merged cluster keeps the kept one's name, else the first.
    next.clusterNames = [:]
    for g in 0..<c {
      if let name = clusterNames[g], next.clusterNames[map[g]] == nil { next.clusterNames[map[g]] = name }
    }

    partitionState = next  // nothing above changed the session
    partitionHistory.append(PartitionHistoryEntry(before: before, edit: edit, namesAfter: next.clusterNames))

    guard case .merge(let clusters) = edit else { return [] }
    let moved = (0..<c).filter { map[$0] != $0 && !clusters.contains($0) }
    return moved.isEmpty ? [] : ["renumbered: " + moved.map { "\($0) → \(map[$0])" }.joined(separator: ", ")]
  }

  /// Takes back the latest partition edit. Refused once answers were given after it (they
  /// name the edited clusters).
  public func undoPartitionEdit() throws -> PartitionEdit {
    guard let entry = partitionHistory.last else {
      throw CommandError("nothing to undo: no merge, split or new cluster in this session (since the last 'kmeans' or 'load')")
    }
    let saved = entry.before
    guard saved.answerLog.count == answerLog.count, saved.auditLog.count == auditLog.count,
          saved.answerLog.batches == answerLog.batches, saved.auditLog.batches == auditLog.batches
    else {
      throw CommandError("answers were given after '\(entry.edit.summary)': undoing it would leave them naming clusters that are gone",
                         help: "change the partition with 'merge' or 'split' instead (a new cluster folds back with 'merge')")
    }
    partitionHistory.removeLast()
    // Names given after the edit go back to the cluster they name (the kept one of a merge);
    // a cluster the edit made has no cluster to go back to.
    var restored = saved
    let map = entry.edit.classMap(from: saved.pretrainedCenters?.rows ?? 0)
    for (g, name) in clusterNames where entry.namesAfter[g] != name {
      if let old = map.indices.first(where: { map[$0] == g }) { restored.clusterNames[old] = name }
    }
    partitionState = restored
    return entry.edit
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
