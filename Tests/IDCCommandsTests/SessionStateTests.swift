import Foundation
import IDCCore
import IDCData
import IDCLang
import Testing

@testable import IDCCommands

/// A monitor that reports an interrupt once `label…` has done `step` units: Ctrl-C at a
/// known moment.
final class InterruptAt: @unchecked Sendable {
  let label: String
  let step: Int
  init(_ label: String, step: Int) {
    self.label = label
    self.step = step
  }
  private let lock = NSLock()
  private var fired = false
  var monitor: WorkMonitor {
    WorkMonitor(isCancelled: { self.lock.withLock { self.fired } },
                progress: { label, done, _ in
                  if label.hasPrefix(self.label), done >= self.step { self.lock.withLock { self.fired = true } }
                })
  }
}

/// A session on digits with a k-means, a selection and oracle answers.
func digitsSession(_ capture: Capture, interrupt: InterruptAt? = nil, extra: String = "") throws -> Evaluator {
  let evaluator = Evaluator(sinks: capture.sinks)
  let runner = ScriptRunner(evaluator: evaluator)
  let setup = "load digits\nkmeans k=10 n_init=1 swaps=0 seed=0\nsel = select m=30\nanswers = feedback oracle\n" + extra
  #expect(runner.run(source: setup, file: "setup.idc") == 0, "\(capture.stderr)")
  if let interrupt { evaluator.monitorFactory = { interrupt.monitor } }
  return evaluator
}

@Suite(.serialized) struct InterruptTests {
  /// Ctrl-C during finetuning keeps the model: marked interrupted, usable by eval, plot, export.
  @Test func interruptedTrainKeepsTheModel() throws {
    let capture = Capture()
    let evaluator = try digitsSession(capture, interrupt: InterruptAt("finetuning", step: 3))
    let runner = ScriptRunner(evaluator: evaluator)
    #expect(runner.run(source: "m = train epochs=20000 every=0 init_steps=50\n", file: "t.idc") == 130)
    #expect(capture.stderr.contains("interrupted — kept the model after 3 of 20000 epochs as m\n"), "\(capture.stderr)")
    #expect(!capture.stderr.contains("t.idc:1:1"), "an interrupt is not shown as a located error")
    guard case .model(let model)? = evaluator.workspace.named["m"] else {
      Issue.record("no model kept")
      return
    }
    #expect(model.interruptedAfter == Interrupted.Progress(3, of: 20000, "epochs"))
    #expect(model.result.history.count == 3)
    #expect(evaluator.workspace.current == model.result.assignment)
    evaluator.monitorFactory = { .silent }
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("idc-int-\(UUID().uuidString).npz").path
    #expect(runner.run(source: "show\neval m\nplot training\nexport m to=\"\(out)\"\n", file: "u.idc") == 0, "\(capture.stderr)")
    #expect(capture.stdout.contains("m: head 64→512→10, 20000 epochs on 30 answers (pos+neg+reg) — interrupted after 3 of 20000 epochs"))
    #expect(capture.stdout.contains("[m]"))
    let archive = try NPZArchive(path: out)
    #expect(try archive.array("epochs_done").asLabels() == [3])
    try? FileManager.default.removeItem(atPath: out)
    // The transcript redoes exactly the work kept: the same head, from a replay.
    #expect(evaluator.workspace.transcript.contains("m = train every=0 init_steps=50 epochs=3"))
    let replayed = try digitsSession(Capture(), extra: "m = train every=0 init_steps=50 epochs=3\n")
    guard case .model(let again)? = replayed.workspace.named["m"] else {
      Issue.record("replay made no model")
      return
    }
    #expect(again.result.head.parameters == model.result.head.parameters)
  }

  /// Ctrl-C during Cop-Kmeans keeps its assignment as the current one, with its metrics.
  @Test func interruptedCopKMeansKeepsTheAssignment() throws {
    let capture = Capture()
    let evaluator = try digitsSession(capture, interrupt: InterruptAt("cop-kmeans", step: 1))
    let runner = ScriptRunner(evaluator: evaluator)
    #expect(runner.run(source: "cop = baseline cop-kmeans\n", file: "c.idc") == 130)
    #expect(capture.stderr.contains("interrupted — kept the metrics after 1 of 100 iterations as cop\n"), "\(capture.stderr)")
    #expect(evaluator.workspace.currentSource == "baseline cop-kmeans, interrupted after 1 of 100 iterations")
    #expect(evaluator.workspace.named["cop"] != nil)
    evaluator.monitorFactory = { .silent }
    #expect(runner.run(source: "show\neval\n", file: "s.idc") == 0)
    #expect(capture.stdout.contains("current: baseline cop-kmeans, interrupted after 1 of 100 iterations"))
    #expect(capture.stdout.contains("[baseline cop-kmeans, interrupted after 1 of 100 iterations]"))
    #expect(evaluator.workspace.transcript.contains("cop = baseline cop-kmeans max_iter=1"))
    let replayed = try digitsSession(Capture(), extra: "cop = baseline cop-kmeans max_iter=1\n")
    #expect(replayed.workspace.current == evaluator.workspace.current)
  }

