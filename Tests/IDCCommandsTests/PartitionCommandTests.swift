import Foundation
import IDCCore
import IDCLang
import Testing

@testable import IDCCommands

/// The person's own partition at the command level: `merge`, `split`, `undo`, `new` answers at
/// `feedback ask`, and `rounds oracle=partition` — each carries the whole session over (clusters,
/// models, answers, names) and replays from the transcript and the journal.
@Suite(.serialized) struct PartitionCommandTests {
  func session(_ script: String, _ capture: Capture = Capture(), answers: AnswerReader? = nil, directory: String? = nil) -> (Evaluator, Int32) {
    let evaluator = Evaluator(sinks: capture.sinks)
    let dir = directory ?? NSTemporaryDirectory() + "idc-partition-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    evaluator.workspace.options.outputDirectory = dir
    evaluator.answerReader = answers
    let code = ScriptRunner(evaluator: evaluator).run(source: script, file: "partition.idc")
    return (evaluator, code)
  }

  static let start = """
    load digits
    kmeans k=12 n_init=1 swaps=0 seed=0
    sel = select m=30
    a = feedback oracle
    name 3 "threes"
    name 8 "eights"
    m = train epochs=20 every=0 init_steps=100
    """

  func positives(_ ws: Workspace) -> [Int: Int] {
    var out: [Int: Int] = [:]
    for (anchor, answer) in zip(ws.answerLog.set.feedback.anchors, ws.answerLog.set.feedback.answers) {
      if case .positive(let g) = answer { out[anchor] = g }
    }
    return out
  }

  @Test func mergeSplitAndUndoCarryTheWholeSession() throws {
    let capture = Capture()
    let (evaluator, code) = session(Self.start, capture)
    #expect(code == 0, "\(capture.stderr)")
    let ws = evaluator.workspace
    let before = (pretrained: ws.pretrained!, current: ws.current!, answers: positives(ws), names: ws.clusterNames)
    let map = [0, 1, 2, 3, 4, 5, 6, 3, 7, 8, 9, 10]

    try evaluator.run(source: "merge 7 3", file: "more.idc")
    #expect(ws.clusterCount == 11)
    #expect(ws.pretrained! == before.pretrained.map { map[$0] })
    // The trained model follows exactly: the merged clusters' probabilities add, so a sample keeps its
    // cluster (renumbered) or joins the merged one — when the two together outweigh its own.
    let joined = ws.current!.indices.filter { ws.current![$0] != map[before.current[$0]] }
    #expect(joined.allSatisfy { ws.current![$0] == 3 })
    #expect(joined.count < 60, "\(joined.count) samples joined the merged cluster")
    guard case .model(let model)? = ws.latest[.model] else { Issue.record("no model"); return }
    #expect(model.result.head.classCount == 11 && model.result.head.unitCount == 12)
    #expect(positives(ws) == before.answers.mapValues { map[$0] })
    #expect(ws.clusterNames == [3: "threes", 7: "eights"])
    #expect(capture.stdout.contains("merged cluster 3 \"threes\" + cluster 7 into cluster 3 \"threes\": 11 clusters"))
    #expect(capture.stdout.contains("renumbered: 8 → 7, 9 → 8, 10 → 9, 11 → 10"))
    let merged = (pretrained: ws.pretrained!, current: ws.current!, answers: positives(ws))

    try evaluator.run(source: "split 3 parts=2 seed=1", file: "more.idc")
    #expect(ws.clusterCount == 12)
    let parts = Set(ws.current!.indices.filter { merged.current[$0] == 3 }.map { ws.current![$0] })
    #expect(parts == [3, 11], "the merged cluster's members go to its two parts")
    #expect(ws.current!.indices.filter { merged.current[$0] != 3 }.allSatisfy { ws.current![$0] == merged.current[$0] || ws.current![$0] == 11 })

    // Names given after an edit go back with 'undo' to the cluster they name; a part the split made has none.
    try evaluator.run(source: "name 3 \"threes again\"\nname 11 \"a part\"", file: "more.idc")
    try evaluator.run(source: "undo", file: "more.idc")
    #expect(ws.clusterCount == 11 && ws.pretrained! == merged.pretrained && ws.current! == merged.current && positives(ws) == merged.answers)
    #expect(ws.clusterNames == [3: "threes again", 7: "eights"])
    try evaluator.run(source: "undo", file: "more.idc")
    #expect(ws.clusterCount == 12 && ws.pretrained! == before.pretrained && ws.current! == before.current)
    #expect(positives(ws) == before.answers && ws.clusterNames == [3: "threes again", 8: "eights"])
    #expect(throws: EvaluationFailure.self) { try evaluator.run(source: "undo", file: "more.idc") }

    // Answers after an edit name its clusters: undo is refused, nothing changes.
    try evaluator.run(source: "merge 0 1", file: "more.idc")
    try evaluator.run(source: "select m=5", file: "more.idc")
    try evaluator.run(source: "feedback oracle", file: "more.idc")
    let count = ws.clusterCount
    #expect(throws: EvaluationFailure.self) { try evaluator.run(source: "undo", file: "more.idc") }
    #expect(ws.clusterCount == count)
  }

