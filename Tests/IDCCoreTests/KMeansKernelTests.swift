import CKernels
import IDCData
import Testing
@testable import IDCCore

/// The small Lloyd kernel (`idc_small_scores`, `idc_lloyd_rows`): its sums are exactly the
/// chunked in-order fused multiply-adds it documents, its pass is exactly the Swift worker's
/// given those scores, and k-means with it keeps the SGEMM path's clusterings.
@Suite struct KMeansKernelTests {
  /// Σ_p x_p·c_p with one rounding per term, over the chunks OpenBLAS's threaded SGEMM cuts K
  /// into for a blocking q, chunks added left to right — written out independently of the C.
  static func chunkedDot(_ x: ArraySlice<Float>, _ c: ArraySlice<Float>, q: Int) -> Float {
    let xs = Array(x), cs = Array(c), d = xs.count
    var total: Float = 0
    var p0 = 0
    while p0 < d {
      let left = d - p0
      let p1 = left <= q ? d : p0 + (left >= 2 * q ? q : (left + 1) / 2)
      var acc: Float = 0
      for p in p0..<p1 { acc = acc.addingProduct(xs[p], cs[p]) }
      total = p0 == 0 ? acc : total + acc
      p0 = p1
    }
    return total
  }

  static func random(_ rows: Int, _ columns: Int, seed: Int) -> Matrix {
    var g = SeededGenerator(seed: seed)
    var m = Matrix(rows: rows, columns: columns)
    for i in 0..<m.storage.count { m.storage[i] = Float(g.nextGaussian()) }
    return m
  }

  static func transposedPadded(_ c: Matrix) -> (values: [Float], groups: Int) {
    let groups = (c.rows + 15) / 16, stride = groups * 16
    var t = [Float](repeating: 0, count: c.columns * stride)
    for r in 0..<c.rows { for p in 0..<c.columns { t[p * stride + r] = c[r, p] } }
    return (t, groups)
  }

  @Test(arguments: [(1, 1), (10, 7), (10, 128), (16, 64), (17, 321), (40, 700), (64, 50), (3, 1000)])
  func scoresAreChunkedInOrderSums(k: Int, d: Int) {
    let rows = 37  // four tiles of eight and five single rows
    let z = Self.random(rows, d, seed: k * 1000 + d), c = Self.random(k, d, seed: d)
    let (t, groups) = Self.transposedPadded(c)
    let stride = groups * 16
    var scores = [Float](repeating: .nan, count: rows * stride)
    idc_small_scores(z.storage, d, rows, t, groups, KMeans.smallKernelChunk, &scores)
    for i in 0..<rows {
      for j in 0..<stride {
        let expected = j < k
          ? Self.chunkedDot(z.storage[i * d..<(i + 1) * d], c.storage[j * d..<(j + 1) * d], q: KMeans.smallKernelChunk)
          : 0
        #expect(scores[i * stride + j].bitPattern == expected.bitPattern, "row \(i), centre \(j)")
      }
    }
  }

