import Testing
@testable import IDCCore

@Suite struct NearestNeighborsTests {
  @Test(arguments: [16, 37, 1000]) func matchesBruteForce(blockSize: Int) throws {
    let (x, _) = blobs(k: 4, perCluster: 40, dimension: 8, spread: 0.6, seed: 3)
    let graph = try NearestNeighbors(k: 7, blockSize: blockSize).search(x)
    let expected = bruteForceNeighbors(x, k: 7)
    for i in 0..<x.rows {
      #expect(graph.neighbors(of: i).map(Int.init) == expected[i], "row \(i)")
      #expect(!graph.neighbors(of: i).contains(Int32(i)))
    }
    // Distances ascending and consistent.
    for i in 0..<x.rows {
      let d = Array(graph.distances(of: i))
      #expect(d == d.sorted())
    }
  }

  @Test func duplicateRowsAreZeroDistanceNeighborsButNotSelf() throws {
    let x = Matrix([[1, 0], [1, 0], [1, 0], [0, 1], [0.6, 0.8]])
    let g = try NearestNeighbors(k: 2, blockSize: 16).search(x)
    #expect(Array(g.neighbors(of: 0)) == [1, 2])
    #expect(Array(g.neighbors(of: 1)) == [0, 2])
    #expect(Array(g.distances(of: 0)) == [0, 0])
  }

  @Test func impossibleK() {
    let x = Matrix([[1, 0], [0, 1], [1, 1]])
    #expect(throws: CoreError("K must be smaller than the number of samples (3), got 3")) {
      try NearestNeighbors(k: 3).search(x)
    }
    #expect(throws: CoreError("K must be at least 1, got 0")) { try NearestNeighbors(k: 0).search(x) }
  }
}
