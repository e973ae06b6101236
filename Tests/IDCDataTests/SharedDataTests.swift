import Foundation
import IDCCore
import Testing

@testable import IDCData

/// The JSON sidecars in the shared data directory (empty when it is absent).
let sharedSidecars: [String] = {
  guard let directory = TestPaths.sharedData else { return [] }
  let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
  return files.filter { $0.hasSuffix(".json") }.sorted()
}()

@Suite("Real data sets in ../shared/data", .enabled(if: TestPaths.hasSharedData))
struct SharedDataTests {
  var shared: String { TestPaths.sharedData ?? "" }

  @Test("every sidecar loads with the n, d and classes it declares", arguments: sharedSidecars)
  func sidecar(name: String) throws {
    let path = shared + "/" + name
    let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    let data = try DataSet.load(json: path)
    #expect(data.count == json["n"] as? Int)
    #expect(data.dimension == json["d"] as? Int)
    #expect(data.classNames == json["classes"] as? [String])
    #expect(data.labels.map { Set($0) } == Set(0..<(data.classNames?.count ?? 0)))
    let files = json["files"] as? [String: String] ?? [:]
    #expect((data.images != nil) == (files["images"] != nil))
    #expect((data.texts != nil) == (files["texts"] != nil))
  }

  @Test("examples/data/digits.npz holds exactly the shared digits")
  func embeddedDigits() throws {
    let embedded = try DataSet.load(path: TestPaths.examplesData + "/digits.npz")
    let source = try DataSet.load(json: shared + "/digits.json")
    #expect(try embedded.features.matrix() == source.features.matrix())
    #expect(embedded.labels == source.labels)
    #expect(embedded.images == source.images)
    #expect(embedded.classNames == source.classNames)
  }

  @Test("a float32 feature file is read into the matrix's own storage")
  func noIntermediateCopy() throws {
    let array = try NPYReader.read(path: shared + "/digits.features.npy")
    let matrix = try array.asMatrix()
    guard case .float32(let values) = array.storage else { Issue.record("not float32"); return }
    let arrayBase = values.withUnsafeBufferPointer { $0.baseAddress }
    let matrixBase = matrix.storage.withUnsafeBufferPointer { $0.baseAddress }
    #expect(arrayBase == matrixBase)
  }

  /// Peak memory for loading the 70000×128 float32 file (35 840 000 bytes of
  /// data). Run alone, since the peak is per process:
  /// `IDC_MEASURE_MEMORY=1 swift test --filter peakMemory`.
  @Test(.enabled(if: ProcessInfo.processInfo.environment["IDC_MEASURE_MEMORY"] == "1"))
  func peakMemory() throws {
    func status(_ key: String) -> Int {
      let text = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
      let line = text.split(separator: "\n").first { $0.hasPrefix(key + ":") } ?? ""
      return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }
    let before = status("VmHWM")
    let data = try DataSet.load(features: shared + "/fmnist_effnet128.features.npy", labels: shared + "/fmnist_effnet128.labels.npy")
    let after = status("VmHWM")
    let dataKiB = 70000 * 128 * 4 / 1024
    print("peak RSS \(before) KiB → \(after) KiB: +\(after - before) KiB for \(dataKiB) KiB of features (\(data.count) rows)")
    #expect(after - before < dataKiB * 5 / 4 + 4096)
  }

  /// Rebuilds examples/data/digits.npz with this module's writer:
  /// `IDC_MAKE_DIGITS=1 swift test --filter makeDigits`.
  @Test(.enabled(if: ProcessInfo.processInfo.environment["IDC_MAKE_DIGITS"] == "1"))
  func makeDigits() throws {
    let digits = try DataSet.load(json: shared + "/digits.json")
    try FileManager.default.createDirectory(atPath: TestPaths.examplesData, withIntermediateDirectories: true)
    try digits.writeNPZ(to: TestPaths.examplesData + "/digits.npz", compressed: true)
  }
}
