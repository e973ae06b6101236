import Foundation
import IDCCore
import IDCData
import IDCLang
import Testing

@testable import IDCCommands

/// `feedback audit`: drawn at random, never a sample asked before, held out of `select`,
/// `rounds` and `train answers=all`, estimated for every later clustering by `eval`, `train`,
/// `rounds` and `show`, answered by the simulated user or by the person.
@Suite(.serialized) struct AuditCommandTests {
  static let start = """
    load digits
    kmeans k=10 n_init=1 swaps=0 seed=0
    """

  func session(_ script: String, _ capture: Capture = Capture(), answers: AnswerReader? = nil) -> (Evaluator, Int32) {
    let evaluator = Evaluator(sinks: capture.sinks)
    let directory = NSTemporaryDirectory() + "idc-audit-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    evaluator.workspace.options.outputDirectory = directory
    evaluator.answerReader = answers
    let status = ScriptRunner(evaluator: evaluator).run(source: script, file: "audit.idc")
    return (evaluator, status)
  }

  @Test func auditAnswersAreHeldOutOfSelectionRoundsAndTraining() throws {
    let capture = Capture()
    let script = Self.start + """

      au = feedback audit n=40 by=oracle seed=1
      eval
      s = select m=30
      a = feedback oracle
      m = train answers=all epochs=20 every=0 init_steps=100
      r = rounds m=40 r=2 epochs=10
      show
      """
    let (evaluator, status) = session(script, capture)
    #expect(status == 0, "\(capture.stderr)")
    let ws = evaluator.workspace
    let audited = ws.auditLog.asked
    #expect(audited.count == 40 && ws.auditLog.count == 40)
    guard case .selection(let s)? = ws.named["s"], case .model(let m)? = ws.named["m"] else {
      Issue.record("missing values")
      return
    }
    #expect(audited.isDisjoint(with: s.indices), "select never picks an audited sample")
    #expect(m.feedbackCount == 30, "train answers=all leaves the audit answers out")
    #expect(audited.isDisjoint(with: ws.answerLog.asked), "neither do rounds")
    let out = capture.stdout
    #expect(out.contains("40 audit answers (40 in this session), held out of training"))
    #expect(out.contains("audit: confirmed"), "eval and train print the estimate beside ACC")
    #expect(out.contains("; audit: confirmed"), "each round prints it")
    #expect(out.contains("audit: 40 answers held out of training; current clustering confirmed"))
    #expect(capture.stderr.contains("leaving out the 40 audited samples"), "select says why (a note)")
  }

  /// A worse model never costs the clustering it replaced: `use previous` brings it back (and
  /// twice swaps again), `use NAME` makes a model current and the one `train from=current`
  /// continues, and the statements replay from the transcript.
  @Test func usePreviousBringsBackTheReplacedClustering() throws {
    let capture = Capture()
    let script = Self.start + """

      au = feedback audit n=30 by=oracle seed=1
      s = select m=20
      a = feedback oracle
      m1 = train epochs=20 every=0 init_steps=100
      m2 = train epochs=5 every=0 init_steps=100 losses=[pos]
      use previous
      """
    let (evaluator, status) = session(script, capture)
    #expect(status == 0, "\(capture.stderr)")
    let ws = evaluator.workspace
    guard case .model(let m1)? = ws.named["m1"], case .model(let m2)? = ws.named["m2"] else {
      Issue.record("missing models")
      return
    }
    #expect(ws.current == m1.result.assignment, "use previous made m1's clustering current again")
    #expect(ws.previous?.assignment == m2.result.assignment, "and m2's is now the previous one")
    guard case .model(let latest)? = ws.latest[.model] else {
      Issue.record("no latest model")
      return
    }
    #expect(latest.result.head == m1.result.head, "train from=current continues m1")
    #expect(capture.stdout.contains("current: model trained on 20 answers"))
    #expect(capture.stdout.contains("; audit: confirmed"), "use prints the audit estimate of what it restores")

    let ev = Evaluator(sinks: Capture().sinks)
    ev.workspace.options.outputDirectory = evaluator.workspace.options.outputDirectory
    #expect(ScriptRunner(evaluator: ev).run(source: ws.transcript.joined(separator: "\n"), file: "replay.idc") == 0)
    #expect(ev.workspace.current == ws.current, "the transcript replays to the same current clustering")

    #expect(ScriptRunner(evaluator: evaluator).run(source: "use previous", file: "more.idc") == 0)
    #expect(ws.current == m2.result.assignment, "use previous twice swaps back")
    #expect(ScriptRunner(evaluator: evaluator).run(source: "use pretrained", file: "more.idc") == 0)
    #expect(ws.current == ws.pretrained)
    let bad = Capture()
    let badStatus = ScriptRunner(evaluator: Evaluator(sinks: bad.sinks)).run(source: Self.start + "\nuse previous", file: "bad.idc")
    #expect(badStatus != 0)
    #expect(bad.stderr.contains("there is no previous clustering yet"))
  }

