import Testing

@testable import IDCData

@Suite("Python literal parser for .npy headers")
struct PythonLiteralTests {
  @Test func parsesHeaderForms() throws {
    #expect(try PythonLiteral.parse("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }") == .dict([
      ("descr", .string("<f4")), ("fortran_order", .boolean(false)), ("shape", .tuple([.integer(3), .integer(4)])),
    ]))
    #expect(try PythonLiteral.parse("()") == .tuple([]))
    #expect(try PythonLiteral.parse("(7,)") == .tuple([.integer(7)]))
    #expect(try PythonLiteral.parse("(7)") == .integer(7))
    #expect(try PythonLiteral.parse(" [('a', '<f4'), ('b', '<i4', (2,))] ") == .list([
      .tuple([.string("a"), .string("<f4")]), .tuple([.string("b"), .string("<i4"), .tuple([.integer(2)])]),
    ]))
    #expect(try PythonLiteral.parse("{\"k\": None, 'q\\'s': -12L}") == .dict([("k", .none), ("q's", .integer(-12))]))
  }

  @Test func rejectsWhatLiteralEvalRejects() {
    func message(_ text: String) -> String {
      do { _ = try PythonLiteral.parse(text); return "(no error)" } catch { return error.message }
    }
    #expect(message("{'a': 1") == "expected ',' or '}' at character 8")
    #expect(message("{'a' 1}") == "expected ':' after key 'a' at character 6")
    #expect(message("{1: 2}") == "dictionary keys must be strings at character 3")
    #expect(message("(1, 2") == "expected ',' or ')' at character 6")
    #expect(message("'abc") == "unterminated string at character 5")
    #expect(message("99999999999999999999") == "integer too large at character 19")
    #expect(message("1.5") == "expected an integer at character 2")
    #expect(message("foo") == "unexpected name 'foo' at character 4")
    #expect(message("{} x") == "unexpected text after the literal at character 4")
    #expect(message(String(repeating: "(", count: 40)) == "literal nested too deeply at character 33")
  }
}
