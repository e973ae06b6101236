import IDCCore
import IDCLang

/// `show`: the workspace, the options, or one named value.
enum ShowCommand: IDCCommand {
  static let spec = CommandSpec(
    name: "show",
    abstract: "Show the workspace (data, model, named values), the options, or one value in detail.",
    positionals: specs(what),
    examples: ["show", "show sel", "show clusters", "show options", "show blas", "show table"])
  static let what: Parameter<String?> = .string("what", help: "a value name, a kind (the latest one), 'clusters', 'options', 'blas', or nothing for the workspace")
  static let transcript = Transcript.notRecorded
  static let howToMake: String? = nil

  static func partialResult(of interruption: Interrupted, _ args: BoundArguments, _ context: CommandContext) -> PartialResult? { nil }

  static func run(_ args: BoundArguments, _ context: CommandContext) throws -> WorkspaceValue? {
    try context.gatheringResult { try show(args, $0) }
    return nil
  }

  static func show(_ args: BoundArguments, _ context: CommandContext) throws {
    let ws = context.workspace
    switch args[what] {
    case nil, "workspace":
      guard let data = ws.data else { context.say("workspace: empty (load a data set: load digits)"); return }
      context.say("data: \(data.name), \(data.count) × \(data.dimension)\(data.labels == nil ? "" : ", labelled")")
      context.say("pre-trained: \(ws.pretrained == nil ? "none" : ws.pretrainedSource)")
      context.say("current: \(ws.current == nil ? "none" : ws.currentSource)")
      context.say("scores: \(ws.scores == nil ? "none" : "h, r with K = \(ws.scoreNeighbors)")\(ws.queryReference.map { " (against \($0.source))" } ?? "")")
      if let search = ws.graphSearch { context.say("neighbour graph: \(search)") }
      if ws.answerLog.count > 0 { context.say("answers: \(ws.answerLog.summary)") }
      if let current = ws.current, let e = ws.auditEstimate(of: current) {
        context.say("audit: \(ws.auditLog.count) answers held out of training; current clustering \(e)")
      }
      for (name, value) in ws.named.sorted(by: { $0.key < $1.key }) { context.say("\(name): \(value.summary)") }
      for kind in ValueKind.allCases where !ws.named.values.contains(where: { $0.kind == kind }) {
        if let value = ws.latest[kind] { context.say("(latest \(kind)): \(value.summary)") }
      }
    case "options":
      let o = ws.options
      context.say("seed=\(o.seed) outdir=\"\(o.outputDirectory)\" echo=\(o.echo) plot=\(o.plotTerminal.rawValue) timing=\(o.timing) threads=\(Parallelism.threads)")
    case "blas":
      for line in BLASStartup.status.lines { context.say(line) }
    case "clusters":
      context.say(try clusters(context))
    case let name?:
      let value: WorkspaceValue
      if let v = ws.named[name] {
        value = v
      } else if let kind = ValueKind(rawValue: name), let v = ws.latest[kind] {
        value = v
      } else {
        throw args.error("nothing called '\(name)'", at: what,
                         help: closest(to: name, among: Array(ws.named.keys) + ws.latest.keys.map(\.rawValue) + ["clusters", "options", "blas"]).map { "did you mean '\($0)'?" })
      }
      context.say(value.summary)
      detail(value, context)
    }
  }

