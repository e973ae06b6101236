import Foundation

/// The process's resident memory, from `/proc/self/status` (Linux; nil elsewhere): what
/// `set timing=true` prints after each command and `idc bench` reports as `peak_rss_mb`.
public enum ResidentMemory {
  /// Peak resident set since the start or the last ``resetPeak()`` (`VmHWM`), in bytes.
  public static func peak() -> Int? { field("VmHWM:") }

  /// Resident set now (`VmRSS`), in bytes.
  public static func current() -> Int? { field("VmRSS:") }

  /// Starts a new peak from the current resident set (writes `5` to `/proc/self/clear_refs`,
  /// Linux ≥ 4.0), so that ``peak()`` measures one command.
  public static func resetPeak() {
    guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return }
    try? handle.write(contentsOf: Data("5".utf8))
    try? handle.close()
  }

  private static func field(_ name: String) -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name) }),
          let kb = Int(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "") else { return nil }
    return kb * 1024
  }
}
