import Foundation
import Testing

/// The REPL driven in tmux like a person (scripts/repl-smoke.sh): typing, Tab
/// completion, a continuation line, Up for history, Ctrl-C during a long
/// k-means with the workspace intact afterwards, did-you-mean, Ctrl-D.
@Suite struct REPLTests {
  static let hasTmux = FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux")

  @Test(.enabled(if: hasTmux, "needs tmux")) func replUnderTmux() throws {
    let (status, text) = try Binary.runProgram("/bin/bash", [Binary.packageRoot.appendingPathComponent("scripts/repl-smoke.sh").path, Binary.url.path])
    #expect(status == 0, "\(text)")
    #expect(text.contains("repl-smoke: ok"))
  }
}