  /// Ctrl-C during k-means keeps the best restart as a value, not as the pre-trained model.
  @Test func interruptedKMeansKeepsThePreviousModel() throws {
    let capture = Capture()
    let evaluator = try digitsSession(capture, interrupt: InterruptAt("k-means run 2", step: 1))
    let before = evaluator.workspace.pretrained
    #expect(ScriptRunner(evaluator: evaluator).run(source: "km = kmeans k=20 n_init=5\n", file: "k.idc") == 130)
    #expect(capture.stderr.contains("interrupted — kept the clustering after 1 of 5 restarts as km"), "\(capture.stderr)")
    #expect(evaluator.workspace.pretrained == before)
    guard case .clustering(let c)? = evaluator.workspace.named["km"] else {
      Issue.record("no clustering kept")
      return
    }
    #expect(c.centers.rows == 20)
  }

  /// Work that keeps nothing says so.
  @Test func interruptedInitialFitKeepsNothing() throws {
    let capture = Capture()
    let evaluator = try digitsSession(capture, interrupt: InterruptAt("fitting head", step: 1))
    #expect(ScriptRunner(evaluator: evaluator).run(source: "train\n", file: "i.idc") == 130)
    #expect(capture.stderr.contains("interrupted — head fit stopped after"), "\(capture.stderr)")
    #expect(capture.stderr.contains("; nothing kept"))
    #expect(evaluator.workspace.latest[.model] == nil)
  }
}

@Suite(.serialized) struct SaveSourceTests {
  /// `save` → `source` in a new session restores every kind of value, value by value.
  @Test func saveThenSourceRestoresEveryValue() throws {
    let capture = Capture()
    let evaluator = Evaluator(sinks: capture.sinks)
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("idc-save-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    evaluator.workspace.options.outputDirectory = dir.path
    let script = """
      load digits
      set seed=3
      km = kmeans k=10 n_init=1 swaps=0
      score k=15
      sel = select m=25 strategy=hard+rep
      answers = feedback oracle t=4
      m = train epochs=8 every=0 init_steps=50
      emb = tsne iterations=20 early=10 method=exact
      t = sweep m=[10] epochs=2 n_init=1 seeds=[-2]
      acc = eval m
      cop = baseline cop-kmeans
      save session
      """
    #expect(ScriptRunner(evaluator: evaluator).run(source: script, file: "a.idc") == 0, "\(capture.stderr)")
    let restored = Evaluator(sinks: Capture().sinks)
    restored.workspace.options.outputDirectory = dir.path
    #expect(ScriptRunner(evaluator: restored).run(source: "source \"\(dir.path)/session.idc\"\n", file: "b.idc") == 0)
    let a = evaluator.workspace, b = restored.workspace
    #expect(Set(a.named.keys) == Set(b.named.keys))
    #expect(a.named.keys.count == 8)
    for (name, value) in a.named {
      #expect(b.named[name]?.summary == value.summary, "\(name)")
      #expect(ExportCommand.arrays(of: value, prefix: nil).map(\.array) == b.named[name].map { ExportCommand.arrays(of: $0, prefix: nil).map(\.array) },
              "\(name): arrays differ")
    }
    for kind in ValueKind.allCases { #expect(a.latest[kind]?.summary == b.latest[kind]?.summary, "latest \(kind)") }
    #expect(a.pretrained == b.pretrained && a.current == b.current && a.currentSource == b.currentSource)
    #expect(a.scores?.hardness == b.scores?.hardness && a.scoreNeighbors == b.scoreNeighbors)
    #expect(a.options.seed == b.options.seed)
    #expect(SaveCommand.sessionArrays(a).map(\.array) == SaveCommand.sessionArrays(b).map(\.array))
  }
}

@Suite struct CommandDeclarationTests {
  /// Every kind of value has a command that says how to make it; a hint belongs to a command that makes something.
  @Test func everyKindHasAHowToMake() {
    for kind in ValueKind.allCases { #expect(Commands.howToMake(kind) != nil, "\(kind)") }
    for command in Commands.all where command.howToMake != nil {
      #expect(command.spec.resultKind != nil, "\(command.spec.name) has a hint but makes nothing")
    }
  }

  /// What is replayed: the commands that change the session, not those that only look or write files.
  @Test func transcriptRoles() {
    let recorded = Commands.all.compactMap { command in command.transcript == .recorded ? command.spec.name : nil }
    #expect(recorded == ["load", "kmeans", "score", "select", "feedback", "train", "rounds", "use", "name", "merge", "split", "undo", "eval", "baseline", "sweep", "tsne", "set", "define"])
  }

  /// A missing value names the command that makes it.
  @Test func missingValueHint() throws {
    let capture = Capture()
    #expect(ScriptRunner(evaluator: Evaluator(sinks: capture.sinks)).run(source: "load digits\nkmeans n_init=1\nplot training\n", file: "h.idc") == 70)
    #expect(capture.stderr.contains("error: no model yet"))
    #expect(capture.stderr.contains("help: run 'train' after 'feedback'"))
  }

  /// Every default the language shows is the core's own.
  @Test func defaultsComeFromTheCore() throws {
    func defaultValue(_ command: String, _ parameter: String) -> Value? {
      Commands.registry.spec(named: command)?.parameter(named: parameter)?.defaultValue
    }
    #expect(defaultValue("kmeans", "n_init") == .int(KMeans.defaults.nInit))
    #expect(defaultValue("kmeans", "tol") == .double(KMeans.defaults.tolerance))
    #expect(defaultValue("train", "epochs") == .int(HeadTrainer.defaults.epochs))
    #expect(defaultValue("train", "lr") == .double(0.001))
    #expect(defaultValue("tsne", "perplexity") == .double(TSNE.defaults.perplexity))
    #expect(defaultValue("select", "m") == .int(ValueSelector.defaults.count))
    #expect(defaultValue("score", "k") == .int(NearestNeighbors.defaults.k))
  }
}

@Suite(.serialized) struct SessionLogTests {
  func directory() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("idc-sessions-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
  }

