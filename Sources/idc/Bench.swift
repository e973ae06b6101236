import ArgumentParser
import Foundation
import IDCCommands
import IDCCore
import IDCData

/// `idc bench`: times the numeric core on a feature file, for the benchmark
/// scripts (scripts/bench-*.sh) that run the Python baselines in the same run.
/// Prints one JSON object per repetition on stdout.
struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Time a core operation (sgemm, knn, kmeans, select, train, tsne) on a feature file; prints JSON lines.",
    shouldDisplay: false)

  @ArgumentParser.Argument(help: "sgemm, knn, kmeans, select, train or tsne") var operation: String
  @Option(help: "Features (.npy/.npz/.csv).") var features: String
  @Option(help: "Labels, for train.") var labels: String?
  @Option(help: "Use only the first N rows.") var rows: Int?
  @Option(name: .customLong("repeat"), help: "Repetitions.") var repetitions: Int = 3
  @Option(help: "k for k-means / K for kNN.") var k: Int?
  @Option(help: "kNN tile size (default: NearestNeighbors's).") var block: Int?
  @Option(help: "kNN search: exact or approx (IVF lists joined by SGEMM, then NN-descent).") var knn: String = "exact"
  @Option(help: "Approximate kNN: inverted lists (default: ApproximateNeighbors's).") var lists: Int?
  @Option(help: "Approximate kNN: lists each row probes (default: calibrated).") var probes: Int?
  @Option(help: "Approximate kNN: recall target of the calibration.") var target: Double?
  @Option(help: "Approximate kNN: search tile rows.") var tileRows: Int?
  @Option(help: "k-means: restarts (default: 10 on all rows, 1 on a sample).") var nInit: Int?
  @Option(help: "k-means: random-swap trials (default: 15 on all rows, 0 on a sample).") var swaps: Int?
  @Option(help: "k-means: training rows per cluster (0: all; default: kmeans's automatic choice).") var perCluster: Int?
  @Option(help: "k-means: Lloyd steps on all rows after a sample's training.") var polish: Int?
  @Option(help: "k-means: the Lloyd step's product, auto, blas or small.") var lloyd: LloydKernel = .auto
  @Option(help: "k-means: the seed of the first repetition (then one more per repetition).") var seed: Int = 0
  @Option(help: "Approximate kNN: partition training rows per list.") var trainPerList: Int?
  @Option(help: "Approximate kNN: search tile columns.") var tileColumns: Int?
  @Option(help: "Approximate kNN: NN-descent passes.") var passes: Int?
  @Option(help: "Approximate kNN: NN-descent fan-out.") var fanout: Int?
  @Option(help: "Rows audited for the recall of an approximate graph (0: none).") var audit: Int = 1000
  @Option(help: "Budget M for select/train.") var m: Int = 500
  @Option(help: "Strategy for select (default hard+rep+div: score + select as the paper).") var strategy: String = "hard+rep+div"
  @Option(help: "Epochs for train.") var epochs: Int = 100
  @Option(help: "Iterations for tsne (normal phase).") var iterations: Int = 500
  @Option(help: "Write the last result (embedding, assignment) here as .npy.") var output: String?
  @Option(help: "t-SNE repulsion: auto, exact or fft.") var method: String = "auto"
  @Option(help: "t-SNE FFT: fewest intervals across the embedding (default: TSNE's).") var minIntervals: Int?

  func run() throws {
    // As `load` does: a big float32 .npy is memory-mapped and only its normalised copy held;
    // the features as loaded are read into memory for t-SNE alone.
    let data = try DataSet.load(features: features)
    var z = try data.features.l2NormalizedRows()
    if let rows, rows < z.rows { z = z.rows(Array(0..<rows)) }
    var x = z
    if operation == "tsne" {
      x = try data.features.matrix()
      if let rows, rows < x.rows { x = x.rows(Array(0..<rows)) }
    }
    for r in 0..<repetitions {
      let start = DispatchTime.now()
      var extra: [String: String] = [:]
      switch operation {
      case "sgemm":
        // The shape of idc's kNN tiles: 4096 rows of the data against themselves (K = D).
        let a = z.rows(Array(0..<min(4096, z.rows)))
        let t0 = DispatchTime.now()
        var reps = 0
        while seconds(since: t0) < 2 { _ = BLAS.dotProducts(a, a); reps += 1 }
        let flops = Double(reps) * 2 * Double(a.rows) * Double(a.rows) * Double(a.columns)
        extra["gflops"] = String(flops / seconds(since: t0) / 1e9)
        extra["core"] = BLAS.coreName
      case "sgemm-square":
        // 4096³, as numpy's `a @ b` is usually timed.
        let size = 4096
        var generator = SeededGenerator(seed: r)
        var a = Matrix(rows: size, columns: size)
        for i in 0..<a.storage.count { a.storage[i] = Float(generator.nextGaussian()) }
        _ = BLAS.multiply(a, a)  // warm-up: thread start, page faults
        let t0 = DispatchTime.now()
        var reps = 0
        while seconds(since: t0) < 2 { _ = BLAS.multiply(a, a); reps += 1 }
        extra["gflops"] = String(Double(reps) * 2 * pow(Double(size), 3) / seconds(since: t0) / 1e9)
        extra["core"] = BLAS.coreName
      case "knn" where knn == "approx":
        var search = ApproximateNeighbors(k: k ?? 20)
        search.lists = lists
        search.probes = probes
        if let target { search.recallTarget = target }
        if let tileRows { search.tileRows = tileRows }
        if let trainPerList { search.trainingPerList = trainPerList }
        if let tileColumns { search.tileColumns = tileColumns }
        if let passes { search.descentPasses = passes }
        if let fanout { search.descentFanout = fanout }
        // Phase times (first progress report of each label), for tuning: --phases.
        let t0 = DispatchTime.now()
        let phases = PhaseLog()
        let monitor = WorkMonitor(progress: { label, _, _ in phases.mark(label, Self.elapsed(since: t0)) })
        let (g, report) = try search.searchWithReport(z, monitor: monitor)
        extra["phases"] = phases.summary
        extra["knn_seconds"] = String(seconds(since: start))
        extra["lists"] = String(report.lists)
        extra["probes"] = String(report.probes)
        extra["search_candidates_per_row"] = String(report.searchCandidatesPerRow)
        extra["predicted_recall"] = report.predictedRecall.map { String($0) } ?? "-"
        extra["descent_candidates_per_row"] = String(report.descentCandidatesPerRow)
        extra["descent_updates"] = report.descentUpdates.map(String.init).joined(separator: " ")
        extra["first"] = "\(g.neighbors(of: 0).first ?? -1)"
        if audit > 0 {
          let t1 = DispatchTime.now()
          let recall = try NeighborRecall.measure(g, of: z, sample: audit, seed: r)
          extra["audit_seconds"] = String(seconds(since: t1))
          extra["recall"] = String(recall.mean)
          extra["recall_interval"] = "\(recall.low) \(recall.high)"
        }
      case "knn":
        guard knn == "exact" else { throw ValidationError("--knn is exact or approx, got '\(knn)'") }
        var search = NearestNeighbors(k: k ?? 20)
        if let block { search.blockSize = block }
        let g = try search.search(z)
        extra["first"] = "\(g.neighbors(of: 0).first ?? -1)"
      case "kmeans":
        let clusters = k ?? 10
        let training = perCluster.map { $0 == 0 ? nil : $0 * clusters }
          ?? KMeans.automaticTrainingRows(rows: z.rows, columns: z.columns, k: clusters)
        let sampled = training.map { $0 < z.rows } ?? false
        // As `kmeans` runs: 10 restarts + 15 swaps on all rows; on a sample, one run and no swaps
        // unless --n-init / --swaps say otherwise.
        var km = KMeans(k: clusters, nInit: nInit ?? (sampled ? 1 : 10), seed: seed + r,
                        swapTrials: swaps ?? (sampled ? 0 : KMeans.defaults.swapTrials), trainingRows: training,
                        polishIterations: polish ?? KMeans.defaults.polishIterations)
        km.scoreKernel = lloyd.kernel
        let result = try km.fit(z)
        extra["lloyd"] = km.usesSmallKernel(k: clusters) ? "small" : "blas"
        extra["objective"] = String(result.objective)
        extra["seed"] = String(seed + r)
        extra["training_rows"] = String(training ?? z.rows)
        extra["n_init"] = String(km.nInit)
        extra["swaps"] = String(km.swapTrials)
        if let output { try NPYWriter.write(NDArray(labels: result.assignment), to: output) }
      case "select" where strategy == ValueTerms.hardRepDiv.rawValue:
        let km = try KMeans(k: k ?? 10, nInit: 1, seed: 0, swapTrials: 0).fit(z)
        let t0 = DispatchTime.now()
        let (scores, _) = try ValueScores.compute(z, centers: km.centers, neighbors: 20)
        let selection = try ValueSelector(count: m, terms: .hardRepDiv).select(z, scores: scores)
        extra["scores_select_seconds"] = String(seconds(since: t0))
        extra["first"] = "\(selection.indices[0])"
      case "select":
        // Any registered strategy: its inputs (k-means, and the K-NN graph and the head fitted
        // to the assignment when it needs them) first, untimed as `select_seconds`.
        guard let descriptor = SelectionStrategies.named(strategy) else {
          throw ValidationError("unknown strategy '\(strategy)'; one of \(SelectionStrategies.names.joined(separator: ", "))")
        }
        let classes = k ?? 10
        let km = try KMeans(k: classes, nInit: 1, seed: 0, swapTrials: 0).fit(z)
        var input = SelectionInput(features: z, assignment: km.assignment, clusterCount: classes, seed: 0)
        let t0 = DispatchTime.now()
        if descriptor.needs.contains(.graph) { input.graph = try NearestNeighbors(k: 20).search(z) }
        if descriptor.needs.contains(.hardness) { input.hardness = ValueScores.hardness(z, centers: km.centers).hardness }
        extra["graph_seconds"] = String(seconds(since: t0))
        if descriptor.needs.contains(.head) {
          let t1 = DispatchTime.now()
          input.head = try HeadTrainer.defaults.fitInitial(features: z, assignment: km.assignment, classCount: classes).head
          extra["head_seconds"] = String(seconds(since: t1))
        }
        let t2 = DispatchTime.now()
        let selection = try descriptor.make(StrategyOptions()).select(m, from: input, monitor: .silent)
        extra["select_seconds"] = String(seconds(since: t2))
        extra["strategy"] = strategy
        extra["note"] = selection.note
        extra["first"] = "\(selection.indices[0])"
      case "train":
        // The torch side (scripts/bench/bench_train_torch.py) does the same work:
        // initial fit to the labels, then finetuning on M answers — anchors
        // (7919·k + 13) mod N, 70 % positive (their label), 30 % negative
        // (5 wrong clusters) — and Cop-Kmeans on the same answers (idc only).
        guard let labels else { throw ValidationError("train needs --labels") }
        let y = try NPYReader.read(path: labels).asLabels()
        let classes = (y.max() ?? 0) + 1
        let n = z.rows
        let anchors = (0..<min(m, n)).map { (7919 * $0 + 13) % n }
        let answers: [Answer] = anchors.enumerated().map { k, a in
          k % 10 < 7 ? .positive(cluster: y[a]) : .negative(rejected: (1...5).map { (y[a] + $0) % classes })
        }
        let feedback = Feedback(anchors: anchors, answers: answers)
        // The paper's recipe: the one PyTorch's peer (scripts/bench) implements step for step.
        var trainer = HeadTrainer.paper
        trainer.epochs = epochs
        trainer.seed = 0
        let t0 = DispatchTime.now()
        let initial = try trainer.fitInitial(features: z, assignment: y, classCount: classes)
        extra["init_seconds"] = String(seconds(since: t0))
        let t1 = DispatchTime.now()
        let tuned = try trainer.finetune(head: initial.head, features: z, feedback: feedback)
        extra["finetune_seconds"] = String(seconds(since: t1))
        extra["steps"] = String(tuned.steps)
        let centers = try centersOfAssignment(z, assignment: y, clusterCount: classes)
        let reps = QueryBuilder(candidates: 1, examples: 1).representatives(z, centers: centers, assignment: nil).map { $0[0] }
        let constraints = try PairwiseConstraints(feedback: feedback, representatives: reps)
        let t2 = DispatchTime.now()
        _ = try CopKMeans().fit(z, initialCenters: centers, constraints: constraints)
        extra["copkmeans_seconds"] = String(seconds(since: t2))
      case "tsne":
        // Same settings as openTSNE in scripts/bench-tsne.sh: perplexity 30, 250 early
        // iterations at exaggeration 12, then `iterations`, PCA init, auto learning rate.
        guard let method = TSNE.Method(rawValue: method) else { throw ValidationError("unknown t-SNE method '\(self.method)'") }
        var config = TSNE(perplexity: 30, iterations: iterations, seed: r, method: method)
        if let minIntervals { config.minIntervals = minIntervals }
        let result = try config.fit(x)
        extra["kl"] = String(result.klDivergence)
        extra["method"] = result.method.rawValue
        if let output { try NPYWriter.write(NDArray(result.embedding), to: output) }
      default:
        throw ValidationError("unknown operation '\(operation)'")
      }
      let total = seconds(since: start)
      if let peak = ResidentMemory.peak() { extra["peak_rss_mb"] = String(Double(peak) / 1_048_576) }
      let fields = (["\"op\": \"\(operation)\"", "\"rep\": \(r)", "\"n\": \(z.rows)", "\"d\": \(z.columns)", "\"seconds\": \(total)"]
        + extra.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \"\($0.value)\"" }).joined(separator: ", ")
      print("{\(fields)}")
    }
  }

  static func elapsed(since t: DispatchTime) -> Double { Double(DispatchTime.now().uptimeNanoseconds - t.uptimeNanoseconds) / 1e9 }

  func seconds(since t: DispatchTime) -> Double { Double(DispatchTime.now().uptimeNanoseconds - t.uptimeNanoseconds) / 1e9 }
}

/// The time each progress label was first reported (the bench's phase breakdown).
final class PhaseLog: @unchecked Sendable {
  private let lock = NSLock()
  private var marks: [(String, Double)] = []
  func mark(_ label: String, _ t: Double) {
    lock.lock(); defer { lock.unlock() }
    if marks.last?.0 != label { marks.append((label, t)) }
  }
  var summary: String {
    lock.lock(); defer { lock.unlock() }
    return marks.map { "\($0.0)@\(String(format: "%.2f", $0.1))" }.joined(separator: " ")
  }
}

/// `idc bench kmeans --lloyd`: how the Lloyd step scores rows (``KMeans/ScoreKernel``).
enum LloydKernel: String, ExpressibleByArgument, CaseIterable {
  case auto, blas, small

  var kernel: KMeans.ScoreKernel {
    switch self {
    case .auto: .automatic
    case .blas: .blas
    case .small: .small
    }
  }
}
