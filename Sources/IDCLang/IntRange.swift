/// An inclusive integer range with a positive step, written `a..b` or `a..b:step` in idc.
///
/// `1..5` is 1, 2, 3, 4, 5; `0..1000:100` is 0, 100, …, 1000; `0..10:3` is 0, 3, 6, 9 (the
/// end is included only when the steps land on it). The lexer guarantees
/// `lowerBound <= upperBound` and `step >= 1`; iteration stops before it would overflow.
public struct IntRange: Sendable, Hashable, Sequence, CustomStringConvertible {
  /// The first value.
  public var lowerBound: Int
  /// The largest value allowed.
  public var upperBound: Int
  /// The distance between consecutive values, at least 1.
  public var step: Int

  /// Creates `lowerBound..upperBound:step`; requires `lowerBound <= upperBound` and `step >= 1`.
  public init(_ lowerBound: Int, _ upperBound: Int, step: Int = 1) {
    precondition(lowerBound <= upperBound && step >= 1, "invalid range \(lowerBound)..\(upperBound):\(step)")
    self.lowerBound = lowerBound
    self.upperBound = upperBound
    self.step = step
  }

  /// How many values the range holds, saturating at `Int.max`.
  public var count: Int {
    let span = UInt(bitPattern: upperBound &- lowerBound) / UInt(step)
    return span >= UInt(Int.max) ? Int.max : Int(span) + 1
  }

  /// The idc spelling: `a..b`, or `a..b:step` when the step is not 1.
  public var description: String {
    step == 1 ? "\(lowerBound)..\(upperBound)" : "\(lowerBound)..\(upperBound):\(step)"
  }

  /// Iterates the values in increasing order.
  public struct Iterator: IteratorProtocol, Sendable {
    var upcoming: Int?
    let upperBound: Int
    let step: Int

    /// The next value, or nil past the end.
    public mutating func next() -> Int? {
      guard let value = upcoming else { return nil }
      let (following, overflow) = value.addingReportingOverflow(step)
      upcoming = overflow || following > upperBound ? nil : following
      return value
    }
  }

  /// An iterator over the values.
  public func makeIterator() -> Iterator {
    Iterator(upcoming: lowerBound, upperBound: upperBound, step: step)
  }
}
