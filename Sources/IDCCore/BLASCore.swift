import COpenBLAS

/// What the processor can run, from the `flags` line of `/proc/cpuinfo`
/// (which the kernel fills from CPUID and clears for state the OS does not
/// save, so a listed AVX-512 flag is usable).
public struct CPUFeatures: Sendable, Equatable {
  /// The instruction-set level a BLAS kernel family needs, in increasing order.
  public enum Level: Int, Sendable, Comparable, CustomStringConvertible {
    case baseline = 0, avx, avx2, avx512
    public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
    public var description: String {
      switch self {
      case .baseline: "SSE only"
      case .avx: "AVX"
      case .avx2: "AVX2 + FMA"
      case .avx512: "AVX-512 (F, BW, DQ, VL)"
      }
    }
  }

  public var modelName: String
  public var vendor: String
  public var flags: Set<String>

  public init(modelName: String, vendor: String, flags: Set<String>) {
    self.modelName = modelName
    self.vendor = vendor
    self.flags = flags
  }

  /// Parses `/proc/cpuinfo` text (its first processor).
  public init(cpuinfo: String) {
    var model = "unknown", vendor = "unknown", flags = Set<String>()
    for line in cpuinfo.split(separator: "\n") {
      guard let colon = line.firstIndex(of: ":") else { continue }
      let key = line[..<colon].trimmingWhitespace(), value = line[line.index(after: colon)...].trimmingWhitespace()
      switch key {
      case "model name" where model == "unknown": model = value
      case "vendor_id" where vendor == "unknown": vendor = value
      case "flags" where flags.isEmpty: flags = Set(value.split(separator: " ").map(String.init))
      default: break
      }
    }
    self.init(modelName: model, vendor: vendor, flags: flags)
  }

  /// The best level every one of its flags is present for.
  public var level: Level {
    if ["avx512f", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(flags.contains) { return .avx512 }
    if flags.contains("avx2") && flags.contains("fma") { return .avx2 }
    if flags.contains("avx") { return .avx }
    return .baseline
  }

  public var isAMD: Bool { vendor == "AuthenticAMD" || vendor == "HygonGenuine" }

  /// The vector extensions worth naming, for reports: "AVX-512 F/BW/DQ/VL, AVX2, FMA".
  public var summary: String {
    var parts: [String] = []
    let avx512 = ["f", "bw", "dq", "vl", "cd", "ifma", "vbmi", "vnni", "_bf16"].filter { flags.contains("avx512" + $0) }
    if !avx512.isEmpty { parts.append("AVX-512 " + avx512.map { $0.hasPrefix("_") ? String($0.dropFirst()).uppercased() : $0.uppercased() }.joined(separator: "/")) }
    for (flag, name) in [("avx2", "AVX2"), ("fma", "FMA"), ("avx", "AVX")] where flags.contains(flag) {
      if flag == "avx" && flags.contains("avx2") { continue }
      parts.append(name)
    }
    return parts.isEmpty ? "no AVX" : parts.joined(separator: ", ")
  }
}

extension Substring {
  fileprivate func trimmingWhitespace() -> String {
    String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
  }
}

/// Choosing OpenBLAS's kernel family (its "core") so that a CPU the library
/// does not recognise still gets its fastest kernels.
///
/// OpenBLAS built with `DYNAMIC_ARCH` picks a core from CPUID when it loads,
/// and falls back to the generic SSE3 core "Prescott" for models newer than
/// the library (Debian 12's 0.3.21 on recent Xeons: 5× slower SGEMM). It
/// reads `OPENBLAS_CORETYPE` at load time only, so the choice is made by
/// restarting the process once with it set (see `BLASStartup` in the `idc`
/// executable). This type is the pure part: which core a CPU deserves, and
/// the next step of the restart protocol, driven by one marker variable
/// (``markerVariable``) that makes every restart strictly shrink the list of
/// cores still to try, so nothing loops:
///
///     no marker, OPENBLAS_CORETYPE set        → keep (the user's choice)
///     no marker, loaded core below the CPU    → restart: try=c₁,c₂,…
///     marker try=c₁,…: core c₁ loaded, check ok → keep (auto-selected c₁)
///     marker try=c₁,c₂,…: otherwise           → restart: try=c₂,…
///     marker with nothing left to try         → restart without OPENBLAS_CORETYPE, then keep
public enum BLASCoreSelection {
  /// Carries the restart protocol's state across `execve`.
  public static let markerVariable = "IDC_BLAS_AUTOCORE"
  /// OpenBLAS's own variable, read when the library loads.
  public static let coreVariable = "OPENBLAS_CORETYPE"

