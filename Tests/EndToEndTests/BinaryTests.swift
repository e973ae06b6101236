import Foundation
import IDCData
import Testing

/// The built `idc` binary, next to this test bundle.
enum Binary {
  static var url: URL {
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    if dir.lastPathComponent.hasSuffix(".xctest") { dir.deleteLastPathComponent() }
    return dir.appendingPathComponent("idc")
  }
  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  struct Outcome { var code: Int32; var stdout: String; var stderr: String }

  /// Runs idc with `arguments`, feeding `input` on stdin; `environment`
  /// changes the inherited variables (`nil` values remove them).
  static func run(_ arguments: [String], input: String = "", directory: URL? = nil,
                  environment changes: [String: String?] = [:]) throws -> Outcome {
    let process = Process()
    process.executableURL = url
    process.arguments = arguments
    if !changes.isEmpty {
      var environment = ProcessInfo.processInfo.environment
      for (key, value) in changes { environment[key] = value }
      process.environment = environment
    }
    process.currentDirectoryURL = directory ?? packageRoot
    let inPipe = Pipe(), outPipe = Pipe(), errPipe = Pipe()
    process.standardInput = inPipe
    process.standardOutput = outPipe
    process.standardError = errPipe
    try process.run()
    inPipe.fileHandleForWriting.write(Data(input.utf8))
    try inPipe.fileHandleForWriting.close()
    let out = outPipe.fileHandleForReading.readDataToEndOfFile()
    let err = errPipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Outcome(code: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
  }

  /// Runs any program to its end; returns its exit status and its stdout and stderr together.
  static func runProgram(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let out = Pipe()
    process.standardOutput = out
    process.standardError = out
    try process.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, text)
  }

  static func temporaryDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("idc-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
  }
}

@Suite(.serialized) struct BinaryTests {
  @Test func tourRunsClean() throws {
    let r = try Binary.run(["examples/tour.idc"])
    #expect(r.code == 0, "stderr:\n\(r.stderr)")
    #expect(r.stdout.contains("trained: ACC"))
    #expect(r.stdout.contains("strategy hard+rep:"))
  }

  @Test func exitCodes() throws {
    let dir = try Binary.temporaryDirectory()
    try "load digits\nselect m=[1,\n".write(to: dir.appendingPathComponent("syntax.idc"), atomically: true, encoding: .utf8)
    try "load digits\nkmeans k=0\n".write(to: dir.appendingPathComponent("fail.idc"), atomically: true, encoding: .utf8)
    let syntax = try Binary.run([dir.appendingPathComponent("syntax.idc").path])
    #expect(syntax.code == 65)
    let fail = try Binary.run([dir.appendingPathComponent("fail.idc").path])
    #expect(fail.code == 70)
    #expect(fail.stderr.contains("fail.idc:2:10: error: k must be"), "\(fail.stderr)")
    let keepGoing = try Binary.run(["--keep-going", dir.appendingPathComponent("fail.idc").path])
    #expect(keepGoing.code == 70)
    let missing = try Binary.run(["/nonexistent.idc"])
    #expect(missing.code == 66)
  }

  @Test func scriptFromStdinAndEcho() throws {
    let r = try Binary.run(["--echo"], input: "load digits\nprint \"hello $x\"\n")
    // $x is undefined: a located error, exit 70.
    #expect(r.code == 70)
    #expect(r.stdout.contains("» load digits"))
    #expect(r.stderr.contains("<stdin>:2:"))
  }

  @Test func runFromCell() throws {
    let dir = try Binary.temporaryDirectory()
    let script = "# %% one\nprint \"first\"\n# %% two\nprint \"second\"\n"
    try script.write(to: dir.appendingPathComponent("cells.idc"), atomically: true, encoding: .utf8)
    let r = try Binary.run(["run", dir.appendingPathComponent("cells.idc").path, "--from", "two"])
    #expect(r.code == 0)
    #expect(r.stdout == "second\n")
  }

