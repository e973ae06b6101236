/// The cluster head IDC finetunes: a two-layer fully connected network
/// `D → hidden → C` with ReLU, whose softmax output `p_i ∈ R^C` is sample
/// i's soft cluster assignment (Liu et al. 2024, §3.3: "a randomly initialised
/// two-layer fully connected head" appended to a model without one).
///
///     h_i = relu(W1 · z_i + b1)        W1: hidden × D,  b1: hidden
///     s_i = W2 · h_i + b2              W2: C × hidden,  b2: C   (logits)
///     p_i = softmax(s_i)
///
/// All parameters live in one flat array, ``parameters``, in the order and
/// layout of PyTorch's `nn.Sequential(nn.Linear(D, hidden), nn.ReLU(),
/// nn.Linear(hidden, C)).parameters()`: W1 (row-major, `out × in`), b1, W2,
/// b2. The optimiser and the gradient use the same layout, so one Adam step
/// is one pass over one array, and weights can be compared with PyTorch's.
///
/// Batches are row-major matrices (one sample per row); forward and backward
/// are three `cblas_sgemm` calls each (see ``forward(_:into:)`` and
/// ``backward(_:logitGradient:into:)``).
public struct ClusterHead: Sendable, Equatable {
  /// `D`, the feature dimension.
  public let inputDimension: Int
  /// Width of the hidden layer (idc's default 512, the reference's).
  public let hiddenDimension: Int
  /// `C`, the number of clusters (the outputs).
  public let classCount: Int
  /// `U`, the number of output units (rows of W2): `C`, or more once clusters were merged.
  public let unitCount: Int
  /// The cluster of each unit when units are grouped (after `merge`), else nil (unit j is
  /// cluster j). A cluster's logit is then `S_c = log Σ_{u: class(u) = c} exp(s_u)`, so its
  /// softmax probability is the sum of its units' (`p_c = Σ p_u`): merging clusters keeps
  /// every weight and changes no probability but the merged clusters' sum.
  public let unitClasses: [Int]?
  /// W1, b1, W2, b2 back to back (see the type's documentation).
  public var parameters: [Float]

  /// A head with PyTorch's default `nn.Linear` initialisation (Kaiming-uniform
  /// with `a = √5`): every weight and bias of a layer with `fan_in` inputs is
  /// drawn from `U(−1/√fan_in, 1/√fan_in)`, from a generator seeded with `seed`.
  public init(inputDimension: Int, hiddenDimension: Int = 512, classCount: Int, seed: Int) {
    var generator = SeededGenerator(seed: seed)
    self.init(inputDimension: inputDimension, hiddenDimension: hiddenDimension, classCount: classCount, generator: &generator)
  }

  /// As ``init(inputDimension:hiddenDimension:classCount:seed:)``, drawing from `generator`.
  public init(inputDimension: Int, hiddenDimension: Int = 512, classCount: Int, generator: inout SeededGenerator) {
    precondition(inputDimension > 0 && hiddenDimension > 0 && classCount > 0, "empty head shape")
    self.inputDimension = inputDimension
    self.hiddenDimension = hiddenDimension
    self.classCount = classCount
    self.unitCount = classCount
    self.unitClasses = nil
    let d = inputDimension, h = hiddenDimension, c = classCount
    var p = [Float](repeating: 0, count: h * d + h + c * h + c)
    let bound1 = 1 / Double(d).squareRoot(), bound2 = 1 / Double(h).squareRoot()
    for k in 0..<(h * d + h) { p[k] = Float((2 * generator.nextUnit() - 1) * bound1) }
    for k in (h * d + h)..<p.count { p[k] = Float((2 * generator.nextUnit() - 1) * bound2) }
    self.parameters = p
  }

  /// A head with the given weights (`w1`: hidden × D, `w2`: C × hidden), e.g.
  /// loaded from a file or exported from PyTorch.
  public init(w1: Matrix, b1: [Float], w2: Matrix, b2: [Float]) {
    precondition(b1.count == w1.rows && w2.columns == w1.rows && b2.count == w2.rows, "inconsistent head shapes")
    inputDimension = w1.columns
    hiddenDimension = w1.rows
    classCount = w2.rows
    unitCount = w2.rows
    unitClasses = nil
    parameters = w1.storage + b1 + w2.storage + b2
  }

