import Foundation
import IDCCore
import Testing

@testable import IDCData

@Suite("CSV reader")
struct CSVReaderTests {
  let iris = TestPaths.fixture("iris_like.csv")

  @Test("header, comments, blank lines, spaces and a label column of names")
  func headerCommentsAndNames() throws {
    let table = try CSVReader.read(path: iris, options: .init(labelColumn: .last))
    #expect(table.columnNames == ["sepal_length", "sepal_width", "species"])
    #expect(table.featureNames == ["sepal_length", "sepal_width"])
    #expect(table.features == Matrix([[5.1, 3.5], [4.9, 3.0], [6.3, 3.3], [5.8, 2.7]]))
    #expect(table.labels == [0, 0, 2, 1])
    #expect(table.classNames == ["setosa", "versicolor", "virginica"])
    #expect(try CSVReader.read(path: iris, options: .init(labelColumn: .name("species"))) == table)
    #expect(try CSVReader.read(path: iris, options: .init(labelColumn: CSVReader.LabelColumn("2"))) == table)
  }

  @Test("tab delimiter detected, no header, integer labels")
  func tsvWithoutHeader() throws {
    let path = TestPaths.fixture("numbers.tsv")
    let table = try CSVReader.read(path: path, options: .init(labelColumn: .last))
    #expect(table.columnNames == nil && table.featureNames == nil && table.classNames == nil)
    #expect(table.features == Matrix([[1, 2], [3, 4], [5, 6]]))
    #expect(table.labels == [0, 1, 1])
    let first = try CSVReader.read(path: path, options: .init(labelColumn: .index(0)))
    #expect(first.features == Matrix([[2, 0], [4, 1], [6, 1]]) && first.labels == [1, 3, 5])
    let all = try CSVReader.read(path: path)
    #expect(all.features.columns == 3 && all.labels == nil)
    let forced = try CSVReader.read(path: path, options: .init(header: .present))
    #expect(forced.columnNames == ["1", "2", "0"] && forced.features.rows == 2)
  }

  @Test("byte-order mark, CRLF line ends and quoted fields")
  func crlfAndQuotes() throws {
    let table = try CSVReader.read(path: TestPaths.fixture("crlf_quoted.csv"), options: .init(labelColumn: .name("label")))
    #expect(table.columnNames == ["x, first", "y", "label"])
    #expect(table.features == Matrix([[1.5, 2], [-0.001, 4]]))
    #expect(table.labels == [3, 7])
  }

  @Test func givenDelimiterAndEdgeCases() throws {
    let table = try CSVReader.parse("a;b\n1;2\n", options: .init(delimiter: ";"))
    #expect(table.columnNames == ["a", "b"] && table.features == Matrix([[1, 2]]))
    let empty = try CSVReader.parse("# only a comment\n\n")
    #expect(empty.features.rows == 0 && empty.features.columns == 0)
    #expect(try CSVReader.parse("x\n").features.rows == 0)
    #expect(try CSVReader.parse("1,2\n", options: .init(header: .absent)).features == Matrix([[1, 2]]))
    #expect(try CSVReader.parse("f,l\n1,2.0\n3,-1\n", options: .init(labelColumn: .last)).labels == [2, -1])
    #expect(CSVReader.LabelColumn("last") == .last && CSVReader.LabelColumn("3") == .index(3) && CSVReader.LabelColumn("y") == .name("y"))
  }

  @Test("errors name file:line or file:line:column and the text")
  func errors() {
    let p = TestPaths.fixture
    #expect(failure { try CSVReader.read(path: p("ragged.csv")) } == "\(p("ragged.csv")):3: row has 2 fields, expected 3 like line 1")
    #expect(failure { try CSVReader.read(path: p("non_numeric.csv")) } == "\(p("non_numeric.csv")):3:3: not a number: 'five' in column 'b'")
    #expect(failure { try CSVReader.read(path: p("empty_cell.csv")) } == "\(p("empty_cell.csv")):2:3: empty cell in column 2 (missing values are not supported)")
    #expect(failure { try CSVReader.read(path: p("unterminated.csv")) } == "\(p("unterminated.csv")):2:3: unterminated quoted field")
    #expect(failure { try CSVReader.read(path: iris) } == "\(iris):4:9: not a number: 'setosa' in column 'species'")
    #expect(failure { try CSVReader.read(path: iris, options: .init(labelColumn: .name("specie"))) } == "\(iris): no column named 'specie' (did you mean 'species'?); columns: sepal_length, sepal_width, species")
    #expect(failure { try CSVReader.read(path: iris, options: .init(labelColumn: .index(5))) } == "\(iris): label column 5 is out of range: rows have 3 columns (0-based indices 0...2)")
    #expect(failure { try CSVReader.read(path: iris, options: .init(header: .absent, labelColumn: .name("species"))) } == "\(iris): label column 'species' is given by name, but the file is read without a header row")
    #expect(failure { try CSVReader.parse("\"a\"b,c\n") } == "text:1:4: unexpected text after a closing quote")
    #expect(failure { try CSVReader.parse("a,b\n1,\n", options: .init(labelColumn: .last)) } == "text:2:3: empty label in column 'b'")
    #expect(failure { try CSVReader.parse("1,2\n", options: .init(delimiter: "→")) } == "text: the delimiter must be one ASCII character other than a quote or newline, got '→'")
    #expect(failure { try CSVReader.parse("é,b\nx,ü,z\n") } == "text:2: row has 3 fields, expected 2 like line 1")
    #expect(failure { try CSVReader.parse("é,b\n1,ü\n") } == "text:2:3: not a number: 'ü' in column 'b'")
  }
}
