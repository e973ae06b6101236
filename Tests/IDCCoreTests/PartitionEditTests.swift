import Foundation
import Testing
@testable import IDCCore

/// Four well-separated classes in 8 dimensions, clustered as three: classes 2 and 3 share
/// cluster 2 (a cluster that mixes two things), with the head fitted to that clustering.
private struct MixedClusters {
  let z: Matrix
  let labels: [Int]
  let assignment: [Int]
  let head: ClusterHead

  init() throws {
    let (x, labels) = HeadTestSupport.blobs(classes: 4, perClass: 60, dimension: 8, spread: 5, seed: 11)
    z = x.l2NormalizedRows()
    self.labels = labels
    assignment = labels.map { min($0, 2) }
    var trainer = HeadTrainer.defaults
    trainer.hiddenDimension = 32
    trainer.seed = 1
    head = try trainer.fitInitial(features: z, assignment: assignment, classCount: 3).head
  }
}

@Suite("Partition edits: merge, split, new cluster")
struct PartitionEditTests {
  @Test("a merged cluster's probability is the sum of its units'; the grouped backward pass matches central differences")
  func groupedHead() {
    let d = 4, h = 6, u = 4
    let (x, _) = HeadTestSupport.blobs(classes: 3, perClass: 3, dimension: d, seed: 5)
    let plain = ClusterHead(inputDimension: d, hiddenDimension: h, classCount: u, seed: 6)
    let merged = plain.regrouped([0, 1, 1, 2])
    #expect(merged.classCount == 3 && merged.unitCount == 4 && merged.unitClasses == [0, 1, 1, 2])
    #expect(merged.parameters == plain.parameters)
    let p = plain.probabilities(x), q = merged.probabilities(x, blockRows: 4)
    for r in 0..<x.rows {
      #expect(abs(q[r, 0] - p[r, 0]) < 1e-6 && abs(q[r, 1] - p[r, 1] - p[r, 2]) < 1e-6 && abs(q[r, 2] - p[r, 3]) < 1e-6)
    }
    #expect(merged.logits(x) == merged.forward(x).logits)

    let labels = [1, 0, 2, 1, 1], rejected = [1, 2]
    var pass = merged.forward(x)
    var logitGradient = Matrix(rows: x.rows, columns: 3)
    _ = IDCLoss.positive(logits: pass.logits, rows: 0..<5, labels: labels, balanced: true, gradient: &logitGradient)
    _ = IDCLoss.negative(logits: pass.logits, rows: 5..<7, rejected: rejected, gradient: &logitGradient)
    var gradient: [Float] = []
    merged.backward(&pass, logitGradient: logitGradient, into: &gradient)
    let input = LossReference.nested(x)
    func loss(_ theta: [Double]) -> Double {
      let s = HeadTestSupport.referenceLogits(theta, input, d: d, h: h, c: u).map { row in
        [row[0], log(exp(row[1]) + exp(row[2])), row[3]]
      }
      return LossReference.positive(Array(s[0..<5]), labels, balanced: true) + LossReference.negative(Array(s[5..<7]), rejected)
    }
    let numeric = LossReference.numericGradient([plain.parameters.map(Double.init)], h: 1e-6) { loss($0[0]) }[0]
    #expect(LossReference.relativeError(gradient.map(Double.init), numeric) < 1e-2)
    let w2 = (h * d + h)..<(h * d + h + u * h)
    #expect(LossReference.relativeError(gradient[w2].map(Double.init), Array(numeric[w2])) < 1e-2)
  }

  @Test("merge keeps the smallest number, renumbers the rest, and carries answers and candidates over")
  func mergeRenumbers() throws {
    let edit = PartitionEdit.merge([5, 2])
    try edit.validate(classCount: 7)
    #expect(edit.classMap(from: 7) == [0, 1, 2, 3, 4, 2, 5])
    #expect(edit.classCount(after: 7) == 6)
    let z = Matrix(rows: 1, columns: 2, storage: [1, 0])
    #expect(edit.remap(.positive(cluster: 5), anchor: 0, z: z, classCount: 7) == .positive(cluster: 2))
    #expect(edit.remap(.positive(cluster: 6), anchor: 0, z: z, classCount: 7) == .positive(cluster: 5))
    #expect(edit.remap(.negative(rejected: [5, 2, 6]), anchor: 0, z: z, classCount: 7) == .negative(rejected: [2, 5]))
    #expect(edit.remap(clusters: [6, 5, 2, 0], classCount: 7) == [5, 2, 0])
    #expect(try edit.relabel([0, 5, 6, 2], z: Matrix(rows: 4, columns: 2), classCount: 7) == [0, 2, 5, 2])
    #expect(throws: CoreError.self) { try PartitionEdit.merge([1, 1]).validate(classCount: 3) }
    #expect(throws: CoreError.self) { try PartitionEdit.merge([1, 3]).validate(classCount: 3) }
    #expect(throws: CoreError.self) { try PartitionEdit.merge([1]).validate(classCount: 3) }
  }