  private init(inputDimension: Int, hiddenDimension: Int, classCount: Int, unitCount: Int, unitClasses: [Int]?,
               parameters: [Float]) {
    self.inputDimension = inputDimension
    self.hiddenDimension = hiddenDimension
    self.classCount = classCount
    self.unitCount = unitCount
    self.unitClasses = unitClasses
    self.parameters = parameters
  }

  /// The cluster of unit `u`.
  public func classOf(unit u: Int) -> Int { unitClasses?[u] ?? u }

  /// Number of scalars in ``parameters``: `hidden·D + hidden + C·hidden + C`.
  public var parameterCount: Int { parameters.count }

  @usableFromInline var b1Offset: Int { hiddenDimension * inputDimension }
  @usableFromInline var w2Offset: Int { b1Offset + hiddenDimension }
  @usableFromInline var b2Offset: Int { w2Offset + unitCount * hiddenDimension }

  /// First-layer weights, hidden × D.
  public var w1: Matrix {
    Matrix(rows: hiddenDimension, columns: inputDimension, storage: Array(parameters[0..<b1Offset]))
  }
  /// First-layer bias (hidden).
  public var b1: [Float] { Array(parameters[b1Offset..<w2Offset]) }
  /// Second-layer weights, U × hidden (U = C unless clusters were merged).
  public var w2: Matrix {
    Matrix(rows: unitCount, columns: hiddenDimension, storage: Array(parameters[w2Offset..<b2Offset]))
  }
  /// Second-layer bias (U).
  public var b2: [Float] { Array(parameters[b2Offset...]) }

  // MARK: - Batched forward and backward

  /// The activations of one batch, kept for the backward pass. Reusing one
  /// value across steps reuses its buffers.
  public struct Activations: Sendable {
    /// The batch, `B × D`.
    public internal(set) var input = Matrix(rows: 0, columns: 0)
    /// `relu(X·W1ᵀ + b1)`, `B × hidden`.
    public internal(set) var hidden = Matrix(rows: 0, columns: 0)
    /// `H·W2ᵀ + b2`, `B × C`.
    public internal(set) var logits = Matrix(rows: 0, columns: 0)
    /// The units' logits `B × U` of a grouped head (empty otherwise).
    var unitLogits = Matrix(rows: 0, columns: 0)
    /// Scratch for a grouped head's unit-logit gradient, `B × U`.
    var unitGradient = Matrix(rows: 0, columns: 0)
    /// Scratch for the hidden-layer gradient, `B × hidden`.
    var hiddenGradient = Matrix(rows: 0, columns: 0)
    /// A column of ones for bias gradients (`cblas_sgemv`).
    var ones: [Float] = []

    public init() {}

    /// Copies `indices` rows of `features` into ``input`` (resizing only when
    /// the batch size changes).
    mutating func load(rows indices: [Int], of features: Matrix) {
      let d = features.columns
      if input.rows != indices.count || input.columns != d { input = Matrix(rows: indices.count, columns: d) }
      features.storage.withUnsafeBufferPointer { src in
        input.storage.withUnsafeMutableBufferPointer { dst in
          for (k, i) in indices.enumerated() {
            (dst.baseAddress! + k * d).update(from: src.baseAddress! + i * d, count: d)
          }
        }
      }
    }
  }

  /// Runs the head on `input` (`B × D`).
  public func forward(_ input: Matrix) -> Activations {
    var pass = Activations()
    pass.input = input
    forward(into: &pass)
    return pass
  }

  /// Runs the head on the rows `indices` of `features`, reusing `pass`'s buffers.
  public func forward(rows indices: [Int], of features: Matrix, into pass: inout Activations) {
    pass.load(rows: indices, of: features)
    forward(into: &pass)
  }

