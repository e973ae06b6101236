import Foundation
import IDCCore
import IDCData
import Testing

@testable import IDCCommands

/// What changes for big data sets: a memory-mapped `.npy` (the same numbers as the file read
/// into memory, a t-SNE of either metric, the memory each command used under
/// `set timing=true`), and k-means with many clusters.
@Suite(.serialized) struct ScaleSessionTests {
  static func digitsFile() throws -> (String, URL) {
    let digits = try DataSet.builtin("digits")
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("idc-mapped-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let path = dir.appendingPathComponent("digits.npy").path
    try NPYWriter.write(NDArray(try digits.features.matrix()), to: path)
    try NPYWriter.write(NDArray(labels: digits.labels!), to: dir.appendingPathComponent("labels.npy").path)
    return (path, dir)
  }

  @Test func aMappedFileGivesTheSessionOfTheFileInMemory() throws {
    let (path, dir) = try Self.digitsFile()
    defer { try? FileManager.default.removeItem(at: dir) }
    let labels = dir.appendingPathComponent("labels.npy").path
    var outputs: [String] = []
    var embeddings: [Matrix] = []
    for mapping in ["on", "off"] {
      let capture = Capture()
      let evaluator = Evaluator(sinks: capture.sinks)
      let script = """
        set timing=true
        load features="\(path)" labels="\(labels)" mapped=\(mapping)
        kmeans k=10 n_init=2 seed=0
        select m=40
        feedback oracle
        train epochs=20 init_steps=100
        e = tsne iterations=30 early=20 metric=cosine affinity=uniform
        tsne iterations=30 early=20

        """
      #expect(ScriptRunner(evaluator: evaluator).run(source: script, file: "m.idc") == 0, "\(capture.stderr)")
      #expect(evaluator.workspace.data?.features.isMapped == (mapping == "on"))
      #expect(capture.stderr.contains("memory-mapped:") == (mapping == "on"), "\(capture.stderr)")
      // Every timed command reports its peak and current resident memory (Linux).
      if FileManager.default.fileExists(atPath: "/proc/self/status") {
        #expect(capture.stderr.contains(try Regex(#"\(kmeans: [0-9.]+ s, peak [0-9.]+ [MG]B, now [0-9.]+ [MG]B\)"#)), "\(capture.stderr)")
      }
      outputs.append(capture.stdout)
      guard case .embedding(let cosine)? = evaluator.workspace.named["e"] else {
        Issue.record("no embedding")
        return
      }
      // metric=cosine maps the normalised z the session holds.
      var config = TSNE(iterations: 30, earlyExaggerationIterations: 20)
      config.affinity = .uniform
      #expect(cosine.points == (try config.fit(evaluator.workspace.z)).embedding)
      embeddings.append(cosine.points)
    }
    #expect(outputs[0] == outputs[1])
    #expect(embeddings[0] == embeddings[1])
  }

  /// Past 50 clusters `kmeans` summarises the sizes instead of printing every one.
  @Test func manyClusterSizesAreSummarised() throws {
    let capture = Capture()
    let evaluator = Evaluator(sinks: capture.sinks)
    #expect(ScriptRunner(evaluator: evaluator).run(source: "load digits\nkmeans k=60 n_init=1 swaps=0\n", file: "k.idc") == 0,
            "\(capture.stderr)")
    var sizes = [Int](repeating: 0, count: 60)
    for a in evaluator.workspace.current ?? [] { sizes[a] += 1 }
    let sorted = sizes.sorted()
    let line = try #require(capture.stdout.split(separator: "\n").first { $0.hasPrefix("cluster sizes:") })
    #expect(line.hasPrefix("cluster sizes: min \(sorted[0]), quartiles \(sorted[14]) / \(sorted[29]) / \(sorted[44]), max \(sorted[59]);"), "\(line)")
    let largest = sizes.indices.max { sizes[$0] < sizes[$1] || (sizes[$0] == sizes[$1] && $0 > $1) }!
    #expect(line.contains("largest \(largest) (\(sizes[largest]))"), "\(line)")
    #expect(line.split(separator: " ").count < 40)
  }
}
