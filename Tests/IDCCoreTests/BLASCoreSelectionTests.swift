import Testing
@testable import IDCCore

/// The restart protocol of ``BLASCoreSelection`` with fake core names and
/// fake CPUs: which core a CPU deserves, that a user's or machine's
/// `OPENBLAS_CORETYPE` is kept, that a core already right means no restart,
/// that a failing check moves to the next core, and that it always ends.
struct BLASCoreSelectionTests {
  static let intelAVX512 = CPUFeatures(modelName: "Intel(R) Xeon(R) Processor", vendor: "GenuineIntel",
                                       flags: ["sse3", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512dq", "avx512vl"])
  static let zen4 = CPUFeatures(modelName: "AMD EPYC", vendor: "AuthenticAMD",
                                flags: ["avx", "avx2", "fma", "avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512_bf16"])
  static let haswellClass = CPUFeatures(modelName: "Intel Core", vendor: "GenuineIntel", flags: ["avx", "avx2", "fma"])
  static let old = CPUFeatures(modelName: "Intel Core 2", vendor: "GenuineIntel", flags: ["sse3", "ssse3"])

  @Test func cpuinfoFlagsGiveTheLevel() {
    let text = """
      processor\t: 0
      vendor_id\t: GenuineIntel
      model name\t: Intel(R) Xeon(R) Processor
      flags\t\t: fpu sse3 avx avx2 fma avx512f avx512dq avx512bw avx512vl avx512ifma
      processor\t: 1
      model name\t: other
      """
    let cpu = CPUFeatures(cpuinfo: text)
    #expect(cpu.modelName == "Intel(R) Xeon(R) Processor")
    #expect(cpu.vendor == "GenuineIntel")
    #expect(cpu.level == .avx512)
    #expect(cpu.summary == "AVX-512 F/BW/DQ/VL/IFMA, AVX2, FMA")
    // AVX-512 needs all four of F, BW, DQ and VL; AVX2 needs FMA too.
    #expect(CPUFeatures(modelName: "", vendor: "", flags: ["avx512f", "avx2", "fma"]).level == .avx2)
    #expect(CPUFeatures(modelName: "", vendor: "", flags: ["avx2", "avx"]).level == .avx)
    #expect(CPUFeatures(cpuinfo: "").level == .baseline)
  }

  @Test func candidatesAreBetterThanTheLoadedCore() {
    #expect(BLASCoreSelection.candidates(for: Self.intelAVX512, loaded: "Prescott") == ["SkylakeX", "Haswell"])
    #expect(BLASCoreSelection.candidates(for: Self.intelAVX512, loaded: "Haswell") == ["SkylakeX"])
    #expect(BLASCoreSelection.candidates(for: Self.intelAVX512, loaded: "SkylakeX").isEmpty)
    #expect(BLASCoreSelection.candidates(for: Self.zen4, loaded: "Prescott") == ["Cooperlake", "SkylakeX", "Zen", "Haswell"])
    #expect(BLASCoreSelection.candidates(for: Self.zen4, loaded: "Cooperlake").isEmpty)
    #expect(BLASCoreSelection.candidates(for: Self.haswellClass, loaded: "Sandybridge") == ["Haswell"])
    #expect(BLASCoreSelection.candidates(for: Self.old, loaded: "Core2").isEmpty)
  }

  @Test func aRightCoreMeansNoRestart() {
    var checked = false
    let step = BLASCoreSelection.nextStep(environment: [:], loaded: "SkylakeX", cpu: Self.intelAVX512) { checked = true; return true }
    #expect(step == .keep(.detected))
    #expect(!checked, "no self-check without a trial")
  }

  @Test func aUserSetCoreIsKept() {
    // Even a slow one the user chose on purpose.
    let step = BLASCoreSelection.nextStep(environment: ["OPENBLAS_CORETYPE": "Prescott"], loaded: "Prescott",
                                          cpu: Self.intelAVX512) { true }
    #expect(step == .keep(.environment("Prescott")))
    let off = BLASCoreSelection.nextStep(environment: ["IDC_BLAS_AUTOCORE": "0"], loaded: "Prescott", cpu: Self.intelAVX512) { true }
    #expect(off == .keep(.disabled))
  }

  @Test func aFallbackCoreRestartsWithTheBest() {
    let step = BLASCoreSelection.nextStep(environment: [:], loaded: "Prescott", cpu: Self.intelAVX512) { true }
    #expect(step == .restart(core: "SkylakeX", marker: .init(original: "Prescott", toTry: ["SkylakeX", "Haswell"])))
  }

  @Test func aPassingTrialIsKept() {
    let marker = BLASCoreSelection.Marker(original: "Prescott", toTry: ["SkylakeX", "Haswell"])
    let step = BLASCoreSelection.nextStep(environment: ["IDC_BLAS_AUTOCORE": marker.text, "OPENBLAS_CORETYPE": "SkylakeX"],
                                          loaded: "SKYLAKEX", cpu: Self.intelAVX512) { true }
    #expect(step == .keep(.selected(from: "Prescott", rejected: [])))
  }

  @Test func aFailingTrialMovesToTheNextCore() {
    let marker = BLASCoreSelection.Marker(original: "Prescott", toTry: ["SkylakeX", "Haswell"])
    let env = ["IDC_BLAS_AUTOCORE": marker.text, "OPENBLAS_CORETYPE": "SkylakeX"]
    let wrong = BLASCoreSelection.nextStep(environment: env, loaded: "SkylakeX", cpu: Self.intelAVX512) { false }
    #expect(wrong == .restart(core: "Haswell", marker: .init(original: "Prescott", toTry: ["Haswell"], rejected: ["SkylakeX"])))
    // A library without that core loads something else: rejected without a check.
    var checked = false
    let refused = BLASCoreSelection.nextStep(environment: env, loaded: "Prescott", cpu: Self.intelAVX512) { checked = true; return true }
    #expect(!checked)
    #expect(refused == wrong)
  }

  @Test func markerRoundTrips() {
    let m = BLASCoreSelection.Marker(original: "Prescott", toTry: ["Zen", "Haswell"], rejected: ["Cooperlake", "SkylakeX"])
    #expect(BLASCoreSelection.Marker(m.text) == m)
    #expect(BLASCoreSelection.Marker("garbage") == nil)
  }

  /// Runs the protocol against a fake library (it loads OPENBLAS_CORETYPE if
  /// it has that core, else "Prescott") until a process keeps its core.
  func simulate(cpu: CPUFeatures, libraryCores: Set<String>, passing: Set<String>,
                environment start: [String: String] = [:]) -> (origin: BLASCoreSelection.Origin, core: String, processes: Int) {
    var env = start
    for processes in 1...20 {
      let requested = env["OPENBLAS_CORETYPE"]
      let loaded = requested.flatMap { libraryCores.contains($0) ? $0 : nil } ?? "Prescott"
      switch BLASCoreSelection.nextStep(environment: env, loaded: loaded, cpu: cpu, selfCheck: { passing.contains(loaded) }) {
      case .keep(let origin): return (origin, loaded, processes)
      case .restart(let core, let marker):
        env["OPENBLAS_CORETYPE"] = core
        env["IDC_BLAS_AUTOCORE"] = marker.text
      }
    }
    Issue.record("the protocol did not end in 20 processes")
    return (.detected, "", 20)
  }

  @Test func theProtocolAlwaysEnds() {
    let all: Set = ["Prescott", "Haswell", "SkylakeX", "Cooperlake", "Zen", "Sandybridge"]
    let good = simulate(cpu: Self.intelAVX512, libraryCores: all, passing: all)
    #expect(good.core == "SkylakeX" && good.processes == 2)
    #expect(good.origin == .selected(from: "Prescott", rejected: []))

    let secondBest = simulate(cpu: Self.intelAVX512, libraryCores: all, passing: ["Haswell", "Prescott"])
    #expect(secondBest.core == "Haswell" && secondBest.processes == 3)
    #expect(secondBest.origin == .selected(from: "Prescott", rejected: ["SkylakeX"]))

    let none = simulate(cpu: Self.zen4, libraryCores: all, passing: ["Prescott"])
    #expect(none.core == "Prescott", "back on the library's own pick")
    #expect(none.processes == 6, "one process per candidate, then one without OPENBLAS_CORETYPE")
    #expect(none.origin == .fellBack(rejected: ["Cooperlake", "SkylakeX", "Zen", "Haswell"]))

    let oldLibrary = simulate(cpu: Self.zen4, libraryCores: ["Prescott", "Haswell"], passing: ["Haswell"])
    #expect(oldLibrary.core == "Haswell")

    let user = simulate(cpu: Self.intelAVX512, libraryCores: all, passing: all, environment: ["OPENBLAS_CORETYPE": "Sandybridge"])
    #expect(user.core == "Sandybridge" && user.processes == 1)
  }

  @Test func theRealLibraryPassesItsSelfCheck() {
    #expect(BLAS.selfCheck())
    #expect(!BLAS.coreName.isEmpty)
  }
}
