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
  /// `C`, the number of clusters.
  public let classCount: Int
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
    parameters = w1.storage + b1 + w2.storage + b2
  }

  /// Number of scalars in ``parameters``: `hidden·D + hidden + C·hidden + C`.
  public var parameterCount: Int { parameters.count }

  @usableFromInline var b1Offset: Int { hiddenDimension * inputDimension }
  @usableFromInline var w2Offset: Int { b1Offset + hiddenDimension }
  @usableFromInline var b2Offset: Int { w2Offset + classCount * hiddenDimension }

  /// First-layer weights, hidden × D.
  public var w1: Matrix {
    Matrix(rows: hiddenDimension, columns: inputDimension, storage: Array(parameters[0..<b1Offset]))
  }
  /// First-layer bias (hidden).
  public var b1: [Float] { Array(parameters[b1Offset..<w2Offset]) }
  /// Second-layer weights, C × hidden.
  public var w2: Matrix {
    Matrix(rows: classCount, columns: hiddenDimension, storage: Array(parameters[w2Offset..<b2Offset]))
  }
  /// Second-layer bias (C).
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
    let b = pass.input.rows, d = inputDimension, h = hiddenDimension, c = classCount
    precondition(pass.input.columns == d, "batch has \(pass.input.columns) columns, head expects \(d)")
    if pass.hidden.rows != b || pass.hidden.columns != h { pass.hidden = Matrix(rows: b, columns: h) }
    if pass.logits.rows != b || pass.logits.columns != c { pass.logits = Matrix(rows: b, columns: c) }
    let b1Offset = self.b1Offset, w2Offset = self.w2Offset, b2Offset = self.b2Offset
    parameters.withUnsafeBufferPointer { params in
      let w = params.baseAddress!
      pass.input.storage.withUnsafeBufferPointer { x in
        pass.hidden.storage.withUnsafeMutableBufferPointer { hid in
          let hp = hid.baseAddress!
          for r in 0..<b { (hp + r * h).update(from: w + b1Offset, count: h) }
          BLAS.gemm(m: b, n: h, k: d, a: x.baseAddress!, lda: d, b: w, ldb: d, transposeB: true,
                    beta: 1, c: hp, ldc: h)
          ClusterHead.relu(hp, count: b * h)
          pass.logits.storage.withUnsafeMutableBufferPointer { out in
            let op = out.baseAddress!
            for r in 0..<b { (op + r * c).update(from: w + b2Offset, count: c) }
            BLAS.gemm(m: b, n: c, k: h, a: hp, lda: h, b: w + w2Offset, ldb: h, transposeB: true,
                      beta: 1, c: op, ldc: c)
          }
        }
      }
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
    let b = pass.input.rows, d = inputDimension, h = hiddenDimension, c = classCount
    precondition(logitGradient.rows == b && logitGradient.columns == c, "logit gradient shape mismatch")
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
    precondition(x.columns == inputDimension, "features have \(x.columns) columns, head expects \(inputDimension)")
    let n = x.rows, d = inputDimension, h = hiddenDimension, c = classCount
    let block = max(1, blockRows)
    var out = Matrix(rows: n, columns: c)
    var hidden = [Float](repeating: 0, count: min(n, block) * h)
    let b1Offset = self.b1Offset, w2Offset = self.w2Offset, b2Offset = self.b2Offset
    parameters.withUnsafeBufferPointer { params in
      let w = params.baseAddress!
      x.storage.withUnsafeBufferPointer { xs in
        out.storage.withUnsafeMutableBufferPointer { os in
          hidden.withUnsafeMutableBufferPointer { hs in
            let hp = hs.baseAddress!
            var start = 0
            while start < n {
              let rows = min(block, n - start)
              for r in 0..<rows { (hp + r * h).update(from: w + b1Offset, count: h) }
              BLAS.gemm(m: rows, n: h, k: d, a: xs.baseAddress! + start * d, lda: d, b: w, ldb: d,
                        transposeB: true, beta: 1, c: hp, ldc: h)
              ClusterHead.relu(hp, count: rows * h)
              let op = os.baseAddress! + start * c
              for r in 0..<rows { (op + r * c).update(from: w + b2Offset, count: c) }
              BLAS.gemm(m: rows, n: c, k: h, a: hp, lda: h, b: w + w2Offset, ldb: h, transposeB: true,
                        beta: 1, c: op, ldc: c)
              start += rows
            }
          }
        }
      }
    }
    return out
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
      for r in 0..<(s.count / c) {
        let row = s.baseAddress! + r * c
        var m = row[0]
        for j in 1..<c where row[j] > m { m = row[j] }
        var sum: Float = 0
        for j in 0..<c { let e = _expf(row[j] - m); row[j] = e; sum += e }
        let inv = 1 / sum
        for j in 0..<c { row[j] *= inv }
      }
    }
  }

  /// The cluster of every row of `x`: `argmax_j p_ij` (the lowest index on ties).
  public func predict(_ x: Matrix, blockRows: Int = 2048) -> [Int] {
    let s = logits(x, blockRows: blockRows)
    return (0..<s.rows).map { ClusterHead.argmax(s.storage, row: $0, columns: classCount) }
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
    let base = row * columns
    var best = 0
    var bestValue = values[base]
    for j in 1..<columns where values[base + j] > bestValue { best = j; bestValue = values[base + j] }
    return best
  }
}