  /// Answers given at `feedback ask` survive a killed process: the journal
  /// holds them and the next run resumes where the first stopped.
  @Test func journalSurvivesAKill() throws {
    let dir = try Binary.temporaryDirectory()
    let script = """
      load digits
      kmeans k=10 n_init=1 swaps=0 seed=0
      select m=12
      feedback ask journal="\(dir.path)/journal.csv"
      feedback save file="\(dir.path)/answers.csv"
      """
    try script.write(to: dir.appendingPathComponent("ask.idc"), atomically: true, encoding: .utf8)
    // First run: answer three queries, then the process is killed (SIGKILL) while it waits.
    let process = Process()
    process.executableURL = Binary.url
    process.arguments = [dir.appendingPathComponent("ask.idc").path]
    process.currentDirectoryURL = Binary.packageRoot
    let input = Pipe()
    process.standardInput = input
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    input.fileHandleForWriting.write(Data("1\n0\ns\n".utf8))
    let journal = dir.appendingPathComponent("journal.csv").path
    let deadline = Date().addingTimeInterval(60)
    while Date() < deadline {
      let text = (try? String(contentsOfFile: journal, encoding: .utf8)) ?? ""
      if text.split(separator: "\n").count >= 4 { break }
      Thread.sleep(forTimeInterval: 0.05)
    }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    #expect(process.terminationReason == .uncaughtSignal)
    let lines = try String(contentsOfFile: journal, encoding: .utf8).split(separator: "\n")
    #expect(lines.count == 4, "journal:\n\(lines.joined(separator: "\n"))")
    // Second run resumes: 9 more answers (all "2"), then saves all 12.
    let resumed = try Binary.run([dir.appendingPathComponent("ask.idc").path], input: String(repeating: "2\n", count: 9))
    #expect(resumed.code == 0, "\(resumed.stderr)")
    #expect(resumed.stdout.contains("resuming: 3 of 12 already answered"))
    let saved = try IDCData.FeedbackFile.read(path: dir.appendingPathComponent("answers.csv").path)
    #expect(saved.feedback.count == 12)
    #expect(saved.feedback.skippedCount == 1)
    #expect(saved.feedback.negativeCount >= 1)
  }

  /// The whole loop on data with no labels at all — features and texts — answered by a person
  /// whose answers come from a file on stdin: load → kmeans → audit → select → ask → train →
  /// the next round by hand → use previous → plot quality → export. Nothing needs labels, and
  /// every estimate comes from the audit answers.
  /// `rounds by=ask` on features without labels: each round's queries go to the person; a
  /// person who stops (end of input) ends the rounds after that round's training, and the same
  /// statement run again resumes from the journal, asking only what is left — ending with the
  /// model an uninterrupted run makes.
  @Test func roundsByAskResumesFromItsJournal() throws {
    let dir = try Binary.temporaryDirectory()
    let prepare = try Binary.run([], input: "load digits\nexport features to=\"\(dir.path)/features.npy\"\n")
    #expect(prepare.code == 0, "\(prepare.stderr)")
    func script(_ journal: String, _ out: String) -> String {
      """
      load features="\(dir.path)/features.npy"
      kmeans k=10 seed=0
      m = rounds m=10 r=2 epochs=20 by=ask journal="\(dir.path)/\(journal)"
      export assignment to="\(dir.path)/\(out)"
      export answer_log to="\(dir.path)/\(out).answers.npz"
      """
    }
    let answers = ["1", "2", "0", "1", "s", "1", "1", "3", "0", "2"]
    try script("once.csv", "once.npy").write(to: dir.appendingPathComponent("once.idc"), atomically: true, encoding: .utf8)
    let once = try Binary.run([dir.appendingPathComponent("once.idc").path], input: answers.joined(separator: "\n") + "\n")
    #expect(once.code == 0, "\(once.stderr)")
    #expect(once.stdout.contains("round 2 of 2: 5 answered"))
    #expect(!once.stdout.contains("ACC"), "no labels: no ACC")
    try script("parts.csv", "parts.npy").write(to: dir.appendingPathComponent("parts.idc"), atomically: true, encoding: .utf8)
    let first = try Binary.run([dir.appendingPathComponent("parts.idc").path], input: answers.prefix(7).joined(separator: "\n") + "\n")
    #expect(first.code == 0, "\(first.stderr)")
    #expect(first.stdout.contains("round 2 of 2: 2 answered"))
    #expect(first.stdout.contains("stopped after round 2"))
    let second = try Binary.run([dir.appendingPathComponent("parts.idc").path], input: answers.suffix(3).joined(separator: "\n") + "\n")
    #expect(second.code == 0, "\(second.stderr)")
    #expect(second.stdout.contains("resuming: 5 of 5 already answered"))
    #expect(second.stdout.contains("resuming: 2 of 5 already answered"))
    #expect(second.stdout.contains("round 2 of 2: 5 answered"))
    let a = try NPYReader.read(path: dir.appendingPathComponent("once.npy").path)
    let b = try NPYReader.read(path: dir.appendingPathComponent("parts.npy").path)
    #expect(a == b, "the resumed rounds end with the uninterrupted run's clustering")
    let log = try NPZArchive(path: dir.appendingPathComponent("parts.npy.answers.npz").path)
    #expect(try log.array("anchors").shape == [10])
  }