  /// One row per cluster of the current clustering: its name, size (and the pre-trained
  /// size), the answers naming it (positive) and rejecting it, the audit answers about its
  /// samples that confirm it, and how sure the model is — the current model's mean top
  /// probability over its samples, or without a trained model the mean cosine to its centre.
  static func clusters(_ context: CommandContext) throws -> String {
    let ws = context.workspace
    let (pretrained, centers) = try ws.requirePretrained()
    let current = ws.current ?? pretrained
    let k = centers.rows
    var size = [Int](repeating: 0, count: k), before = size, positive = size, rejected = size
    for g in current where g >= 0 && g < k { size[g] += 1 }
    for g in pretrained where g >= 0 && g < k { before[g] += 1 }
    for answer in ws.answerLog.set.feedback.answers {
      switch answer {
      case .positive(let g) where g >= 0 && g < k: positive[g] += 1
      case .negative(let gs): for g in gs where g >= 0 && g < k { rejected[g] += 1 }
      default: break
      }
    }
    // How sure: the model's top probability when the current clustering is the latest model's.
    var sureSum = [Double](repeating: 0, count: k)
    let sureHeader: String
    if let value = ws.latest[.model], case .model(let model) = value, model.result.assignment == current {
      let top = model.result.head.topTwo(ws.z).first
      for (i, g) in current.enumerated() where g >= 0 && g < k { sureSum[g] += Double(top[i]) }
      sureHeader = "mean p(top)"
    } else {
      let c = try centersOfAssignment(ws.z, assignment: current, clusterCount: k)
      let d = ws.z.columns
      for (i, g) in current.enumerated() where g >= 0 && g < k {
        var dot: Float = 0
        for j in 0..<d { dot += ws.z[i, j] * c[g, j] }
        sureSum[g] += Double(dot)
      }
      sureHeader = "mean cos to centre"
    }
    let audit = ws.auditLog.set
    var header = ["cluster", "name", "size", "pre-trained", "answered it", "rejected it"]
    if !audit.queries.isEmpty { header.append("audit confirmed") }
    header.append(sureHeader)
    var rows = [header]
    for g in 0..<k {
      var row = [String(g), ws.clusterNames[g] ?? "", String(size[g]), String(before[g]), String(positive[g]), String(rejected[g])]
      if !audit.queries.isEmpty {
        let mine = zip(audit.queries, audit.feedback.answers).filter { $0.0.anchor < current.count && current[$0.0.anchor] == g }
        let e = Audit.estimate(queries: mine.map(\.0), answers: mine.map(\.1), assignment: current)
        row.append(e.determined == 0 ? "–" : "\(e.confirmed) of \(e.determined)")
      }
      row.append(size[g] == 0 ? "–" : format(sureSum[g] / Double(size[g]), 3))
      rows.append(row)
    }
    let empty = (0..<k).filter { size[$0] == 0 }
    var text = "clusters of the current clustering (\(ws.currentSource)), \(current.count) samples:\n" + alignedTable(rows)
    if !empty.isEmpty { text += "\nempty now: " + empty.map { ws.clusterLabel($0) }.joined(separator: ", ") }
    if let lines = suggestions(ws) { text += "\n" + lines }
    return text
  }

  /// "the answers suggest: merge 3 7 — …" (``PartitionSuggestion``), or nil when they suggest nothing.
  static func suggestions(_ ws: Workspace) -> String? {
    guard let home = ws.pretrained, ws.answerLog.count > 0 else { return nil }
    let found = PartitionSuggestion.suggest(ws.answerLog.set.feedback, home: home, classCount: ws.clusterCount)
    guard !found.isEmpty else { return nil }
    return "the answers suggest:\n" + found.map { "  " + $0.description }.joined(separator: "\n")
  }

  static func detail(_ value: WorkspaceValue, _ context: CommandContext) {
    switch value {
    case .table(let t): context.say(SweepCommand.render(t))
    case .selection(let s):
      if !s.note.isEmpty { context.say(s.note) }
      context.say("why the first picks were chosen (\(s.strategy)):")
      context.say(alignedTable(SelectCommand.explanation(s, first: 20)))
      if s.indices.count > 20 { context.say("… \(s.indices.count - 20) more (export it to see all)") }
    case .model(let m):
      for r in m.result.history.suffix(5) {
        context.say("epoch \(r.iteration): loss \(format(r.total, 4))\(r.metrics["acc"].map { ", ACC \(percent($0))" } ?? "")")
      }
    case .feedback(let f):
      for (q, a) in zip(f.queries, f.feedback.answers).prefix(10) {
        context.say("sample \(q.anchor): candidates \(q.candidates) → \(FeedbackDescription.text(a, names: context.workspace))")
      }
    case .clustering(let c):
      context.say("restart objectives: " + c.restartObjectives.map { format($0, 1) }.joined(separator: ", "))
    case .embedding(let e):
      context.say("KL: " + e.klDivergence.map { "\($0.iteration): \(format($0.value, 4))" }.joined(separator: ", "))
    case .metrics: break
    }
  }
}

enum FeedbackDescription {
  static func text(_ a: Answer, names ws: Workspace) -> String {
    switch a {
    case .positive(let g): ws.clusterLabel(g)
    case .negative: "none"
    case .skipped: "skipped"
    }
  }
}
