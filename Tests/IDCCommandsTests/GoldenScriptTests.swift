import Foundation
import IDCCommands
import IDCLang
import Testing

/// Captures what a session writes.
final class Capture: @unchecked Sendable {
  private let lock = NSLock()
  private var out = "", err = ""
  var stdout: String { lock.withLock { out } }
  var stderr: String { lock.withLock { err } }
  var sinks: OutputSinks {
    OutputSinks(output: { text in self.lock.withLock { self.out += text } },
                diagnostics: { text in self.lock.withLock { self.err += text } })
  }
}

/// Golden script tests (Crafting Interpreters style): each `Scripts/*.idc`
/// runs in a fresh session; `# expect: LINE` lines must appear in stdout in
/// order, `# expect-error: TEXT` must equal the first line of a diagnostic,
/// and `# expect-exit: N` is the exit code (default 0).
@Suite struct GoldenScriptTests {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Scripts")
  static let scripts = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
    .filter { $0.hasSuffix(".idc") }.sorted()

  @Test func corpusIsNotEmpty() { #expect(Self.scripts.count >= 8) }

  @Test(arguments: scripts) func script(_ name: String) throws {
    let path = Self.directory.appendingPathComponent(name).path
    let text = try String(contentsOfFile: path, encoding: .utf8)
    var expectedLines: [String] = [], expectedErrors: [String] = [], expectedExit: Int32 = 0
    for line in text.split(separator: "\n").map(String.init) {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if trimmed.hasPrefix("# expect: ") { expectedLines.append(String(trimmed.dropFirst("# expect: ".count))) }
      if trimmed.hasPrefix("# expect-error: ") { expectedErrors.append(String(trimmed.dropFirst("# expect-error: ".count))) }
      if trimmed.hasPrefix("# expect-exit: ") { expectedExit = Int32(trimmed.dropFirst("# expect-exit: ".count))! }
    }
    let capture = Capture()
    let evaluator = Evaluator(sinks: capture.sinks)
    var runner = ScriptRunner(evaluator: evaluator)
    runner.keepGoing = expectedErrors.count > 1
    let code = runner.run(source: text, file: name)
    #expect(code == expectedExit, "\(name): exit \(code), stderr:\n\(capture.stderr)")
    var remaining = capture.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)[...]
    for expected in expectedLines {
      guard let at = remaining.firstIndex(of: expected) else {
        Issue.record("\(name): expected line not found (in order): \(expected)\nstdout:\n\(capture.stdout)")
        break
      }
      remaining = remaining[(at + 1)...]
    }
    let diagnosticLines = capture.stderr.split(separator: "\n").map(String.init).filter { $0.contains(": error: ") }
    #expect(diagnosticLines == expectedErrors, "\(name) stderr:\n\(capture.stderr)")
  }

  /// Every command's spec is sound: names, defaults, choices, and every example validates.
  @Test func commandTableLints() {
    #expect(Commands.registry.lint() == [])
  }

  /// Each command's help text names its usage and abstract.
  @Test func everyCommandHasHelp() throws {
    for spec in Commands.registry.commands {
      let help = try #require(Commands.registry.helpText(for: spec.name))
      #expect(help.hasPrefix("\(spec.name) — \(spec.abstract)"), "\(spec.name): \(help.prefix(80))")
      #expect(help.contains("Usage: "))
    }
  }

  /// The diagnostic format: location, the line, a caret under the span, and did-you-mean.
  @Test func diagnosticFormat() {
    let capture = Capture()
    let runner = ScriptRunner(evaluator: Evaluator(sinks: capture.sinks))
    let code = runner.run(source: "load digits\nslect m=3\n", file: "t.idc")
    #expect(code == 70)
    #expect(capture.stderr == "t.idc:2:1: error: unknown command 'slect'\nslect m=3\n^~~~~\nhelp: did you mean 'select'?\n\n")
  }

  /// Errors stop the script but keep the workspace: what ran before stays.
  @Test func anErrorKeepsTheWorkspace() throws {
    let capture = Capture()
    let evaluator = Evaluator(sinks: capture.sinks)
    let runner = ScriptRunner(evaluator: evaluator)
    #expect(runner.run(source: "load digits\nkmeans k=10 n_init=1 swaps=0\nselect m=99999\n", file: "a.idc") == 70)
    #expect(evaluator.workspace.pretrained?.count == 1797)
    #expect(runner.run(source: "select m=5\n", file: "b.idc") == 0)
    #expect(evaluator.workspace.latest[.selection] != nil)
  }
}

/// The README's command reference is the one the specs generate (`idc reference`).
@Suite struct ReadmeReferenceTests {
  @Test func readmeReferenceIsUpToDate() throws {
    let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("README.md")
    let text = try String(contentsOf: readme, encoding: .utf8)
    let begin = try #require(text.range(of: "<!-- commands:begin -->\n"))
    let end = try #require(text.range(of: "<!-- commands:end -->"))
    let embedded = String(text[begin.upperBound..<end.lowerBound])
    #expect(embedded.trimmingCharacters(in: .whitespacesAndNewlines)
            == Commands.registry.markdownReference().trimmingCharacters(in: .whitespacesAndNewlines),
            "regenerate with: .build/release/idc reference (between the markers in README.md)")
  }
}
