import Foundation
import IDCCore
import Testing

@testable import IDCData

@Suite("NPZ archives")
struct NPZArchiveTests {
  func fixture(_ name: String) throws -> NDArray { try NPYReader.read(path: TestPaths.fixture(name)) }

  @Test("np.savez, np.savez_compressed and full ZIP64 archives read", arguments: ["stored.npz", "deflated.npz", "zip64.npz"])
  func numpyArchives(name: String) throws {
    let archive = try NPZArchive(path: TestPaths.fixture(name))
    #expect(Array(archive.keys.prefix(2)) == ["features", "labels"])
    #expect(try archive.array("features") == fixture("tiny.features.npy"))
    #expect(try archive.array("labels.npy") == fixture("tiny.labels.npy"))
    #expect(try archive.array("features").origin == "\(TestPaths.fixture(name))[features]")
    if name != "zip64.npz" {
      #expect(try archive.array("images") == fixture("tiny.images.npy"))
    }
  }

  @Test func keysAndDefaultNames() throws {
    let deflated = try NPZArchive(path: TestPaths.fixture("deflated.npz"))
    #expect(deflated.keys == ["features", "labels", "images", "classes"])
    #expect(try deflated.array("classes").asStrings() == ["a", "b", "c"])
    let single = try NPZArchive(path: TestPaths.fixture("single.npz"))
    #expect(single.keys == ["arr_0"])
    #expect(try single.arrays().map(\.array) == [NDArray(shape: [4], storage: .int32([0, 1, 2, 3]))])
  }

  @Test func malformedArchives() {
    func message(_ name: String) -> String { failure { try NPZArchive(path: TestPaths.fixture(name)).arrays() } }
    let p = TestPaths.fixture
    #expect(failure { try NPZArchive(path: p("stored.npz")).array("weights") } == "\(p("stored.npz")): no array named 'weights'; arrays: features, labels, images")
    #expect(message("truncated.npz") == "\(p("truncated.npz")): not a .npz (zip) archive: no end-of-central-directory record (or the file is truncated)")
    #expect(message("not_zip.npz") == "\(p("not_zip.npz")): not a .npz (zip) archive: no end-of-central-directory record (or the file is truncated)")
    #expect(message("empty.npy") == "\(p("empty.npy")): empty file, not a .npz archive")
    #expect(message("tiny.features.npy") == "\(p("tiny.features.npy")): not a .npz (zip) archive: this is a .npy file, read it as .npy")
    #expect(message("corrupt.npz") == "\(p("corrupt.npz"))[features]: corrupt archive member: CRC-32 mismatch")
    #expect(message("member_truncated.npz") == "\(p("member_truncated.npz"))[features]: truncated: header says 10×3 float32 = 120 bytes, file has 16 after the header")
    #expect(message("missing.npz") == "\(p("missing.npz")): cannot open: No such file or directory")
  }

  @Test("writer → reader, stored and deflated", arguments: [false, true])
  func roundTrip(compressed: Bool) throws {
    let directory = TemporaryDirectory()
    let path = directory.file("all.npz")
    try NPZArchive.write(sampleArrays, to: path, compressed: compressed)
    let archive = try NPZArchive(path: path)
    #expect(archive.keys == sampleArrays.map(\.key))
    for (key, array) in sampleArrays { #expect(try archive.array(key) == array, "\(key)") }
  }

  @Test("a large member streams through several chunks and compresses")
  func largeMember() throws {
    let directory = TemporaryDirectory()
    let matrix = Matrix(rows: 3000, columns: 50, storage: (0..<150_000).map { Float($0 % 977) * 0.5 })
    try NPZArchive.write([("x", NDArray(matrix))], to: directory.file("stored.npz"))
    try NPZArchive.write([("x", NDArray(matrix))], to: directory.file("deflated.npz"), compressed: true)
    for name in ["stored.npz", "deflated.npz"] {
      #expect(try NPZArchive(path: directory.file(name)).array("x").asMatrix() == matrix)
    }
    let size = { (name: String) in (try? FileManager.default.attributesOfItem(atPath: directory.file(name))[.size] as? Int) ?? 0 }
    #expect(size("deflated.npz") < size("stored.npz") / 2)
  }

  @Test func writingReplacesAnExistingFileAndChecksKeys() throws {
    let directory = TemporaryDirectory()
    let path = directory.file("x.npz")
    try NPZArchive.write([("a", NDArray(labels: [1]))], to: path)
    try NPZArchive.write([("b", NDArray(labels: [2]))], to: path)
    #expect(try NPZArchive(path: path).keys == ["b"])
    #expect(failure { try NPZArchive.write([("a", NDArray(labels: [1])), ("a", NDArray(labels: [2]))], to: path) } == "\(path): two arrays named 'a'")
    #expect(failure { try NPZArchive.write([("", NDArray(labels: [1]))], to: path) } == "\(path): an array needs a non-empty name")
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["x.npz"])
  }

  @Test("numpy.load reads what the writer wrote", .enabled(if: Python.hasNumPy), arguments: [false, true])
  func numpyReadsBack(compressed: Bool) throws {
    let directory = TemporaryDirectory()
    let path = directory.file("all.npz")
    try NPZArchive.write(sampleArrays, to: path, compressed: compressed)
    let output = try Python.run("""
      import sys, zipfile, numpy as np
      z = np.load(sys.argv[1])
      print(" ".join(z.files))
      print(z["f4"].dtype.str, z["f4"].shape, z["f4"].tolist())
      print(z["U"].tolist(), z["b1"].tolist(), z["u8"].tolist(), z["scalar"].tolist())
      print(sorted({i.compress_type for i in zipfile.ZipFile(sys.argv[1]).infolist()}))
      """, arguments: [path])
    let method = compressed ? 8 : 0
    #expect(output == """
      f4 f8 i1 i2 i4 i8 u1 u2 u4 u8 b1 U scalar empty
      <f4 (2, 3) [[0.0, -1.5, 3.141592502593994], [3.4028234663852886e+38, -0.0, 1.0000000031710769e-30]]
      ['cat', 'dög', '', '🐟 fish'] [True, False, True] [18446744073709551615] 2.5
      [\(method)]

      """)
  }
}
