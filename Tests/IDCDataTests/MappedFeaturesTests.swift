import Foundation
import IDCCore
import Testing

@testable import IDCData

@Suite("Memory-mapped .npy features")
struct MappedFeaturesTests {
  /// A seeded 3 000 × 24 float32 matrix with a few zero rows, written as `.npy`.
  static func write(_ directory: TemporaryDirectory, rows: Int = 3_000, columns: Int = 24) throws -> (String, Matrix) {
    var rng = SeededGenerator(seed: 7)
    var x = Matrix(rows: rows, columns: columns)
    for i in 0..<rows where i % 500 != 3 { for j in 0..<columns { x[i, j] = Float(rng.nextGaussian()) * Float(1 + i % 7) } }
    let path = directory.file("features.npy")
    try NPYWriter.write(NDArray(x), to: path)
    return (path, x)
  }

  @Test("a mapped file gives the matrix, the normalised copy and the checks of a file read into memory, bit for bit")
  func sameAsInMemory() throws {
    let directory = TemporaryDirectory()
    let (path, x) = try Self.write(directory)
    let mapped = try DataSet.load(features: path, mapped: .on)
    let memory = try DataSet.load(features: path, mapped: .off)
    #expect(mapped.features.isMapped && !memory.features.isMapped)
    #expect(!(try DataSet.load(features: path)).features.isMapped, "auto maps from 256 MiB only")
    #expect(mapped.count == 3_000 && mapped.dimension == 24)
    #expect(try mapped.features.matrix() == x)
    let z = try mapped.features.l2NormalizedRows()
    let zm = try memory.features.l2NormalizedRows()
    #expect(z == x.l2NormalizedRows() && z == zm)
    #expect(try mapped.features.firstNonFinite() == nil)
    // Blocks of any size visit every row once, in order.
    if case .mapped(let file) = mapped.features {
      var seen: [Int] = []
      try file.forEachBlock(rowsPerBlock: 7) { first, block in
        #expect(block.count % 24 == 0)
        seen += Array(first ..< first + block.count / 24)
      }
      #expect(seen == Array(0..<3_000))
    }
  }

  @Test("NaN in a mapped file is refused with its position, as in memory; other dtypes are read into memory")
  func badValuesAndOtherTypes() throws {
    let directory = TemporaryDirectory()
    var x = Matrix(rows: 40, columns: 5, repeating: 1)
    x[31, 2] = .nan
    let path = directory.file("nan.npy")
    try NPYWriter.write(NDArray(x), to: path)
    for mapping in [FeatureMatrix.Mapping.on, .off] {
      #expect(throws: DataError.self) { try DataSet.load(features: path, mapped: mapping) }
      do {
        _ = try DataSet.load(features: path, mapped: mapping)
      } catch let error as DataError {
        #expect("\(error)".contains("NaN at row 31, column 2"), "\(error)")
      }
    }
    let doubles = directory.file("f8.npy")
    try NPYWriter.write(NDArray(shape: [3, 2], storage: .float64([1, 2, 3, 4, 5, 6])), to: doubles)
    #expect(!(try DataSet.load(features: doubles, mapped: .on)).features.isMapped)
  }

  @Test("a file rewritten in place after loading is refused, not read half old and half new")
  func rewrittenFileIsRefused() throws {
    let directory = TemporaryDirectory()
    let (path, x) = try Self.write(directory)
    let data = try DataSet.load(features: path, mapped: .on)
    // Replaced by a rename (idc's own writers, many tools): the old contents stay mapped.
    try NPYWriter.write(NDArray(Matrix(rows: 10, columns: 24, repeating: 2)), to: path)
    #expect(try data.features.matrix() == x)
    let inPlace = try DataSet.load(features: path, mapped: .on)
    // What np.save to the same path does: truncate, then write another array.
    let handle = try #require(FileHandle(forWritingAtPath: path))
    try handle.truncate(atOffset: 0)
    try handle.write(contentsOf: Data(NPYWriter.encode(NDArray(Matrix(rows: 5, columns: 24, repeating: 3)))))
    try handle.close()
    #expect(throws: DataError.self) { try inPlace.features.matrix() }
    let data2 = inPlace
    do {
      _ = try data2.features.l2NormalizedRows()
    } catch let error as DataError {
      #expect("\(error)".contains("changed on disk since it was loaded"), "\(error)")
    }
  }
}
