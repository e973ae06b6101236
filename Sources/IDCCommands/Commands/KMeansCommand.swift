import IDCCore
import IDCLang

/// `kmeans`: the pre-trained model — spherical k-means on the normalised features.
enum KMeansCommand: IDCCommand {
  static let spec = CommandSpec(
    name: "kmeans",
    abstract: "Cluster with spherical k-means (k-means++ seeding, n_init restarts); the result becomes the pre-trained model.",
    discussion: "k defaults to the number of classes when labels are loaded.",
    parameters: [
      .int("k", in: 1...100_000, help: "number of clusters (default: the number of classes)"),
      .int("n_init", in: 1...1000, default: 10, help: "restarts; the best objective is kept"),
      .int("max_iter", in: 1...100_000, default: 300, help: "Lloyd iterations per restart"),
      .double("tol", in: 0...1, default: 1e-4, help: "stop when the objective improves by less than tol·J"),
      .int("swaps", in: 0...10_000, default: 15, help: "random-swap refinement trials after the restarts"),
      .int("seed", help: "random seed (default: the session seed)"),
    ],
    examples: ["kmeans k=10 seed=0", "km = kmeans n_init=3"],
    resultKind: "clustering")

  static func run(_ args: BoundArguments, _ context: CommandContext) throws -> WorkspaceValue? {
    let ws = context.workspace
    let data = try ws.requireData()
    let k: Int
    if let given = args.int("k") {
      k = given
    } else if let labels = data.labels {
      k = Set(labels).count
    } else {
      throw args.error("k is needed: the data have no labels to count classes from", help: "e.g. kmeans k=10")
    }
    guard k <= ws.z.rows else {
      throw args.error("k = \(k) exceeds the number of samples (\(ws.z.rows)); choose k ≤ \(ws.z.rows)", at: "k")
    }
    let km = KMeans(k: k, nInit: args.int("n_init")!, maxIterations: args.int("max_iter")!,
                    tolerance: args.double("tol")!, seed: context.seed(args), swapTrials: args.int("swaps")!)
    let result = try km.fit(ws.z, monitor: context.monitor)
    ws.setPretrained(result.assignment, centers: result.centers, source: "kmeans k=\(k)")
    var sizes = [Int](repeating: 0, count: k)
    for a in result.assignment { sizes[a] += 1 }
    context.say("k-means: k = \(k), objective Σ(1 − cos) = \(format(result.objective, 2)) (best of \(km.nInit) restarts\(km.swapTrials > 0 ? " + \(km.swapTrials) swaps" : "")), \(result.iterations.count) iterations\(result.converged ? "" : ", not converged")")
    context.say("cluster sizes: " + sizes.map(String.init).joined(separator: " "))
    if let labels = data.labels {
      let m = try ClusteringMetrics.evaluate(truth: labels, prediction: result.assignment)
      context.say("against the labels: \(m)")
    }
    return .clustering(result)
  }
}
