import Foundation
import IDCCore
import IDCData
import IDCLang
import IDCPlot

/// `plot`: the paper's pictures through gnuplot — the Fig. 3 map, the
/// strategy comparison, the Fig. 4 curves, training curves, score
/// histograms and query sheets.
enum PlotCommand: IDCCommand {
  static let to: Parameter<String?> = .path("to", extensions: ["png", "svg", "pdf"], help: "write to this file (.png, .svg, .pdf) instead of the terminal")
  static let title: Parameter<String?> = .string("title", help: "the plot's title")
  static let size: Parameter<String?> = .string("size", help: "picture size in pixels for files, e.g. 800x600 (default: the plot's own)")
  static let output: [ParameterSpec] = specs(to, title, size)

  /// What the map is coloured by.
  enum Colouring: String, ChoiceValue { case cluster, label }
  /// How the comparison panels are laid out.
  enum Layout: String, ChoiceValue { case grid, row }
  /// Which metric a curve shows.
  enum Metric: String, ChoiceValue { case acc, nmi, ari }

  static let embedding: Parameter<String?> = .name("embedding", kind: .embedding, help: "the embedding (default: the latest; computed with 'tsne' if there is none)")
  static let highlight: Parameter<String?> = .name("highlight", kind: .selection, help: "a selection to mark in red (default: the latest, if any)")
  static let color: Parameter<Colouring> = .choice("color", default: .cluster, help: "colour by the current cluster or the true label")
  static let m: Parameter<Int> = .int("m", in: 1...100_000, default: ValueSelector.defaults.count, help: "samples per selection")
  static let layout: Parameter<Layout> = .choice("layout", default: .grid, help: "two columns, or all panels in one row")
  static let strategies: Parameter<[StrategyName]> = .choices(
    "strategies", default: ["hard", "hard+rep", "hard+rep+div", "random"].compactMap(StrategyName.init(rawValue:)),
    help: "the strategies to draw, one panel each (default: the paper's Fig. 3)")
  static let seed = CommonParameters.seed("seed of the random selection (default: the session seed)")
  static let table: Parameter<String?> = .name("table", kind: .table, help: "a sweep table (default: the latest)")
  static let metric: Parameter<Metric> = .choice("metric", default: .acc, help: "which metric")
  static let model: Parameter<String?> = .name("model", kind: .model, help: "the model (default: the latest)")
  static let selection: Parameter<String?> = .name("selection", kind: .selection, help: "the selection to mark (default: the latest)")
  static let answers: Parameter<String?> = .name("answers", kind: .feedback, help: "the answers (default: the latest)")
  static let index: Parameter<Int> = .int("index", in: 1...10_000_000, default: 1, help: "which query (1-based)")
  static let examples: Parameter<Int> = .int("examples", in: 1...10, default: QueryBuilder.defaults.examples, help: "samples shown per candidate")

