/// Must-link constraints closed into groups, and cannot-links lifted to them
/// (the preprocessing of ``CopKMeans``; Wagstaff et al. 2001).
///
/// Only samples named by some constraint form groups; every other sample is
/// free. Groups are ordered by their smallest member.
struct ConstraintGroups: Sendable {
  /// Members of each constrained group, ascending.
  var members: [[Int]]
  /// For each group, the groups it is cannot-linked with.
  var conflicts: [[Int]]
  /// A sample cannot-linked with a member of its own must-link group, if any.
  var selfConflict: Int?

  init(sampleCount: Int, constraints: PairwiseConstraints) {
    var parent: [Int: Int] = [:]
    func find(_ x: Int) -> Int {
      var root = x
      while let p = parent[root], p != root { root = p }
      var node = x
      while let p = parent[node], p != root { parent[node] = root; node = p }
      return root
    }
    func touch(_ x: Int) { if parent[x] == nil { parent[x] = x } }
    for pair in constraints.mustLink {
      touch(pair.first)
      touch(pair.second)
      let a = find(pair.first), b = find(pair.second)
      if a != b { parent[max(a, b)] = min(a, b) }
    }
    for pair in constraints.cannotLink {
      touch(pair.first)
      touch(pair.second)
    }
    var byRoot: [Int: [Int]] = [:]
    for x in parent.keys { byRoot[find(x), default: []].append(x) }
    members = byRoot.values.map { $0.sorted() }.sorted { $0[0] < $1[0] }
    var groupOf: [Int: Int] = [:]
    for (g, list) in members.enumerated() { for x in list { groupOf[x] = g } }
    var conflictSets = [Set<Int>](repeating: [], count: members.count)
    selfConflict = nil
    for pair in constraints.cannotLink {
      let a = groupOf[pair.first]!, b = groupOf[pair.second]!
      if a == b {
        let sample = max(pair.first, pair.second)
        selfConflict = min(selfConflict ?? sample, sample)
        continue
      }
      conflictSets[a].insert(b)
      conflictSets[b].insert(a)
    }
    conflicts = conflictSets.map { $0.sorted() }
  }
}
