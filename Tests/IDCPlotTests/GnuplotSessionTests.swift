import Dispatch
import Foundation
import IDCPlot
import Testing

/// The persistent gnuplot process: errors reported as idc errors, a missing,
/// crashed or hung gnuplot handled, and state not leaking between scripts.
@Suite(.serialized)
struct GnuplotSessionTests {
  let dumb = PlotTarget.dumb(width: 60, height: 20)

  func smallCurve() -> CurvePlot {
    CurvePlot(series: [.init(name: "random", x: [0, 100, 200], y: [60, 65, 67])], title: "tiny")
  }

  // MARK: Missing gnuplot

  @Test func missingGnuplotOnThePathGivesTheInstallHint() {
    let session = GnuplotSession(searchPath: "/nonexistent/bin:/also/missing")
    #expect(throws: PlotError.gnuplotNotFound(searched: "/nonexistent/bin:/also/missing")) {
      try session.render(smallCurve(), to: dumb)
    }
    let message = PlotError.gnuplotNotFound(searched: "/nonexistent/bin").description
    #expect(message == "gnuplot not found on PATH (/nonexistent/bin); install gnuplot-nox (scripts/install-deps.sh) — the rest of idc keeps working")
    #expect(!session.isRunning)
    #expect(session.processIdentifier == nil)
  }

  @Test func aMissingInjectedExecutableIsReportedTheSameWay() {
    let session = GnuplotSession(executablePath: "/no/such/gnuplot")
    #expect(throws: PlotError.gnuplotNotFound(searched: "/no/such/gnuplot")) { try session.start() }
  }

  /// An executable file `name` with `contents` in a fresh directory.
  func fakeGnuplot(_ contents: String) throws -> (path: String, directory: String) {
    let directory = try pictureDirectory("fake-gnuplot")
    let path = directory + "/gnuplot"
    #expect(FileManager.default.createFile(atPath: path, contents: Data(contents.utf8), attributes: [.posixPermissions: 0o755]))
    return (path, directory)
  }

  @Test func anExecutableThatCannotRunIsALaunchFailure() throws {
    let fake = try fakeGnuplot("not a program\n")
    defer { try? FileManager.default.removeItem(atPath: fake.directory) }
    let session = GnuplotSession(searchPath: fake.directory)
    #expect(throws: PlotError.launchFailed(path: fake.path, reason: "Exec format error")) { try session.start() }
  }

  @Test func aGnuplotThatExitsAtOnceIsACrashNotAHang() throws {
    let fake = try fakeGnuplot("#!/bin/sh\necho 'gnuplot: cannot initialise' >&2\nexit 3\n")
    defer { try? FileManager.default.removeItem(atPath: fake.directory) }
    let session = GnuplotSession(executablePath: fake.path, timeout: .seconds(20))
    #expect(throws: PlotError.crashed(status: "exit status 3: gnuplot: cannot initialise")) {
      try session.render(smallCurve(), to: dumb)
    }
    #expect(session.processIdentifier == nil)
  }

  // MARK: gnuplot's own errors

  @Test(.enabled(if: gnuplotAvailable))
  func aBadCommandThrowsGnuplotsMessageWithTheCommand() throws {
    let session = GnuplotSession()
    let script = GnuplotScript(commands: ["set terminal dumb", "foo bar", "print 1"])
    #expect(throws: PlotError.gnuplot(message: "invalid command", command: "foo bar")) { try session.run(script) }
    #expect(try session.render(smallCurve(), to: dumb).contains("tiny"), "the session goes on after an error")
  }

  @Test(.enabled(if: gnuplotAvailable))
  func aMissingDatablockAndAMissingFileAreErrors() throws {
    let session = GnuplotSession()
    #expect(throws: PlotError.gnuplot(message: "no datablock named $nosuch", command: "plot $nosuch")) {
      try session.run(GnuplotScript(commands: ["set terminal dumb", "plot $nosuch"]))
    }
    let file = "/nonexistent/idc-data.dat"
    #expect(throws: PlotError.gnuplot(
      message: "warning: Cannot find or open file \"\(file)\"; No data in plot", command: "plot \"\(file)\"")) {
      try session.run(GnuplotScript(commands: ["set terminal dumb", "plot \"\(file)\""]))
    }
  }

  @Test(.enabled(if: gnuplotAvailable))
  func anUnwritableOutputFileIsAnError() throws {
    let session = GnuplotSession()
    let target = try PlotTarget.file("/nonexistent/dir/fig.png")
    let error = #expect(throws: PlotError.self) { try session.render(smallCurve(), to: target) }
    guard case .gnuplot(let message, let command)? = error else {
      Issue.record("expected a gnuplot error, got \(String(describing: error))")
      return
    }
    #expect(message.contains("cannot open file"))
    #expect(command == "set output \"/nonexistent/dir/fig.png\"")
  }

  @Test(.enabled(if: gnuplotAvailable))
  func manyErrorsDoNotDeadlockThePipes() throws {
    let session = GnuplotSession(timeout: .seconds(30))
    let script = GnuplotScript(commands: Array(repeating: "foo bar baz", count: 3000))
    #expect(throws: PlotError.gnuplot(message: "invalid command", command: "foo bar baz")) { try session.run(script) }
  }

  // MARK: Replies

  @Test(.enabled(if: gnuplotAvailable))
  func printedLinesAndDumbTextAreReturned() throws {
    let session = GnuplotSession()
    let reply = try session.run(GnuplotScript(commands: ["print 1 + 2", "print \"two words\""]))
    #expect(reply.printed == ["3", "two words"])
    #expect(reply.output.isEmpty)
    let text = try session.render(smallCurve(), to: dumb)
    #expect(!text.hasPrefix("\u{0C}"))
    #expect(text.contains("tiny") && text.contains("random"))
    #expect(!text.contains("IDC_"))
  }

  @Test(.enabled(if: gnuplotAvailable))
  func scriptsDoNotSeeEachOthersDatablocksOrSettings() throws {
    let session = GnuplotSession()
    try session.run(GnuplotScript(datablocks: [Datablock(name: "kept", lines: ["1 1"])], commands: ["set title \"old\""]))
    #expect(throws: PlotError.gnuplot(message: "no datablock named $kept", command: "plot $kept")) {
      try session.run(GnuplotScript(commands: ["set terminal dumb", "plot $kept"]))
    }
    let reply = try session.run(GnuplotScript(commands: ["print GPVAL_TERM", "show title"]))
    #expect(!reply.printed.joined().contains("old"))
  }

  @Test(.enabled(if: gnuplotAvailable))
  func oneProcessServesManyPlots() throws {
    let session = GnuplotSession()
    try session.start()
    let pid = session.processIdentifier
    for _ in 0..<5 { try session.render(smallCurve(), to: dumb) }
    #expect(session.processIdentifier == pid)
    #expect(session.isRunning)
    session.close()
    #expect(!session.isRunning)
    try session.render(smallCurve(), to: dumb)
    #expect(session.isRunning)
  }

  @Test(.enabled(if: gnuplotAvailable))
  func largeDatablocksGoThroughThePipe() throws {
    let blobs = Fixtures.blobs(clusters: 10, perCluster: 5000)
    let text = try GnuplotSession().render(
      EmbeddingPlot(points: blobs.points, groups: blobs.labels, highlighted: Array(0..<500), title: "50k"), to: dumb)
    #expect(text.contains("selected (M = 500)"))
  }

  // MARK: Crashes and hangs

  @Test(.enabled(if: gnuplotAvailable))
  func aProcessKilledBetweenPlotsIsReplaced() throws {
    let session = GnuplotSession()
    try session.render(smallCurve(), to: dumb)
    let first = try #require(session.processIdentifier)
    kill(first, SIGKILL)
    let deadline = ContinuousClock.now + .seconds(5)
    while session.isRunning && ContinuousClock.now < deadline { usleep(10_000) }
    #expect(!session.isRunning)
    #expect(try session.render(smallCurve(), to: dumb).contains("tiny"))
    #expect(session.processIdentifier != first)
  }

  @Test(.enabled(if: gnuplotAvailable))
  func aProcessKilledJustBeforeAPlotNeverTakesIdcDown() throws {
    let session = GnuplotSession()
    try session.start()
    kill(try #require(session.processIdentifier), SIGKILL)
    do {
      try session.render(smallCurve(), to: dumb)
    } catch {
      guard case .crashed = error else {
        Issue.record("a dead gnuplot is replaced or reported as crashed, not \(error)")
        return
      }
    }
    #expect(try session.render(smallCurve(), to: dumb).contains("tiny"), "the next plot restarts gnuplot")
  }

  @Test(.enabled(if: gnuplotAvailable))
  func aProcessKilledWhileWorkingIsACrashAndTheNextPlotWorks() throws {
    let session = GnuplotSession()
    try session.start()
    let pid = try #require(session.processIdentifier)
    DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(300)) { _ = kill(pid, SIGKILL) }
    #expect(throws: PlotError.crashed(status: "killed by signal 9 (SIGKILL)")) {
      try session.run(GnuplotScript(commands: ["pause 10"]))
    }
    #expect(session.processIdentifier == nil)
    #expect(try session.render(smallCurve(), to: dumb).contains("tiny"))
  }

  @Test(.enabled(if: gnuplotAvailable))
  func aHungGnuplotIsStoppedAfterTheTimeout() throws {
    let session = GnuplotSession(timeout: .milliseconds(400))
    let clock = ContinuousClock()
    let elapsed = clock.measure {
      #expect(throws: PlotError.timedOut(seconds: 0.4)) { try session.run(GnuplotScript(commands: ["pause 30"])) }
    }
    #expect(elapsed < .seconds(5))
    #expect(!session.isRunning)
    session.timeout = .seconds(30)
    #expect(try session.render(smallCurve(), to: dumb).contains("tiny"))
  }

  // MARK: Terminals

  @Test(.enabled(if: gnuplotAvailable))
  func terminalsAreListedAndAMissingWindowTerminalIsExplained() throws {
    let session = GnuplotSession()
    let terminals = try session.availableTerminals()
    #expect(terminals.contains("dumb") && terminals.contains("svg") && terminals.contains("pngcairo"))
    let windows = ["qt", "wxt", "x11", "aqua"].filter(terminals.contains)
    if windows.isEmpty {
      #expect(throws: PlotError.noWindowTerminal(available: terminals)) { try session.windowTarget() }
    } else {
      #expect(try session.windowTarget().kind == .window(terminal: windows[0]))
    }
  }
}
