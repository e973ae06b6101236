/// The kinds of value a statement can bind to a name (`sel = select m=100`), and that a
/// `.name(kind:)` parameter asks for. One enum, so a misspelt kind does not compile.
public enum ValueKind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
  /// A k-means result: centres and assignment.
  case clustering
  /// Samples chosen to ask about.
  case selection
  /// Answers to the queries about a selection.
  case feedback
  /// A trained cluster head.
  case model
  /// A 2-D t-SNE map.
  case embedding
  /// An experiment table (`sweep`).
  case table
  /// ACC / NMI / ARI of an assignment.
  case metrics

  public var description: String { rawValue }

  /// The plural noun: `selections`.
  public var plural: String { rawValue + "s" }
}
