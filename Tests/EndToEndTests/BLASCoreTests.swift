import Foundation
import IDCCore
import Testing

/// The BLAS core chosen at start-up, through the real binary and the real
/// OpenBLAS: no restart where the detected core is right, a user's
/// `OPENBLAS_CORETYPE` kept, a fallback core upgraded (simulated with the
/// test hook `IDC_TEST_BLAS_CORENAME`), a failing self-check moving on to
/// the next candidate (`IDC_TEST_BLAS_FAIL_CHECK`), and `show blas` /
/// `set threads=`.
@Suite(.serialized) struct BLASCoreTests {
  /// A clean start: no core variable, no marker, no hooks.
  static let clean: [String: String?] = [
    "OPENBLAS_CORETYPE": nil, "IDC_BLAS_AUTOCORE": nil, "IDC_TEST_BLAS_CORENAME": nil, "IDC_TEST_BLAS_FAIL_CHECK": nil,
  ]

  static func version(_ changes: [String: String?] = [:]) throws -> String {
    let r = try Binary.run(["--version"], environment: clean.merging(changes) { $1 })
    #expect(r.code == 0, "stderr:\n\(r.stderr)")
    return r.stdout
  }

  /// "BLAS: OpenBLAS 0.3.21, core SkylakeX, 2 threads" → "SkylakeX".
  static func core(in report: String) -> String? {
    guard let line = report.split(separator: "\n").first(where: { $0.hasPrefix("BLAS: ") }),
          let range = line.range(of: "core ") else { return nil }
    return line[range.upperBound...].split(separator: ",").first.map(String.init)
  }

  static let cpu = CPUFeatures(cpuinfo: (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? "")

  /// The core OpenBLAS detects by itself here (automatic choice off).
  static func detectedCore() throws -> String {
    try #require(core(in: version(["IDC_BLAS_AUTOCORE": "0"])))
  }

  @Test func versionReportsLibraryCoreThreadsAndCPU() throws {
    let text = try Self.version()
    #expect(text.hasPrefix("idc "))
    #expect(text.contains("BLAS: OpenBLAS 0."))
    #expect(text.contains("CPU: "))
    #expect(Self.core(in: text) != nil)
  }

  @Test func aRightCoreIsLeftAlone() throws {
    let detected = try Self.detectedCore()
    let text = try Self.version()
    if BLASCoreSelection.candidates(for: Self.cpu, loaded: detected).isEmpty {
      #expect(text.contains("core: detected by OpenBLAS"), "no restart expected:\n\(text)")
      #expect(Self.core(in: text) == detected)
    } else {
      // A machine where OpenBLAS falls back: the upgrade is the point.
      #expect(text.contains("chosen by idc: OpenBLAS picked \(detected)"), "\(text)")
    }
  }

  @Test func aUserSetCoreIsKept() throws {
    let wanted = Self.cpu.level >= .avx2 ? "Haswell" : "Prescott"
    let text = try Self.version(["OPENBLAS_CORETYPE": wanted])
    #expect(Self.core(in: text) == wanted)
    #expect(text.contains("OPENBLAS_CORETYPE=\(wanted), set before idc started (kept)"))
  }

  @Test func aFallbackCoreIsUpgraded() throws {
    let candidates = BLASCoreSelection.candidates(for: Self.cpu, loaded: "Prescott")
    guard let best = candidates.first else { return }  // a CPU without AVX: nothing to upgrade to
    let text = try Self.version(["IDC_TEST_BLAS_CORENAME": "Prescott"])
    #expect(text.contains("chosen by idc: OpenBLAS picked Prescott"), "\(text)")
    #expect(Self.core(in: text)?.lowercased() == best.lowercased())
  }

  @Test func aFailingCheckMovesOnAndAllFailingFallsBack() throws {
    let candidates = BLASCoreSelection.candidates(for: Self.cpu, loaded: "Prescott")
    guard candidates.count >= 2 else { return }
    let second = try Self.version(["IDC_TEST_BLAS_CORENAME": "Prescott", "IDC_TEST_BLAS_FAIL_CHECK": candidates[0]])
    #expect(Self.core(in: second)?.lowercased() == candidates[1].lowercased(), "\(second)")
    #expect(second.contains("rejected: \(candidates[0])"))

    let none = try Self.version(["IDC_TEST_BLAS_CORENAME": "Prescott",
                                 "IDC_TEST_BLAS_FAIL_CHECK": candidates.joined(separator: ",")])
    #expect(none.contains("no better core passed the self-check"), "\(none)")
    #expect(Self.core(in: none) == (try Self.detectedCore()))
  }

  @Test func showBlasAndSetThreads() throws {
    let r = try Binary.run(["-e", "show blas", "-e", "set threads=1", "-e", "show blas", "-e", "show options"],
                           environment: Self.clean)
    #expect(r.code == 0, "stderr:\n\(r.stderr)")
    #expect(r.stdout.contains("thread"))
    #expect(r.stdout.contains(", 1 thread\n"), "\(r.stdout)")
    #expect(r.stdout.contains("threads=1"))
    let bad = try Binary.run(["-e", "set threads=0"], environment: Self.clean)
    #expect(bad.code != 0)
    #expect(bad.stderr.contains("threads must be between 1 and 1024"))
  }
}
