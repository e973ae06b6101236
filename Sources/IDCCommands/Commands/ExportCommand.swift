import IDCCore
import IDCData
import IDCLang

/// `export`: any array or table to `.npy`, `.npz` or CSV.
///
/// A model exports as the arrays that reproduce its predictions in numpy (float32):
/// `w1` (hidden × D), `b1` (hidden), `w2` (C × hidden), `b2` (C), with the features it
/// reads, `z` = the rows of the features divided by their L2 norm (rows of zeros stay zero):
///
///     assignment = argmax(relu(z @ w1.T + b1) @ w2.T + b2, axis=1)
///
/// plus `assignment`, `loss` (per epoch) and `epochs_done`.
enum ExportCommand: IDCCommand {
  static let builtins = ["assignment", "pretrained", "centers", "scores", "features", "images", "answer_log", "audit_log"]
  static let what: Parameter<String> = Parameter(
    ParameterSpec("what", .oneOf([.choice(builtins), .name(kind: nil)]), required: true,
                  help: "a named value or one of assignment, pretrained, centers, scores, features, images, answer_log, audit_log")) { $0?.stringValue ?? "" }
  static let to: Parameter<String> = .requiredPath("to", extensions: ["npy", "npz", "csv"], help: "output file; the extension picks the format")

  static let spec = CommandSpec(
    name: "export",
    abstract: "Write an array or table to .npy, .npz or .csv: a named value, or assignment, pretrained, centers, scores, features, images.",
    discussion: "A model is written with every weight and bias (w1, b1, w2, b2) and the normalised features z it reads: argmax(relu(z @ w1.T + b1) @ w2.T + b2) is its assignment.",
    positionals: specs(what),
    parameters: specs(to),
    examples: ["export sel to=\"selected.npy\"", "export table to=\"table.csv\"", "export scores to=\"scores.npz\"", "export model to=\"head.npz\""])
  static let transcript = Transcript.notRecorded
  static let howToMake: String? = nil

  static func partialResult(of interruption: Interrupted, _ args: BoundArguments, _ context: CommandContext) -> PartialResult? { nil }

  static func run(_ args: BoundArguments, _ context: CommandContext) throws -> WorkspaceValue? {
    let ws = context.workspace
    let what = args[Self.what]
    let path = context.outputPath(args[to])
    var arrays: [(key: String, array: NDArray)] = []
    var table: [[String]]?
    switch what {
    case "assignment":
      let pretrained = try ws.requirePretrained().assignment
      arrays = [("assignment", NDArray(labels: ws.current ?? pretrained))]
    case "pretrained": arrays = [("assignment", NDArray(labels: try ws.requirePretrained().assignment))]
    case "centers": arrays = [("centers", NDArray(try ws.requirePretrained().centers))]
    case "features": arrays = [("features", NDArray(try ws.requireData().features.matrix()))]
    case "images":
      guard let images = try ws.requireData().images else {
        throw CommandError("the data have no images", help: "load them with the features: load features=… images=\"x.npy\"")
      }
      arrays = [("images", images)]
    case "answer_log":
      arrays = Self.arrays(of: .feedback(try ws.feedbackSet(named: "all")), prefix: nil)
    case "audit_log":
      guard ws.auditLog.count > 0 else {
        throw CommandError("no audit answers in this session", help: "run 'feedback audit n=50' first")
      }
      arrays = Self.arrays(of: .feedback(ws.auditLog.set), prefix: nil)
    case "scores":
      guard let s = ws.scores else { throw CommandError("no scores yet", help: "run 'score' first") }
      arrays = scoreArrays(s)
    default:
      let value = try ws.value(named: what)
      arrays = Self.arrays(of: value, prefix: nil)
      if case .model = value { arrays.append(("z", NDArray(ws.z))) }
      if case .table(let t) = value { table = tableRows(t) }
    }
    if path.hasSuffix(".csv") {
      if let table {
        try CSVWriter.write(rows: Array(table.dropFirst()), header: table[0], to: path)
      } else if arrays.count == 1 {
        let a = arrays[0].array
        guard a.shape.count <= 2 else {
          throw CommandError("\(arrays[0].key) has \(a.shape.count) dimensions, which a CSV table cannot hold", help: "write it to .npy or .npz")
        }
        let m = a.shape.count == 2 ? try a.asMatrix() : Matrix(rows: a.shape[0], columns: 1, storage: try a.asFloats())
        if case .int64 = a.storage, a.shape.count == 1 {
          try CSVWriter.write(rows: (try a.asLabels()).map { [String($0)] }, header: [arrays[0].key], to: path)
        } else {
          try CSVWriter.write(m, to: path)
        }
      } else {
        let n = arrays[0].array.shape.first ?? 0
        guard arrays.allSatisfy({ $0.array.shape.count == 1 && $0.array.shape[0] == n }) else {
          throw args.error("'\(what)' holds several arrays of different shapes; export it to .npz", at: to)
        }
        let columns = try arrays.map { try $0.array.asFloats() }
        try CSVWriter.write(rows: (0..<n).map { i in columns.map { "\($0[i])" } }, header: arrays.map(\.key), to: path)
      }
    } else if path.hasSuffix(".npy") {
      // One array per .npy: a selection's indices, a clustering's or model's assignment.
      if arrays.count > 1, let primary = ["indices", "assignment"].lazy.compactMap({ key in arrays.first { $0.key == key } }).first {
        arrays = [primary]
      }
      guard arrays.count == 1 else {
        throw args.error("'\(what)' holds \(arrays.count) arrays (\(arrays.map(\.key).joined(separator: ", "))); export it to .npz", at: to)
      }
      try NPYWriter.write(arrays[0].array, to: path)
    } else {
      try NPZArchive.write(arrays, to: path, compressed: true)
    }
    context.say("wrote \(what) to \(path)")
    return nil
  }

