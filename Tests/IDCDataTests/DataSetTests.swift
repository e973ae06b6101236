import Foundation
import IDCCore
import Testing

@testable import IDCData

@Suite("Data sets: loading and validation")
struct DataSetTests {
  let p = TestPaths.fixture

  @Test("a JSON sidecar names features, labels, images, texts and classes")
  func sidecar() throws {
    let data = try DataSet.load(json: p("tiny.json"))
    #expect(data.name == "tiny" && data.count == 5 && data.dimension == 3)
    #expect(try data.features.matrix() == (try NPYReader.read(path: p("tiny.features.npy")).asMatrix()))
    #expect(data.labels == [0, 1, 2, 1, 0])
    #expect(data.classNames == ["a", "b", "c"])
    #expect(data.images?.shape == [5, 2, 2, 1])
    #expect(data.texts == ["zero", "one", "two", "three", "four"])
    #expect(try DataSet.load(path: p("tiny.json")).labels == data.labels)
  }

  @Test("explicit files: .npy features, text labels with a header, 3-D images")
  func explicitFiles() throws {
    let data = try DataSet.load(features: p("tiny.features.npy"), labels: p("tiny.labels.txt"), images: p("tiny.images_3d.npy"))
    #expect(data.name == "tiny")
    #expect(data.labels == [0, 1, 2, 1, 0] && data.classNames == nil)
    #expect(data.images?.shape == [5, 2, 2, 1])
    let named = try DataSet.load(features: p("tiny.features.npy"), labels: p("tiny.labels.npy"), classNames: ["x", "y", "z"], name: "t")
    #expect(named.name == "t" && named.classNames == ["x", "y", "z"])
  }

  @Test(".npz archives: features plus whatever else they hold", arguments: ["stored.npz", "deflated.npz"])
  func npzDataSet(name: String) throws {
    let data = try DataSet.load(path: p(name))
    #expect(data.name == name.replacingOccurrences(of: ".npz", with: ""))
    #expect(data.count == 5 && data.labels == [0, 1, 2, 1, 0])
    #expect(data.images?.shape == [5, 2, 2, 1])
    #expect(data.classNames == (name == "deflated.npz" ? ["a", "b", "c"] : nil))
  }

  @Test("CSV features with a label column of names")
  func csvDataSet() throws {
    let data = try DataSet.load(features: p("iris_like.csv"), csv: .init(labelColumn: .name("species")))
    #expect(data.name == "iris_like" && data.count == 4 && data.dimension == 2)
    #expect(data.labels == [0, 0, 2, 1] && data.classNames == ["setosa", "versicolor", "virginica"])
  }

  @Test("writeNPZ → load gives back every part; numpy reads it", arguments: [false, true])
  func writeNPZRoundTrip(compressed: Bool) throws {
    let directory = TemporaryDirectory()
    let original = try DataSet.load(json: p("tiny.json"))
    let path = directory.file("tiny.npz")
    try original.writeNPZ(to: path, compressed: compressed)
    let copy = try DataSet.load(path: path)
    #expect(try copy.features.matrix() == original.features.matrix() && copy.labels == original.labels)
    #expect(copy.classNames == original.classNames && copy.texts == original.texts)
    #expect(copy.images == original.images)
    #expect(try NPZArchive(path: path).keys == ["features", "labels", "images", "classes", "texts"])
    if Python.hasNumPy {
      let output = try Python.run("""
        import sys, numpy as np
        z = np.load(sys.argv[1])
        print(*[f"{k}:{z[k].dtype.str}:{z[k].shape}" for k in z.files])
        """, arguments: [path])
      #expect(output == "features:<f4:(5, 3) labels:<i8:(5,) images:|u1:(5, 2, 2, 1) classes:<U1:(3,) texts:<U5:(5,)\n")
    }
  }

