import Foundation
import IDCCore
import Testing

@testable import IDCData

/// One array of every storage kind, with awkward values, for round trips.
let sampleArrays: [(key: String, array: NDArray)] = [
  ("f4", NDArray(shape: [2, 3], storage: .float32([0, -1.5, .pi, .greatestFiniteMagnitude, -0.0, 1e-30]))),
  ("f8", NDArray(shape: [3], storage: .float64([1e300, -2.25, .ulpOfOne]))),
  ("i1", NDArray(shape: [2], storage: .int8([-128, 127]))),
  ("i2", NDArray(shape: [2], storage: .int16([-32768, 32767]))),
  ("i4", NDArray(shape: [2, 1], storage: .int32([.min, .max]))),
  ("i8", NDArray(shape: [2], storage: .int64([.min, .max]))),
  ("u1", NDArray(shape: [1, 2, 2, 1], storage: .uint8([0, 1, 254, 255]))),
  ("u2", NDArray(shape: [1], storage: .uint16([65535]))),
  ("u4", NDArray(shape: [1], storage: .uint32([.max]))),
  ("u8", NDArray(shape: [1], storage: .uint64([.max]))),
  ("b1", NDArray(shape: [3], storage: .bool([true, false, true]))),
  ("U", NDArray(strings: ["cat", "dög", "", "🐟 fish"])),
  ("scalar", NDArray(shape: [], storage: .float64([2.5]))),
  ("empty", NDArray(shape: [0, 4], storage: .float32([]))),
]

@Suite("NPY writer")
struct NPYWriterTests {
  @Test("writer → reader gives back every array", arguments: sampleArrays.map(\.key))
  func roundTrip(key: String) throws {
    let array = try #require(sampleArrays.first { $0.key == key }?.array)
    let directory = TemporaryDirectory()
    let path = directory.file("\(key).npy")
    try NPYWriter.write(array, to: path)
    #expect(try NPYReader.read(path: path) == array)
    #expect(try NPYReader.decode(NPYWriter.encode(array)) == array)
  }

  @Test("headers are version 1.0, padded to 64 bytes, ending in a newline")
  func headerLayout() throws {
    let bytes = NPYWriter.encode(NDArray(Matrix([[1, 2], [3, 4]])))
    #expect(bytes.count == 128 + 16)
    #expect(Array(bytes[0..<10]) == [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, 118, 0])
    #expect(bytes[127] == 0x0A)
    let text = String(decoding: bytes[10..<127], as: UTF8.self).trimmingCharacters(in: .whitespaces)
    #expect(text == "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }")
    #expect(String(decoding: NPYWriter.encode(NDArray(labels: [1]))[10..<128], as: UTF8.self).hasPrefix("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }"))
  }

  @Test("a header longer than 65535 bytes switches to version 2.0")
  func version2() throws {
    let shape = [Int](repeating: 1, count: 22_000)
    let array = NDArray(shape: shape, storage: .int16([7]))
    let bytes = NPYWriter.encode(array)
    #expect(bytes[6] == 2)
    let header = try NPYHeader(prefix: Array(bytes.prefix(bytes.count - 2)), origin: "x")
    #expect(header.dataOffset % 64 == 0 && header.dataOffset == bytes.count - 2)
    #expect(try NPYReader.decode(bytes) == array)
  }

  @Test("a failed write leaves no file behind")
  func failedWrite() {
    let path = "/nonexistent-directory/x.npy"
    #expect(failure { try NPYWriter.write(NDArray(labels: [1]), to: path) } == "\(path): cannot write: No such file or directory")
  }

  @Test("numpy.load reads what the writer wrote", .enabled(if: Python.hasNumPy))
  func numpyReadsBack() throws {
    let directory = TemporaryDirectory()
    for (key, array) in sampleArrays { try NPYWriter.write(array, to: directory.file("\(key).npy")) }
    let output = try Python.run("""
      import sys, numpy as np
      d = sys.argv[1]
      def show(k):
          a = np.load(f"{d}/{k}.npy")
          return f"{k} {a.dtype.str} {a.shape} {a.tolist()!r}"
      for k in sys.argv[2:]:
          print(show(k))
      """, arguments: [directory.path] + sampleArrays.map(\.key))
    let expected = """
      f4 <f4 (2, 3) [[0.0, -1.5, 3.141592502593994], [3.4028234663852886e+38, -0.0, 1.0000000031710769e-30]]
      f8 <f8 (3,) [1e+300, -2.25, 2.220446049250313e-16]
      i1 |i1 (2,) [-128, 127]
      i2 <i2 (2,) [-32768, 32767]
      i4 <i4 (2, 1) [[-2147483648], [2147483647]]
      i8 <i8 (2,) [-9223372036854775808, 9223372036854775807]
      u1 |u1 (1, 2, 2, 1) [[[[0], [1]], [[254], [255]]]]
      u2 <u2 (1,) [65535]
      u4 <u4 (1,) [4294967295]
      u8 <u8 (1,) [18446744073709551615]
      b1 |b1 (3,) [True, False, True]
      U <U6 (4,) ['cat', 'dög', '', '🐟 fish']
      scalar <f8 () 2.5
      empty <f4 (0, 4) []

      """
    #expect(output == expected)
  }
}
