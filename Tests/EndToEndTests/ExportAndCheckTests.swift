import Foundation
import Testing

/// numpy, when the machine has it (a test client, never part of idc).
enum NumPy {
  static let python: String? = {
    for candidate in ["/usr/bin/python3", "/usr/local/bin/python3"] + (ProcessInfo.processInfo.environment["PATH"] ?? "")
      .split(separator: ":").map({ "\($0)/python3" }) where FileManager.default.isExecutableFile(atPath: candidate) {
      if (try? Binary.runProgram(candidate, ["-c", "import numpy"]))?.status == 0 { return candidate }
    }
    return nil
  }()

  /// Runs `code` with `arguments`; returns (status, stdout + stderr).
  static func run(_ code: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    try Binary.runProgram(python ?? "/usr/bin/python3", ["-c", code] + arguments)
  }
}

@Suite(.serialized) struct ExportAndCheckTests {
  /// A numpy user reproduces an exported head's assignment from its weights, biases and z.
  @Test(.enabled(if: NumPy.python != nil, "needs python3 with numpy")) func numpyReproducesTheExportedHead() throws {
    let dir = try Binary.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let script = """
      load digits
      kmeans k=10 n_init=1 swaps=0 seed=0
      select m=60
      feedback oracle
      m = train epochs=40 every=0
      export m to="\(dir.path)/head.npz"
      export assignment to="\(dir.path)/current.npy"
      """
    let r = try Binary.run(["-e", script])
    #expect(r.code == 0, "\(r.stderr)")
    let (status, output) = try NumPy.run("""
      import sys, numpy as np
      d = np.load(sys.argv[1])
      z = d["z"].astype(np.float32)
      hidden = np.maximum(z @ d["w1"].T + d["b1"], 0)
      logits = hidden @ d["w2"].T + d["b2"]
      mine = logits.argmax(axis=1)
      top2 = np.sort(logits, axis=1)[:, -2:]
      close = np.abs(top2[:, 1] - top2[:, 0]) < 1e-4
      mismatch = mine != d["assignment"]
      print("samples", len(mine), "mismatches", int(mismatch.sum()), "of which near-ties", int((mismatch & close).sum()))
      assert (mine == np.load(sys.argv[2])).sum() == (mine == d["assignment"]).sum()
      sys.exit(0 if mismatch.sum() == 0 else 1)
      """, [dir.path + "/head.npz", dir.path + "/current.npy"])
    #expect(status == 0, "\(output)")
    #expect(output.contains("samples 1797 mismatches 0"), "\(output)")
  }

  /// The front end (`idc check`) accepts every example script in the repository.
  @Test func everyExampleChecks() throws {
    let examples = Binary.packageRoot.appendingPathComponent("examples")
    let files = FileManager.default.enumerator(atPath: examples.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".idc") } ?? []
    #expect(files.count >= 5, "\(files)")
    for file in files.sorted() {
      let r = try Binary.run(["check", examples.appendingPathComponent(file).path])
      #expect(r.code == 0, "\(file): \(r.stderr)")
      #expect(r.stdout.contains(": ok ("), "\(file): \(r.stdout)")
    }
  }
}