  static let spec = CommandSpec(
    name: "plot",
    abstract: "Draw with gnuplot: tsne (Fig. 3 map), compare (strategies side by side), curve (Fig. 4), training, quality, scores, query.",
    discussion: "Without to=FILE the picture goes to the terminal ('set plot=…' picks dumb text, sixelgd or a window).",
    subcommands: [
      CommandSpec(name: "tsne", abstract: "The t-SNE map coloured by cluster or label, the selected samples as large red markers (Fig. 3).",
                  parameters: specs(embedding, highlight, color) + output,
                  examples: ["plot tsne highlight=sel", "plot tsne color=label to=\"map.png\""]),
      CommandSpec(name: "compare", abstract: "One map, a panel per strategy: by default hard, hard+rep, hard+rep+div and random (Fig. 3).",
                  parameters: specs(embedding, m, strategies, layout, seed) + output,
                  examples: ["plot compare m=100 to=\"fig3.png\"", "plot compare m=50 strategies=[typiclust, probcover, hard+rep+div, random]"]),
      CommandSpec(name: "curve", abstract: "ACC (or NMI, ARI) against the budget M for each strategy, with seed error bars (Fig. 4).",
                  parameters: specs(table, metric) + output,
                  examples: ["plot curve table=budget to=\"fig4.png\""]),
      CommandSpec(name: "training", abstract: "Each loss per epoch of a trained model, with ACC (labels) and the audit estimate where measured (train every=N).",
                  parameters: specs(model) + output,
                  examples: ["plot training to=\"losses.png\""]),
      CommandSpec(name: "quality", abstract: "The audit estimate of every clustering of the session (with its 95 % interval) and, with labels, its true ACC, against the answers it was trained on.",
                  parameters: output,
                  examples: ["plot quality", "plot quality to=\"quality.png\""]),
      CommandSpec(name: "scores", abstract: "Histograms of hardness h, representativeness r and their sum, the selected samples in red.",
                  parameters: specs(selection) + output,
                  examples: ["plot scores"]),
      CommandSpec(name: "query", abstract: "A query as thumbnails: the sample and its T candidate clusters, the answer marked.",
                  parameters: specs(answers, index, examples) + output,
                  examples: ["plot query index=3 to=\"query.png\""]),
    ],
    examples: ["plot tsne highlight=sel", "plot curve to=\"fig4.png\""])
  static let transcript = Transcript.notRecorded
  static let howToMake: String? = nil

  static func partialResult(of interruption: Interrupted, _ args: BoundArguments, _ context: CommandContext) -> PartialResult? {
    // An embedding computed for the map (plot tsne before tsne) is kept like tsne's.
    TSNECommand.partialResult(of: interruption, args, context)
  }