  /// The instruction-set level a core's kernels use (unknown names: baseline).
  public static func level(ofCore core: String) -> CPUFeatures.Level {
    switch core.lowercased() {
    case "skylakex", "cooperlake", "sapphirerapids": .avx512
    case "haswell", "zen", "excavator": .avx2
    case "sandybridge", "bulldozer", "piledriver", "steamroller": .avx
    default: .baseline
    }
  }

  /// Cores to try, best first, for a CPU whose library core is `loaded`:
  /// empty when `loaded` already uses everything the CPU has.
  public static func candidates(for cpu: CPUFeatures, loaded: String) -> [String] {
    let all: [String]
    switch cpu.level {
    case .avx512:
      all = (cpu.flags.contains("avx512_bf16") ? ["Cooperlake"] : []) + ["SkylakeX"] + (cpu.isAMD ? ["Zen", "Haswell"] : ["Haswell"])
    case .avx2: all = cpu.isAMD ? ["Zen", "Haswell"] : ["Haswell"]
    case .avx: all = ["Sandybridge"]
    case .baseline: all = []
    }
    let current = level(ofCore: loaded)
    return all.filter { level(ofCore: $0) > current }
  }

  /// How the running core came to be, for `idc --version` and `show blas`.
  public enum Origin: Sendable, Equatable {
    /// OpenBLAS's own detection (nothing better to choose).
    case detected
    /// `OPENBLAS_CORETYPE` was set before idc started.
    case environment(String)
    /// idc restarted with this core: OpenBLAS had picked `from`.
    case selected(from: String, rejected: [String])
    /// Every candidate failed its check: back on OpenBLAS's pick.
    case fellBack(rejected: [String])
    /// Disabled by `IDC_BLAS_AUTOCORE=0`.
    case disabled
  }

  /// The marker's contents: the core OpenBLAS picked, cores still to try
  /// (the first is the one this process was started with) and cores rejected.
  public struct Marker: Sendable, Equatable {
    public var original: String
    public var toTry: [String]
    public var rejected: [String]

    public init(original: String, toTry: [String], rejected: [String] = []) {
      self.original = original
      self.toTry = toTry
      self.rejected = rejected
    }

    /// Parses `from=Prescott;try=SkylakeX,Haswell;rejected=Cooperlake`.
    public init?(_ text: String) {
      var fields: [String: [String]] = [:]
      for part in text.split(separator: ";") {
        let kv = part.split(separator: "=", maxSplits: 1)
        guard kv.count == 2 else { continue }
        fields[String(kv[0])] = kv[1].split(separator: ",").map(String.init)
      }
      guard let original = fields["from"]?.first else { return nil }
      self.init(original: original, toTry: fields["try"] ?? [], rejected: fields["rejected"] ?? [])
    }

    public var text: String {
      "from=\(original);try=\(toTry.joined(separator: ","));rejected=\(rejected.joined(separator: ","))"
    }
  }

  /// What start-up does next.
  public enum Step: Sendable, Equatable {
    /// Run on the loaded core.
    case keep(Origin)
    /// Restart the process with these variables changed (`nil`: removed).
    case restart(core: String?, marker: Marker)
  }

  /// The next step for a process whose library loaded `loaded`, given the
  /// environment it was started with, the CPU, and `selfCheck` (run only
  /// when a chosen core is on trial: false if its results are wrong).
  public static func nextStep(environment: [String: String], loaded: String, cpu: CPUFeatures,
                              selfCheck: () -> Bool) -> Step {
    let markerText = environment[markerVariable]
    if markerText == "0" || markerText == "off" { return .keep(.disabled) }
    guard let markerText, let marker = Marker(markerText) else {
      if let user = environment[coreVariable], !user.isEmpty { return .keep(.environment(user)) }
      let list = candidates(for: cpu, loaded: loaded)
      guard let first = list.first else { return .keep(.detected) }
      return .restart(core: first, marker: Marker(original: loaded, toTry: list))
    }
    guard let trial = marker.toTry.first else {
      return .keep(marker.rejected.isEmpty ? .detected : .fellBack(rejected: marker.rejected))
    }
    if loaded.lowercased() == trial.lowercased() && selfCheck() {
      return .keep(.selected(from: marker.original, rejected: marker.rejected))
    }
    var next = marker
    next.toTry.removeFirst()
    next.rejected.append(trial)
    return .restart(core: next.toTry.first, marker: next)
  }
}

/// The BLAS idc runs on: library, core, threads, and how the core was chosen.
public struct BLASStatus: Sendable {
  /// "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY SkylakeX MAX_THREADS=64".
  public var configuration: String
  public var core: String
  public var threads: Int
  public var origin: BLASCoreSelection.Origin
  public var cpu: CPUFeatures

