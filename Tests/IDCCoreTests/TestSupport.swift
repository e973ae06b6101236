import Foundation
import IDCCore

/// Where the shared data sets and golden outputs live, if present:
/// `IDC_SHARED_DATA` / `IDC_GOLDEN`, else `../shared/{data,golden}` next to the package.
enum SharedPaths {
  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  static var data: URL? {
    locate(env: "IDC_SHARED_DATA", fallback: packageRoot.appendingPathComponent("../shared/data"))
  }
  static var golden: URL? {
    locate(env: "IDC_GOLDEN", fallback: packageRoot.appendingPathComponent("../shared/golden"))
  }
  static var hasData: Bool { data != nil }
  static var hasGolden: Bool { golden != nil && data != nil }

  /// The variable, when set, decides alone (a missing path means "absent", so a run can
  /// leave the shared data out); else the fallback beside the package.
  private static func locate(env: String, fallback: URL) -> URL? {
    if let p = ProcessInfo.processInfo.environment[env] {
      return FileManager.default.fileExists(atPath: p) ? URL(fileURLWithPath: p) : nil
    }
    return FileManager.default.fileExists(atPath: fallback.path) ? fallback.standardizedFileURL : nil
  }
}

/// Gaussian blobs on the unit sphere: `perCluster` samples around each of `k`
/// random directions, with labels.
func blobs(k: Int, perCluster: Int, dimension: Int, spread: Double, seed: Int) -> (Matrix, [Int]) {
  var rng = SeededGenerator(seed: seed)
  var centers = [[Double]]()
  for _ in 0..<k { centers.append((0..<dimension).map { _ in rng.nextGaussian() }) }
  var x = Matrix(rows: k * perCluster, columns: dimension)
  var labels = [Int]()
  for c in 0..<k {
    for s in 0..<perCluster {
      let i = c * perCluster + s
      for j in 0..<dimension { x[i, j] = Float(centers[c][j] + spread * rng.nextGaussian()) }
      labels.append(c)
    }
  }
  return (x.l2NormalizedRows(), labels)
}

/// Brute-force K nearest neighbours (Double distances), ties to the lower index.
func bruteForceNeighbors(_ x: Matrix, k: Int) -> [[Int]] {
  (0..<x.rows).map { i in
    let d: [(Double, Int)] = (0..<x.rows).filter { $0 != i }.map { j in
      var s = 0.0
      for c in 0..<x.columns { let t = Double(x[i, c]) - Double(x[j, c]); s += t * t }
      return (s, j)
    }
    return d.sorted { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }.prefix(k).map(\.1)
  }
}
