import Foundation
import IDCCore
import IDCData
import Testing

/// The K-NN searches at a size CI holds: 200 000 × 16 features (12.8 MB). Their peak resident
/// memory, read by `idc bench` from /proc (VmHWM), must stay within O(N·K + tiles): an N × N
/// matrix would be 160 GB, even N·√N floats 360 MB.
@Suite(.serialized) struct ScaleMemoryTests {
  static func features() throws -> URL {
    let dir = try Binary.temporaryDirectory()
    var rng = SeededGenerator(seed: 19)
    let n = 200_000, d = 16
    var x = Matrix(rows: n, columns: d)
    // 50 groups, so that the lists have structure to follow.
    let centres = (0..<(50 * d)).map { _ in Float(rng.nextGaussian()) }
    for i in 0..<n {
      let g = i % 50
      for c in 0..<d { x[i, c] = centres[g * d + c] + 0.5 * Float(rng.nextGaussian()) }
    }
    let url = dir.appendingPathComponent("features.npy")
    try NPYWriter.write(NDArray(x), to: url.path)
    return url
  }

  func bench(_ arguments: [String]) throws -> [String: String] {
    let r = try Binary.run(["bench"] + arguments + ["--repeat", "1"])
    #expect(r.code == 0, "stderr:\n\(r.stderr)")
    let line = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("{") })
    let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
    return object.mapValues { "\($0)" }
  }

  @Test func approximateAndExactSearchesStayWithinTheirMemoryBound() throws {
    guard FileManager.default.fileExists(atPath: "/proc/self/status") else { return }
    let url = try Self.features()
    defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
    let approx = try bench(["knn", "--knn", "approx", "--features", url.path, "--audit", "500"])
    let peak = try #require(Double(approx["peak_rss_mb"] ?? ""))
    #expect(peak < 400, "approximate kNN peaked at \(peak) MB")
    let recall = try #require(Double(approx["recall"] ?? ""))
    #expect(recall >= 0.9, "recall \(recall)")
    let exact = try bench(["knn", "--features", url.path])
    let exactPeak = try #require(Double(exact["peak_rss_mb"] ?? ""))
    #expect(exactPeak < 400, "exact kNN peaked at \(exactPeak) MB")
  }

  /// A memory-mapped `.npy` costs its normalised copy only: loading 400 000 × 64 float32
  /// (102 MB) with `mapped=on` peaks about one copy of the features lower than reading it
  /// into memory (features and `z`), as `set timing=true` reports each command's peak.
  @Test func aMappedLoadHoldsOneCopyOfTheFeatures() throws {
    guard FileManager.default.fileExists(atPath: "/proc/self/status") else { return }
    let dir = try Binary.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    var rng = SeededGenerator(seed: 5)
    let n = 400_000, d = 64
    let x = Matrix(rows: n, columns: d, storage: (0..<(n * d)).map { _ in Float(rng.nextGaussian()) })
    let path = dir.appendingPathComponent("x.npy").path
    try NPYWriter.write(NDArray(x), to: path)
    func loadPeak(_ mapping: String) throws -> Double {
      let script = dir.appendingPathComponent("load-\(mapping).idc")
      try "set timing=true\nload features=\"\(path)\" mapped=\(mapping)\n".write(to: script, atomically: true, encoding: .utf8)
      let r = try Binary.run(["run", script.path])
      #expect(r.code == 0, "stderr:\n\(r.stderr)")
      let match = try #require(r.stderr.firstMatch(of: #/\(load: [0-9.]+ s, peak ([0-9.]+) (MB|GB)/#), "\(r.stderr)")
      return Double(match.1)! * (match.2 == "GB" ? 1000 : 1)
    }
    let mapped = try loadPeak("on"), memory = try loadPeak("off")
    // One copy is 102 MB; the two peaks must differ by most of it.
    #expect(memory - mapped > 70, "peak \(mapped) MB mapped, \(memory) MB read into memory")
  }
}
