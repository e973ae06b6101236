import IDCCore
import IDCLang

/// `tsne`: a 2-D map of the samples for the pictures (t-SNE, van der Maaten & Hinton 2008).
enum TSNECommand: IDCCommand {
  static let spec = CommandSpec(
    name: "tsne",
    abstract: "Embed the samples in 2-D with t-SNE (exact for N ≤ 2000, FFT-accelerated above) for the maps.",
    discussion: """
      Perplexity-calibrated affinities on the exact 3·perplexity nearest neighbours, PCA initialisation, \
      early exaggeration (12 for 250 iterations) then the normal phase; learning rate max(200, N/12). \
      Ctrl-C keeps the current embedding; 'tsne continue=250' resumes the latest one. The KL divergence \
      is reported every 50 iterations.
      """,
    parameters: [
      .double("perplexity", in: 1...1000, default: 30, help: "effective number of neighbours"),
      .int("iterations", in: 0...100_000, default: 500, help: "iterations after the early exaggeration"),
      .int("early", in: 0...100_000, default: 250, help: "early-exaggeration iterations"),
      .choice("init", ["pca", "random"], default: "pca", help: "initial layout"),
      .choice("method", ["auto", "exact", "fft"], default: "auto", help: "how repulsive forces are computed"),
      .int("continue", in: 1...100_000, help: "resume the latest (or embedding=NAME) for this many more iterations"),
      .name("embedding", kind: "embedding", help: "the embedding to continue (default: the latest)"),
      .int("seed", help: "seed (default: the session seed)"),
    ],
    examples: ["emb = tsne", "tsne perplexity=50 seed=1", "tsne continue=250"],
    resultKind: "embedding")

  static func run(_ args: BoundArguments, _ context: CommandContext) throws -> WorkspaceValue? {
    let ws = context.workspace
    _ = try ws.requireData()
    var config = TSNE(perplexity: args.double("perplexity")!, iterations: args.int("iterations")!,
                      earlyExaggerationIterations: args.int("early")!,
                      initialization: args.string("init") == "random" ? .random : .pca, seed: context.seed(args))
    config.method = ["exact": .exact, "fft": .fft][args.string("method")!] ?? .auto
    let result: TSNE.Result
    var already = 0
    if let more = args.int("continue") {
      guard case .embedding(let previous) = try ws.value(named: args.string("embedding"), kind: "embedding"),
            let state = previous.resumeState as? TSNE.Result else {
        throw args.error("nothing to continue", at: "continue", help: "run 'tsne' first")
      }
      already = state.iterations
      result = try config.continue(from: state, iterations: more, monitor: context.monitor)
    } else {
      try config.validate(samples: ws.z.rows)
      result = try config.fit(ws.data!.features, monitor: context.monitor)
    }
    for s in result.stats where s.iteration > already && (s.iteration % 50 == 0 || s.iteration == result.iterations) {
      context.note("iteration \(s.iteration): KL \(format(s.klDivergence, 4))\(s.exaggeration != 1 ? " (exaggeration \(format(s.exaggeration, 0)))" : "")")
    }
    context.say("t-SNE: \(ws.z.rows) samples, \(result.iterations) iterations, KL divergence \(format(result.klDivergence, 4)) (\(result.method == .exact ? "exact" : "FFT") gradients)")
    return .embedding(embedding(result))
  }

  static func embedding(_ r: TSNE.Result) -> Embedding {
    Embedding(points: r.embedding, iterationsDone: r.iterations,
              klDivergence: r.stats.map { Embedding.KLPoint(iteration: $0.iteration, value: $0.klDivergence) }, resumeState: r)
  }
}