  static func run(_ args: BoundArguments, _ context: CommandContext) throws -> WorkspaceValue? {
    let ws = context.workspace
    let title = args[Self.title]
    let plot: any GnuplotPlot
    switch args.path.last {
    case "tsne":
      let points = try embedding(args, context)
      let (groups, names, kind) = try colouring(args[color], ws)
      var highlighted: [Int] = []
      if args[highlight] != nil || ws.latest[.selection] != nil,
         case .selection(let s) = try ws.value(named: args[highlight], kind: .selection) {
        highlighted = s.indices
      }
      plot = EmbeddingPlot(points: points, groups: groups, groupNames: names, groupKind: kind, highlighted: highlighted,
                           highlightTitle: "selected", title: title ?? "t-SNE of \(ws.data?.name ?? "the data")")
    case "compare":
      guard !args[strategies].isEmpty else { throw args.error("give at least one strategy", at: strategies) }
      let points = try embedding(args, context)
      let (groups, _, kind) = try colouring(.cluster, ws)
      let m = args[Self.m]
      guard m <= ws.z.rows else { throw args.error("m = \(m) exceeds the number of samples (\(ws.z.rows))", at: Self.m) }
      let selections = try args[strategies].map { strategy in
        SelectionComparisonPlot.Selection(
          name: strategy.rawValue,
          indices: try SelectCommand.select(strategy, m: m, options: StrategyOptions(), excluded: [], seed: context.seed(args[seed]),
                                            context).indices)
      }
      plot = SelectionComparisonPlot(points: points, groups: groups, groupKind: kind, selections: selections,
                                     layout: args[layout] == .row ? .row : .grid,
                                     title: title ?? "Selected samples by strategy (M = \(m))")
    case "curve":
      guard case .table(let table) = try ws.value(named: args[Self.table], kind: .table) else { return nil }
      let metric = args[Self.metric].rawValue
      var series: [String: (x: [Double], y: [Double], e: [Double])] = [:]
      var order: [String] = []
      let severalRounds = Set(table.rows.map { "\($0.rounds) \($0.variant)" }).count > 1
      for s in table.summaries() where s.method == "idc" {
        let name = s.strategy + (Set(table.rows.map(\.losses)).count > 1 ? " (\(s.losses))" : "")
          + (severalRounds ? ", \(s.rounds) round\(s.rounds == 1 ? "" : "s")\(s.variant.isEmpty ? "" : " \(s.variant)")" : "")
        if series[name] == nil { order.append(name); series[name] = ([], [], []) }
        let (m, sd) = metric == "acc" ? (s.mean.accuracy, s.std.accuracy) : metric == "nmi" ? (s.mean.nmi, s.std.nmi) : (s.mean.ari, s.std.ari)
        series[name]!.x.append(Double(s.budget))
        series[name]!.y.append(m * 100)
        series[name]!.e.append(sd * 100)
      }
      guard !order.isEmpty else { throw CommandError("the table has no idc rows to draw") }
      plot = CurvePlot(series: order.map { CurvePlot.Series(name: $0, x: series[$0]!.x, y: series[$0]!.y, error: series[$0]!.e) },
                       title: title ?? "\(metric.uppercased()) against the number of queries (\(ws.data?.name ?? ""))",
                       yLabel: "\(metric.uppercased()) (%)", logScaleX: true)
    case "training":
      guard case .model(let model) = try ws.value(named: args[Self.model], kind: .model) else { return nil }
      let h = model.result.history
      // ACC where it was measured (train every=N), NaN (a gap) elsewhere.
      let accuracy = h.contains(where: { $0.metrics["acc"] != nil }) ? h.map { ($0.metrics["acc"] ?? .nan) * 100 } : nil
      let audit = h.contains(where: { $0.metrics["audit"] != nil }) ? h.map { ($0.metrics["audit"] ?? .nan) * 100 } : nil
      plot = TrainingCurvePlot(
        losses: [TrainingCurvePlot.Series(name: "L_pos", values: h.map(\.positive)),
                 TrainingCurvePlot.Series(name: "L_neg", values: h.map(\.negative)),
                 TrainingCurvePlot.Series(name: "L_reg", values: h.map(\.regularization)),
                 TrainingCurvePlot.Series(name: "total", values: h.map(\.total))],
        accuracy: accuracy, audit: audit, title: title ?? "Finetuning on \(model.feedbackCount) answers")
    case "quality":
      plot = try qualityPlot(title: title, ws)
    case "scores":
      guard let scores = ws.scores else { throw CommandError("no scores yet", help: "run 'score' first") }
      var selected: [Int] = []
      if args[Self.selection] != nil || ws.latest[.selection] != nil,
         case .selection(let s) = try ws.value(named: args[Self.selection], kind: .selection) { selected = s.indices }
      let h = scores.hardness.map(Double.init), r = scores.representativeness.map(Double.init)
      plot = HistogramPlot(distributions: [
        HistogramPlot.Distribution(name: "hardness h", values: h, selected: selected),
        HistogramPlot.Distribution(name: "representativeness r", values: r, selected: selected),
        HistogramPlot.Distribution(name: "h + r", values: zip(h, r).map(+), selected: selected),
      ], title: title ?? "Score distributions (selected in red)")
    case "query":
      guard case .feedback(let set) = try ws.value(named: args[answers], kind: .feedback) else { return nil }
      let index = args[Self.index] - 1
      guard index < set.queries.count else { throw args.error("there are \(set.queries.count) queries", at: Self.index) }
      let answer: QuerySheetPlot.Answer
      switch index < set.feedback.answers.count ? set.feedback.answers[index] : .skipped {
      case .positive(let g): answer = .candidate(set.queries[index].candidates.firstIndex(of: g) ?? 0)
      case .negative: answer = .none
      case .skipped: answer = .pending
      }
      plot = try QueryRenderer(workspace: ws).sheet(set.queries[index], examples: args[examples], answer: answer,
                                                    title: title ?? "Query \(index + 1): which cluster is this sample — or none?")
    default:
      throw args.error("unknown plot")
    }
    try draw(plot, args, context)
    return nil
  }