  @Test func theWholeLoopWithoutLabels() throws {
    let dir = try Binary.temporaryDirectory()
    let prepare = try Binary.run([], input: """
      load digits
      export features to="\(dir.path)/features.npy"
      """)
    #expect(prepare.code == 0, "\(prepare.stderr)")
    let texts = (0..<1797).map { "sample \($0)" }.joined(separator: "\n") + "\n"
    try texts.write(to: dir.appendingPathComponent("texts.txt"), atomically: true, encoding: .utf8)
    let script = """
      load features="\(dir.path)/features.npy" texts="\(dir.path)/texts.txt"
      kmeans k=10 seed=0
      au = feedback audit n=20 by=ask seed=1 journal="\(dir.path)/audit.csv"
      eval
      s1 = select m=10
      a1 = feedback ask journal="\(dir.path)/ask1.csv"
      m1 = train every=0 epochs=30 init_steps=200
      score centers=current
      s2 = select m=10
      a2 = feedback ask journal="\(dir.path)/ask2.csv"
      m2 = train from=current answers=all every=0 epochs=30 init_steps=200
      use previous
      show
      plot quality to="\(dir.path)/quality.png"
      export answer_log to="\(dir.path)/answers.npz"
      export audit_log to="\(dir.path)/audit.npz"
      export assignment to="\(dir.path)/assignment.npy"
      """
    try script.write(to: dir.appendingPathComponent("loop.idc"), atomically: true, encoding: .utf8)
    // The person's answers, from a file: the audit mostly confirms (1 = the sample's own cluster),
    // the queries get a mix of candidates, "none" (0) and a skip.
    let audit = (0..<20).map { $0 % 5 == 4 ? "0" : "1" }
    let asked = (0..<20).map { ["1", "2", "0", "1", "s"][$0 % 5] }
    let answers = (audit + asked).joined(separator: "\n") + "\n"
    try answers.write(to: dir.appendingPathComponent("answers.txt"), atomically: true, encoding: .utf8)
    let r = try Binary.run([dir.appendingPathComponent("loop.idc").path],
                           input: try String(contentsOf: dir.appendingPathComponent("answers.txt"), encoding: .utf8))
    #expect(r.code == 0, "\(r.stderr)")
    #expect(!r.stdout.contains("ACC"), "no labels: no ACC anywhere")
    #expect(r.stdout.contains("confirmed 80.0 %"), "eval estimates k-means from the 16 of 20 confirming audit answers")
    #expect(r.stdout.contains("audit:"), "train prints the audit estimate of each model")
    #expect(r.stdout.contains("'use previous' makes it current again"),
            "answers given without looking make a worse model, and the audit says so")
    #expect(r.stdout.contains("current: model trained on"), "use previous names what it restored")
    #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("quality.png").path))
    let log = try NPZArchive(path: dir.appendingPathComponent("answers.npz").path)
    #expect(try log.array("anchors").shape == [20], "both rounds' 20 answers, the audit held apart")
    let held = try NPZArchive(path: dir.appendingPathComponent("audit.npz").path)
    #expect(try held.array("anchors").shape == [20])
    let assignment = try NPYReader.read(path: dir.appendingPathComponent("assignment.npy").path)
    #expect(assignment.shape == [1797])
  }
}
