import IDCPlot
import Testing

@Suite struct DatablockTests {
  @Test func textIsHeaderLinesAndTerminator() {
    var block = Datablock(name: "points")
    block.appendRow(1, 2.5)
    block.appendRow([-3, 0.125, 7])
    #expect(block.name == "$points")
    #expect(block.text == "$points << EOD\n1 2.5\n-3 0.125 7\nEOD\n")
  }

  @Test func nameMayCarryTheDollar() {
    #expect(Datablock(name: "$series0").name == "$series0")
  }

  @Test func numbersAreShortAndNonFiniteIsNaN() {
    #expect(Datablock.format(3.0) == "3")
    #expect(Datablock.format(-0.1) == "-0.1")
    #expect(Datablock.format(1e-7) == "1e-07")
    #expect(Datablock.format(Double.nan) == "NaN")
    #expect(Datablock.format(-Double.infinity) == "NaN")
    #expect(Datablock.format(Float(2)) == "2")
    #expect(Datablock.format(Float(0.5)) == "0.5")
    #expect(Datablock.format(Float.nan) == "NaN")
  }
}

@Suite struct GnuplotScriptTests {
  @Test func textPutsDatablocksBeforeCommands() {
    var script = GnuplotScript()
    script.append("plot $a")
    script.define(Datablock(name: "a", lines: ["1 2"]))
    #expect(script.text == "$a << EOD\n1 2\nEOD\nplot $a\n")
    #expect(script.datablock(named: "a")?.lines == ["1 2"])
    #expect(script.datablock(named: "$a") != nil)
    #expect(script.datablock(named: "b") == nil)
  }

  @Test func quotingEscapesBackslashQuoteAndNewline() {
    #expect(GnuplotScript.quoted("plain") == "\"plain\"")
    #expect(GnuplotScript.quoted("say \"hi\"") == "\"say \\\"hi\\\"\"")
    #expect(GnuplotScript.quoted("a\\b") == "\"a\\\\b\"")
    #expect(GnuplotScript.quoted("two\nlines") == "\"two\\nlines\"")
    #expect(GnuplotScript.quoted("fmnist_effnet128") == "\"fmnist_effnet128\"")
  }
}

@Suite struct PlotTargetTests {
  let preferred = PlotSize(width: 1200, height: 900)

  @Test func fileExtensionChoosesTheTerminal() throws {
    #expect(try PlotTarget.file("/tmp/a.png").kind == .png)
    #expect(try PlotTarget.file("fig.SVG").kind == .svg)
    #expect(try PlotTarget.file("out/fig.pdf").kind == .pdf)
    #expect(try PlotTarget.file("/tmp/a.png").setupCommands(preferred: preferred) == [
      "set terminal pngcairo size 1200,900 font \"Sans,15\" background rgb \"white\"",
      "set output \"/tmp/a.png\"",
    ])
    #expect(try PlotTarget.file("x.svg", size: PlotSize(width: 800, height: 600)).setupCommands(preferred: preferred)[0]
      == "set terminal svg size 800,600 font \"sans-serif,11\" background rgb \"white\"")
    #expect(try PlotTarget.file("x.pdf").setupCommands(preferred: preferred)[0]
      == "set terminal pdfcairo size 12in,9in font \"Sans,10\"")
    #expect(try PlotTarget.file("x.png").finishCommands == ["unset output"])
  }

  @Test func unknownExtensionsAreRejectedWithTheChoices() {
    for path in ["plot.jpg", "plot", "dir.png/plot", ".png"] {
      #expect(throws: PlotError.unsupportedFileExtension(path: path)) { try PlotTarget.file(path) }
    }
    let message = PlotError.unsupportedFileExtension(path: "a.jpg").description
    #expect(message == "cannot tell the picture format of 'a.jpg': use a .png, .svg or .pdf file name")
  }

  @Test func textTargetsWriteToStandardOutput() {
    let dumb = PlotTarget.dumb(width: 80, height: 24)
    #expect(dumb.isText && dumb.writesToStandardOutput)
    #expect(dumb.setupCommands(preferred: preferred) == ["set terminal dumb size 80,24", "set output"])
    #expect(PlotTarget.dumb(color: true).setupCommands(preferred: preferred)[0] == "set terminal dumb size 100,32 ansi256")
    #expect(dumb.finishCommands.isEmpty)
    let sixel = PlotTarget.sixel(size: PlotSize(width: 640, height: 480))
    #expect(!sixel.isText && sixel.writesToStandardOutput)
    #expect(sixel.setupCommands(preferred: preferred)[0] == "set terminal sixelgd size 640,480 truecolor font \"Sans,10\"")
    #expect(PlotTarget.window(terminal: "qt").setupCommands(preferred: preferred)[0]
      == "set terminal qt size 1200,900 font \"Sans,15\"")
  }
}