  /// `size=WxH`, if given.
  static func size(_ args: BoundArguments) throws -> PlotSize? {
    guard let text = args[size] else { return nil }
    let parts = text.lowercased().split(separator: "x").compactMap { Int($0) }
    guard parts.count == 2, (100...10_000).contains(parts[0]), (100...10_000).contains(parts[1]) else {
      throw args.error("size must look like 800x600 (100 to 10000 pixels each), got '\(text)'", at: size)
    }
    return PlotSize(width: parts[0], height: parts[1])
  }

  /// The named or latest embedding; with none yet, one is computed with the `tsne`
  /// defaults and kept as the latest embedding (as `select` computes the scores it needs).
  static func embedding(_ args: BoundArguments, _ context: CommandContext) throws -> Matrix {
    let ws = context.workspace
    _ = try ws.requireData()
    let e: Embedding
    if args[embedding] == nil && ws.latest[.embedding] == nil {
      context.note("(computing the embedding first: tsne)")
      var config = TSNE.defaults
      config.seed = ws.options.seed
      let result = try TSNECommand.compute(config, context)
      TSNECommand.report(result, after: 0, context)
      e = TSNECommand.embedding(result)
      ws.store(.embedding(e), as: nil)
    } else {
      guard case .embedding(let named) = try ws.value(named: args[embedding], kind: .embedding) else { throw CommandError("no embedding") }
      e = named
    }
    guard e.points.rows == ws.z.rows else { throw CommandError("the embedding has \(e.points.rows) points but the data have \(ws.z.rows) samples") }
    return e.points
  }

  static func colouring(_ mode: Colouring, _ ws: Workspace) throws -> ([Int], [Int: String], String) {
    if mode == .label {
      let labels = try ws.requireLabels()
      var names: [Int: String] = [:]
      if let classes = ws.data?.classNames { for (i, n) in classes.enumerated() { names[i] = n } }
      return (labels, names, "class")
    }
    // The person's names (`name 3 "sneakers"`) label their clusters in the legend.
    return (ws.current ?? ws.pretrained ?? [], Dictionary(uniqueKeysWithValues: ws.clusterNames.keys.map { ($0, ws.clusterLabel($0)) }), "cluster")
  }

  /// Renders to `to=FILE` or to the session's plot terminal.
  static func draw(_ plot: some GnuplotPlot, _ args: BoundArguments, _ context: CommandContext) throws {
    try draw(plot, to: args[to], size: try size(args), context)
  }

  /// Renders `plot` to `file` or, without one, to the session's plot terminal. In a notebook
  /// (``CommandContext/showsRichOutput``) a picture without a file is shown inline as PNG (and
  /// SVG with `set plot=svg`), and a PNG or SVG file that was written is shown too.
  static func draw(_ plot: some GnuplotPlot, to file: String?, size requestedSize: PlotSize?, _ context: CommandContext) throws {
    let ws = context.workspace
    let session = ws.plotSession
    var target: PlotTarget
    var file = file.map { context.outputPath(($0 as NSString).expandingTildeInPath) }
    do throws(PlotError) {
      if let path = file {
        target = try .file(path, size: requestedSize)
      } else if context.showsRichOutput, [.png, .svg, .sixelgd].contains(ws.options.plotTerminal) {
        try showInline(plot, size: requestedSize, svg: ws.options.plotTerminal == .svg, context)
        return
      } else {
        switch ws.options.plotTerminal {
        case .sixelgd: target = .sixel()
        case .window: target = try session.windowTarget()
        case .png, .svg:
          ws.plotCounter += 1
          file = context.outputPath("plot-\(ws.plotCounter).\(ws.options.plotTerminal.rawValue)")
          target = try .file(file!)
        case .dumb:
          let columns = max(60, min(200, Int(ProcessInfo.processInfo.environment["COLUMNS"] ?? "") ?? 100))
          target = .dumb(width: columns, height: max(20, columns * 3 / 10))
        }
      }
      let text = try session.render(plot, to: target)
      if let file {
        context.say("wrote \(file)")
        if context.showsRichOutput { showFile(file, plot: plot, context) }
      } else if !text.isEmpty {
        context.sinks.output(text.hasSuffix("\n") ? text : text + "\n")
      }
    } catch {
      throw CommandError(error.description)
    }
  }

