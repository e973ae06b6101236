/// BADGE: diverse, uncertain gradient embeddings (Ash, Zhang, Krishnamurthy, Langford &
/// Agarwal, *Deep Batch Active Learning by Diverse, Uncertain Gradient Lower Bounds*, ICLR
/// 2020; code: JordanAsh/badge, `query_strategies/badge_sampling.py`).
///
/// Embedding: the gradient of the cross-entropy at the head's own prediction `ŷ = argmax p`
/// with respect to the last layer's weights,
///
///     g_x = (p(x) − e_ŷ) ⊗ h(x)          (h: the hidden layer, C·H numbers)
///
/// Then k-means++ seeding on `g` over the samples not asked yet: the first pick has the
/// largest `‖g‖`, each next one is drawn with probability ∝ `D(x)²`, the squared distance to
/// the nearest pick so far (seeded).
///
/// idc never forms `g`: for outer products `‖a⊗h − b⊗k‖² = ‖a‖²‖h‖² + ‖b‖²‖k‖² − 2(a·b)(h·k)`,
/// so each pick costs one SGEMV against the hidden layer. As the authors' code, `g` carries
/// the opposite sign (`(e_ŷ − p) ⊗ h`), which changes no distance.
///
/// Explanation per pick: `‖g‖` and `D²` when it was drawn (0 for the first).
///
/// - Complexity: one forward pass, `O(N·H·(D + C))`, memory `O(N·H)` for the hidden layer,
///   then `O(M·N·(H + C))`.
public struct BADGE: SelectionStrategy {
  public var name: String { "badge" }
  public init() {}

  static let descriptor = StrategyDescriptor(
    name: "badge",
    summary: "k-means++ seeding on the head's gradient embeddings (Ash et al., ICLR 2020)",
    needs: [.head]) { _ in BADGE() }

  /// The gradient embedding's factors: `a = p − e_ŷ` (N × C) and `h` (N × H).
  public static func embedding(_ head: ClusterHead, _ z: Matrix) -> (a: Matrix, h: Matrix) {
    let pass = head.forward(z)
    var a = pass.logits
    ClusterHead.softmaxRows(&a)
    for i in 0..<a.rows { a.storage[i * a.columns + topTwo(a, row: i).argmax] -= 1 }
    return (a, pass.hidden)
  }

  public func select(_ count: Int, from input: SelectionInput, monitor: WorkMonitor) throws -> Selection {
    try input.validate(count: count)
    let (a, h) = BADGE.embedding(try input.requireHead(name), input.features)
    let n = a.rows, c = a.columns
    let an = a.rowSquaredNorms(), hn = h.rowSquaredNorms()
    var norm2 = [Double](repeating: 0, count: n)
    for i in 0..<n { norm2[i] = Double(an[i]) * Double(hn[i]) }
    var taken = input.askedFlags()
    var d2 = [Double](repeating: .infinity, count: n)
    var hdots = [Float](repeating: 0, count: n)
    func add(_ s: Int) {
      BLAS.dotProducts(h, withRow: s, of: h, into: &hdots)
      for i in 0..<n where !taken[i] {
        var ad: Float = 0
        for j in 0..<c { ad += a.storage[i * c + j] * a.storage[s * c + j] }
        let d = max(norm2[i] + norm2[s] - 2 * Double(ad) * Double(hdots[i]), 0)
        if d < d2[i] { d2[i] = d }
      }
    }
    var log = PickLog()
    let terms = ["‖g‖", "D²"]
    var rng = SeededGenerator(seed: input.seed)
    var first = -1
    for i in 0..<n where !taken[i] && (first < 0 || norm2[i] > norm2[first]) { first = i }
    var pick = first
    var drawn = 0.0
    while true {
      taken[pick] = true
      log.add(pick, value: Float(drawn), [norm2[pick].squareRoot(), drawn])
      try log.step(name, of: count, terms: terms, monitor: monitor)
      if log.indices.count == count { break }
      add(pick)
      var total = 0.0
      for i in 0..<n where !taken[i] { total += d2[i] }
      if total > 0 {
        var u = rng.nextUnit() * total
        pick = -1
        for i in 0..<n where !taken[i] && d2[i] > 0 {
          pick = i
          u -= d2[i]
          if u < 0 { break }
        }
      } else {
        let rest = (0..<n).filter { !taken[$0] }
        pick = rest[rng.nextInt(below: rest.count)]
      }
      drawn = d2[pick]
    }
    return log.selection(name, terms: terms)
  }
}
