import IDCCore
import IDCLang

/// `kmeans`: the pre-trained model — spherical k-means on the normalised features
/// (docs/method.md §5).
enum KMeansCommand: IDCCommand {
  static let k: Parameter<Int?> = .int("k", in: 1...100_000, help: "number of clusters (default: the number of classes)")
  static let nInit: Parameter<Int> = .int("n_init", in: 1...1000, default: KMeans.defaults.nInit, help: "restarts; the best objective is kept")
  static let maxIter: Parameter<Int> = .int("max_iter", in: 1...100_000, default: KMeans.defaults.maxIterations, help: "Lloyd iterations per restart")
  static let tol: Parameter<Double> = .double("tol", in: 0...1, default: KMeans.defaults.tolerance,
                                              help: "stop when the objective improves by less than tol·J")
  static let swaps: Parameter<Int> = .int("swaps", in: 0...10_000, default: KMeans.defaults.swapTrials,
                                          help: "random-swap refinement trials after the restarts")
  static let perCluster: Parameter<Int?> = .int(
    "per_cluster", in: 0...1_000_000,
    help: "train each restart on a sample of this many rows per cluster, then assign all rows once (0: all rows; default: 256 when N·k·D > 1e9, else all)")
  static let seed = CommonParameters.seed()

  static let spec = CommandSpec(
    name: "kmeans",
    abstract: "Cluster with spherical k-means (k-means++ seeding, n_init restarts); the result becomes the pre-trained model.",
    discussion: "k defaults to the number of classes when labels are loaded. Rows of zeros (no direction) are left out of the centres.",
    parameters: specs(k, nInit, maxIter, tol, swaps, perCluster, seed),
    examples: ["kmeans k=10 seed=0", "km = kmeans n_init=3", "kmeans k=1000 per_cluster=256 n_init=1 swaps=0"],
    resultKind: .clustering)
  static let transcript = Transcript.recorded
  static let howToMake: String? = "run 'kmeans' first"

  static func run(_ args: BoundArguments, _ context: CommandContext) throws -> WorkspaceValue? {
    let ws = context.workspace
    let data = try ws.requireData()
    let k: Int
    if let given = args[Self.k] {
      k = given
    } else if let labels = data.labels {
      k = Set(labels).count
    } else {
      throw args.error("k is needed: the data have no labels to count classes from", help: "e.g. kmeans k=10")
    }
    guard k <= ws.z.rows else {
      throw args.error("k = \(k) exceeds the number of samples (\(ws.z.rows)); choose k ≤ \(ws.z.rows)", at: Self.k)
    }
    let n = ws.z.rows
    let trainingRows: Int?
    switch args[perCluster] {
    case .some(0): trainingRows = nil
    case .some(let per): trainingRows = per * k < n ? per * k : nil
    case .none: trainingRows = KMeans.automaticTrainingRows(rows: n, columns: ws.z.columns, k: k)
    }
    // On a sample by default (nothing given): faiss's one run without swaps, which the
    // sample's restarts and swaps rarely beat by more than they cost (README, issue 19).
    let automatic = args[perCluster] == nil && trainingRows != nil
    let km = KMeans(k: k, nInit: automatic && !args.isExplicit(nInit.spec.name) ? 1 : args[nInit], maxIterations: args[maxIter],
                    tolerance: args[tol], seed: context.seed(args[seed]),
                    swapTrials: automatic && !args.isExplicit(swaps.spec.name) ? 0 : args[swaps], trainingRows: trainingRows)
    let result = try km.fit(ws.z, monitor: context.monitor)
    ws.setPretrained(result.assignment, centers: result.centers, source: "kmeans k=\(k)")
    let trained = trainingRows.map { ", trained on \($0) rows (\($0 / k) per cluster), all \(n) assigned" } ?? ""
    context.say("k-means: k = \(k), objective Σ(1 − cos) = \(format(result.objective, 2)) (best of \(km.nInit) restart\(km.nInit == 1 ? "" : "s")\(km.swapTrials > 0 ? " + \(km.swapTrials) swaps" : "")\(trained)), \(result.iterations.count) iterations\(result.converged ? "" : ", not converged")")
    var sizes = [Int](repeating: 0, count: k)
    for a in result.assignment { sizes[a] += 1 }
    if k <= 50 {
      context.say("cluster sizes: " + sizes.map(String.init).joined(separator: " "))
    } else {
      // A thousand numbers tell nobody anything: the spread, the smallest and largest clusters.
      let sorted = sizes.enumerated().sorted { $0.element < $1.element || ($0.element == $1.element && $0.offset < $1.offset) }
      let largest = sizes.enumerated().sorted { $0.element > $1.element || ($0.element == $1.element && $0.offset < $1.offset) }
      func named(_ e: EnumeratedSequence<[Int]>.Element) -> String { "\(e.offset) (\(e.element))" }
      let q = { (p: Double) in sorted[min(k - 1, Int(p * Double(k - 1)))].element }
      context.say("cluster sizes: min \(q(0)), quartiles \(q(0.25)) / \(q(0.5)) / \(q(0.75)), max \(q(1)); "
        + "smallest \(sorted.prefix(3).map(named).joined(separator: ", ")); largest \(largest.prefix(3).map(named).joined(separator: ", ")) "
        + "('show clusters' lists them all)")
    }
    if let labels = data.labels {
      let m = try ClusteringMetrics.evaluate(truth: labels, prediction: result.assignment)
      context.say("against the labels: \(m)")
    }
    return .clustering(result)
  }

  /// The best restart so far is kept as a clustering value; the pre-trained model stays the
  /// one before (an interrupted k-means is usually abandoned, not adopted).
  static func partialResult(of interruption: Interrupted, _ args: BoundArguments, _ context: CommandContext) -> PartialResult? {
    guard let result = interruption.partial as? KMeans.Result else { return nil }
    return PartialResult(.clustering(result), progress: interruption.progress)
  }
}