  /// The widest a picture is shown in a notebook, in CSS pixels (it is drawn at its own size).
  static let notebookWidth = 760

  /// Draws to a temporary PNG (and SVG) file and shows it in the notebook.
  static func showInline(_ plot: some GnuplotPlot, size: PlotSize?, svg: Bool, _ context: CommandContext) throws(PlotError) {
    let base = NSTemporaryDirectory() + "/idc-inline-\(getpid())-\(UUID().uuidString)"
    defer {
      try? FileManager.default.removeItem(atPath: base + ".png")
      try? FileManager.default.removeItem(atPath: base + ".svg")
    }
    let session = context.workspace.plotSession
    try session.render(plot, to: try .file(base + ".png", size: size))
    if svg { try session.render(plot, to: try .file(base + ".svg", size: size)) }
    guard let png = FileManager.default.contents(atPath: base + ".png") else { throw .gnuplot(message: "gnuplot wrote no picture", command: "") }
    let width = (size ?? plot.preferredSize).width
    context.sinks.rich?(RichOutput(
      role: .figure, plain: "<\(type(of: plot)) \(size ?? plot.preferredSize)>", png: Array(png),
      svg: svg ? (try? String(contentsOfFile: base + ".svg", encoding: .utf8)) : nil, displayWidth: min(width, notebookWidth)))
  }

  /// Shows a PNG or SVG file just written (a PDF is only named).
  static func showFile(_ file: String, plot: some GnuplotPlot, _ context: CommandContext) {
    let lower = file.lowercased()
    let width = min(plot.preferredSize.width, notebookWidth)
    if lower.hasSuffix(".png"), let png = FileManager.default.contents(atPath: file) {
      context.sinks.rich?(RichOutput(role: .figure, plain: file, png: Array(png), displayWidth: width))
    } else if lower.hasSuffix(".svg"), let svg = try? String(contentsOfFile: file, encoding: .utf8) {
      context.sinks.rich?(RichOutput(role: .figure, plain: file, svg: svg, displayWidth: width))
    }
  }

  /// `plot quality`: each snapshot's audit estimate (recomputed from every audit answer) with its
  /// Wilson interval, and its ACC when the data has labels, against its training answers.
  static func qualityPlot(title: String?, _ ws: Workspace) throws -> any GnuplotPlot {
    guard !ws.snapshots.isEmpty else { throw CommandError("no clustering yet", help: "run 'kmeans' first") }
    guard ws.auditLog.count > 0 else {
      throw CommandError("no audit answers in this session", help: "run 'feedback audit n=50' to estimate the quality from answers")
    }
    var x: [Double] = [], y: [Double] = [], low: [Double] = [], high: [Double] = [], accX: [Double] = [], acc: [Double] = []
    for snapshot in ws.snapshots {
      if let e = ws.auditEstimate(of: snapshot.assignment), let share = e.share {
        x.append(Double(snapshot.answers))
        y.append(100 * share)
        low.append(100 * e.low)
        high.append(100 * e.high)
      }
      if let labels = ws.data?.labels, let m = try? ClusteringMetrics.evaluate(truth: labels, prediction: snapshot.assignment) {
        accX.append(Double(snapshot.answers))
        acc.append(100 * m.accuracy)
      }
    }
    guard !x.isEmpty else { throw CommandError("no audit answer decides any clustering of the session") }
    var series = [CurvePlot.Series(name: "audit estimate, 95 % interval (\(ws.auditLog.count) answers)", x: x, y: y, low: low, high: high)]
    if !acc.isEmpty { series.append(CurvePlot.Series(name: "ACC (labels)", x: accX, y: acc)) }
    return CurvePlot(series: series, title: title ?? "Quality of each clustering of the session (\(ws.data?.name ?? ""))",
                     xLabel: "training answers", yLabel: "confirmed share / ACC (%)")
  }
}
