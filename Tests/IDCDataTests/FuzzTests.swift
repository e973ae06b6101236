import Foundation
import IDCCore
import Testing

@testable import IDCData

/// Truncated and mutated inputs must give a `DataError` or a valid array,
/// never a crash, a hang or another kind of error.
@Suite("Fuzzing the readers with cut and mutated bytes")
struct FuzzTests {
  func bytes(_ name: String) throws -> [UInt8] {
    Array(try Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture(name))))
  }

  /// `body`'s outcome: "ok", "DataError", or the unexpected error.
  func outcome(_ body: () throws -> Void) -> String {
    do {
      try body()
      return "ok"
    } catch is DataError {
      return "DataError"
    } catch {
      return "unexpected \(type(of: error)): \(error)"
    }
  }

  /// `original` with 1–4 random bytes replaced, and sometimes cut short.
  /// With `tail`, half the replacements fall in the last `tail` bytes (a zip's
  /// central directory and end records).
  func mutated(_ original: [UInt8], _ generator: inout SeededGenerator, tail: Int = 0) -> [UInt8] {
    var copy = original
    for _ in 0..<Int.random(in: 1...4, using: &generator) {
      let inTail = tail > 0 && Bool.random(using: &generator)
      let at = inTail ? copy.count - 1 - Int.random(in: 0..<min(tail, copy.count), using: &generator) : Int.random(in: 0..<copy.count, using: &generator)
      copy[at] = Bool.random(using: &generator) ? UInt8.random(in: 0...255, using: &generator) : [0x00, 0xFF, 0x7F, 0x80][Int.random(in: 0..<4, using: &generator)]
    }
    if Int.random(in: 0..<4, using: &generator) == 0 { copy.removeLast(Int.random(in: 0..<copy.count, using: &generator)) }
    return copy
  }

  @Test(".npy: every prefix and 400 mutations", arguments: ["dtype_f4.npy", "fortran_i4_3d.npy", "unicode.npy", "version3.npy", "py2_header.npy", "dtype_be_f8.npy"])
  func npy(name: String) throws {
    let original = try bytes(name)
    for length in 0..<original.count {
      #expect(outcome { _ = try NPYReader.decode(Array(original.prefix(length))) } == "DataError", "prefix \(length)")
    }
    var generator = SeededGenerator(seed: name.utf8.reduce(0) { $0 &* 31 &+ Int($1) })
    for round in 0..<400 {
      let result = outcome { _ = try NPYReader.decode(mutated(original, &generator)) }
      #expect(result == "ok" || result == "DataError", "round \(round)")
    }
  }

  @Test(".npz: every third prefix and 400 mutations", arguments: ["stored.npz", "deflated.npz", "zip64.npz"])
  func npz(name: String) throws {
    let original = try bytes(name)
    let directory = TemporaryDirectory()
    let path = directory.file("fuzz.npz")
    func check(_ data: [UInt8], _ note: String) throws {
      try Data(data).write(to: URL(fileURLWithPath: path))
      let result = outcome { _ = try NPZArchive(path: path).arrays() }
      #expect(result == "ok" || result == "DataError", "\(note)")
    }
    for length in stride(from: 0, to: original.count, by: 3) { try check(Array(original.prefix(length)), "prefix \(length)") }
    var generator = SeededGenerator(seed: name.count)
    for round in 0..<400 { try check(mutated(original, &generator, tail: 250), "round \(round)") }
  }

  @Test("CSV: 400 mutations of a table with a header, comments and labels")
  func csv() throws {
    let original = try bytes("iris_like.csv")
    var generator = SeededGenerator(seed: 7)
    for round in 0..<400 {
      let text = String(decoding: mutated(original, &generator), as: UTF8.self)
      let result = outcome { _ = try CSVReader.parse(text, options: .init(labelColumn: .last)) }
      #expect(result == "ok" || result == "DataError", "round \(round)")
    }
  }

  @Test("headers with absurd lengths and shapes are refused before allocating")
  func absurdHeaders() {
    var huge = NPYWriter.encode(NDArray(labels: [1]))
    huge[8] = 0xFF
    huge[9] = 0xFF
    #expect(failure { try NPYReader.decode(huge, origin: "x") } == "x: truncated: the header needs 65545 bytes, the file has 136")
    let shape = NPYHeader.encode(descr: "<f8", shape: [1 << 40, 1 << 40])
    #expect(failure { try NPYReader.decode(shape, origin: "x") } == "x: bad header: shape 1099511627776×1099511627776 is too large")
    let big = NPYHeader.encode(descr: "<f8", shape: [1 << 28, 1 << 28])
    #expect(failure { try NPYReader.decode(big, origin: "x") } == "x: truncated: header says 268435456×268435456 float64 = 576460752303423488 bytes, file has 0 after the header")
  }
}
