import Foundation
import Testing

/// The REPL driven in tmux like a person (scripts/repl-smoke.sh): typing, Tab
/// completion, a continuation line, Up for history, Ctrl-C during a long
/// k-means with the workspace intact afterwards, did-you-mean, Ctrl-D.
@Suite struct REPLTests {
  static let hasTmux = FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux")

  @Test(.enabled(if: hasTmux, "needs tmux")) func replUnderTmux() throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = [Binary.packageRoot.appendingPathComponent("scripts/repl-smoke.sh").path, Binary.url.path]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = out
    try process.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "\(text)")
    #expect(text.contains("repl-smoke: ok"))
  }
}
