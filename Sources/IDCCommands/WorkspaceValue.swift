import IDCCore
import IDCLang
import IDCData

/// The answers collected for a selection, with the queries that were shown.
public struct FeedbackSet: Sendable {
  public init(queries: [Query], feedback: Feedback, source: String) {
    self.queries = queries
    self.feedback = feedback
    self.source = source
  }

  public var queries: [Query]
  public var feedback: Feedback
  /// Where the answers came from: `oracle matching`, `ask`, a file name...
  public var source: String
}

/// A trained cluster head and how it was trained.
public struct TrainedModel: Sendable {
  public var result: HeadTrainingResult
  public var trainer: HeadTrainer
  public var feedbackCount: Int
  public var metrics: ClusteringMetrics?
  /// Set when Ctrl-C stopped the finetuning: the head as it was then, after this many epochs.
  public var interruptedAfter: Interrupted.Progress?
}

/// A 2-D t-SNE embedding with its optimisation trace (and the state to resume it).
public struct Embedding: Sendable {
  public var points: Matrix
  public var iterationsDone: Int
  public var klDivergence: [KLPoint]
  /// The optimiser state `tsne continue=…` resumes from.
  public var resumeState: (any Sendable)?

  public struct KLPoint: Sendable {
    public var iteration: Int
    public var value: Double
  }
}

/// A value a statement can bind to a name (`sel = select m=100`).
public enum WorkspaceValue: Sendable {
  case clustering(KMeans.Result)
  case selection(Selection)
  case feedback(FeedbackSet)
  case model(TrainedModel)
  case embedding(Embedding)
  case table(ExperimentTable)
  case metrics(ClusteringMetrics)

  /// The kind, as command specs name it (`.name(kind: .selection)`).
  public var kind: ValueKind {
    switch self {
    case .clustering: .clustering
    case .selection: .selection
    case .feedback: .feedback
    case .model: .model
    case .embedding: .embedding
    case .table: .table
    case .metrics: .metrics
    }
  }

  /// One line for `show`.
  public var summary: String {
    switch self {
    case .clustering(let r):
      return "k-means, k = \(r.centers.rows), objective \(format(r.objective, 2)), \(r.iterations.count) iterations"
    case .selection(let s):
      return "\(s.indices.count) samples chosen by \(s.strategy); first \(s.indices.prefix(5).map(String.init).joined(separator: ", "))"
    case .feedback(let f):
      return "\(f.feedback.count) answers from \(f.source): \(f.feedback.positiveCount) positive, \(f.feedback.negativeCount) negative, \(f.feedback.skippedCount) skipped"
    case .model(let m):
      let losses = HeadTrainer.Loss.allCases.filter { m.trainer.losses.contains($0) }.map(\.rawValue).joined(separator: "+")
      return "head \(m.result.head.inputDimension)→\(m.result.head.hiddenDimension)→\(m.result.head.classCount), \(m.trainer.epochs) epochs on \(m.feedbackCount) answers (\(losses))"
        + (m.interruptedAfter.map { " — interrupted after \($0)" } ?? "") + (m.metrics.map { "; \($0)" } ?? "")
    case .embedding(let e):
      return "t-SNE of \(e.points.rows) samples, \(e.iterationsDone) iterations, KL \(e.klDivergence.last.map { format($0.value, 4) } ?? "–")"
    case .table(let t):
      return "experiment table: \(t.rows.count) rows, \(t.summaries().count) settings"
    case .metrics(let m):
      return m.description
    }
  }
}

/// `x` with `digits` decimals.
func format(_ x: Double, _ digits: Int) -> String {
  guard x.isFinite else { return "\(x)" }
  var scale = 1.0
  for _ in 0..<digits { scale *= 10 }
  var r = (x * scale).rounded() / scale
  if r == 0 { r = 0 }  // no "-0.000"
  var s = "\(r)"
  if let dot = s.firstIndex(of: ".") {
    let decimals = s.distance(from: dot, to: s.endIndex) - 1
    if decimals < digits { s += String(repeating: "0", count: digits - decimals) }
  } else if digits > 0 {
    s += "." + String(repeating: "0", count: digits)
  }
  return s
}

/// A percentage with one decimal: 0.6889 → "68.9".
func percent(_ x: Double) -> String { format(x * 100, 1) }

/// A size in bytes for people: `512 MB`, `2.0 GB` (decimal units, as `ls -h --si`).
func megabytes(_ bytes: Int) -> String {
  bytes >= 1_000_000_000 ? "\(format(Double(bytes) / 1e9, 1)) GB" : "\(Int((Double(bytes) / 1e6).rounded())) MB"
}