  /// `feedback review`: flags with reasons and their precision and recall against the labels, asks
  /// the most suspicious again (once each), and `train flagged=drop` leaves the others out.
  @Test func reviewAsksTheSuspiciousAnswersAgainAndTrainCanDropTheRest() throws {
    let capture = Capture()
    let script = Self.start + """

      s = select m=60
      a = feedback oracle noise=0.3 seed=2
      feedback review n=0
      r = feedback review n=5 by=oracle noise=0.3 seed=2
      feedback review n=5 by=oracle noise=0.3 seed=2
      m = train answers=all flagged=drop epochs=10 every=0 init_steps=100
      """
    let (evaluator, status) = session(script, capture)
    #expect(status == 0, "\(capture.stderr)")
    let out = capture.stdout
    #expect(out.contains("answers flagged as probably mistaken"))
    #expect(out.contains("the model says cluster"), "each flag gives its reason")
    #expect(out.contains("against the labels:") && out.contains("precision"))
    #expect(out.contains("5 answers asked again (5 in this session)"))
    #expect(out.contains("(10 in this session)"), "a second review asks other answers")
    let ws = evaluator.workspace
    #expect(ws.reviewedAnchors.count == 10)
    #expect(ws.answerLog.count == 60, "a second answer replaces the first")
    #expect(out.contains("left out"), "flagged answers not asked again are left out")
    guard case .model(let m)? = ws.named["m"] else {
      Issue.record("no model")
      return
    }
    #expect(m.feedbackCount < 60)
    // Without labels, by=oracle is refused with what to do instead.
    let bad = Capture()
    let (_, badStatus) = session("load digits\nfeedback review n=0", bad)
    #expect(badStatus != 0)
  }

  @Test func theSameSeedDrawsTheSameSamplesAndASecondAuditNeverRepeatsOne() throws {
    let (a, _) = session(Self.start + "\nfeedback audit n=25 by=oracle seed=4\n")
    let (b, _) = session(Self.start + "\nfeedback audit n=25 by=oracle seed=4\nfeedback audit n=25 by=oracle seed=4\n")
    #expect(a.workspace.auditLog.set.feedback.anchors == Array(b.workspace.auditLog.set.feedback.anchors.prefix(25)))
    #expect(b.workspace.auditLog.asked.count == 50)
  }

  @Test func thePersonAnswersAndEvalNeedsNoLabels() throws {
    // Answers: confirm (1: the sample's own cluster is shown first), none, skip, confirm.
    let capture = Capture()
    let reader = ScriptedAnswers(["1", "0", "s", "1"])
    let (evaluator, status) = session(Self.start + "\nfeedback audit n=4\n", capture, answers: reader)
    #expect(status == 0, "\(capture.stderr)")
    let ws = evaluator.workspace
    #expect(ws.auditLog.count == 4)
    let e = try #require(ws.auditEstimate(of: ws.current!))
    #expect(e.confirmed == 2 && e.determined == 3 && e.skipped == 1)
    // Without labels, eval prints the estimate alone.
    ws.data = ws.data.map { d in var d = d; d.labels = nil; return d }
    #expect(ScriptRunner(evaluator: evaluator).run(source: "eval\n", file: "eval.idc") == 0, "\(capture.stderr)")
    #expect(capture.stdout.contains("audit: confirmed 66.7 % (95 % CI"))
  }

  @Test func plotQualityDrawsEveryClusteringOfTheSession() throws {
    let capture = Capture()
    let script = Self.start + "\nfeedback audit n=30 by=oracle\nrounds m=40 r=2 epochs=10\nplot quality to=\"quality.svg\"\n"
    let (evaluator, status) = session(script, capture)
    #expect(status == 0, "\(capture.stderr)")
    let ws = evaluator.workspace
    #expect(ws.snapshots.map(\.answers) == [0, 20, 40], "k-means, round 1, and the model after round 2")
    let svg = try String(contentsOfFile: ws.options.outputDirectory + "/quality.svg", encoding: .utf8)
    #expect(svg.contains("audit estimate, 95 % interval (30 answers)") && svg.contains("ACC (labels)"))
    let none = Capture()
    let (_, s2) = session(Self.start + "\nplot quality\n", none)
    #expect(s2 != 0 && none.stderr.contains("no audit answers in this session"))
  }

