import Testing
@testable import IDCCore

/// The IDC losses written straight from docs/method.md §4.2 in `Double`, as an
/// independent reference for values and finite differences.
enum LossReference {
  static func softmax(_ s: [Double]) -> [Double] {
    let m = s.max()!
    let e = s.map { _exp($0 - m) }
    let total = e.reduce(0, +)
    return e.map { $0 / total }
  }

  /// Cross-entropy with per-class weights `n / n_c` (PyTorch's weighted mean) or plain mean.
  static func crossEntropy(_ logits: [[Double]], _ targets: [Int], balanced: Bool, denominator: Int) -> Double {
    guard !targets.isEmpty else { return 0 }
    var counts: [Int: Int] = [:]
    for y in targets { counts[y, default: 0] += 1 }
    var numerator = 0.0, weightSum = 0.0
    for (s, y) in zip(logits, targets) {
      let w = balanced ? Double(targets.count) / Double(counts[y]!) : 1
      numerator += w * -_log(softmax(s)[y])
      weightSum += w
    }
    return balanced ? numerator / weightSum : numerator / Double(denominator)
  }

  static func positive(_ logits: [[Double]], _ labels: [Int], balanced: Bool) -> Double {
    crossEntropy(logits, labels, balanced: balanced, denominator: labels.count)
  }

  static func negative(_ logits: [[Double]], _ rejected: [Int]) -> Double {
    guard !logits.isEmpty else { return 0 }
    var total = 0.0
    for (s, y) in zip(logits, rejected) { total -= _log(max(1 - softmax(s)[y], 1e-5)) }
    return total / Double(logits.count)
  }

  /// Pseudo-labels fixed from `labelsFrom` (the no-grad pass), loss on `logits`.
  static func regularization(_ logits: [[Double]], labelsFrom: [[Double]], threshold: Double, balanced: Bool) -> Double {
    var confident: [[Double]] = [], targets: [Int] = []
    for (s, s0) in zip(logits, labelsFrom) {
      let p = softmax(s0)
      let j = p.firstIndex(of: p.max()!)!
      if p[j] > threshold { confident.append(s); targets.append(j) }
    }
    return crossEntropy(confident, targets, balanced: balanced, denominator: logits.count)
  }

  static func nested(_ m: Matrix) -> [[Double]] {
    (0..<m.rows).map { r in m.row(r).map(Double.init) }
  }

  /// Central differences of `f` at `x` (step h), every coordinate.
  static func numericGradient(_ x: [[Double]], h: Double = 1e-5, _ f: ([[Double]]) -> Double) -> [[Double]] {
    var g = x.map { $0.map { _ in 0.0 } }
    for r in x.indices {
      for j in x[r].indices {
        var plus = x, minus = x
        plus[r][j] += h
        minus[r][j] -= h
        g[r][j] = (f(plus) - f(minus)) / (2 * h)
      }
    }
    return g
  }

  /// ‖a − b‖ / max(‖b‖, 1e-12).
  static func relativeError(_ a: [Double], _ b: [Double]) -> Double {
    var num = 0.0, den = 0.0
    for (x, y) in zip(a, b) { num += (x - y) * (x - y); den += y * y }
    return num.squareRoot() / max(den.squareRoot(), 1e-12)
  }

  static func randomLogits(rows: Int, columns: Int, seed: UInt64, scale: Double = 2) -> Matrix {
    var g = SeededGenerator(seed: seed)
    return Matrix(rows: rows, columns: columns, storage: (0..<(rows * columns)).map { _ in Float(g.nextGaussian() * scale) })
  }
}

@Suite("IDC losses")
struct LossTests {
  let c = 4

  @Test("L_pos value and gradient match finite differences", arguments: [false, true])
  func positiveGradient(balanced: Bool) {
    let logits = LossReference.randomLogits(rows: 6, columns: c, seed: 1)
    let labels = [0, 2, 2, 1, 2, 3]
    var gradient = Matrix(rows: 6, columns: c)
    let value = IDCLoss.positive(logits: logits, rows: 0..<6, labels: labels, balanced: balanced, gradient: &gradient)
    let x = LossReference.nested(logits)
    #expect(abs(value - LossReference.positive(x, labels, balanced: balanced)) < 1e-9)
    let numeric = LossReference.numericGradient(x) { LossReference.positive($0, labels, balanced: balanced) }
    #expect(LossReference.relativeError(gradient.storage.map(Double.init), numeric.flatMap { $0 }) < 1e-2)
  }