  @Test func badEditsAreRefusedWithTheirLocation() {
    for (line, message) in [("merge 3", "name two or more clusters"), ("merge 3 3", "a cluster is named twice"),
                            ("merge 3 12", "there is no cluster 12"), ("split 12", "there is no cluster 12"),
                            ("split 7 parts=101", "parts"), ("undo", "nothing to undo")] {
      let capture = Capture()
      let (evaluator, code) = session("load digits\nkmeans k=12 n_init=1 swaps=0 seed=0\n" + line + "\n", capture)
      #expect(code != 0)
      #expect(capture.stderr.contains(message), "\(line): \(capture.stderr)")
      #expect(capture.stderr.contains("partition.idc:3:"), "located: \(capture.stderr)")
      #expect(evaluator.workspace.clusterCount == 12)
    }
    let capture = Capture()
    let (evaluator, code) = session("load digits\nkmeans k=200 n_init=1 swaps=0 seed=0\nsplit 3 parts=90\n", capture)
    #expect(code != 0 && capture.stderr.contains("too few for 90 parts") && capture.stderr.contains("partition.idc:3:"), "\(capture.stderr)")
    #expect(evaluator.workspace.clusterCount == 200)
  }

  @Test func newClustersAnsweredAtTheTerminalSurviveAReplayFromTheJournal() throws {
    let dir = NSTemporaryDirectory() + "idc-partition-\(UUID().uuidString)"
    let script = """
      load digits
      kmeans k=8 n_init=1 swaps=0 seed=0
      select m=5
      feedback ask examples=1
      """
    let capture = Capture()
    let answers = ScriptedAnswers(["new sevens", "c 8", "0", "new", "c 9"])
    let (evaluator, code) = session(script, capture, answers: answers, directory: dir)
    #expect(code == 0, "\(capture.stderr)")
    let ws = evaluator.workspace
    #expect(ws.clusterCount == 10)
    #expect(ws.clusterNames == [8: "sevens"])
    let given = positives(ws)
    #expect(given.values.filter { $0 == 8 }.count == 2 && given.values.filter { $0 == 9 }.count == 2)
    #expect(answers.prompts.last?.contains("new [name], c N") == true)
    #expect(capture.stdout.contains("new cluster 8 \"sevens\" from samples"))
    #expect(try String(contentsOfFile: dir + "/answers.journal.csv", encoding: .utf8).contains("# cluster 8 sevens"))
    // Every answered sample is in its new cluster, in the pre-trained clustering and the current one.
    for (anchor, g) in given where g >= 8 { #expect(ws.pretrained![anchor] == g && ws.current![anchor] == g) }

    // The session replayed from its transcript reads the answers from the journal: same partition.
    let again = Capture()
    let (replayed, replayedCode) = session(ws.transcript.joined(separator: "\n") + "\n", again, answers: ScriptedAnswers([]), directory: dir)
    #expect(replayedCode == 0, "\(again.stderr)")
    #expect(replayed.workspace.clusterCount == 10 && replayed.workspace.clusterNames == [8: "sevens"])
    #expect(replayed.workspace.pretrained! == ws.pretrained! && positives(replayed.workspace) == given)
  }

  @Test func roundsWithAPersonWhoStartsClustersBeatTheSamePersonWhoCannot() throws {
    func run(_ oracle: String) throws -> (Workspace, ClusteringMetrics) {
      let capture = Capture()
      let (evaluator, code) = session("""
        load digits
        kmeans k=7 n_init=1 swaps=0 seed=0
        rounds m=60 r=3 epochs=100 oracle=\(oracle) seed=0
        """, capture)
      #expect(code == 0, "\(capture.stderr)")
      let ws = evaluator.workspace
      return (ws, try ClusteringMetrics.evaluate(truth: ws.data!.labels!, prediction: ws.current!))
    }
    let (fixed, without) = try run("criterion")
    let (grown, with) = try run("partition")
    #expect(fixed.clusterCount == 7)
    #expect(grown.clusterCount > 7, "the person started clusters for the classes no cluster stood for")
    #expect(with.accuracy > without.accuracy + 0.1, "ACC \(with.accuracy) with new clusters vs \(without.accuracy) without")
    // Every answer of the session names a cluster of the session's partition.
    for g in positives(grown).values { #expect(g < grown.clusterCount) }
    #expect(Set(grown.pretrained!).count <= grown.clusterCount && grown.pretrainedCenters!.rows == grown.clusterCount)
  }

  @Test func theAnswersSuggestASplitAndSplitByAnswersMakesThePartTheyMeant() throws {
    let capture = Capture()
    let (evaluator, code) = session("""
      load digits
      kmeans k=7 n_init=1 swaps=0 seed=0
      rounds m=60 r=3 epochs=100 oracle=criterion seed=0
      show clusters
      """, capture)
    #expect(code == 0, "\(capture.stderr)")
    let ws = evaluator.workspace
    let suggested = PartitionSuggestion.suggest(ws.answerLog.set.feedback, home: ws.pretrained!, classCount: 7)
    guard case .split(let h, let none, _)? = suggested.first(where: { if case .split = $0 { true } else { false } }) else {
      Issue.record("no split suggested: \(suggested)"); return
    }
    #expect(capture.stdout.contains("the answers suggest:\n  split \(h) — \(none) of its"))
    let labels = ws.data!.labels!
    let before = try ClusteringMetrics.evaluate(truth: labels, prediction: ws.current!)
    let log = ws.answerLog.set.feedback
    try evaluator.run(source: "split \(h) by=answers", file: "more.idc")
    #expect(ws.clusterCount == 8)
    let after = try ClusteringMetrics.evaluate(truth: labels, prediction: ws.current!)
    #expect(after.accuracy > before.accuracy, "ACC \(after.accuracy) after the split vs \(before.accuracy)")
    // The samples answered none about cluster h's members now answer the part they made.
    let reread = Dictionary(uniqueKeysWithValues: zip(ws.answerLog.set.feedback.anchors, ws.answerLog.set.feedback.answers))
    let home = ws.partitionHistory.last!.before.pretrained!
    let made = zip(log.anchors, log.answers).filter { home[$0.0] == h && $0.1 != .skipped && { if case .negative = $0 { true } else { false } }($0.1) }
    #expect(!made.isEmpty && made.allSatisfy { reread[$0.0] == .positive(cluster: 7) })
    try evaluator.run(source: "undo", file: "more.idc")
    #expect(ws.clusterCount == 7 && ws.answerLog.set.feedback == log)
    #expect(throws: EvaluationFailure.self) { try evaluator.run(source: "split 0 by=answers parts=3", file: "more.idc") }
  }
}