  /// The audit survives save → source and a replay of the session script (as `recover` does);
  /// the person's audit answers are journaled, so a replay does not ask again.
  @Test func auditSurvivesSaveSourceAndReplay() throws {
    let capture = Capture()
    let script = Self.start + "\nfeedback audit n=20 by=oracle seed=3\ns = select m=10\nfeedback oracle\n"
    let (original, status) = session(script, capture)
    #expect(status == 0, "\(capture.stderr)")
    let dir = original.workspace.options.outputDirectory
    #expect(ScriptRunner(evaluator: original).run(source: "save \"\(dir)/s\"\n", file: "save.idc") == 0)
    let (restored, s2) = session("source \"\(dir)/s.idc\"\n")
    #expect(s2 == 0)
    let (replayed, s3) = session(original.workspace.transcript.joined(separator: "\n") + "\n")
    #expect(s3 == 0)
    // export audit_log writes the audit answers apart from the training answers.
    #expect(ScriptRunner(evaluator: original).run(source: "export audit_log to=\"audit.npz\"\n", file: "export.idc") == 0)
    #expect(try NPZArchive(path: dir + "/audit.npz").array("anchors").asLabels() == original.workspace.auditLog.set.feedback.anchors)
    // Audit answers given elsewhere load back as an audit, not as training answers.
    #expect(ScriptRunner(evaluator: original).run(source: "feedback save file=\"train.csv\"\n", file: "s.idc") == 0)
    let (loaded, s4) = session(Self.start + "\nfeedback load file=\"\(dir)/audit.npz\" audit=true\neval\n", capture)
    #expect(s4 == 0, "\(capture.stderr)")
    #expect(loaded.workspace.auditLog.set.feedback == original.workspace.auditLog.set.feedback && loaded.workspace.answerLog.count == 0)
    let clash = Capture()
    let (_, s5) = session(Self.start + "\nfeedback load file=\"\(dir)/train.csv\"\nfeedback load file=\"\(dir)/train.csv\" audit=true\n", clash)
    #expect(s5 != 0 && clash.stderr.contains("audit answers must be held out"))
    for ws in [restored.workspace, replayed.workspace] {
      #expect(ws.auditLog.set.feedback == original.workspace.auditLog.set.feedback)
      #expect(ws.answerLog.set.feedback == original.workspace.answerLog.set.feedback)
    }
    // The person: 3 answers, then the process is gone; the same statement resumes from the journal.
    let person = Capture()
    let (first, _) = session(Self.start + "\nfeedback audit n=5\n", person, answers: ScriptedAnswers(["1", "0", "1"]))
    #expect(first.workspace.auditLog.count == 3)
    let again = ScriptedAnswers(["1", "1"])
    let resumed = Evaluator(sinks: person.sinks)
    resumed.workspace.options.outputDirectory = first.workspace.options.outputDirectory
    resumed.answerReader = again
    #expect(ScriptRunner(evaluator: resumed).run(source: Self.start + "\nfeedback audit n=5\n", file: "resume.idc") == 0)
    #expect(resumed.workspace.auditLog.count == 5)
    #expect(again.prompts.count == 2, "only the two unanswered samples are asked")
    #expect(person.stdout.contains("resuming: 3 of 5 already answered"))
    // A replay where nobody can be asked (a notebook cell without input) reads the journal.
    let replay = Evaluator(sinks: Capture().sinks)
    replay.workspace.options.outputDirectory = first.workspace.options.outputDirectory
    replay.answerReader = ScriptedAnswers([], reason: "this notebook client does not allow input")
    #expect(ScriptRunner(evaluator: replay).run(source: Self.start + "\nfeedback audit n=5\n", file: "replay.idc") == 0)
    #expect(replay.workspace.auditLog.set.feedback == resumed.workspace.auditLog.set.feedback)
  }

  @Test func errorsSayWhatToDo() {
    let capture = Capture()
    let (_, status) = session(Self.start + "\nfeedback audit n=10\n", capture)
    #expect(status != 0)
    #expect(capture.stderr.contains("'feedback audit' cannot ask here") && capture.stderr.contains("by=oracle"))
    let tooMany = Capture()
    let (_, s2) = session(Self.start + "\nfeedback audit n=5000 by=oracle\n", tooMany)
    #expect(s2 != 0 && tooMany.stderr.contains("exceeds the 1797 samples not asked yet"))
  }
}