  /// The script of a session of process `pid` (long gone) started at `time`, killed after `statements`.
  func crashedSession(in dir: String, at time: Double, pid: Int32, _ statements: [String]) throws -> SessionLog {
    let log = try SessionLog(directory: dir, now: Date(timeIntervalSince1970: time), pid: pid)
    for statement in statements { log.append(statement) }
    return log
  }

  /// A new session never touches an earlier one's script; a crashed one is found, once.
  @Test func oneScriptPerSessionAndTheCrashedOneIsFound() throws {
    let dir = try directory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    // A session of a process that is gone (pid 999999), killed before it ended.
    let crashed = try crashedSession(in: dir, at: 1_000_000, pid: 999_999, ["load digits", "kmeans k=10"])
    try crashedSession(in: dir, at: 1_000_100, pid: 999_998, ["load digits"]).close()
    let current = try SessionLog(directory: dir)
    #expect(Set(SessionLog.entries(in: dir).map(\.path)).count == 3)
    #expect(try String(contentsOfFile: crashed.path, encoding: .utf8).contains("kmeans k=10\n"))
    let found = SessionLog.lastCrashed(in: dir, excluding: current.path)
    #expect(found?.path == crashed.path)
    #expect(found?.statements == 2)
    SessionLog.markRecovered(crashed.path, into: current.path)
    #expect(SessionLog.lastCrashed(in: dir, excluding: current.path) == nil)
  }

  /// Old clean scripts are pruned; an unrecovered crash is kept.
  @Test func pruningKeepsCrashes() throws {
    let dir = try directory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let crashed = try crashedSession(in: dir, at: 0, pid: 999_997, ["load digits"])
    for i in 1...(SessionLog.kept + 3) {
      let log = try SessionLog(directory: dir, now: Date(timeIntervalSince1970: Double(i * 10)), pid: 999_000)
      log.close()
    }
    _ = try SessionLog(directory: dir, now: Date(timeIntervalSince1970: 100_000), pid: 999_001)
    let left = SessionLog.entries(in: dir)
    #expect(left.count == SessionLog.kept + 1)
    #expect(left.contains { $0.path == crashed.path })
  }

  /// `recover` replays the crashed session into this one.
  @Test func recoverReplays() throws {
    let dir = try directory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let crashed = try crashedSession(in: dir, at: 5, pid: 999_996, ["load digits", "km = kmeans k=8 n_init=1 swaps=0"])
    let capture = Capture()
    let evaluator = Evaluator(sinks: capture.sinks)
    #expect(ScriptRunner(evaluator: evaluator).run(source: "recover file=\"\(crashed.path)\"\n", file: "r.idc") == 0, "\(capture.stderr)")
    #expect(evaluator.workspace.pretrained?.count == 1797)
    #expect(evaluator.workspace.named["km"] != nil)
    #expect(capture.stdout.contains("recovered: 2 statements from \(crashed.path)"))
  }
}