  @Test("merging in the head keeps every weight; a sample changes cluster only to join the merged one, when its parts outweigh its own")
  func mergeHead() throws {
    let s = try MixedClusters()
    let merged = try PartitionEdit.merge([0, 1]).apply(to: s.head, z: s.z, seed: 0)
    #expect(merged.classCount == 2 && merged.parameters == s.head.parameters)
    let before = s.head.predict(s.z), after = merged.predict(s.z), p = s.head.probabilities(s.z)
    for i in before.indices {
      let joins = p[i, 0] + p[i, 1] > p[i, 2]
      #expect(after[i] == (before[i] <= 1 || joins ? 0 : 1))
    }
  }

  @Test("split: k-means inside the cluster finds its two classes; the head follows, the other clusters keep weights and decisions")
  func split() throws {
    let s = try MixedClusters()
    let edit = try PartitionEdit.split(s.z, assignment: s.assignment, cluster: 2, parts: 2, seed: 0)
    #expect(edit == (try PartitionEdit.split(s.z, assignment: s.assignment, cluster: 2, parts: 2, seed: 0)))
    let relabelled = try edit.relabel(s.assignment, z: s.z, classCount: 3)
    // The parts are the two classes (either way round).
    let members = s.assignment.indices.filter { s.assignment[$0] == 2 }
    let same = members.filter { (relabelled[$0] == 2) == (s.labels[$0] == 2) }.count
    #expect(max(same, members.count - same) == members.count)
    let head = try edit.apply(to: s.head, z: s.z, seed: 0)
    #expect(head.classCount == 4 && head.unitCount == 4)
    // Kept clusters keep their weights: W1, b1 and the old units' rows and biases.
    let old = s.head, w2 = old.w2Offset
    #expect(Array(head.parameters[0..<w2 + 3 * old.hiddenDimension]) == Array(old.parameters[0..<w2 + 3 * old.hiddenDimension]))
    #expect(Array(head.b2[0..<3]) == old.b2)
    let before = s.head.predict(s.z), predicted = head.predict(s.z)
    let followed = members.filter { predicted[$0] == relabelled[$0] }.count
    #expect(Double(followed) / Double(members.count) >= 0.95, "\(followed) of \(members.count) members follow the split")
    let outside = s.z.rows - members.count
    let kept = s.assignment.indices.filter { s.assignment[$0] != 2 && predicted[$0] == before[$0] }.count
    #expect(Double(kept) / Double(outside) >= 0.98, "\(kept) of \(outside) other samples keep their cluster")
    #expect(throws: CoreError.self) { try PartitionEdit.split(s.z, assignment: s.assignment, cluster: 2, parts: 1, seed: 0) }
    #expect(throws: CoreError.self) { try PartitionEdit.split(s.z, assignment: [0, 1] + Array(repeating: 0, count: s.z.rows - 2), cluster: 1, parts: 2, seed: 0) }
  }

  @Test("a new cluster from three answered samples: the class no cluster stood for gets its own, the head follows")
  func newCluster() throws {
    let s = try MixedClusters()
    let anchors = Array(s.labels.indices.filter { s.labels[$0] == 3 }.prefix(3))
    let edit = try PartitionEdit.newCluster(s.z, anchors: anchors)
    let relabelled = try edit.relabel(s.assignment, z: s.z, classCount: 3)
    for a in anchors { #expect(relabelled[a] == 3) }
    let head = try edit.apply(to: s.head, z: s.z, seed: 0)
    #expect(head.classCount == 4)
    let predicted = head.predict(s.z)
    let class3 = s.labels.indices.filter { s.labels[$0] == 3 }
    let found = class3.filter { predicted[$0] == 3 }.count
    #expect(Double(found) / Double(class3.count) >= 0.8, "\(found) of \(class3.count) samples of the new class in the new cluster")
    let before = s.head.predict(s.z)
    let others = s.labels.indices.filter { s.labels[$0] < 2 }
    let kept = others.filter { predicted[$0] == before[$0] }.count
    #expect(Double(kept) / Double(others.count) >= 0.98, "\(kept) of \(others.count) samples of other clusters keep theirs")
    #expect(edit.remap(.negative(rejected: [0, 2]), anchor: 0, z: s.z, classCount: 3) == .negative(rejected: [0, 2]))
    #expect(throws: CoreError.self) { try PartitionEdit.newCluster(s.z, anchors: []) }
    #expect(throws: CoreError.self) { try PartitionEdit.newCluster(s.z, anchors: [s.z.rows]) }
  }
}
