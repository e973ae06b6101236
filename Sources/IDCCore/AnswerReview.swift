/// Answers that are probably mistaken: an answer is suspicious when **both** the model and
/// the answers given for the nearest answered samples point elsewhere (issue 17; docs/method.md §14).
///
/// For answer `i` about sample `x_i`, with `p_i` the model's cluster probabilities:
///
/// - **model disagreement** `d_m`: for a positive answer `g`, `1 − p_ig`; for a negative answer
///   rejecting the set `R`, `Σ_{h∈R} p_ih` (the model puts that mass on clusters the person ruled out);
/// - **neighbour disagreement** `d_n`: the `k` nearest *other* answered samples (cosine
///   similarity of the features; skips do not count), weighted by `max(0, cos)`: the share of
///   that weight whose answer contradicts answer `i` — a different cluster for a positive `g`, or
///   "none" with `g` among its rejected clusters; for a negative answer rejecting `R`, a
///   neighbour's positive answer in `R`.
///
/// The suspicion is `d_m · d_n`, and an answer is **flagged** when `d_m > ½` and `d_n > ½`: the
/// model's prediction and the majority of its answered neighbours agree with each other and not
/// with the answer. Either alone is weak evidence — the samples IDC asks about sit on borders,
/// where the model is often wrong (that is why it asks), and a lone neighbour can be wrong too —
/// so a flag needs both, as in the neighbour-agreement filters of the noisy-label literature
/// (kNN label cleaning, e.g. Bahri, Jiang & Gupta, *Deep k-NN for Noisy Labels*, ICML 2020),
/// here combined with the model's confidence (Northcutt, Jiang & Chuang, *Confident Learning*,
/// JAIR 2021). Skipped answers are never flagged.
///
/// - Complexity: O(M² · D) for M answers (one SGEMM), plus O(M² log M) to rank neighbours;
///   memory O(M²).
public struct AnswerReview: Sendable, Equatable {
  /// Nearest answered neighbours that vote.
  public var neighbours: Int
  /// Both disagreements must exceed this to flag.
  public var threshold: Double

  public init(neighbours: Int = 5, threshold: Double = 0.5) {
    self.neighbours = neighbours
    self.threshold = threshold
  }

  /// The evidence about one answer.
  public struct Assessment: Sendable, Equatable {
    /// Position of the answer in the feedback.
    public var position: Int
    public var anchor: Int
    /// `d_m · d_n`, in [0, 1].
    public var suspicion: Double
    public var modelDisagreement: Double
    public var neighbourDisagreement: Double
    /// The model's most probable cluster and its probability.
    public var modelCluster: Int
    public var modelConfidence: Double
    /// The cluster the neighbours' positive answers favour (−1 without one), and how many
    /// neighbours there were.
    public var neighbourCluster: Int
    public var voters: Int
    /// Whether the answer is flagged as probably mistaken.
    public var flagged: Bool

    /// "the model says cluster 0 (p = 1.0); 100 % of the 5 nearest answers contradict it, most say cluster 0".
    public var reason: String {
      let model = "the model says cluster \(modelCluster) (p = \(format(modelConfidence)))"
      guard voters > 0 else { return model + "; no answered neighbour" }
      let against = "\(Int((neighbourDisagreement * 100).rounded())) % of the \(voters) nearest answers contradict it"
      guard neighbourCluster >= 0 else { return model + "; " + against + " (none of them names a cluster)" }
      return model + "; " + against + ", most say cluster \(neighbourCluster)"
    }

    private func format(_ x: Double) -> String {
      let r = (x * 100).rounded() / 100
      return String(r)
    }
  }

