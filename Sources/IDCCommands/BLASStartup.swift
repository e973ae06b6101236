#if canImport(Glibc)
import Glibc
#endif
import Foundation
import IDCCore

/// Start-up's choice of OpenBLAS core, made once before anything else runs
/// (REPL, scripts, `idc bench`, the Jupyter kernel): the process restarts
/// itself with `OPENBLAS_CORETYPE` set when OpenBLAS fell back to kernels
/// below what the CPU runs, following ``BLASCoreSelection``'s protocol.
///
/// A core on trial is checked by ``BLAS/selfCheck()``; an illegal
/// instruction while checking restarts with the next candidate too (a
/// SIGILL handler that only calls `execve`). Test hooks, read only by a
/// process that is not yet restarting: `IDC_TEST_BLAS_CORENAME` pretends
/// OpenBLAS loaded that core, `IDC_TEST_BLAS_FAIL_CHECK=A,B` makes the check
/// of those cores fail.
public enum BLASStartup {
  /// How the running core was chosen (set by ``run(arguments:)``).
  nonisolated(unsafe) public private(set) static var origin: BLASCoreSelection.Origin = .detected

  /// This machine's processor, from `/proc/cpuinfo` (read once per process).
  public static let hostCPU =
    CPUFeatures(cpuinfo: (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? "")

  /// The BLAS in use now (threads as set at this moment).
  public static var status: BLASStatus { .current(origin: origin, cpu: hostCPU) }

  /// Runs the protocol: returns when the process keeps its core, or
  /// replaces the process (`execve` of `/proc/self/exe` with `arguments`).
  public static func run(arguments: [String] = CommandLine.arguments) {
    let environment = ProcessInfo.processInfo.environment
    let cpu = hostCPU
    let restarting = environment[BLASCoreSelection.markerVariable] != nil
    let loaded = restarting ? BLAS.coreName : (environment["IDC_TEST_BLAS_CORENAME"] ?? BLAS.coreName)
    let failing = Set((environment["IDC_TEST_BLAS_FAIL_CHECK"] ?? "").split(separator: ",").map { $0.lowercased() })

    // A core on trial: should its check crash, go on as if it had failed.
    if restarting, case .restart(let core, let marker) =
      BLASCoreSelection.nextStep(environment: environment, loaded: loaded, cpu: cpu, selfCheck: { false }) {
      armIllegalInstructionRestart(core: core, marker: marker, arguments: arguments)
    }
    let step = BLASCoreSelection.nextStep(environment: environment, loaded: loaded, cpu: cpu) {
      !failing.contains(BLAS.coreName.lowercased()) && BLAS.selfCheck()
    }
    signal(SIGILL, SIG_DFL)
    switch step {
    case .keep(let how):
      origin = how
      unsetenv(BLASCoreSelection.markerVariable)
    case .restart(let core, let marker):
      setVariables(core: core, marker: marker)
      execute(arguments)
      // execv failed (no /proc?): stay on what loaded, and say so.
      origin = .fellBack(rejected: [])
      unsetenv(BLASCoreSelection.markerVariable)
    }
  }

  private static func setVariables(core: String?, marker: BLASCoreSelection.Marker) {
    if let core { setenv(BLASCoreSelection.coreVariable, core, 1) } else { unsetenv(BLASCoreSelection.coreVariable) }
    setenv(BLASCoreSelection.markerVariable, marker.text, 1)
  }

  private static func execute(_ arguments: [String]) {
    let argv = arguments.map { strdup($0) } + [nil]
    _ = argv.withUnsafeBufferPointer { execv("/proc/self/exe", $0.baseAddress!) }
    for p in argv { free(p) }
  }

  /// Prepared in advance: the handler may only call `execve`.
  nonisolated(unsafe) private static var crashArguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
  nonisolated(unsafe) private static var crashEnvironment: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?

  private static func armIllegalInstructionRestart(core: String?, marker: BLASCoreSelection.Marker, arguments: [String]) {
    var environment = ProcessInfo.processInfo.environment
    environment[BLASCoreSelection.coreVariable] = core
    environment[BLASCoreSelection.markerVariable] = marker.text
    crashArguments = cArray(arguments)
    crashEnvironment = cArray(environment.map { "\($0.key)=\($0.value)" })
    signal(SIGILL) { _ in
      if let argv = BLASStartup.crashArguments, let envp = BLASStartup.crashEnvironment { _ = execve("/proc/self/exe", argv, envp) }
      _exit(132)
    }
  }

  private static func cArray(_ strings: [String]) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> {
    let array = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: strings.count + 1)
    for (i, s) in strings.enumerated() { array[i] = strdup(s) }
    array[strings.count] = nil
    return array
  }
}
