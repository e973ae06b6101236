import Testing

import IDCLang

@Suite("Values")
struct ValueTests {
  @Test func sourceSpellingReadsBack() {
    #expect(Value.word("hard+rep").description == "hard+rep")
    #expect(Value.word("a b").description == "\"a b\"")
    #expect(Value.word("10").description == "\"10\"")
    #expect(Value.string("x").description == "\"x\"")
    #expect(Value.string("$5\n\u{1}").description == #""\$5\n\u{1}""#)
    #expect(Value.double(1e-3).description == "0.001")
    #expect(Value.bool(true).description == "true")
    #expect(Value.list([.int(1), .range(IntRange(1, 9, step: 2)), .string("q")]).description == "[1, 1..9:2, \"q\"]")
  }

  @Test func displayAndPlainText() {
    #expect(Value.string("hard+rep").displayText == "hard+rep")
    #expect(Value.list([.string("a"), .string("b c")]).displayText == "[a, \"b c\"]")
    #expect(Value.string("b c").text == "b c")
    #expect(Value.list([.word("a")]).text == "[a]")
  }

  @Test func accessors() {
    #expect(Value.int(3).doubleValue == 3)
    #expect(Value.double(3).intValue == nil)
    #expect(Value.word("w").stringValue == "w")
    #expect(Value.range(IntRange(1, 3)).listValue == [.int(1), .int(2), .int(3)])
    #expect(Value.bool(false).boolValue == false)
    #expect(Value.int(1).kindDescription == "an integer")
  }

  @Test func unknownVariableListsTheDefinedOnes() throws {
    let environment = Environment(["alpha": .int(1), "beta": .int(2)])
    #expect(
      try validationError("kmeans k=$gamma", environment: environment)?.hasSuffix(
        "help: the variables here are $alpha, $beta\n") == true)
  }
}