  /// Forward pass on `pass.input`: `H = relu(X·W1ᵀ + b1)`, `S = H·W2ᵀ + b2`
  /// (two `cblas_sgemm`, biases pre-loaded into the outputs with `beta = 1`).
  ///
  /// - Complexity: O(B·hidden·(D + C)).
  public func forward(into pass: inout Activations) {
    let b = pass.input.rows, d = inputDimension, h = hiddenDimension, u = unitCount
    precondition(pass.input.columns == d, "batch has \(pass.input.columns) columns, head expects \(d)")
    if pass.hidden.rows != b || pass.hidden.columns != h { pass.hidden = Matrix(rows: b, columns: h) }
    if pass.logits.rows != b || pass.logits.columns != classCount { pass.logits = Matrix(rows: b, columns: classCount) }
    if unitClasses != nil, pass.unitLogits.rows != b || pass.unitLogits.columns != u { pass.unitLogits = Matrix(rows: b, columns: u) }
    let b1Offset = self.b1Offset, w2Offset = self.w2Offset, b2Offset = self.b2Offset
    let grouped = unitClasses != nil
    parameters.withUnsafeBufferPointer { params in
      let w = params.baseAddress!
      pass.input.storage.withUnsafeBufferPointer { x in
        pass.hidden.storage.withUnsafeMutableBufferPointer { hid in
          let hp = hid.baseAddress!
          for r in 0..<b { (hp + r * h).update(from: w + b1Offset, count: h) }
          BLAS.gemm(m: b, n: h, k: d, a: x.baseAddress!, lda: d, b: w, ldb: d, transposeB: true,
                    beta: 1, c: hp, ldc: h)
          ClusterHead.relu(hp, count: b * h)
          func units(_ op: UnsafeMutablePointer<Float>) {
            for r in 0..<b { (op + r * u).update(from: w + b2Offset, count: u) }
            BLAS.gemm(m: b, n: u, k: h, a: hp, lda: h, b: w + w2Offset, ldb: h, transposeB: true,
                      beta: 1, c: op, ldc: u)
          }
          if grouped {
            pass.unitLogits.storage.withUnsafeMutableBufferPointer { units($0.baseAddress!) }
          } else {
            pass.logits.storage.withUnsafeMutableBufferPointer { units($0.baseAddress!) }
          }
        }
      }
    }
    if grouped { group(pass.unitLogits.storage, rows: b, into: &pass.logits.storage) }
  }

  /// Cluster logits from unit logits: `S_c = log Σ_{u ∈ c} exp(s_u)` for `rows` rows.
  func group(_ units: [Float], rows: Int, into out: inout [Float]) {
    guard let classes = unitClasses else { return }
    let u = unitCount, c = classCount
    var top = [Float](repeating: 0, count: c), sum = [Float](repeating: 0, count: c)
    for r in 0..<rows {
      for j in 0..<c { top[j] = -.infinity; sum[j] = 0 }
      for k in 0..<u { top[classes[k]] = Swift.max(top[classes[k]], units[r * u + k]) }
      for k in 0..<u { sum[classes[k]] += _expf(units[r * u + k] - top[classes[k]]) }
      for j in 0..<c { out[r * c + j] = top[j] + _logf(sum[j]) }
    }
  }