  /// Hardness and representativeness as 1-D float32 arrays.
  static func scoreArrays(_ s: ValueScores) -> [(key: String, array: NDArray)] {
    [("hardness", NDArray(shape: [s.hardness.count], storage: .float32(s.hardness))),
     ("representativeness", NDArray(shape: [s.representativeness.count], storage: .float32(s.representativeness)))]
  }

  /// The arrays a value holds, keyed (prefixed with `prefix_` when given).
  static func arrays(of value: WorkspaceValue, prefix: String?) -> [(key: String, array: NDArray)] {
    func key(_ k: String) -> String { prefix.map { "\($0)_\(k)" } ?? k }
    switch value {
    case .clustering(let c):
      return [(key("assignment"), NDArray(labels: c.assignment)), (key("centers"), NDArray(c.centers))]
    case .selection(let s):
      return [(key("indices"), NDArray(labels: s.indices)), (key("values"), NDArray(shape: [s.values.count], storage: .float32(s.values)))]
    case .feedback(let f):
      var out = [(key("anchors"), NDArray(labels: f.feedback.anchors)),
                 (key("answers"), NDArray(labels: f.feedback.answers.map(FeedbackFile.code)))]
      let t = f.queries.first?.candidates.count ?? 0
      if f.queries.allSatisfy({ $0.candidates.count == t }) {
        out.append((key("candidates"), NDArray(shape: [f.queries.count, t], storage: .int64(f.queries.flatMap(\.candidates).map(Int64.init)))))
      }
      return out
    case .model(let m):
      var out = [(key("assignment"), NDArray(labels: m.result.assignment)),
                 (key("loss"), NDArray(shape: [m.result.history.count], storage: .float64(m.result.history.map(\.total))))]
      let head = m.result.head
      out.append((key("w1"), NDArray(head.w1)))
      out.append((key("b1"), NDArray(shape: [head.hiddenDimension], storage: .float32(head.b1))))
      out.append((key("w2"), NDArray(head.w2)))
      out.append((key("b2"), NDArray(shape: [head.unitCount], storage: .float32(head.b2))))
      // After a merge, several output units make one cluster (its probability is their sum).
      if let classes = head.unitClasses { out.append((key("unit_clusters"), NDArray(labels: classes))) }
      out.append((key("epochs_done"), NDArray(labels: [m.interruptedAfter?.done ?? m.trainer.epochs])))
      return out
    case .embedding(let e):
      return [(key("embedding"), NDArray(e.points))]
    case .table(let t):
      return [(key("acc"), NDArray(shape: [t.rows.count], storage: .float64(t.rows.map(\.metrics.accuracy)))),
              (key("nmi"), NDArray(shape: [t.rows.count], storage: .float64(t.rows.map(\.metrics.nmi)))),
              (key("ari"), NDArray(shape: [t.rows.count], storage: .float64(t.rows.map(\.metrics.ari)))),
              (key("budget"), NDArray(labels: t.rows.map(\.budget))),
              (key("seed"), NDArray(labels: t.rows.map(\.seed)))]
    case .metrics(let m):
      return [(key("metrics"), NDArray(shape: [3], storage: .float64([m.accuracy, m.nmi, m.ari])))]
    }
  }

  /// One CSV row per table row; `rounds` and `variant` columns when any row has rounds ≠ 1.
  static func tableRows(_ t: ExperimentTable) -> [[String]] {
    let rounds = t.rows.contains { $0.rounds != 1 || !$0.variant.isEmpty }
    return [["method", "seed", "m", "strategy", "losses", "acc", "nmi", "ari", "positives", "negatives", "note"] + (rounds ? ["rounds", "variant"] : [])]
      + t.rows.map { r in
        [r.method, String(r.seed), String(r.budget), r.strategy, r.losses, "\(r.metrics.accuracy)", "\(r.metrics.nmi)",
         "\(r.metrics.ari)", String(r.positives), String(r.negatives), r.note] + (rounds ? [String(r.rounds), r.variant] : [])
      }
  }
}
