import Testing
@testable import IDCCore

@Suite struct KMeansTests {
  @Test func recoversSeparatedBlobs() throws {
    let (x, labels) = blobs(k: 5, perCluster: 60, dimension: 16, spread: 0.15, seed: 1)
    let r = try KMeans(k: 5, nInit: 3, seed: 0).fit(x)
    let m = try ClusteringMetrics.evaluate(truth: labels, prediction: r.assignment)
    #expect(m.accuracy == 1)
    #expect(r.converged)
    // Centres are unit vectors.
    for c in 0..<5 {
      let norm = r.centers.row(c).reduce(0) { $0 + Double($1) * Double($1) }
      #expect(abs(norm - 1) < 1e-5)
    }
    // Objective never increases over Lloyd iterations.
    for (a, b) in zip(r.iterations, r.iterations.dropFirst()) { #expect(b.objective <= a.objective + 1e-9) }
    #expect(r.restartObjectives.count == 3)
    #expect(r.objective == r.restartObjectives.min())
  }

  @Test func sameSeedSameResult() throws {
    let (x, _) = blobs(k: 4, perCluster: 50, dimension: 10, spread: 0.8, seed: 2)
    let a = try KMeans(k: 4, nInit: 2, seed: 42).fit(x)
    let b = try KMeans(k: 4, nInit: 2, seed: 42).fit(x)
    #expect(a.assignment == b.assignment)
    #expect(a.centers == b.centers)
  }

  @Test func kEqualsOneAndKEqualsN() throws {
    let (x, _) = blobs(k: 3, perCluster: 4, dimension: 5, spread: 0.5, seed: 4)
    let one = try KMeans(k: 1, nInit: 1).fit(x)
    #expect(Set(one.assignment) == [0])
    let all = try KMeans(k: x.rows, nInit: 2).fit(x)
    #expect(Set(all.assignment).count == x.rows)
    #expect(abs(all.objective) < 1e-5)
  }

  @Test func duplicateRowsDoNotBreakSeedingOrEmptyClusters() throws {
    let x = Matrix(rows: 30, columns: 3, storage: (0..<30).flatMap { i in i < 25 ? [1, 0, 0] : [0, 1, 0] as [Float] })
    let r = try KMeans(k: 3, nInit: 2).fit(x)
    #expect(r.assignment.count == 30)
    #expect(r.objective < 1e-5)
    #expect(r.centers.firstNonFinite() == nil)
  }

  @Test func impossibleParameters() {
    let x = Matrix([[1, 0], [0, 1]])
    #expect(throws: CoreError("k = 3 exceeds the number of samples (2); choose k ≤ 2")) { try KMeans(k: 3).fit(x) }
    #expect(throws: CoreError("k must be at least 1, got 0")) { try KMeans(k: 0).fit(x) }
    #expect(throws: CoreError("n_init must be at least 1, got 0")) { try KMeans(k: 1, nInit: 0).fit(x) }
    var bad = x
    bad[1, 0] = .nan
    #expect(throws: CoreError("features contain a non-finite value at row 1, column 0")) { try KMeans(k: 1).fit(bad) }
  }

  @Test func interruptCarriesTheBestSoFar() throws {
    let (x, _) = blobs(k: 3, perCluster: 30, dimension: 4, spread: 1.5, seed: 5)
    let counter = Counter()
    // Restarts are seeded ten at a time before their runs: stopped after the first ten runs
    // (seeding or running), the best finished run comes back; stopped while seeding the first
    // ten, no run has finished.
    let monitor = WorkMonitor(isCancelled: { counter.bump() > 300 })
    do {
      _ = try KMeans(k: 3, nInit: 100, seed: 0).fit(x, monitor: monitor)
      Issue.record("expected an interruption")
    } catch let e as Interrupted {
      #expect(e.partial is KMeans.Result)
    }
    let early = Counter()
    do {
      _ = try KMeans(k: 3, nInit: 100, seed: 0).fit(x, monitor: WorkMonitor(isCancelled: { early.bump() > 5 }))
      Issue.record("expected an interruption")
    } catch let e as Interrupted {
      #expect(e.partial == nil)
      #expect(e.progress?.done == 0)
    }
  }
}

final class Counter: @unchecked Sendable {
  private var n = 0
  func bump() -> Int { n += 1; return n }
}

@Suite struct KMeansOnSamplesTests {
  /// 6 000 rows in 12 blobs: a sample of 256·k = 3 072 rows is half of them.
  static let data = blobs(k: 12, perCluster: 500, dimension: 16, spread: 0.5, seed: 4)

