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
}