  /// Gradient of a loss with respect to ``parameters``, given its gradient
  /// `G = ∂L/∂S` with respect to the logits of the batch in `pass`:
  ///
  ///     ∂L/∂W2 = Gᵀ·H          ∂L/∂b2 = Gᵀ·1
  ///     Δ = (G·W2) ⊙ 1[H > 0]
  ///     ∂L/∂W1 = Δᵀ·X          ∂L/∂b1 = Δᵀ·1
  ///
  /// written over `gradient` (resized to ``parameterCount``) in the layout of
  /// ``parameters``. `pass` is `inout` only to reuse its scratch buffers.
  ///
  /// - Complexity: O(B·hidden·(D + C)), three `cblas_sgemm` and two `cblas_sgemv`.
  public func backward(_ pass: inout Activations, logitGradient: Matrix, into gradient: inout [Float]) {
    let b = pass.input.rows, d = inputDimension, h = hiddenDimension, c = unitCount
    precondition(logitGradient.rows == b && logitGradient.columns == classCount, "logit gradient shape mismatch")
    // A grouped head: ∂L/∂s_u = ∂L/∂S_c · exp(s_u − S_c) for the unit's cluster c.
    if let classes = unitClasses {
      if pass.unitGradient.rows != b || pass.unitGradient.columns != c { pass.unitGradient = Matrix(rows: b, columns: c) }
      for r in 0..<b {
        for k in 0..<c {
          let j = classes[k]
          pass.unitGradient.storage[r * c + k] = logitGradient.storage[r * classCount + j]
            * _expf(pass.unitLogits.storage[r * c + k] - pass.logits.storage[r * classCount + j])
        }
      }
    }
    let logitGradient = unitClasses == nil ? logitGradient : pass.unitGradient
    if gradient.count != parameterCount { gradient = [Float](repeating: 0, count: parameterCount) }
    if pass.hiddenGradient.rows != b || pass.hiddenGradient.columns != h { pass.hiddenGradient = Matrix(rows: b, columns: h) }
    if pass.ones.count < b { pass.ones = [Float](repeating: 1, count: b) }
    let b1Offset = self.b1Offset, w2Offset = self.w2Offset, b2Offset = self.b2Offset
    parameters.withUnsafeBufferPointer { params in
      let w = params.baseAddress!
      gradient.withUnsafeMutableBufferPointer { grad in
        let g = grad.baseAddress!
        logitGradient.storage.withUnsafeBufferPointer { dsBuffer in
          let ds = dsBuffer.baseAddress!
          pass.ones.withUnsafeBufferPointer { onesBuffer in
            let ones = onesBuffer.baseAddress!
            pass.hidden.storage.withUnsafeBufferPointer { hidBuffer in
              let hid = hidBuffer.baseAddress!
              // ∂L/∂W2 = Gᵀ H, ∂L/∂b2 = Gᵀ 1
              BLAS.gemm(m: c, n: h, k: b, a: ds, lda: c, transposeA: true, b: hid, ldb: h, c: g + w2Offset, ldc: h)
              BLAS.gemv(m: b, n: c, a: ds, lda: c, transpose: true, x: ones, y: g + b2Offset)
              pass.hiddenGradient.storage.withUnsafeMutableBufferPointer { deltaBuffer in
                let delta = deltaBuffer.baseAddress!
                // Δ = (G W2) ⊙ 1[H > 0]
                BLAS.gemm(m: b, n: h, k: c, a: ds, lda: c, b: w + w2Offset, ldb: h, c: delta, ldc: h)
                ClusterHead.maskInactive(delta, by: hid, count: b * h)
                pass.input.storage.withUnsafeBufferPointer { x in
                  // ∂L/∂W1 = Δᵀ X, ∂L/∂b1 = Δᵀ 1
                  BLAS.gemm(m: h, n: d, k: b, a: delta, lda: h, transposeA: true, b: x.baseAddress!, ldb: d, c: g, ldc: d)
                }
                BLAS.gemv(m: b, n: h, a: delta, lda: h, transpose: true, x: ones, y: g + b1Offset)
              }
            }
          }
        }
      }
    }
    if b == 0 { for k in 0..<gradient.count { gradient[k] = 0 } }
  }

  // MARK: - Inference over a whole data set

  /// Logits `S = relu(X·W1ᵀ + b1)·W2ᵀ + b2` for every row of `x` (`N × C`),
  /// computed in blocks of `blockRows` so the hidden layer stays small.
  ///
  /// - Complexity: O(N·hidden·(D + C)) time, O(blockRows·hidden) extra memory.
  public func logits(_ x: Matrix, blockRows: Int = 2048) -> Matrix {
    var out = Matrix(rows: x.rows, columns: classCount)
    let c = classCount
    out.storage.withUnsafeMutableBufferPointer { os in
      logitBlocks(x, blockRows: blockRows) { start, rows, block in
        (os.baseAddress! + start * c).update(from: block, count: rows * c)
      }
    }
    return out
  }

