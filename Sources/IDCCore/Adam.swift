#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Adam optimiser (Kingma & Ba 2015) with L2 weight decay, step for step
/// what `torch.optim.Adam(params, lr, betas, eps, weight_decay)` does:
///
///     g ← ∇θ + λ·θ                       (L2 decay added to the gradient)
///     m ← m + (1 − β1)·(g − m)           (= β1·m + (1 − β1)·g)
///     v ← β2·v + (1 − β2)·g²
///     θ ← θ − (η / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε)
///
/// with `t` the 1-based step count. Defaults: β = (0.9, 0.999), ε = 1e-8 (the
/// paper's and PyTorch's). The state (`m`, `v`, `t`) covers one flat parameter
/// vector, such as ``ClusterHead/parameters``.
public struct Adam: Sendable, Equatable {
  /// Step size η.
  public var learningRate: Float
  /// Decay rate β1 of the first-moment estimate.
  public var beta1: Float
  /// Decay rate β2 of the second-moment estimate.
  public var beta2: Float
  /// ε added to the denominator.
  public var epsilon: Float
  /// L2 penalty λ added to the gradient (PyTorch `weight_decay`; not AdamW's decoupled decay).
  public var weightDecay: Float
  /// Steps taken so far (`t`).
  public private(set) var stepCount = 0
  /// First-moment estimate `m`.
  public private(set) var firstMoment: [Float]
  /// Second-moment estimate `v`.
  public private(set) var secondMoment: [Float]

  public init(
    parameterCount: Int, learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
    epsilon: Float = 1e-8, weightDecay: Float = 0
  ) {
    precondition(parameterCount >= 0, "negative parameter count")
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.weightDecay = weightDecay
    firstMoment = [Float](repeating: 0, count: parameterCount)
    secondMoment = [Float](repeating: 0, count: parameterCount)
  }

  /// One update of `parameters` with `gradient` (same length as the state).
  ///
  /// - Complexity: O(P), one pass.
  public mutating func step(_ parameters: inout [Float], gradient: [Float]) {
    precondition(parameters.count == firstMoment.count && gradient.count == firstMoment.count,
                 "Adam state has \(firstMoment.count) parameters, got \(parameters.count) and gradient \(gradient.count)")
    stepCount += 1
    let t = Double(stepCount)
    let stepSize = Float(Double(learningRate) / (1 - pow(Double(beta1), t)))
    let correction2Root = Float((1 - pow(Double(beta2), t)).squareRoot())
    let count = parameters.count
    parameters.withUnsafeMutableBufferPointer { theta in
      gradient.withUnsafeBufferPointer { grad in
        firstMoment.withUnsafeMutableBufferPointer { m in
          secondMoment.withUnsafeMutableBufferPointer { v in
            Adam.update(
              count: count, theta: theta.baseAddress!, gradient: grad.baseAddress!, m: m.baseAddress!,
              v: v.baseAddress!, beta1: beta1, beta2: beta2, weightDecay: weightDecay, epsilon: epsilon,
              stepSize: stepSize, correction2Root: correction2Root)
          }
        }
      }
    }
  }

  /// The element-wise update, on raw pointers with every constant passed in,
  /// so the loop vectorises.
  @inline(__always)
  private static func update(
    count: Int, theta: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>,
    m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>, beta1: Float, beta2: Float,
    weightDecay: Float, epsilon: Float, stepSize: Float, correction2Root: Float
  ) {
    let oneMinusB1 = 1 - beta1, oneMinusB2 = 1 - beta2
    for k in 0..<count {
      let g = gradient[k] + weightDecay * theta[k]
      let mk = m[k] + oneMinusB1 * (g - m[k])
      let vk = beta2 * v[k] + oneMinusB2 * g * g
      m[k] = mk
      v[k] = vk
      // `vk ≥ 0`, so `.magnitude` changes nothing but lets LLVM prove the
      // argument non-negative and use vector `sqrtps` instead of calling `sqrtf`.
      theta[k] -= stepSize * mk / (vk.magnitude.squareRoot() / correction2Root + epsilon)
    }
  }
}