  @Test(arguments: [1, 10, 16, 33, 64])
  func theFusedPassIsTheSwiftWorkersPass(k: Int) {
    let n = 203, d = 24
    let z = Self.random(n, d, seed: 7 + k)
    var c = Self.random(k, d, seed: 11)
    // Equal scores: a duplicated centre must lose to the first copy.
    if k >= 3 { for p in 0..<d { c[k - 1, p] = c[1, p] } }
    let (t, groups) = Self.transposedPadded(c)
    let stride = groups * 16
    var scores = [Float](repeating: 0, count: n * stride)
    idc_small_scores(z.storage, d, n, t, groups, KMeans.smallKernelChunk, &scores)
    // The Swift worker's steps on those scores.
    var assignment = [Int](repeating: 1, count: n), similarity = [Float](repeating: 0, count: n)
    var sums = [Float](repeating: 0, count: k * d), counts = [Int](repeating: 0, count: k)
    var changes = 0, objective = 0.0
    for i in 0..<n {
      var bi = 0, bv = scores[i * stride]
      for j in 1..<max(k, 1) where scores[i * stride + j] > bv { bv = scores[i * stride + j]; bi = j }
      if assignment[i] != bi { changes += 1; assignment[i] = bi }
      similarity[i] = bv
      objective += Double(1 - bv)
      counts[bi] += 1
      for p in 0..<d { sums[bi * d + p] += z[i, p] }
    }
    if k >= 3 { #expect(counts[k - 1] == 0) }
    var a2 = [Int](repeating: 1, count: n), s2 = [Float](repeating: 0, count: n)
    var sums2 = [Float](repeating: 0, count: k * d), counts2 = [Int](repeating: 0, count: k)
    var changes2 = 0, objective2 = 0.0
    idc_lloyd_rows(z.storage, d, n, t, groups, KMeans.smallKernelChunk, k, &a2, &s2, &sums2, &counts2, &changes2, &objective2)
    #expect(a2 == assignment)
    #expect(s2.map(\.bitPattern) == similarity.map(\.bitPattern))
    #expect(sums2.map(\.bitPattern) == sums.map(\.bitPattern))
    #expect(counts2 == counts)
    #expect(changes2 == changes)
    #expect(objective2.bitPattern == objective.bitPattern)
  }

  @Test(arguments: [(1, 24), (10, 128), (16, 7), (17, 321), (40, 700), (64, 50)])
  func theTiledPassIsTheRowPass(k: Int, d: Int) {
    let n = 203
    let z = Self.random(n, d, seed: 3 * k + d)
    var c = Self.random(k, d, seed: 5)
    if k >= 3 { for p in 0..<d { c[k - 1, p] = c[1, p] } }
    let (t, groups) = Self.transposedPadded(c)
    var tiles = [Float](repeating: 0, count: (n + 15) / 16 * 16 * d)
    idc_row_tiles(z.storage, n, d, &tiles)
    // Rows [first, n) in two ranges that split tiles, as two workers would.
    for first in [0, 5, 21] {
      let rows = n - first
      var a1 = [Int](repeating: 2, count: n), s1 = [Float](repeating: 0, count: n)
      var u1 = [Float](repeating: 0, count: k * d), c1 = [Int](repeating: 0, count: k)
      var h1 = 0, o1 = 0.0
      z.storage.withUnsafeBufferPointer { zp in
        a1.withUnsafeMutableBufferPointer { ap in
          s1.withUnsafeMutableBufferPointer { sp in
            idc_lloyd_rows(zp.baseAddress! + first * d, d, rows, t, groups, KMeans.smallKernelChunk, k,
                           ap.baseAddress! + first, sp.baseAddress! + first, &u1, &c1, &h1, &o1)
          }
        }
      }
      var a2 = [Int](repeating: 2, count: n), s2 = [Float](repeating: 0, count: n)
      var u2 = [Float](repeating: 0, count: k * d), c2 = [Int](repeating: 0, count: k)
      var h2 = 0, o2 = 0.0
      let middle = first + rows / 2
      idc_lloyd_tiles(tiles, z.storage, d, first, middle - first, c.storage, k, KMeans.smallKernelChunk,
                      &a2, &s2, &u2, &c2, &h2, &o2)
      idc_lloyd_tiles(tiles, z.storage, d, middle, n - middle, c.storage, k, KMeans.smallKernelChunk,
                      &a2, &s2, &u2, &c2, &h2, &o2)
      #expect(a2 == a1)
      #expect(s2.map(\.bitPattern) == s1.map(\.bitPattern))
      #expect(c2 == c1)
      #expect(h2 == h1)
      if k >= 3 { #expect(c2[k - 1] == 0) }
      // Sums and objective over two ranges are added in two parts: equal to rounding.
      for j in 0..<(k * d) { #expect(abs(u2[j] - u1[j]) <= 1e-4 * max(1, abs(u1[j]))) }
      #expect(abs(o2 - o1) <= 1e-9 * max(1, abs(o1)))
    }
  }

  /// On this project's reference CPU (OpenBLAS core Cooperlake or SkylakeX, whose threaded
  /// SGEMM sums in exactly these chunks) the two paths give the same clustering bit for bit —
  /// why the pre-trained models of the shared sets did not move. Elsewhere the SGEMM rounds
  /// differently and only near-ties may differ.
  @Test func smallAndBLASPathsAgreeOnDigits() throws {
    let x = try DataSet.builtin("digits").features.matrix()
    for seed in 0..<3 {
      var blas = KMeans(k: 10, seed: seed)
      blas.scoreKernel = .blas
      var small = blas
      small.scoreKernel = .small
      let a = try blas.fit(x), b = try small.fit(x)
      if ["Cooperlake", "SkylakeX"].contains(BLAS.coreName) {
        #expect(a.assignment == b.assignment)
        #expect(a.objective.bitPattern == b.objective.bitPattern)
        #expect(a.centers == b.centers)
      } else {
        let agree = zip(a.assignment, b.assignment).filter { $0 == $1 }.count
        #expect(Double(agree) >= 0.999 * Double(x.rows))
        #expect(abs(a.objective - b.objective) <= 1e-6 * a.objective)
      }
    }
  }

  @Test func automaticChoosesTheSmallKernelOnlyForFewCentres() {
    let km = KMeans(k: 10)
    let vectors = idc_kernels_vector_width() >= 16
    #expect(km.usesSmallKernel(k: 10) == vectors)
    #expect(km.usesSmallKernel(k: KMeans.smallKernelLimit) == vectors)
    #expect(!km.usesSmallKernel(k: KMeans.smallKernelLimit + 1))
  }
}
