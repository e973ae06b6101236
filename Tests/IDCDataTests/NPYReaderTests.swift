import Foundation
import IDCCore
import Testing

@testable import IDCData

@Suite("NPY reader: dtypes, orders, versions")
struct NPYReaderTests {
  func read(_ name: String) throws -> NDArray { try NPYReader.read(path: TestPaths.fixture(name)) }

  @Test("every dtype, little- and big-endian, reads as 0...5", arguments: ["f4", "f8", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8"])
  func dtypes(code: String) throws {
    var names = ["dtype_\(code).npy"]
    if code != "i1" && code != "u1" { names.append("dtype_be_\(code).npy") }
    for name in names {
      let array = try read(name)
      #expect(array.shape == [2, 3])
      #expect(try array.asMatrix() == Matrix([[0, 1, 2], [3, 4, 5]]), "\(name)")
      #expect(try array.asMatrix().storage.count == 6)
    }
    let expected: NDArray.DType = switch code {
    case "f4": .float32
    case "f8": .float64
    case "i1": .int8
    case "i2": .int16
    case "i4": .int32
    case "i8": .int64
    case "u1": .uint8
    case "u2": .uint16
    case "u4": .uint32
    default: .uint64
    }
    #expect(try read("dtype_\(code).npy").dtype == expected)
  }

  @Test func typedStorage() throws {
    #expect(try read("dtype_be_f8.npy").storage == .float64([0, 1, 2, 3, 4, 5]))
    #expect(try read("dtype_be_i8.npy").storage == .int64([0, 1, 2, 3, 4, 5]))
    #expect(try read("dtype_be_u2.npy").storage == .uint16([0, 1, 2, 3, 4, 5]))
    #expect(try read("dtype_b1.npy").storage == .bool([false, true, false, true, false, true]))
    #expect(try read("dtype_b1.npy").asMatrix() == Matrix([[0, 1, 0], [1, 0, 1]]))
  }

  @Test("Fortran order is transposed into C order")
  func fortranOrder() throws {
    let matrix = try read("fortran_f4.npy").asMatrix()
    #expect(matrix == Matrix(rows: 3, columns: 4, storage: (0..<12).map(Float.init)))
    let cube = try read("fortran_i4_3d.npy")
    #expect(cube.shape == [2, 3, 4])
    #expect(cube.storage == .int32((0..<24).map(Int32.init)))
    let header = try NPYReader.readHeader(path: TestPaths.fixture("fortran_f4.npy"))
    #expect(header.fortranOrder)
  }

  @Test("format versions 1.0, 2.0 and 3.0")
  func versions() throws {
    for (name, major) in [("dtype_f4.npy", 1), ("version2.npy", 2), ("version3.npy", 3)] {
      let header = try NPYReader.readHeader(path: TestPaths.fixture(name))
      #expect(header.majorVersion == major)
      #expect(header.dataOffset % 64 == 0)
      #expect(try read(name).asMatrix() == Matrix([[0, 1, 2], [3, 4, 5]]))
    }
  }

  @Test("scalars, vectors, empty arrays, strings and Python 2 headers")
  func shapes() throws {
    let scalar = try read("scalar_f8.npy")
    #expect(scalar.shape == [] && scalar.storage == .float64([2.5]))
    #expect(scalar.shapeDescription == "scalar")
    #expect(try read("vector_i8.npy").asLabels() == [3, 1, 4, 1, 5])
    let empty = try read("empty_rows_f4.npy")
    #expect(empty.shape == [0, 4])
    #expect(try empty.asMatrix().rows == 0)
    #expect(try read("unicode.npy").asStrings() == ["cat", "dög", ""])
    #expect(try read("bytes.npy").asStrings() == ["ab", "c"])
    #expect(try read("be_unicode.npy").asStrings() == ["hi", "yo"])
    let py2 = try read("py2_header.npy")
    #expect(py2.shape == [2, 1] && py2.storage == .int32([7, 8]))
    #expect(try py2.asLabels() == [7, 8])
  }

  @Test("decoding from memory equals reading the file")
  func decodeFromMemory() throws {
    let path = TestPaths.fixture("fortran_i4_3d.npy")
    let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    #expect(try NPYReader.decode(bytes, origin: "x") == read("fortran_i4_3d.npy"))
  }
}

@Suite("NPY reader: refused and malformed files")
struct NPYReaderErrorTests {
  func message(_ name: String) -> String { failure { try NPYReader.read(path: TestPaths.fixture(name)) } }
  func path(_ name: String) -> String { TestPaths.fixture(name) }

  @Test func objectArraysAreRefusedWithAConversionHint() {
    #expect(message("object.npy") == "\(path("object.npy")): object arrays ('|O', pickled Python objects) are not supported; save a numeric array: np.save(path, np.asarray(x, dtype=np.float32))")
  }

  @Test func structuredArraysAreRefused() {
    #expect(message("structured.npy") == "\(path("structured.npy")): structured dtype (a record array with named fields) is not supported; save each field as a plain array: np.savez(path, **{name: x[name] for name in x.dtype.names})")
  }

  @Test func otherDtypesAreRefused() {
    #expect(message("complex.npy") == "\(path("complex.npy")): complex dtype ('<c8') is not supported; save the real and imaginary parts as float32 columns")
    #expect(message("float16.npy") == "\(path("float16.npy")): float16 ('<f2') is not supported; convert: np.save(path, np.asarray(x, dtype=np.float32))")
    #expect(message("datetime.npy") == "\(path("datetime.npy")): datetime dtype ('<M8[D]') is not supported; convert to numbers, e.g. np.save(path, x.astype('int64'))")
  }

  @Test func truncatedData() {
    #expect(message("truncated.npy") == "\(path("truncated.npy")): truncated: header says 10×3 float32 = 120 bytes, file has 16 after the header")
  }

  @Test func truncatedHeader() {
    #expect(message("truncated_header.npy") == "\(path("truncated_header.npy")): truncated: the header needs 128 bytes, the file has 40")
    #expect(message("tiny.npy") == "\(path("tiny.npy")): truncated: 5 bytes, too short for a .npy header")
    #expect(message("empty.npy") == "\(path("empty.npy")): truncated: 0 bytes, too short for a .npy header")
  }

  @Test func badMagic() {
    #expect(message("bad_magic.npy") == "\(path("bad_magic.npy")): bad magic: not a .npy file (starts with 4E 4F 54 4E 55 4D 50 59, expected 93 4E 55 4D 50 59 = \\x93NUMPY)")
    #expect(message("stored.npz") == "\(path("stored.npz")): bad magic: not a .npy file (starts with 50 4B 03 04 2D 00 00 00, expected 93 4E 55 4D 50 59 = \\x93NUMPY) (this is a zip archive: read it as .npz)")
  }

  @Test func badHeaders() {
    #expect(message("bad_header.npy") == "\(path("bad_header.npy")): bad header: unexpected character '}' at character 55 in {'descr': '<f4', 'fortran_order': False, 'shape': (3, }")
    #expect(message("missing_shape.npy") == "\(path("missing_shape.npy")): bad header: missing key 'shape'")
    #expect(message("bad_fortran.npy") == "\(path("bad_fortran.npy")): bad header: 'fortran_order' must be True or False, got 'no'")
    #expect(message("version4.npy") == "\(path("version4.npy")): unsupported .npy format version 4.0 (supported: 1.0, 2.0, 3.0)")
  }

  @Test func missingFilesAndDirectories() {
    #expect(message("no-such-file.npy") == "\(path("no-such-file.npy")): cannot open: No such file or directory")
    #expect(failure { try NPYReader.read(path: TestPaths.testsDirectory) } == "\(TestPaths.testsDirectory): is a directory, not a file")
  }

  @Test("conversions name the array and say what is wrong")
  func conversions() throws {
    let cube = try NPYReader.read(path: path("features_3d.npy"))
    #expect(failure { try cube.asMatrix() } == "\(path("features_3d.npy")): expected a 2-D array (rows × columns), got shape 2×3×4; flatten it first: x.reshape(len(x), -1)")
    #expect(failure { try NPYReader.read(path: path("vector_i8.npy")).asMatrix() } == "\(path("vector_i8.npy")): expected a 2-D array (rows × columns), got shape 5; save it as rows × columns")
    #expect(failure { try NPYReader.read(path: path("labels_2d.npy")).asLabels() } == "\(path("labels_2d.npy")): expected a 1-D array of labels, got shape 3×2")
    #expect(failure { try NPYReader.read(path: path("labels_fractional.npy")).asLabels() } == "\(path("labels_fractional.npy")): label at index 1 is 1.5, not an integer")
    #expect(try NPYReader.read(path: path("labels_float.npy")).asLabels() == [0, 1, 2])
    #expect(failure { try NPYReader.read(path: path("unicode.npy")).asMatrix() } == "\(path("unicode.npy")): expected a 2-D array (rows × columns), got shape 3; save it as rows × columns")
    #expect(failure { try NPYReader.read(path: path("tiny.features.npy")).asUInt8Images() } == "\(path("tiny.features.npy")): images must be uint8, got float32; convert with np.clip(x * 255, 0, 255).astype(np.uint8) for 0..1 floats")
    #expect(failure { try NPYReader.read(path: path("vector_i8.npy")).asStrings() } == "\(path("vector_i8.npy")): expected strings, got int64")
    let images = try NPYReader.read(path: path("tiny.images_3d.npy")).asUInt8Images()
    #expect(images.shape == [5, 2, 2, 1])
  }
}

@Suite("Fortran transpose")
struct FortranOrderTests {
  @Test func matchesIndexFormula() {
    // shape (2, 3, 4): Fortran offset of (i, j, k) is i + 2j + 6k.
    let shape = [2, 3, 4]
    let fortran = (0..<24).map { $0 }
    let c = NPYReader.fortranToC(fortran, shape: shape)
    var expected: [Int] = []
    for i in 0..<2 { for j in 0..<3 { for k in 0..<4 { expected.append(i + 2 * j + 6 * k) } } }
    #expect(c == expected)
    #expect(NPYReader.fortranToC([1, 2, 3], shape: [3]) == [1, 2, 3])
    #expect(NPYReader.fortranToC([Int](), shape: [0, 5]) == [])
  }
}
