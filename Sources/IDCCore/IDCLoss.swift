/// The three finetuning losses of IDC (Liu et al. 2024, Eq. 11–14; docs/method.md
/// §4.2–§4.3), each as a value and its analytic gradient with respect to the logits
/// `s_i` (with `p_i = softmax(s_i)`).
///
/// Every function reads the rows `rows` of a logits matrix (one sample per
/// row), returns the loss and **adds** `∂L/∂s` into the same rows of
/// `gradient`, so one batch can hold queried and confident samples side by
/// side and run one backward pass. Log-probabilities are computed as
/// `s_ij − logsumexp(s_i)` in `Double`. Empty inputs give loss 0 and no
/// gradient, never NaN.
///
/// Class-balanced cross-entropy (the official code's, for `L_pos` and `L_reg`)
/// is PyTorch's `cross_entropy(s, y, weight=w)` with `w_c = n / n_c` for the
/// classes present among the `n` targets: the weighted mean
/// `Σ_i w_{y_i} ℓ_i / Σ_i w_{y_i} = (1/K) Σ_c mean_{i: y_i = c} ℓ_i`, i.e. the
/// mean over the `K` present classes of each class's mean loss.
public enum IDCLoss {
  /// The floor on `1 − p` inside `L_neg`'s log (the official code's `clamp_min(1 − p, 1e-5)`).
  public static let negativeFloor: Double = 1e-5

  /// `L_pos = −(1/M_pos) Σ_i log p_{i, y_i}` over positively answered samples
  /// (Eq. 12), or its class-balanced form when `balanced`.
  ///
  /// `labels[k]` is the answered cluster of row `rows.lowerBound + k`.
  /// Gradient: `(p_i − e_{y_i}) · f_i` with `f_i = 1/M_pos`, or
  /// `1/(K·n_{y_i})` balanced.
  public static func positive(
    logits: Matrix, rows: Range<Int>, labels: [Int], balanced: Bool, gradient: inout Matrix
  ) -> Double {
    precondition(labels.count == rows.count, "\(labels.count) labels for \(rows.count) rows")
    return crossEntropy(logits: logits, rows: Array(rows), targets: labels, balanced: balanced,
                        plainDenominator: rows.count, gradient: &gradient)
  }

  /// `L_neg = −(1/M_neg) Σ_i log(max(1 − p_{i, ỹ_i}, 1e-5))` over negatively
  /// answered samples (Eq. 13), `ỹ_i = rejected[k]` for row `rows.lowerBound + k`
  /// (the caller draws it among the sample's rejected candidates every step).
  ///
  /// `1 − p_ỹ` is computed as `Σ_{j≠ỹ} p_j` (no cancellation). Gradient of
  /// `−log(1 − p_ỹ)`: `p_ỹ` at `ỹ` and `−p_j p_ỹ / (1 − p_ỹ)` elsewhere, over
  /// `M_neg`; zero where the floor is active (as `clamp_min`'s gradient).
  public static func negative(
    logits: Matrix, rows: Range<Int>, rejected: [Int], denominator: Int? = nil, gradient: inout Matrix
  ) -> Double {
    precondition(rejected.count == rows.count, "\(rejected.count) rejected clusters for \(rows.count) rows")
    checkShapes(logits, gradient, rows)
    guard !rows.isEmpty else { return 0 }
    let c = logits.columns
    let scale = 1 / Double(max(denominator ?? rows.count, rows.count))
    var total: Double = 0
    var p = [Double](repeating: 0, count: c)
    for (k, r) in rows.enumerated() {
      let y = rejected[k]
      precondition(y >= 0 && y < c, "rejected cluster \(y) out of range 0..<\(c)")
      softmax(logits, row: r, into: &p)
      var rest: Double = 0
      for j in 0..<c where j != y { rest += p[j] }
      if rest < negativeFloor {
        total -= _log(negativeFloor)
        continue
      }
      total -= _log(rest)
      let base = r * c
      let py = p[y]
      for j in 0..<c {
        let dj = j == y ? py : -p[j] * py / rest
        gradient.storage[base + j] += Float(dj * scale)
      }
    }
    return total * scale
  }

  /// `L_reg = −(1/N) Σ_i 1[p_{i,ĵ} > τ] log p_{i,ĵ}`, `ĵ = argmax_j p_ij`
  /// (Eq. 14) over the batch `rows` (N = `rows.count`), or, when `balanced`,
  /// the class-balanced cross-entropy over the confident rows with their
  /// pseudo-labels `ĵ` (the official code's; plain cross-entropy makes the
  /// head drift on frozen features, see reference-results.md).
  ///
  /// Confidences and pseudo-labels come from the same logits, treated as
  /// constants (a no-grad pass: on frozen features without augmentation it
  /// equals the official code's separate `torch.no_grad()` forward).
  /// Gradient: `(p_i − e_ĵ) · f_i` on confident rows, `f_i = 1/N` or `1/(K·n_ĵ)`.
  ///
  /// - Returns: the loss and how many rows were confident.
  public static func regularization(
    logits: Matrix, rows: Range<Int>, threshold: Float, balanced: Bool, agreeingWith reference: [Int]? = nil,
    gradient: inout Matrix
  ) -> (value: Double, confidentCount: Int) {
    checkShapes(logits, gradient, rows)
    let c = logits.columns
    var confidentRows: [Int] = []
    var pseudoLabels: [Int] = []
    if let reference {
      precondition(reference.count == rows.count, "\(reference.count) reference labels for \(rows.count) rows")
    }
    var p = [Double](repeating: 0, count: c)
    let tau = Double(threshold)
    for r in rows {
      softmax(logits, row: r, into: &p)
      var best = 0
      for j in 1..<c where p[j] > p[best] { best = j }
      if p[best] > tau, reference.map({ $0[r - rows.lowerBound] == best }) ?? true {
        confidentRows.append(r)
        pseudoLabels.append(best)
      }
    }
    let value = crossEntropy(logits: logits, rows: confidentRows, targets: pseudoLabels, balanced: balanced,
                             plainDenominator: rows.count, gradient: &gradient)
    return (value, confidentRows.count)
  }

