/// A change the person makes to the partition itself (beyond the paper, whose queries assume the
/// pre-trained model already has the person's clusters; its second open problem, "aligning
/// clustering results with the user's personalized partition criterion", Liu et al. 2024, §6).
///
/// - `merge(clusters)`: the clusters are one thing to the person. The smallest number stays,
///   the others go, and the numbers above each removed one move down (clusters stay `0..<C`).
///   A head keeps every weight: the merged clusters' units are grouped, so the merged
///   cluster's probability is the sum of theirs (``ClusterHead/unitClasses``) — exact, no fit.
/// - `split(cluster, centers, claimedBy)`: the cluster is several things. Its members go to the nearest of
///   `centers` (k-means inside the cluster, ``split(_:assignment:cluster:parts:seed:)``): the
///   largest part keeps the number, the others get `C, C+1, …`.
/// - `newCluster(anchors, center)`: the person answered that these samples start a cluster no
///   existing one stands for. It gets number `C`; `center` is the anchors' mean direction, and
///   every sample closer (cosine) to it than to the centre of its own cluster joins it — the
///   Voronoi cell of one more k-means centre — with the anchors themselves.
///
/// For split and new cluster a head gains one unit per new cluster, copied from the unit of the
/// cluster it comes from; only the new units' output weights are then fitted
/// (``ClusterHead/fittingUnits(_:features:rows:targets:steps:)``), so every kept cluster
/// keeps its weights.
///
/// Cost: merge O(N); split O(N·D) plus k-means on the cluster's members; new cluster O(N·D);
/// the head fit O(steps·R·hidden·U) on R ≤ members + 2 000 rows after one forward pass.
public enum PartitionEdit: Sendable, Equatable {
  case merge([Int])
  /// `claimedBy`: samples answered "none" that make the new part (`split by=answers`); their
  /// answers then name it.
  case split(cluster: Int, centers: Matrix, claimedBy: [Int] = [])
  case newCluster(anchors: [Int], center: [Float])

  /// One line for the person.
  public var summary: String {
    switch self {
    case .merge(let c): "merge " + c.map(String.init).joined(separator: " ")
    case .split(let a, let centers, _): "split \(a) into \(centers.rows)"
    case .newCluster(let anchors, _): "new cluster from sample" + (anchors.count == 1 ? " " : "s ") + anchors.map(String.init).joined(separator: ", ")
    }
  }

  // MARK: - Making the edits

  /// A split of `cluster` (of `assignment`, unit-norm `z`) into `parts` by k-means on its
  /// members (k-means++, 10 starts, seeded), centres normalised; the largest part first.
  public static func split(_ z: Matrix, assignment: [Int], cluster: Int, parts: Int, seed: Int) throws -> PartitionEdit {
    let members = assignment.indices.filter { assignment[$0] == cluster }
    guard parts >= 2 else { throw CoreError("a split needs at least 2 parts, got \(parts)") }
    guard members.count >= parts else {
      throw CoreError("cluster \(cluster) has \(members.count) member\(members.count == 1 ? "" : "s"): too few for \(parts) parts")
    }
    let fit = try KMeans(k: parts, nInit: 10, seed: seed).fit(z.rows(members))
    var sizes = [Int](repeating: 0, count: parts)
    for g in fit.assignment { sizes[g] += 1 }
    guard sizes.allSatisfy({ $0 > 0 }) else { throw CoreError("k-means left a part of cluster \(cluster) empty") }
    let order = (0..<parts).sorted { sizes[$0] != sizes[$1] ? sizes[$0] > sizes[$1] : $0 < $1 }
    var centers = fit.centers.rows(order)
    centers.normalizeRows()
    return .split(cluster: cluster, centers: centers)
  }

  /// A split of a cluster by the answers given about its members: the samples answered for it
  /// (`kept`, which keep its number) against the samples answered "none" (`other`), each part's
  /// centre their mean direction; every member then goes to the nearer centre, and the "none"
  /// answers of `other` become answers for the new part.
  public static func split(_ z: Matrix, cluster: Int, kept: [Int], other: [Int]) throws -> PartitionEdit {
    guard !kept.isEmpty, !other.isEmpty else {
      throw CoreError("cluster \(cluster) needs answered samples both ways (some answered it, some answered none) to be split by its answers")
    }
    let centers = try meanDirection(z, kept) + meanDirection(z, other)
    return .split(cluster: cluster, centers: Matrix(rows: 2, columns: z.columns, storage: centers), claimedBy: other)
  }

