import Foundation
import Testing

@testable import IDCPlot

@Suite struct GnuplotExchangeTests {
  let script = GnuplotScript(
    datablocks: [Datablock(name: "d", lines: ["1 2"])], commands: ["set title \"t\"", "plot $d", "plot $nosuch"])

  @Test func payloadResetsThenMarksEveryCommandThenSendsTheSentinelTwice() {
    let payload = GnuplotExchange.payload(for: script, sequence: 7)
    #expect(payload == """
      unset multiplot
      unset output
      reset session
      set print
      $d << EOD
      1 2
      EOD
      print "IDC_CMD_7_0"
      set title "t"
      print "IDC_CMD_7_1"
      plot $d
      print "IDC_CMD_7_2"
      plot $nosuch
      set print "-"
      print "IDC_DONE_7"
      set print
      print "IDC_DONE_7"

      """)
  }

  @Test func errorsAreAttributedToTheCommandAfterTheLastMarker() throws {
    let standardError = """
      IDC_CMD_7_0
      IDC_CMD_7_1
      IDC_CMD_7_2
               line 0: no datablock named $nosuch

      IDC_DONE_7
      """
    let (diagnostics, printed) = GnuplotExchange.interpret(standardError: standardError, sequence: 7)
    #expect(diagnostics == [.init(message: "no datablock named $nosuch", commandIndex: 2, isWarning: false)])
    #expect(printed.isEmpty)
    #expect(GnuplotExchange.error(for: diagnostics, in: script)
      == .gnuplot(message: "no datablock named $nosuch", command: "plot $nosuch"))
  }

  @Test func echoesAndCaretsAreDroppedAndWarningsJoined() {
    let standardError = """
      gnuplot> foo bar
               ^
               line 0: invalid command
      IDC_CMD_3_0
      hello from print
               line 0: warning: Cannot find or open file "x.dat"
               line 0: No data in plot
      Warning: empty y range [1:1], adjusting to [0.99:1.01]
      "script.gp" line 12: undefined variable: q
      IDC_DONE_3
      """
    let (diagnostics, printed) = GnuplotExchange.interpret(standardError: standardError, sequence: 3)
    #expect(printed == ["hello from print"])
    #expect(diagnostics.map(\.message) == [
      "invalid command", "warning: Cannot find or open file \"x.dat\"", "No data in plot",
      "Warning: empty y range [1:1], adjusting to [0.99:1.01]", "undefined variable: q",
    ])
    #expect(diagnostics.map(\.commandIndex) == [nil, 0, 0, 0, 0])
    #expect(diagnostics.map(\.isWarning) == [false, true, false, true, false])
    let two = GnuplotScript(commands: ["plot \"x.dat\""])
    #expect(GnuplotExchange.error(for: Array(diagnostics.dropFirst()), in: two) == .gnuplot(
      message: "warning: Cannot find or open file \"x.dat\"; No data in plot; Warning: empty y range [1:1], adjusting to [0.99:1.01]; undefined variable: q",
      command: "plot \"x.dat\""))
    #expect(GnuplotExchange.error(for: [], in: two) == nil)
  }

  @Test func markersOfOtherScriptsAreNotOurs() {
    let (diagnostics, printed) = GnuplotExchange.interpret(standardError: "IDC_CMD_2_0\nIDC_DONE_3\n", sequence: 3)
    #expect(diagnostics.isEmpty)
    #expect(printed == ["IDC_CMD_2_0"])
  }

  @Test func lineNumberPrefixesAreRecognised() {
    #expect(GnuplotExchange.messageAfterLineNumber("line 0: invalid command") == "invalid command")
    #expect(GnuplotExchange.messageAfterLineNumber("\"a b.gp\" line 12: oops") == "oops")
    #expect(GnuplotExchange.messageAfterLineNumber("line x: no") == nil)
    #expect(GnuplotExchange.messageAfterLineNumber("linear fit") == nil)
  }

  @Test func exitStatusesAreDescribed() {
    #expect(GnuplotProcess.describe(status: 0) == "exit status 0")
    #expect(GnuplotProcess.describe(status: 1 << 8) == "exit status 1")
    #expect(GnuplotProcess.describe(status: SIGKILL) == "killed by signal 9 (SIGKILL)")
    #expect(GnuplotProcess.describe(status: SIGSEGV) == "killed by signal 11 (SIGSEGV)")
  }

  @Test func errorMessagesAreIdcWorded() {
    #expect(PlotError.gnuplot(message: "invalid command", command: "foo bar").description
      == "gnuplot: invalid command\n  in: foo bar")
    #expect(PlotError.gnuplot(message: "m", command: nil).description == "gnuplot: m")
    let long = "plot " + String(repeating: "x", count: 300) + "\nsecond line"
    #expect(PlotError.gnuplot(message: "m", command: long).description.hasSuffix("xxx... ..."))
    #expect(PlotError.crashed(status: "killed by signal 9 (SIGKILL)").description
      == "gnuplot stopped unexpectedly (killed by signal 9 (SIGKILL)); the next plot starts a new gnuplot")
    #expect(PlotError.timedOut(seconds: 0.5).description
      == "gnuplot did not answer within 0.5 s and was stopped; the next plot starts a new gnuplot")
    #expect(PlotError.noWindowTerminal(available: ["dumb", "svg"]).description.hasSuffix("Available terminals: dumb svg"))
  }
}
