/// Successive batches from random permutations of `0..<count`: a batch is the
/// next `batch` entries of the current permutation; a new permutation is drawn
/// when fewer remain (PyTorch's shuffled `DataLoader` with `drop_last`).
struct PermutationBatches: Sendable {
  private var permutation: [Int]
  private var position: Int
  private let batch: Int
  private var generator: SeededGenerator

  init(count: Int, batch: Int, generator: SeededGenerator) {
    precondition(batch >= 1 && batch <= count, "batch \(batch) for \(count) items")
    permutation = Array(0..<count)
    position = count
    self.batch = batch
    self.generator = generator
  }

  /// Forces a fresh permutation for the next batch (a new epoch of the loader).
  mutating func startEpoch() { position = permutation.count }

  mutating func next() -> [Int] {
    if position + batch > permutation.count {
      PermutationBatches.shuffle(&permutation, &generator)
      position = 0
    }
    defer { position += batch }
    return Array(permutation[position..<(position + batch)])
  }

  /// Fisher–Yates shuffle, written out so the order depends only on the generator.
  static func shuffle(_ a: inout [Int], _ generator: inout SeededGenerator) {
    guard a.count > 1 else { return }
    for i in stride(from: a.count - 1, to: 0, by: -1) {
      a.swapAt(i, generator.nextInt(below: i + 1))
    }
  }
}
