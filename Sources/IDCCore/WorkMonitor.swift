/// How long work reports progress and learns it should stop.
///
/// Loops take one monitor, call ``step(_:of:)`` once per iteration or block,
/// and on cancellation throw ``Interrupted`` carrying their partial result
/// (openTSNE's `OptimizationInterrupt`). The core never looks at signals or
/// clocks itself: the terminal layer supplies the closures.
public struct WorkMonitor: Sendable {
  public var isCancelled: @Sendable () -> Bool
  public var progress: @Sendable (_ label: String, _ done: Int, _ total: Int) -> Void

  public init(
    isCancelled: @escaping @Sendable () -> Bool = { false },
    progress: @escaping @Sendable (_ label: String, _ done: Int, _ total: Int) -> Void = { _, _, _ in }
  ) {
    self.isCancelled = isCancelled
    self.progress = progress
  }

  /// A monitor that never cancels and reports nothing.
  public static let silent = WorkMonitor()

  /// Reports progress; returns true when the work should stop.
  @inline(__always)
  public func step(_ label: String, _ done: Int, of total: Int) -> Bool {
    progress(label, done, total)
    return isCancelled()
  }
}

/// Thrown by long work stopped through its ``WorkMonitor``; `partial` holds
/// what was computed so far (a k-means result, an embedding, a model...).
public struct Interrupted: Error, Sendable {
  public let what: String
  public let partial: (any Sendable)?
  /// How far the work got when it stopped.
  public let progress: Progress?

  public init(_ what: String, partial: (any Sendable)? = nil, progress: Progress? = nil) {
    self.what = what
    self.partial = partial
    self.progress = progress
  }

  /// `done` of `total` units: "2016 of 20000 epochs".
  public struct Progress: Sendable, Equatable, CustomStringConvertible {
    public var done: Int
    public var total: Int
    public var unit: String
    public init(_ done: Int, of total: Int, _ unit: String) {
      self.done = done
      self.total = total
      self.unit = unit
    }
    public var description: String { "\(done) of \(total) \(unit)" }
  }
}

/// A parameter or input the core refuses, with a message for people.
public struct CoreError: Error, Sendable, Equatable, CustomStringConvertible {
  public let message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