  @Test("every inconsistency is an error naming the file")
  func validationErrors() throws {
    #expect(failure { try DataSet.load(json: p("tiny_mismatch.json")) } == "\(p("tiny.labels_short.npy")): features have 5 rows but labels have 4")
    #expect(failure { try DataSet.load(features: p("tiny.features.npy"), images: p("tiny.images.npy"), texts: p("tiny.labels.txt")) } == "\(p("tiny.labels.txt")): features have 5 rows but texts have 6")
    #expect(failure { try DataSet.load(features: p("tiny.features.npy"), images: p("dtype_u1.npy")) } == "\(p("dtype_u1.npy")): images must have shape N×H×W×C or N×H×W, got 2×3")
    #expect(failure { try DataSet.load(features: p("dtype_f4.npy"), images: p("tiny.images.npy")) } == "\(p("tiny.images.npy")): features have 2 rows but images have 5")
    #expect(failure { try DataSet.load(features: p("nan_features.npy")) } == "\(p("nan_features.npy")): NaN at row 2, column 1 (0-based)")
    #expect(failure { try DataSet.load(features: p("inf_features.npy")) } == "\(p("inf_features.npy")): -Inf at row 0, column 2 (0-based)")
    #expect(failure { try DataSet.load(features: p("nan.csv")) } == "\(p("nan.csv")): NaN at row 1, column 1 (0-based)")
    #expect(failure { try DataSet.load(features: p("empty_rows_f4.npy")) } == "\(p("empty_rows_f4.npy")): empty: no rows")
    #expect(failure { try DataSet.load(features: p("features_3d.npy")) } == "\(p("features_3d.npy")): expected a 2-D array (rows × columns), got shape 2×3×4; flatten it first: x.reshape(len(x), -1)")
    #expect(failure { try DataSet.load(features: p("tiny.features.npy"), labels: p("labels_fractional.npy")) } == "\(p("labels_fractional.npy")): label at index 1 is 1.5, not an integer")
    #expect(failure { try DataSet.load(features: p("tiny.features.npy"), labels: p("tiny.labels.npy"), classNames: ["a", "b"]) } == "\(p("tiny.labels.npy")): label 2 at row 2 has no class name (2 classes, ids 0...1)")
    #expect(failure { try DataSet.load(features: p("README.bin")) } == "\(p("README.bin")): unknown file type for features (use .npy, .npz, .csv, .tsv or a .json sidecar)")
    #expect(failure { try DataSet.load(features: p("tiny.features.npy"), images: p("tiny.texts.txt")) } == "\(p("tiny.texts.txt")): unknown file type for images (use .npy or .npz)")
    #expect(failure { try DataSet.load(json: p("tiny_nofiles.json")) } == "\(p("tiny_nofiles.json")): missing \"files\": {\"features\": \"<file>\", ...}")
    #expect(failure { try DataSet.load(json: p("tiny_invalid.json")) }.hasPrefix("\(p("tiny_invalid.json")): invalid JSON: "))
    #expect(failure { try DataSet(name: "t", features: Matrix(rows: 2, columns: 0)) } == "t features: empty: no feature columns")
    #expect(failure { try DataSet(name: "t", features: Matrix([[1], [2]]), texts: ["a"]) } == "t texts: features have 2 rows but texts have 1")
  }

  @Test("an .npz data set names the member in errors")
  func npzMemberErrors() throws {
    let directory = TemporaryDirectory()
    let path = directory.file("bad.npz")
    try NPZArchive.write([("features", NDArray(Matrix([[1], [2]]))), ("labels", NDArray(labels: [0]))], to: path)
    #expect(failure { try DataSet.load(path: path) } == "\(path)[labels]: features have 2 rows but labels have 1")
    try NPZArchive.write([("a", NDArray(Matrix([[1]]))), ("b", NDArray(labels: [0]))], to: path)
    #expect(failure { try DataSet.load(path: path) } == "\(path): no array named 'features'; arrays: a, b")
  }
}

@Suite("Data sets: built-in names")
struct BuiltinDataSetTests {
  /// A directory holding `examples/data/toy.npz`.
  func makeTree() throws -> TemporaryDirectory {
    let directory = TemporaryDirectory()
    let data = directory.path + "/examples/data"
    try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
    try DataSet.load(json: TestPaths.fixture("tiny.json")).writeNPZ(to: data + "/toy.npz")
    return directory
  }