  /// Calls `body(start, rows, logits)` for rows `start ..< start + rows` of `x`, block
  /// after block (`logits` is `rows × C`, row-major, valid during the call only): every
  /// per-row summary (argmax, top two) without an `N × C` matrix — 4 GB at 10⁶ rows and
  /// C = 1 000. The blocks are those of ``logits(_:blockRows:)``, so the values are the same bits.
  ///
  /// - Complexity: O(N·hidden·(D + C)) time, O(blockRows·(hidden + C)) extra memory.
  public func logitBlocks(_ x: Matrix, blockRows: Int = 2048,
                          _ body: (_ start: Int, _ rows: Int, _ logits: UnsafeMutablePointer<Float>) -> Void) {
    precondition(x.columns == inputDimension, "features have \(x.columns) columns, head expects \(inputDimension)")
    let n = x.rows, d = inputDimension, h = hiddenDimension, u = unitCount, c = classCount
    let block = max(1, blockRows)
    var hidden = [Float](repeating: 0, count: min(n, block) * h)
    var units = [Float](repeating: 0, count: min(n, block) * u)
    var grouped = [Float](repeating: 0, count: unitClasses == nil ? 0 : min(n, block) * c)
    let b1Offset = self.b1Offset, w2Offset = self.w2Offset, b2Offset = self.b2Offset
    parameters.withUnsafeBufferPointer { params in
      let w = params.baseAddress!
      x.storage.withUnsafeBufferPointer { xs in
        var start = 0
        while start < n {
          let rows = min(block, n - start)
          hidden.withUnsafeMutableBufferPointer { hs in
            units.withUnsafeMutableBufferPointer { us in
              let hp = hs.baseAddress!, op = us.baseAddress!
              for r in 0..<rows { (hp + r * h).update(from: w + b1Offset, count: h) }
              BLAS.gemm(m: rows, n: h, k: d, a: xs.baseAddress! + start * d, lda: d, b: w, ldb: d,
                        transposeB: true, beta: 1, c: hp, ldc: h)
              ClusterHead.relu(hp, count: rows * h)
              for r in 0..<rows { (op + r * u).update(from: w + b2Offset, count: u) }
              BLAS.gemm(m: rows, n: u, k: h, a: hp, lda: h, b: w + w2Offset, ldb: h, transposeB: true,
                        beta: 1, c: op, ldc: u)
            }
          }
          if unitClasses == nil {
            units.withUnsafeMutableBufferPointer { body(start, rows, $0.baseAddress!) }
          } else {
            group(units, rows: rows, into: &grouped)
            grouped.withUnsafeMutableBufferPointer { body(start, rows, $0.baseAddress!) }
          }
          start += rows
        }
      }
    }
  }

  /// Softmax outputs `p_i` for every row of `x` (`N × C`, rows sum to 1).
  ///
  /// - Complexity: as ``logits(_:blockRows:)``.
  public func probabilities(_ x: Matrix, blockRows: Int = 2048) -> Matrix {
    var p = logits(x, blockRows: blockRows)
    ClusterHead.softmaxRows(&p)
    return p
  }

  /// Each row of `logits` ← its softmax (max-shifted, in `Float`).
  public static func softmaxRows(_ p: inout Matrix) {
    let c = p.columns
    guard c > 0 else { return }
    p.storage.withUnsafeMutableBufferPointer { s in
      for r in 0..<(s.count / c) { softmaxRow(s.baseAddress! + r * c, count: c) }
    }
  }

  @inline(__always)
  static func softmaxRow(_ row: UnsafeMutablePointer<Float>, count c: Int) {
    var m = row[0]
    for j in 1..<c where row[j] > m { m = row[j] }
    var sum: Float = 0
    for j in 0..<c { let e = _expf(row[j] - m); row[j] = e; sum += e }
    let inv = 1 / sum
    for j in 0..<c { row[j] *= inv }
  }

  /// The cluster of every row of `x`: `argmax_j p_ij` (the lowest index on ties).
  ///
  /// - Complexity: as ``logits(_:blockRows:)``; memory O(N + blockRows·C).
  public func predict(_ x: Matrix, blockRows: Int = 2048) -> [Int] {
    var out = [Int](repeating: 0, count: x.rows)
    let c = classCount
    logitBlocks(x, blockRows: blockRows) { start, rows, s in
      for r in 0..<rows { out[start + r] = ClusterHead.argmax(s + r * c, count: c) }
    }
    return out
  }

  /// The two largest probabilities of every row of `x` and the first one's cluster — the
  /// per-row summary of ``probabilities(_:blockRows:)`` that margins, confidence and
  /// assignments need — without its `N × C` matrix (equal to ``topTwo(_:row:)`` of it).
  public func topTwo(_ x: Matrix, blockRows: Int = 2048) -> TopTwo {
    let n = x.rows, c = classCount
    var out = TopTwo(argmax: [Int](repeating: 0, count: n), first: [Float](repeating: 0, count: n),
                     second: [Float](repeating: 0, count: n))
    logitBlocks(x, blockRows: blockRows) { start, rows, s in
      for r in 0..<rows {
        let row = s + r * c
        ClusterHead.softmaxRow(row, count: c)
        var first = -Float.infinity, second = -Float.infinity, arg = 0
        for j in 0..<c {
          let v = row[j]
          if v > first { second = first; first = v; arg = j } else if v > second { second = v }
        }
        out.argmax[start + r] = arg
        out.first[start + r] = first
        out.second[start + r] = c == 1 ? first : second
      }
    }
    return out
  }

