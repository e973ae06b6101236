#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import IDCCore

@Suite("Adam")
struct AdamTests {
  /// Kingma & Ba's update with L2 decay, in Double, for one scalar.
  static func reference(theta: Double, gradients: [Double], lr: Double, wd: Double) -> Double {
    var theta = theta, m = 0.0, v = 0.0
    for (t, raw) in gradients.enumerated() {
      let g = raw + wd * theta
      m = 0.9 * m + 0.1 * g
      v = 0.999 * v + 0.001 * g * g
      let mHat = m / (1 - _exp(Double(t + 1) * _log(0.9)))
      let vHat = v / (1 - _exp(Double(t + 1) * _log(0.999)))
      theta -= lr * mHat / (vHat.squareRoot() + 1e-8)
    }
    return theta
  }

  @Test("steps follow the bias-corrected update with L2 weight decay")
  func matchesReference() {
    let gradients: [[Float]] = [[0.5, -2, 0, 1e-3], [0.4, -1, 0.1, -1e-3], [-0.3, 3, 0, 1e-3]]
    var theta: [Float] = [1, -0.5, 0.25, 2]
    let start = theta
    var adam = Adam(parameterCount: 4, learningRate: 0.01, weightDecay: 0.1)
    for g in gradients { adam.step(&theta, gradient: g) }
    #expect(adam.stepCount == 3)
    for k in 0..<4 {
      let expected = Self.reference(theta: Double(start[k]), gradients: gradients.map { Double($0[k]) }, lr: 0.01, wd: 0.1)
      #expect(abs(Double(theta[k]) - expected) < 1e-6, "parameter \(k): \(theta[k]) vs \(expected)")
    }
  }

  @Test("the first step moves every parameter by about lr, whatever the gradient's scale")
  func firstStepSize() {
    var theta: [Float] = [0, 0, 0]
    var adam = Adam(parameterCount: 3, learningRate: 1e-3)
    adam.step(&theta, gradient: [1e-4, -50, 3])
    #expect(abs(theta[0] + 1e-3) < 1e-6 && abs(theta[1] - 1e-3) < 1e-6 && abs(theta[2] + 1e-3) < 1e-6)
  }

  @Test("minimises a badly scaled quadratic")
  func minimisesQuadratic() {
    let scales: [Float] = [1, 10, 100]
    var theta: [Float] = [3, -2, 1]
    var adam = Adam(parameterCount: 3, learningRate: 0.05)
    for _ in 0..<2000 {
      adam.step(&theta, gradient: (0..<3).map { scales[$0] * (theta[$0] - 1) })
    }
    #expect(theta.allSatisfy { abs($0 - 1) < 1e-2 })
  }

  @Test("zero gradient and zero decay leave parameters where they are")
  func zeroGradient() {
    var theta: [Float] = [1, 2]
    var adam = Adam(parameterCount: 2)
    adam.step(&theta, gradient: [0, 0])
    #expect(theta == [1, 2])
    var decayed = Adam(parameterCount: 2, weightDecay: 0.5)
    decayed.step(&theta, gradient: [0, 0])
    #expect(theta[0] < 1 && theta[1] < 2)
  }

  @Test("three steps of head + IDC losses + Adam match PyTorch (scripts/torch-head-parity.py)")
  func pytorchParity() {
    let d = 3, h = 4, c = 3
    var head = ClusterHead(inputDimension: d, hiddenDimension: h, classCount: c, seed: 0)
    head.parameters = (0..<head.parameterCount).map { Float(0.5 * sin(1.3 * Double($0) + 0.7)) }
    let x = Matrix(rows: 7, columns: d, storage: (0..<(7 * d)).map { Float(cos(0.9 * Double($0) + 0.2)) })
    var adam = Adam(parameterCount: head.parameterCount, learningRate: 0.01, weightDecay: 1e-4)
    let torchLosses = [2.18213606, 2.25902796, 2.20554733], torchConfident = [1, 2, 2]
    var pass = ClusterHead.Activations()
    var gradient: [Float] = []
    for step in 0..<3 {
      pass = head.forward(x)
      var g = Matrix(rows: 7, columns: c)
      var loss = IDCLoss.positive(logits: pass.logits, rows: 0..<2, labels: [0, 2], balanced: true, gradient: &g)
      loss += IDCLoss.negative(logits: pass.logits, rows: 2..<4, rejected: [1, 0], gradient: &g)
      let reg = IDCLoss.regularization(logits: pass.logits, rows: 4..<7, threshold: 0.4, balanced: true, gradient: &g)
      loss += reg.value
      #expect(abs(loss - torchLosses[step]) < 1e-5, "step \(step): \(loss) vs \(torchLosses[step])")
      #expect(reg.confidentCount == torchConfident[step])
      head.backward(&pass, logitGradient: g, into: &gradient)
      adam.step(&head.parameters, gradient: gradient)
    }
    let torchParameters: [Float] = [
      0.292383075, 0.424831212, -0.108282931, -0.526364088, -0.216939464, 0.402719259, 0.371013641, -0.212718576,
      -0.525460124, -0.0527773462, 0.482970893, 0.295649707, -0.308776021, -0.445105821, 0.0515304953, 0.516552925,
      0.265690237, -0.390387803, -0.400251538, 0.161283195, 0.470176995, 0.106468976, -0.456614733, -0.394095689,
      0.202675611, 0.517523348, 0.05587437, -0.445591897, -0.25319767, 0.292464912, 0.484482318,
    ]
    for (k, (ours, theirs)) in zip(head.parameters, torchParameters).enumerated() {
      #expect(abs(ours - theirs) < 2e-6, "parameter \(k): \(ours) vs \(theirs)")
    }
  }
}
