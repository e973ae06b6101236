import Testing
import Foundation
@testable import IDCCore

@Suite struct SelectionTests {
  func setup() throws -> (Matrix, ValueScores) {
    let (x, _) = blobs(k: 4, perCluster: 50, dimension: 8, spread: 0.7, seed: 9)
    let km = try KMeans(k: 4, nInit: 2).fit(x)
    let (scores, _) = try ValueScores.compute(x, centers: km.centers, neighbors: 5)
    return (x, scores)
  }

  @Test func theoremOneFromTheSecondPick() throws {
    let (x, scores) = try setup()
    for strategy in [ValueTerms.hard, .rep, .hardRep, .hardRepDiv] {
      let s = try ValueSelector(count: 60, terms: strategy).select(x, scores: scores)
      #expect(Set(s.indices).count == 60)
      for j in 1..<(s.values.count - 1) { #expect(s.values[j] >= s.values[j + 1], "\(strategy) pick \(j)") }
    }
  }

  /// The lazy greedy takes the picks of Algorithm 1 as written: after every pick, every
  /// remaining value recomputed and the largest taken (ties to the lowest index).
  @Test func lazyGreedyPicksWhatAFullRescanPicks() throws {
    let (x, _) = blobs(k: 6, perCluster: 300, dimension: 12, spread: 0.9, seed: 4)
    let z = x.l2NormalizedRows()
    let km = try KMeans(k: 6, nInit: 1).fit(z)
    let (scores, _) = try ValueScores.compute(z, centers: km.centers, neighbors: 10)
    let excluded: Set<Int> = [3, 77, 500, 1201]
    for weight: Float in [1, 0.3, 4] {
      let lazy = try ValueSelector(count: 150, diversityWeight: weight).select(z, scores: scores, excluding: excluded)
      // The reference: Eq. 4 recomputed for every remaining sample at every step.
      var picks: [Int] = []
      for _ in 0..<150 {
        var best = -1
        var bestValue = -Float.infinity
        for i in 0..<z.rows where !excluded.contains(i) && !picks.contains(i) {
          var d: Float = 0
          if !picks.isEmpty {
            d = .infinity
            for p in picks {
              var dot: Float = 0
              for c in 0..<z.columns { dot += z[i, c] * z[p, c] }
              d = min(d, logf(max(1 - dot, 0) + Float(ValueScores.epsilon)))
            }
          }
          let v = scores.hardness[i] + scores.representativeness[i] + weight * d
          if best < 0 || v > bestValue { best = i; bestValue = v }
        }
        picks.append(best)
      }
      #expect(lazy.indices == picks, "diversity weight \(weight)")
    }
  }

  @Test func hardPicksTheLargestHardnessFirstWithTiesToLowestIndex() throws {
    let x = Matrix([[1, 0], [0, 1], [0.7071068, 0.7071068], [0.7071068, 0.7071068]])
    let centers = Matrix([[1, 0], [0, 1]])
    let (h, _) = ValueScores.hardness(x, centers: centers)
    let scores = ValueScores(hardness: h, representativeness: [0, 0, 0, 0], nearestCenter: [0, 1, 0, 0])
    let s = try ValueSelector(count: 2, terms: .hard).select(x, scores: scores)
    #expect(s.indices == [2, 3])
  }

  /// The SGEMM-screened hardness returns the bits of the all-`Double` scan: on blobs with
  /// many centres, and where centres tie or differ by less than a `Float` rounding
  /// (duplicated centres, a centre nudged by 1e-7), which the screen must keep as candidates.
  @Test func screenedHardnessEqualsTheExhaustiveScan() throws {
    let (x, _) = blobs(k: 12, perCluster: 150, dimension: 48, spread: 1.2, seed: 21)
    let z = x.l2NormalizedRows()
    let km = try KMeans(k: 40, nInit: 1).fit(z)
    var centers = km.centers.rows(Array(0..<40) + [3, 7])   // two exact duplicates
    var nudged = centers.row(11)
    nudged[0] += 1e-7
    centers = Matrix(rows: centers.rows + 1, columns: centers.columns, storage: centers.storage + nudged)
    for c in [centers, km.centers.rows([0, 1, 2]), km.centers.rows([5, 5, 5, 6])] {
      let screened = ValueScores.hardness(z, centers: c)
      let exhaustive = ValueScores.hardnessExhaustive(z, centers: c)
      #expect(screened.hardness == exhaustive.hardness, "\(c.rows) centres")
      #expect(screened.nearest == exhaustive.nearest, "\(c.rows) centres")
    }
    // Rows sitting exactly between two centres: the tie goes to the lower index either way.
    let between = Matrix([[0.7071068, 0.7071068, 0], [1, 0, 0], [0, 0, 1]])
    let axes = Matrix([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]])
    #expect(ValueScores.hardness(between, centers: axes).nearest == ValueScores.hardnessExhaustive(between, centers: axes).nearest)
    #expect(ValueScores.hardness(between, centers: axes).hardness == ValueScores.hardnessExhaustive(between, centers: axes).hardness)
  }

  @Test func diversityPushesAwayFromDuplicates() throws {
    // Sample 1 duplicates sample 0: after picking 0, 1 has d = log(ε) and must not come next.
    let x = Matrix([[1, 0], [1, 0], [0, 1], [0.6, 0.8]])
    let scores = ValueScores(hardness: [0, -0.01, -1, -2], representativeness: [0, 0, 0, 0], nearestCenter: [0, 0, 1, 1])
    let full = try ValueSelector(count: 2, terms: .hardRepDiv).select(x, scores: scores)
    #expect(full.indices == [0, 2])
    let noDiv = try ValueSelector(count: 2, terms: .hardRep).select(x, scores: scores)
    #expect(noDiv.indices == [0, 1])
  }

  @Test func randomIsSeededAndDistinct() throws {
    let (x, scores) = try setup()
    let a = try ValueSelector(count: 30, terms: .random, seed: 3).select(x, scores: scores)
    let b = try ValueSelector(count: 30, terms: .random, seed: 3).select(x, scores: scores)
    let c = try ValueSelector(count: 30, terms: .random, seed: 4).select(x, scores: scores)
    #expect(a == b)
    #expect(a.indices != c.indices)
    #expect(Set(a.indices).count == 30)
  }

  @Test func impossibleM() throws {
    let (x, scores) = try setup()
    #expect(throws: CoreError("m = 201 exceeds the number of samples available (200); choose m ≤ 200")) {
      try ValueSelector(count: 201).select(x, scores: scores)
    }
    #expect(throws: CoreError("m must be at least 1, got 0")) { try ValueSelector(count: 0).select(x, scores: scores) }
  }

  @Test func excludedSamplesAreNeverPicked() throws {
    let (x, scores) = try setup()
    let first = try ValueSelector(count: 10).select(x, scores: scores)
    let next = try ValueSelector(count: 10).select(x, scores: scores, excluding: Set(first.indices))
    #expect(Set(first.indices).isDisjoint(with: next.indices))
  }

  @Test func centresOfAnAssignmentAreNormalisedMeans() throws {
    let x = Matrix([[1, 0], [0, 1], [0, 1]])
    let c = try centersOfAssignment(x, assignment: [0, 1, 1])
    #expect(c == Matrix([[1, 0], [0, 1]]))
    #expect(throws: CoreError("assignment has 2 entries but there are 3 samples")) {
      try centersOfAssignment(x, assignment: [0, 1])
    }
  }
}