  /// Per row: the most probable cluster, its probability and the runner-up's.
  public struct TopTwo: Sendable, Equatable {
    public var argmax: [Int]
    public var first: [Float]
    public var second: [Float]
  }

  /// `x ← max(x, 0)`, branch-free so it vectorises (half the signs are
  /// negative: a branch would mispredict).
  @inline(__always)
  static func relu(_ x: UnsafeMutablePointer<Float>, count: Int) {
    for k in 0..<count { x[k] = Swift.max(x[k], 0) }
  }

  /// `δ ← δ ⊙ 1[h > 0]` (the ReLU derivative) for `h = relu(·)`, which is
  /// +0 or positive: a bit mask (`h ≠ +0` ⇔ `h > 0`), so it vectorises.
  @inline(__always)
  static func maskInactive(_ delta: UnsafeMutablePointer<Float>, by hidden: UnsafePointer<Float>, count: Int) {
    let h = UnsafeRawPointer(hidden).assumingMemoryBound(to: UInt32.self)
    let d = UnsafeMutableRawPointer(delta).assumingMemoryBound(to: UInt32.self)
    for k in 0..<count { d[k] &= h[k] == 0 ? 0 : ~0 }
  }

  @inline(__always)
  static func argmax(_ values: [Float], row: Int, columns: Int) -> Int {
    values.withUnsafeBufferPointer { argmax($0.baseAddress! + row * columns, count: columns) }
  }

  /// The first index of the largest of `count` values.
  @inline(__always)
  static func argmax(_ row: UnsafePointer<Float>, count: Int) -> Int {
    var best = 0
    var bestValue = row[0]
    for j in 1..<count where row[j] > bestValue { best = j; bestValue = row[j] }
    return best
  }
}

// MARK: - Surgery: the partition changes, the kept clusters keep their weights

extension ClusterHead {
  /// The same units with their clusters renamed: unit u's cluster becomes `map[class(u)]`
  /// (several clusters mapped to one merges them; see ``unitClasses``). Nothing is refitted:
  /// every unmerged cluster's probability is unchanged, the merged one's is the sum.
  public func regrouped(_ map: [Int]) -> ClusterHead {
    precondition(map.count == classCount, "\(map.count) entries for \(classCount) clusters")
    let classes = (0..<unitCount).map { map[classOf(unit: $0)] }
    let c = (classes.max() ?? -1) + 1
    precondition(Set(classes) == Set(0..<c), "a merge must leave clusters 0..<C, each with a unit")
    return ClusterHead(inputDimension: inputDimension, hiddenDimension: hiddenDimension, classCount: c, unitCount: unitCount,
                       unitClasses: classes == Array(0..<unitCount) ? nil : classes, parameters: parameters)
  }

  /// One more cluster per entry of `donors` (clusters `C, C+1, …`), each with one unit copied
  /// from the first unit of its donor cluster, bias lowered by log 2 (so the donor keeps the
  /// decision until the new unit is fitted).
  public func addingClasses(donors: [Int]) -> ClusterHead {
    let h = hiddenDimension
    var w2 = Array(parameters[w2Offset..<b2Offset]), b2 = Array(parameters[b2Offset...])
    var classes = (0..<unitCount).map(classOf(unit:))
    for (k, g) in donors.enumerated() {
      precondition(g >= 0 && g < classCount, "donor cluster \(g) out of range")
      let u = classes.firstIndex(of: g)!
      w2 += w2[(u * h)..<((u + 1) * h)]
      b2.append(b2[u] - Float(0.6931471805599453))
      classes.append(classCount + k)
    }
    let units = unitCount + donors.count
    return ClusterHead(inputDimension: inputDimension, hiddenDimension: h, classCount: classCount + donors.count,
                       unitCount: units, unitClasses: classes == Array(0..<units) ? nil : classes,
                       parameters: Array(parameters[0..<w2Offset]) + w2 + b2)
  }

