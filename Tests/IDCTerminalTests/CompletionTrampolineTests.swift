import Testing

@testable import IDCTerminal

/// A completer like the evaluator's, small: command names first, then `k=` for kmeans, and
/// paths inside a quote for `load` (the replacement starts after the quote, as IDCLang does).
private func fakeCompleter(_ line: String, _ cursor: Int) -> (replacementStart: Int, candidates: [String]) {
  let before = Array(line.utf8.prefix(cursor))
  let text = String(decoding: before, as: UTF8.self)
  if let quote = before.lastIndex(of: UInt8(ascii: "\"")) {
    let partial = String(decoding: before[(quote + 1)...], as: UTF8.self)
    return (quote + 1, ["data/", "digits.npy"].filter { $0.hasPrefix(partial) })
  }
  let wordStart = (before.lastIndex(of: UInt8(ascii: " ")).map { $0 + 1 }) ?? 0
  let partial = String(decoding: before[wordStart...], as: UTF8.self)
  if wordStart == 0 {
    return (0, ["kmeans", "kernel", "load", "sleep5"].filter { $0.hasPrefix(partial) })
  }
  if text.hasPrefix("kmeans ") {
    return (wordStart, ["k=", "seed="].filter { $0.hasPrefix(partial) })
  }
  return (cursor, [])
}

/// Records what the trampoline passed to the Swift completer.
private final class Recorder: @unchecked Sendable {
  var calls: [(line: String, cursor: Int)] = []
}

/// The completion callback is one per process: these tests run one at a time.
@Suite(.serialized)
struct CompletionTrampolineTests {
  /// Registers `completer` in C for the duration of `body`.
  private func withCompleter<T>(
    _ completer: @escaping LineEditor.Completer, _ body: () throws -> T
  ) rethrows -> T {
    let box = CompletionTrampoline.Box(completer)
    CompletionTrampoline.register(box)
    defer {
      CompletionTrampoline.register(nil)
      withExtendedLifetime(box) {}
    }
    return try body()
  }

  @Test func singleCommandIsCompletedWithASpace() {
    let outcome = withCompleter(fakeCompleter) { CompletionTrampoline.run(line: "kme", cursor: 3) }
    #expect(outcome == .init(insertion: "kmeans", matches: ["kmeans"], appended: " "))
  }

  @Test func commonPrefixIsInsertedAndAllMatchesListed() {
    let outcome = withCompleter(fakeCompleter) { CompletionTrampoline.run(line: "k", cursor: 1) }
    #expect(outcome?.insertion == "k")
    #expect(outcome?.matches.sorted() == ["kernel", "kmeans"])  // a second Tab lists them sorted
    #expect(outcome?.appended == nil)
    let longer = withCompleter({ _, _ in (0, ["kmeans", "kmedoids"]) }) {
      CompletionTrampoline.run(line: "k", cursor: 1)
    }
    #expect(longer?.insertion == "kme")
  }

  @Test func parameterNameGetsNoSpace() {
    let outcome = withCompleter(fakeCompleter) { CompletionTrampoline.run(line: "kmeans k", cursor: 8) }
    #expect(outcome == .init(insertion: "k=", matches: ["k="], appended: nil))
  }

  @Test func completerSeesTheWholeLineAndAUTF8Cursor() {
    let recorder = Recorder()
    let line = "é = kme rest"
    let cursor = "é = kme".utf8.count
    _ = withCompleter({ line, cursor in
      recorder.calls.append((line, cursor))
      return (cursor, [])
    }) { CompletionTrampoline.run(line: line, cursor: cursor) }
    #expect(recorder.calls.count == 1)
    #expect(recorder.calls.first?.line == line)
    #expect(recorder.calls.first?.cursor == 8)
  }

  @Test func replacementAfterAQuoteKeepsTheQuote() {
    let outcome = withCompleter(fakeCompleter) {
      CompletionTrampoline.run(line: "load features=\"da", cursor: 17)
    }
    // libedit's word starts at the quote (`=` breaks words, `"` does not).
    #expect(outcome == .init(insertion: "\"data/", matches: ["\"data/"], appended: nil))
  }

  @Test func matchesThatDoNotExtendTheWordKeepWhatWasTyped() {
    let outcome = withCompleter({ _, _ in (0, ["load", "kmeans"]) }) {
      CompletionTrampoline.run(line: "x", cursor: 1)
    }
    #expect(outcome?.insertion == "x")
    #expect(outcome?.matches.sorted() == ["kmeans", "load"])
  }

  @Test func nothingToOffer() {
    #expect(withCompleter(fakeCompleter) { CompletionTrampoline.run(line: "zz", cursor: 2) } == nil)
    CompletionTrampoline.register(nil)
    #expect(CompletionTrampoline.run(line: "kme", cursor: 3) == nil)
  }

  @Test func wordBreakCharactersSuitTheLanguage() {
    let breaks = CompletionTrampoline.wordBreakCharacters
    for character in [" ", "=", "[", ",", "(", "\t", "\n"] { #expect(breaks.contains(character)) }
    for character in ["$", "\"", "+", "/", ".", "_"] { #expect(!breaks.contains(character)) }
  }

  @Test func libeditMatchesRewriteOtherReplacementStarts() {
    // Completer starts later than libedit's word (after a quote): the gap is prefixed.
    #expect(CompletionTrampoline.libeditMatches(
      line: "load \"da", cursor: 8, wordStart: 5, replacementStart: 6, candidates: ["data/", "data/"]) == ["\"data/"])
    // Completer starts earlier (it replaces `a=b` as a whole): the covered text is removed,
    // candidates that do not begin with it are dropped.
    #expect(CompletionTrampoline.libeditMatches(
      line: "x a=b", cursor: 5, wordStart: 4, replacementStart: 2, candidates: ["a=bc", "z=b"]) == ["bc"])
    // Out-of-range offsets are clamped into the line.
    #expect(CompletionTrampoline.libeditMatches(
      line: "km", cursor: 99, wordStart: -3, replacementStart: 0, candidates: ["kmeans"]) == ["kmeans"])
  }
}