  /// The library's own report, read now, with `origin` from start-up.
  public static func current(origin: BLASCoreSelection.Origin, cpu: CPUFeatures) -> BLASStatus {
    BLASStatus(configuration: String(cString: openblas_get_config()), core: BLAS.coreName,
               threads: BLAS.threadCount, origin: origin, cpu: cpu)
  }

  /// "OpenBLAS 0.3.21".
  public var library: String {
    let words = configuration.split(separator: " ")
    return words.prefix(2).joined(separator: " ")
  }

  public var originDescription: String {
    switch origin {
    case .detected: "detected by OpenBLAS"
    case .environment(let v): "OPENBLAS_CORETYPE=\(v), set before idc started (kept)"
    case .selected(let from, let rejected):
      "chosen by idc: OpenBLAS picked \(from), this CPU has \(cpu.level); self-check passed"
        + (rejected.isEmpty ? "" : " (rejected: \(rejected.joined(separator: ", ")))")
    case .fellBack(let rejected) where rejected.isEmpty:
      "OpenBLAS's pick: restarting with a better core failed"
    case .fellBack(let rejected):
      "OpenBLAS's pick: no better core passed the self-check (rejected: \(rejected.joined(separator: ", ")))"
    case .disabled: "detected by OpenBLAS (automatic choice off: IDC_BLAS_AUTOCORE=0)"
    }
  }

  /// Report lines for `idc --version` and `show blas`.
  public var lines: [String] {
    [
      "BLAS: \(library), core \(core), \(threads) thread\(threads == 1 ? "" : "s")",
      "  core: \(originDescription)",
      "  build: \(configuration)",
      "CPU: \(cpu.modelName), \(cpu.summary)",
    ]
  }
}

extension BLAS {
  /// The kernel family OpenBLAS loaded. Calls `openblas_get_corename`.
  public static var coreName: String { String(cString: openblas_get_corename()) }

  /// Multiplies small matrices of awkward shapes (both layouts, with and
  /// without `Bᵀ`, through the blocked path) and compares with a
  /// double-precision reference: false if any entry is off by more than a
  /// few single-precision rounding errors. For trying a kernel family.
  public static func selfCheck() -> Bool {
    for (m, n, k, transposed) in [(7, 5, 3, false), (97, 83, 131, true), (300, 257, 128, true), (64, 96, 200, false)] {
      var a = [Float](repeating: 0, count: m * k), b = [Float](repeating: 0, count: k * n)
      // Deterministic values in [-1, 1] with no common structure.
      for i in 0..<a.count { a[i] = Float((i * 7919 + 13) % 2001) / 1000 - 1 }
      for i in 0..<b.count { b[i] = Float((i * 104_729 + 7) % 1999) / 999.5 - 1 }
      var c = [Float](repeating: .nan, count: m * n)
      a.withUnsafeBufferPointer { pa in
        b.withUnsafeBufferPointer { pb in
          c.withUnsafeMutableBufferPointer { pc in
            gemm(m: m, n: n, k: k, a: pa.baseAddress!, lda: k,
                 b: pb.baseAddress!, ldb: transposed ? k : n, transposeB: transposed, c: pc.baseAddress!, ldc: n)
          }
        }
      }
      for i in 0..<m {
        for j in 0..<n {
          var exact = 0.0, magnitude = 0.0
          for l in 0..<k {
            let bv = transposed ? b[j * k + l] : b[l * n + j]
            exact += Double(a[i * k + l]) * Double(bv)
            magnitude += abs(Double(a[i * k + l]) * Double(bv))
          }
          let error = abs(Double(c[i * n + j]) - exact)
          guard error.isFinite, error <= 1e-5 * magnitude + 1e-6 else { return false }
        }
      }
    }
    return true
  }
}