  @Test("balanced L_pos is the mean over present classes of each class's mean loss")
  func balancedMeaning() {
    let logits = LossReference.randomLogits(rows: 5, columns: c, seed: 2)
    let labels = [1, 1, 1, 3, 3]
    var gradient = Matrix(rows: 5, columns: c)
    let value = IDCLoss.positive(logits: logits, rows: 0..<5, labels: labels, balanced: true, gradient: &gradient)
    let x = LossReference.nested(logits)
    let nll = (0..<5).map { -_log(LossReference.softmax(x[$0])[labels[$0]]) }
    let expected = ((nll[0] + nll[1] + nll[2]) / 3 + (nll[3] + nll[4]) / 2) / 2
    #expect(abs(value - expected) < 1e-9)
  }

  @Test("L_neg value and gradient match finite differences")
  func negativeGradient() {
    let logits = LossReference.randomLogits(rows: 5, columns: c, seed: 3)
    let rejected = [0, 1, 3, 3, 2]
    var gradient = Matrix(rows: 5, columns: c)
    let value = IDCLoss.negative(logits: logits, rows: 0..<5, rejected: rejected, gradient: &gradient)
    let x = LossReference.nested(logits)
    #expect(abs(value - LossReference.negative(x, rejected)) < 1e-9)
    let numeric = LossReference.numericGradient(x) { LossReference.negative($0, rejected) }
    #expect(LossReference.relativeError(gradient.storage.map(Double.init), numeric.flatMap { $0 }) < 1e-2)
  }

  @Test("L_neg uses the 1e-5 floor with zero gradient when p_ỹ ≈ 1, and stays finite")
  func negativeFloor() {
    let logits = Matrix([[40, 0, 0], [0, 0, 0]])
    var gradient = Matrix(rows: 2, columns: 3)
    let value = IDCLoss.negative(logits: logits, rows: 0..<1, rejected: [0], gradient: &gradient)
    #expect(abs(value - -_log(1e-5)) < 1e-9)
    #expect(gradient.storage.allSatisfy { $0 == 0 })
    let extreme = Matrix([[1e30, -1e30, 0]])
    var g2 = Matrix(rows: 1, columns: 3)
    let v2 = IDCLoss.negative(logits: extreme, rows: 0..<1, rejected: [1], gradient: &g2)
    #expect(v2.isFinite && g2.firstNonFinite() == nil)
  }

  @Test("L_reg value and gradient match finite differences", arguments: [false, true])
  func regularizationGradient(balanced: Bool) {
    // Scale 4 makes some rows confident at τ = 0.9 and others not.
    let logits = LossReference.randomLogits(rows: 12, columns: c, seed: 4, scale: 4)
    let x = LossReference.nested(logits)
    var gradient = Matrix(rows: 12, columns: c)
    let (value, confident) = IDCLoss.regularization(logits: logits, rows: 0..<12, threshold: 0.9, balanced: balanced,
                                                     gradient: &gradient)
    #expect(confident > 0 && confident < 12)
    #expect(abs(value - LossReference.regularization(x, labelsFrom: x, threshold: 0.9, balanced: balanced)) < 1e-9)
    let numeric = LossReference.numericGradient(x) {
      LossReference.regularization($0, labelsFrom: x, threshold: 0.9, balanced: balanced)
    }
    #expect(LossReference.relativeError(gradient.storage.map(Double.init), numeric.flatMap { $0 }) < 1e-2)
  }

  @Test("plain L_reg divides by the whole batch, not by the confident rows")
  func regularizationNormalisation() {
    let logits = Matrix([[10, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0]])
    var gradient = Matrix(rows: 4, columns: 3)
    let (value, confident) = IDCLoss.regularization(logits: logits, rows: 0..<4, threshold: 0.99, balanced: false,
                                                     gradient: &gradient)
    let p = LossReference.softmax([10, 0, 0])[0]
    #expect(confident == 1)
    #expect(abs(value - -_log(p) / 4) < 1e-9)
  }

