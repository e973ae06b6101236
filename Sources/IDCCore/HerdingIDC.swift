/// IDC with herding (beyond the paper): IDC's hardness as the weight of a kernel-herding
/// objective, so that representativeness and diversity come from one coverage term instead of
/// IDC's `r + d` (docs/method.md §11).
///
///     pick = argmax_x  Σ_i w_i · max(0, k(z_i, x) − c_i),   w_i = exp(h_i) = 1 − s_(1)(i) + s_(2)(i)
///
/// `h_i` is IDC's hardness of the round (Eq. 2 against the centres in the first round; in later
/// rounds of `rounds`/`sweep rounds=`, the head's margin, where `s` are the two largest
/// probabilities), so `w_i` is 1 on a border and near 0 at a centre; samples already answered
/// weigh 0. `k`, `c_i` and the lazy greedy are ``MaxHerding``'s: the value of a candidate is
/// the hardness-weighted mass of the pool it newly represents — hard (`h`), in a dense region
/// (`r`), and away from what was asked (`d`) at once. With `w = 1` it is MaxHerding (Bae et
/// al., ECCV 2024); with the head's margin in every round it is uncertainty herding (Bae et
/// al., ICLR 2025); what is IDC's here is the hardness of Eq. 2 in the first round, where no
/// finetuned head exists.
///
/// Explanation per pick: the gain and the weighted share covered so far.
///
/// - Complexity: as ``MaxHerding``: `O(N²·D)` once, then `O(E·B·N·D)` per pick.
public struct HerdingIDC: SelectionStrategy {
  public var name: String { "idc+herding" }
  public var sigma: Double
  public init(sigma: Double = 1) { self.sigma = sigma }

  static let descriptor = StrategyDescriptor(
    name: "idc+herding",
    summary: "beyond the paper: kernel herding weighted by IDC's hardness (coverage replaces r + d)",
    needs: [.hardness]) { options in HerdingIDC(sigma: options.sigma) }

  public func select(_ count: Int, from input: SelectionInput, monitor: WorkMonitor) throws -> Selection {
    try input.validate(count: count)
    let n = input.features.rows
    guard let h = input.hardness, h.count == n else { throw CoreError("\(name) needs the hardness of every sample") }
    var weights = h.map { min(max(_expf($0), 0), 1) }
    for a in input.asked where a >= 0 && a < n { weights[a] = 0 }
    return try MaxHerding.herd(count, input: input, weights: weights, sigma: sigma, name: name,
                               how: "herding weighted by IDC's hardness exp(h), σ = \(format3(sigma))", monitor: monitor)
  }
}