  /// A new cluster started by `anchors` (the mean of their unit features, normalised).
  public static func newCluster(_ z: Matrix, anchors: [Int]) throws -> PartitionEdit {
    guard !anchors.isEmpty else { throw CoreError("a new cluster needs at least one sample") }
    return .newCluster(anchors: anchors, center: try meanDirection(z, anchors))
  }

  /// The normalised mean of rows `samples` of `z`.
  static func meanDirection(_ z: Matrix, _ samples: [Int]) throws -> [Float] {
    var mean = [Float](repeating: 0, count: z.columns)
    for a in samples {
      guard a >= 0 && a < z.rows else { throw CoreError("sample \(a) is not a sample index (0..<\(z.rows))") }
      for j in 0..<z.columns { mean[j] += z[a, j] }
    }
    let norm = mean.reduce(0) { $0 + $1 * $1 }.squareRoot()
    guard norm > 0 else { throw CoreError("the samples' features cancel out: no direction for a new cluster") }
    return mean.map { $0 / norm }
  }

  /// Checks the edit against a partition of `classCount` clusters.
  public func validate(classCount: Int) throws {
    switch self {
    case .merge(let c):
      guard Set(c).count == c.count else { throw CoreError("a cluster is named twice") }
      guard c.count >= 2 else { throw CoreError("merge needs at least two clusters") }
      if let bad = c.first(where: { $0 < 0 || $0 >= classCount }) {
        throw CoreError("there is no cluster \(bad): the clusters are 0 to \(classCount - 1)")
      }
    case .split(let a, _, _):
      guard a >= 0 && a < classCount else { throw CoreError("there is no cluster \(a): the clusters are 0 to \(classCount - 1)") }
    case .newCluster:
      break
    }
  }

  // MARK: - What it does to clusters, assignments and answers

  /// The number of clusters after the edit.
  public func classCount(after c: Int) -> Int {
    switch self {
    case .merge(let clusters): c - clusters.count + 1
    case .split(_, let centers, _): c + centers.rows - 1
    case .newCluster: c + 1
    }
  }

  /// `map[old] = new` for every cluster before the edit (merge renumbers; split and new keep
  /// every number).
  public func classMap(from c: Int) -> [Int] {
    guard case .merge(let clusters) = self else { return Array(0..<c) }
    let keep = clusters.min()!, gone = Set(clusters).subtracting([keep])
    var map = [Int](repeating: 0, count: c), next = 0
    for g in 0..<c where !gone.contains(g) { map[g] = next; next += 1 }
    for g in gone { map[g] = map[keep] }
    return map
  }

  /// The clusters a split or new cluster adds, after the edit (empty for merge).
  public func addedClasses(from c: Int) -> [Int] {
    switch self {
    case .merge: []
    case .split(_, let centers, _): Array(c..<(c + centers.rows - 1))
    case .newCluster: [c]
    }
  }

  /// `assignment` (clusters `0..<c`) after the edit. For split and new cluster the centres of
  /// `assignment`'s own clusters decide (``centersOfAssignment(_:assignment:clusterCount:)``).
  public func relabel(_ assignment: [Int], z: Matrix, classCount c: Int) throws -> [Int] {
    switch self {
    case .merge:
      let map = classMap(from: c)
      return assignment.map { map[$0] }
    case .split(let a, _, _):
      var out = assignment
      for i in assignment.indices where assignment[i] == a { out[i] = part(of: i, z: z, classCount: c) }
      return out
    case .newCluster(let anchors, let center):
      let own = try centersOfAssignment(z, assignment: assignment, clusterCount: c)
      var out = assignment
      for i in assignment.indices {
        var toNew: Float = 0, toOwn: Float = 0
        for j in 0..<z.columns { toNew += z[i, j] * center[j]; toOwn += z[i, j] * own[assignment[i], j] }
        if toNew > toOwn { out[i] = c }
      }
      for a in anchors { out[a] = c }
      return out
    }
  }

  /// The part of a split that sample `i` goes to: the cluster of the nearest centre (cosine).
  func part(of i: Int, z: Matrix, classCount c: Int) -> Int {
    guard case .split(let a, let centers, _) = self else { preconditionFailure("part(of:) of a \(summary)") }
    var best = 0, bestDot = -Float.infinity
    for p in 0..<centers.rows {
      var dot: Float = 0
      for j in 0..<z.columns { dot += z[i, j] * centers[p, j] }
      if dot > bestDot { bestDot = dot; best = p }
    }
    return best == 0 ? a : c + best - 1
  }

