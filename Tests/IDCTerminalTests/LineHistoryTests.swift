import Foundation
import Testing

@testable import IDCTerminal

/// libedit's history list is one per process: these tests run one at a time.
@Suite(.serialized)
struct LineHistoryTests {
  @Test func roundTripThroughTheFile() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("history").path
    let history = LineHistory(path: path, limit: 1000)
    history.clear()
    try history.load()  // a missing file is the first run, not an error
    #expect(history.entries.isEmpty)

    let lines = ["load digits", "kmeans k=10 seed=0", "for s in [random, hard] {\n  select m=100 strategy=$s\n}",
                 "plot tsne highlight=sel  # two  spaces", "sélection = select m=5"]
    for line in lines { try history.add(line) }
    try history.add("sélection = select m=5")  // a repeat of the last entry is skipped
    try history.add("   ")  // blank lines are skipped
    try history.add("load digits")  // not a repeat of the last one: kept
    let expected = lines + ["load digits"]
    #expect(history.entries == expected)
    #expect(history.lastEntry == "load digits")

    let file = try String(contentsOfFile: path, encoding: .utf8)
    #expect(file.hasPrefix("_HiStOrY_V2_\n"))
    #expect(file.split(separator: "\n").count == expected.count + 1)  // newlines inside entries are escaped
    #expect(!FileManager.default.fileExists(atPath: path + ".tmp-\(getpid())"))

    history.clear()
    #expect(history.entries.isEmpty)
    try history.load()
    #expect(history.entries == expected)
    history.clear()
  }

  @Test func limitKeepsTheNewestEntriesInMemoryAndInTheFile() throws {
    let directory = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("history").path
    let history = LineHistory(path: path, limit: 3)
    history.clear()
    for index in 1...5 { try history.add("eval \(index)") }
    #expect(history.entries == ["eval 3", "eval 4", "eval 5"])
    history.clear()
    try history.load()
    #expect(history.entries == ["eval 3", "eval 4", "eval 5"])
    history.clear()
    _ = LineHistory(path: nil, limit: 1000)  // restore the default bound for later tests
  }

  @Test func unwritableFileThrowsAndKeepsTheEntry() throws {
    let history = LineHistory(path: "/nonexistent-idc-directory/history", limit: 1000)
    history.clear()
    #expect(throws: HistoryError.self) { try history.add("kmeans k=3") }
    #expect(history.entries == ["kmeans k=3"])
    do {
      try history.save()
      Issue.record("saving into a missing directory succeeded")
    } catch {
      #expect(error.description.hasPrefix("cannot write history file /nonexistent-idc-directory/history: "))
      #expect(error.errorNumber == ENOENT)
    }
    history.clear()
  }

  @Test func inMemoryHistoryWritesNothing() throws {
    let history = LineHistory(path: nil)
    history.clear()
    try history.add("eval")
    try history.load()
    #expect(history.entries == ["eval"])
    history.clear()
  }

  @Test func defaultPathIsInTheHomeDirectory() {
    let home = ProcessInfo.processInfo.environment["HOME"] ?? ""
    if home.isEmpty {
      #expect(LineHistory.defaultPath == nil)
    } else {
      #expect(LineHistory.defaultPath == (home.hasSuffix("/") ? home : home + "/") + ".idc_history")
    }
  }

  @Test func nonInteractiveEditorHasNoHistory() {
    let editor = LineEditor(historyPath: "/nonexistent-idc-directory/history", interactive: false)
    #expect(!editor.isInteractive)
    #expect(editor.history == nil)
    editor.add("kmeans")  // nothing recorded, nothing reported
    #expect(editor.historyError == nil)
  }
}
