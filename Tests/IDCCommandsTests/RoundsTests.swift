import Foundation
import IDCCore
import IDCData
import IDCLang
import Testing

@testable import IDCCommands

/// Rounds at the prompt: the session remembers every answer, `select` never re-asks,
/// `score centers=current` / `hardness=margin` and `train from=… answers=all` continue from the
/// model, and all of it survives `save` → `source` and a replayed (recovered) session.
@Suite(.serialized) struct RoundsTests {
  static let loop = """
    load digits
    kmeans k=10 n_init=1 swaps=0 seed=0
    s1 = select m=30
    a1 = feedback oracle
    m1 = train epochs=20 every=0 init_steps=100
    score centers=current
    s2 = select m=30
    a2 = feedback oracle
    m2 = train from=m1 answers=all epochs=20 every=0 init_steps=100
    score hardness=margin
    s3 = select m=30
    a3 = feedback oracle
    m3 = train from=current answers=all epochs=20 every=0 init_steps=100
    """

  func session(_ script: String, _ capture: Capture = Capture()) -> Evaluator {
    let evaluator = Evaluator(sinks: capture.sinks)
    #expect(ScriptRunner(evaluator: evaluator).run(source: script, file: "rounds.idc") == 0, "\(capture.stderr)")
    return evaluator
  }

  /// `select` computes only what a strategy reads: idc+herding takes IDC's hardness without a
  /// neighbour graph (the same picks as after `score`), MaxHerding asks for a head only once a
  /// model is trained, ProbCover reads its δ-balls from the session's graph.
  @Test func selectGivesEachStrategyWhatItReads() throws {
    let capture = Capture()
    let ws = session("""
      load digits
      kmeans k=10 n_init=1 swaps=0 seed=0
      h1 = select m=20 strategy=idc+herding
      x1 = select m=20 strategy=maxherding
      """, capture).workspace
    #expect(ws.graph == nil && ws.scores == nil)
    #expect(!capture.stderr.contains("computing scores first"))
    #expect(!capture.stdout.contains("uncertainty herding"))
    let scored = session("load digits\nkmeans k=10 n_init=1 swaps=0 seed=0\nscore\nh1 = select m=20 strategy=idc+herding\n").workspace
    #expect(selection(ws, "h1") == selection(scored, "h1"))
    let later = Capture()
    let trained = session("""
      load digits
      kmeans k=10 n_init=1 swaps=0 seed=0
      s1 = select m=20
      feedback oracle
      m1 = train epochs=5 every=0 init_steps=50
      x2 = select m=20 strategy=maxherding
      p = select m=20 strategy=probcover
      """, later).workspace
    #expect(later.stdout.contains("uncertainty herding"))
    #expect(later.stdout.contains("balls read from the K-NN graph, SGEMM among the"))
    #expect(trained.graph != nil)
  }

  func selection(_ ws: Workspace, _ name: String) -> [Int] {
    if case .selection(let s)? = ws.named[name] { return s.indices }
    return []
  }

  func model(_ ws: Workspace, _ name: String) -> TrainedModel? {
    if case .model(let m)? = ws.named[name] { return m }
    return nil
  }

  @Test func theLoopNeverReasksAndContinues() throws {
    let capture = Capture()
    let ws = session(Self.loop + "\nshow\n", capture).workspace
    let asked = ["s1", "s2", "s3"].flatMap { selection(ws, $0) }
    #expect(asked.count == 90)
    #expect(Set(asked).count == 90, "no sample is asked twice")
    #expect(ws.answerLog.count == 90)
    #expect(ws.answerLog.asked == Set(asked))
    #expect(capture.stdout.contains("answers: 90 answers in this session"))
    #expect(capture.stderr.contains("(leaving out the 30 samples already asked in this session; reask=true allows them)"))
    // m2 continued m1's head on all 60 answers: its fixed-batch loss started where m1's ended.
    let m1 = try #require(model(ws, "m1")), m2 = try #require(model(ws, "m2")), m3 = try #require(model(ws, "m3"))
    let trainer = m2.trainer
    let all60 = Feedback(anchors: Array(ws.answerLog.set.feedback.anchors.prefix(60)), answers: Array(ws.answerLog.set.feedback.answers.prefix(60)))
    #expect(m2.result.evaluationLoss?.start == trainer.evaluationLoss(head: m1.result.head, features: ws.z, feedback: all60))
    #expect(m3.result.evaluationLoss?.start == m3.trainer.evaluationLoss(head: m2.result.head, features: ws.z, feedback: ws.answerLog.set.feedback))
    #expect(m2.feedbackCount == 60 && m3.feedbackCount == 90)
    // The queries of round 3 show the clusters of the model that scored them.
    #expect(ws.queryReference?.source == "model margin")
  }