  @Test("IDC_DATA_DIR, executable-relative and working-directory places")
  func searchPlaces() throws {
    let tree = try makeTree()
    let data = tree.path + "/examples/data"
    let byEnvironment = DataSetSearchPath(environment: ["IDC_DATA_DIR": "/nonexistent:" + data], currentDirectory: "/", executablePath: nil)
    #expect(try DataSet.builtin("toy", search: byEnvironment).name == "toy")
    #expect(byEnvironment.directories == [data])
    #expect(byEnvironment.names == ["toy"])

    try FileManager.default.createDirectory(atPath: tree.path + "/a/b/c", withIntermediateDirectories: true)
    let byWalkingUp = DataSetSearchPath(environment: [:], currentDirectory: tree.path + "/a/b/c", executablePath: nil)
    #expect(byWalkingUp.locate("toy") == data + "/toy.npz")

    let bySwiftPMLayout = DataSetSearchPath(environment: [:], currentDirectory: "/", executablePath: tree.path + "/.build/debug/idc")
    #expect(bySwiftPMLayout.locate("toy") == data + "/toy.npz")

    try FileManager.default.createDirectory(atPath: tree.path + "/share/idc", withIntermediateDirectories: true)
    try FileManager.default.moveItem(atPath: data + "/toy.npz", toPath: tree.path + "/share/idc/toy.npz")
    let installed = DataSetSearchPath(environment: [:], currentDirectory: "/", executablePath: tree.path + "/bin/idc")
    #expect(installed.locate("toy") == tree.path + "/share/idc/toy.npz")
    #expect(try DataSet.builtin("toy", search: installed).count == 5)
  }

  @Test("IDC_SHARED_DATA finds JSON sidecars")
  func sharedSidecars() throws {
    let search = DataSetSearchPath(environment: ["IDC_SHARED_DATA": TestPaths.testsDirectory + "/Fixtures"], currentDirectory: "/", executablePath: nil)
    let data = try DataSet.builtin("tiny", search: search)
    #expect(data.name == "tiny" && data.classNames == ["a", "b", "c"])
  }

  @Test("unknown names list the known ones and suggest the closest")
  func unknownName() throws {
    let tree = try makeTree()
    let data = tree.path + "/examples/data"
    let search = DataSetSearchPath(environment: ["IDC_DATA_DIR": data], currentDirectory: "/", executablePath: nil)
    #expect(failure { try DataSet.builtin("tyo", search: search) } == "tyo: unknown data set (did you mean 'toy'?); known: toy; searched: \(data)")
    #expect(failure { try DataSet.builtin("mnist", search: search) } == "mnist: unknown data set; known: toy; searched: \(data)")
    let nowhere = DataSetSearchPath(environment: [:], currentDirectory: "/", executablePath: nil)
    #expect(failure { try DataSet.builtin("x", search: nowhere) } == "x: unknown data set; known: none; searched: no data directory found")
    #expect(search.locate("../examples/data/toy") == nil)
  }

  @Test("open takes a path or a built-in name")
  func open() throws {
    let tree = try makeTree()
    let search = DataSetSearchPath(environment: ["IDC_DATA_DIR": tree.path + "/examples/data"], currentDirectory: "/", executablePath: nil)
    #expect(try DataSet.open("toy", search: search).name == "toy")
    #expect(try DataSet.open(TestPaths.fixture("stored.npz"), search: search).name == "stored")
    #expect(failure { try DataSet.open("nothing.npz", search: search) } == "nothing.npz: cannot open: No such file or directory")
  }

  @Test("digits is built in: examples/data/digits.npz from the package root")
  func digits() throws {
    let search = DataSetSearchPath(environment: [:], currentDirectory: TestPaths.packageRoot, executablePath: nil)
    #expect(search.locate("digits") == TestPaths.examplesData + "/digits.npz")
    let digits = try DataSet.builtin("digits", search: search)
    #expect(digits.name == "digits" && digits.count == 1797 && digits.dimension == 64)
    #expect(digits.labels?.count == 1797 && Set(digits.labels ?? []) == Set(0..<10))
    #expect(digits.images?.shape == [1797, 8, 8, 1])
    #expect(digits.classNames == (0..<10).map(String.init))
  }
}
