import Foundation
import IDCCommands
import IDCCore
import Testing

@Suite struct JournalTests {
  func temporaryPath() -> String {
    NSTemporaryDirectory() + "/idc-journal-\(UUID().uuidString)/answers.journal.csv"
  }

  @Test func appendsUndoesAndReadsBack() throws {
    let path = temporaryPath()
    let journal = FeedbackJournal(path: path)
    try journal.append(anchor: 3, answer: .positive(cluster: 1), candidates: [1, 2])
    try journal.append(anchor: 7, answer: .negative(rejected: [0, 2]), candidates: [0, 2])
    try journal.appendUndo()
    try journal.append(anchor: 7, answer: .skipped, candidates: [0, 2])
    let entries = try FeedbackJournal(path: path).recorded()
    #expect(entries.map(\.anchor) == [3, 7])
    #expect(entries.map(\.answer) == [.positive(cluster: 1), .skipped])
  }

  @Test func aLineCutShortByAKillIsIgnoredAndTheNextWriterStartsClean() throws {
    let path = temporaryPath()
    let journal = FeedbackJournal(path: path)
    try journal.append(anchor: 3, answer: .positive(cluster: 1), candidates: [1, 2])
    // Simulate a kill in the middle of a write.
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    try handle.seekToEnd()
    try handle.write(contentsOf: Data("9,1,1;".utf8))
    try handle.close()
    #expect(try FeedbackJournal(path: path).recorded().map(\.anchor) == [3])
    let next = FeedbackJournal(path: path)
    try next.append(anchor: 4, answer: .skipped, candidates: [0])
    #expect(try FeedbackJournal(path: path).recorded().map(\.anchor) == [3, 4])
  }

  @Test func missingJournalIsEmpty() throws {
    #expect(try FeedbackJournal(path: temporaryPath()).recorded().isEmpty)
  }
}