  /// Cross-entropy to soft targets, `−(1/n) Σ_i Σ_j q_ij log p_ij`, where row
  /// `k` of `targets` is the distribution `q` for row `rows.lowerBound + k`
  /// (used to fit the head to a pre-trained probability matrix).
  /// Gradient: `(p_i − q_i · Σ_j q_ij)/n` (`p_i − q_i` for distributions).
  public static func softCrossEntropy(
    logits: Matrix, rows: Range<Int>, targets: Matrix, gradient: inout Matrix
  ) -> Double {
    precondition(targets.rows == rows.count && targets.columns == logits.columns, "target shape mismatch")
    checkShapes(logits, gradient, rows)
    guard !rows.isEmpty else { return 0 }
    let c = logits.columns
    let scale = 1 / Double(rows.count)
    var total: Double = 0
    var logP = [Double](repeating: 0, count: c)
    for (k, r) in rows.enumerated() {
      logSoftmax(logits, row: r, into: &logP)
      var mass: Double = 0
      for j in 0..<c { mass += Double(targets.storage[k * c + j]) }
      for j in 0..<c {
        let q = Double(targets.storage[k * c + j])
        if q != 0 { total -= q * logP[j] }
        gradient.storage[r * c + j] += Float((_exp(logP[j]) * mass - q) * scale)
      }
    }
    return total * scale
  }

  // MARK: - Shared pieces

  /// (Balanced) cross-entropy of `rows` against hard `targets`; plain form
  /// divides by `plainDenominator`.
  static func crossEntropy(
    logits: Matrix, rows: [Int], targets: [Int], balanced: Bool, plainDenominator: Int,
    gradient: inout Matrix
  ) -> Double {
    checkShapes(logits, gradient, 0..<logits.rows)
    guard !rows.isEmpty, plainDenominator > 0 else { return 0 }
    let c = logits.columns
    var factor = [Double](repeating: 1 / Double(plainDenominator), count: c)
    if balanced {
      var counts = [Int](repeating: 0, count: c)
      for y in targets {
        precondition(y >= 0 && y < c, "cluster \(y) out of range 0..<\(c)")
        counts[y] += 1
      }
      let present = Double(counts.filter { $0 > 0 }.count)
      for j in 0..<c { factor[j] = counts[j] > 0 ? 1 / (present * Double(counts[j])) : 0 }
    }
    var total: Double = 0
    var logP = [Double](repeating: 0, count: c)
    for (k, r) in rows.enumerated() {
      let y = targets[k]
      precondition(y >= 0 && y < c, "cluster \(y) out of range 0..<\(c)")
      logSoftmax(logits, row: r, into: &logP)
      let f = factor[y]
      total -= f * logP[y]
      let base = r * c
      for j in 0..<c {
        let pj = _exp(logP[j])
        gradient.storage[base + j] += Float(((j == y ? pj - 1 : pj)) * f)
      }
    }
    return total
  }

  /// `log p_ij = s_ij − max_j s_ij − log Σ_j exp(s_ij − max)` in `Double`.
  @inline(__always)
  static func logSoftmax(_ logits: Matrix, row r: Int, into out: inout [Double]) {
    let c = logits.columns, base = r * c
    var m = Double(logits.storage[base])
    for j in 1..<c { m = Swift.max(m, Double(logits.storage[base + j])) }
    var sum: Double = 0
    for j in 0..<c { sum += _exp(Double(logits.storage[base + j]) - m) }
    let lse = m + _log(sum)
    for j in 0..<c { out[j] = Double(logits.storage[base + j]) - lse }
  }

  /// `p_ij = softmax(s_i)_j` in `Double`.
  @inline(__always)
  static func softmax(_ logits: Matrix, row r: Int, into out: inout [Double]) {
    let c = logits.columns, base = r * c
    var m = Double(logits.storage[base])
    for j in 1..<c { m = Swift.max(m, Double(logits.storage[base + j])) }
    var sum: Double = 0
    for j in 0..<c {
      let e = _exp(Double(logits.storage[base + j]) - m)
      out[j] = e
      sum += e
    }
    for j in 0..<c { out[j] /= sum }
  }

  @inline(__always)
  static func checkShapes(_ logits: Matrix, _ gradient: Matrix, _ rows: Range<Int>) {
    precondition(gradient.rows == logits.rows && gradient.columns == logits.columns, "gradient shape differs from logits")
    precondition(rows.lowerBound >= 0 && rows.upperBound <= logits.rows, "rows \(rows) outside 0..<\(logits.rows)")
    precondition(logits.columns > 0, "logits without columns")
  }
}
