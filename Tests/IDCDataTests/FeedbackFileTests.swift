import Foundation
import IDCCore
import IDCData
import Testing

@Suite struct FeedbackFileTests {
  let feedback = Feedback(anchors: [1634, 229, 885], answers: [.positive(cluster: 3), .negative(rejected: [5, 2, 8]), .skipped])
  let candidates = [[3, 7, 1], [5, 2, 8], [2, 1, 0]]

  @Test(arguments: ["csv", "npz"]) func roundTrip(_ ext: String) throws {
    let dir = TemporaryDirectory()
    let path = dir.file("answers.\(ext)")
    try FeedbackFile.write(feedback, candidates: candidates, to: path)
    let (back, cands) = try FeedbackFile.read(path: path)
    #expect(back == feedback)
    #expect(cands == candidates)
  }

  /// The layout numpy and pandas-free Python read: arrays by name, CSV by line.
  @Test(.enabled(if: Python.hasNumPy)) func numpyReadsTheAnswers() throws {
    let dir = TemporaryDirectory()
    try FeedbackFile.write(feedback, candidates: candidates, to: dir.file("a.npz"))
    try FeedbackFile.write(feedback, candidates: candidates, to: dir.file("a.csv"))
    let out = try Python.run("""
      import sys, numpy as np, csv
      z = np.load(sys.argv[1])
      print(z["anchors"].tolist(), z["answers"].tolist(), z["candidates"].tolist())
      rows = list(csv.DictReader(open(sys.argv[2])))
      print([(r["anchor"], r["answer"], r["candidates"]) for r in rows])
      """, arguments: [dir.file("a.npz"), dir.file("a.csv")])
    #expect(out == """
      [1634, 229, 885] [3, -1, -2] [[3, 7, 1], [5, 2, 8], [2, 1, 0]]
      [('1634', '3', '3;7;1'), ('229', '-1', '5;2;8'), ('885', 'skip', '2;1;0')]

      """)
  }

  /// A file numpy wrote is read back (answers from Python tools).
  @Test(.enabled(if: Python.hasNumPy)) func readsWhatNumpyWrote() throws {
    let dir = TemporaryDirectory()
    try Python.run("""
      import sys, numpy as np
      np.savez_compressed(sys.argv[1], anchors=np.array([4, 9]), answers=np.array([2, -1]), candidates=np.array([[2, 0], [1, 3]]))
      """, arguments: [dir.file("py.npz")])
    let (back, cands) = try FeedbackFile.read(path: dir.file("py.npz"))
    #expect(back == Feedback(anchors: [4, 9], answers: [.positive(cluster: 2), .negative(rejected: [1, 3])]))
    #expect(cands == [[2, 0], [1, 3]])
  }

  @Test func badFilesGiveClearErrors() throws {
    let dir = TemporaryDirectory()
    func write(_ name: String, _ text: String) -> String {
      let path = dir.file(name)
      try! text.write(toFile: path, atomically: true, encoding: .utf8)
      return path
    }
    // A cluster that was not a candidate is an answer too (typed by number, or started by the person).
    let notAmongCandidates = write("a.csv", "anchor,answer,candidates\n5,9,1;2;3\n")
    #expect(try FeedbackFile.read(path: notAmongCandidates).0 == Feedback(anchors: [5], answers: [.positive(cluster: 9)]))
    let ragged = write("b.csv", "anchor,answer,candidates\n5,1\n")
    #expect(failure { try FeedbackFile.read(path: ragged) } == "\(ragged): line 2: expected 'anchor,answer,candidates', got '5,1'")
    let badAnswer = write("c.csv", "anchor,answer,candidates\n5,yes,1;2\n")
    #expect(failure { try FeedbackFile.read(path: badAnswer) } == "\(badAnswer): line 2: answer must be a cluster id, -1 (none) or 'skip', got 'yes'")
    let badCandidates = write("d.csv", "anchor,answer,candidates\n5,1,1;x\n")
    #expect(failure { try FeedbackFile.read(path: badCandidates) } == "\(badCandidates): line 2: candidates must be integers separated by ';', got '1;x'")
    let badCode = write("e.csv", "anchor,answer,candidates\n5,-7,1;2\n")
    #expect(failure { try FeedbackFile.read(path: badCode) } == "\(badCode): entry 2: answer code -7 is invalid (cluster ≥ 0, -1 none, -2 skipped)")
    let wrongFormat = write("f.json", "{}")
    #expect(failure { try FeedbackFile.read(path: wrongFormat) } == "\(wrongFormat): unknown answers format '.json'; use .csv or .npz")
    let missing = dir.file("missing.csv")
    #expect(failure { try FeedbackFile.read(path: missing) }.hasPrefix("\(missing): cannot read"))
    // An .npz without the candidates array.
    try NPZArchive.write([(key: "anchors", array: NDArray(labels: [1])), (key: "answers", array: NDArray(labels: [0]))], to: dir.file("g.npz"))
    #expect(failure { try FeedbackFile.read(path: dir.file("g.npz")) } == "\(dir.file("g.npz")): missing array 'candidates' (have: anchors, answers)")
  }
}