  @Test func trainingOnASampleComesCloseToTheFullRun() throws {
    let (x, _) = Self.data
    let full = try KMeans(k: 12, nInit: 3, seed: 1).fit(x)
    let sampled = try KMeans(k: 12, nInit: 3, seed: 1, trainingRows: 256 * 12).fit(x)
    #expect(sampled.assignment.count == x.rows)
    #expect(Set(sampled.assignment).count == 12)
    #expect(sampled.objective <= full.objective * 1.005, "sample \(sampled.objective) vs full \(full.objective)")
    // The reported objective is that of every row under the returned centres and assignment.
    let z = x.l2NormalizedRows()
    let dots = BLAS.dotProducts(z, sampled.centers)
    var objective = 0.0
    for i in 0..<z.rows { objective += Double(1 - dots[i, sampled.assignment[i]]) }
    #expect(abs(objective - sampled.objective) <= 1e-3 * objective)
  }

  @Test func withoutPolishEveryRowGoesToItsNearestCentre() throws {
    let (x, _) = Self.data
    let r = try KMeans(k: 12, nInit: 1, seed: 2, swapTrials: 0, trainingRows: 1000, polishIterations: 0).fit(x)
    let dots = BLAS.dotProducts(x.l2NormalizedRows(), r.centers)
    for i in stride(from: 0, to: x.rows, by: 7) {
      let best = (0..<12).max { dots[i, $0] < dots[i, $1] }!
      #expect(dots[i, r.assignment[i]] >= dots[i, best] - 1e-6)
    }
  }

  @Test func sameSeedSameResultAndImpossibleSamples() throws {
    let (x, _) = Self.data
    let a = try KMeans(k: 12, nInit: 2, seed: 3, swapTrials: 2, trainingRows: 2000).fit(x)
    let b = try KMeans(k: 12, nInit: 2, seed: 3, swapTrials: 2, trainingRows: 2000).fit(x)
    #expect(a.assignment == b.assignment && a.objective == b.objective)
    #expect(throws: CoreError("k-means trained on 5 rows cannot find k = 12 clusters; train on at least k rows")) {
      try KMeans(k: 12, trainingRows: 5).fit(x)
    }
  }

  @Test func automaticSamplingSparesTheSharedSets() {
    #expect(KMeans.automaticTrainingRows(rows: 70_000, columns: 128, k: 10) == nil)
    #expect(KMeans.automaticTrainingRows(rows: 20_000, columns: 384, k: 20) == nil)
    #expect(KMeans.automaticTrainingRows(rows: 100_000, columns: 512, k: 200) == 51_200)
    #expect(KMeans.automaticTrainingRows(rows: 1_000_000, columns: 512, k: 1000) == 256_000)
    // Too few rows to sample from: all of them.
    #expect(KMeans.automaticTrainingRows(rows: 200_000, columns: 512, k: 1000) == nil)
  }

  /// `l2NormalizedRows` returns its input when normalising changes no entry (unit and zero
  /// rows), and normalises otherwise — also rows normalised once already, whose second
  /// normalisation may move a last bit.
  @Test func normalizingSharesOnlyWhatItWouldNotChange() {
    let fixed = Matrix([[1, 0, 0], [0, 0, 0], [0, -1, 0]])
    #expect(fixed.normalizationChangesNothing() && fixed.l2NormalizedRows() == fixed)
    let (x, _) = blobs(k: 5, perCluster: 200, dimension: 64, spread: 0.8, seed: 2)
    #expect(!x.normalizationChangesNothing())
    let z = x.l2NormalizedRows()
    var again = z
    again.normalizeRows()
    #expect(z.l2NormalizedRows() == again)
    #expect(z.normalizationChangesNothing() == (again == z))
  }
}
