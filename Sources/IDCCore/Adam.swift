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
    let oneMinusB1 = 1 - beta1, b2 = beta2, oneMinusB2 = 1 - beta2
    let lambda = weightDecay, eps = epsilon
    let count = parameters.count
    parameters.withUnsafeMutableBufferPointer { theta in
      gradient.withUnsafeBufferPointer { grad in
        firstMoment.withUnsafeMutableBufferPointer { m in
          secondMoment.withUnsafeMutableBufferPointer { v in
            for k in 0..<count {
              let g = lambda == 0 ? grad[k] : grad[k] + lambda * theta[k]
              m[k] += oneMinusB1 * (g - m[k])
              v[k] = b2 * v[k] + oneMinusB2 * g * g
              let denominator = v[k].squareRoot() / correction2Root + eps
              theta[k] -= stepSize * m[k] / denominator
            }
          }
        }
      }
    }
  }
}
