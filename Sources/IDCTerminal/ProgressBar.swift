import CEditLine
import Foundation

/// A one-line progress bar on stderr for long work, drawn only at a terminal.
///
/// ```
/// kmeans [##############----------------]  46%  460/1000  00:12 ETA 00:14
/// ```
/// ``update(label:done:total:)`` may be called from any thread and as often as work likes:
/// it redraws at most every ``minimumInterval`` (100 ms, so ≤ 10 redraws per second) by a
/// monotonic clock (`ContinuousClock`), rewriting the line in place with `\r` and
/// erase-to-end-of-line. The elapsed time starts at the first update of a label (and again
/// when the label changes or `done` goes back); the ETA extrapolates linearly,
/// `elapsed · (total − done) / done`. ``finish()`` erases the line so later output starts
/// clean. Output is the terminal's business only: when the file descriptor is not a
/// terminal (a log, a pipe, CI) nothing is ever written.
///
/// Plug it into the core with `WorkMonitor(isCancelled:progress: bar.report)`.
public final class ProgressBar: @unchecked Sendable {
  /// The file descriptor drawn on (2, stderr, by default).
  public let fileDescriptor: Int32
  /// Whether anything is drawn: the descriptor is a terminal (unless forced).
  public let isEnabled: Bool
  /// The least time between two redraws.
  public let minimumInterval: Duration

  private let clock = ContinuousClock()
  private let lock = NSLock()
  // Guarded by `lock`:
  private var label = ""
  private var lastDone = 0
  private var start: ContinuousClock.Instant?
  private var lastDraw: ContinuousClock.Instant?
  private var isShown = false

  /// Creates a bar on `fileDescriptor`.
  /// - Parameters:
  ///   - isEnabled: force drawing on or off; default: whether the descriptor is a terminal.
  ///   - minimumInterval: the least time between redraws (default 100 ms).
  public init(fileDescriptor: Int32 = 2, isEnabled: Bool? = nil, minimumInterval: Duration = .milliseconds(100)) {
    self.fileDescriptor = fileDescriptor
    self.isEnabled = isEnabled ?? (isatty(fileDescriptor) != 0)
    self.minimumInterval = minimumInterval
  }

  /// ``update(label:done:total:)`` as a closure for `WorkMonitor(isCancelled:progress:)`.
  public var report: @Sendable (_ label: String, _ done: Int, _ total: Int) -> Void {
    { [self] label, done, total in update(label: label, done: done, total: total) }
  }

  /// Reports that `done` of `total` units of `label` are finished; redraws unless the last
  /// redraw was less than ``minimumInterval`` ago. `total ≤ 0` means an unknown total.
  public func update(label: String, done: Int, total: Int) {
    guard isEnabled else { return }
    lock.lock()
    defer { lock.unlock() }
    let now = clock.now  // read under the lock, so redraw times never go backwards
    if start == nil || label != self.label || done < lastDone {
      start = now
      self.label = label
    }
    lastDone = done
    if let lastDraw, lastDraw.duration(to: now) < minimumInterval { return }
    lastDraw = now
    isShown = true
    let line = Self.render(
      label: label, done: done, total: total, elapsed: start.map { $0.duration(to: now) } ?? .zero,
      width: TerminalStyle.columns(fileDescriptor: fileDescriptor))
    // Written under the lock so that concurrent redraws do not interleave.
    emit("\r" + line + "\u{1B}[K")
  }

  /// Erases the bar's line (if anything was drawn) and forgets the label, so the next update
  /// starts a new bar with a new elapsed time.
  public func finish() {
    guard isEnabled else { return }
    lock.lock()
    defer { lock.unlock() }
    if isShown { emit("\r\u{1B}[K") }
    isShown = false
    start = nil
    lastDraw = nil
    label = ""
    lastDone = 0
  }

  /// Writes all of `text` to the descriptor with write(2), retrying after EINTR.
  private func emit(_ text: String) {
    var text = text
    text.withUTF8 { buffer in
      var offset = 0
      while offset < buffer.count {
        let written = write(fileDescriptor, buffer.baseAddress! + offset, buffer.count - offset)
        if written > 0 {
          offset += written
        } else if written < 0 && errno == EINTR {
          continue
        } else {
          return
        }
      }
    }
  }

  /// The bar's text for `done` of `total` after `elapsed`, fitted into `width` columns (one
  /// column is left free so the terminal never wraps):
  /// `label [####------]  40%  4/10  00:02 ETA 00:03`. With `total ≤ 0`:
  /// `label  4  00:02`. The bar shrinks first, then disappears (under 5 columns), then the
  /// label is cut. Pure: a function of its arguments only.
  public static func render(label: String, done: Int, total: Int, elapsed: Duration, width: Int) -> String {
    let room = max(0, width - 1)
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let stats: String
    var fraction: Double?
    if total > 0 {
      let clamped = min(max(done, 0), total)
      fraction = Double(clamped) / Double(total)
      let percent = Int((fraction! * 100).rounded(.down))
      let eta: String
      if clamped >= total {
        eta = formatDuration(0)
      } else if clamped > 0 {
        eta = formatDuration(seconds * Double(total - clamped) / Double(clamped))
      } else {
        eta = "--:--"
      }
      stats = "\(String(repeating: " ", count: max(0, 3 - String(percent).count)))\(percent)%  \(clamped)/\(total)  \(formatDuration(seconds)) ETA \(eta)"
    } else {
      stats = "\(max(done, 0))  \(formatDuration(seconds))"
    }
    if let fraction {
      let barWidth = min(40, room - (label.count + 4 + stats.count))  // "label [" bar "] " stats
      if barWidth >= 5 {
        let filled = Int((fraction * Double(barWidth)).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: barWidth - filled)
        return "\(label) [\(bar)] \(stats)"
      }
    }
    let line = label.isEmpty ? stats : "\(label)  \(stats)"
    if line.count <= room { return line }
    let labelRoom = room - stats.count - 2
    if labelRoom >= 2 { return String(label.prefix(labelRoom - 1)) + "…  " + stats }
    return String(stats.prefix(room))
  }

  /// `mm:ss`, or `h:mm:ss` from one hour on; negative and non-finite times show as `--:--`.
  public static func formatDuration(_ seconds: Double) -> String {
    guard seconds.isFinite, seconds >= 0 else { return "--:--" }
    let total = Int(seconds.rounded(.down))
    let (hours, minutes, secs) = (total / 3600, total / 60 % 60, total % 60)
    func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
    return hours > 0 ? "\(hours):\(two(minutes)):\(two(secs))" : "\(two(minutes)):\(two(secs))"
  }
}