  @Test func reaskAllowsTheSameSamples() {
    let ws = session("load digits\nkmeans k=10 n_init=1 swaps=0 seed=0\ns1 = select m=20\nfeedback oracle\ns2 = select m=20 reask=true\n").workspace
    #expect(selection(ws, "s1") == selection(ws, "s2"))
  }

  /// The answers and the models survive save → source and a replay of the session script.
  @Test func answersSurviveSaveAndReplay() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("idc-rounds-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let original = session(Self.loop + "\nsave \"\(dir.path)/s\"\n")
    let restored = session("source \"\(dir.path)/s.idc\"\n")
    let a = original.workspace, b = restored.workspace
    #expect(a.answerLog.set.feedback == b.answerLog.set.feedback)
    #expect(a.answerLog.set.queries.map(\.candidates) == b.answerLog.set.queries.map(\.candidates))
    #expect(model(a, "m3")?.result.head == model(b, "m3")?.result.head, "the third round's head, bit for bit")
    // A session script as the REPL and the kernel write it, replayed as 'recover' does.
    let replayed = session(original.workspace.transcript.joined(separator: "\n") + "\n")
    #expect(replayed.workspace.answerLog.set.feedback == a.answerLog.set.feedback)
    #expect(model(replayed.workspace, "m3")?.result.head == model(a, "m3")?.result.head)
    // export answer_log writes the whole log.
    let out = dir.appendingPathComponent("log.npz").path
    _ = session(Self.loop + "\nexport answer_log to=\"\(out)\"\n")
    #expect(try NPZArchive(path: out).array("anchors").asLabels().count == 90)
  }

  @Test func roundsCommandIsDeterministicAndNeverReasks() throws {
    let script = "load digits\nkmeans k=10 n_init=1 swaps=0 seed=0\nm = rounds m=40 r=4 epochs=15 seed=2\n"
    let capture = Capture()
    let a = session(script, capture).workspace
    let b = session(script).workspace
    #expect(capture.stdout.contains("round 4 of 4: 10 answered"))
    #expect(a.answerLog.count == 40 && Set(a.answerLog.set.feedback.anchors).count == 40)
    #expect(a.answerLog.set.feedback == b.answerLog.set.feedback)
    #expect(model(a, "m")?.result.head == model(b, "m")?.result.head)
    #expect(a.current == model(a, "m")?.result.assignment)
  }

  @Test func sweepHasARoundsDimension() throws {
    let capture = Capture()
    let ws = session("load digits\nt = sweep m=[20] seeds=[0] rounds=[1, 2] epochs=5 n_init=1\n", capture).workspace
    guard case .table(let table)? = ws.named["t"] else { Issue.record("no table"); return }
    #expect(table.rows.map(\.rounds) == [1, 2])
    #expect(capture.stdout.contains("rounds"))
  }

  @Test func impossibleRoundsAreLocatedErrors() {
    let capture = Capture()
    let evaluator = Evaluator(sinks: capture.sinks)
    let code = ScriptRunner(evaluator: evaluator).run(source: "load digits\nkmeans k=10 n_init=1\nrounds m=3 r=5\n", file: "bad.idc")
    #expect(code == 70)
    #expect(capture.stderr.contains("bad.idc:3:"))
    #expect(capture.stderr.contains("cannot be split into 5 rounds"))
    let code2 = ScriptRunner(evaluator: Evaluator(sinks: capture.sinks)).run(source: "load digits\ntrain from=nothing\n", file: "b2.idc")
    #expect(code2 == 70)
  }
}
