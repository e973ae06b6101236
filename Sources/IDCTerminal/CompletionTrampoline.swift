import CEditLine

/// The bridge from libedit's Tab key to a Swift completer.
///
/// libedit calls C (`rl_attempted_completion_function`), which calls ``callback`` with the
/// context pointer stored next to it in C: an unretained pointer to a ``Box`` that the owning
/// ``LineEditor`` keeps alive. No Swift global holds state.
///
/// libedit always replaces the *word* before the cursor (delimited by the word break
/// characters, see ``wordBreakCharacters``), while a completer may choose another start;
/// ``libeditMatches(line:cursor:wordStart:replacementStart:candidates:)`` rewrites candidates
/// into replacements of that word.
enum CompletionTrampoline {
  /// Holds the completer while libedit may call it.
  final class Box {
    let completer: LineEditor.Completer
    init(_ completer: @escaping LineEditor.Completer) { self.completer = completer }
  }

  /// The characters that end a completion word: space, tab, newline, `=`, `[`, `]`, `,`, `(`,
  /// `)`, `{`, `}` — the separators of the idc language (`kmeans k=1`, `[a, b]`, `{`).
  static var wordBreakCharacters: String {
    String(cString: idc_completion_word_break_characters())
  }

  /// The C-callable completer: decodes the line, asks the Swift completer, offers the matches.
  static let callback: idc_completion_callback = { context, line, cursor, wordStart in
    guard let context, let line else { return }
    let box = Unmanaged<Box>.fromOpaque(context).takeUnretainedValue()
    let text = String(cString: line)
    let (replacementStart, candidates) = box.completer(text, Int(cursor))
    let matches = libeditMatches(
      line: text, cursor: Int(cursor), wordStart: Int(wordStart), replacementStart: replacementStart,
      candidates: candidates)
    for match in matches {
      match.withCString { idc_completion_offer($0) }
    }
  }

  /// Registers `box` (or none) as the process's completer, in C.
  static func register(_ box: Box?) {
    if let box {
      idc_completion_set_callback(callback, Unmanaged.passUnretained(box).toOpaque())
    } else {
      idc_completion_set_callback(nil, nil)
    }
  }

  /// Rewrites a completer's answer into replacements for libedit's word `line[wordStart..<cursor]`.
  ///
  /// A candidate replaces `line[replacementStart..<cursor]`. When `replacementStart` is after
  /// the word start (say after an opening quote), the text between them is put in front of the
  /// candidate; when it is before, the candidate must begin with the text between them, which is
  /// then removed (other candidates cannot be expressed and are dropped). Duplicates are dropped,
  /// order is kept. All offsets are UTF-8 offsets and are clamped into the line.
  static func libeditMatches(
    line: String, cursor: Int, wordStart: Int, replacementStart: Int, candidates: [String]
  ) -> [String] {
    let bytes = Array(line.utf8)
    let cursor = min(max(0, cursor), bytes.count)
    let wordStart = min(max(0, wordStart), cursor)
    let replacementStart = min(max(0, replacementStart), cursor)
    var seen = Set<String>()
    var matches: [String] = []
    for candidate in candidates {
      let candidateBytes = Array(candidate.utf8)
      let match: [UInt8]
      if replacementStart >= wordStart {
        match = Array(bytes[wordStart..<replacementStart]) + candidateBytes
      } else {
        let covered = bytes[replacementStart..<wordStart]
        guard candidateBytes.starts(with: covered) else { continue }
        match = Array(candidateBytes.dropFirst(covered.count))
      }
      let text = String(decoding: match, as: UTF8.self)
      if seen.insert(text).inserted { matches.append(text) }
    }
    return matches
  }

  /// What a Tab at `cursor` in `line` would do, computed through the C entry point
  /// `idc_completion_run` (the same code libedit calls, minus the terminal).
  struct Outcome: Equatable {
    /// The text libedit puts in place of the word (the matches' common prefix).
    var insertion: String
    /// The matches a second Tab lists.
    var matches: [String]
    /// The character appended after a single match (nil for none).
    var appended: Character?
  }

  /// Runs the C completion path on a fake line; nil when there is nothing to offer.
  static func run(line: String, cursor: Int) -> Outcome? {
    var append: Int32 = 0
    guard let list = idc_completion_run(line, Int32(cursor), &append) else { return nil }
    defer { idc_completion_free(list) }
    var strings: [String] = []
    var index = 0
    while let item = list[index] {
      strings.append(String(cString: item))
      index += 1
    }
    guard let insertion = strings.first else { return nil }
    let matches = Array(strings.dropFirst())
    let appended = matches.count == 1 && append != 0 ? Character(Unicode.Scalar(UInt8(append))) : nil
    return Outcome(insertion: insertion, matches: matches, appended: appended)
  }
}
