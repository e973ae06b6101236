import Foundation
import Testing

/// The REPL driven in tmux like a person (scripts/repl-smoke.sh): kill -9 then recover, typing, Tab
/// completion, a continuation line, UTF-8, history across sessions, Ctrl-C during k-means, train
/// and Cop-Kmeans with partial results kept, did-you-mean, second Ctrl-C, Ctrl-Z and fg, Ctrl-D.
@Suite struct REPLTests {
  static let hasTmux = FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux")

  @Test(.enabled(if: hasTmux, "needs tmux")) func replUnderTmux() throws {
    let (status, text) = try Binary.runProgram("/bin/bash", [Binary.packageRoot.appendingPathComponent("scripts/repl-smoke.sh").path, Binary.url.path])
    #expect(status == 0, "\(text)")
    #expect(text.contains("repl-smoke: ok"))
  }
}
