// IDCText: text helpers with no dependencies, shared by the language (did-you-mean for
// commands, parameters, names) and the data readers (did-you-mean for CSV columns, data sets).

/// Edit distances and "did you mean" suggestions for unknown names.
public enum EditDistance: Sendable {
  /// The Damerau–Levenshtein distance between `a` and `b` in its optimal-string-alignment form:
  /// the fewest insertions, deletions, substitutions and transpositions of two adjacent
  /// characters that turn `a` into `b`, where no substring is edited twice
  /// (Damerau 1964; Levenshtein 1966). `hrad` → `hard` is 1 (one transposition).
  ///
  /// Compares Unicode scalars exactly (case matters).
  /// - Complexity: O(|a|·|b|) time, O(|b|) memory (three rows).
  public static func damerauLevenshtein(_ a: String, _ b: String) -> Int {
    let s = Array(a.unicodeScalars)
    let t = Array(b.unicodeScalars)
    if s.isEmpty { return t.count }
    if t.isEmpty { return s.count }
    var previousPrevious = [Int](repeating: 0, count: t.count + 1)
    var previous = Array(0...t.count)
    var current = [Int](repeating: 0, count: t.count + 1)
    for i in 1...s.count {
      current[0] = i
      for j in 1...t.count {
        let cost = s[i - 1] == t[j - 1] ? 0 : 1
        var best = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        if i > 1, j > 1, s[i - 1] == t[j - 2], s[i - 2] == t[j - 1] {
          best = min(best, previousPrevious[j - 2] + 1)
        }
        current[j] = best
      }
      (previousPrevious, previous, current) = (previous, current, previousPrevious)
    }
    return previous[t.count]
  }

  /// The largest distance at which `name` still gets a suggestion: `max(1, length / 3)`, so a
  /// three-letter name tolerates one slip and a nine-letter name three.
  public static func threshold(for name: String) -> Int {
    max(1, name.unicodeScalars.count / 3)
  }

  /// The candidate closest to `name` (compared case-insensitively) when it is within
  /// ``threshold(for:)``, else nil. Ties go to the earlier candidate; an exact, same-case match
  /// is never suggested (it is not a near miss).
  public static func suggestion(for name: String, among candidates: some Sequence<String>) -> String? {
    let lowered = name.lowercased()
    let limit = threshold(for: name)
    var best: (candidate: String, distance: Int)?
    for candidate in candidates where candidate != name {
      let distance = damerauLevenshtein(lowered, candidate.lowercased())
      if distance <= limit, distance < (best?.distance ?? Int.max) {
        best = (candidate, distance)
      }
    }
    return best?.candidate
  }
}
