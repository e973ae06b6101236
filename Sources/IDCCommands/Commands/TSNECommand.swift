import IDCCore
import IDCLang

/// `tsne`: a 2-D map of the samples for the pictures (t-SNE, van der Maaten & Hinton 2008;
/// docs/method.md §8).
enum TSNECommand: IDCCommand {
  static let defaults = TSNE.defaults
  static let perplexity: Parameter<Double> = .double("perplexity", in: 1...1000, default: defaults.perplexity, help: "effective number of neighbours")
  static let iterations: Parameter<Int> = .int("iterations", in: 0...100_000, default: defaults.iterations,
                                               help: "iterations after the early exaggeration")
  static let early: Parameter<Int> = .int("early", in: 0...100_000, default: defaults.earlyExaggerationIterations,
                                          help: "early-exaggeration iterations")
  static let initialization: Parameter<TSNE.Initialization> = .choice("init", default: defaults.initialization, help: "initial layout")
  static let method: Parameter<TSNE.Method> = .choice("method", default: defaults.method, help: "how repulsive forces are computed")
  static let more: Parameter<Int?> = .int("continue", in: 1...100_000, help: "resume the latest (or embedding=NAME) for this many more iterations")
  static let embedding: Parameter<String?> = .name("embedding", kind: .embedding, help: "the embedding to continue (default: the latest)")
  static let seed = CommonParameters.seed("seed (default: the session seed)")
  static let knn: Parameter<NeighborSearch> = .choice(
    "knn", default: defaults.neighbors,
    help: "neighbour search for the affinities: exact, approx (recall audited) or auto (exact up to N²·D = 1.3e12)")

  static let recall: Parameter<Double> = CommonParameters.recallTarget(default: defaults.neighborRecallTarget)
  static let affinity: Parameter<TSNE.Affinity> = .choice(
    "affinity", default: defaults.affinity,
    help: "perplexity: Gaussians on 3·perplexity neighbours; uniform: equal weights on neighbors= (less memory at a million points)")
  static let neighbors: Parameter<Int> = .int("neighbors", in: 1...1000, default: defaults.uniformNeighbors,
                                              help: "neighbours of each point with affinity=uniform")
  static let metric: Parameter<Metric> = .choice(
    "metric", default: .euclidean,
    help: "euclidean: of the features as loaded; cosine: of the L2-normalised features idc clusters (no second copy of a memory-mapped file)")

  /// Which distances the map keeps: openTSNE's default (euclidean, the features as loaded)
  /// or IDC's own geometry, the L2-normalised `z` (euclidean between unit vectors,
  /// `√(2 − 2 cos)`, a monotone function of the cosine).
  enum Metric: String, ChoiceValue {
    case euclidean, cosine
  }

  static let spec = CommandSpec(
    name: "tsne",
    abstract: "Embed the samples in 2-D with t-SNE (exact up to 15 000 points with AVX-512, FFT-accelerated above) for the maps.",
    discussion: """
      Perplexity-calibrated affinities on the 3·perplexity nearest neighbours (exact, or past N²·D = 1.3e12 \
      approximate with its recall audited: knn=), PCA initialisation, \
      early exaggeration (12 for 250 iterations) then the normal phase; learning rate max(200, N/12). \
      Ctrl-C keeps the current embedding; 'tsne continue=250' resumes the latest one. The KL divergence \
      is reported every 50 iterations. At a million points 'tsne metric=cosine affinity=uniform' keeps \
      the map within the normalised features plus a few hundred MB (no copy of a memory-mapped file, \
      15 neighbours instead of 90).
      """,
    parameters: specs(perplexity, iterations, early, initialization, method, knn, recall, metric, affinity, neighbors, more,
                      embedding, seed),
    examples: ["emb = tsne", "tsne perplexity=50 seed=1", "tsne continue=250", "tsne metric=cosine affinity=uniform"],
    resultKind: .embedding)
  static let transcript = Transcript.recorded
  static let howToMake: String? = "run 'tsne' first"

  static func run(_ args: BoundArguments, _ context: CommandContext) throws -> WorkspaceValue? {
    let ws = context.workspace
    _ = try ws.requireData()
    var config = TSNE.defaults
    config.perplexity = args[perplexity]
    config.iterations = args[iterations]
    config.earlyExaggerationIterations = args[early]
    config.initialization = args[initialization]
    config.seed = context.seed(args[seed])
    config.method = args[method]
    config.neighbors = args[knn]
    config.neighborRecallTarget = args[recall]
    config.affinity = args[affinity]
    config.uniformNeighbors = args[neighbors]
    let result: TSNE.Result
    var already = 0
    if let more = args[more] {
      guard case .embedding(let previous) = try ws.value(named: args[embedding], kind: .embedding),
            let state = previous.resumeState as? TSNE.Result else {
        throw args.error("nothing to continue", at: Self.more, help: "run 'tsne' first")
      }
      already = state.iterations
      result = try config.continue(from: state, iterations: more, monitor: context.monitor)
    } else {
      result = try compute(config, metric: args[metric], context)
    }
    report(result, after: already, context)
    return .embedding(embedding(result))
  }

  /// A fresh embedding of the session's data with `config`.
  ///
  /// Memory: `metric=cosine` maps the session's `z`; `euclidean` maps the features as loaded,
  /// which for a memory-mapped file means a copy in memory while t-SNE runs.
  static func compute(_ config: TSNE, metric: Metric = .euclidean, _ context: CommandContext) throws -> TSNE.Result {
    let ws = context.workspace
    let data = try ws.requireData()
    try config.validate(samples: data.count)
    switch metric {
    case .cosine:
      return try config.fit(ws.z, monitor: context.monitor)
    case .euclidean:
      if data.features.isMapped {
        context.note("(euclidean t-SNE of a memory-mapped file: reading its \(megabytes(data.count * data.dimension * 4)) into memory for the map; metric=cosine maps the normalised copy already held)")
      }
      return try config.fit(try data.features.matrix(), monitor: context.monitor)
    }
  }

  static func report(_ result: TSNE.Result, after already: Int, _ context: CommandContext) {
    for s in result.stats where s.iteration > already && (s.iteration % 50 == 0 || s.iteration == result.iterations) {
      context.note("iteration \(s.iteration): KL \(format(s.klDivergence, 4))\(s.exaggeration != 1 ? " (exaggeration \(format(s.exaggeration, 0)))" : "")")
    }
    if result.neighborSearch.method == .approx, already == 0 { context.say("neighbours: \(result.neighborSearch)") }
    context.say("t-SNE: \(result.embedding.rows) samples, \(result.iterations) iterations, KL divergence \(format(result.klDivergence, 4)) (\(result.method == .exact ? "exact" : "FFT") gradients)")
  }

  /// Ctrl-C keeps the layout reached so far; `tsne continue=…` resumes it.
  static func partialResult(of interruption: Interrupted, _ args: BoundArguments, _ context: CommandContext) -> PartialResult? {
    guard let state = interruption.partial as? TSNE.Result else { return nil }
    return PartialResult(.embedding(embedding(state)), progress: interruption.progress)
  }

  static func embedding(_ r: TSNE.Result) -> Embedding {
    Embedding(points: r.embedding, iterationsDone: r.iterations,
              klDivergence: r.stats.map { Embedding.KLPoint(iteration: $0.iteration, value: $0.klDivergence) }, resumeState: r)
  }
}
