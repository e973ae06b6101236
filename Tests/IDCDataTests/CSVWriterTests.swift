import Foundation
import IDCCore
import Testing

@testable import IDCData

@Suite("CSV writer")
struct CSVWriterTests {
  @Test("writer → reader gives back the same Floats, names and labels")
  func roundTrip() throws {
    let directory = TemporaryDirectory()
    let matrix = Matrix([[0.1, 1e-5, -3.4028235e38], [1.0 / 3.0, 0, -0.0]])
    for name in ["m.csv", "m.tsv"] {
      let path = directory.file(name)
      try CSVWriter.write(matrix, columnNames: ["a", "b, quoted", "#c"], labels: [4, 2], to: path)
      let table = try CSVReader.read(path: path, options: .init(labelColumn: .last))
      #expect(table.features == matrix)
      #expect(table.columnNames == ["a", "b, quoted", "#c", "label"])
      #expect(table.labels == [4, 2])
    }
    let tsv = try String(contentsOfFile: directory.file("m.tsv"), encoding: .utf8)
    #expect(tsv.hasPrefix("a\tb, quoted\t\"#c\"\tlabel\n0.1\t1e-05\t-3.4028235e+38\t4\n"))
  }

  @Test func quotingRules() throws {
    let text = CSVWriter.format(rows: [["a,b", "say \"hi\"", "", "#x", " pad", "plain"]], header: ["h1", "h2", "h3", "h4", "h5", "h6"])
    #expect(text == "h1,h2,h3,h4,h5,h6\n\"a,b\",\"say \"\"hi\"\"\",\"\",\"#x\",\" pad\",plain\n")
    let directory = TemporaryDirectory()
    try CSVWriter.write(rows: [["1", "x"], ["2"]], header: ["n", "s"], to: directory.file("t.csv"))
    #expect(try String(contentsOfFile: directory.file("t.csv"), encoding: .utf8) == "n,s\n1,x\n2\n")
  }

  @Test func mismatchedNamesAndLabels() {
    let path = "/tmp/never-written.csv"
    #expect(failure { try CSVWriter.write(Matrix([[1, 2]]), columnNames: ["a"], to: path) } == "\(path): 1 column names for 2 columns")
    #expect(failure { try CSVWriter.write(Matrix([[1, 2]]), labels: [1, 2], to: path) } == "\(path): 2 labels for 1 rows")
  }
}
