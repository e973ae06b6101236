import Foundation
@testable import IDCCommands
import IDCData
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

/// Golden script tests (Crafting Interpreters style): each `Scripts/*.idc` runs in a fresh
/// session whose output directory is a new temporary directory (`$out`; `$scripts` is the
/// Scripts directory). Directives, in comments:
/// - `# expect: LINE` — lines that must appear in stdout, in order;
/// - `# expect-text: TEXT` — stdout contains TEXT;
/// - `# expect-note: TEXT` — stderr contains TEXT;
/// - `# expect-error: TEXT` — the diagnostics' first lines, all of them, in order;
/// - `# expect-exit: N` — the exit code (default 0);
/// - `# expect-file: NAME TEXT` — the file NAME in `$out` exists and contains TEXT;
/// - `# expect-arrays: NAME key=SHAPE …` — the .npz (or .npy, key empty) in `$out` holds
///   these arrays with these shapes (`1797x64`, `10`, `1`).
@Suite struct GoldenScriptTests {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Scripts")
  static let scripts = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
    .filter { $0.hasSuffix(".idc") }.sorted()

  @Test func corpusIsNotEmpty() { #expect(Self.scripts.count >= 8) }

  struct Directives {
    var lines: [String] = [], texts: [String] = [], notes: [String] = [], errors: [String] = []
    var exit: Int32 = 0
    var files: [(name: String, text: String)] = []
    var arrays: [(name: String, shapes: [(key: String, shape: [Int])])] = []

    init(_ script: String) {
      func after(_ prefix: String, _ line: String) -> String? {
        line.hasPrefix(prefix) ? String(line.dropFirst(prefix.count)) : nil
      }
      for raw in script.split(separator: "\n").map(String.init) {
        let line = raw.trimmingCharacters(in: .whitespaces)
        if let v = after("# expect: ", line) { lines.append(v) }
        if let v = after("# expect-text: ", line) { texts.append(v) }
        if let v = after("# expect-note: ", line) { notes.append(v) }
        if let v = after("# expect-error: ", line) { errors.append(v) }
        if let v = after("# expect-exit: ", line) { exit = Int32(v) ?? -1 }
        if let v = after("# expect-file: ", line) {
          let parts = v.split(separator: " ", maxSplits: 1).map(String.init)
          files.append((parts[0], parts.count > 1 ? parts[1] : ""))
        }
        if let v = after("# expect-arrays: ", line) {
          let parts = v.split(separator: " ").map(String.init)
          arrays.append((parts[0], parts.dropFirst().map { item in
            let kv = item.split(separator: "=", omittingEmptySubsequences: false).map(String.init)
            return (kv[0], kv[1].split(separator: "x").compactMap { Int($0) })
          }))
        }
      }
    }
  }

  @Test(arguments: scripts) func script(_ name: String) throws {
    let path = Self.directory.appendingPathComponent(name).path
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let expected = Directives(text)
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("idc-golden-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: out) }
    let capture = Capture()
    let evaluator = Evaluator(sinks: capture.sinks)
    evaluator.workspace.options.outputDirectory = out.path
    evaluator.environment.define("out", .string(out.path))
    evaluator.environment.define("scripts", .string(Self.directory.path))
    var runner = ScriptRunner(evaluator: evaluator)
    runner.keepGoing = expected.errors.count > 1
    let code = runner.run(source: text, file: name)
    evaluator.workspace.plotSession.close()
    #expect(code == expected.exit, "\(name): exit \(code), stderr:\n\(capture.stderr)")
    var remaining = capture.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)[...]
    for line in expected.lines {
      guard let at = remaining.firstIndex(of: line) else {
        Issue.record("\(name): expected line not found (in order): \(line)\nstdout:\n\(capture.stdout)")
        break
      }
      remaining = remaining[(at + 1)...]
    }
    for t in expected.texts { #expect(capture.stdout.contains(t), "\(name): stdout lacks '\(t)'\nstdout:\n\(capture.stdout)") }
    for t in expected.notes { #expect(capture.stderr.contains(t), "\(name): stderr lacks '\(t)'\nstderr:\n\(capture.stderr)") }
    let diagnosticLines = capture.stderr.split(separator: "\n").map(String.init).filter { $0.contains(": error: ") }
    #expect(diagnosticLines == expected.errors, "\(name) stderr:\n\(capture.stderr)")
    for (file, content) in expected.files {
      let data = FileManager.default.contents(atPath: out.appendingPathComponent(file).path)
      #expect(data.map { String(decoding: $0, as: UTF8.self).contains(content) } == true, "\(name): \(file) missing or without '\(content)'")
    }
    for (file, shapes) in expected.arrays {
      let filePath = out.appendingPathComponent(file).path
      if file.hasSuffix(".npy") {
        #expect(try NPYReader.read(path: filePath).shape == shapes.first?.shape, "\(name): \(file)")
      } else {
        let archive = try NPZArchive(path: filePath)
        let held = try archive.arrays()
        #expect(held.map(\.key).sorted() == shapes.map(\.key).sorted(), "\(name): \(file) holds \(held.map(\.key))")
        for (key, shape) in shapes { #expect(try archive.array(key).shape == shape, "\(name): \(file)[\(key)]") }
      }
    }
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