  /// Fits the output weights (W2 rows and b2) of `units` alone, every other parameter fixed:
  /// `steps` full-batch Adam steps (learning rate 1e-2) on the class-balanced cross-entropy of
  /// the head's cluster probabilities on `rows` of `features` against `targets` (so a new
  /// cluster of a few samples weighs as much as a large one).
  ///
  /// - Complexity: one forward pass over the rows, then O(steps · R · hidden · |units|).
  public func fittingUnits(_ units: [Int], features: Matrix, rows: [Int], targets: [Int], steps: Int = 200) -> ClusterHead {
    precondition(rows.count == targets.count, "\(targets.count) targets for \(rows.count) rows")
    guard !units.isEmpty, !rows.isEmpty else { return self }
    let r = rows.count, h = hiddenDimension, u = unitCount, c = classCount, k = units.count
    var pass = Activations()
    forward(rows: rows, of: features, into: &pass)
    let hidden = pass.hidden.storage
    // Logits of the fixed units, once (grouped heads keep them in unitLogits).
    let fixed = unitClasses == nil ? pass.logits.storage : pass.unitLogits.storage
    var counts = [Int](repeating: 0, count: c)
    for t in targets { counts[t] += 1 }
    let present = counts.filter { $0 > 0 }.count
    var weights = [Float](repeating: 0, count: r)
    for (i, t) in targets.enumerated() { weights[i] = 1 / Float(present * counts[t]) }
    // Trainable parameters: the k rows of W2 then the k biases.
    var theta = [Float](repeating: 0, count: k * h + k)
    for (m, unit) in units.enumerated() {
      for j in 0..<h { theta[m * h + j] = parameters[w2Offset + unit * h + j] }
      theta[k * h + m] = parameters[b2Offset + unit]
    }
    var optimizer = Adam(parameterCount: theta.count, learningRate: 1e-2)
    var newLogits = [Float](repeating: 0, count: r * k)
    var unitGradient = [Float](repeating: 0, count: r * k)
    var gradient = [Float](repeating: 0, count: theta.count)
    var s = [Float](repeating: 0, count: u), classLogit = [Float](repeating: 0, count: c), p = [Float](repeating: 0, count: c)
    let classes = (0..<u).map(classOf(unit:))
    for _ in 0..<max(0, steps) {
      // New units' logits: H · W_newᵀ + b_new.
      hidden.withUnsafeBufferPointer { hp in
        theta.withUnsafeBufferPointer { tp in
          newLogits.withUnsafeMutableBufferPointer { op in
            BLAS.gemm(m: r, n: k, k: h, a: hp.baseAddress!, lda: h, b: tp.baseAddress!, ldb: h, transposeB: true,
                      c: op.baseAddress!, ldc: k)
          }
        }
      }
      for i in 0..<r {
        for j in 0..<u { s[j] = fixed[i * u + j] }
        for (m, unit) in units.enumerated() { s[unit] = newLogits[i * k + m] + theta[k * h + m] }
        for j in 0..<c { classLogit[j] = -.infinity }
        for j in 0..<u { classLogit[classes[j]] = Swift.max(classLogit[classes[j]], s[j]) }
        var top = -Float.infinity
        for j in 0..<c { top = Swift.max(top, classLogit[j]) }
        var total: Float = 0
        for j in 0..<u { total += _expf(s[j] - top) }
        // ∂(−w log p_t)/∂s_u = w (p_u − 1[class(u) = t] p_u / p_t), p_u the unit's softmax.
        for j in 0..<c { p[j] = 0 }
        for j in 0..<u { p[classes[j]] += _expf(s[j] - top) / total }
        let t = targets[i], pt = Swift.max(p[t], 1e-30)
        for (m, unit) in units.enumerated() {
          let pu = _expf(s[unit] - top) / total
          unitGradient[i * k + m] = weights[i] * (pu - (classes[unit] == t ? pu / pt : 0))
        }
      }
      // ∂W_new = Gᵀ H, ∂b_new = Gᵀ 1.
      unitGradient.withUnsafeBufferPointer { gp in
        hidden.withUnsafeBufferPointer { hp in
          gradient.withUnsafeMutableBufferPointer { dp in
            BLAS.gemm(m: k, n: h, k: r, a: gp.baseAddress!, lda: k, transposeA: true, b: hp.baseAddress!, ldb: h,
                      c: dp.baseAddress!, ldc: h)
          }
        }
      }
      for m in 0..<k {
        var sum: Float = 0
        for i in 0..<r { sum += unitGradient[i * k + m] }
        gradient[k * h + m] = sum
      }
      optimizer.step(&theta, gradient: gradient)
    }
    var out = self
    for (m, unit) in units.enumerated() {
      for j in 0..<h { out.parameters[w2Offset + unit * h + j] = theta[m * h + j] }
      out.parameters[b2Offset + unit] = theta[k * h + m]
    }
    return out
  }
}
