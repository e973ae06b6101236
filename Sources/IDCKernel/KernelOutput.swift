import Foundation
import IDCCommands

/// Sends a running cell's output to the notebook, as messages on iopub whose parent is the
/// cell's `execute_request`:
/// - command text as `stream` (stdout), notes as `stream` (stderr);
/// - pictures and tables as `display_data` (`image/png`, `image/svg+xml`, `text/html`,
///   `text/markdown` beside `text/plain`); a command's result in the cell's last statement
///   as `execute_result` (`Out[n]`);
/// - progress as one display per statement, updated in place (`update_display_data`) at most
///   four times a second, not one line per step.
///
/// Sinks may be called from worker threads; state is guarded by a lock.
final class KernelOutput: @unchecked Sendable {
  let channels: JupyterChannels
  private let lock = NSLock()
  private var parent: KernelMessage?
  private var silent = false
  private var executionCount = 0
  private var resultSent = false
  private var lastStatement = false
  private var progressLine: (label: String, done: Int, total: Int, shown: Date, started: Date)?

  init(channels: JupyterChannels) { self.channels = channels }

  /// A new cell starts: its output goes to `request`'s client (nowhere when `silent`).
  func begin(_ request: KernelMessage, silent: Bool, executionCount: Int) {
    lock.withLock {
      parent = request
      self.silent = silent
      self.executionCount = executionCount
      resultSent = false
      progressLine = nil
    }
  }

  /// Whether the statement running is the cell's last (its result becomes `execute_result`).
  var isLastStatement: Bool {
    get { lock.withLock { lastStatement } }
    set { lock.withLock { lastStatement = newValue } }
  }

  func stream(_ name: String, _ text: String) {
    guard !text.isEmpty, let parent = target() else { return }
    channels.publish("stream", ["name": .string(name), "text": .string(text)], parent: parent)
  }

  func show(_ rich: RichOutput) {
    guard let parent = target() else { return }
    var data: [String: JSON] = ["text/plain": .string(rich.plain)]
    var metadata: [String: JSON] = [:]
    if let html = rich.html { data["text/html"] = .string(html) }
    if let markdown = rich.markdown { data["text/markdown"] = .string(markdown) }
    if let png = rich.png {
      data["image/png"] = .string(Data(png).base64EncodedString())
      if let width = rich.displayWidth { metadata["image/png"] = ["width": .int(width)] }
    }
    if let svg = rich.svg {
      data["image/svg+xml"] = .string(svg)
      if let width = rich.displayWidth { metadata["image/svg+xml"] = ["width": .int(width)] }
    }
    let asResult = lock.withLock { () -> Bool in
      guard rich.role == .result, lastStatement, !resultSent else { return false }
      resultSent = true
      return true
    }
    if asResult {
      channels.publish("execute_result", ["execution_count": .int(executionCount), "data": .object(data), "metadata": .object(metadata)],
                       parent: parent)
    } else {
      channels.publish("display_data", ["data": .object(data), "metadata": .object(metadata), "transient": [:]], parent: parent)
    }
  }

  /// Progress of long work on stderr, redrawn in place: each report starts with a carriage
  /// return, which notebooks (JupyterLab, Notebook, VS Code, nbconvert) render by overwriting
  /// the line, as tqdm's text bar does. At most four reports a second, and one whenever the
  /// step's label changes.
  func progress(label: String, done: Int, total: Int) {
    let now = Date()
    let line: String? = lock.withLock {
      guard parent != nil, !silent else { return nil }
      if var shown = progressLine {
        let relabelled = shown.label != label
        shown.label = label
        shown.done = done
        shown.total = total
        progressLine = shown
        guard relabelled || done >= total || now.timeIntervalSince(shown.shown) >= 0.25 else { return nil }
        progressLine?.shown = now
      } else {
        progressLine = (label: label, done: done, total: total, shown: now, started: now)
      }
      return progressText(final: false)
    }
    if let line { stream("stderr", "\r" + line) }
  }

  /// A statement ended: its progress line shows the final count and the time taken.
  func endStatement() {
    let line: String? = lock.withLock {
      guard progressLine != nil, !silent else { return nil }
      defer { progressLine = nil }
      return progressText(final: true)
    }
    if let line { stream("stderr", "\r" + line + "\n") }
  }

  /// The progress line, padded so a shorter line hides the end of a longer one. Under the lock.
  private func progressText(final: Bool) -> String {
    guard let p = progressLine else { return "" }
    let fraction = p.total > 0 ? min(1, Double(p.done) / Double(p.total)) : 0
    let elapsed = Date().timeIntervalSince(p.started)
    let width = 24
    let filled = Int((fraction * Double(width)).rounded(.down))
    var text = "\(p.label) [" + String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled) + "] \(p.done)/\(p.total)"
    if final {
      text += String(format: " · %.1f s", elapsed)
    } else if fraction > 0.02 {
      text += String(format: " · %.0f s left", elapsed * (1 - fraction) / fraction)
    }
    return text.padding(toLength: max(text.count, 72), withPad: " ", startingAt: 0)
  }

  private func target() -> KernelMessage? {
    lock.withLock { silent ? nil : parent }
  }
}