  /// Every answer's assessment, in feedback order.
  ///
  /// - Parameters:
  ///   - features: the samples' features (rows L2-normalised, as idc keeps them).
  ///   - feedback: the answers.
  ///   - probabilities: the model's `p` for each answer's sample, one row per answer, in order.
  public func assess(features: Matrix, feedback: Feedback, probabilities: Matrix) throws -> [Assessment] {
    let m = feedback.count
    guard probabilities.rows == m else {
      throw CoreError("\(probabilities.rows) probability rows for \(m) answers")
    }
    guard neighbours >= 1 else { throw CoreError("neighbours must be at least 1, got \(neighbours)") }
    guard threshold >= 0 && threshold <= 1 else { throw CoreError("threshold must be in [0, 1], got \(threshold)") }
    let c = probabilities.columns
    try feedback.validate(sampleCount: features.rows, clusterCount: c)
    guard m > 0 else { return [] }

    // Voters: every answer that is not a skip.
    let voters = (0..<m).filter { feedback.answers[$0] != .skipped }
    let similarity = voters.isEmpty
      ? Matrix(rows: m, columns: 0)
      : BLAS.dotProducts(features.rows(feedback.anchors), features.rows(voters.map { feedback.anchors[$0] }))

    var out: [Assessment] = []
    out.reserveCapacity(m)
    var vote = [Double](repeating: 0, count: c)
    for k in 0..<m {
      // The model.
      var best = 0
      for j in 1..<max(c, 1) where probabilities[k, j] > probabilities[k, best] { best = j }
      let p = { (j: Int) in Double(probabilities[k, j]) }
      // The neighbours: the `neighbours` most similar other answered samples.
      var candidates: [(sim: Float, position: Int)] = []
      candidates.reserveCapacity(voters.count)
      for (q, position) in voters.enumerated() where position != k && feedback.anchors[position] != feedback.anchors[k] {
        candidates.append((similarity[k, q], position))
      }
      let nearest = candidates.count <= neighbours
        ? candidates
        : Array(candidates.sorted { ($0.sim, -$0.position) > ($1.sim, -$1.position) }.prefix(neighbours))
      // Their weighted vote: against the answer (a neighbour's answer contradicts it), and for
      // each cluster (positive neighbours), for the reason.
      for j in 0..<c { vote[j] = 0 }
      var total = 0.0, against = 0.0
      for n in nearest {
        let w = Double(max(0, n.sim))
        total += w
        switch (feedback.answers[k], feedback.answers[n.position]) {
        case (.positive(let g), .positive(let h)):
          if g != h { against += w }
        case (.positive(let g), .negative(let rejected)):
          if rejected.contains(g) { against += w }
        case (.negative(let rejected), .positive(let h)):
          if rejected.contains(h) { against += w }
        default:
          break
        }
        if case .positive(let h) = feedback.answers[n.position] { vote[h] += w }
      }
      var voted = 0
      for j in 1..<max(c, 1) where vote[j] > vote[voted] { voted = j }

      var dm = 0.0, dn = 0.0
      switch feedback.answers[k] {
      case .positive(let g):
        dm = 1 - p(g)
      case .negative(let rejected):
        dm = Set(rejected).reduce(0) { $0 + p($1) }
      case .skipped:
        break
      }
      if total > 0 { dn = against / total }
      dm = min(1, max(0, dm))
      dn = min(1, max(0, dn))
      let flagged = feedback.answers[k] != .skipped && dm > threshold && dn > threshold
      out.append(Assessment(position: k, anchor: feedback.anchors[k], suspicion: dm * dn, modelDisagreement: dm,
                            neighbourDisagreement: dn, modelCluster: best, modelConfidence: p(best),
                            neighbourCluster: vote[voted] > 0 ? voted : -1, voters: nearest.count,
                            flagged: flagged))
    }
    return out
  }

  /// The flagged answers, most suspicious first (ties: earlier answer first).
  public static func ranked(_ assessments: [Assessment]) -> [Assessment] {
    assessments.filter(\.flagged).sorted { ($0.suspicion, -$0.position) > ($1.suspicion, -$1.position) }
  }
}
