import Foundation
import IDCCore
import IDCLang
import Testing

@testable import IDCCommands

/// The person's cluster names: shown in queries, answers, `show clusters` and the t-SNE
/// legend; refused for a cluster that does not exist; recorded, so they survive `save` →
/// `source` and a replayed session; forgotten with the clustering they were given for.
@Suite(.serialized) struct ClusterNameTests {
  func session(_ script: String, _ capture: Capture = Capture()) -> (Evaluator, Int32) {
    let evaluator = Evaluator(sinks: capture.sinks)
    let code = ScriptRunner(evaluator: evaluator).run(source: script, file: "names.idc")
    return (evaluator, code)
  }

  static let setup = """
    load digits
    kmeans k=10 n_init=1 swaps=0 seed=0
    name 3 "threes"
    name 7 "sevens"
    name 7 ""
    name 7 "Threes"
    sel = select m=10
    answers = feedback oracle
    """

  @Test func namesShowWhereverTheClusterDoes() throws {
    let capture = Capture()
    let (evaluator, code) = session(Self.setup + "\nshow clusters\n", capture)
    #expect(code == 0, "\(capture.stderr)")
    let ws = evaluator.workspace
    #expect(ws.clusterNames == [3: "threes", 7: "Threes"])
    #expect(capture.stdout.contains("cluster 7 is no longer called \"sevens\""))
    #expect(capture.stdout.contains("cluster 7 \"Threes\" — the name of cluster 3 too"))
    // show clusters: one row per cluster, names, sizes that add up, the answers per cluster.
    let table = try ShowCommand.clusters(CommandContext(workspace: ws, sinks: Capture().sinks, monitor: .silent,
                                                         evaluator: nil, answerReader: nil))
    let rows = table.split(separator: "\n").dropFirst(2)
    #expect(rows.count == 10)
    #expect(rows.contains { $0.hasPrefix("3 ") && $0.contains("threes") })
    let sizes = rows.map { Int($0.split(separator: " ", omittingEmptySubsequences: true)[$0.contains("hree") ? 2 : 1])! }
    #expect(sizes.reduce(0, +) == 1797)
    var answered = 0
    for a in ws.answerLog.set.feedback.answers { if case .positive = a { answered += 1 } }
    let positives = rows.map { row -> Int in
      let cells = row.split(separator: " ", omittingEmptySubsequences: true)
      return Int(cells[row.contains("hree") ? 4 : 3])!
    }
    #expect(positives.reduce(0, +) == answered)
    // A query naming cluster 3 shows its name; the t-SNE legend carries both names.
    let set = ws.answerLog.set
    if let q = set.queries.first(where: { $0.candidates.contains(3) }) {
      #expect(QueryRenderer(workspace: ws).render(q, number: 1, of: 1).contains("cluster 3 \"threes\""))
    }
    let (_, names, _) = try PlotCommand.colouring(.cluster, ws)
    #expect(names == [3: "cluster 3 \"threes\"", 7: "cluster 7 \"Threes\""])
  }

  @Test func aClusterThatDoesNotExistIsRefused() {
    let capture = Capture()
    let (evaluator, code) = session("load digits\nkmeans k=10 n_init=1 swaps=0 seed=0\nname 10 \"x\"\n", capture)
    #expect(code != 0)
    #expect(capture.stderr.contains("there is no cluster 10: the clusters are 0 to 9"))
    #expect(evaluator.workspace.clusterNames.isEmpty)
  }

  @Test func namesSurviveSaveSourceAndReplayAndGoWithTheirClustering() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("idc-names-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let (original, code) = session("set outdir=\"\(dir.path)\"\n" + Self.setup + "\nsave session\n")
    #expect(code == 0)
    let (restored, restoredCode) = session("source \"\(dir.path)/session.idc\"\n")
    #expect(restoredCode == 0)
    #expect(restored.workspace.clusterNames == original.workspace.clusterNames)
    let (replayed, replayedCode) = session(original.workspace.transcript.joined(separator: "\n") + "\n")
    #expect(replayedCode == 0)
    #expect(replayed.workspace.clusterNames == [3: "threes", 7: "Threes"])
    // A new k-means makes new clusters: the names went with the old ones.
    let (again, againCode) = session(Self.setup + "\nkmeans k=8 n_init=1 swaps=0 seed=1\n")
    #expect(againCode == 0)
    #expect(again.workspace.clusterNames.isEmpty)
  }
}
