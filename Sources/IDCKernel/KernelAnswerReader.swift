import Foundation
import IDCCommands
import IDCTerminal

/// `feedback ask` in a notebook: each answer is asked with an `input_request` on the stdin
/// channel, to the client whose cell is running, and read from its `input_reply`.
///
/// A client that does not allow input (`allow_stdin: false`: `jupyter execute`, nbclient)
/// makes ``unavailableReason`` say so, and `feedback ask` fails with that reason. An
/// interrupt while waiting answers `q` (stop, keeping the answers given), as Ctrl-C does at
/// the REPL's answer prompt.
final class KernelAnswerReader: AnswerReader {
  let channels: JupyterChannels
  private var request: KernelMessage?
  private var allowStdin = false

  init(channels: JupyterChannels) { self.channels = channels }

  /// The cell now running, and whether its client takes input.
  func begin(_ request: KernelMessage, allowStdin: Bool) {
    self.request = request
    self.allowStdin = allowStdin
  }

  var unavailableReason: String? {
    allowStdin ? nil : "this notebook client does not allow input (allow_stdin is false, as in 'jupyter execute' and nbclient)"
  }

  func readAnswer(prompt: String) -> String? {
    guard let request, allowStdin else { return nil }
    // Replies to earlier, abandoned requests are stale.
    while channels.receive(on: channels.stdin, milliseconds: 0) != nil {}
    channels.reply("input_request", ["prompt": .string(prompt), "password": false], to: request, on: channels.stdin)
    while true {
      if Interrupts.isInterrupted { return "q" }
      guard let reply = channels.receive(on: channels.stdin, milliseconds: 100) else { continue }
      guard reply.type == "input_reply" else {
        channels.log("idc kernel: ignored \(reply.type) on stdin")
        continue
      }
      return reply.content["value"]?.string ?? ""
    }
  }
}