  @Test("soft-target cross-entropy and its gradient")
  func softCrossEntropy() {
    let logits = LossReference.randomLogits(rows: 3, columns: c, seed: 5)
    let targets = Matrix([[0.7, 0.1, 0.1, 0.1], [0, 0, 1, 0], [0.25, 0.25, 0.25, 0.25]])
    var gradient = Matrix(rows: 3, columns: c)
    let value = IDCLoss.softCrossEntropy(logits: logits, rows: 0..<3, targets: targets, gradient: &gradient)
    let q = LossReference.nested(targets)
    func reference(_ s: [[Double]]) -> Double {
      var total = 0.0
      for (row, t) in zip(s, q) {
        let p = LossReference.softmax(row)
        for j in 0..<row.count where t[j] > 0 { total -= t[j] * _log(p[j]) }
      }
      return total / Double(s.count)
    }
    let x = LossReference.nested(logits)
    #expect(abs(value - reference(x)) < 1e-6)
    let numeric = LossReference.numericGradient(x, reference)
    #expect(LossReference.relativeError(gradient.storage.map(Double.init), numeric.flatMap { $0 }) < 1e-2)
  }

  @Test("losses read and write only their rows, and add to the gradient")
  func rowsAndAccumulation() {
    let logits = LossReference.randomLogits(rows: 6, columns: c, seed: 6)
    var gradient = Matrix(rows: 6, columns: c, repeating: 1)
    _ = IDCLoss.positive(logits: logits, rows: 2..<4, labels: [0, 1], balanced: true, gradient: &gradient)
    for r in [0, 1, 4, 5] { #expect(gradient.row(r).allSatisfy { $0 == 1 }) }
    var alone = Matrix(rows: 2, columns: c)
    _ = IDCLoss.positive(logits: logits.rows([2, 3]), rows: 0..<2, labels: [0, 1], balanced: true, gradient: &alone)
    for j in 0..<c { #expect(abs(gradient[2, j] - 1 - alone[0, j]) < 1e-6) }
  }

  @Test("empty inputs give loss 0, no gradient and no NaN")
  func emptyCases() {
    let logits = LossReference.randomLogits(rows: 4, columns: c, seed: 7)
    var gradient = Matrix(rows: 4, columns: c)
    #expect(IDCLoss.positive(logits: logits, rows: 0..<0, labels: [], balanced: true, gradient: &gradient) == 0)
    #expect(IDCLoss.positive(logits: logits, rows: 2..<2, labels: [], balanced: false, gradient: &gradient) == 0)
    #expect(IDCLoss.negative(logits: logits, rows: 4..<4, rejected: [], gradient: &gradient) == 0)
    // Uniform logits: nothing is above τ.
    let flat = Matrix(rows: 4, columns: c)
    let reg = IDCLoss.regularization(logits: flat, rows: 0..<4, threshold: 0.99, balanced: true, gradient: &gradient)
    #expect(reg.value == 0 && reg.confidentCount == 0)
    let regPlain = IDCLoss.regularization(logits: flat, rows: 0..<4, threshold: 0.99, balanced: false, gradient: &gradient)
    #expect(regPlain.value == 0)
    #expect(gradient.storage.allSatisfy { $0 == 0 })
  }

  @Test("huge logits stay finite in every loss")
  func extremeLogits() {
    let logits = Matrix([[1e30, -1e30, 0, 5], [-80, 80, 0, 0]])
    var gradient = Matrix(rows: 2, columns: 4)
    let pos = IDCLoss.positive(logits: logits, rows: 0..<2, labels: [1, 0], balanced: true, gradient: &gradient)
    let neg = IDCLoss.negative(logits: logits, rows: 0..<2, rejected: [2, 3], gradient: &gradient)
    let reg = IDCLoss.regularization(logits: logits, rows: 0..<2, threshold: 0.99, balanced: true, gradient: &gradient)
    #expect(pos.isFinite && neg.isFinite && reg.value.isFinite)
    #expect(gradient.firstNonFinite() == nil)
  }
}
