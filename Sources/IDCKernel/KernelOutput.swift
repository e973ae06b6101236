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
  private var progress: (id: String, label: String, done: Int, total: Int, shown: Date)?
  private var statementStarted = Date()

  init(channels: JupyterChannels) { self.channels = channels }

  /// A new cell starts: its output goes to `request`'s client (nowhere when `silent`).
  func begin(_ request: KernelMessage, silent: Bool, executionCount: Int) {
    lock.withLock {
      parent = request
      self.silent = silent
      self.executionCount = executionCount
      resultSent = false
      progress = nil
      statementStarted = Date()
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

  /// A statement starts: progress is shown only once it has run for ``progressDelay``.
  func beginStatement() {
    lock.withLock {
      statementStarted = Date()
      progress = nil
    }
  }

  /// Work shorter than this shows no progress at all (tqdm's `delay`): fast steps stay quiet.
  static let progressDelay: TimeInterval = 1

  /// Progress of long work: one display per statement, created once the statement has run
  /// for a second, then updated in place (`update_display_data`, at most four times a second
  /// and whenever the step's label changes). A saved notebook keeps only its last state.
  func progress(label: String, done: Int, total: Int) {
    let now = Date()
    let (type, request): (String?, KernelMessage?) = lock.withLock {
      guard let parent = self.parent, !silent else { return (nil, nil) }
      if var shown = progress {
        let relabelled = shown.label != label
        (shown.label, shown.done, shown.total) = (label, done, total)
        progress = shown
        guard relabelled || done >= total || now.timeIntervalSince(shown.shown) >= 0.25 else { return (nil, nil) }
        progress?.shown = now
        return ("update_display_data", parent)
      }
      guard now.timeIntervalSince(statementStarted) >= Self.progressDelay else { return (nil, nil) }
      progress = (id: "idc-progress-" + UUID().uuidString.lowercased(), label: label, done: done, total: total, shown: now)
      return ("display_data", parent)
    }
    if let type, let request { publishProgress(type, parent: request, final: false) }
  }

  /// A statement ended: its progress display, if it has one, shows the final count and time.
  func endStatement() {
    let request: KernelMessage? = lock.withLock { progress == nil || silent ? nil : parent }
    if let request { publishProgress("update_display_data", parent: request, final: true) }
    lock.withLock { progress = nil }
  }

  private func publishProgress(_ type: String, parent: KernelMessage, final: Bool) {
    guard let (p, started) = lock.withLock({ progress.map { ($0, statementStarted) } }) else { return }
    let fraction = p.total > 0 ? min(1, Double(p.done) / Double(p.total)) : 0
    let elapsed = Date().timeIntervalSince(started)
    var text = "\(p.label): \(p.done) of \(p.total)"
    if final {
      text += String(format: " · %.1f s", elapsed)
    } else if fraction > 0.02 {
      text += String(format: " (%d%%, about %.0f s left)", Int(fraction * 100), elapsed * (1 - fraction) / fraction)
    }
    let html = "<progress value=\"\(p.done)\" max=\"\(max(p.total, 1))\" style=\"width:16em;vertical-align:middle\"></progress> "
      + "<code>\(escapeHTML(text))</code>"
    channels.publish(type, ["data": ["text/plain": .string(text), "text/html": .string(html)], "metadata": [:],
                            "transient": ["display_id": .string(p.id)]], parent: parent)
  }

  private func target() -> KernelMessage? {
    lock.withLock { silent ? nil : parent }
  }
}