  /// An answer given before the edit, in the clusters after it: merged clusters become the
  /// kept one; a positive answer for a split cluster goes to the part its sample falls in, a
  /// rejection of it rejects every part, except the "none" answers that made the new part of a
  /// split by answers, which now name it. A cluster past the last (the one a new-cluster edit
  /// makes, answered before it) keeps its number.
  public func remap(_ answer: Answer, anchor: Int, z: Matrix, classCount c: Int) -> Answer {
    remap(answer, anchor: anchor, z: z, classCount: c, map: classMap(from: c))
  }

  func remap(_ answer: Answer, anchor: Int, z: Matrix, classCount c: Int, map full: [Int]) -> Answer {
    let map = { (g: Int) in g < full.count ? full[g] : g }
    switch (self, answer) {
    case (.split(_, _, let claimed), .negative) where claimed.contains(anchor):
      return .positive(cluster: c)
    case (.split(let a, _, _), .positive(let g)) where g == a:
      return .positive(cluster: part(of: anchor, z: z, classCount: c))
    case (.split(let a, _, _), .negative(let rejected)) where rejected.contains(a):
      return .negative(rejected: rejected + addedClasses(from: c))
    case (_, .positive(let g)):
      return .positive(cluster: map(g))
    case (_, .negative(let rejected)):
      var seen = Set<Int>()
      return .negative(rejected: rejected.map(map).filter { seen.insert($0).inserted })
    case (_, .skipped):
      return .skipped
    }
  }

  /// A cluster list (a query's candidates) after the edit, duplicates dropped.
  public func remap(clusters: [Int], classCount c: Int) -> [Int] {
    let map = classMap(from: c)
    var seen = Set<Int>()
    return clusters.map { $0 < map.count ? map[$0] : $0 }.filter { seen.insert($0).inserted }
  }

  /// `feedback` after the edit.
  public func remap(_ feedback: Feedback, z: Matrix, classCount c: Int) -> Feedback {
    let map = classMap(from: c)
    return Feedback(anchors: feedback.anchors,
                    answers: zip(feedback.anchors, feedback.answers).map { remap($1, anchor: $0, z: z, classCount: c, map: map) })
  }

  /// `head` (over clusters `0..<c`) after the edit: merged units grouped (exact, nothing
  /// fitted); a split or new cluster's units copied from the cluster they come from and their
  /// output weights fitted to the edit's relabelling of the head's own decisions.
  public func apply(to head: ClusterHead, z: Matrix, seed: Int) throws -> ClusterHead {
    let c = head.classCount
    guard head.inputDimension == z.columns else { throw CoreError("head expects \(head.inputDimension) features, data has \(z.columns)") }
    switch self {
    case .merge:
      return head.regrouped(classMap(from: c))
    case .split, .newCluster:
      let before = head.predict(z)
      let after = try relabel(before, z: z, classCount: c)
      let added = addedClasses(from: c)
      // Each new cluster's unit starts as a copy of the unit of the cluster most of it comes from.
      var donors: [Int] = []
      for g in added {
        var counts = [Int](repeating: 0, count: c)
        for i in after.indices where after[i] == g { counts[before[i]] += 1 }
        donors.append(counts.indices.max { counts[$0] < counts[$1] } ?? 0)
      }
      if case .split(let a, _, _) = self { donors = donors.map { _ in a } }
      var grown = head.addingClasses(donors: donors)
      // Fit on every sample that moved or shares a cluster with one that did, and a seeded
      // draw of up to 2 000 others (so the new units do not take them).
      let touched = Set(donors)
      var rows = after.indices.filter { after[$0] != before[$0] || touched.contains(before[$0]) }
      let inRows = Set(rows)
      var generator = SeededGenerator(seed: seed)
      var others = after.indices.filter { !inRows.contains($0) }
      PermutationBatches.shuffle(&others, &generator)
      rows += others.prefix(2000)
      rows.sort()
      let units = Array(head.unitCount..<grown.unitCount)
      grown = grown.fittingUnits(units, features: z, rows: rows, targets: rows.map { after[$0] })
      return grown
    }
  }
}
