import Foundation
import Testing

@testable import IDCTerminal

struct TerminalStyleTests {
  @Test func colourRule() {
    #expect(TerminalStyle.colorEnabled(isTerminal: true, environment: ["TERM": "xterm-256color"]))
    #expect(TerminalStyle.colorEnabled(isTerminal: true, environment: [:]))
    #expect(TerminalStyle.colorEnabled(isTerminal: true, environment: ["NO_COLOR": ""]))
    #expect(!TerminalStyle.colorEnabled(isTerminal: true, environment: ["NO_COLOR": "1"]))
    #expect(!TerminalStyle.colorEnabled(isTerminal: true, environment: ["TERM": "dumb"]))
    #expect(!TerminalStyle.colorEnabled(isTerminal: false, environment: ["TERM": "xterm"]))
  }

  @Test func disabledWhenNotATerminal() throws {
    let pipe = CapturePipe()
    defer { pipe.close() }
    let style = TerminalStyle(fileDescriptor: pipe.writeEnd)
    #expect(!style.isEnabled)
    #expect(style.bold("eval") == "eval")
    #expect(style.red("error:", inPrompt: true) == "error:")
    #expect(TerminalStyle.plain.green("ok") == "ok")
  }

  @Test func escapeSequencesWhenEnabled() {
    let style = TerminalStyle(isEnabled: true)
    #expect(style.bold("idc") == "\u{1B}[1midc\u{1B}[0m")
    #expect(style.red("error") == "\u{1B}[31merror\u{1B}[0m")
    #expect(style.green("ok") == "\u{1B}[32mok\u{1B}[0m")
    #expect(style.dim("note") == "\u{1B}[2mnote\u{1B}[0m")
    #expect(style.bold("idc>", inPrompt: true) == "\u{1}\u{1B}[1m\u{2}idc>\u{1}\u{1B}[0m\u{2}")
  }

  @Test func widthFallsBackWithoutATerminal() {
    let pipe = CapturePipe()
    defer { pipe.close() }
    let columns = TerminalStyle.columns(fileDescriptor: pipe.writeEnd)
    let environment = ProcessInfo.processInfo.environment["COLUMNS"].flatMap { Int($0) }
    #expect(columns == ((environment ?? 0) > 0 ? environment! : 80))
  }
}
