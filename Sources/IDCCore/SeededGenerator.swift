/// A small, fast, seedable random number generator (xoshiro256**,
/// Blackman & Vigna 2018), seeded through SplitMix64 so that every seed —
/// 0 included — gives a well-mixed state. Every random step in idc takes one
/// of these, built from an explicit `seed`: same seed, same result.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
  private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

  public init(seed: UInt64) {
    var x = seed
    func splitMix() -> UInt64 {
      x &+= 0x9E37_79B9_7F4A_7C15
      var z = x
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
  }

  public init(seed: Int) { self.init(seed: UInt64(bitPattern: Int64(seed))) }

  public mutating func next() -> UInt64 {
    let result = rotl(s1 &* 5, 7) &* 9
    let t = s1 << 17
    s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
    s2 ^= t
    s3 = rotl(s3, 45)
    return result
  }

  @inline(__always) private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

  /// A uniform integer in `0..<bound`, `next() mod bound` (bias < bound/2⁶⁴, nothing at
  /// the sizes idc draws from) — the one way idc draws a random index, so that k-means++
  /// seeding, random selection, the oracle's noise, batch shuffles and Cop-Kmeans' order all
  /// depend on the seed alone.
  @inline(__always)
  public mutating func nextInt(below bound: Int) -> Int {
    precondition(bound > 0, "nextInt(below:) needs a positive bound")
    return Int(next() % UInt64(bound))
  }

  /// A uniform `Double` in [0, 1).
  public mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

  /// A standard normal sample (Box–Muller).
  public mutating func nextGaussian() -> Double {
    var u = nextUnit()
    while u <= 0 { u = nextUnit() }
    let v = nextUnit()
    return (-2 * _log(u)).squareRoot() * _cos(2 * Double.pi * v)
  }

  /// A derived generator for stream `k` (restarts, per-epoch shuffles, ...).
  public func derived(_ k: Int) -> SeededGenerator {
    var copy = self
    return SeededGenerator(seed: copy.next() ^ (UInt64(truncatingIfNeeded: k) &* 0x9E37_79B9_7F4A_7C15))
  }
}
