import Foundation

/// One persistent `gnuplot` process for an idc session, fed scripts through a pipe.
///
/// The process starts lazily on the first script and is reused: starting
/// gnuplot costs tens of milliseconds, and a window terminal keeps its window
/// only while its process lives. Each script runs after a preamble that resets
/// gnuplot's state (see `GnuplotExchange`), so scripts never see each other's
/// settings or datablocks.
///
/// Errors: gnuplot's errors and warnings (any standard-error line of the form
/// `line N: …` or mentioning "error"/"warning") are thrown as
/// ``PlotError/gnuplot(message:command:)`` with the offending command. A
/// missing executable throws ``PlotError/gnuplotNotFound(searched:)``; a
/// process that dies or does not answer within ``timeout`` is reaped (killed)
/// and reported as ``PlotError/crashed(status:)`` or
/// ``PlotError/timedOut(seconds:)``, and the next call starts a fresh one. A
/// process found dead *between* calls is replaced silently.
///
/// Thread safety: a session must be used by one thread at a time (it is not
/// `Sendable`); each call blocks until gnuplot has finished the script.
public final class GnuplotSession {
  /// The executable given at creation, or `nil` to search ``searchPath``.
  public let executablePath: String?
  /// The directories searched for `gnuplot` (the `PATH` syntax).
  public let searchPath: String
  /// How long one script may take before gnuplot is killed.
  public var timeout: Duration

  private var process: GnuplotProcess?
  private var sequence = 0
  private var terminals: [String]?

  /// A session that has not started gnuplot yet.
  ///
  /// - Parameters:
  ///   - executablePath: a gnuplot binary to use instead of searching.
  ///   - searchPath: directories to search; defaults to the `PATH` variable.
  ///   - timeout: the longest one script may run (default 60 s: enough for
  ///     70 000 points to PNG on a slow machine, short enough to notice a hang).
  public init(executablePath: String? = nil, searchPath: String? = nil, timeout: Duration = .seconds(60)) {
    self.executablePath = executablePath
    self.searchPath = searchPath ?? ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    self.timeout = timeout
  }

  deinit {
    process?.close()
  }

  /// The process id of the running gnuplot, or `nil` before the first script
  /// and after a crash.
  public var processIdentifier: Int32? { process?.pid }

  /// Whether a gnuplot process is running now.
  public var isRunning: Bool { process?.isAlive ?? false }

  /// The gnuplot executable this session runs.
  ///
  /// - Throws: ``PlotError/gnuplotNotFound(searched:)``.
  public func resolvedExecutable() throws(PlotError) -> String {
    if let executablePath {
      guard ExecutableSearch.isExecutableFile(executablePath) else { throw .gnuplotNotFound(searched: executablePath) }
      return executablePath
    }
    guard let found = ExecutableSearch.find("gnuplot", in: searchPath) else { throw .gnuplotNotFound(searched: searchPath) }
    return found
  }

  /// Starts gnuplot now if it is not running (plots start it on demand).
  public func start() throws(PlotError) {
    _ = try liveProcess()
  }

  /// Draws `plot` on `target`.
  ///
  /// - Returns: the text gnuplot wrote for `dumb` and `sixel` targets; an
  ///   empty string for files and windows.
  @discardableResult
  public func render(_ plot: some GnuplotPlot, to target: PlotTarget) throws(PlotError) -> String {
    try run(plot.script(for: target)).output
  }

  /// Runs `script` and waits until gnuplot has finished it.
  ///
  /// - Throws: ``PlotError`` as described on the type.
  @discardableResult
  public func run(_ script: GnuplotScript) throws(PlotError) -> GnuplotReply {
    let process = try liveProcess()
    sequence += 1
    let current = sequence
    let payload = Array(GnuplotExchange.payload(for: script, sequence: current).utf8)
    let done = Array((GnuplotExchange.sentinel(current) + "\n").utf8)
    let transcript: GnuplotProcess.Transcript
    do {
      transcript = try process.exchange(payload, deadline: .now + timeout) { transcript in
        transcript.output.ends(with: done) && transcript.errors.ends(with: done)
      }
    } catch {
      self.process = nil
      switch error {
      case .timedOut:
        process.terminate()
        throw .timedOut(seconds: Double(timeout.components.seconds) + Double(timeout.components.attoseconds) * 1e-18)
      case .exited(let status, let lastWords):
        throw .crashed(status: lastWords.isEmpty ? status : "\(status): \(lastWords)")
      }
    }
    let errors = String(decoding: transcript.errors, as: UTF8.self)
    let (diagnostics, printed) = GnuplotExchange.interpret(standardError: errors, sequence: current)
    if let error = GnuplotExchange.error(for: diagnostics, in: script) { throw error }
    var output = String(decoding: transcript.output.dropLast(done.count), as: UTF8.self)
    if output.hasPrefix("\u{0C}") { output.removeFirst() }
    return GnuplotReply(output: output, printed: printed)
  }

  /// The names of gnuplot's terminals (`GPVAL_TERMINALS`), asked once.
  public func availableTerminals() throws(PlotError) -> [String] {
    if let terminals { return terminals }
    let reply = try run(GnuplotScript(commands: ["print GPVAL_TERMINALS"]))
    let names = reply.printed.joined(separator: " ").split(separator: " ").map(String.init)
    terminals = names
    return names
  }

  /// A target for an interactive window: the first of `qt`, `wxt`, `x11`,
  /// `aqua` that this gnuplot has.
  ///
  /// - Throws: ``PlotError/noWindowTerminal(available:)`` when it has none
  ///   (as with Debian's gnuplot-nox).
  public func windowTarget(size: PlotSize? = nil) throws(PlotError) -> PlotTarget {
    let available = try availableTerminals()
    guard let terminal = ["qt", "wxt", "x11", "aqua"].first(where: available.contains) else {
      throw .noWindowTerminal(available: available)
    }
    return .window(terminal: terminal, size: size)
  }

  /// Stops gnuplot (closing its input, then killing it after one second).
  /// The next plot starts a new process.
  public func close() {
    process?.close()
    process = nil
  }

  /// The running process, started (or restarted) if needed.
  private func liveProcess() throws(PlotError) -> GnuplotProcess {
    if let process, process.isAlive { return process }
    process?.close()
    process = nil
    let started = try GnuplotProcess(executable: resolvedExecutable())
    process = started
    return started
  }
}

extension Array where Element == UInt8 {
  /// Whether the bytes end with `suffix`.
  func ends(with suffix: [UInt8]) -> Bool {
    count >= suffix.count && self[(count - suffix.count)...].elementsEqual(suffix)
  }
}
